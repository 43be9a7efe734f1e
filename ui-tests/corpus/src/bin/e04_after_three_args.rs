//! expect: one error at `greet`: an after hook takes the connection and the handle
use ha_cover::Recoverable;
use std::io::Write;
use std::os::unix::net::UnixStream;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = greet, connection = UnixStream)]
struct Session {
    user: String,
}

fn greet(conn: &mut UnixStream, session: &mut Session, attempt: u32) -> std::io::Result<()> {
    writeln!(conn, "HELLO {} {}", session.user, attempt)
}

fn main() {}
