//! QNX's HA example client, in Rust: a file read through a network file system
//! whose server dies and is restarted; the next read recovers through a recovery
//! function that reopens the file and seeks back.
//!
//! The C original opens `/net/machine99/home/test/testfile` over NFS and sleeps
//! while someone kills and restarts `fs-nfs3`. Here the file server is a FUSE
//! file system run by the example itself (`ha-fuse-server`, under a supervisor
//! that plays QNX's HA manager), and the example kills it with SIGKILL.
//!
//! Run it with `cargo run --example testfile`. It needs to mount FUSE file
//! systems: `/dev/fuse` and root, or `fusermount3` (`apt-get install fuse3`).
//! What the cover does is logged on stderr through `tracing` (a
//! `tracing_subscriber::fmt()` subscriber, `RUST_LOG`-style level in
//! `HA_COVER_EXAMPLE_LOG`, `info` by default): the connection lost, and
//! recovered with its downtime.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::process::ExitCode;

use ha_cover::{AttemptError, Cover, Failure, Recoverable};
use ha_cover_world::{self as world, Component, FuseServer};

const CONTENTS: &[u8] = b"This is line one of the test file.\nAnd here is the second line.\n";

/// The client's handle: what the recovery function needs to restore the
/// connection, kept up to date by the client as in the C example.
#[derive(Default)]
struct Handle {
    nr: u32,
    curr_offset: u64,
}

impl Recoverable for Handle {}

/// Called by the cover when the connection is found dead: reopen the file
/// (`ha_reopen`), go back to where the client was (`lseek`), count.
fn recover_conn(failure: &Failure<'_, File>, hdl: &mut Handle) -> Result<File, AttemptError> {
    let mut newfd = failure.reopen()?;
    // adjust file offset to previously known point
    newfd.seek(SeekFrom::Start(hdl.curr_offset))?;
    // increment our count of successful recoveries
    hdl.nr += 1;
    Ok(newfd)
}

fn main() -> ExitCode {
    // This executable is also the file server the example kills.
    world::serve_if_asked();
    let level = std::env::var("HA_COVER_EXAMPLE_LOG")
        .ok()
        .and_then(|level| level.parse().ok())
        .unwrap_or(tracing::Level::INFO);
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    if let Some(why) = world::missing(Component::Fuse) {
        eprintln!("testfile: cannot mount a FUSE file system here: {why}.");
        eprintln!(
            "testfile: it needs /dev/fuse and root, or fusermount3 (`{}`).",
            world::INSTALL_HINT
        );
        return ExitCode::FAILURE;
    }
    let server = match FuseServer::fuser() {
        Ok(server) => server,
        Err(e) => {
            eprintln!("testfile: could not start the file server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let dir = server.backing("home/test");
    if let Err(e) =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join("testfile"), CONTENTS))
    {
        eprintln!("testfile: could not create the test file: {e}");
        return ExitCode::FAILURE;
    }
    let testfile = server.path("home/test/testfile");
    println!(
        "file server: ha-fuse-server (pid {}), serving {}",
        server.supervisor().pid().unwrap_or(0),
        testfile.display()
    );

    match run(&server, &testfile) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            println!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(server: &FuseServer, testfile: &std::path::Path) -> std::io::Result<()> {
    let mut buf = [0u8; 80];

    // open a connection; recovery will use `recover_conn`, and the handle is
    // passed to it
    let mut fd =
        Cover::builder()
            .name("testfile")
            .open(testfile, recover_conn, Handle::default())?;

    let status = fd.read(&mut buf[..15])?;
    fd.with_handle(|h| h.curr_offset += status as u64);
    println!(
        "read {status} bytes: {:?}",
        String::from_utf8_lossy(&buf[..status])
    );

    let fd2 = fd.dup()?;

    // the file server fails, and is restarted; the mount is reinstated.
    // Our previous `fd` to the file is stale.
    let pid = server.supervisor().pid().unwrap_or(0);
    println!("killing the file server (pid {pid}) with SIGKILL; the supervisor restarts it");
    server
        .supervisor()
        .kill_and_wait(std::time::Duration::from_secs(10))?;

    // reading from the cover will fail, and will recover via recover_conn
    let status = fd.read(&mut buf[..15])?;
    fd.with_handle(|h| h.curr_offset += status as u64);
    println!(
        "read {status} bytes: {:?}",
        String::from_utf8_lossy(&buf[..status])
    );
    println!(
        "file server: pid {} now",
        server.supervisor().pid().unwrap_or(0)
    );

    if buf[..status] != CONTENTS[15..15 + status] {
        return Err(std::io::Error::other(
            "the second read did not continue where the first stopped",
        ));
    }
    println!("total recoveries, {}", fd.with_handle(|h| h.nr));
    drop(fd);
    drop(fd2);
    Ok(())
}
