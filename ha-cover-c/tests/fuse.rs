//! C programs against a FUSE server that is killed with SIGKILL and remounted
//! while they run: QNX's example, a replaced recovery function,
//! `ha_connection_ctrl`'s limits and suspension, `ha_fopen` + `fgets`,
//! `fread` and `fprintf`, threads failing at once, and each covered file call
//! (`read`, `readv`, `write`, `writev`, `pwrite`, `fsync`) meeting a death.

mod common;

use std::fs;

use std::time::Duration;

use common::{Program, T, compile};
use ha_cover_world::require;
use ha_cover_world::{Chaos, ChaosConfig, Component, FuseServer};

/// Starts our FUSE server with `testfile` holding `content`.
fn server(content: &[u8]) -> FuseServer {
    let server = FuseServer::fuser().expect("the FUSE server starts");
    fs::write(server.backing("testfile"), content).expect("the backing file");
    server
}

/// Kills the server, waits for the supervisor to have restarted it, and lets
/// the program go on.
fn kill_and_restart(server: &FuseServer, program: &mut Program) {
    server
        .supervisor()
        .kill_and_restart(T)
        .expect("the server dies and comes back");
    program.send("go");
}

fn start(exe: &std::path::Path, server: &FuseServer, args: &[&str]) -> Program {
    let path = server.path("testfile");
    Program::start(exe, args, &[("TESTFILE", path.as_os_str())])
}

#[test]
fn qnx_example_recovers_once_and_reads_on() {
    require!(Component::Fuse);
    // The seed program, built the way a distribution builds C programs.
    let exe = compile("qnx_example", "", &["-O2", "-D_FORTIFY_SOURCE=2"]);
    let server = server(b"0123456789abcdefghijklmnopqrstuvwxyz");
    let mut program = start(&exe, &server, &[]);
    program.expect("ready");
    kill_and_restart(&server, &mut program);
    program.expect("read: fghijklmnopqrst");
    program.expect("total recoveries, 1");
    program.succeeds();
}

#[test]
fn a_replaced_recovery_function_is_used_and_eexist_without_the_flag() {
    require!(Component::Fuse);
    let exe = compile("replace", "", &[]);
    let server = server(b"0123456789abcdefghijklmnopqrstuvwxyz");
    let mut program = start(&exe, &server, &[]);
    program.expect("eexist");
    program.expect("ready");
    kill_and_restart(&server, &mut program);
    // The first recovery function gives up: the read's own error.
    program.expect("first: -1 ENOTCONN a=1 b=0");
    // Replaced, the next one reopens and seeks back: nothing lost.
    program.expect("second: 10 abcdefghij a=1 b=1");
    program.expect("ebadf 1 detached 1");
    program.succeeds();
}

#[test]
fn connection_ctrl_limits_and_suspension_return_the_original_errno() {
    require!(Component::Fuse);
    let exe = compile("ctrl", "", &[]);
    let server = server(&[b'x'; 4096]);
    let mut program = start(&exe, &server, &[]);
    program.expect("start ok");
    program.expect("ready");
    kill_and_restart(&server, &mut program);
    program.expect("1 ok calls=1");
    program.expect("ready");
    kill_and_restart(&server, &mut program);
    // HA_RECOVERY_ACOUNT of 1 is used up: the error a plain descriptor on
    // the same dead mount gets, and the recovery function is not called.
    program.expect("2 plain=ENOTCONN ha=ENOTCONN calls=1");
    program.expect("3 suspended=ENOTCONN calls=1");
    program.expect("4 enabled=ok calls=2");
    program.expect("ready");
    kill_and_restart(&server, &mut program);
    // HA_RECOVERY_ICOUNT of 1: the one attempt fails (HA_RETRY), then the
    // function is not called again until the count is reset.
    program.expect("5 plain=ENOTCONN ha=ENOTCONN again=ENOTCONN calls=3");
    program.expect("6 reset=ok calls=4");
    program.expect("stats failures=7 recoveries=3 attempts=4 gave_up=4 last=ENOTCONN");
    // ha_cover_on_event told each of them, with the reason of each give-up.
    program.expect("events failed=7 attempt_failed=1 recovered=3 gave_up=4");
    program.expect("reasons total=1 suspended=1 attempts=2");
    program.succeeds();
}

#[test]
fn fgets_on_ha_fopen_reads_every_line_across_a_death() {
    require!(Component::Fuse);
    let exe = compile("fopen", "", &[]);
    let lines: String = (0..2000).map(|n| format!("line {n:04}\n")).collect();
    let server = server(lines.as_bytes());
    let mut program = start(&exe, &server, &[]);
    program.expect("ready");
    kill_and_restart(&server, &mut program);
    program.expect("lines 2000 error 0 recoveries 1");
    program.succeeds();
}

/// `len` bytes of the pattern the C programs check what they read against.
fn pattern(len: u64) -> Vec<u8> {
    (0..len).map(|k| ((k * 7 + 3) % 251) as u8).collect()
}

