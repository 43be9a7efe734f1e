//! Parity: one table of scenarios run through the three front ends of the
//! recovery engine (the sync `Cover`, the tokio `AsyncCover`, and the C ABI
//! called as a C program calls it), against servers SIGKILLed for real. Each
//! scenario asserts the behaviour it names on the sync cover, and that the
//! other two did exactly the same: every operation's outcome, the group's
//! counters after each, the events, the calls of the recovery function and
//! the file left on the server.
//!
//! `cargo test -p ha-cover-c --test parity`

mod c_abi;
#[path = "../common/mod.rs"]
mod common;
mod front;
mod rust_async;
mod rust_common;
mod rust_sync;
mod scenario;
mod servers;

use ha_cover_world::Component;
use ha_cover_world::require;

use scenario::{
    Act, Counts, Ctrl, Ev, Limits, Mode, Op, Open, Outcome, Policy, Reason, Scenario, Step, Target,
    Transcript,
};

const ENOTCONN: i32 = libc::ENOTCONN;

/// Which front ends a scenario applies to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fronts {
    All,
    /// A C recovery function cannot panic.
    RustOnly,
}

/// How the transcripts are compared.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Compare {
    /// Equal in every detail.
    Exact,
    /// Equal outcomes; the counters and events depend on how many attempts fit
    /// in a deadline, so each front end is checked for counters that add up.
    Outcomes,
}

fn run(scenario: &Scenario, fronts: Fronts, compare: Compare) -> Transcript {
    let _one = scenario::ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    eprintln!("{}: sync", scenario.name);
    let sync = front::run(&mut rust_sync::Sync::default(), scenario);
    eprintln!("{}: tokio", scenario.name);
    let asynchronous = front::run(&mut rust_async::Async::default(), scenario);
    eprintln!("{}: C", scenario.name);
    let c = (fronts == Fronts::All).then(|| front::run(&mut c_abi::CAbi::default(), scenario));
    let name = scenario.name;
    match compare {
        Compare::Exact => {
            assert_eq!(
                asynchronous, sync,
                "{name}: the tokio cover differs from the sync one"
            );
            if let Some(c) = &c {
                assert_eq!(*c, sync, "{name}: the C ABI differs from the sync cover");
            }
        }
        Compare::Outcomes => {
            let outcomes =
                |t: &Transcript| t.ops.iter().map(|(o, _)| o.clone()).collect::<Vec<_>>();
            assert_eq!(
                outcomes(&asynchronous),
                outcomes(&sync),
                "{name}: tokio vs sync"
            );
            for t in [Some(&sync), Some(&asynchronous), c.as_ref()]
                .into_iter()
                .flatten()
            {
                assert_eq!(outcomes(t), outcomes(&sync), "{name}: C vs sync");
                let last = t.ops.last().expect("a step").1;
                assert_eq!(
                    last.failures,
                    last.recoveries + last.gave_up,
                    "{name}: every failure ended in a recovery or a give-up: {last:?}"
                );
            }
        }
    }
    if let Some(expected) = &scenario.file_after {
        assert_eq!(
            sync.file_after.as_ref(),
            Some(expected),
            "{name}: the file on the server"
        );
    }
    sync
}

fn file(name: &'static str, content: &[u8], open: Open, steps: Vec<Step>) -> Scenario {
    Scenario {
        name,
        target: Target::File {
            content: content.to_vec(),
            open,
        },
        limits: Limits::default(),
        script: vec![Act::ReopenSeek],
        steps,
        file_after: None,
    }
}

fn socket(name: &'static str, mode: Mode, policy: Policy, steps: Vec<Step>) -> Scenario {
    Scenario {
        name,
        target: Target::Socket { mode, policy },
        limits: Limits::default(),
        script: vec![Act::Reconnect],
        steps,
        file_after: None,
    }
}

fn read(n: usize) -> Step {
    Step::Op(0, Op::Read(n))
}

fn write(bytes: &[u8]) -> Step {
    Step::Op(0, Op::Write(bytes.to_vec()))
}

