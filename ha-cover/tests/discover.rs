//! Discovery: recovery that asks where the server went. Nodes of a replicated
//! line service die for good and another is promoted elsewhere; the cover asks
//! a registry (standing in for Sentinel, DNS SRV, etcd...) and goes there.

mod common;

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};

use common::echo::read_line;
use common::node::Node;
use ha_cover::{
    AttemptError, Backoff, Builder, Cover, Lookup, Peer, ReconnectTarget, Recoverable,
    WriteConnection, WritePolicy,
};

/// Where the registry says the service is, in the order to try.
type Registry = Arc<Mutex<Vec<SocketAddr>>>;

fn registry(addrs: &[SocketAddr]) -> Registry {
    Arc::new(Mutex::new(addrs.to_vec()))
}

fn set(registry: &Registry, addrs: &[SocketAddr]) {
    *registry.lock().unwrap() = addrs.to_vec();
}

fn tcp(addr: SocketAddr) -> String {
    Peer::Tcp(addr).to_string()
}

#[derive(Recoverable)]
#[recoverable(strategy = reconnect, discover = ask, after = only_the_primary)]
struct Session {
    #[ha(addr)]
    primary: Option<SocketAddr>,
    #[ha(recoveries)]
    failovers: u32,
    registry: Registry,
    /// What each lookup said was current.
    asked: Vec<Option<String>>,
    /// The roles the hook turned down.
    refused: Vec<String>,
}

fn ask(lookup: &Lookup<'_>, session: &mut Session) -> io::Result<Vec<SocketAddr>> {
    session
        .asked
        .push(lookup.current().map(ToString::to_string));
    Ok(session.registry.lock().unwrap().clone())
}

/// A replica answers too, and must not be taken for the primary.
fn only_the_primary<C: ReconnectTarget>(
    conn: &mut C,
    session: &mut Session,
) -> Result<(), AttemptError> {
    let mut request: &[u8] = b"ROLE\n";
    while !request.is_empty() {
        request = &request[WriteConnection::write(conn, request)?..];
    }
    match read_line(conn)?.as_str() {
        "primary" => Ok(()),
        role => {
            session.refused.push(role.to_owned());
            Err(io::Error::other(format!("a {role}, not the primary")).into())
        }
    }
}

fn call(cover: &mut Cover<TcpStream, impl Recoverable>, line: &str) -> String {
    cover.write_all(format!("{line}\n").as_bytes()).unwrap();
    read_line(cover).unwrap()
}

#[test]
fn a_declared_discovery_leads_the_cover_to_the_new_primary_and_keeps_its_address() {
    let (a, b, c) = (
        Node::start("a", true),
        Node::start("b", false),
        Node::start("c", false),
    );
    let registry = registry(&[a.addr]);
    let session = Session {
        primary: Some(a.addr),
        failovers: 0,
        registry: Arc::clone(&registry),
        asked: Vec::new(),
        refused: Vec::new(),
    };
    // Echo lines are idempotent: the line that met the dead node is sent again.
    let mut cover = Builder::new()
        .backoff(Backoff::none())
        .write_policy(WritePolicy::Replay)
        .connect_tcp(a.addr, ha_cover::by_handle, session)
        .unwrap();
    assert_eq!(call(&mut cover, "one"), "a one");

    a.kill();
    c.promote();
    // The registry lags: it still names the dead node first, and a replica.
    set(&registry, &[a.addr, b.addr, c.addr]);
    assert_eq!(call(&mut cover, "two"), "c two");
    cover.with_handle(|session| {
        assert_eq!(session.primary, Some(c.addr), "the address reached is kept");
        assert_eq!(session.failovers, 1);
        assert_eq!(session.asked, [Some(tcp(a.addr))]);
        assert_eq!(session.refused, ["replica"], "b answered as a replica");
    });

    c.kill();
    b.promote();
    set(&registry, &[b.addr]);
    assert_eq!(call(&mut cover, "three"), "b three");
    cover.with_handle(|session| {
        assert_eq!(session.primary, Some(b.addr));
        assert_eq!(
            session.asked,
            [Some(tcp(a.addr)), Some(tcp(c.addr))],
            "the second lookup knew the cover had moved to c"
        );
    });
    assert_eq!(cover.control().stats().recoveries, 2);
}

