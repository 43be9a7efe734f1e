//! More unmodified programs under the preload mode, their covered file's
//! FUSE server SIGKILLed and restarted while they run: readers (`wc`,
//! `md5sum`, `awk`, `sort`, `head -c`) print what they would have, writers
//! (`dd of=`, `cp`, `tee`, a shell's `>`) leave the file byte for byte what
//! they were given; and the edges these found: a shell's `> file` whose
//! server died before the `exec`, `fclose` of a read stream after a death,
//! `sort`'s `euidaccess` while the server is down.

mod common;

use std::fs;

use common::preload::{assert_same, chaos, command, pattern, repeated};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer};

const KILLS: usize = 12;

fn plain_output(program: &str, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .expect("the program runs");
    assert!(output.status.success(), "{program}: {output:?}");
    output.stdout
}

fn readers(name: &str, program: &str, args: &[&str], seed: u64) {
    require!(Component::Fuse);
    let server = FuseServer::fuser().expect("the FUSE server starts");
    let text: String = (0..300_000u64)
        .map(|n| format!("{} line {n:07} x{}\n", n * 7919 % 300_000, n % 13))
        .collect();
    fs::write(server.backing("data"), text.as_bytes()).expect("backing");
    let path = server.path("data");
    let mut all: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    all.push(path.as_os_str());
    let expected = plain_output(program, &all);
    let (runs, recoveries, chaos) = repeated(
        |_| {
            let mut c = command(&server, program);
            c.args(&all);
            c
        },
        chaos(&server, KILLS, seed),
        |run, outcome| {
            outcome.assert_clean(name);
            assert_same(&format!("{name} run {run}"), &outcome.stdout, &expected);
        },
    );
    eprintln!(
        "{name}: {} kills, {runs} runs, {recoveries} deaths met",
        chaos.kills.len()
    );
}

#[test]
fn wc() {
    readers("wc", "wc", &[], 21);
}
#[test]
fn md5sum() {
    readers("md5sum", "md5sum", &[], 22);
}
#[test]
fn awk() {
    readers("awk", "awk", &["{ s += $1 } END { print s, NR }"], 23);
}
#[test]
fn sort() {
    readers("sort", "sort", &[], 24);
}
#[test]
fn head_c() {
    readers("head -c", "head", &["-c", "5000000"], 25);
}

fn writer(
    name: &str,
    make: impl Fn(&FuseServer, &std::path::Path) -> std::process::Command,
    seed: u64,
) {
    require!(Component::Fuse);
    let server = FuseServer::fuser().expect("the FUSE server starts");
    let local = tempfile::tempdir().expect("a local directory");
    let data = pattern(8 << 20);
    let src = local.path().join("src");
    fs::write(&src, &data).expect("src");
    let (runs, recoveries, chaos) = repeated(
        |_| make(&server, &src),
        chaos(&server, KILLS, seed),
        |run, outcome| {
            // A writable descriptor closed while its connection is dead
            // reports the dead connection's error (README): the program says
            // so (dd "closing output file", tee and cat name only the error),
            // and the file is not checked. A write the library gave up on
            // would have its "not recovered" line.
            let said: Vec<&str> = outcome
                .stderr
                .lines()
                .filter(|l| !common::preload::is_recovery_line(l))
                .collect();
            let dead_close = |l: &&str| {
                !l.starts_with("ha-cover:")
                    && (l.contains("Transport endpoint is not connected")
                        || l.contains("Software caused connection abort"))
            };
            if !outcome.status.success() && !said.is_empty() && said.iter().all(dead_close) {
                let _ = fs::remove_file(server.backing("out"));
                return;
            }
            outcome.assert_clean(name);
            assert_same(
                &format!("{name} run {run}"),
                &fs::read(server.backing("out")).expect("out"),
                &data,
            );
            let _ = fs::remove_file(server.backing("out"));
        },
    );
    eprintln!(
        "{name}: {} kills, {runs} runs, {recoveries} deaths met",
        chaos.kills.len()
    );
}

