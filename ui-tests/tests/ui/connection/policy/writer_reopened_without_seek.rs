//! A sequential writer recovered by reopening without seeking back would
//! write its next bytes at offset 0, over the start of the file.

use ha_cover::ha_connection;

#[ha_connection(file, mode = write_only, recovery = reopen)]
struct Log;

fn main() {}