#[test]
fn without_the_discovery_the_same_handle_stays_on_the_dead_node() {
    // The control: `reconnect` alone goes back to where the socket was.
    #[derive(Recoverable)]
    #[recoverable(strategy = reconnect)]
    struct Plain {
        #[ha(addr)]
        primary: Option<SocketAddr>,
    }
    let (a, b) = (Node::start("a", true), Node::start("b", false));
    let mut cover = Builder::new()
        .backoff(Backoff::none())
        .attempts(3)
        .write_policy(WritePolicy::Replay)
        .connect_tcp(a.addr, ha_cover::by_handle, Plain { primary: None })
        .unwrap();
    assert_eq!(call(&mut cover, "one"), "a one");
    a.kill();
    b.promote();
    cover.write_all(b"two\n").unwrap();
    let err = read_line(&mut cover).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset
        ),
        "{err}"
    );
    assert_eq!(cover.control().stats().recoveries, 0);
}

#[test]
fn a_builder_discovery_leads_any_recovery_function_and_remembers_where_it_went() {
    let (a, b, c) = (
        Node::start("a", true),
        Node::start("b", true),
        Node::start("c", true),
    );
    let registry = registry(&[a.addr]);
    let asked = Arc::new(Mutex::new(Vec::new()));
    let (found, seen) = (Arc::clone(&registry), Arc::clone(&asked));
    let mut cover = Builder::new()
        .backoff(Backoff::none())
        .write_policy(WritePolicy::Replay)
        .discover(move |lookup: &Lookup<'_>| {
            seen.lock()
                .unwrap()
                .push(lookup.current().map(ToString::to_string));
            Ok::<_, io::Error>(found.lock().unwrap().clone())
        })
        .connect_tcp(a.addr, ha_cover::reconnect, ())
        .unwrap();
    assert_eq!(call(&mut cover, "one"), "a one");

    a.kill();
    set(&registry, &[a.addr, b.addr]); // the dead one refuses; b takes it
    assert_eq!(call(&mut cover, "two"), "b two");
    b.kill();
    set(&registry, &[c.addr]);
    assert_eq!(call(&mut cover, "three"), "c three");
    assert_eq!(
        *asked.lock().unwrap(),
        [Some(tcp(a.addr)), Some(tcp(b.addr))]
    );
    assert_eq!(cover.control().stats().recoveries, 2);
}

#[test]
fn a_discovery_that_knows_nothing_yet_is_asked_again() {
    let (a, b) = (Node::start("a", true), Node::start("b", true));
    let lookups = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&lookups);
    let b_addr = b.addr;
    let mut cover = Builder::new()
        .backoff(Backoff::none())
        .write_policy(WritePolicy::Replay)
        .discover(move |_: &Lookup<'_>| {
            let mut n = counted.lock().unwrap();
            *n += 1;
            // The engine has no primary for the first two attempts.
            Ok::<_, io::Error>((*n > 2).then_some(b_addr))
        })
        .connect_tcp(a.addr, ha_cover::reconnect, ())
        .unwrap();
    a.kill();
    assert_eq!(call(&mut cover, "one"), "b one");
    assert_eq!(*lookups.lock().unwrap(), 3);
    let stats = cover.control().stats();
    assert_eq!((stats.attempts, stats.recoveries), (3, 1));
}

#[test]
fn a_discovery_that_gives_up_ends_the_recovery_with_the_original_error() {
    let a = Node::start("a", true);
    let mut cover = Builder::new()
        .backoff(Backoff::none())
        .discover(|_: &Lookup<'_>| {
            Err::<Peer, _>(AttemptError::give_up(io::Error::other("no such service")))
        })
        .connect_tcp(a.addr, ha_cover::reconnect, ())
        .unwrap();
    a.kill();
    let mut buf = [0; 8];
    // What a plain socket would have read: the end of the stream.
    assert_eq!(io::Read::read(&mut cover, &mut buf).unwrap(), 0);
    let stats = cover.control().stats();
    assert_eq!((stats.attempts, stats.gave_up), (1, 1));
    let reason = stats.last_give_up.unwrap().to_string();
    // The message says the discovery's own reason, not only that it gave up.
    assert_eq!(
        reason, "the recovery function gave up: no such service",
        "{reason}"
    );
}

#[test]
fn a_builder_discovery_is_refused_where_it_cannot_apply() {
    let scratch = common::scratch_file(b"x");
    let nowhere = |_: &Lookup<'_>| Ok::<_, io::Error>(None::<Peer>);
    let err = Builder::new()
        .discover(nowhere)
        .open(&scratch.path, ha_cover::reopen, ())
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("this cover is a file"), "{err}");

    // A sync discovery on an async builder (or the other way round) is a
    // type error: each builder's `discover` takes its own kind.
}

