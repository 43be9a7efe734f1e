//! Recovery figures, against servers that are really killed: what a recovery
//! costs when the server is already back, how soon a client resumes after an
//! outage. What hundreds of kills cost a reader is in `chaos.rs`.

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ha_cover::{Builder, Cover, EventKind};

use super::Plan;
use super::measure::{ms, report_latency};
use ha_cover_world::clock::{last_ready_ns, monotonic_ns};
use ha_cover_world::{Component, FuseServer, SocketMode, SocketServer, missing};

const T: Duration = Duration::from_secs(10);

/// From the failing read's return to the retransmitted read's completion, when
/// the server is already back: reopen, seek, read.
pub fn recovery_cost(plan: &Plan) -> io::Result<()> {
    if let Some(why) = missing(Component::Fuse) {
        println!("recovery_cost skipped: {why}");
        return Ok(());
    }
    let fs = FuseServer::fuser()?;
    std::fs::write(fs.backing("data"), vec![1u8; 1 << 20])?;
    let failed_at = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&failed_at);
    // Kills come every few milliseconds here, which the default policy takes
    // for a flapping server and answers with waits; this figure is about the
    // recovery itself.
    let mut cover = Builder::new()
        .healthy_after(Duration::ZERO)
        .on_event(move |event| {
            if let EventKind::Failed { .. } = &event.kind {
                *seen.lock().unwrap() = Some(Instant::now());
            }
        })
        .open(fs.path("data"), ha_cover::reopen_seek, ())?;
    let mut buf = [0u8; 4096];
    let (mut samples, mut floor) = (Vec::new(), Vec::new());
    let server = fs.supervisor();
    for i in 0..plan.recoveries {
        let offset = (i * 4096 % (1 << 20)) as u64;
        cover.seek(SeekFrom::Start(offset))?;
        server.kill_and_wait(T)?;
        server.wait_ready(T)?;
        // The floor: the same open, seek and read without a cover. The first
        // request to a freshly started server is slower, so the two take turns
        // at being first.
        let floor_first = i % 2 == 0;
        if floor_first {
            floor.push(open_seek_read(&fs.path("data"), offset, &mut buf)?);
        }
        let n = cover.read(&mut buf)?;
        let done = Instant::now();
        assert_eq!(n, buf.len());
        let failed = failed_at
            .lock()
            .unwrap()
            .take()
            .expect("the read failed first");
        samples.push(ms(done - failed));
        if !floor_first {
            floor.push(open_seek_read(&fs.path("data"), offset, &mut buf)?);
        }
    }
    report_latency("recovery_cost_fuse", &mut samples);
    report_latency("open_seek_read_fuse_without_cover", &mut floor);
    let stats = cover.control().stats();
    assert_eq!(
        stats.attempts, stats.recoveries,
        "the server was back: one attempt each"
    );
    Ok(())
}

fn open_seek_read(path: &std::path::Path, offset: u64, buf: &mut [u8]) -> io::Result<f64> {
    let started = Instant::now();
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buf)?;
    Ok(ms(started.elapsed()))
}

/// The server is down for 300 ms, then back: the time from its being ready (as
/// it reports on the shared monotonic clock) to the client's operation
/// completing, with the default policy.
pub fn resume_lag(plan: &Plan) -> io::Result<()> {
    let mut p50s = Vec::new();
    match missing(Component::Fuse) {
        Some(why) => println!("resume_lag_fuse skipped: {why}"),
        None => p50s.push(resume_lag_fuse(plan)?),
    }
    p50s.push(resume_lag_unix(plan)?);
    println!(
        "resume_lag_p50_ms={:.3}",
        p50s.iter().copied().fold(0.0, f64::max)
    );
    Ok(())
}

fn lag_ms(ready_ns: u64, done_ns: u64) -> f64 {
    (done_ns as f64 - ready_ns as f64) / 1e6
}

fn resume_lag_fuse(plan: &Plan) -> io::Result<f64> {
    let fs = FuseServer::fuser()?;
    std::fs::write(fs.backing("data"), vec![1u8; 1 << 20])?;
    let mut cover = Cover::open(fs.path("data"), ha_cover::reopen_seek, ())?;
    let server = fs.supervisor();
    server.set_downtime(Duration::from_millis(300));
    let mut buf = [0u8; 4096];
    let mut samples = Vec::with_capacity(plan.outages);
    for i in 0..plan.outages {
        cover.seek(SeekFrom::Start((i * 4096) as u64))?;
        server.kill_and_wait(T)?;
        cover.read_exact(&mut buf)?;
        let done = monotonic_ns();
        server.wait_ready(T)?;
        let ready = last_ready_ns(&server.log_tail()).expect("the server logs when it is ready");
        samples.push(lag_ms(ready, done));
    }
    Ok(report_latency("resume_lag_fuse", &mut samples))
}

fn resume_lag_unix(plan: &Plan) -> io::Result<f64> {
    let server = SocketServer::start(SocketMode::Echo)?;
    let mut cover =
        Cover::connect_unix(server.unix_path().expect("unix"), ha_cover::reconnect, ())?;
    let sup = server.supervisor();
    sup.set_downtime(Duration::from_millis(300));
    let mut samples = Vec::with_capacity(plan.outages);
    let mut line = [0u8; 5];
    for _ in 0..plan.outages {
        sup.kill_and_wait(T)?;
        cover.write_all(b"ping\n")?;
        cover.read_exact(&mut line)?;
        let done = monotonic_ns();
        assert_eq!(&line, b"ping\n");
        sup.wait_ready(T)?;
        let ready = last_ready_ns(&sup.log_tail()).expect("the server logs when it is ready");
        samples.push(lag_ms(ready, done));
    }
    Ok(report_latency("resume_lag_unix", &mut samples))
}
