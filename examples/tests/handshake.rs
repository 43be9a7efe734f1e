//! A handshake on the first connection too: a handle's `after` hook (here a
//! Redis `SELECT` and `CLIENT SETNAME`) runs on reconnected connections, and,
//! declared `on_connect` (or asked with the builder's `on_connect(true)`), on
//! the cover's first connection, which the user no longer sets up by hand.
//! Against the world's redis-server, killed with SIGKILL and restarted by its
//! supervisor.

use std::io::{self, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use ha_cover::{Cover, Recoverable};
use ha_cover_world::require;
use ha_cover_world::resp::{Resp, command, read_reply};
use ha_cover_world::{Component, RedisServer};

const T: Duration = Duration::from_secs(10);

/// Sends one command and reads its reply.
fn call(conn: &mut (impl io::Read + Write), args: &[&str]) -> io::Result<Resp> {
    conn.write_all(&command(args))?;
    read_reply(&mut BufReader::new(conn))
}

fn ok(reply: io::Result<Resp>) -> io::Result<()> {
    match reply? {
        Resp::Simple(s) if s == "OK" => Ok(()),
        other => Err(io::Error::other(format!("{other:?}"))),
    }
}

/// The session's handshake: its database and its name.
fn login<H: Named>(conn: &mut UnixStream, session: &mut H) -> io::Result<()> {
    let (db, name) = (session.db().to_string(), session.name().to_owned());
    ok(call(conn, &["SELECT", &db]))?;
    ok(call(conn, &["CLIENT", "SETNAME", &name]))?;
    session.logged_in();
    Ok(())
}

trait Named {
    fn db(&self) -> u32;
    fn name(&self) -> &str;
    fn logged_in(&mut self);
}

macro_rules! session {
    ($name:ident, $($attr:tt)*) => {
        #[derive(Recoverable)]
        #[recoverable($($attr)*)]
        struct $name {
            db: u32,
            name: String,
            logins: u32,
        }

        impl $name {
            fn new(db: u32, name: &str) -> Self {
                Self { db, name: name.to_owned(), logins: 0 }
            }
        }

        impl Named for $name {
            fn db(&self) -> u32 {
                self.db
            }
            fn name(&self) -> &str {
                &self.name
            }
            fn logged_in(&mut self) {
                self.logins += 1;
            }
        }
    };
}

session!(
    OnConnect,
    strategy = reconnect,
    after = login,
    on_connect,
    connection = UnixStream
);
session!(
    AfterOnly,
    strategy = reconnect,
    after = login,
    connection = UnixStream
);

fn name_of(cover: &mut Cover<UnixStream, impl Recoverable>) -> Option<String> {
    match call(cover, &["CLIENT", "GETNAME"]).unwrap() {
        Resp::Bulk(name) => name.map(|n| String::from_utf8(n).unwrap()),
        other => panic!("{other:?}"),
    }
}

/// The key was set in database `db`, as seen by a plain client.
fn in_db(redis: &RedisServer, db: u32, key: &str) -> Option<Vec<u8>> {
    let mut plain = redis.client().unwrap();
    plain.call(&["SELECT", &db.to_string()]).unwrap();
    match plain.call(&["GET", key]).unwrap() {
        Resp::Bulk(value) => value,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_declared_handshake_runs_on_the_first_connection_and_after_each_restart() {
    require!(Component::Redis);
    let redis = RedisServer::start().unwrap();
    let mut cover = Cover::connect_unix(
        redis.socket(),
        ha_cover::by_handle,
        OnConnect::new(3, "orders"),
    )
    .unwrap();
    assert_eq!(name_of(&mut cover).as_deref(), Some("orders"));
    assert_eq!(
        cover.with_handle(|s| s.logins),
        1,
        "logged in once, at connect"
    );
    ok(call(&mut cover, &["SET", "first", "1"])).unwrap();
    assert_eq!(in_db(&redis, 3, "first").as_deref(), Some(&b"1"[..]));

    redis.supervisor().kill_and_wait(T).unwrap();
    redis.supervisor().wait_ready(T).unwrap();
    assert_eq!(name_of(&mut cover).as_deref(), Some("orders"));
    assert_eq!(cover.with_handle(|s| s.logins), 2);
    assert_eq!(cover.control().stats().recoveries, 1);
}

#[test]
fn without_on_connect_the_first_connection_has_no_handshake() {
    require!(Component::Redis);
    let redis = RedisServer::start().unwrap();
    let mut cover = Cover::connect_unix(
        redis.socket(),
        ha_cover::by_handle,
        AfterOnly::new(3, "orders"),
    )
    .unwrap();
    assert_eq!(
        name_of(&mut cover),
        None,
        "the hook runs on reconnections only"
    );
    assert_eq!(cover.with_handle(|s| s.logins), 0);
}

#[test]
fn the_builder_asks_for_the_handshake_on_the_first_connection() {
    require!(Component::Redis);
    let redis = RedisServer::start().unwrap();
    let mut cover = Cover::builder()
        .on_connect(true)
        .connect_unix(
            redis.socket(),
            ha_cover::by_handle,
            AfterOnly::new(4, "ledger"),
        )
        .unwrap();
    assert_eq!(name_of(&mut cover).as_deref(), Some("ledger"));
    ok(call(&mut cover, &["SET", "k", "v"])).unwrap();
    assert_eq!(in_db(&redis, 4, "k").as_deref(), Some(&b"v"[..]));

    // And a recovery function of the user's own, told it makes the first
    // connection, and told otherwise on a recovery from the server's death.
    let told = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = std::sync::Arc::clone(&told);
    let mut cover = Cover::builder()
        .on_connect(true)
        .connect_unix(
            redis.socket(),
            move |failure: &ha_cover::Failure<'_, UnixStream>, _: &mut ()| {
                record
                    .lock()
                    .unwrap()
                    .push((failure.is_first_connection(), failure.cause().to_string()));
                let mut fresh = failure.reconnect()?;
                ok(call(&mut fresh, &["CLIENT", "SETNAME", "own"]))?;
                Ok(fresh)
            },
            (),
        )
        .unwrap();
    assert_eq!(name_of(&mut cover).as_deref(), Some("own"));
    {
        let told = told.lock().unwrap();
        assert_eq!(told.len(), 1);
        assert!(told[0].0);
        assert_eq!(
            told[0].1, "no failure: the cover's first connection (on_connect)",
            "what a recovery function that logs its cause shows"
        );
    }
    redis.supervisor().kill_and_wait(T).unwrap();
    redis.supervisor().wait_ready(T).unwrap();
    assert_eq!(name_of(&mut cover).as_deref(), Some("own"));
    let told = told.lock().unwrap();
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(!told[1].0, "a recovery is not the first connection");
    assert!(!told[1].1.contains("first connection"), "{told:?}");

    // A handshake that fails fails the constructor.
    let err = Cover::builder()
        .on_connect(true)
        .connect_unix(
            redis.socket(),
            |_: &ha_cover::Failure<'_, UnixStream>, _: &mut ()| {
                Err(ha_cover::AttemptError::give_up(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    "refused",
                )))
            },
            (),
        )
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
}