mod asynchronous {
    use super::*;
    use ha_cover::asynchronous::{
        AsyncCover, AsyncDiscover, AsyncReconnectTarget, BoxFuture, Uncovered,
    };
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    #[derive(Recoverable)]
    #[recoverable(
        strategy = reconnect,
        discover_async = ask,
        after_async = only_the_primary
    )]
    struct Session {
        #[ha(addr)]
        primary: Option<Peer>,
        registry: Registry,
        asked: Vec<Option<String>>,
    }

    async fn ask(lookup: &Lookup<'_>, session: &mut Session) -> io::Result<Vec<SocketAddr>> {
        session
            .asked
            .push(lookup.current().map(ToString::to_string));
        tokio::task::yield_now().await;
        Ok(session.registry.lock().unwrap().clone())
    }

    async fn only_the_primary<C: AsyncReconnectTarget>(
        conn: &mut C,
        _: &mut Session,
    ) -> io::Result<()> {
        let mut conn = Uncovered::new(conn);
        conn.write_all(b"ROLE\n").await?;
        let mut role = String::new();
        // One byte at a time: nothing past the answer may be taken from the stream.
        let mut byte = [0];
        while !role.ends_with('\n') {
            if tokio::io::AsyncReadExt::read(&mut conn, &mut byte).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            role.push(byte[0] as char);
        }
        match role.trim_end() {
            "primary" => Ok(()),
            role => Err(io::Error::other(format!("a {role}, not the primary"))),
        }
    }

    async fn call<H: Recoverable>(
        cover: &mut AsyncCover<tokio::net::TcpStream, H>,
        line: &str,
    ) -> String {
        cover
            .write_all(format!("{line}\n").as_bytes())
            .await
            .unwrap();
        let mut reader = BufReader::with_capacity(1, cover);
        let mut answer = String::new();
        reader.read_line(&mut answer).await.unwrap();
        answer.trim_end().to_owned()
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_declared_async_discovery_leads_the_cover_to_the_new_primary() {
        let (a, b, c) = (
            Node::start("a", true),
            Node::start("b", false),
            Node::start("c", false),
        );
        let registry = registry(&[a.addr]);
        let session = Session {
            primary: None,
            registry: Arc::clone(&registry),
            asked: Vec::new(),
        };
        let mut cover = ha_cover::asynchronous::AsyncCover::builder()
            .backoff(Backoff::none())
            .write_policy(WritePolicy::Replay)
            .connect_tcp(a.addr, ha_cover::asynchronous::by_handle, session)
            .await
            .unwrap();
        assert_eq!(call(&mut cover, "one").await, "a one");
        a.kill();
        c.promote();
        set(&registry, &[a.addr, b.addr, c.addr]);
        assert_eq!(call(&mut cover, "two").await, "c two");
        let (primary, asked) = cover
            .with_handle(|s| (s.primary.as_ref().map(ToString::to_string), s.asked.clone()))
            .await;
        assert_eq!(primary, Some(tcp(c.addr)));
        assert_eq!(
            asked,
            [Some(tcp(a.addr))],
            "the origin, the field being empty"
        );
        assert_eq!(cover.control().stats().recoveries, 1);
        drop(b);
    }

    /// A registry as an engine of its own, as Sentinel's client would be.
    struct Engine(Registry);

    impl AsyncDiscover for Engine {
        fn discover<'a>(
            &'a mut self,
            _: &'a Lookup<'a>,
        ) -> BoxFuture<'a, Result<Vec<Peer>, AttemptError>> {
            Box::pin(async move {
                let addrs = self.0.lock().unwrap().clone();
                Ok(addrs.into_iter().map(Peer::Tcp).collect())
            })
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_async_builder_discovery_leads_any_recovery_function() {
        let (a, b) = (Node::start("a", true), Node::start("b", true));
        let registry = registry(&[a.addr]);
        let mut cover = ha_cover::asynchronous::AsyncCover::builder()
            .backoff(Backoff::none())
            .write_policy(WritePolicy::Replay)
            .discover(Engine(Arc::clone(&registry)))
            .connect_tcp(a.addr, ha_cover::asynchronous::reconnect, ())
            .await
            .unwrap();
        assert_eq!(call(&mut cover, "one").await, "a one");
        a.kill();
        set(&registry, &[a.addr, b.addr]);
        assert_eq!(call(&mut cover, "two").await, "b two");
        assert_eq!(cover.control().stats().recoveries, 1);
    }
}