fn data(bytes: &[u8]) -> Outcome {
    Outcome::Data(bytes.to_vec())
}

fn counts(failures: u64, recoveries: u64, attempts: u64, gave_up: u64) -> (u64, u64, u64, u64) {
    (failures, recoveries, attempts, gave_up)
}

fn seen(c: Counts) -> (u64, u64, u64, u64) {
    (c.failures, c.recoveries, c.attempts, c.gave_up)
}

const TEXT: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

#[test]
fn a_read_across_a_death_reads_on_byte_exact() {
    require!(Component::Fuse);
    let t = run(
        &file(
            "read",
            TEXT,
            Open::Read,
            vec![read(10), Step::Kill, read(10), read(10)],
        ),
        Fronts::All,
        Compare::Exact,
    );
    assert_eq!(t.ops[1].0, data(b"abcdefghij"));
    assert_eq!(t.ops[2].0, data(b"klmnopqrst"));
    assert_eq!(seen(t.ops[2].1), counts(1, 1, 1, 0));
    assert_eq!(t.ops[1].1.last_errno, ENOTCONN);
    assert_eq!(
        t.events,
        [
            Ev::Failed { errno: ENOTCONN },
            Ev::Recovered { attempts: 1 }
        ]
    );
}

#[test]
fn a_sequential_write_across_a_death_lands_once() {
    require!(Component::Fuse);
    let mut s = file(
        "write",
        b"",
        Open::ReadWrite,
        vec![write(b"hello "), Step::Kill, write(b"world")],
    );
    s.file_after = Some(b"hello world".to_vec());
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(t.ops[1].0, Outcome::Written(5));
    assert_eq!(seen(t.ops[1].1), counts(1, 1, 1, 0));
}

#[test]
fn an_append_across_a_death_lands_once() {
    require!(Component::Fuse);
    let mut s = file(
        "append",
        b"start\n",
        Open::Append,
        vec![
            write(b"a\n"),
            Step::Kill,
            write(b"b\n"),
            Step::Kill,
            write(b"c\n"),
        ],
    );
    s.file_after = Some(b"start\na\nb\nc\n".to_vec());
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(seen(t.ops[2].1), counts(2, 2, 2, 0));
}

#[test]
fn positioned_reads_and_writes_across_deaths() {
    require!(Component::Fuse);
    let mut s = file(
        "positioned",
        &[b'.'; 16],
        Open::ReadWrite,
        vec![
            Step::Op(0, Op::WriteAt(8, b"xyz".to_vec())),
            Step::Kill,
            Step::Op(0, Op::ReadAt(7, 5)),
            Step::Kill,
            Step::Op(0, Op::WriteAt(0, b"ab".to_vec())),
        ],
    );
    s.file_after = Some(b"ab......xyz.....".to_vec());
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(t.ops[1].0, data(b".xyz."));
    assert_eq!(seen(t.ops[2].1), counts(2, 2, 2, 0));
}

/// A seek needs no server (the kernel keeps the position), a sync does.
#[test]
fn a_seek_and_a_sync_across_deaths() {
    require!(Component::Fuse);
    let t = run(
        &file(
            "seek-sync",
            TEXT,
            Open::ReadWrite,
            vec![
                Step::Kill,
                Step::Op(0, Op::Seek(30)),
                Step::Kill,
                Step::Op(0, Op::Sync),
                read(10),
            ],
        ),
        Fronts::All,
        Compare::Exact,
    );
    assert_eq!(t.ops[0].0, Outcome::Position(30));
    assert_eq!(t.ops[1].0, Outcome::Done);
    assert_eq!(t.ops[2].0, data(b"uvwxyz"));
    assert_eq!(seen(t.ops[0].1), counts(0, 0, 0, 0));
    assert_eq!(seen(t.ops[2].1), counts(1, 1, 1, 0));
}

#[test]
fn a_files_end_is_not_a_failure() {
    require!(Component::Fuse);
    let t = run(
        &file("eof", b"abc", Open::Read, vec![read(10), read(10)]),
        Fronts::All,
        Compare::Exact,
    );
    assert_eq!(t.ops[1].0, Outcome::Eof);
    assert_eq!(t.ops[1].1, Counts::default());
}

