//! A covered call that creates or enters something under a covered prefix
//! never lands in the directory underneath the mount point, even when the
//! server dies and its mount is detached between the library's check that
//! the server is up and the call itself.
//!
//! Deterministic: `HA_COVER_TEST_STOP=<call>` makes the preloaded program
//! stop itself (SIGSTOP) once, right after that check, before the call; the
//! test SIGKILLs the server, waits until its dead mount is detached, lets the
//! program go on, and only then starts the server again. A file created in
//! that window would be in the directory underneath, hidden once the server
//! mounts again, and the program would have written it successfully.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::preload::python3;
use common::{Program, T, build};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer};

/// `sh -c script` with the library preloaded over `server`'s mount, stopping
/// at the check before the covered call `stop`.
fn shell(server: &FuseServer, script: &str, stop: &str) -> Program {
    let mut command = Command::new("/bin/sh");
    command.args(["-c", script]);
    preloaded(command, server, stop)
}

/// `command` with the library preloaded over `server`'s mount, stopping at
/// the check before the covered call `stop`.
fn preloaded(mut command: Command, server: &FuseServer, stop: &str) -> Program {
    command
        .env("LD_PRELOAD", build().lib_dir.join("libha_cover.so"))
        .env("HA_COVER_PATHS", server.mountpoint())
        .env("HA_COVER_LOG", "1")
        .env("HA_COVER_TEST_STOP", stop)
        .env("MNT", server.mountpoint())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let name = command.get_program().to_string_lossy().into_owned();
    Program::spawn(command, &name)
}

/// Kills the server and waits until its dead mount is detached.
fn kill_detached(server: &FuseServer) -> u64 {
    let supervisor = server.supervisor();
    supervisor.set_auto_restart(false);
    let restarts = supervisor.restarts();
    supervisor
        .kill_and_wait(T)
        .expect("the server dies, its mount detached");
    restarts
}

/// Starts the server again after [`kill_detached`].
fn restart(server: &FuseServer, restarts: u64) {
    let supervisor = server.supervisor();
    supervisor.restart();
    supervisor
        .wait_restarts(restarts + 1, T)
        .expect("the server is back");
}

fn resume(program: &Program) {
    // SAFETY: kill(2) on our own child, not yet reaped.
    assert_eq!(
        unsafe { libc::kill(program.pid() as i32, libc::SIGCONT) },
        0
    );
}

/// Waits until process `pid` is stopped (`T` in `/proc/<pid>/stat`).
fn wait_stopped(pid: u32) {
    let deadline = Instant::now() + T;
    loop {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).expect("the program runs");
        // The state follows the command name, which is in parentheses.
        let state = stat
            .rsplit(')')
            .next()
            .and_then(|s| s.split_whitespace().next());
        if state == Some("T") {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the program did not stop: {stat}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The names in the directory at `mountpoint` while nothing is mounted on it.
fn underneath(mountpoint: &Path) -> Vec<String> {
    fs::read_dir(mountpoint)
        .expect("the directory underneath the detached mount")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// Runs `script`, stopped at the check before `stop`: SIGKILLs the server
/// there, lets the program go on while the dead mount is detached, checks
/// that nothing appeared underneath, and starts the server again. The
/// program, which must then succeed.
fn killed_between_check_and_call(server: &FuseServer, script: &str, stop: &str) -> Program {
    let mut program = shell(server, script, stop);
    wait_stopped(program.pid());
    let restarts = kill_detached(server);
    resume(&program);
    // Time for a call that does not wait for the server to make its mess.
    std::thread::sleep(Duration::from_millis(300));
    let found = underneath(server.mountpoint());
    restart(server, restarts);
    assert!(
        found.is_empty(),
        "{stop}: {found:?} created in the directory underneath the detached mount"
    );
    let status = program.wait();
    let stderr = program.stderr();
    assert!(status.success(), "{status}: {stderr}");
    assert!(
        stderr.contains("ha-cover: waited "),
        "{stop}: never waited: {stderr}"
    );
    program
}

#[test]
fn a_create_waits_for_the_server_instead_of_landing_underneath() {
    require!(Component::Fuse);
    let server = FuseServer::fuser().expect("the FUSE server starts");
    killed_between_check_and_call(&server, r#"echo hello > "$MNT/created""#, "create");
    assert_eq!(fs::read(server.backing("created")).unwrap(), b"hello\n");
}

/// The shell's current directory is on the server's mount: `mkdir`, which
/// the library does not cover, makes its directory there.
#[test]
fn chdir_to_the_mount_point_never_enters_the_directory_underneath() {
    require!(Component::Fuse);
    let server = FuseServer::fuser().expect("the FUSE server starts");
    killed_between_check_and_call(
        &server,
        r#"cd "$MNT" && mkdir made && echo hello > created"#,
        "chdir",
    );
    assert!(server.backing("made").is_dir());
    assert_eq!(fs::read(server.backing("created")).unwrap(), b"hello\n");
}

#[test]
fn listing_the_mount_point_never_lists_the_directory_underneath() {
    require!(
        Component::Fuse,
        Component::Program {
            name: "ls",
            package: "coreutils"
        }
    );
    let server = FuseServer::fuser().expect("the FUSE server starts");
    fs::write(server.backing("a_file"), b"").expect("a file");
    let mut ls = killed_between_check_and_call(&server, r#"exec ls "$MNT""#, "open");
    ls.expect("a_file");
}

#[test]
fn stat_of_the_mount_point_never_answers_for_the_directory_underneath() {
    require!(
        Component::Fuse,
        Component::Program {
            name: "stat",
            package: "coreutils"
        }
    );
    let server = FuseServer::fuser().expect("the FUSE server starts");
    // The root of a FUSE file system is inode 1; the directory underneath
    // is another.
    let mut stat = killed_between_check_and_call(&server, r#"exec stat -c %i "$MNT""#, "stat");
    stat.expect("1");
}

/// A recovery reopens the file on the server, never a file of the same name
/// in the directory underneath (one that someone else created there while
/// the mount was detached), even with the inode check off.
#[test]
fn a_recovery_never_reopens_a_file_underneath_the_mount() {
    require!(
        Component::Fuse,
        Component::Program {
            name: "python3",
            package: "python3"
        }
    );
    let server = FuseServer::fuser().expect("the FUSE server starts");
    fs::write(server.backing("data"), b"server data").expect("data");
    let mut python = Command::new(python3());
    python
        .args([
            "-c",
            "import sys\n\
             f = open(sys.argv[1], 'rb', buffering=0)\n\
             print(f.read(6).decode(), flush=True)\n\
             sys.stdin.readline()\n\
             print(f.read(5).decode(), flush=True)\n",
        ])
        .arg(server.path("data"))
        .env("HA_COVER_VERIFY", "0");
    let mut program = preloaded(python, &server, "reopen");
    program.expect("server");
    // A stray file of the same name underneath the mount point.
    let restarts = kill_detached(&server);
    fs::write(server.path("data"), b"STRAY STRAY").expect("a file underneath");
    restart(&server, restarts);
    program.send("go");
    // The read failed on the dead descriptor; its recovery checked that the
    // prefix is served and stopped before reopening.
    wait_stopped(program.pid());
    let restarts = kill_detached(&server);
    resume(&program);
    std::thread::sleep(Duration::from_millis(300));
    restart(&server, restarts);
    program.expect(" data");
    let status = program.wait();
    let stderr = program.stderr();
    assert!(status.success(), "{status}: {stderr}");
    assert!(stderr.contains(": recovered after "), "{stderr}");
}
