//! expect: one error: #[recoverable] goes with derive(Recoverable), not on a declared connection
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
#[recoverable(strategy = reopen_seek)]
struct Data;

fn main() {}
