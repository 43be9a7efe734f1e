//! The async covers beside raw tokio streams and beside stubborn-io, side by
//! side in one run: `cargo bench -p ha-cover-examples --bench async_report`
//! (`-- --quick` for a shorter run). One line per figure, as `bench-report`.
//!
//! The servers here run in-process on loopback TCP: a server "dies" by closing
//! its listener and every connection (what the kernel does for a killed
//! process), and comes back on the same port after an outage.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ha_cover::Backoff;
use ha_cover::asynchronous::AsyncCover;
use ha_cover_examples::bench::measure::{median, percentile};
use stubborn_io::{ReconnectOptions, StubbornTcpStream};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// A server on one port that can be killed and brought back.
struct Server {
    addr: SocketAddr,
    running: Mutex<Option<JoinSet<()>>>,
    /// When the latest incarnation started listening.
    ready: Mutex<Instant>,
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    /// Answers each 64-byte message with itself.
    Echo,
    /// Sends `n` bytes for each 8-byte request holding `n`.
    Source,
    /// Greets each connection with `HELLO\n`, then stays silent.
    Greeter,
}

impl Server {
    async fn start(kind: Kind) -> Arc<Self> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = Arc::new(Self {
            addr,
            running: Mutex::new(None),
            ready: Mutex::new(Instant::now()),
            kind,
        });
        server.serve(listener);
        server
    }

    /// Serves on a runtime of its own, on its own thread, so that the clients'
    /// runtime measures the clients alone.
    fn serve(&self, listener: std::net::TcpListener) {
        static SERVERS: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
        let runtime = SERVERS.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap()
        });
        listener.set_nonblocking(true).unwrap();
        let kind = self.kind;
        let mut set = JoinSet::new();
        set.spawn_on(
            async move {
                let listener = TcpListener::from_std(listener).unwrap();
                let mut connections = JoinSet::new();
                while let Ok((stream, _)) = listener.accept().await {
                    stream.set_nodelay(true).unwrap();
                    connections.spawn(handle(kind, stream));
                }
            },
            runtime.handle(),
        );
        *self.ready.lock().unwrap() = Instant::now();
        *self.running.lock().unwrap() = Some(set);
    }

    /// Closes the listener and every connection at once.
    fn kill(&self) {
        self.running.lock().unwrap().take();
    }

    async fn restart(&self) {
        let listener = std::net::TcpListener::bind(self.addr).unwrap();
        self.serve(listener);
    }
}

async fn handle(kind: Kind, mut stream: TcpStream) {
    match kind {
        Kind::Echo => {
            let mut buf = [0; 64];
            while stream.read_exact(&mut buf).await.is_ok() {
                if stream.write_all(&buf).await.is_err() {
                    return;
                }
            }
        }
        Kind::Source => {
            let chunk = vec![7u8; 64 * 1024];
            while let Ok(mut n) = stream.read_u64().await {
                while n > 0 {
                    let take = n.min(chunk.len() as u64) as usize;
                    if stream.write_all(&chunk[..take]).await.is_err() {
                        return;
                    }
                    n -= take as u64;
                }
            }
        }
        Kind::Greeter => {
            if stream.write_all(b"HELLO\n").await.is_ok() {
                let mut sink = [0; 64];
                while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
            }
        }
    }
}

async fn ping_pong(conn: &mut (impl AsyncRead + AsyncWrite + Unpin), trips: u64) -> u64 {
    let mut buf = [1u8; 64];
    for _ in 0..trips {
        conn.write_all(&buf).await.unwrap();
        conn.read_exact(&mut buf).await.unwrap();
    }
    trips
}

async fn download(conn: &mut (impl AsyncRead + AsyncWrite + Unpin), bytes: u64) -> u64 {
    conn.write_u64(bytes).await.unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let mut left = bytes;
    while left > 0 {
        let n = conn
            .read(&mut buf[..(left as usize).min(64 * 1024)])
            .await
            .unwrap();
        assert!(n > 0);
        left -= n as u64;
    }
    bytes / 4096
}

