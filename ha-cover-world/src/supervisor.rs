//! The "HA manager": owns one server process and restarts it when it dies.
//!
//! One monitor thread per server spawns every incarnation, so that
//! `PR_SET_PDEATHSIG` (which fires when the *thread* that forked the child
//! exits) ties the server's life to the supervisor's, and to the test
//! process's: a test binary killed outright takes its servers with it.
//!
//! The monitor waits for the child's exit with `waitid(WNOWAIT)` and reaps it
//! only while holding the state lock, so [`SupervisorHandle::kill`] can never
//! signal a recycled pid.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::net::{SocketAddr, TcpStream};
use std::ops::Deref;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::mount;

/// How often readiness is probed while a server starts.
const PROBE_INTERVAL: Duration = Duration::from_millis(5);

/// How the supervisor knows a fresh incarnation is ready to serve.
#[derive(Clone)]
pub enum Readiness {
    /// A FUSE file system is mounted at the path and a `stat` through it works.
    FuseMount(PathBuf),
    /// The Unix socket accepts a connection.
    UnixSocket(PathBuf),
    /// The TCP address accepts a connection.
    Tcp(SocketAddr),
    /// A custom probe; it must return quickly (use timeouts inside).
    Check(Arc<dyn Fn() -> bool + Send + Sync>),
}

impl Readiness {
    /// Probes once.
    pub fn probe(&self) -> bool {
        match self {
            Readiness::FuseMount(path) => {
                // The mountinfo check comes first: before the server mounts,
                // a stat would succeed on the bare directory underneath.
                mount::is_fuse_mounted(path) && std::fs::metadata(path).is_ok()
            }
            Readiness::UnixSocket(path) => UnixStream::connect(path).is_ok(),
            Readiness::Tcp(addr) => {
                TcpStream::connect_timeout(addr, Duration::from_millis(200)).is_ok()
            }
            Readiness::Check(check) => check(),
        }
    }
}

impl fmt::Debug for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Readiness::FuseMount(p) => f.debug_tuple("FuseMount").field(p).finish(),
            Readiness::UnixSocket(p) => f.debug_tuple("UnixSocket").field(p).finish(),
            Readiness::Tcp(a) => f.debug_tuple("Tcp").field(a).finish(),
            Readiness::Check(_) => f.write_str("Check(..)"),
        }
    }
}

/// What to clean up after an incarnation died, before the next one starts.
#[derive(Debug, Clone)]
pub enum Cleanup {
    /// Nothing: e.g. a Unix socket whose stale file the server replaces
    /// itself (and whose presence makes `connect` say `ECONNREFUSED`).
    Nothing,
    /// Lazily unmount the dead FUSE mount at the path.
    DetachFuse(PathBuf),
    /// Remove a file the dead server left.
    RemoveFile(PathBuf),
}

impl Cleanup {
    fn run(&self) -> io::Result<()> {
        match self {
            Cleanup::Nothing => Ok(()),
            Cleanup::DetachFuse(path) => mount::detach_fuse(path).map(drop),
            Cleanup::RemoveFile(path) => match std::fs::remove_file(path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
        }
    }
}

/// Everything the supervisor needs to run one server.
#[derive(Debug, Clone)]
pub struct ServerSpec {
    name: String,
    program: PathBuf,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    readiness: Readiness,
    cleanup: Cleanup,
    log: Option<PathBuf>,
    downtime: Duration,
    ready_timeout: Duration,
    auto_restart: bool,
}

impl ServerSpec {
    /// A server run as `program`, ready when `readiness` says so. Defaults:
    /// no cleanup, output discarded, no downtime, 10 s to become ready,
    /// automatic restart.
    pub fn new(name: impl Into<String>, program: impl Into<PathBuf>, readiness: Readiness) -> Self {
        ServerSpec {
            name: name.into(),
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
            readiness,
            cleanup: Cleanup::Nothing,
            log: None,
            downtime: Duration::ZERO,
            ready_timeout: Duration::from_secs(10),
            auto_restart: true,
        }
    }

