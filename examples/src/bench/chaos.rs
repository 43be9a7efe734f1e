//! What hundreds of kills cost a reader beyond the outages themselves.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ha_cover::{Builder, Cover, EventKind};

use super::Plan;
use super::measure::{ms, report_latency};
use ha_cover_world::mount_watch::MountWatch;
use ha_cover_world::{
    Chaos, ChaosConfig, ChaosReport, Component, FuseServer, SupervisorHandle, missing,
};

/// A 64 MiB bindfs reader under `plan.chaos_kills` kills: the wall time, minus
/// what the bytes read take with no failure, minus the servers' downtime, per
/// recovery; and, measured directly, how long after each restarted server's
/// mount appeared the reader was still disconnected.
///
/// "With no failure" is the pace of the same run's steady reads: those that
/// began at least [`SETTLED`] after the previous recovery and met no failure.
/// A pace measured apart from the run misleads both ways: on an idle VM a
/// FUSE reader is several times slower (idle CPUs are slow to wake), and a
/// bindfs restarted milliseconds ago serves reads faster than a long-running
/// one. The reads right after each recovery, slower or not, are counted in
/// the cost.
pub fn chaos_cost(plan: &Plan) -> io::Result<()> {
    if let Some(why) = missing(Component::Bindfs) {
        println!("chaos_cost skipped: {why}");
        return Ok(());
    }
    const SIZE: usize = 64 << 20;
    let fs = FuseServer::bindfs()?;
    std::fs::write(fs.backing("data"), vec![3u8; SIZE])?;
    // Written back first, so that no side pays for the writeback.
    std::fs::File::open(fs.backing("data"))?.sync_all()?;
    let outages = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&outages);
    let mut cover = Builder::new()
        .on_event(move |event| {
            let mut outages = seen.lock().unwrap();
            match &event.kind {
                EventKind::Failed { .. } => outages.push((Instant::now(), None)),
                EventKind::Recovered { .. } => {
                    if let Some((_, back)) = outages.last_mut() {
                        *back = Some(Instant::now());
                    }
                }
                _ => {}
            }
        })
        .open(fs.path("data"), ha_cover::reopen_seek, ())?;
    let mut buf = vec![0u8; 128 * 1024];
    let config = ChaosConfig {
        seed: 7,
        kills: plan.chaos_kills,
        min_interval: Duration::from_millis(2),
        max_interval: Duration::from_millis(20),
        ready_timeout: Duration::from_secs(10),
    };
    let server = fs.supervisor().handle();
    let watch = MountWatch::start(fs.mountpoint().to_path_buf())?;
    let run = read_under_chaos(&mut cover, &mut buf, &server, &config)?;
    let recoveries = cover.control().stats().recoveries;
    let outages = outages.lock().unwrap();
    let per_byte = steady_pace(&run.reads, &outages)?;
    let failure_free = run.bytes as f64 * per_byte;
    let appearances = watch.appearances();
    let downtime = downtime(&run, &appearances);
    let mut lags = lags_after_mount(&run, &appearances, &outages);
    report_latency("chaos_disconnected_after_mount", &mut lags);
    let cost = run.wall - failure_free - downtime;
    let per_recovery_ms = cost * 1e3 / recoveries.max(1) as f64;
    // The same run's steady reads, split into their first and second halves,
    // give two paces: what their difference makes of the bytes read, per
    // recovery, is how finely this subtraction resolves a cost.
    let (first, second) = run.reads.split_at(run.reads.len() / 2);
    let spread = (steady_pace(first, &outages)? - steady_pace(second, &outages)?).abs();
    let resolution_ms = spread * run.bytes as f64 * 1e3 / recoveries.max(1) as f64;
    println!(
        "chaos_cost per_recovery_ms={per_recovery_ms:.3} resolution_ms={resolution_ms:.3} kills={} recoveries={recoveries} wall_s={:.3} failure_free_s={failure_free:.3} downtime_s={downtime:.3} mb_read={} failure_free_mb_s={:.0}",
        run.report.kills.len(),
        run.wall,
        run.bytes >> 20,
        1.0 / per_byte / 1e6,
    );
    Ok(())
}