/// Medians of each contender's times, and the median of the per-round ratios
/// with its interquartile range: the three run back to back in each round, so
/// a ratio within one round cancels what the machine did between rounds.
fn report(name: &str, ours: &str, times: &[Vec<f64>], who: usize) {
    let (raw, theirs) = (&times[0], &times[who]);
    let mut ratios: Vec<f64> = theirs.iter().zip(raw).map(|(t, r)| t / r).collect();
    let (low, high) = (percentile(&mut ratios, 25.0), percentile(&mut ratios, 75.0));
    println!(
        "{name} {ours}={:.1}ns baseline={:.1}ns ratio={:.3} iqr={low:.3}..{high:.3} rounds={}",
        median(&mut theirs.clone()),
        median(&mut raw.clone()),
        median(&mut ratios),
        ratios.len(),
    );
}

async fn stubborn(addr: SocketAddr, retries: Option<Duration>) -> StubbornTcpStream<SocketAddr> {
    let options = match retries {
        Some(every) => {
            ReconnectOptions::new().with_retries_generator(move || std::iter::repeat(every))
        }
        None => ReconnectOptions::new(),
    };
    let stream = StubbornTcpStream::connect_with_options(addr, options)
        .await
        .unwrap();
    stream.set_nodelay(true).unwrap();
    stream
}

async fn overhead(rounds_each: usize) {
    let echo = Server::start(Kind::Echo).await;
    let mut raw = TcpStream::connect(echo.addr).await.unwrap();
    raw.set_nodelay(true).unwrap();
    let mut ours = AsyncCover::connect_tcp(echo.addr, ha_cover::asynchronous::reconnect, ())
        .await
        .unwrap();
    ours.get_ref().set_nodelay(true).unwrap();
    let mut theirs = stubborn(echo.addr, None).await;
    let trips = 5_000;
    let mut times: [Vec<f64>; 3] = Default::default();
    for round in 0..=rounds_each {
        // Who goes first changes each round, so no contender always follows
        // another.
        for turn in 0..3 {
            let who = (turn + round) % 3;
            let started = Instant::now();
            match who {
                0 => ping_pong(&mut raw, trips).await,
                1 => ping_pong(&mut ours, trips).await,
                _ => ping_pong(&mut theirs, trips).await,
            };
            if round > 0 {
                times[who].push(started.elapsed().as_nanos() as f64 / trips as f64);
            }
        }
    }
    report("async_pingpong_64", "ours", &times, 1);
    report("async_pingpong_64_stubborn_io", "stubborn_io", &times, 2);

    let source = Server::start(Kind::Source).await;
    let mut raw = TcpStream::connect(source.addr).await.unwrap();
    let mut ours = AsyncCover::connect_tcp(source.addr, ha_cover::asynchronous::reconnect, ())
        .await
        .unwrap();
    let mut theirs = stubborn(source.addr, None).await;
    // Many short downloads rather than a few long ones: one download's time
    // swings with where the scheduler puts the server's thread, and a median
    // of many is what keeps the ratio within a few percent from run to run.
    let bytes = 32 << 20;
    let mut times: [Vec<f64>; 3] = Default::default();
    for round in 0..=rounds_each * 8 {
        for turn in 0..3 {
            let who = (turn + round) % 3;
            let started = Instant::now();
            match who {
                0 => download(&mut raw, bytes).await,
                1 => download(&mut ours, bytes).await,
                _ => download(&mut theirs, bytes).await,
            };
            if round > 0 {
                times[who].push(started.elapsed().as_nanos() as f64 / (bytes / 4096) as f64);
            }
        }
    }
    report("async_bulk_32mib_per_4k", "ours", &times, 1);
    report(
        "async_bulk_32mib_per_4k_stubborn_io",
        "stubborn_io",
        &times,
        2,
    );
}

async fn read_greeting(conn: &mut (impl AsyncRead + Unpin)) {
    let mut greeting = [0u8; 6];
    conn.read_exact(&mut greeting).await.unwrap();
    assert_eq!(&greeting, b"HELLO\n");
}

