//! A socket session with renegotiation: a Redis client whose connection
//! carries state (the selected database, the client's name). When
//! `redis-server` is killed and restarted, the recovery function reconnects,
//! waits for redis to have loaded its data, and replays the session before the
//! failed command is retransmitted; the client carries on as if nothing
//! happened.
//!
//! `cargo run --example redis_session` (needs `redis-server`:
//! `apt-get install redis-server`).

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::process::ExitCode;

use ha_cover::{AttemptError, Builder, Cover, Failure, Recoverable, WriteConnection, WritePolicy};
use ha_cover_world::{self as world, Component, RedisServer};

/// The session state the server forgets when it restarts.
#[derive(Default)]
struct Session {
    db: Option<u32>,
    name: Option<String>,
    replays: u32,
}

impl Recoverable for Session {
    const OBSERVES_TRANSFERS: bool = false;
}

fn command(args: &[&str]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        out.extend_from_slice(format!("${}\r\n{arg}\r\n", arg.len()).as_bytes());
    }
    out
}

fn read_line(conn: &mut impl Read) -> io::Result<String> {
    let mut line = Vec::new();
    let mut byte = [0];
    while !line.ends_with(b"\r\n") {
        if conn.read(&mut byte)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        line.push(byte[0]);
    }
    line.truncate(line.len() - 2);
    Ok(String::from_utf8_lossy(&line).into_owned())
}

/// One reply: status, error and integer lines as they are, bulk strings as
/// their contents (`(nil)` for none).
fn read_reply(conn: &mut impl Read) -> io::Result<String> {
    let line = read_line(conn)?;
    match line
        .strip_prefix('$')
        .and_then(|len| len.parse::<i64>().ok())
    {
        Some(len) if len >= 0 => read_line(conn),
        Some(_) => Ok("(nil)".to_owned()),
        None => Ok(line),
    }
}

/// Sends a command on a raw connection and checks the reply.
fn expect(conn: &mut UnixStream, args: &[&str], reply: &str) -> Result<(), AttemptError> {
    WriteConnection::write(conn, &command(args))?;
    match read_reply(conn)? {
        got if got == reply => Ok(()),
        got => Err(AttemptError::retry(io::Error::other(format!(
            "{}: {got}",
            args[0]
        )))),
    }
}

/// Reconnect, wait for redis to be ready, replay the session.
fn renegotiate(
    failure: &Failure<'_, UnixStream>,
    session: &mut Session,
) -> Result<UnixStream, AttemptError> {
    let mut conn = failure.reconnect()?;
    // A restarted redis accepts connections at once but answers -LOADING until
    // its data is back; the attempt fails and the cover tries again.
    expect(&mut conn, &["PING"], "+PONG")?;
    if let Some(db) = session.db {
        expect(&mut conn, &["SELECT", &db.to_string()], "+OK")?;
    }
    if let Some(name) = &session.name {
        expect(&mut conn, &["CLIENT", "SETNAME", name], "+OK")?;
    }
    session.replays += 1;
    println!(
        "  reconnected; replayed SELECT {:?} and CLIENT SETNAME {:?}",
        session.db, session.name
    );
    Ok(conn)
}

/// A tiny Redis client over a covered connection.
struct Client(Cover<UnixStream, Session>);

impl Client {
    fn call(&mut self, args: &[&str]) -> io::Result<String> {
        self.0.write_all(&command(args))?;
        read_reply(&mut self.0)
    }

    fn select(&mut self, db: u32) -> io::Result<()> {
        self.call(&["SELECT", &db.to_string()])?;
        self.0.with_handle(|h| h.db = Some(db));
        Ok(())
    }

    fn set_name(&mut self, name: &str) -> io::Result<()> {
        self.call(&["CLIENT", "SETNAME", name])?;
        self.0.with_handle(|h| h.name = Some(name.to_owned()));
        Ok(())
    }
}

fn main() -> ExitCode {
    world::serve_if_asked();
    if let Some(why) = world::missing(Component::Redis) {
        eprintln!("redis_session: {why} (`{}`)", world::INSTALL_HINT);
        return ExitCode::FAILURE;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("redis_session: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    let redis = RedisServer::start()?;
    // Every command this client sends is idempotent (GET, SET, CLIENT ...), so
    // a request whose answer was lost in the death may be sent again.
    let cover = Builder::new()
        .write_policy(WritePolicy::Replay)
        .connect_unix(redis.socket(), renegotiate, Session::default())?;
    let mut client = Client(cover);
    client.select(3)?;
    client.set_name("inventory-1")?;
    println!("SET stock 42 -> {}", client.call(&["SET", "stock", "42"])?);

    println!("killing redis-server; the supervisor restarts it");
    redis
        .supervisor()
        .kill_and_wait(std::time::Duration::from_secs(10))?;

    let stock = client.call(&["GET", "stock"])?;
    println!("GET stock -> {stock}");
    let name = client.call(&["CLIENT", "GETNAME"])?;
    println!("CLIENT GETNAME -> {name}");
    if stock != "42" || name != "inventory-1" {
        return Err(io::Error::other("the session was not restored"));
    }
    println!(
        "session restored {} time(s); the client carried on",
        client.0.with_handle(|h| h.replays)
    );
    Ok(())
}
