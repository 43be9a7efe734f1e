//! Async covers against servers that are really killed with SIGKILL: a FUSE
//! reader through chaos, dups across tasks, a redis session replayed.

use std::sync::Arc;
use std::time::Duration;

use ha_cover::asynchronous::{AsyncCover, AsyncFailure, BoxFuture};
use ha_cover::{AttemptError, Backoff, WritePolicy};
use ha_cover_world::require;
use ha_cover_world::{Chaos, ChaosConfig, Component, FuseServer, RedisServer, Rng, random_bytes};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;

const T: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_async_reader_streams_64_mib_through_100_kills_of_bindfs() {
    require!(Component::Bindfs);
    let kills = 100;
    let size = 64 << 20;
    let fs = FuseServer::bindfs().unwrap();
    let data = random_bytes(size, 31);
    std::fs::write(fs.backing("data"), &data).unwrap();
    let server = fs.supervisor().handle();
    let mut cover = ha_cover::asynchronous::AsyncCover::builder()
        .backoff(Backoff::exponential(
            Duration::from_micros(500),
            Duration::from_millis(20),
        ))
        .open(fs.path("data"), ha_cover::asynchronous::reopen_seek, ())
        .await
        .unwrap();
    let chaos = Chaos::start(
        server.clone(),
        ChaosConfig {
            seed: 31,
            kills,
            min_interval: Duration::from_millis(2),
            max_interval: Duration::from_millis(20),
            ready_timeout: T,
        },
    );
    let mut got = Vec::with_capacity(size);
    let mut buf = vec![0; 64 * 1024];
    loop {
        // Kept behind the kills, so they land all along the stream.
        while chaos.is_running()
            && got.len() as f64 / size as f64 > (server.deaths() + 1) as f64 / kills as f64
        {
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        match cover.read(&mut buf).await.unwrap() {
            0 => break,
            n => got.extend_from_slice(&buf[..n]),
        }
    }
    let report = tokio::task::spawn_blocking(move || chaos.join())
        .await
        .unwrap();
    assert_eq!(report.error, None);
    assert_eq!(report.kills.len(), kills);
    assert_eq!(got.len(), size, "nothing lost, nothing repeated");
    assert!(got == data, "the bytes read differ from the file");
    let stats = cover.control().stats();
    eprintln!(
        "async bindfs reader: {kills} kills, {} recoveries",
        stats.recoveries
    );
    assert!((1..=kills as u64).contains(&stats.recoveries), "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_tasks_on_dups_make_exactly_one_recovery_per_real_death() {
    require!(Component::Fuse);
    let deaths = 5;
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(4 << 20, 32);
    std::fs::write(fs.backing("shared"), &data).unwrap();
    let cover = AsyncCover::open(fs.path("shared"), ha_cover::asynchronous::reopen, ())
        .await
        .unwrap();
    let start = Arc::new(tokio::sync::Barrier::new(9));
    let end = Arc::new(tokio::sync::Barrier::new(9));
    let mut tasks = Vec::new();
    for t in 0..8u64 {
        let mut member = cover.dup().unwrap();
        let (start, end, data) = (start.clone(), end.clone(), data.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = Rng::new(t);
            let mut buf = vec![0; 16 * 1024];
            for _ in 0..=deaths {
                start.wait().await;
                for _ in 0..8 {
                    let offset = rng.between(0, (data.len() - buf.len()) as u64);
                    member.read_exact_at(&mut buf, offset).await.unwrap();
                    assert!(buf[..] == data[offset as usize..offset as usize + buf.len()]);
                }
                end.wait().await;
            }
        }));
    }
    let server = fs.supervisor().handle();
    for death in 0..=deaths {
        start.wait().await;
        end.wait().await;
        if death < deaths {
            let server = server.clone();
            tokio::task::spawn_blocking(move || server.kill_and_wait(T))
                .await
                .unwrap()
                .unwrap();
        }
    }
    for task in tasks {
        tokio::time::timeout(Duration::from_secs(60), task)
            .await
            .expect("a task did not finish")
            .unwrap();
    }
    let stats = cover.control().stats();
    assert_eq!(
        stats.recoveries, deaths,
        "one recovery per death: {stats:?}"
    );
    assert_eq!(stats.failures, deaths);
}

fn command(args: &[&str]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        out.extend_from_slice(format!("${}\r\n{arg}\r\n", arg.len()).as_bytes());
    }
    out
}

async fn read_reply(conn: &mut (impl AsyncRead + Unpin)) -> std::io::Result<String> {
    let mut line = Vec::new();
    while !line.ends_with(b"\r\n") {
        line.push(conn.read_u8().await?);
    }
    line.truncate(line.len() - 2);
    let line = String::from_utf8(line).unwrap();
    match line.strip_prefix('$').and_then(|n| n.parse::<i64>().ok()) {
        Some(len) if len >= 0 => Box::pin(read_reply(conn)).await,
        Some(_) => Ok("(nil)".into()),
        None => Ok(line),
    }
}

#[derive(Default)]
struct Session {
    db: Option<u32>,
    name: Option<String>,
}

impl ha_cover::Recoverable for Session {
    const OBSERVES_TRANSFERS: bool = false;
}

/// Reconnects, waits out redis's loading, replays the session.
fn renegotiate<'a>(
    failure: &'a AsyncFailure<'a, UnixStream>,
    session: &'a mut Session,
) -> BoxFuture<'a, Result<UnixStream, AttemptError>> {
    Box::pin(async move {
        let mut conn = failure.reconnect().await?;
        let mut expect = async |args: &[&str], reply: &str| -> Result<(), AttemptError> {
            conn.write_all(&command(args)).await?;
            match read_reply(&mut conn).await? {
                got if got == reply => Ok(()),
                got => Err(AttemptError::retry(std::io::Error::other(format!(
                    "{}: {got}",
                    args[0]
                )))),
            }
        };
        expect(&["PING"], "+PONG").await?;
        if let Some(db) = session.db {
            expect(&["SELECT", &db.to_string()], "+OK").await?;
        }
        if let Some(name) = &session.name {
            expect(&["CLIENT", "SETNAME", name], "+OK").await?;
        }
        Ok(conn)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_session_is_replayed_after_each_restart() {
    require!(Component::Redis);
    let redis = RedisServer::start().unwrap();
    let mut client = ha_cover::asynchronous::AsyncCover::builder()
        .write_policy(WritePolicy::Replay)
        .connect_unix(redis.socket(), renegotiate, Session::default())
        .await
        .unwrap();
    async fn call(
        client: &mut AsyncCover<UnixStream, Session>,
        args: &[&str],
    ) -> std::io::Result<String> {
        client.write_all(&command(args)).await?;
        read_reply(client).await
    }
    call(&mut client, &["SELECT", "5"]).await.unwrap();
    client.with_handle(|h| h.db = Some(5)).await;
    call(&mut client, &["CLIENT", "SETNAME", "async-1"])
        .await
        .unwrap();
    client
        .with_handle(|h| h.name = Some("async-1".into()))
        .await;
    for round in 0..5 {
        assert_eq!(
            call(&mut client, &["SET", "round", &round.to_string()])
                .await
                .unwrap(),
            "+OK"
        );
        let sup = redis.supervisor().handle();
        tokio::task::spawn_blocking(move || sup.kill_and_wait(T))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            call(&mut client, &["GET", "round"]).await.unwrap(),
            round.to_string(),
            "db 5 again after restart {round}"
        );
        assert_eq!(
            call(&mut client, &["CLIENT", "GETNAME"]).await.unwrap(),
            "async-1"
        );
    }
    assert_eq!(client.control().stats().recoveries, 5);
}