    /// Appends a command-line argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Appends command-line arguments.
    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Self {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Sets an environment variable for the server.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// What to clean up after each death.
    pub fn cleanup(mut self, cleanup: Cleanup) -> Self {
        self.cleanup = cleanup;
        self
    }

    /// Appends the server's stdout and stderr to this file (quoted in errors).
    pub fn log(mut self, path: impl Into<PathBuf>) -> Self {
        self.log = Some(path.into());
        self
    }

    /// How long the server stays down after a death before it is restarted.
    pub fn downtime(mut self, downtime: Duration) -> Self {
        self.downtime = downtime;
        self
    }

    /// How long an incarnation may take to become ready before it is
    /// declared broken.
    pub fn ready_timeout(mut self, timeout: Duration) -> Self {
        self.ready_timeout = timeout;
        self
    }

    /// Whether a dead server is restarted without being asked.
    pub fn auto_restart(mut self, on: bool) -> Self {
        self.auto_restart = on;
        self
    }

    /// The command line, for messages.
    fn command_line(&self) -> String {
        let mut line = self.program.display().to_string();
        for arg in &self.args {
            line.push(' ');
            line.push_str(&arg.to_string_lossy());
        }
        line
    }
}

/// One run of the server, from spawn to death.
#[derive(Debug, Clone)]
pub struct Incarnation {
    /// Its process id.
    pub pid: u32,
    /// When it was spawned.
    pub started: Instant,
    /// When its readiness probe first succeeded.
    pub ready: Option<Instant>,
    /// When [`SupervisorHandle::kill`] (or stop) sent it SIGKILL.
    pub killed: Option<Instant>,
    /// When the monitor saw it exit.
    pub died: Option<Instant>,
    /// How it ended.
    pub status: Option<ExitStatus>,
}

#[derive(Debug)]
struct State {
    pid: Option<u32>,
    /// A new incarnation is being spawned and its pid is not recorded yet: it
    /// may already be serving, so a kill must wait for the pid.
    spawning: bool,
    ready: bool,
    restarts: u64,
    deaths: u64,
    auto_restart: bool,
    downtime: Duration,
    restart_requested: bool,
    stopping: bool,
    /// Set when the server cannot be brought up without help (spawn failed,
    /// exited before ready, never became ready); cleared by a restart request.
    broken: Option<String>,
    history: Vec<Incarnation>,
}

#[derive(Debug)]
struct Shared {
    spec: ServerSpec,
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere must not stop cleanup: the state stays coherent
        // because every update is a few plain assignments.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until `done` holds, the server is broken, stopped, or `timeout`.
    fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        done: impl Fn(&State) -> bool,
    ) -> io::Result<()> {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        loop {
            if done(&state) {
                return Ok(());
            }
            if let Some(why) = &state.broken {
                return Err(self.error(io::ErrorKind::Other, &format!("{what}: {why}")));
            }
            if state.stopping {
                return Err(self.error(io::ErrorKind::Other, &format!("{what}: stopped")));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(self.error(
                    io::ErrorKind::TimedOut,
                    &format!("{what}: not within {timeout:?} (state: {state:?})"),
                ));
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn error(&self, kind: io::ErrorKind, msg: &str) -> io::Error {
        let spec = &self.spec;
        let mut text = format!("{} ({}): {msg}", spec.name, spec.command_line());
        if let Some(log) = &spec.log {
            text.push_str(&format!(
                "\n--- last lines of {} ---\n{}",
                log.display(),
                log_tail(log)
            ));
        }
        io::Error::new(kind, text)
    }
}

/// A cheap, clonable handle on a supervised server. It does not keep the
/// server alive: when the [`Supervisor`] is dropped, waits fail with "stopped".
#[derive(Debug, Clone)]
pub struct SupervisorHandle {
    shared: Arc<Shared>,
}

impl SupervisorHandle {
    /// The server's name.
    pub fn name(&self) -> &str {
        &self.shared.spec.name
    }

    /// The pid of the running incarnation, if any.
    pub fn pid(&self) -> Option<u32> {
        self.shared.lock().pid
    }

    /// Whether the running incarnation passed its readiness probe and has not
    /// been killed since.
    pub fn is_ready(&self) -> bool {
        self.shared.lock().ready
    }

    /// How many times the server was started again after a death.
    pub fn restarts(&self) -> u64 {
        self.shared.lock().restarts
    }

    /// How many deaths the supervisor has noticed and cleaned up after.
    pub fn deaths(&self) -> u64 {
        self.shared.lock().deaths
    }

    /// Sends SIGKILL to the running incarnation and returns at once with its
    /// pid (`None` if nothing was running). The supervisor notices the death,
    /// cleans up and (if automatic restart is on) restarts it.
    pub fn kill(&self) -> Option<u32> {
        let mut state = self.shared.lock();
        while state.spawning {
            state = self
                .shared
                .changed
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
        }
        let pid = state.pid?;
        // The pid cannot have been recycled: the monitor reaps only under
        // this lock, after clearing `state.pid`.
        // SAFETY: plain kill(2) on a child we have not reaped.
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
        state.ready = false;
        if let Some(last) = state.history.last_mut() {
            last.killed.get_or_insert_with(Instant::now);
        }
        self.shared.changed.notify_all();
        Some(pid)
    }

    /// [`kill`](Self::kill), then waits until the death has been noticed and
    /// cleaned up after, so that the next request to the server finds it dead
    /// (SIGKILL is asynchronous: a request made just after `kill` can still be
    /// answered by the dying process).
    pub fn kill_and_wait(&self, timeout: Duration) -> io::Result<u32> {
        let deaths = self.deaths();
        let pid = self
            .kill()
            .ok_or_else(|| io::Error::other(format!("{}: nothing running to kill", self.name())))?;
        self.wait_deaths(deaths + 1, timeout)?;
        Ok(pid)
    }

    /// Waits until the running incarnation is ready, then
    /// [`kill_and_wait`](Self::kill_and_wait)s: the death of a server that
    /// had come back, not of one still starting.
    pub fn kill_when_ready(&self, timeout: Duration) -> io::Result<u32> {
        self.wait_ready(timeout)?;
        self.kill_and_wait(timeout)
    }

    /// [`kill_and_wait`](Self::kill_and_wait)s, then waits until the server
    /// has been started again and is ready (each wait within `timeout`).
    pub fn kill_and_restart(&self, timeout: Duration) -> io::Result<u32> {
        let restarts = self.restarts();
        let pid = self.kill_and_wait(timeout)?;
        self.wait_restarts(restarts + 1, timeout)?;
        Ok(pid)
    }

    /// Waits until an incarnation is ready.
    pub fn wait_ready(&self, timeout: Duration) -> io::Result<()> {
        self.shared
            .wait_for("waiting until ready", timeout, |s| s.ready)
    }

    /// Waits until the server has been restarted at least `n` times in all
    /// and the current incarnation is ready.
    pub fn wait_restarts(&self, n: u64, timeout: Duration) -> io::Result<()> {
        self.shared
            .wait_for(&format!("waiting for restart {n}"), timeout, |s| {
                s.restarts >= n && s.ready
            })
    }

    /// Waits until at least `n` deaths have been noticed and cleaned up after
    /// (for a FUSE server: the dead mount is detached).
    pub fn wait_deaths(&self, n: u64, timeout: Duration) -> io::Result<()> {
        self.shared
            .wait_for(&format!("waiting for death {n}"), timeout, |s| {
                s.deaths >= n
            })
    }

    /// Turns automatic restart on or off. Off, a dead server stays down until
    /// [`restart`](Self::restart).
    pub fn set_auto_restart(&self, on: bool) {
        self.shared.lock().auto_restart = on;
        self.shared.changed.notify_all();
    }

    /// How long the server stays down after its next deaths.
    pub fn set_downtime(&self, downtime: Duration) {
        self.shared.lock().downtime = downtime;
    }

    /// Asks for a dead server to be started again (after the downtime), also
    /// when automatic restart is off or the server was declared broken. Does
    /// nothing to a running server.
    pub fn restart(&self) {
        let mut state = self.shared.lock();
        state.restart_requested = true;
        state.broken = None;
        self.shared.changed.notify_all();
    }

    /// Every incarnation so far, oldest first.
    pub fn history(&self) -> Vec<Incarnation> {
        self.shared.lock().history.clone()
    }

    /// The end of the server's log, if it has one.
    pub fn log_tail(&self) -> String {
        self.shared
            .spec
            .log
            .as_deref()
            .map(log_tail)
            .unwrap_or_default()
    }
}

/// Owns a supervised server. Dropping it kills the server, waits for the
/// monitor to clean up (unmount) and returns only then.
#[derive(Debug)]
pub struct Supervisor {
    handle: SupervisorHandle,
    monitor: Option<JoinHandle<()>>,
}

impl Supervisor {
    /// Starts the server and waits until it is ready (within the spec's
    /// ready timeout). On failure nothing is left running.
    pub fn start(spec: ServerSpec) -> io::Result<Supervisor> {
        let ready_timeout = spec.ready_timeout;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                pid: None,
                spawning: false,
                ready: false,
                restarts: 0,
                deaths: 0,
                auto_restart: spec.auto_restart,
                downtime: spec.downtime,
                restart_requested: false,
                stopping: false,
                broken: None,
                history: Vec::new(),
            }),
            spec,
            changed: Condvar::new(),
        });
        let monitor_shared = Arc::clone(&shared);
        let monitor = thread::Builder::new()
            .name(format!("supervise-{}", shared.spec.name))
            .spawn(move || monitor(&monitor_shared))?;
        let supervisor = Supervisor {
            handle: SupervisorHandle { shared },
            monitor: Some(monitor),
        };
        // Some slack over the monitor's own timeout, so its verdict (with the
        // server's log) is what we report.
        supervisor.wait_ready(ready_timeout + Duration::from_secs(1))?;
        Ok(supervisor)
    }

