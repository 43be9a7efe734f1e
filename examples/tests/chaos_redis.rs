//! ha-cover against `redis-server` (Debian's, with an fsynced append-only file)
//! killed with SIGKILL and restarted under the client, again and again.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use ha_cover::{AttemptError, Backoff, Builder, Cover, Failure, WriteConnection, WritePolicy};
use ha_cover_world::require;
use ha_cover_world::resp::{RedisClient, Resp};
use ha_cover_world::{Chaos, ChaosConfig, Component, RedisServer};

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
    while chaos.is_running() {
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
    let stats = cover.control().stats();
    eprintln!(
        "redis INCR chaos: {kills} restarts, {acked} acknowledged, {indeterminate} indeterminate, final {fin}, {} recoveries",
        stats.recoveries
    );
    assert!(fin >= acked, "an acknowledged INCR was lost");
    assert!(fin <= acked + indeterminate, "an INCR was applied twice");
    assert_eq!(stats.indeterminate, indeterminate);
    assert!(stats.recoveries > 0);
}

/// Writes `SET key:i value:i` as requests with answers while redis is killed 50
/// times, sending a request again when `resend` says so for its error; then
/// checks that every key written is present. Returns the number of keys and
/// of requests sent again.
fn set_through_chaos(
    redis: &RedisServer,
    cover: &mut Cover<UnixStream>,
    seed: u64,
    resend: impl Fn(&std::io::Error) -> bool,
) -> (u64, u64) {
    let chaos = chaos(redis, 50, seed);
    let (mut written, mut resent) = (0u64, 0u64);
    while chaos.is_running() {
        let (key, value) = (format!("key:{written}"), format!("value:{written}"));
        loop {
            match call(cover, &["SET", &key, &value]) {
                Ok(reply) => {
                    assert_eq!(reply, "+OK");
                    break;
                }
                Err(e) if resend(&e) => resent += 1,
                Err(e) => panic!("{key}: {e}"),
            }
        }
        written += 1;
    }
    let report = chaos.join();
    assert_eq!(report.error, None);
    assert_eq!(report.kills.len(), 50);
    redis.supervisor().wait_ready(T).unwrap();
    let mut check = redis.client().unwrap();
    for i in 0..written {
        assert!(is_set(&mut check, i), "key:{i} was written and is missing");
    }
    (written, resent)
}

/// SET, requests with answers, the `always` policy, 50 restarts: every key
/// written is present afterwards. Here the policy and the client share the
/// work. A request goes out with nothing unanswered before it, so when its
/// write meets a dead server the cover sends it again (under `never` too: the
/// server cannot have seen it). When the answer is what was lost, the cover
/// reports the request indeterminate, and the client, whose protocol
/// `always` declares idempotent, sends it again. The stream tests below show
/// what `always` changes on its own; `replay` does the whole job (next test).
#[test]
fn set_through_50_restarts_under_always_leaves_every_key() {
    require!(Component::Redis);
    let redis = RedisServer::start().unwrap();
    let mut cover = connect(&redis, WritePolicy::Always);
    let (written, resent) = set_through_chaos(&redis, &mut cover, 22, ha_cover::is_indeterminate);
    eprintln!(
        "redis SET chaos under always: {written} keys, {resent} sent again by the client, {} recoveries",
        cover.control().stats().recoveries
    );
    assert!(cover.control().stats().recoveries > 0);
}

/// The same under `replay`: the cover keeps what it sent since the last
/// answer and sends it again on the new connection, so the client never sees
/// an error (under `never` or `always` a lost answer is an error) and every
/// key written is present.
#[test]
fn set_through_50_restarts_under_replay_needs_nothing_from_the_client() {
    require!(Component::Redis);
    let redis = RedisServer::start().unwrap();
    let mut cover = connect(&redis, WritePolicy::Replay);
    let (written, _) = set_through_chaos(&redis, &mut cover, 24, |_| false);
    let stats = cover.control().stats();
    eprintln!(
        "redis SET chaos under replay: {written} keys, {} recoveries",
        stats.recoveries
    );
    assert!(stats.recoveries > 0);
    assert_eq!(stats.indeterminate, 0);
}

/// The session of a fire-and-forget writer: replies are off, and stay off on
/// every new connection.
fn reconnect_without_replies(
    failure: &Failure<'_, UnixStream>,
    handle: &mut (),
) -> Result<UnixStream, AttemptError> {
    let mut fresh = reconnect_when_loaded(failure, handle)?;
    let off = command(&["CLIENT", "REPLY", "OFF"]);
    if WriteConnection::write(&mut fresh, &off)? != off.len() {
        return Err(AttemptError::retry(std::io::Error::other("short write")));
    }
    Ok(fresh)
}

/// What a stream of `SET`s, sent without waiting for answers, went through.
struct SetStream {
    written: u64,
    /// The writes that returned an error, with the error.
    failed: Vec<(u64, std::io::Error)>,
    /// The writes during which the cover recovered.
    recovered_during: Vec<u64>,
    cover: Cover<UnixStream>,
}

