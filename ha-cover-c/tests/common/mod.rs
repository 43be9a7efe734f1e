//! Building the library and C programs against it, and running them.
//!
//! The library is the one users build: `cargo build -p ha-cover-c`, alone,
//! with the profile of this test, into a target directory of its own
//! (`<target>/c-library`). Built beside anything else, cargo would unify
//! features: in the workspace's own builds ha-cover has `tokio` and
//! `fault-injection` turned on by other crates, and `libha_cover.so` (one
//! file name whatever the features) would be that library. The world's
//! servers are built by the world when a test starts one. C programs are
//! compiled with `cc -I include -lha_cover` and an rpath, as a user would.
//!
//! A program talks with its test over stdin and stdout, one line at a time:
//! it says `ready` where QNX's example sleeps for the server to be restarted,
//! and goes on when the test, having killed and restarted the server, sends a
//! line.

#![allow(dead_code)] // Each test file uses its part.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long any one step may take.
pub const T: Duration = Duration::from_secs(30);

/// Where the library and the programs are.
#[derive(Debug)]
pub struct Build {
    /// The directory of `libha_cover.so` and `libha_cover.a`.
    pub lib_dir: PathBuf,
    /// `ha-cover-c/include`.
    pub include: PathBuf,
    /// Where compiled programs go.
    pub out: PathBuf,
}

/// Builds the library (once per test binary).
pub fn build() -> &'static Build {
    static BUILD: OnceLock<Build> = OnceLock::new();
    BUILD.get_or_init(|| {
        // <target>/<profile>/deps/<this test>
        let exe = std::env::current_exe().expect("the test's own path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("<target>/<profile>");
        let target_dir = profile_dir.parent().expect("<target>").join("c-library");
        let profile_name = profile_dir.file_name().and_then(OsStr::to_str);
        let profile = match profile_name {
            Some("debug") | None => "dev",
            Some(name) => name,
        };
        let started = Instant::now();
        let output = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "-p", "ha-cover-c", "--lib"])
            .args(["--profile", profile, "--target-dir"])
            .arg(&target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "cargo build -p ha-cover-c failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        eprintln!("built libha_cover in {:?}", started.elapsed());
        let lib_dir = target_dir.join(profile_name.unwrap_or("debug"));
        assert!(
            lib_dir.join("libha_cover.so").is_file(),
            "no libha_cover.so in {lib_dir:?}"
        );
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ha-cover-c");
        std::fs::create_dir_all(&out).expect("a directory for the programs");
        Build {
            lib_dir,
            include: Path::new(env!("CARGO_MANIFEST_DIR")).join("include"),
            out,
        }
    })
}

/// The source of a test program, `tests/c/<name>.c`.
pub fn source(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/c")
        .join(format!("{name}.c"))
}

/// Compiles `tests/c/<name>.c` into a program linked with `-lha_cover`, with
/// `flags` added; `tag` names the result when one source is compiled twice.
/// Once per test binary: tests running at once share the program (writing it
/// while another runs it would fail with `ETXTBSY`).
pub fn compile(name: &str, tag: &str, flags: &[&str]) -> PathBuf {
    static COMPILED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let build = build();
    let exe = build.out.join(format!("{name}{tag}"));
    let mut compiled = COMPILED.lock().unwrap_or_else(|e| e.into_inner());
    if compiled.contains(&exe) {
        return exe;
    }
    let output = Command::new("cc")
        .args(["-std=gnu11", "-Wall", "-Werror", "-g", "-pthread"])
        .args(flags)
        .arg("-I")
        .arg(&build.include)
        .arg(source(name))
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&build.lib_dir)
        .arg(format!("-Wl,-rpath,{}", build.lib_dir.display()))
        .arg("-lha_cover")
        .output()
        .expect("cc runs (install gcc)");
    assert!(
        output.status.success(),
        "cc {name}.c failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    compiled.push(exe.clone());
    exe
}

/// A running test program, killed if the test ends before it does.
#[derive(Debug)]
pub struct Program {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
    name: String,
}

impl Program {
    /// Starts `exe` with `args` and `env`.
    pub fn start(exe: &Path, args: &[&str], env: &[(&str, &OsStr)]) -> Program {
        let mut command = Command::new(exe);
        command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let name = exe.file_name().unwrap().to_string_lossy().into_owned();
        Program::spawn(command, &name)
    }

    /// Starts `command`, whose stdin, stdout and stderr are piped.
    pub fn spawn(mut command: Command, name: &str) -> Program {
        let mut child = command.spawn().expect("the program starts");
        let stdout = child.stdout.take().expect("piped");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().expect("piped");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            sink.lock().unwrap().push_str(&text);
        });
        Program {
            stdin: child.stdin.take(),
            child,
            lines,
            stderr,
            name: name.to_owned(),
        }
    }

    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The program's next line.
    pub fn line(&mut self) -> String {
        match self.lines.recv_timeout(T) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => self.fail("no line within the time limit"),
            Err(RecvTimeoutError::Disconnected) => self.fail("the program ended"),
        }
    }

    /// Waits for the line `expected`.
    pub fn expect(&mut self, expected: &str) {
        let line = self.line();
        if line != expected {
            self.fail(&format!("expected {expected:?}, got {line:?}"));
        }
    }

    /// Sends one line to the program.
    pub fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("the program reads its stdin");
        stdin.flush().expect("flushed");
    }

    /// Waits for the program to end, and for its exit status.
    pub fn wait(&mut self) -> ExitStatus {
        self.stdin = None;
        let deadline = Instant::now() + T;
        loop {
            if let Some(status) = self.child.try_wait().expect("waitpid") {
                return status;
            }
            if Instant::now() > deadline {
                self.fail("it did not end within the time limit");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the program to end successfully, with no line left unread.
    pub fn succeeds(mut self) {
        let exit = self.wait();
        let mut extra = Vec::new();
        // The reader thread ends at the program's end of output.
        while let Ok(line) = self.lines.recv_timeout(T) {
            extra.push(line);
        }
        if !exit.success() || !extra.is_empty() {
            self.fail(&format!("{exit}, unread lines {extra:?}"));
        }
    }

    /// What the program wrote to stderr, once it has ended.
    pub fn stderr(&mut self) -> String {
        self.wait();
        // The reader thread ends at the program's end of output.
        let deadline = Instant::now() + T;
        while Arc::strong_count(&self.stderr) > 1 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.stderr.lock().unwrap().clone()
    }

    fn fail(&mut self, why: &str) -> ! {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(50));
        panic!(
            "{}: {why}; stderr:\n{}",
            self.name,
            self.stderr.lock().unwrap()
        );
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
pub mod preload;