#[test]
fn dd_writer() {
    writer(
        "dd of=",
        |server, src| {
            let mut c = command(server, "dd");
            c.arg(format!("if={}", src.display()))
                .arg(format!("of={}", server.path("out").display()))
                .args(["bs=64K", "status=none", "conv=fsync"]);
            c
        },
        31,
    );
}
#[test]
fn cp_writer() {
    writer(
        "cp into",
        |server, src| {
            // Onto an existing file (opened O_TRUNC): a new one is created
            // O_EXCL, and a create that met the death may have landed, so
            // that its retry finds the file there (EEXIST; not covered).
            fs::write(server.backing("out"), b"old").expect("an old copy");
            let mut c = command(server, "cp");
            c.arg(src).arg(server.path("out"));
            c
        },
        32,
    );
}
#[test]
fn tee_writer() {
    writer(
        "tee",
        |server, src| {
            let mut c = command(server, "sh");
            c.arg("-c")
                .arg("tee \"$1\" < \"$2\" > /dev/null")
                .arg("sh")
                .arg(server.path("out"))
                .arg(src);
            c
        },
        33,
    );
}
#[test]
fn sh_redirect_writer() {
    writer(
        "sh >",
        |server, src| {
            let mut c = command(server, "sh");
            c.arg("-c")
                .arg("cat \"$2\" > \"$1\"")
                .arg("sh")
                .arg(server.path("out"))
                .arg(src);
            c
        },
        34,
    );
}