#[test]
fn a_write_on_a_read_only_file_is_the_callers_mistake_not_a_death() {
    require!(Component::Fuse);
    let t = run(
        &file("wrong-access", b"abc", Open::Read, vec![write(b"x")]),
        Fronts::All,
        Compare::Exact,
    );
    assert_eq!(t.ops[0].0, Outcome::Errno(libc::EBADF));
    assert_eq!(t.ops[0].1, Counts::default());
}

/// Drift: the C ABI spent an attempt (and lost the errno) when its recovery
/// function returned -1.
#[test]
fn a_recovery_function_that_gives_up_spends_no_attempt() {
    require!(Component::Fuse);
    let mut s = file(
        "give-up",
        TEXT,
        Open::Read,
        vec![
            read(4),
            Step::Kill,
            read(4),
            Step::Script(vec![Act::ReopenSeek]),
            read(4),
        ],
    );
    s.script = vec![Act::GiveUp(libc::EACCES)];
    s.limits.attempts = Some(1);
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(t.ops[1].0, Outcome::Errno(ENOTCONN), "the call's own error");
    assert_eq!(seen(t.ops[1].1), counts(1, 0, 1, 1));
    // With one attempt per failure, the give-up did not use it up.
    assert_eq!(t.ops[2].0, data(b"4567"));
    assert_eq!(seen(t.ops[2].1), counts(2, 1, 2, 1));
    assert_eq!(
        t.events,
        [
            Ev::Failed { errno: ENOTCONN },
            Ev::GaveUp {
                reason: Reason::Function
            },
            Ev::Failed { errno: ENOTCONN },
            Ev::Recovered { attempts: 1 },
        ]
    );
}

/// Drift: the C ABI returned after a recovery function that reopened
/// nothing as if it had recovered, so `read()` never returned.
#[test]
fn a_recovery_that_does_not_change_the_connection_is_a_failed_attempt() {
    require!(Component::Fuse);
    let mut s = file(
        "unchanged",
        TEXT,
        Open::Read,
        vec![
            read(4),
            Step::Kill,
            read(4),
            Step::Script(vec![Act::ReopenSeek]),
            Step::Ctrl(0, Ctrl::ResetAttempts),
            read(4),
        ],
    );
    s.script = vec![Act::Unchanged];
    s.limits.attempts = Some(3);
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(t.ops[1].0, Outcome::Errno(ENOTCONN));
    assert_eq!(seen(t.ops[1].1), counts(1, 0, 3, 1));
    assert_eq!(t.calls, (4, 0), "three attempts, then the reopen");
    assert_eq!(t.ops[2].0, data(b"4567"));
    let attempts = |n| Ev::AttemptFailed {
        number: n,
        errno: libc::EIO,
    };
    assert_eq!(
        t.events[..5],
        [
            Ev::Failed { errno: ENOTCONN },
            attempts(1),
            attempts(2),
            attempts(3),
            Ev::GaveUp {
                reason: Reason::Attempts
            },
        ]
    );
}

/// Finding: a recovery that does not hold (the retransmission fails again
/// at once) went on with fresh counters for ever; it is the same failure,
/// bounded by its attempts.
#[test]
fn a_connection_that_dies_again_at_once_is_one_failure_bounded_by_its_attempts() {
    let mut s = socket("hangup", Mode::Hangup, Policy::Never, vec![read(16)]);
    s.limits.attempts = Some(3);
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(t.ops[0].0, Outcome::Eof, "what a plain socket reads");
    assert_eq!(seen(t.ops[0].1), counts(4, 3, 3, 1));
    assert_eq!(
        t.events.last(),
        Some(&Ev::GaveUp {
            reason: Reason::Attempts
        })
    );
}

#[test]
fn a_connection_that_dies_again_at_once_is_bounded_by_the_deadline() {
    let mut s = socket(
        "hangup-deadline",
        Mode::Hangup,
        Policy::Never,
        vec![read(16)],
    );
    s.limits.deadline_ms = Some(400);
    let t = run(&s, Fronts::All, Compare::Outcomes);
    assert_eq!(t.ops[0].0, Outcome::Eof);
    assert_eq!(t.ops[0].1.gave_up, 1);
}

