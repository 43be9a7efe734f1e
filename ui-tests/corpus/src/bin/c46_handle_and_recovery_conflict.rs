//! expect: either — pass, or one error saying the recovery key and the handle strategy disagree
use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Handle;

#[ha_connection(file, mode = read_only, handle = Handle, recovery = reopen_seek)]
struct TestFile;

fn main() {}