/// A shell's `> file` on a covered path, its server killed and restarted
/// (the dead mount detached) between the shell's open and the `exec`: the
/// kernel names the inherited descriptor `/out`, from the detached mount's
/// root, and the program adopts it all the same and writes through it.
#[test]
fn inherited_stdout_after_a_death_before_exec() {
    require!(Component::Fuse);
    let server = FuseServer::fuser().expect("the FUSE server starts");
    let local = tempfile::tempdir().expect("a local directory");
    let go = local.path().join("go");
    let mut c = command(&server, "sh");
    c.arg("-c")
        .arg("exec > \"$1\"; echo opened >&2; while [ ! -e \"$2\" ]; do :; done; exec echo hello")
        .arg("sh")
        .arg(server.path("out"))
        .arg(&go)
        .stderr(std::process::Stdio::piped());
    let mut child = common::preload::Running(c.spawn().expect("sh"));
    let stderr = common::preload::drain(child.0.stderr.take().unwrap());
    let deadline = std::time::Instant::now() + common::T;
    while !String::from_utf8_lossy(&stderr.lock().unwrap()).contains("opened") {
        assert!(std::time::Instant::now() < deadline);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    server
        .supervisor()
        .handle()
        .kill_and_restart(common::T)
        .expect("restarted");
    fs::write(&go, b"").unwrap();
    let status = child.0.wait().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    let stderr = String::from_utf8_lossy(&stderr.lock().unwrap()).into_owned();
    assert!(status.success(), "{status}: {stderr}");
    assert_eq!(
        fs::read(server.backing("out")).unwrap(),
        b"hello\n",
        "{stderr}"
    );
}

/// `fclose` of a stream `fopen`ed for reading on a covered file, after its
/// server died: no error, as `close` of a read-only descriptor.
#[test]
fn fclose_of_a_read_stream_after_a_death_says_nothing() {
    require!(Component::Fuse);
    let exe = common::build().out.join("fclose_read-plain");
    let output = std::process::Command::new("cc")
        .args(["-std=gnu11", "-Wall", "-Werror", "-O2"])
        .arg(common::source("fclose_read"))
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("cc runs");
    assert!(output.status.success(), "{output:?}");
    let server = FuseServer::fuser().expect("the FUSE server starts");
    fs::write(server.backing("data"), pattern(100_000)).expect("data");
    let mut c = command(&server, &exe);
    c.arg(server.path("data"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut program = common::Program::spawn(c, "fclose_read");
    program.expect("read 100000");
    server
        .supervisor()
        .kill_and_restart(common::T)
        .expect("the server dies and comes back");
    program.send("go");
    program.expect("fclose 0 ");
    program.succeeds();
}

/// `sort` started while its input's server is down: its `euidaccess` check
/// waits for the server, as `access` does, instead of "cannot read".
#[test]
fn sort_started_while_the_server_is_down_waits_for_it() {
    require!(Component::Fuse);
    let server = FuseServer::fuser().expect("the FUSE server starts");
    fs::write(server.backing("data"), b"b\nc\na\n").expect("data");
    common::build();
    let supervisor = server.supervisor();
    supervisor.set_downtime(std::time::Duration::from_millis(300));
    supervisor
        .kill_and_wait(common::T)
        .expect("the server dies");
    let output = command(&server, "sort")
        .arg(server.path("data"))
        .output()
        .expect("sort runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(output.stdout, b"a\nb\nc\n", "{stderr}");
}

/// `getxattr` and `lgetxattr` (`ls -l` asks for ACLs with them) on a covered
/// path while its server is down wait for it, as `stat` does, instead of
/// failing with the dead connection's error or the detached mount point's
/// `ENOENT`.
#[test]
fn getxattr_while_the_server_is_down_waits_for_it() {
    require!(
        Component::Fuse,
        Component::Program {
            name: "python3",
            package: "python3"
        }
    );
    let server = FuseServer::fuser().expect("the FUSE server starts");
    fs::write(server.backing("data"), b"data").expect("data");
    let script = "import errno, os, sys\n\
                  for path in sys.argv[1:]:\n\
                  \x20 for follow in (True, False):\n\
                  \x20   try:\n\
                  \x20       os.getxattr(path, 'user.none', follow_symlinks=follow)\n\
                  \x20       print('value')\n\
                  \x20   except OSError as e:\n\
                  \x20       print(errno.errorcode[e.errno])\n";
    // What the served file system answers when it is up.
    let up = command(&server, common::preload::python3())
        .args(["-c", script])
        .arg(server.path("data"))
        .arg(server.mountpoint())
        .output()
        .expect("python3 runs");
    assert!(up.status.success(), "{up:?}");
    let supervisor = server.supervisor();
    supervisor.set_downtime(std::time::Duration::from_millis(300));
    supervisor
        .kill_and_wait(common::T)
        .expect("the server dies");
    let down = command(&server, common::preload::python3())
        .args(["-c", script])
        .arg(server.path("data"))
        .arg(server.mountpoint())
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&down.stderr);
    assert!(down.status.success(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&down.stdout),
        String::from_utf8_lossy(&up.stdout),
        "{stderr}"
    );
}

/// Past `HA_COVER_DEADLINE` with the server still down, a path-level call
/// fails with `ENOTCONN`, as a read does: not with the `ENOENT` of the
/// directory underneath the detached mount, which would say the file does
/// not exist.
#[test]
fn a_path_call_that_gives_up_fails_with_enotconn() {
    require!(
        Component::Fuse,
        Component::Program {
            name: "python3",
            package: "python3"
        }
    );
    let server = FuseServer::fuser().expect("the FUSE server starts");
    fs::write(server.backing("data"), b"data").expect("data");
    common::build();
    let supervisor = server.supervisor();
    supervisor.set_downtime(std::time::Duration::from_secs(3));
    supervisor
        .kill_and_wait(common::T)
        .expect("the server dies");
    let script = "import errno, os, sys\n\
                  for call in (os.stat, os.lstat, lambda p: os.getxattr(p, 'user.none')):\n\
                  \x20   try:\n\
                  \x20       call(sys.argv[1])\n\
                  \x20       print('ok')\n\
                  \x20   except OSError as e:\n\
                  \x20       print(errno.errorcode[e.errno])\n";
    let output = command(&server, common::preload::python3())
        .env("HA_COVER_DEADLINE", "200ms")
        .args(["-c", script])
        .arg(server.path("data"))
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "ENOTCONN\nENOTCONN\nENOTCONN\n",
        "{stderr}"
    );
}

/// A descriptor a shell opened (`exec 3< file`) and its children read in
/// turn shares one file offset. When the server dies while the first child
/// reads, that child recovers onto a file description of its own: the
/// shell's, which the next child inherits, is still the dead one, at the
/// offset of the death, and the next child recovers to there and reads
/// again what the first read after the death.
#[test]
#[ignore = "open: a recovery in one process does not carry the shared offset of an inherited descriptor to the others"]
fn an_offset_shared_with_a_parent_survives_a_death_in_a_child() {
    require!(
        Component::Fuse,
        Component::Program {
            name: "python3",
            package: "python3"
        }
    );
    let server = FuseServer::fuser().expect("the FUSE server starts");
    let lines: String = (0..1000).map(|n| format!("{n:09}\n")).collect();
    fs::write(server.backing("data"), lines).expect("data");
    let script = "exec 3< \"$1\"\n\
                  python3 -c 'import os, sys\n\
                  os.read(3, 1000)\n\
                  print(\"ready\", flush=True)\n\
                  sys.stdin.readline()\n\
                  os.read(3, 1000)\n'\n\
                  head -c 9 <&3; echo\n";
    let mut c = command(&server, "sh");
    c.args(["-c", script, "sh"])
        .arg(server.path("data"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut program = common::Program::spawn(c, "sh");
    program.expect("ready");
    server
        .supervisor()
        .kill_and_restart(common::T)
        .expect("the server dies and comes back");
    program.send("go");
    // Bytes 2000.. : the 201st line.
    program.expect("000000200");
    program.succeeds();
}
