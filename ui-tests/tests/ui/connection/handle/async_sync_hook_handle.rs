use ha_cover::{ReconnectTarget, Recoverable, WriteConnection, ha_connection};

// Its hook is sync: the handle recovers sync covers only.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = hello)]
struct Session;

fn hello<C: ReconnectTarget>(conn: &mut C, _: &mut Session) -> std::io::Result<()> {
    WriteConnection::write(conn, b"HELLO\n").map(drop)
}

#[ha_connection(unix, asynchronous, mode = read_only, handle = Session)]
struct Feed;

fn main() {}
