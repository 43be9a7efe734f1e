//! C programs on sockets recovered through `ha_connect` / `ha_reconnect`,
//! the Linux analogue of QNX's `ha_ConnectAttach` / `ha_ReConnectAttach`,
//! while the echo or stream server is killed and restarted after a downtime
//! (the recovery function returns `HA_RETRY` until it is back): `write`,
//! `send` and `writev` meeting the death, `read`, `recv` (also fortified:
//! `__recv_chk`) and `readv` meeting it.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{Program, T, build, compile};
use ha_cover_world::stream;
use ha_cover_world::{SocketMode, SocketServer};

/// Kills the server, which comes back after `downtime`, and lets the program
/// go on at once: its recovery waits for the server.
fn kill(server: &SocketServer, program: &mut Program) {
    let supervisor = server.supervisor();
    supervisor.set_downtime(Duration::from_millis(200));
    supervisor.kill_and_wait(T).expect("the server dies");
    program.send("go");
}

#[test]
fn unix_socket_write_to_a_dead_server_is_sent_again_after_reconnecting() {
    let exe = compile("socket", "", &[]);
    let server = SocketServer::start(SocketMode::Echo).expect("the echo server starts");
    let path = server.unix_path().expect("a Unix socket").as_os_str();
    let mut program = Program::start(&exe, &[], &[("SOCKET", path)]);
    program.expect("echo hello");
    program.expect("ready");
    kill(&server, &mut program);
    // The write met EPIPE (no SIGPIPE): nothing was unanswered, so it was
    // sent again on the new connection.
    program.expect("echo again");
    program.expect("recoveries 1");
    program.expect("connect_r ENOENT disconnect_r 0 disconnect -1 EBADF");
    program.succeeds();
}

#[test]
fn send_and_writev_that_meet_a_death_are_sent_again_and_recv_readv_read_the_echo() {
    let exe = compile("sendv", "", &[]);
    for call in ["send", "recv", "writev", "readv"] {
        assert!(imports(&exe, call), "the program calls {call} itself");
    }
    let server = SocketServer::start(SocketMode::Echo).expect("the echo server starts");
    let path = server.unix_path().expect("a Unix socket").as_os_str();
    let mut program = Program::start(&exe, &[], &[("SOCKET", path)]);
    program.expect("ready");
    kill(&server, &mut program);
    // Uncovered, the call fails with EPIPE; covered, the program was not even
    // killed by SIGPIPE: the call recovered and was sent once on the new
    // connection, whose echo is exactly what it sent.
    program.expect("1 plain=EPIPE send=6 recoveries=1 recv=6 first\\n");
    program.expect("ready");
    kill(&server, &mut program);
    program.expect("2 plain=EPIPE writev=7 recoveries=2 readv=7 [sec][ond\\n]");
    program.expect("stats failures=2 recoveries=2 last=EPIPE");
    program.succeeds();
}

fn tcp(args: &[&str]) -> (SocketServer, Program) {
    let exe = compile("socket", "", &[]);
    let server = SocketServer::start_tcp(SocketMode::Echo).expect("the echo server starts");
    let port = server.tcp_addr().expect("TCP").port().to_string();
    let program = Program::start(&exe, args, &[("PORT", port.as_ref())]);
    (server, program)
}

#[test]
fn tcp_replay_sends_the_unanswered_request_again() {
    let (server, mut program) = tcp(&["replay"]);
    program.expect("echo hello");
    program.expect("ready");
    kill(&server, &mut program);
    // The write to the dead peer succeeded; the read met its end. The
    // request was replayed on the new connection, and the read answered.
    program.expect("echo again");
    program.expect("recoveries 1");
    program.expect("connect_r ENOENT disconnect_r 0 disconnect -1 EBADF");
    program.succeeds();
}

#[test]
fn tcp_by_default_an_unanswered_request_is_not_sent_twice() {
    let (server, mut program) = tcp(&[]);
    program.expect("echo hello");
    program.expect("ready");
    kill(&server, &mut program);
    // Whether the dead server got "again" is unknown: the read fails with
    // ECONNRESET, on a descriptor already connected again.
    program.expect("read: -1 ECONNRESET");
    program.expect("echo again");
    program.expect("recoveries 1");
    program.expect("connect_r ENOENT disconnect_r 0 disconnect -1 EBADF");
    program.succeeds();
}