/// Resume lag after an outage of 300 ms (plus up to 20 ms at random, so that
/// no fixed retry schedule lines up with it): from the server listening again
/// to the client, which was waiting in a read all along, having the new
/// connection's greeting.
async fn resume_lag<C>(name: &str, outages: usize, mut connect: impl AsyncFnMut(SocketAddr) -> C)
where
    C: AsyncRead + Unpin + Send + 'static,
{
    let server = Server::start(Kind::Greeter).await;
    let mut client = connect(server.addr).await;
    read_greeting(&mut client).await;
    let mut rng = ha_cover_world::Rng::new(9);
    let mut lags = Vec::new();
    for _ in 0..outages {
        let waiting = tokio::spawn(async move {
            read_greeting(&mut client).await;
            (client, Instant::now())
        });
        tokio::time::sleep(Duration::from_millis(5)).await;
        server.kill();
        tokio::time::sleep(Duration::from_millis(300 + rng.between(0, 20))).await;
        server.restart().await;
        let ready = *server.ready.lock().unwrap();
        let (back, resumed) = tokio::time::timeout(Duration::from_secs(60), waiting)
            .await
            .expect("never resumed")
            .unwrap();
        client = back;
        lags.push((resumed - ready).as_secs_f64() * 1e3);
    }
    let (p50, p99) = (percentile(&mut lags, 50.0), percentile(&mut lags, 99.0));
    println!("{name} p50_ms={p50:.3} p99_ms={p99:.3} n={}", lags.len());
}

async fn resume(outages: usize) {
    async fn ours(addr: SocketAddr) -> AsyncCover<TcpStream> {
        AsyncCover::connect_tcp(addr, ha_cover::asynchronous::reconnect, ())
            .await
            .unwrap()
    }
    async fn ours_10ms(addr: SocketAddr) -> AsyncCover<TcpStream> {
        ha_cover::asynchronous::AsyncCover::builder()
            .backoff(Backoff::fixed(Duration::from_millis(10)).without_jitter())
            .connect_tcp(addr, ha_cover::asynchronous::reconnect, ())
            .await
            .unwrap()
    }
    resume_lag("resume_lag_tcp_ha_cover_default", outages, ours).await;
    resume_lag("resume_lag_tcp_ha_cover_fixed_10ms", outages, ours_10ms).await;
    resume_lag("resume_lag_tcp_stubborn_io_10ms", outages, async |addr| {
        stubborn(addr, Some(Duration::from_millis(10))).await
    })
    .await;
    // Its default waits 4 s before the first reconnect: a few outages say enough.
    resume_lag(
        "resume_lag_tcp_stubborn_io_default",
        outages.min(3),
        async |addr| stubborn(addr, None).await,
    )
    .await;
}

/// The async cover over a Unix socket to a server process that is really
/// killed and restarted 300 ms later: the kernel's inotify report wakes the
/// recovery task, as it does the sync cover.
async fn resume_lag_unix(outages: usize) {
    use ha_cover_world::clock::{last_ready_ns, monotonic_ns};
    use ha_cover_world::{SocketMode, SocketServer};
    let server = SocketServer::start(SocketMode::Echo).unwrap();
    let mut cover = AsyncCover::connect_unix(
        server.unix_path().unwrap(),
        ha_cover::asynchronous::reconnect,
        (),
    )
    .await
    .unwrap();
    let supervisor = server.supervisor().handle();
    supervisor.set_downtime(Duration::from_millis(300));
    let mut lags = Vec::new();
    let mut reply = [0u8; 5];
    for _ in 0..outages {
        let killed = supervisor.clone();
        tokio::task::spawn_blocking(move || killed.kill_and_wait(Duration::from_secs(10)))
            .await
            .unwrap()
            .unwrap();
        cover.write_all(b"ping\n").await.unwrap();
        cover.read_exact(&mut reply).await.unwrap();
        let done = monotonic_ns();
        let ready_wait = supervisor.clone();
        tokio::task::spawn_blocking(move || ready_wait.wait_ready(Duration::from_secs(10)))
            .await
            .unwrap()
            .unwrap();
        let ready =
            last_ready_ns(&supervisor.log_tail()).expect("the server logs when it is ready");
        lags.push((done as f64 - ready as f64) / 1e6);
    }
    let (p50, p99) = (percentile(&mut lags, 50.0), percentile(&mut lags, 99.0));
    println!(
        "resume_lag_unix_async_ha_cover_default p50_ms={p50:.3} p99_ms={p99:.3} n={}",
        lags.len()
    );
}

fn main() {
    ha_cover_world::serve_if_asked();
    let quick = std::env::args().any(|a| a == "--quick");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        println!("# async_report {}", if quick { "--quick" } else { "full" });
        overhead(if quick { 5 } else { 21 }).await;
        resume(if quick { 5 } else { 20 }).await;
        resume_lag_unix(if quick { 5 } else { 20 }).await;
    });
}
