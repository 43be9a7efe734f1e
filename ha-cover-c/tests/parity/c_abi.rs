//! The C ABI as a C program sees it: `libha_cover.so` loaded with `dlopen`,
//! its functions (QNX's, and the `read`/`write` it defines in front of
//! glibc's) called through the symbols it exports, a C recovery function.

use std::ffi::{CStr, c_char, c_int, c_uint, c_void};
use std::os::fd::IntoRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Mutex, OnceLock};

use crate::scenario::{
    Act, Counts, Ctrl, Ev, Op, Outcome, Policy, Reason, Scenario, Target, next_act, reopen_target,
};
use crate::servers::Server;

type RFp = Option<unsafe extern "C" fn(c_int, *mut c_void) -> c_int>;

#[repr(C)]
#[derive(Default)]
struct Stats {
    failures: u64,
    recoveries: u64,
    attempts: u64,
    gave_up: u64,
    indeterminate: u64,
    last_errno: c_int,
}

#[repr(C)]
struct Event {
    kind: c_int,
    error: c_int,
    attempt: c_uint,
    reason: c_int,
    unanswered: u64,
    downtime_ns: u64,
}

type EventFn = Option<unsafe extern "C" fn(c_int, *const Event, *mut c_void)>;

/// The library's functions.
struct Lib {
    ha_open: unsafe extern "C" fn(*const c_char, c_int, RFp, *mut c_void, c_uint, ...) -> c_int,
    ha_attach: unsafe extern "C" fn(c_int, RFp, *mut c_void, c_uint) -> c_int,
    ha_reopen: unsafe extern "C" fn(c_int, *const c_char, c_int, ...) -> c_int,
    ha_reconnect: unsafe extern "C" fn(c_int) -> c_int,
    ha_dup: unsafe extern "C" fn(c_int) -> c_int,
    ha_close: unsafe extern "C" fn(c_int) -> c_int,
    ha_connection_ctrl: unsafe extern "C" fn(c_int, c_int, *mut c_void) -> c_int,
    ha_cover_stats: unsafe extern "C" fn(c_int, *mut Stats) -> c_int,
    ha_cover_on_event: unsafe extern "C" fn(c_int, EventFn, *mut c_void) -> c_int,
    read: unsafe extern "C" fn(c_int, *mut c_void, usize) -> isize,
    write: unsafe extern "C" fn(c_int, *const c_void, usize) -> isize,
    pread: unsafe extern "C" fn(c_int, *mut c_void, usize, i64) -> isize,
    pwrite: unsafe extern "C" fn(c_int, *const c_void, usize, i64) -> isize,
    lseek: unsafe extern "C" fn(c_int, i64, c_int) -> i64,
    fsync: unsafe extern "C" fn(c_int) -> c_int,
}

/// A function of the library from its address.
///
/// # Safety
/// `F` is the function pointer type of the symbol at `address`.
unsafe fn function<F: Copy>(address: *mut c_void) -> F {
    assert_eq!(size_of::<F>(), size_of::<*mut c_void>());
    // SAFETY: a function's address as its pointer type, of the same size
    // (the caller's contract).
    unsafe { std::mem::transmute_copy(&address) }
}