/// Finding: a request that makes a live server hang up was replayed about
/// thirteen times a second for ever.
#[test]
fn a_poison_request_under_replay_ends_in_what_the_caller_sees() {
    let mut s = socket(
        "poison",
        Mode::Echo,
        Policy::Replay,
        vec![write(b"POISON\n"), read(16)],
    );
    s.limits.attempts = Some(3);
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(t.ops[1].0, Outcome::Eof);
    assert_eq!(seen(t.ops[1].1), counts(4, 3, 3, 1));
}

/// Drift: the C ABI never forgot the unanswered bytes after telling the
/// caller their fate was unknown, so every later failure was indeterminate.
#[test]
fn an_unanswered_request_is_indeterminate_once_and_the_next_starts_afresh() {
    let t = run(
        &socket(
            "never",
            Mode::Echo,
            Policy::Never,
            vec![
                write(b"HOLD\n"),
                Step::Kill,
                read(16),
                Step::Kill,
                write(b"pong\n"),
                read(16),
            ],
        ),
        Fronts::All,
        Compare::Exact,
    );
    assert_eq!(t.ops[1].0, Outcome::Indeterminate);
    assert_eq!(t.ops[1].1.indeterminate, 1);
    assert_eq!(
        t.ops[2].0,
        Outcome::Written(5),
        "nothing unanswered any more"
    );
    assert_eq!(t.ops[3].0, data(b"pong\n"));
    assert_eq!(seen(t.ops[3].1), counts(2, 2, 2, 0));
    assert!(t.events.contains(&Ev::Indeterminate { unanswered: 5 }));
}

#[test]
fn always_sends_a_failed_write_again_after_unanswered_bytes() {
    let t = run(
        &socket(
            "always",
            Mode::Echo,
            Policy::Always,
            vec![write(b"HOLD\n"), Step::Kill, write(b"c\n"), read(16)],
        ),
        Fronts::All,
        Compare::Exact,
    );
    assert_eq!(t.ops[1].0, Outcome::Written(2));
    assert_eq!(t.ops[2].0, data(b"c\n"));
    assert_eq!(t.ops[2].1.indeterminate, 0);
}

#[test]
fn never_reports_a_write_after_unanswered_bytes_indeterminate() {
    let t = run(
        &socket(
            "never-write",
            Mode::Echo,
            Policy::Never,
            vec![
                write(b"HOLD\n"),
                Step::Kill,
                write(b"c\n"),
                write(b"d\n"),
                read(16),
            ],
        ),
        Fronts::All,
        Compare::Exact,
    );
    assert_eq!(t.ops[1].0, Outcome::Indeterminate);
    assert_eq!(t.ops[2].0, Outcome::Written(2));
    assert_eq!(t.ops[3].0, data(b"d\n"));
}

#[test]
fn replay_sends_a_request_the_server_died_with_again() {
    let t = run(
        &socket(
            "replay",
            Mode::Echo,
            Policy::Replay,
            vec![write(b"SLOW 1500 late\n"), Step::Kill, read(16)],
        ),
        Fronts::All,
        Compare::Exact,
    );
    assert_eq!(t.ops[1].0, data(b"late\n"));
    assert_eq!(seen(t.ops[1].1), counts(1, 1, 1, 0));
}

/// Finding: a panicking recovery function was re-raised by the sync cover
/// and turned into ENOTCONN by the async one, and neither counted it.
#[test]
fn a_panicking_recovery_function_gives_up_with_counters_and_events_that_add_up() {
    require!(Component::Fuse);
    let mut s = file(
        "panic",
        TEXT,
        Open::Read,
        vec![
            read(4),
            Step::Kill,
            read(4),
            Step::Script(vec![Act::ReopenSeek]),
            read(4),
        ],
    );
    s.script = vec![Act::Panic];
    let t = run(&s, Fronts::RustOnly, Compare::Exact);
    assert_eq!(t.ops[1].0, Outcome::Errno(ENOTCONN));
    assert_eq!(seen(t.ops[1].1), counts(1, 0, 1, 1));
    assert_eq!(
        t.events[1],
        Ev::GaveUp {
            reason: Reason::Other
        }
    );
    assert_eq!(t.ops[2].0, data(b"4567"));
}