mod asynchronous {
    use super::*;
    use ha_cover::asynchronous::{AsyncCover, BoxFuture};
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

    async fn call_async(
        conn: &mut (impl tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send),
        args: &[&str],
    ) -> io::Result<String> {
        conn.write_all(&command(args)).await?;
        let mut reader = BufReader::new(conn);
        let mut line = String::new();
        reader.read_line(&mut line).await?;
        if let Some(len) = line
            .strip_prefix('$')
            .map(|n| n.trim().parse::<i64>().unwrap())
        {
            if len < 0 {
                return Ok("(nil)".into());
            }
            let mut data = vec![0; len as usize + 2];
            reader.read_exact(&mut data).await?;
            data.truncate(len as usize);
            return Ok(String::from_utf8(data).unwrap());
        }
        Ok(line.trim_end().to_owned())
    }

    fn login_async<'a>(
        conn: &'a mut tokio::net::UnixStream,
        session: &'a mut Session,
    ) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move {
            let name = session.name.clone();
            assert_eq!(
                call_async(conn, &["CLIENT", "SETNAME", &name]).await?,
                "+OK"
            );
            session.logins += 1;
            Ok(())
        })
    }

    #[derive(Recoverable)]
    #[recoverable(strategy = reconnect, after_async = login_async, on_connect, connection = tokio::net::UnixStream)]
    struct Session {
        name: String,
        logins: u32,
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_declared_async_handshake_runs_on_the_first_connection() {
        require!(Component::Redis);
        let redis = RedisServer::start().unwrap();
        let mut cover = AsyncCover::connect_unix(
            redis.socket(),
            ha_cover::asynchronous::by_handle,
            Session {
                name: "async-orders".into(),
                logins: 0,
            },
        )
        .await
        .unwrap();
        assert_eq!(
            call_async(&mut cover, &["CLIENT", "GETNAME"])
                .await
                .unwrap(),
            "async-orders"
        );
        assert_eq!(cover.with_handle(|s| s.logins).await, 1);
    }
}
