//! sshfs resume lag: sshfs SIGKILLed and mounted again 300 ms later; how soon
//! a covered reader reads again, beside a plain open made the moment the
//! mount is back.
//!
//! sshfs mounts at once and connects at its first request, so both wait for
//! the SSH handshake: the difference between them is what the cover adds.

use std::io::{self, Read, Seek, SeekFrom};
use std::time::{Duration, Instant};

use ha_cover::Cover;

use super::Plan;
use super::measure::{ms, report_latency};
use ha_cover_world::mount_watch::MountWatch;
use ha_cover_world::{Component, SshServer, SshfsMount, missing};

const T: Duration = Duration::from_secs(10);

/// Prints `sshfs_resume_from_mount`, `sshfs_plain_open_from_mount` and
/// `sshfs_resume_beyond_plain_open`, over `plan.outages` outages.
pub fn sshfs_resume_lag(plan: &Plan) -> io::Result<()> {
    let sshfs = Component::Program {
        name: "sshfs",
        package: "sshfs",
    };
    for component in [Component::Fuse, sshfs, Component::Sshd] {
        if let Some(why) = missing(component) {
            println!("sshfs_resume_lag skipped: {why}");
            return Ok(());
        }
    }
    let server = SshServer::start()?;
    let mount = SshfsMount::start(&server)?;
    let watch = MountWatch::start(mount.mountpoint().to_path_buf())?;
    std::fs::write(mount.backing("data"), vec![7u8; 1 << 20])?;
    std::fs::write(mount.backing("probe"), b"probe")?;
    let mut cover = Cover::open(mount.path("data"), ha_cover::reopen_seek, ())?;
    let sshfs = mount.supervisor();
    sshfs.set_downtime(Duration::from_millis(300));
    let mut buf = [0u8; 4096];
    let (mut covered, mut plain, mut beyond) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..plan.outages {
        cover.seek(SeekFrom::Start((i * 4096 % (1 << 20)) as u64))?;
        let seen = watch.appearances().len();
        sshfs.kill_and_wait(T)?;
        let (cover_done, (appeared, plain_done)) = std::thread::scope(|s| {
            // A plain client, waiting for the mount and opening at once.
            let probe = s.spawn(|| -> io::Result<(Instant, Instant)> {
                let appeared = loop {
                    if let Some(&at) = watch.appearances().get(seen) {
                        break at;
                    }
                    std::thread::sleep(Duration::from_micros(200));
                };
                let mut file = std::fs::File::open(mount.path("probe"))?;
                file.read_exact(&mut [0; 5])?;
                Ok((appeared, Instant::now()))
            });
            cover.read_exact(&mut buf)?;
            let done = Instant::now();
            io::Result::Ok((done, probe.join().expect("the probe")?))
        })?;
        covered.push(ms(cover_done - appeared));
        plain.push(ms(plain_done - appeared));
        beyond.push(ms(cover_done - appeared) - ms(plain_done - appeared));
        sshfs.wait_ready(T)?;
    }
    report_latency("sshfs_resume_from_mount", &mut covered);
    report_latency("sshfs_plain_open_from_mount", &mut plain);
    report_latency("sshfs_resume_beyond_plain_open", &mut beyond);
    let stats = cover.control().stats();
    println!(
        "sshfs outages={} recoveries={} attempts={}",
        plan.outages, stats.recoveries, stats.attempts
    );
    Ok(())
}
