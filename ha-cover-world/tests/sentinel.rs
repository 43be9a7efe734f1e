//! The world's Sentinel group fails over for real: the primary is SIGKILLed,
//! the sentinels promote a replica and announce it, and the old primary comes
//! back as a replica of the new one.

use std::time::Duration;

use ha_cover_world::redis_node::call;
use ha_cover_world::require;
use ha_cover_world::resp::Resp;
use ha_cover_world::sentinel::primary_by;
use ha_cover_world::{Component, SentinelCluster};

const T: Duration = Duration::from_secs(30);

fn sentinel() -> Component {
    Component::Program {
        name: "redis-sentinel",
        package: "redis-sentinel",
    }
}

#[test]
fn the_sentinels_promote_a_replica_and_the_old_primary_rejoins_as_one() {
    require!(Component::Redis, sentinel());
    let cluster = SentinelCluster::start().expect("start the group");
    let first = cluster.primary();
    assert_eq!(cluster.nodes()[0], first);
    assert_eq!(
        call(first, &["SET", "k", "v"]).unwrap(),
        Resp::Simple("OK".into())
    );

    for round in 1..=2 {
        let before = cluster.primary();
        let failover = cluster.fail_over(T).expect("fail over");
        assert_eq!(failover.from, before);
        assert_ne!(failover.to, before, "a replica was promoted");
        assert!(failover.killed < failover.announced);
        println!(
            "failover {round}: {} -> {} announced {:?} after the kill, settled {:?} later",
            failover.from,
            failover.to,
            failover.sentinel_time(),
            failover.settled - failover.announced
        );
        let (old, new) = (
            cluster.node(failover.from).unwrap(),
            cluster.node(failover.to).unwrap(),
        );
        assert_eq!(new.role().unwrap(), "master");
        assert_eq!(
            old.role().unwrap(),
            "slave",
            "the old primary rejoined as a replica"
        );
        let refused = call(failover.from, &["SET", "k", "w"]).unwrap();
        assert!(
            matches!(&refused, Resp::Error(e) if e.starts_with("READONLY")),
            "{refused:?}"
        );
        for sentinel in cluster.sentinels() {
            assert_eq!(primary_by(sentinel).unwrap(), failover.to);
        }
        assert_eq!(
            call(failover.to, &["GET", "k"]).unwrap(),
            Resp::Bulk(Some(b"v".to_vec())),
            "the data replicated before the kill is there"
        );
    }
    assert_eq!(cluster.failovers().len(), 2);
}
