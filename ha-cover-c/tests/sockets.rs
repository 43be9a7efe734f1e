//! A C program on a socket recovered through `ha_connect` / `ha_reconnect`,
//! the Linux analogue of QNX's `ha_ConnectAttach` / `ha_ReConnectAttach`,
//! while the echo server is killed and restarted after a downtime (the
//! recovery function returns `HA_RETRY` until it is back).

mod common;

use std::time::Duration;

use common::{Program, T, compile};
use ha_cover_examples::world::{SocketMode, SocketServer};

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
