//! ha-cover against `redis-server` (Debian's, with an fsynced append-only file)
//! killed with SIGKILL and restarted under the client, again and again.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use ha_cover::{AttemptError, Backoff, Builder, Cover, Failure, WriteConnection, WritePolicy};
use ha_cover_examples::require;
use ha_cover_examples::world::resp::Resp;
use ha_cover_examples::world::{Chaos, ChaosConfig, Component, RedisServer};

const T: Duration = Duration::from_secs(10);

fn command(args: &[&str]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        out.extend_from_slice(format!("${}\r\n{arg}\r\n", arg.len()).as_bytes());
    }
    out
}

fn read_line(conn: &mut impl Read) -> std::io::Result<String> {
    let mut line = Vec::new();
    let mut byte = [0];
    while !line.ends_with(b"\r\n") {
        if conn.read(&mut byte)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        line.push(byte[0]);
    }
    line.truncate(line.len() - 2);
    Ok(String::from_utf8(line).unwrap())
}

/// Reads one reply: a status, error or integer line as it is, a bulk string as
/// its contents.
fn read_reply(conn: &mut impl Read) -> std::io::Result<String> {
    let line = read_line(conn)?;
    match line.strip_prefix('$').map(str::parse::<i64>) {
        Some(Ok(len)) if len >= 0 => read_line(conn),
        _ => Ok(line),
    }
}

fn call(cover: &mut Cover<UnixStream>, args: &[&str]) -> std::io::Result<String> {
    cover.write_all(&command(args))?;
    read_reply(cover)
}

/// Reconnects, then waits for redis to have loaded its data: a restarted redis
/// accepts connections at once but answers `-LOADING` until its append-only
/// file is read back. Until then the attempt fails and the backoff applies.
fn reconnect_when_loaded(
    failure: &Failure<'_, UnixStream>,
    _: &mut (),
) -> Result<UnixStream, AttemptError> {
    let mut fresh = failure.reconnect()?;
    WriteConnection::write(&mut fresh, &command(&["PING"]))?;
    match read_reply(&mut fresh)?.as_str() {
        "+PONG" => Ok(fresh),
        other => Err(AttemptError::retry(std::io::Error::other(format!(
            "redis is not ready: {other}"
        )))),
    }
}

fn connect(redis: &RedisServer, policy: WritePolicy) -> Cover<UnixStream> {
    Builder::new()
        .write_policy(policy)
        .backoff(Backoff::exponential(
            Duration::from_micros(500),
            Duration::from_millis(20),
        ))
        .connect_unix(redis.socket(), reconnect_when_loaded, ())
        .unwrap()
}

fn chaos(redis: &RedisServer, kills: usize, seed: u64) -> Chaos {
    Chaos::start(
        redis.supervisor().handle(),
        ChaosConfig {
            seed,
            kills,
            min_interval: Duration::from_millis(2),
            max_interval: Duration::from_millis(20),
            ready_timeout: T,
        },
    )
}

#[test]
fn incr_through_50_restarts_never_counts_an_increment_twice() {
    require!(Component::Redis);
    let kills = 50;
    let redis = RedisServer::start().unwrap();
    let mut cover = connect(&redis, WritePolicy::Never);
    let chaos = chaos(&redis, kills, 21);
    let (mut acked, mut indeterminate, mut last) = (0u64, 0u64, 0i64);
    while redis.supervisor().deaths() < kills as u64 {
        match call(&mut cover, &["INCR", "counter"]) {
            Ok(reply) => {
                let value: i64 = reply
                    .strip_prefix(':')
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| panic!("{reply}"));
                assert!(value > last, "the counter went from {last} to {value}");
                last = value;
                acked += 1;
            }
            Err(e) if ha_cover::is_indeterminate(&e) => indeterminate += 1,
            Err(e) => panic!("after {acked} acknowledged INCRs: {e}"),
        }
    }
    let report = chaos.join();
    assert_eq!(report.error, None);
    redis.supervisor().wait_ready(T).unwrap();
    let fin = redis.client().unwrap().call(&["GET", "counter"]).unwrap();
    let Resp::Bulk(Some(bytes)) = fin else {
        panic!("{fin:?}")
    };
    let fin: u64 = String::from_utf8(bytes).unwrap().parse().unwrap();
    let stats = cover.stats();
    eprintln!(
        "redis INCR chaos: {kills} restarts, {acked} acknowledged, {indeterminate} indeterminate, final {fin}, {} recoveries",
        stats.recoveries
    );
    assert!(fin >= acked, "an acknowledged INCR was lost");
    assert!(fin <= acked + indeterminate, "an INCR was applied twice");
    assert_eq!(stats.indeterminate, indeterminate);
    assert!(stats.recoveries > 0);
}

#[test]
fn set_through_50_restarts_under_always_leaves_every_key() {
    require!(Component::Redis);
    let kills = 50;
    let redis = RedisServer::start().unwrap();
    let mut cover = connect(&redis, WritePolicy::Always);
    let chaos = chaos(&redis, kills, 22);
    let mut written = 0;
    let mut retried = 0;
    while redis.supervisor().deaths() < kills as u64 {
        let (key, value) = (format!("key:{written}"), format!("value:{written}"));
        loop {
            match call(&mut cover, &["SET", &key, &value]) {
                Ok(reply) => {
                    assert_eq!(reply, "+OK");
                    break;
                }
                // SET is idempotent: the client sends it again itself.
                Err(e) if ha_cover::is_indeterminate(&e) => retried += 1,
                Err(e) => panic!("{key}: {e}"),
            }
        }
        written += 1;
    }
    let report = chaos.join();
    assert_eq!(report.error, None);
    redis.supervisor().wait_ready(T).unwrap();
    let mut check = redis.client().unwrap();
    for i in 0..written {
        let got = check.call(&["GET", &format!("key:{i}")]).unwrap();
        assert_eq!(
            got,
            Resp::Bulk(Some(format!("value:{i}").into_bytes())),
            "key:{i}"
        );
    }
    eprintln!(
        "redis SET chaos: {kills} restarts, {written} keys, {retried} retried by the client, {} recoveries",
        cover.stats().recoveries
    );
}

#[test]
fn replay_resends_a_lost_request_after_a_restart() {
    require!(Component::Redis);
    let redis = RedisServer::start().unwrap();
    let mut cover = connect(&redis, WritePolicy::Replay);
    assert_eq!(call(&mut cover, &["SET", "k", "1"]).unwrap(), "+OK");
    // The request goes out, the server dies before answering: replay sends it
    // again on the new connection and the read gets that answer.
    redis.supervisor().set_auto_restart(false);
    cover.write_all(&command(&["INCR", "k"])).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let deaths = redis.supervisor().deaths();
    redis.supervisor().kill();
    redis.supervisor().wait_deaths(deaths + 1, T).unwrap();
    redis.supervisor().restart();
    let reply = read_reply(&mut cover).unwrap();
    // INCR was applied once before the death (AOF, fsynced) and once by the
    // replay, or only by the replay: at least once, as the policy promises.
    assert!(reply == ":2" || reply == ":3", "{reply}");
    assert_eq!(call(&mut cover, &["GET", "k"]).unwrap(), reply[1..]);
    assert_eq!(cover.stats().recoveries, 1);
}
