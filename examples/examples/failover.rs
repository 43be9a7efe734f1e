//! Failover: the same data served by two file servers; the primary dies for
//! good, and the recovery function reopens the file on the replica, at the
//! same position, and the reader carries on.
//!
//! `cargo run --example failover` (needs FUSE: root and /dev/fuse).

use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use ha_cover::{AttemptError, Cover, Failure, Recoverable};
use ha_cover_world::{self as world, Component, FuseServer};

/// Where the data can be read: the primary first, then the replicas.
struct Replicas {
    paths: Vec<PathBuf>,
    current: usize,
}

impl Recoverable for Replicas {
    const OBSERVES_TRANSFERS: bool = false;
}

fn fail_over(failure: &Failure<'_, File>, replicas: &mut Replicas) -> Result<File, AttemptError> {
    // Try the one in use first (its server may just be restarting), then the others.
    let order = (0..replicas.paths.len()).map(|i| (replicas.current + i) % replicas.paths.len());
    let mut last = None;
    for i in order {
        match failure.reopen_path(&replicas.paths[i]) {
            Ok(mut file) => {
                let position = failure.position().unwrap_or(0);
                std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(position))?;
                if i != replicas.current {
                    println!(
                        "  failing over to {} at byte {position}",
                        replicas.paths[i].display()
                    );
                    replicas.current = i;
                }
                return Ok(file);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.expect("at least one replica"))
}

fn main() -> ExitCode {
    world::serve_if_asked();
    if let Some(why) = world::missing(Component::Fuse) {
        eprintln!(
            "failover: cannot mount FUSE here: {why} (`{}`)",
            world::INSTALL_HINT
        );
        return ExitCode::FAILURE;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("failover: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let primary = FuseServer::fuser()?;
    let replica = FuseServer::fuser()?;
    std::fs::write(primary.backing("data"), &data)?;
    std::fs::write(replica.backing("data"), &data)?;
    let replicas = Replicas {
        paths: vec![primary.path("data"), replica.path("data")],
        current: 0,
    };

    let mut cover = Cover::open(primary.path("data"), fail_over, replicas)?;
    let mut got = vec![0; 40_000];
    cover.read_exact(&mut got)?;
    println!("read {} bytes from the primary", got.len());

    println!("the primary's server dies for good");
    primary.supervisor().set_auto_restart(false);
    primary
        .supervisor()
        .kill_and_wait(std::time::Duration::from_secs(10))?;

    cover.read_to_end(&mut got)?;
    println!("read the rest from the replica: {} bytes in all", got.len());
    if got != data {
        return Err(io::Error::other("the bytes read differ from the data"));
    }
    println!(
        "every byte once, in order; reading from replica {}",
        cover.with_handle(|h| h.current)
    );
    Ok(())
}
