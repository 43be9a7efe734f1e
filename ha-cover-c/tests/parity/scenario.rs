//! A scenario, written once and run through every front end, and what a run
//! of it records: each step's outcome, the group's counters after it, and the
//! events, all in a form the three front ends share.

use std::sync::Mutex;

/// What the connection leads to.
#[derive(Debug, Clone)]
pub enum Target {
    /// A file on our FUSE server, with this content, opened this way.
    File { content: Vec<u8>, open: Open },
    /// The world's socket server in this mode, covered with this write policy.
    Socket { mode: Mode, policy: Policy },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    Read,
    ReadWrite,
    Append,
    /// Read and append (`O_RDWR | O_APPEND`): a journal replayed, then
    /// appended to.
    ReadAppend,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Echo (`HOLD` unanswered, `POISON` hangs up).
    Echo,
    /// Accepts and closes every connection.
    Hangup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Never,
    Always,
    Replay,
}

/// The limits a scenario sets (through the builder, or `ha_connection_ctrl`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    pub attempts: Option<u32>,
    pub total: Option<u32>,
    pub deadline_ms: Option<u64>,
}

/// What the recovery function does when called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Reopen the path and seek back to the dead connection's position.
    ReopenSeek,
    /// Reconnect to the same peer.
    Reconnect,
    /// Give up (QNX's -1), with this errno.
    GiveUp(i32),
    /// This attempt fails; try again (`HA_RETRY`), with this errno.
    Retry(i32),
    /// Return the dead connection as it is.
    Unchanged,
    /// Panic (Rust only: a C function cannot).
    Panic,
}

/// One step of a scenario.
#[derive(Debug, Clone)]
pub enum Step {
    /// An operation by member `n` (0 is the first connection).
    Op(usize, Op),
    /// Member `n` is dup'ed: the new member is the next number.
    Dup(usize),
    /// The server is SIGKILLed and restarted (ready again when this returns).
    Kill,
    /// The server is SIGKILLed and stays down.
    Down,
    /// The server is started again.
    Up,
    /// A control call on member `n`'s group.
    Ctrl(usize, Ctrl),
    /// From now on the recovery function acts by this script (the k-th call
    /// does `script[k]`, the last one for ever after).
    Script(Vec<Act>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Read(usize),
    Write(Vec<u8>),
    ReadAt(u64, usize),
    WriteAt(u64, Vec<u8>),
    Seek(u64),
    Sync,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctrl {
    Suspend,
    Enable,
    ResetAttempts,
    ResetTotal,
    /// The recovery function is replaced by another (QNX's
    /// `HAREPLACERECOVERYFN`), which acts by the same script.
    Replace,
}

/// What an operation came to, as every front end can say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Data(Vec<u8>),
    Written(usize),
    Position(u64),
    Done,
    /// A read at end-of-file.
    Eof,
    /// The error, by errno.
    Errno(i32),
    /// Recovered, but what was sent before the failure (or this write) has
    /// an unknown fate.
    Indeterminate,
}

/// A group's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub failures: u64,
    pub recoveries: u64,
    pub attempts: u64,
    pub gave_up: u64,
    pub indeterminate: u64,
    pub last_errno: i32,
}

/// An event, as `struct ha_event` has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ev {
    Failed { errno: i32 },
    AttemptFailed { number: u32, errno: i32 },
    Recovered { attempts: u32 },
    GaveUp { reason: Reason },
    Indeterminate { unanswered: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Suspended,
    Total,
    Attempts,
    Deadline,
    Function,
    Cancelled,
    Other,
}

/// A scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: &'static str,
    pub target: Target,
    pub limits: Limits,
    /// How the recovery function acts at first.
    pub script: Vec<Act>,
    pub steps: Vec<Step>,
    /// The file's content at the end, read from the server's own directory.
    pub file_after: Option<Vec<u8>>,
}

/// What one front end did with a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// For each operation step: its outcome and the counters after it.
    pub ops: Vec<(Outcome, Counts)>,
    pub events: Vec<Ev>,
    /// The calls of the recovery function, and of its replacement.
    pub calls: (usize, usize),
    pub file_after: Option<Vec<u8>>,
}

/// The recovery function's script, shared with the functions every front end
/// registers (C functions cannot capture). One scenario runs at a time.
pub struct Script {
    acts: Vec<Act>,
    /// The calls made before `acts` was set.
    base: usize,
    calls: usize,
    /// The calls of the replacement function (`Ctrl::Replace`).
    pub replaced_calls: usize,
    /// The path a file recovery reopens, and the flags (for C's `ha_reopen`).
    pub path: std::ffi::CString,
    pub flags: i32,
}

pub static SCRIPT: Mutex<Option<Script>> = Mutex::new(None);

/// Serializes scenarios: they share `SCRIPT`, and the C library's globals.
pub static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

pub fn set_script(acts: Vec<Act>, path: &std::path::Path, flags: i32) {
    let path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    *SCRIPT.lock().unwrap() = Some(Script {
        acts,
        base: 0,
        calls: 0,
        replaced_calls: 0,
        path,
        flags,
    });
}

pub fn replace_acts(acts: Vec<Act>) {
    let mut script = SCRIPT.lock().unwrap();
    let script = script.as_mut().expect("a scenario runs");
    script.base = script.calls + script.replaced_calls;
    script.acts = acts;
}

/// What the recovery function does on this call (and counts it); `replaced`
/// for the function a scenario put in place of the first.
pub fn next_act(replaced: bool) -> Act {
    let mut script = SCRIPT.lock().unwrap();
    let script = script.as_mut().expect("a scenario runs");
    let k = script.calls + script.replaced_calls - script.base;
    let act = script.acts[k.min(script.acts.len() - 1)];
    if replaced {
        script.replaced_calls += 1;
    } else {
        script.calls += 1;
    }
    act
}

/// The calls of the first recovery function, and of its replacement.
pub fn calls() -> (usize, usize) {
    SCRIPT
        .lock()
        .unwrap()
        .as_ref()
        .map_or((0, 0), |s| (s.calls, s.replaced_calls))
}

pub fn reopen_target() -> (std::ffi::CString, i32) {
    let script = SCRIPT.lock().unwrap();
    let script = script.as_ref().expect("a scenario runs");
    (script.path.clone(), script.flags)
}

/// The `open(2)` flags of a scenario's file (what C's `ha_reopen` reopens with).
pub fn open_flags(target: &Target) -> i32 {
    match target {
        Target::File { open, .. } => match open {
            Open::Read => libc::O_RDONLY,
            Open::ReadWrite => libc::O_RDWR,
            Open::Append => libc::O_WRONLY | libc::O_APPEND,
            Open::ReadAppend => libc::O_RDWR | libc::O_APPEND,
        },
        Target::Socket { .. } => 0,
    }
}
