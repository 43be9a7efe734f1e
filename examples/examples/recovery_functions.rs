//! Recovery functions are chosen per connection and can be replaced at run
//! time (QNX's `ha_attach` with `HAREPLACERECOVERYFN`); a dup shares its
//! connection's function, handle and counters (QNX's `ha_dup`).
//!
//! Two connections read the same file through a FUSE server that is killed
//! twice. One resumes where it was; the other starts the file over (a consumer
//! that reprocesses a file its server regenerates). Between the deaths, the
//! first connection's function is replaced through its dup, which replaces it
//! for the whole group.
//!
//! `cargo run --example recovery_functions` (needs FUSE: root and /dev/fuse).

use std::fs::File;
use std::io::{self, Read};
use std::process::ExitCode;

use ha_cover::{AttemptError, Cover, Failure, Recoverable};
use ha_cover_world::{self as world, Component, FuseServer};

/// Which recovery functions restored the connection, in order.
#[derive(Default)]
struct Log(Vec<&'static str>);

impl Recoverable for Log {
    const OBSERVES_TRANSFERS: bool = false;
}

// Each is called once per attempt until one succeeds: while the server is
// still restarting, the reopen fails and the cover tries again.

fn resume(failure: &Failure<'_, File>, log: &mut Log) -> Result<File, AttemptError> {
    let file = failure.reopen_seek()?;
    log.0.push("resume");
    Ok(file)
}

fn start_over(failure: &Failure<'_, File>, log: &mut Log) -> Result<File, AttemptError> {
    let file = failure.reopen()?;
    log.0.push("start_over");
    Ok(file)
}

fn resume_and_report(failure: &Failure<'_, File>, log: &mut Log) -> Result<File, AttemptError> {
    println!(
        "  recovering from errno {:?}, attempt {}",
        failure.errno(),
        failure.attempt()
    );
    let file = failure.reopen_seek()?;
    log.0.push("resume_and_report");
    Ok(file)
}

fn text(buf: &[u8]) -> String {
    String::from_utf8_lossy(buf).into_owned()
}

fn main() -> ExitCode {
    world::serve_if_asked();
    if let Some(why) = world::missing(Component::Fuse) {
        eprintln!(
            "recovery_functions: cannot mount FUSE here: {why} (`{}`)",
            world::INSTALL_HINT
        );
        return ExitCode::FAILURE;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("recovery_functions: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    let server = FuseServer::fuser()?;
    std::fs::write(server.backing("alphabet"), b"abcdefghijklmnopqrstuvwxyz")?;
    let path = server.path("alphabet");

    let mut reader = Cover::open(&path, resume, Log::default())?;
    let mut reader_dup = reader.dup()?;
    let mut again = Cover::open(&path, start_over, Log::default())?;
    let mut buf = [0; 4];

    reader.read_exact(&mut buf)?;
    println!("reader read {:?}", text(&buf));
    again.read_exact(&mut buf)?;
    println!("start-over reader read {:?}", text(&buf));

    println!("killing the file server");
    server
        .supervisor()
        .kill_and_wait(std::time::Duration::from_secs(10))?;
    reader.read_exact(&mut buf)?;
    println!(
        "reader read {:?} after recovering with {:?}",
        text(&buf),
        reader.with_handle(|h| h.0.clone())
    );
    reader_dup.read_exact(&mut buf)?;
    println!(
        "its dup read {:?}, moved to the recovered connection: {} recovery for both",
        text(&buf),
        reader_dup.control().stats().recoveries
    );
    again.read_exact(&mut buf)?;
    println!(
        "start-over reader read {:?} after recovering with {:?}",
        text(&buf),
        again.with_handle(|h| h.0.clone())
    );

    // Replacing through the dup replaces it for the group.
    reader_dup.set_recovery(resume_and_report);
    println!(
        "replaced the reader's recovery function through its dup; killing the file server again"
    );
    server
        .supervisor()
        .kill_and_wait(std::time::Duration::from_secs(10))?;
    reader.read_exact(&mut buf)?;
    println!(
        "reader read {:?}; functions used: {:?}",
        text(&buf),
        reader.with_handle(|h| h.0.clone())
    );

    let expected = ["resume", "resume_and_report"];
    if reader.with_handle(|h| h.0.clone()) != expected
        || again.with_handle(|h| h.0.clone()) != ["start_over"]
    {
        return Err(io::Error::other(
            "a connection did not use its own recovery function",
        ));
    }
    println!(
        "recoveries: reader {}, start-over reader {}",
        reader.control().stats().recoveries,
        again.control().stats().recoveries
    );
    Ok(())
}
