//! The world's redis dies and comes back with its data.

use std::time::Duration;

use ha_cover_world::require;
use ha_cover_world::resp::Resp;
use ha_cover_world::{Component, RedisServer};

const T: Duration = Duration::from_secs(10);

#[test]
fn redis_restarts_with_its_data() {
    require!(Component::Redis);
    let redis = RedisServer::start().expect("start redis");
    let sup = redis.supervisor();
    let mut old = redis.client().unwrap();
    assert_eq!(old.call(&["INCR", "k"]).unwrap(), Resp::Integer(1));
    assert_eq!(old.call(&["INCR", "k"]).unwrap(), Resp::Integer(2));

    sup.kill().unwrap();
    sup.wait_deaths(1, T).unwrap();
    let err = old.call(&["GET", "k"]).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::BrokenPipe
        ),
        "the old connection is dead: {err}"
    );

    sup.wait_restarts(1, T).unwrap();
    let mut fresh = redis.client().unwrap();
    assert_eq!(fresh.call(&["GET", "k"]).unwrap().as_int(), Some(2));
    assert_eq!(fresh.call(&["INCR", "k"]).unwrap(), Resp::Integer(3));
}

#[test]
fn redis_over_tcp_refuses_while_down() {
    require!(Component::Redis);
    let redis = RedisServer::start_tcp().expect("start redis");
    let sup = redis.supervisor();
    let mut client = redis.tcp_client().unwrap();
    assert_eq!(
        client.call(&["SET", "a", "b"]).unwrap(),
        Resp::Simple("OK".into())
    );
    sup.set_auto_restart(false);
    sup.kill().unwrap();
    sup.wait_deaths(1, T).unwrap();
    let err = redis.tcp_client().unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ECONNREFUSED), "{err}");
    sup.restart();
    sup.wait_restarts(1, T).unwrap();
    let mut client = redis.tcp_client().unwrap();
    assert_eq!(
        client.call(&["GET", "a"]).unwrap(),
        Resp::Bulk(Some(b"b".to_vec()))
    );
}