fn lib() -> &'static Lib {
    static LIB: OnceLock<Lib> = OnceLock::new();
    LIB.get_or_init(|| {
        let path = crate::common::build().lib_dir.join("libha_cover.so");
        let path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a shared library of ours, loaded privately (its `read`
        // and `write` do not replace the test process's own).
        let handle = unsafe { libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        assert!(!handle.is_null(), "dlopen libha_cover.so");
        let symbol = |name: &CStr| {
            // SAFETY: `handle` is open; the name is NUL-terminated.
            let address = unsafe { libc::dlsym(handle, name.as_ptr()) };
            assert!(!address.is_null(), "libha_cover.so exports {name:?}");
            address
        };
        // SAFETY: each symbol is the C function of that name, with the
        // signature <ha/cover.h> (or POSIX) gives it.
        unsafe {
            Lib {
                ha_open: function(symbol(c"ha_open")),
                ha_attach: function(symbol(c"ha_attach")),
                ha_reopen: function(symbol(c"ha_reopen")),
                ha_reconnect: function(symbol(c"ha_reconnect")),
                ha_dup: function(symbol(c"ha_dup")),
                ha_close: function(symbol(c"ha_close")),
                ha_connection_ctrl: function(symbol(c"ha_connection_ctrl")),
                ha_cover_stats: function(symbol(c"ha_cover_stats")),
                ha_cover_on_event: function(symbol(c"ha_cover_on_event")),
                read: function(symbol(c"read")),
                write: function(symbol(c"write")),
                pread: function(symbol(c"pread")),
                pwrite: function(symbol(c"pwrite")),
                lseek: function(symbol(c"lseek")),
                fsync: function(symbol(c"fsync")),
            }
        }
    })
}

fn errno() -> c_int {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn set_errno(value: c_int) {
    // SAFETY: the calling thread's own errno.
    unsafe { *libc::__errno_location() = value };
}

const HA_RETRY: c_int = -2;

unsafe extern "C" fn recover(fd: c_int, _: *mut c_void) -> c_int {
    act(fd, next_act(false))
}

unsafe extern "C" fn recover_replaced(fd: c_int, _: *mut c_void) -> c_int {
    act(fd, next_act(true))
}

/// The recovery function, as a C programmer writes it (QNX's example).
fn act(fd: c_int, act: Act) -> c_int {
    let lib = lib();
    match act {
        Act::ReopenSeek => {
            let (path, flags) = reopen_target();
            // SAFETY: the library's lseek and ha_reopen on our descriptor,
            // with a NUL-terminated path.
            unsafe {
                let at = (lib.lseek)(fd, 0, libc::SEEK_CUR);
                if (lib.ha_reopen)(fd, path.as_ptr(), flags) < 0 {
                    return HA_RETRY;
                }
                (lib.lseek)(fd, at, libc::SEEK_SET);
            }
            fd
        }
        // SAFETY: the library's ha_reconnect on our descriptor.
        Act::Reconnect => match unsafe { (lib.ha_reconnect)(fd) } {
            r if r < 0 => HA_RETRY,
            _ => fd,
        },
        Act::GiveUp(e) => {
            set_errno(e);
            -1
        }
        Act::Retry(e) => {
            set_errno(e);
            HA_RETRY
        }
        Act::Unchanged => fd,
        Act::Panic => unreachable!("a C recovery function cannot panic"),
    }
}

static EVENTS: Mutex<Vec<Ev>> = Mutex::new(Vec::new());

unsafe extern "C" fn on_event(_: c_int, event: *const Event, _: *mut c_void) {
    // SAFETY: the library passes an event valid for the call.
    let e = unsafe { &*event };
    let ev = match e.kind {
        1 => Ev::Failed { errno: e.error },
        2 => Ev::AttemptFailed {
            number: e.attempt,
            errno: e.error,
        },
        3 => Ev::Recovered {
            attempts: e.attempt,
        },
        4 => Ev::GaveUp {
            reason: match e.reason {
                1 => Reason::Suspended,
                2 => Reason::Total,
                3 => Reason::Attempts,
                4 => Reason::Deadline,
                5 => Reason::Function,
                6 => Reason::Cancelled,
                _ => Reason::Other,
            },
        },
        5 => Ev::Indeterminate {
            unanswered: e.unanswered,
        },
        other => panic!("unknown event kind {other}"),
    };
    EVENTS.lock().unwrap().push(ev);
}

/// The C front end.
#[derive(Default)]
pub struct CAbi {
    fds: Vec<c_int>,
}

impl CAbi {
    fn stats(&self, fd: c_int) -> Stats {
        let mut stats = Stats::default();
        // SAFETY: `stats` is writable; `fd` is an HA descriptor of ours.
        let ret = unsafe { (lib().ha_cover_stats)(fd, &mut stats) };
        assert_eq!(ret, 0, "ha_cover_stats: {}", errno());
        stats
    }

    fn ctrl_call(&self, fd: c_int, command: c_int, arg: isize) {
        // SAFETY: QNX's calling convention: the count is the pointer's value.
        let ret = unsafe { (lib().ha_connection_ctrl)(fd, command, arg as *mut c_void) };
        assert_eq!(ret, 0);
    }
}

impl crate::front::FrontEnd for CAbi {
    fn open(&mut self, scenario: &Scenario, server: &Server) {
        let lib = lib();
        EVENTS.lock().unwrap().clear();
        let path = std::ffi::CString::new(server.path().as_os_str().as_encoded_bytes()).unwrap();
        let fd = match &scenario.target {
            Target::File { .. } => {
                let flags = crate::scenario::open_flags(&scenario.target);
                // SAFETY: a NUL-terminated path and our recovery function.
                unsafe {
                    (lib.ha_open)(
                        path.as_ptr(),
                        flags,
                        Some(recover),
                        std::ptr::null_mut(),
                        0,
                        0,
                    )
                }
            }
            Target::Socket { policy, .. } => {
                let stream = UnixStream::connect(server.path()).expect("connect");
                let flags = match policy {
                    Policy::Never => 0,
                    Policy::Always => 0x100,
                    Policy::Replay => 0x200,
                };
                let fd = stream.into_raw_fd();
                // SAFETY: a connected socket we own, and our recovery function.
                let ret =
                    unsafe { (lib.ha_attach)(fd, Some(recover), std::ptr::null_mut(), flags) };
                assert_eq!(ret, 0, "ha_attach: {}", errno());
                fd
            }
        };
        assert!(fd >= 0, "ha_open: {}", errno());
        // SAFETY: our callback, which only records.
        assert_eq!(
            unsafe { (lib.ha_cover_on_event)(fd, Some(on_event), std::ptr::null_mut()) },
            0
        );
        let limits = scenario.limits;
        self.fds = vec![fd];
        if let Some(n) = limits.attempts {
            self.ctrl_call(fd, 2, n as isize);
        }
        if let Some(n) = limits.total {
            self.ctrl_call(fd, 1, n as isize);
        }
        if let Some(ms) = limits.deadline_ms {
            self.ctrl_call(fd, 0x100, ms as isize);
        }
    }

    fn dup(&mut self, n: usize) {
        // SAFETY: an HA descriptor of ours.
        let fd = unsafe { (lib().ha_dup)(self.fds[n]) };
        assert!(fd >= 0, "ha_dup: {}", errno());
        self.fds.push(fd);
    }

    fn op(&mut self, n: usize, op: &Op) -> Outcome {
        let lib = lib();
        let fd = self.fds[n];
        let before = self.stats(fd).indeterminate;
        set_errno(0);
        // SAFETY: each call gets a buffer valid for its length.
        let (ret, outcome) = unsafe {
            match op {
                Op::Read(len) => {
                    let mut buf = vec![0u8; *len];
                    let r = (lib.read)(fd, buf.as_mut_ptr().cast(), *len);
                    let ok = (r > 0).then(|| Outcome::Data(buf[..r as usize].to_vec()));
                    (r as i64, ok.unwrap_or(Outcome::Eof))
                }
                Op::Write(bytes) => {
                    let r = (lib.write)(fd, bytes.as_ptr().cast(), bytes.len());
                    (r as i64, Outcome::Written(r.max(0) as usize))
                }
                Op::ReadAt(at, len) => {
                    let mut buf = vec![0u8; *len];
                    let r = (lib.pread)(fd, buf.as_mut_ptr().cast(), *len, *at as i64);
                    let ok = (r > 0).then(|| Outcome::Data(buf[..r as usize].to_vec()));
                    (r as i64, ok.unwrap_or(Outcome::Eof))
                }
                Op::WriteAt(at, bytes) => {
                    let r = (lib.pwrite)(fd, bytes.as_ptr().cast(), bytes.len(), *at as i64);
                    (r as i64, Outcome::Written(r.max(0) as usize))
                }
                Op::Seek(to) => {
                    let r = (lib.lseek)(fd, *to as i64, libc::SEEK_SET);
                    (r, Outcome::Position(r.max(0) as u64))
                }
                Op::Sync => ((lib.fsync)(fd) as i64, Outcome::Done),
            }
        };
        if ret >= 0 {
            return outcome;
        }
        let e = errno();
        if self.stats(fd).indeterminate > before {
            Outcome::Indeterminate
        } else {
            Outcome::Errno(e)
        }
    }

    fn ctrl(&mut self, n: usize, ctrl: Ctrl) {
        let fd = self.fds[n];
        match ctrl {
            Ctrl::Suspend => self.ctrl_call(fd, 3, 0),
            Ctrl::Enable => self.ctrl_call(fd, 4, 0),
            Ctrl::ResetAttempts => self.ctrl_call(fd, 5, 0),
            Ctrl::ResetTotal => self.ctrl_call(fd, 6, 0),
            Ctrl::Replace => {
                // SAFETY: QNX's way to replace the recovery function.
                let ret = unsafe {
                    (lib().ha_attach)(fd, Some(recover_replaced), std::ptr::null_mut(), 1)
                };
                assert_eq!(ret, 0);
            }
        }
    }

    fn counts(&mut self, n: usize) -> Counts {
        let s = self.stats(self.fds[n]);
        Counts {
            failures: s.failures,
            recoveries: s.recoveries,
            attempts: s.attempts,
            gave_up: s.gave_up,
            indeterminate: s.indeterminate,
            last_errno: s.last_errno,
        }
    }

    fn events(&mut self) -> Vec<Ev> {
        std::mem::take(&mut EVENTS.lock().unwrap())
    }

    fn close(&mut self) {
        for fd in self.fds.drain(..) {
            // SAFETY: an HA descriptor of ours, closed once.
            unsafe { (lib().ha_close)(fd) };
        }
    }
}

/// The process that forks in [`fork_during_a_recovery`].
static PARENT: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);
/// Set once the parent's recovery function is under way.
static INSIDE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// Set to let the parent's recovery function go on.
static RELEASE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// In the parent, waits to be released (so that the fork happens while it
/// runs); in the child, recovers at once.
unsafe extern "C" fn recover_slowly_in_the_parent(fd: c_int, _: *mut c_void) -> c_int {
    use std::sync::atomic::Ordering::SeqCst;
    // SAFETY: getpid has no preconditions.
    if unsafe { libc::getpid() } == PARENT.load(SeqCst) {
        INSIDE.store(true, SeqCst);
        while !RELEASE.load(SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    act(fd, Act::ReopenSeek)
}

/// A process forks while another of its threads is inside a recovery; the
/// child reads the same HA descriptor. Returns what the child's read got
/// (`None` when it did not return within `limit`), and what the parent's
/// read got once its recovery went on.
pub fn fork_during_a_recovery(
    server: &Server,
    limit: std::time::Duration,
) -> (Option<Vec<u8>>, Vec<u8>) {
    use std::sync::atomic::Ordering::SeqCst;
    let lib = lib();
    let path = std::ffi::CString::new(server.path().as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: getpid has no preconditions.
    PARENT.store(unsafe { libc::getpid() }, SeqCst);
    INSIDE.store(false, SeqCst);
    RELEASE.store(false, SeqCst);
    // SAFETY: a NUL-terminated path and our recovery function.
    let fd = unsafe {
        (lib.ha_open)(
            path.as_ptr(),
            libc::O_RDONLY,
            Some(recover_slowly_in_the_parent),
            std::ptr::null_mut(),
            0,
            0,
        )
    };
    assert!(fd >= 0, "ha_open: {}", errno());
    let read4 = move || {
        let mut buf = [0u8; 4];
        // SAFETY: `buf` is writable for its length.
        let n = unsafe { (lib.read)(fd, buf.as_mut_ptr().cast(), 4) };
        buf[..n.max(0) as usize].to_vec()
    };
    server.kill();
    let parent_read = std::thread::spawn(read4);
    while !INSIDE.load(SeqCst) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // SAFETY: the child only reads the descriptor and exits without running
    // the test harness's code.
    let child = unsafe { libc::fork() };
    if child == 0 {
        let got = read4();
        let ok = got == b"0123";
        // SAFETY: leaves the child at once, as a forked child should.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    assert!(child > 0, "fork: {}", errno());
    let started = std::time::Instant::now();
    let mut status = 0;
    let child_got = loop {
        // SAFETY: waits for our own child without blocking.
        let done = unsafe { libc::waitpid(child, &mut status, libc::WNOHANG) };
        if done == child {
            let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
            break Some(if ok { b"0123".to_vec() } else { Vec::new() });
        }
        if started.elapsed() > limit {
            // SAFETY: our own child, which hangs.
            unsafe {
                libc::kill(child, libc::SIGKILL);
                libc::waitpid(child, &mut status, 0);
            }
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    RELEASE.store(true, SeqCst);
    let parent_got = parent_read.join().unwrap();
    // SAFETY: an HA descriptor of ours, closed once.
    unsafe { (lib.ha_close)(fd) };
    (child_got, parent_got)
}