/// How long after a recovery a read counts as steady.
pub const SETTLED: Duration = Duration::from_millis(2);

/// One successful read: when it began, how many bytes.
struct ReadSpan {
    began: Instant,
    bytes: u64,
}

/// A reader's stream while its server was killed.
struct Run {
    started: Instant,
    wall: f64,
    bytes: u64,
    reads: Vec<ReadSpan>,
    report: ChaosReport,
}

/// Streams `cover` until `server` has been killed and restarted as `config`
/// says.
fn read_under_chaos(
    cover: &mut Cover<std::fs::File>,
    buf: &mut [u8],
    server: &SupervisorHandle,
    config: &ChaosConfig,
) -> io::Result<Run> {
    let deaths = server.deaths() + config.kills as u64;
    let (started, mut bytes) = (Instant::now(), 0);
    let mut reads = Vec::with_capacity(1 << 16);
    let chaos = Chaos::start(server.clone(), config.clone());
    while server.deaths() < deaths && chaos.is_running() {
        let began = Instant::now();
        let n = read_on(cover, buf)?;
        reads.push(ReadSpan { began, bytes: n });
        bytes += n;
    }
    let report = chaos.join();
    let wall = started.elapsed().as_secs_f64();
    if let Some(error) = &report.error {
        return Err(io::Error::other(error.clone()));
    }
    Ok(Run {
        started,
        wall,
        bytes,
        reads,
        report,
    })
}

/// Reads the next chunk, going back to the start at the end of the file.
fn read_on(cover: &mut Cover<std::fs::File>, buf: &mut [u8]) -> io::Result<u64> {
    let n = cover.read(buf)?;
    if n == 0 {
        cover.seek(SeekFrom::Start(0))?;
    }
    Ok(n as u64)
}

/// Seconds per byte of the reads that neither met a failure nor began within
/// [`SETTLED`] of a recovery, each counted up to the next read's start (the
/// loop's own work between reads is part of the failure-free pace).
/// `outages` are (failure seen, recovered), in order.
fn steady_pace(reads: &[ReadSpan], outages: &[(Instant, Option<Instant>)]) -> io::Result<f64> {
    let (mut seconds, mut bytes) = (0.0, 0u64);
    for pair in reads.windows(2) {
        let (read, until) = (&pair[0], pair[1].began);
        // The last failure seen before the next read began, if any.
        let last = outages.partition_point(|&(failed, _)| failed <= until);
        let steady = match last.checked_sub(1).map(|i| outages[i]) {
            None => true,
            Some((_, None)) => false,
            Some((_, Some(back))) => read.began >= back + SETTLED,
        };
        if steady {
            seconds += (until - read.began).as_secs_f64();
            bytes += read.bytes;
        }
    }
    if bytes == 0 {
        return Err(io::Error::other("no steady read between the kills"));
    }
    Ok(seconds / bytes as f64)
}

/// Seconds down, from each kill to the mount's reappearing as the kernel
/// reports it (the supervisor notices readiness only at its next poll).
fn downtime(run: &Run, appearances: &[Instant]) -> f64 {
    run.report
        .kills
        .iter()
        .map(|kill| {
            let killed = run.started + kill.at;
            appearances
                .iter()
                .find(|&&back| back > killed)
                .map_or(kill.downtime.unwrap_or_default(), |&back| back - killed)
                .as_secs_f64()
        })
        .sum()
}

/// For each recovery: from the moment the server that failed the reader was
/// mounted again (or the failure was seen, if later) to the reader being
/// connected again. What the outage costs the reader beyond the server's own
/// downtime, without subtracting paces.
fn lags_after_mount(
    run: &Run,
    appearances: &[Instant],
    outages: &[(Instant, Option<Instant>)],
) -> Vec<f64> {
    let kills: Vec<Instant> = run
        .report
        .kills
        .iter()
        .map(|kill| run.started + kill.at)
        .collect();
    outages
        .iter()
        .filter_map(|&(failed, back)| {
            let back = back?;
            let killed = *kills.iter().rev().find(|&&killed| killed <= failed)?;
            let mounted = *appearances.iter().find(|&&at| at > killed)?;
            Some(ms(back.saturating_duration_since(mounted.max(failed))))
        })
        .collect()
}
