use std::io::{self, BufRead, BufReader, Write};

use ha_cover::{ReconnectTarget, Recoverable, WriteConnection, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = hello)]
struct Session {
    #[ha(recoveries)]
    reconnects: u32,
}

fn hello<C: ReconnectTarget>(conn: &mut C, _: &mut Session) -> io::Result<()> {
    WriteConnection::write(conn, b"HELLO\n").map(drop)
}

#[ha_connection(unix, mode = read_write, handle = Session, write_policy = replay,
                eof_is_failure = true, recover_on = [default, ECONNREFUSED])]
struct Echo;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut echo = Echo::connect("/run/echo.sock", Session::default())?;
    echo.write_all(b"ping\n")?;
    let mut line = String::new();
    BufReader::new(echo.dup()?).read_line(&mut line)?;
    let _: std::os::unix::net::UnixStream = echo.into_inner();
    Ok(())
}

fn main() {}
