//! QNX's HA example client with no hand-written recovery code: the handle is
//! derived, the offset follows every read by itself, and the declared strategy
//! reopens the file and seeks back.
//!
//! The same scenario as `testfile`: a file read through a FUSE server that is
//! killed with SIGKILL and restarted between two reads.
//!
//! Run it with `cargo run --example testfile_derive` (needs FUSE: root and
//! /dev/fuse, or fusermount3).

use std::io::Read;
use std::process::ExitCode;

use ha_cover::{Cover, Recoverable};
use ha_cover_world::{self as world, Component, FuseServer};

const CONTENTS: &[u8] = b"This is line one of the test file.\nAnd here is the second line.\n";

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(recoveries)]
    nr: u32,
    #[ha(offset)]
    curr_offset: u64,
}

fn main() -> ExitCode {
    // This executable is also the file server the example kills.
    world::serve_if_asked();
    if let Some(why) = world::missing(Component::Fuse) {
        eprintln!("testfile_derive: cannot mount a FUSE file system here: {why}.");
        eprintln!(
            "testfile_derive: it needs /dev/fuse and root, or fusermount3 (`{}`).",
            world::INSTALL_HINT
        );
        return ExitCode::FAILURE;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            println!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> std::io::Result<()> {
    let server = FuseServer::fuser()?;
    std::fs::create_dir_all(server.backing("home/test"))?;
    std::fs::write(server.backing("home/test/testfile"), CONTENTS)?;
    let testfile = server.path("home/test/testfile");
    println!(
        "file server: ha-fuse-server (pid {}), serving {}",
        server.supervisor().pid().unwrap_or(0),
        testfile.display()
    );

    let mut buf = [0u8; 80];
    // The handle's declared strategy is the recovery function.
    let mut fd = Cover::open(&testfile, ha_cover::by_handle, Handle::default())?;

    let status = fd.read(&mut buf[..15])?;
    println!(
        "read {status} bytes: {:?}",
        String::from_utf8_lossy(&buf[..status])
    );

    let fd2 = fd.dup()?;

    let pid = server
        .supervisor()
        .kill_and_wait(std::time::Duration::from_secs(10))?;
    println!("killed the file server (pid {pid}) with SIGKILL; the supervisor restarts it");

    let status = fd.read(&mut buf[..15])?;
    println!(
        "read {status} bytes: {:?}",
        String::from_utf8_lossy(&buf[..status])
    );
    if buf[..status] != CONTENTS[15..15 + status] {
        return Err(std::io::Error::other(
            "the second read did not continue where the first stopped",
        ));
    }
    println!(
        "offset kept by the cover: {}",
        fd.with_handle(|h| h.curr_offset)
    );
    println!("total recoveries, {}", fd.with_handle(|h| h.nr));
    drop(fd);
    drop(fd2);
    Ok(())
}
