//! What hundreds of kills cost a reader beyond the outages themselves.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ha_cover::{Builder, Cover, Event};

use super::Plan;
use super::measure::{median, ms, report_latency};
use crate::world::mount_watch::MountWatch;
use crate::world::{
    Chaos, ChaosConfig, ChaosReport, Component, FuseServer, SupervisorHandle, missing,
};

/// A 64 MiB bindfs reader under `plan.chaos_kills` kills: the wall time, minus
/// what the bytes read take with no failure, minus the servers' downtime, per
/// recovery; and, measured directly, how long after each restarted server's
/// mount appeared the reader was still disconnected.
///
/// "With no failure" is measured under the same load: the same reader while a
/// second, unrelated bindfs is killed and restarted on the same schedule,
/// before and after the real run. Measured on an otherwise idle machine
/// instead, a FUSE reader's pace on a VM can be a quarter of what it is while
/// restarts keep the CPUs awake (idle CPUs are slow to wake). Even so the pace
/// of a long-running bindfs and of one restarted milliseconds ago differ by
/// more than the recoveries cost on some runs: then the difference is negative
/// and reported as unresolved, and the direct figure is the one to read.
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
            match event {
                Event::Failed { .. } => outages.push((Instant::now(), None)),
                Event::Recovered { .. } => {
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
    let bystander_fs = FuseServer::bindfs()?;
    let bystander = bystander_fs.supervisor().handle();
    let mut control_paces = Vec::new();
    let control = read_under_chaos(&mut cover, &mut buf, &bystander, &config)?;
    control_paces.push(control.seconds_per_byte());

    let server = fs.supervisor().handle();
    let watch = MountWatch::start(fs.mountpoint().to_path_buf())?;
    let run = read_under_chaos(&mut cover, &mut buf, &server, &config)?;
    let recoveries = cover.stats().recoveries;

    let control = read_under_chaos(&mut cover, &mut buf, &bystander, &config)?;
    control_paces.push(control.seconds_per_byte());
    assert_eq!(
        cover.stats().recoveries,
        recoveries,
        "the bystander's deaths must not reach the reader"
    );
    let per_byte = median(&mut control_paces);
    let failure_free = run.bytes as f64 * per_byte;
    let appearances = watch.appearances();
    let downtime = downtime(&run, &appearances);
    let mut lags = lags_after_mount(&run, &appearances, &outages.lock().unwrap());
    report_latency("chaos_disconnected_after_mount", &mut lags);
    let cost = run.wall - failure_free - downtime;
    let per_recovery = match cost > 0.0 {
        true => format!("{:.3}", cost * 1e3 / recoveries.max(1) as f64),
        false => "unresolved".to_owned(),
    };
    println!(
        "chaos_cost per_recovery_ms={per_recovery} kills={} recoveries={recoveries} wall_s={:.3} failure_free_s={failure_free:.3} downtime_s={downtime:.3} mb_read={} failure_free_mb_s={:.0}",
        run.report.kills.len(),
        run.wall,
        run.bytes >> 20,
        1.0 / per_byte / 1e6,
    );
    Ok(())
}

/// A reader's stream while a server (its own or another) was killed.
struct Run {
    started: Instant,
    wall: f64,
    bytes: u64,
    report: ChaosReport,
}

impl Run {
    fn seconds_per_byte(&self) -> f64 {
        self.wall / self.bytes as f64
    }
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
    let chaos = Chaos::start(server.clone(), config.clone());
    while server.deaths() < deaths {
        read_on(cover, buf, &mut bytes)?;
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
        report,
    })
}

/// Reads the next chunk, going back to the start at the end of the file.
fn read_on(cover: &mut Cover<std::fs::File>, buf: &mut [u8], bytes: &mut u64) -> io::Result<()> {
    let n = cover.read(buf)?;
    *bytes += n as u64;
    if n == 0 {
        cover.seek(SeekFrom::Start(0))?;
    }
    Ok(())
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