#[test]
fn readv_fread_and_fprintf_on_ha_descriptors_and_streams_go_on_across_a_death() {
    require!(Component::Fuse);
    let exe = compile("streams", "", &[]);
    let server = server(b"0123456789abcdefghijklmnopqrstuvwxyz");
    fs::write(server.backing("testfile2"), pattern(65536)).expect("the second file");
    let written = server.path("written");
    let mut program = Program::start(
        &exe,
        &[written.to_str().expect("a UTF-8 path")],
        &[
            ("TESTFILE", server.path("testfile").as_os_str()),
            ("TESTFILE2", server.path("testfile2").as_os_str()),
        ],
    );
    program.expect("ready");
    kill_and_restart(&server, &mut program);
    // Uncovered, every call on the dead mount fails as the plain read does.
    program.expect("plain ENOTCONN");
    program.expect("readv 15 [abcde][fghijklmno] recoveries 1");
    program.expect("fread 65536 bytes mismatches 0 error 0 recoveries 1");
    program.expect("fprintf flushed 0 error 0 recoveries 1");
    program.succeeds();
    let written = fs::read(server.backing("written")).expect("the written file");
    assert!(
        written == records(),
        "{} bytes written, {} expected",
        written.len(),
        records().len()
    );
}

#[test]
fn a_recovery_waiting_for_the_server_keeps_its_own_reads_out_of_the_covers() {
    require!(Component::Fuse);
    let exe = compile("stale", "", &[]);
    let server = server(b"0123456789abcdefghijklmnopqrstuvwxyz");
    let mut program = start(&exe, &server, &[]);
    // The stale socket's number is the lowest free one.
    program.expect("stale 1");
    program.expect("ready");
    // Down for a while: the file's recovery has to wait, watching the mount
    // table, on a descriptor the kernel numbers as the stale socket.
    let supervisor = server.supervisor();
    supervisor.set_downtime(Duration::from_millis(300));
    supervisor.kill_and_wait(T).expect("the server dies");
    program.send("go");
    program.expect("read 10 abcdefghij file recoveries 1 socket recovery calls 0");
    program.expect("waited 1");
    program.succeeds();
}

#[test]
fn threads_failing_at_once_share_one_recovery() {
    require!(Component::Fuse);
    let exe = compile("threads", "", &[]);
    let server = server(&pattern(8 * 512));
    let mut program = start(&exe, &server, &[]);
    program.expect("ready");
    kill_and_restart(&server, &mut program);
    program.expect("ok 8 recoveries 1 failures 1");
    program.succeeds();
}

#[test]
fn plain_reads_through_a_dup_survive_many_deaths_byte_for_byte() {
    require!(Component::Fuse);
    // Fortified, with a read size the compiler cannot see: its reads are
    // glibc's `__read_chk`, which the library covers too.
    let exe = compile("chaos_reader", "", &["-O2", "-D_FORTIFY_SOURCE=2"]);
    let server = server(&pattern(8 << 20));
    let mut program = start(&exe, &server, &[]);
    program.expect("ready");
    let kills = 50;
    let chaos = Chaos::start(
        server.supervisor().handle(),
        ChaosConfig {
            seed: 8,
            kills,
            min_interval: Duration::from_millis(5),
            max_interval: Duration::from_millis(40),
            ready_timeout: T,
        },
    );
    let report = chaos.join();
    assert!(report.error.is_none(), "{:?}", report.error);
    program.send("stop");
    program.expect("mismatches 0 leaked 0");
    let line = program.line();
    let recoveries: usize = line
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    // Each kill that met a read was one recovery; the reader never stopped.
    assert!((1..=kills).contains(&recoveries), "{line}");
    eprintln!("{line} ({kills} kills)");
    program.succeeds();
}

fn records() -> Vec<u8> {
    (0..200)
        .flat_map(|n| format!("record {n:06} {:<49}\n", "abcdefghijklmnopqrstuvwxyz").into_bytes())
        .collect()
}

fn writes_across_a_death(mode: &str) {
    let exe = compile("writer", "", &[]);
    let server = server(b"");
    let mut program = start(&exe, &server, &[mode]);
    program.expect("ready");
    kill_and_restart(&server, &mut program);
    // The same call on a plain descriptor fails: the one on the HA descriptor
    // met the death, recovered once, and returned as if nothing happened.
    program.expect("plain ENOTCONN");
    program.expect(&format!("{mode} ok, recoveries 1"));
    program.expect("written, recoveries 1");
    program.succeeds();
    let written = fs::read(server.backing("testfile")).expect("the file");
    let expected = records();
    let first_difference = written.iter().zip(&expected).position(|(a, b)| a != b);
    assert!(
        written == expected,
        "{mode}: {} bytes written, {} expected, first difference at {first_difference:?}",
        written.len(),
        expected.len()
    );
}

#[test]
fn a_sequential_write_is_sent_again_where_it_failed() {
    require!(Component::Fuse);
    writes_across_a_death("seq");
}

#[test]
fn an_append_that_did_not_land_is_sent_again_once() {
    require!(Component::Fuse);
    writes_across_a_death("append");
}

#[test]
fn a_writev_is_sent_again_where_it_failed() {
    require!(Component::Fuse);
    writes_across_a_death("writev");
}

#[test]
fn a_pwrite_is_sent_again_at_its_offset() {
    require!(Component::Fuse);
    writes_across_a_death("pwrite");
}

#[test]
fn an_fsync_that_meets_the_death_recovers_and_the_writes_go_on_where_they_were() {
    require!(Component::Fuse);
    writes_across_a_death("fsync");
}
