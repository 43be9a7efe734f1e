//! expect: one error at `handshake`: a hook fails with io::Error or AttemptError
use ha_cover::Recoverable;
use std::io::Write;
use std::os::unix::net::UnixStream;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = handshake, connection = UnixStream)]
struct Session;

fn handshake(conn: &mut UnixStream, _: &mut Session) -> Result<(), Box<dyn std::error::Error>> {
    conn.write_all(b"HELLO\n")?;
    Ok(())
}

fn main() {}