#[test]
fn suspended_recovery_returns_the_failure_and_enabled_recovers() {
    require!(Component::Fuse);
    let t = run(
        &file(
            "suspend",
            TEXT,
            Open::Read,
            vec![
                Step::Ctrl(0, Ctrl::Suspend),
                Step::Kill,
                read(4),
                Step::Ctrl(0, Ctrl::Enable),
                read(4),
            ],
        ),
        Fronts::All,
        Compare::Exact,
    );
    assert_eq!(t.ops[0].0, Outcome::Errno(ENOTCONN));
    assert_eq!(seen(t.ops[0].1), counts(1, 0, 0, 1));
    assert_eq!(t.ops[1].0, data(b"0123"));
    assert_eq!(
        t.events[1],
        Ev::GaveUp {
            reason: Reason::Suspended
        }
    );
}

#[test]
fn the_total_limit_ends_recovery_until_reset() {
    require!(Component::Fuse);
    let mut s = file(
        "total",
        TEXT,
        Open::Read,
        vec![
            Step::Kill,
            read(4),
            Step::Kill,
            read(4),
            Step::Ctrl(0, Ctrl::ResetTotal),
            read(4),
        ],
    );
    s.limits.total = Some(1);
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(t.ops[1].0, Outcome::Errno(ENOTCONN));
    assert_eq!(t.calls, (2, 0));
    assert_eq!(t.ops[2].0, data(b"4567"));
}

#[test]
fn the_attempt_limit_holds_until_reset() {
    require!(Component::Fuse);
    let mut s = file(
        "attempts",
        TEXT,
        Open::Read,
        vec![
            Step::Kill,
            read(4),
            read(4),
            Step::Ctrl(0, Ctrl::ResetAttempts),
            read(4),
        ],
    );
    s.script = vec![
        Act::Retry(libc::ENOENT),
        Act::Retry(libc::ENOENT),
        Act::ReopenSeek,
    ];
    s.limits.attempts = Some(2);
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(t.ops[0].0, Outcome::Errno(ENOTCONN));
    assert_eq!(t.ops[1].0, Outcome::Errno(ENOTCONN), "no attempt left");
    assert_eq!(seen(t.ops[1].1), counts(2, 0, 2, 2));
    assert_eq!(t.ops[2].0, data(b"0123"));
    assert_eq!(t.calls, (3, 0));
}

#[test]
fn the_deadline_ends_a_recovery_while_the_server_is_down() {
    require!(Component::Fuse);
    let mut s = file(
        "deadline",
        TEXT,
        Open::Read,
        vec![read(4), Step::Down, read(4), Step::Up, read(4)],
    );
    s.limits.deadline_ms = Some(300);
    let t = run(&s, Fronts::All, Compare::Outcomes);
    assert_eq!(t.ops[1].0, Outcome::Errno(ENOTCONN));
    assert_eq!(t.ops[2].0, data(b"4567"));
}

#[test]
fn a_replaced_recovery_function_is_the_one_called() {
    require!(Component::Fuse);
    let t = run(
        &file(
            "replace",
            TEXT,
            Open::Read,
            vec![Step::Ctrl(0, Ctrl::Replace), Step::Kill, read(4)],
        ),
        Fronts::All,
        Compare::Exact,
    );
    assert_eq!(t.ops[0].0, data(b"0123"));
    assert_eq!(t.calls, (0, 1));
}

