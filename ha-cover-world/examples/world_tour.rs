//! A tour of how the world's servers die, with timings.
//!
//! `cargo run -p ha-cover-world --example world_tour` (the servers are built on the way)
//!
//! For each server: how long it takes to become ready, how long from SIGKILL
//! until the supervisor noticed and cleaned up, until it was ready again, and
//! which errno a client sees, including for a read that was already waiting
//! in the server when it died.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::FileExt;
use std::time::{Duration, Instant};

use ha_cover_world::{
    Component, FuseImpl, FuseServer, RedisServer, SocketMode, SocketServer, Supervisor, missing,
};

const T: Duration = Duration::from_secs(10);

fn main() -> io::Result<()> {
    for kind in [FuseImpl::Fuser, FuseImpl::Bindfs] {
        let component = match kind {
            FuseImpl::Fuser => Component::Fuse,
            FuseImpl::Bindfs => Component::Bindfs,
        };
        match missing(component) {
            Some(why) => println!("{kind:?}: skipped, {why}"),
            None => fuse_tour(kind)?,
        }
    }
    let started = Instant::now();
    let server = SocketServer::start(SocketMode::Echo)?;
    println!("\nha-socket-server: ready after {:?}", started.elapsed());
    restart_timings(server.supervisor())?;
    match missing(Component::Redis) {
        Some(why) => println!("redis: skipped, {why}"),
        None => {
            let started = Instant::now();
            let redis = RedisServer::start()?;
            println!("\nredis-server: ready after {:?}", started.elapsed());
            redis.client()?.call(&["SET", "k", "v"])?;
            restart_timings(redis.supervisor())?;
        }
    }
    Ok(())
}

fn fuse_tour(kind: FuseImpl) -> io::Result<()> {
    let started = Instant::now();
    let fs = FuseServer::start(kind)?;
    println!("\n{kind:?}: ready after {:?}", started.elapsed());
    fs::write(fs.backing("f"), b"contents")?;
    let sup = fs.supervisor();

    // A read waiting inside a stopped server when it is killed.
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(fs.path("f"))?;
    let pid = sup.pid().expect("running");
    // SAFETY: kill(2) on the supervised child, which is alive.
    unsafe { libc::kill(pid as libc::pid_t, libc::SIGSTOP) };
    let (tid_tx, tid_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        // SAFETY: gettid(2) has no preconditions.
        tid_tx.send(unsafe { libc::gettid() }).expect("send tid");
        let mut buf = [0; 8];
        file.read_at(&mut buf, 0).map(|_| ()).map_err(|e| (e, file))
    });
    let tid = tid_rx.recv().expect("tid");
    std::thread::sleep(Duration::from_millis(100));
    let wchan = fs::read_to_string(format!("/proc/self/task/{tid}/wchan"))?;
    println!("  the reader waits in {wchan}");
    sup.kill();
    let (in_flight, file) = reader.join().expect("reader").expect_err("read fails");
    println!(
        "  read in flight at SIGKILL: {in_flight} ({:?})",
        in_flight.raw_os_error()
    );
    let mut buf = [0; 8];
    let after = file.read_at(&mut buf, 0).expect_err("dead");
    println!(
        "  read after death:          {after} ({:?})",
        after.raw_os_error()
    );
    let write = (&file).write(b"x").expect_err("dead");
    println!(
        "  write after death:         {write} ({:?})",
        write.raw_os_error()
    );
    use std::os::fd::IntoRawFd;
    // SAFETY: closing a descriptor we own and never use again.
    let rc = unsafe { libc::close(file.into_raw_fd()) };
    println!(
        "  close after death:         {rc} ({})",
        io::Error::last_os_error()
    );
    sup.wait_restarts(1, T)?;
    let stat = fs::metadata(fs.path("f")).map(|_| "ok");
    println!("  stat of the path on the new mount: {stat:?}");
    let mut fresh = String::new();
    File::open(fs.path("f"))?.read_to_string(&mut fresh)?;
    println!("  fresh open reads {fresh:?}");
    restart_timings(sup)
}

fn restart_timings(sup: &Supervisor) -> io::Result<()> {
    let mut noticed = Vec::new();
    let mut back = Vec::new();
    for _ in 0..5 {
        let deaths = sup.deaths();
        let restarts = sup.restarts();
        let killed = Instant::now();
        sup.kill();
        sup.wait_deaths(deaths + 1, T)?;
        noticed.push(killed.elapsed());
        sup.wait_restarts(restarts + 1, T)?;
        back.push(killed.elapsed());
    }
    println!("  SIGKILL -> death noticed and cleaned up: {noticed:?}");
    println!("  SIGKILL -> ready again:                  {back:?}");
    Ok(())
}
