//! The calls around the data path in a program that knows nothing of the
//! library, preloaded over a FUSE mount whose server is SIGKILLed between
//! steps: the open family (relative, `openat`, fortified), `fstat`,
//! `fstatat(AT_EMPTY_PATH)`, `statx`, dups, `fcntl` locks taken back (or a
//! descriptor that fails loudly when they cannot be), `ftruncate`, `fsync`,
//! `posix_fadvise`, `fopen` with a real `fileno()`, `fork`, an inherited
//! descriptor, path-level calls that wait for a server that is down, and
//! `close_range`. See `tests/c/preload_calls.c`.

mod common;

use std::fs;
use std::os::fd::AsRawFd;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::preload::pattern_251;
use common::{Program, T, build};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer};

/// Compiles `tests/c/<name>.c` as a plain program: no `-lha_cover`.
fn compile_plain(name: &str) -> std::path::PathBuf {
    let exe = build().out.join(format!("{name}-plain"));
    let output = Command::new("cc")
        .args([
            "-std=gnu11",
            "-Wall",
            "-Werror",
            "-O2",
            "-D_FORTIFY_SOURCE=2",
        ])
        .arg(common::source(name))
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("cc runs (install gcc)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    exe
}

#[test]
fn descriptor_and_path_calls_recover_and_wait() {
    require!(Component::Fuse);
    let exe = compile_plain("preload_calls");
    let server = FuseServer::fuser().expect("the FUSE server starts");
    fs::write(server.backing("data"), pattern_251(65536)).expect("data");
    fs::write(server.backing("other"), b"other file").expect("other");
    let lib = build().lib_dir.join("libha_cover.so");
    // Started by a shell that opens descriptor 5 on the covered file: the
    // program inherits it (and the shell's exec keeps the preload).
    let script = format!(
        "exec {} 5< {}",
        exe.display(),
        server.path("data").display()
    );
    let mut shell = Command::new("sh");
    shell
        .args(["-c", &script])
        .env("LD_PRELOAD", &lib)
        .env("HA_COVER_PATHS", server.mountpoint())
        .env("HA_COVER_LOG", "1")
        .env("MNT", server.mountpoint())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut program = Program::spawn(shell, "preload_calls");
    program.expect("opened fileno real");
    program.expect("before ok ok ok ok ok");
    program.expect("ready");
    server
        .supervisor()
        .kill_and_restart(T)
        .expect("the server dies and comes back");
    program.send("go");
    program.expect("stat ok ok ok");
    program.expect("size 65536 65536");
    program.expect("dups ok ok ok ok ok");
    program.expect("reads ok ok ok ok inherited ok");
    program.expect("fread 10 ok fileno ok");
    program.expect("write ok truncate ok sync ok ok advise 0");
    program.expect("child lock held read ok");
    program.expect("ready");

    // Down for a while: stat, lstat, access and an open of another file wait.
    let supervisor = server.supervisor();
    supervisor.set_downtime(Duration::from_millis(300));
    let restarts = supervisor.restarts();
    supervisor.kill_and_wait(T).expect("the server dies");
    program.send("go");
    program.expect("down ok ok ok open ok waited yes");
    program.expect("after close_range other open");
    program.expect("ready");
    supervisor
        .wait_restarts(restarts + 1, T)
        .expect("the server is back");
    assert_eq!(fs::read(server.backing("created")).unwrap(), b"hello");

    // Someone else takes the lock while the server is down: the program's
    // lock cannot be taken back, and its descriptor says so.
    supervisor.set_downtime(Duration::ZERO);
    server
        .supervisor()
        .kill_and_restart(T)
        .expect("the server dies and comes back");
    let thief = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(server.path("data"))
        .expect("the thief opens data");
    let lock = libc::flock {
        l_type: libc::F_WRLCK as i16,
        l_whence: libc::SEEK_SET as i16,
        l_start: 0,
        l_len: 100,
        l_pid: 0,
    };
    // SAFETY: a valid descriptor and flock.
    assert_eq!(
        unsafe { libc::fcntl(thief.as_raw_fd(), libc::F_SETLK, &lock) },
        0
    );
    program.send("go");
    program.expect("lost lock ENOTCONN then EBADF");
    let stderr = program.stderr();
    assert!(
        stderr.contains("could not take back its lock on bytes 0..100 (EAGAIN)"),
        "{stderr}"
    );
    let recoveries = common::preload::recoveries_in(&stderr);
    assert!(recoveries >= 7, "{recoveries} recoveries:\n{stderr}");
}