#[test]
fn one_recovery_serves_every_dup() {
    require!(Component::Fuse);
    let t = run(
        &file(
            "dups",
            TEXT,
            Open::Read,
            vec![
                Step::Dup(0),
                Step::Op(0, Op::Read(4)),
                Step::Kill,
                Step::Op(1, Op::Read(4)),
                Step::Op(0, Op::Read(4)),
                Step::Kill,
                Step::Op(0, Op::Read(4)),
                Step::Op(1, Op::Read(4)),
            ],
        ),
        Fronts::All,
        Compare::Exact,
    );
    let got: Vec<_> = t.ops.iter().map(|(o, _)| o.clone()).collect();
    assert_eq!(
        got,
        [
            data(b"0123"),
            data(b"4567"),
            data(b"89ab"),
            data(b"cdef"),
            data(b"ghij")
        ]
    );
    assert_eq!(seen(t.ops[4].1), counts(2, 2, 2, 0));
}

/// Drift: a process that forked while another thread was inside a recovery
/// had a child whose first call on the descriptor waited for ever (the group
/// lock was held by a thread the child does not have). A C front end matter:
/// Rust programs do not fork without exec.
#[test]
fn the_child_of_a_fork_during_a_recovery_can_use_its_descriptors() {
    require!(Component::Fuse);
    let _one = scenario::ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let target = Target::File {
        content: TEXT.to_vec(),
        open: Open::Read,
    };
    let server = servers::Server::start(&target);
    scenario::set_script(vec![Act::ReopenSeek], &server.path(), libc::O_RDONLY);
    let (child, parent) =
        c_abi::fork_during_a_recovery(&server, std::time::Duration::from_secs(10));
    assert_eq!(
        child.as_deref(),
        Some(&b"0123"[..]),
        "the child read (None: it hung)"
    );
    assert_eq!(
        parent, b"0123",
        "the parent's read, once its recovery went on"
    );
}

/// The first append after the open meets a death before it lands, on a
/// file that already holds fewer bytes than it: the file's growth since
/// the position is the file's whole size, unless the position was put at
/// the end when the file was opened.
#[test]
fn the_first_append_after_the_open_that_a_death_stops_is_sent_again() {
    require!(Component::Fuse);
    let mut s = file(
        "first-append",
        b"start\n",
        Open::Append,
        vec![Step::Kill, write(b"0123456789\n")],
    );
    s.file_after = Some(b"start\n0123456789\n".to_vec());
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(t.ops[0].0, Outcome::Written(11));
}

/// A file opened to read and append reads from its start, and a death in
/// the middle of its reading goes on where the reads were: a recovery puts
/// a file opened to append alone at its end, not one read too (the C ABI
/// did, and the read after the death met the end of the file).
#[test]
fn a_file_opened_to_read_and_append_reads_on_across_a_death() {
    require!(Component::Fuse);
    let mut s = file(
        "read-append",
        TEXT,
        Open::ReadAppend,
        vec![read(10), Step::Kill, read(10), write(b"+\n")],
    );
    let mut after = TEXT.to_vec();
    after.extend_from_slice(b"+\n");
    s.file_after = Some(after);
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(t.ops[0].0, data(&TEXT[..10]));
    assert_eq!(t.ops[1].0, data(&TEXT[10..20]));
    assert_eq!(t.ops[2].0, Outcome::Written(2));
}

/// Linux appends a pwrite to a file opened `O_APPEND`, and leaves the
/// position where it was: an append that then meets a death cannot take
/// the file's growth since the position for its own (the C ABI did: the
/// write returned its full count with its head missing from the file).
#[test]
fn an_append_after_a_positioned_one_is_not_credited_with_its_growth() {
    require!(Component::Fuse);
    let mut s = file(
        "append-after-pwrite",
        b"",
        Open::Append,
        vec![
            write(b"one\n"),
            Step::Op(0, Op::WriteAt(0, b"two\n".to_vec())),
            Step::Kill,
            write(b"three\n"),
            write(b"four\n"),
        ],
    );
    s.file_after = Some(b"one\ntwo\nfour\n".to_vec());
    let t = run(&s, Fronts::All, Compare::Exact);
    assert_eq!(t.ops[1].0, Outcome::Written(4));
    assert_eq!(t.ops[2].0, Outcome::Indeterminate);
    assert_eq!(t.ops[3].0, Outcome::Written(5));
}