    /// A clonable handle, e.g. for a [`Chaos`](crate::Chaos) thread.
    pub fn handle(&self) -> SupervisorHandle {
        self.handle.clone()
    }

    /// Kills the server, cleans up after it and ends the monitor.
    pub fn stop(mut self) {
        self.stop_inner();
    }

    fn stop_inner(&mut self) {
        {
            let mut state = self.handle.shared.lock();
            state.stopping = true;
            self.handle.shared.changed.notify_all();
        }
        self.handle.kill();
        if let Some(monitor) = self.monitor.take() {
            let _ = monitor.join();
        }
    }
}

impl Deref for Supervisor {
    type Target = SupervisorHandle;

    fn deref(&self) -> &SupervisorHandle {
        &self.handle
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        self.stop_inner();
    }
}

fn monitor(shared: &Shared) {
    let spec = &shared.spec;
    let mut first = true;
    loop {
        if !first && !wait_for_restart_turn(shared) {
            break;
        }
        shared.lock().spawning = true;
        let child = match spawn(spec) {
            Ok(child) => child,
            Err(e) => {
                let mut state = shared.lock();
                state.spawning = false;
                state.broken = Some(format!("cannot spawn: {e}"));
                shared.changed.notify_all();
                first = false;
                continue;
            }
        };
        let pid = child.id();
        {
            let mut state = shared.lock();
            state.pid = Some(pid);
            state.spawning = false;
            if !first {
                state.restarts += 1;
            }
            state.history.push(Incarnation {
                pid,
                started: Instant::now(),
                ready: None,
                killed: None,
                died: None,
                status: None,
            });
            if state.stopping {
                // stop() may have looked for a pid just before we set it.
                // SAFETY: kill(2) on our own unreaped child.
                unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            }
            shared.changed.notify_all();
        }
        first = false;
        wait_until_ready(shared, pid);
        wait_exit(pid);
        bury(shared, child);
        let cleaned = spec.cleanup.run();
        let mut state = shared.lock();
        if let Err(e) = cleaned {
            state.broken = Some(format!("cleanup after death failed: {e}"));
        }
        state.deaths += 1;
        shared.changed.notify_all();
    }
    shared.changed.notify_all();
}

