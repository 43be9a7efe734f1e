//! QNX's HA client with the connection declared once: `#[ha_connection]` fixes
//! that `TestFile` is a file opened read-only, recovered by its handle
//! (reopen, then seek to the offset the cover keeps), with the policy of the
//! declaration. Writing through it would not compile. A second declaration,
//! `Journal`, appends to a log through the same server death.
//!
//! The file server is a FUSE file system run by the example (`ha-fuse-server`
//! under a supervisor that plays QNX's HA manager); the example kills it with
//! SIGKILL.
//!
//! Run it with `cargo run --example connection_file`. It needs to mount FUSE
//! file systems: `/dev/fuse` and root, or `fusermount3` (`apt-get install fuse3`).

use std::io::{self, Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use ha_cover::{Recoverable, ha_connection};
use ha_cover_world::{self as world, Component, FuseServer};

const CONTENTS: &[u8] = b"This is line one of the test file.\nAnd here is the second line.\n";

/// The seed's handle: the derive keeps `curr_offset` equal to the position and
/// counts recoveries in `nr`; its strategy reopens and seeks back there.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    curr_offset: u64,
    #[ha(recoveries)]
    nr: u32,
}

/// The test file: read-only, at most 5 attempts per failure, exponential
/// backoff from 10 ms to 2 s, 30 s to recover.
#[ha_connection(file, mode = read_only, handle = Handle,
                attempts = 5, backoff = exponential(10ms, 2s), deadline = 30s)]
struct TestFile;

/// A log that only appends: its handle reopens without seeking, and a failed
/// append is sent again only if the file size shows it did not land.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Log {
    #[ha(recoveries)]
    reopened: u32,
}

#[ha_connection(file, mode = append, handle = Log, recover_on = [default, EIO])]
struct Journal;

fn main() -> ExitCode {
    // This executable is also the file server the example kills.
    world::serve_if_asked();
    if let Some(why) = world::missing(Component::Fuse) {
        eprintln!("connection_file: cannot mount a FUSE file system here: {why}.");
        eprintln!(
            "connection_file: it needs /dev/fuse and root, or fusermount3 (`{}`).",
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

fn run() -> io::Result<()> {
    let server = FuseServer::fuser()?;
    std::fs::write(server.backing("testfile"), CONTENTS)?;
    std::fs::write(server.backing("journal"), b"")?;
    println!(
        "file server: ha-fuse-server (pid {})",
        server.supervisor().pid().unwrap_or(0)
    );

    let mut fd = TestFile::open(server.path("testfile"), Handle::default())?;
    let mut journal = Journal::open(server.path("journal"), Log::default())?;
    let mut buf = [0u8; 15];

    let status = fd.read(&mut buf)?;
    println!(
        "read {status} bytes: {:?}",
        String::from_utf8_lossy(&buf[..status])
    );
    writeln!(journal, "read {status} bytes")?;
    // `fd.write(b"x")` would not compile: "`TestFile` is declared
    // `mode = read_only`, so it cannot write".

    // A dup is a `TestFile` too, in the same group: one recovery serves both.
    let mut fd2: TestFile = fd.dup()?;

    let pid = server.supervisor().pid().unwrap_or(0);
    println!("killing the file server (pid {pid}) with SIGKILL; the supervisor restarts it");
    server.supervisor().kill_and_wait(Duration::from_secs(10))?;

    // Reading from the dup fails on the dead connection and recovers through
    // the handle: reopen, seek to `curr_offset`, retransmit.
    let status = fd2.read(&mut buf)?;
    println!(
        "read {status} bytes: {:?}",
        String::from_utf8_lossy(&buf[..status])
    );
    if buf[..status] != CONTENTS[15..15 + status] {
        return Err(io::Error::other(
            "the second read did not continue where the first stopped",
        ));
    }
    writeln!(journal, "read {status} bytes")?;
    journal.sync_all()?;

    let log = std::fs::read_to_string(server.backing("journal"))?;
    println!("journal: {} lines, each once", log.lines().count());
    println!(
        "file server: pid {} now",
        server.supervisor().pid().unwrap_or(0)
    );
    println!(
        "journal reopened {} time(s); offset {}",
        journal.with_handle(|h| h.reopened),
        fd.with_handle(|h| h.curr_offset)
    );
    println!("total recoveries, {}", fd.with_handle(|h| h.nr));
    Ok(())
}
