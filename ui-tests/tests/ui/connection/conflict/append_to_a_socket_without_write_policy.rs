//! `mode = append` on a socket is one error: the write policy a writing
//! socket needs is asked for once the mode is one a socket has.

use ha_cover::ha_connection;

#[ha_connection(unix, mode = append)]
struct Log;

#[ha_connection(tcp, asynchronous, mode = append)]
struct AsyncLog;

fn main() {}