/// The seed of the stream server's bytes.
const SEED: u64 = 29;

fn stream_server() -> SocketServer {
    SocketServer::start(SocketMode::Stream {
        seed: SEED,
        len: None,
    })
    .expect("the stream server starts")
}

/// Runs `tests/c/stream.c`, built as `exe`, reading the stream with `call`
/// across one death of the server; checks every byte it read.
fn stream_across_a_death(exe: &Path, call: &str) {
    let server = stream_server();
    // Named after the program too: tests running at once read with the same call.
    let name = exe.file_name().expect("a file").to_string_lossy();
    let out = build().out.join(format!("{name}-{call}.out"));
    let mut program = Program::start(
        exe,
        &[call],
        &[
            ("SOCKET", server.unix_path().expect("Unix").as_os_str()),
            ("OUT", out.as_os_str()),
        ],
    );
    program.expect("ready");
    kill(&server, &mut program);
    // The read met the dead server's end once its last bytes were read: one
    // failure, one recovery, and the stream went on from where it stopped.
    let line = program.line();
    let received: usize = line
        .strip_prefix("received ")
        .and_then(|rest| rest.strip_suffix(" recoveries 1 failures 1"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{call}: {line}"));
    program.succeeds();
    let read = std::fs::read(&out).expect("what the program read");
    let _ = std::fs::remove_file(&out);
    assert_eq!(read.len(), received, "{call}");
    let expected = stream::bytes(SEED, 0, received);
    let first_difference = read.iter().zip(&expected).position(|(a, b)| a != b);
    assert!(
        first_difference.is_none(),
        "{call}: {received} bytes, first difference at {first_difference:?}"
    );
}

/// Whether `exe` calls `symbol` from a shared library.
fn imports(exe: &Path, symbol: &str) -> bool {
    let output = Command::new("nm")
        .args(["-D", "--undefined-only"])
        .arg(exe)
        .output()
        .expect("nm runs (install binutils)");
    assert!(output.status.success(), "nm {exe:?}");
    String::from_utf8_lossy(&output.stdout).lines().any(|line| {
        line.split_whitespace()
            .last()
            .and_then(|name| name.split('@').next())
            == Some(symbol)
    })
}

#[test]
fn recv_that_meets_the_death_is_sent_again_and_the_stream_resumes_byte_exact() {
    let exe = compile("stream", "", &[]);
    assert!(imports(&exe, "recv"), "the program calls recv itself");
    stream_across_a_death(&exe, "recv");
}

#[test]
fn fortified_recv_is_recv_chk_and_is_covered_across_a_death() {
    let exe = compile("stream", "-fortified", &["-O2", "-D_FORTIFY_SOURCE=2"]);
    // A length the compiler cannot see, into a buffer whose size it can:
    // glibc's header makes the call __recv_chk, never recv.
    assert!(imports(&exe, "__recv_chk"), "no __recv_chk in {exe:?}");
    assert!(!imports(&exe, "recv"), "recv left in {exe:?}");
    stream_across_a_death(&exe, "recv");
}

#[test]
fn fortified_recv_longer_than_its_buffer_aborts_on_an_ha_descriptor() {
    let exe = compile("stream", "-fortified", &["-O2", "-D_FORTIFY_SOURCE=2"]);
    let server = stream_server();
    let mut program = Program::start(
        &exe,
        &["recv", "overflow"],
        &[
            ("SOCKET", server.unix_path().expect("Unix").as_os_str()),
            ("OUT", "/dev/null".as_ref()),
        ],
    );
    program.expect("overflow");
    let status = program.wait();
    let stderr = program.stderr();
    // What glibc's __chk_fail does: its message, then abort().
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(libc::SIGABRT),
        "{status}; stderr: {stderr}"
    );
    assert!(
        stderr.contains("buffer overflow detected"),
        "stderr: {stderr}"
    );
}

#[test]
fn readv_that_meets_the_death_is_sent_again_and_the_stream_resumes_byte_exact() {
    let exe = compile("stream", "", &[]);
    assert!(imports(&exe, "readv"), "the program calls readv itself");
    stream_across_a_death(&exe, "readv");
}