/// Waits until the dead server may start again. False when stopping.
fn wait_for_restart_turn(shared: &Shared) -> bool {
    let mut state = shared.lock();
    loop {
        if state.stopping {
            return false;
        }
        let asked = state.restart_requested || (state.auto_restart && state.broken.is_none());
        if asked {
            break;
        }
        state = shared
            .changed
            .wait(state)
            .unwrap_or_else(|e| e.into_inner());
    }
    state.restart_requested = false;
    let until = Instant::now() + state.downtime;
    // The downtime is what a client must ride out; stop cuts it short.
    loop {
        if state.stopping {
            return false;
        }
        let now = Instant::now();
        if now >= until {
            return true;
        }
        state = shared
            .changed
            .wait_timeout(state, until - now)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

fn spawn(spec: &ServerSpec) -> io::Result<Child> {
    let mut cmd = Command::new(&spec.program);
    cmd.args(&spec.args)
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null());
    match &spec.log {
        Some(path) => {
            let log = OpenOptions::new().create(true).append(true).open(path)?;
            cmd.stdout(log.try_clone()?).stderr(log);
        }
        None => {
            cmd.stdout(Stdio::null()).stderr(Stdio::null());
        }
    }
    let parent = std::process::id();
    // SAFETY: the closure runs between fork and exec and only makes
    // async-signal-safe syscalls (prctl, getppid, kill); it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(io::Error::last_os_error());
            }
            // The parent may have died before prctl took effect.
            if libc::getppid() as u32 != parent {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
            Ok(())
        });
    }
    cmd.spawn()
}