/// Writes `SET key:i value:i` for i = 0, 1, ... (each command one write, no
/// reply awaited, the shape of a telemetry or state feed) while redis is killed
/// `kills` times.
fn stream_sets_through_chaos(redis: &RedisServer, policy: WritePolicy, seed: u64) -> SetStream {
    let kills = 50;
    let mut cover = Builder::new()
        .write_policy(policy)
        .backoff(Backoff::exponential(
            Duration::from_micros(500),
            Duration::from_millis(20),
        ))
        .connect_unix(redis.socket(), reconnect_without_replies, ())
        .unwrap();
    cover
        .write_all(&command(&["CLIENT", "REPLY", "OFF"]))
        .unwrap();
    let chaos = chaos(redis, kills, seed);
    let mut stream = SetStream {
        written: 0,
        failed: Vec::new(),
        recovered_during: Vec::new(),
        cover,
    };
    while chaos.is_running() {
        let i = stream.written;
        let recoveries = stream.cover.control().stats().recoveries;
        let set = command(&["SET", &format!("key:{i}"), &format!("value:{i}")]);
        if let Err(e) = stream.cover.write_all(&set) {
            stream.failed.push((i, e));
        }
        if stream.cover.control().stats().recoveries > recoveries {
            stream.recovered_during.push(i);
        }
        stream.written += 1;
    }
    let report = chaos.join();
    assert_eq!(report.error, None);
    redis.supervisor().wait_ready(T).unwrap();
    // The answer to turning replies back on comes after every SET before it was
    // applied.
    let on = call(&mut stream.cover, &["CLIENT", "REPLY", "ON"]).unwrap();
    assert_eq!(on, "+OK");
    stream
}

fn is_set(check: &mut RedisClient<UnixStream>, i: u64) -> bool {
    match check.call(&["GET", &format!("key:{i}")]).unwrap() {
        Resp::Bulk(Some(value)) => value == format!("value:{i}").into_bytes(),
        Resp::Bulk(None) => false,
        other => panic!("key:{i}: {other:?}"),
    }
}

/// Under `always` the write that finds the server dead is sent again on the new
/// connection: no write fails, and the writes during which the cover recovered
/// are in the database. (What the dead server had accepted but not yet applied
/// is given up: that is the policy's bargain, counted here, not asserted.)
#[test]
fn under_always_a_stream_of_sets_through_50_restarts_never_fails_a_write() {
    require!(Component::Redis);
    let redis = RedisServer::start().unwrap();
    let stream = stream_sets_through_chaos(&redis, WritePolicy::Always, 22);
    let failed: Vec<_> = stream
        .failed
        .iter()
        .map(|(i, e)| format!("{i}: {e}"))
        .collect();
    assert!(failed.is_empty(), "writes failed under always: {failed:?}");
    assert!(
        !stream.recovered_during.is_empty(),
        "no write met a dead server"
    );
    let mut check = redis.client().unwrap();
    let resent_stored = stream
        .recovered_during
        .iter()
        .filter(|&&i| is_set(&mut check, i))
        .count();
    // Under `never` these writes are not sent at all (the test below), so none
    // would be stored. A resent SET can still be lost when the new server is
    // killed before its append-only file is synced (the kills come 2 to 20 ms
    // after each restart): that is rare, not the rule.
    let resent = stream.recovered_during.len();
    assert!(
        resent_stored * 2 > resent,
        "only {resent_stored} of the {resent} writes resent across a recovery are stored"
    );
    let last = stream.written - 1;
    assert!(
        is_set(&mut check, last),
        "the last key, key:{last}, is missing"
    );
    let stored = check.call(&["DBSIZE"]).unwrap().as_int().unwrap() as u64;
    let stats = stream.cover.control().stats();
    eprintln!(
        "redis SET stream under always: {} written, {stored} stored, {} recoveries, \
         {resent_stored} of {resent} resent writes stored",
        stream.written, stats.recoveries,
    );
    assert!(stored <= stream.written);
    assert_eq!(stats.indeterminate, 0);
}

/// The same stream under `never`: a write that finds the server dead may follow
/// bytes the server never answered, so it is not sent again and the writer is
/// told, once per such death, that the outcome is unknown.
#[test]
fn under_never_a_stream_of_sets_is_told_each_write_it_could_not_resend() {
    require!(Component::Redis);
    let redis = RedisServer::start().unwrap();
    let stream = stream_sets_through_chaos(&redis, WritePolicy::Never, 23);
    assert!(!stream.failed.is_empty(), "no write met a dead server");
    for (i, e) in &stream.failed {
        assert!(ha_cover::is_indeterminate(e), "write {i}: {e}");
    }
    let stats = stream.cover.control().stats();
    assert_eq!(stats.indeterminate, stream.failed.len() as u64);
    let mut check = redis.client().unwrap();
    for (i, _) in &stream.failed {
        assert!(
            !is_set(&mut check, *i),
            "key:{i} was reported unsent but is stored"
        );
    }
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
    assert_eq!(cover.control().stats().recoveries, 1);
}