/// Probes until ready. Leaves a broken verdict when the server died on its own
/// or never became ready (and then kills it).
fn wait_until_ready(shared: &Shared, pid: u32) {
    let deadline = Instant::now() + shared.spec.ready_timeout;
    loop {
        if has_exited(pid) {
            let mut state = shared.lock();
            let killed = state.history.last().is_some_and(|i| i.killed.is_some());
            if !killed && !state.stopping {
                state.broken = Some("exited before it was ready".to_owned());
            }
            return;
        }
        {
            let state = shared.lock();
            let killed = state.history.last().is_some_and(|i| i.killed.is_some());
            if state.stopping || killed {
                return;
            }
        }
        if shared.spec.readiness.probe() {
            let mut state = shared.lock();
            let stopping = state.stopping;
            let incarnation = state.history.last_mut().expect("spawned before probing");
            // A kill between the probe and here wins: it is not ready.
            if incarnation.killed.is_some() || stopping {
                return;
            }
            incarnation.ready = Some(Instant::now());
            state.ready = true;
            shared.changed.notify_all();
            return;
        }
        if Instant::now() >= deadline {
            let mut state = shared.lock();
            state.broken = Some(format!(
                "not ready within {:?} ({:?})",
                shared.spec.ready_timeout, shared.spec.readiness
            ));
            drop(state);
            // SAFETY: kill(2) on our own unreaped child.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            return;
        }
        thread::sleep(PROBE_INTERVAL);
    }
}

/// Reaps the dead child under the lock and records its end.
fn bury(shared: &Shared, mut child: Child) {
    let mut state = shared.lock();
    let status = child.wait().ok();
    state.pid = None;
    state.ready = false;
    if let Some(last) = state.history.last_mut() {
        last.died = Some(Instant::now());
        last.status = status;
    }
    shared.changed.notify_all();
}

/// Whether the child has exited, without reaping it.
fn has_exited(pid: u32) -> bool {
    waitid(pid, libc::WNOHANG)
}

/// Blocks until the child has exited, without reaping it.
fn wait_exit(pid: u32) {
    while !waitid(pid, 0) {}
}

/// True when the child has exited (or cannot be waited for at all, so that
/// callers never spin on a persistent error); false when still running or
/// interrupted.
fn waitid(pid: u32, extra: libc::c_int) -> bool {
    // SAFETY: an all-zero siginfo_t is a valid value to be filled in.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: waitid(2) writes only into `info`, which we own. WNOWAIT leaves
    // the child to be reaped by `Child::wait` under the state lock.
    let rc = unsafe {
        libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOWAIT | extra,
        )
    };
    if rc == -1 {
        return io::Error::last_os_error().raw_os_error() != Some(libc::EINTR);
    }
    // SAFETY: waitid succeeded, so `info` holds a valid child siginfo.
    unsafe { info.si_pid() != 0 }
}

fn log_tail(path: &Path) -> String {
    const TAIL: u64 = 2048;
    let Ok(mut file) = File::open(path) else {
        return String::new();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(TAIL)));
    let mut bytes = Vec::new();
    let _ = file.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}
