//! Unmodified programs, with `libha_cover.so` preloaded and the mount of a
//! FUSE server covered, survive that server being SIGKILLed and restarted
//! again and again while they run, their output byte for byte what it would
//! have been: `cat`, `dd`, python3's binary reads, text lines and appends,
//! `sha256sum`, `cp`, `tail -f`, `sqlite3` and `grep -r`.

mod common;

use std::fs;

use common::preload::{assert_same, chaos, command, pattern, python3, repeated, streamed};
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer};

const KILLS: usize = 20;

fn server_with(name: &str, content: &[u8]) -> FuseServer {
    let server = FuseServer::fuser().expect("the FUSE server starts");
    fs::write(server.backing(name), content).expect("the backing file");
    server
}

/// Checks a streamed run: clean, byte-exact, every kill seen.
fn report(what: &str, outcome: &common::preload::Outcome, expected: &[u8], kills: usize) {
    outcome.assert_clean(what);
    assert_same(what, &outcome.stdout, expected);
    let recoveries = outcome.recoveries();
    eprintln!("{what}: {kills} kills, {recoveries} recoveries, output byte-exact");
    assert!(
        recoveries >= kills / 4,
        "{what}: few deaths met the program"
    );
}

#[test]
fn cat_survives_repeated_deaths() {
    require!(Component::Fuse);
    let data = pattern(16 << 20);
    let server = server_with("data", &data);
    let mut cat = command(&server, "cat");
    cat.arg(server.path("data"));
    let (outcome, chaos) = streamed(cat, chaos(&server, KILLS, 1), None);
    report("cat", &outcome, &data, chaos.kills.len());
}

#[test]
fn dd_survives_repeated_deaths() {
    require!(Component::Fuse);
    let data = pattern(16 << 20);
    let server = server_with("data", &data);
    let mut dd = command(&server, "dd");
    dd.arg(format!("if={}", server.path("data").display()))
        .args(["bs=64K", "status=none"]);
    let (outcome, chaos) = streamed(dd, chaos(&server, KILLS, 2), None);
    report("dd", &outcome, &data, chaos.kills.len());
}

#[test]
fn python_binary_reads_survive_repeated_deaths() {
    require!(
        Component::Fuse,
        Component::Program {
            name: "python3",
            package: "python3"
        }
    );
    let data = pattern(16 << 20);
    let server = server_with("data", &data);
    let mut python = command(&server, python3());
    python.args([
        "-c",
        "import sys\n\
         out = sys.stdout.buffer\n\
         with open(sys.argv[1], 'rb') as f:\n\
         \x20   while chunk := f.read(65536):\n\
         \x20       out.write(chunk)\n",
    ]);
    python.arg(server.path("data"));
    let (outcome, chaos) = streamed(python, chaos(&server, KILLS, 3), None);
    report("python3 binary reads", &outcome, &data, chaos.kills.len());
}

#[test]
fn python_text_lines_survive_repeated_deaths() {
    require!(
        Component::Fuse,
        Component::Program {
            name: "python3",
            package: "python3"
        }
    );
    let text: String = (0..400_000).map(|n| format!("line {n:07} ü\n")).collect();
    let server = server_with("lines", text.as_bytes());
    let mut python = command(&server, python3());
    python.args([
        "-c",
        "import sys\n\
         n = 0\n\
         for line in open(sys.argv[1], encoding='utf-8'):\n\
         \x20   sys.stdout.write(line)\n\
         \x20   n += 1\n",
    ]);
    python.arg(server.path("lines"));
    let (outcome, chaos) = streamed(python, chaos(&server, KILLS, 4), None);
    report(
        "python3 text lines",
        &outcome,
        text.as_bytes(),
        chaos.kills.len(),
    );
}

/// What `program args` prints when run plainly (no preload, no deaths).
fn plain_output(program: &str, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .expect("the program runs");
    assert!(output.status.success(), "{program}: {output:?}");
    output.stdout
}

#[test]
fn sha256sum_survives_repeated_deaths() {
    require!(Component::Fuse);
    let data = pattern(32 << 20);
    let server = server_with("data", &data);
    let path = server.path("data");
    let expected = plain_output("sha256sum", &[path.as_os_str()]);
    let (runs, recoveries, chaos) = repeated(
        |_| {
            let mut sha = command(&server, "sha256sum");
            sha.arg(&path);
            sha
        },
        chaos(&server, KILLS, 5),
        |run, outcome| {
            outcome.assert_clean("sha256sum");
            assert_same(&format!("sha256sum run {run}"), &outcome.stdout, &expected);
        },
    );
    eprintln!(
        "sha256sum: {} kills over {runs} runs, {recoveries} deaths met, every digest right",
        chaos.kills.len()
    );
    assert!(recoveries >= KILLS / 4, "few deaths met sha256sum");
}

#[test]
fn cp_to_local_disk_survives_repeated_deaths() {
    require!(Component::Fuse);
    let data = pattern(64 << 20);
    let server = server_with("data", &data);
    let local = tempfile::tempdir().expect("a local directory");
    let (runs, recoveries, chaos) = repeated(
        |run| {
            let mut cp = command(&server, "cp");
            cp.arg(server.path("data"))
                .arg(local.path().join(format!("copy{run}")));
            cp
        },
        chaos(&server, KILLS, 6),
        |run, outcome| {
            outcome.assert_clean("cp");
            let copy = local.path().join(format!("copy{run}"));
            assert_same(
                &format!("cp run {run}"),
                &fs::read(&copy).expect("the copy"),
                &data,
            );
            fs::remove_file(copy).expect("removed");
        },
    );
    eprintln!(
        "cp: {} kills over {runs} runs, {recoveries} deaths met, every copy byte-exact",
        chaos.kills.len()
    );
    assert!(recoveries >= KILLS / 4, "few deaths met cp");
}

#[test]
fn grep_r_survives_repeated_deaths() {
    require!(Component::Fuse);
    let server = FuseServer::fuser().expect("the FUSE server starts");
    for d in 0..3 {
        let dir = server.backing(format!("dir{d}"));
        fs::create_dir(&dir).expect("a directory");
        for f in 0..10 {
            let text: String = (0..20_000)
                .map(|n| {
                    let word = if n % 997 == 0 { "needle" } else { "hay" };
                    format!("{d} {f} {n:06} {word}\n")
                })
                .collect();
            fs::write(dir.join(format!("file{f}")), text).expect("a file");
        }
    }
    let tree = server.path("");
    let expected = plain_output(
        "grep",
        &["-r".as_ref(), "needle".as_ref(), tree.as_os_str()],
    );
    assert!(expected.len() > 1000);
    let (runs, recoveries, chaos) = repeated(
        |_| {
            let mut grep = command(&server, "grep");
            grep.args(["-r", "needle"]).arg(&tree);
            grep
        },
        chaos(&server, KILLS, 7),
        |run, outcome| {
            outcome.assert_clean("grep -r");
            assert_same(&format!("grep -r run {run}"), &outcome.stdout, &expected);
        },
    );
    eprintln!(
        "grep -r: {} kills over {runs} runs, {recoveries} deaths met, every output byte-exact",
        chaos.kills.len()
    );
    assert!(recoveries >= KILLS / 4, "few deaths met grep");
}

#[test]
fn tail_f_follows_appends_across_repeated_deaths() {
    require!(Component::Fuse);
    let server = server_with("log", b"");
    let mut tail = command(&server, "tail");
    // -c +1: from the first byte; -s: poll often (FUSE is remote to tail).
    tail.args(["-f", "-s", "0.01", "-c", "+1"])
        .arg(server.path("log"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut running = common::preload::Running(tail.spawn().expect("tail starts"));
    let output = common::preload::drain(running.0.stdout.take().expect("piped"));
    let stderr = common::preload::drain(running.0.stderr.take().expect("piped"));
    let chaos = chaos(&server, KILLS, 8);
    let mut log = fs::OpenOptions::new()
        .append(true)
        .open(server.backing("log"))
        .expect("the backing log");
    let mut expected = Vec::new();
    let mut n = 0;
    // Appended behind the server's back, while it dies and comes back.
    while chaos.is_running() || n < 1000 {
        let line = format!("entry {n:06}\n");
        std::io::Write::write_all(&mut log, line.as_bytes()).expect("appended");
        expected.extend_from_slice(line.as_bytes());
        n += 1;
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let report = chaos.join();
    assert!(report.error.is_none(), "chaos: {:?}", report.error);
    let deadline = std::time::Instant::now() + common::T;
    while output.lock().unwrap().len() < expected.len() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // Anything more would show now.
    std::thread::sleep(std::time::Duration::from_millis(200));
    drop(running);
    std::thread::sleep(std::time::Duration::from_millis(50));
    let stderr = String::from_utf8_lossy(&stderr.lock().unwrap()).into_owned();
    let recoveries = common::preload::recoveries_in(&stderr);
    assert!(
        stderr.lines().all(|l| l.starts_with("ha-cover: ")),
        "tail said: {stderr}"
    );
    assert_same("tail -f", &output.lock().unwrap(), &expected);
    eprintln!(
        "tail -f: {} kills, {recoveries} recoveries, {n} appended lines followed byte-exact",
        report.kills.len()
    );
    assert!(recoveries >= KILLS / 4, "few deaths met tail");
}

#[test]
fn python_appending_writer_writes_every_record_once_across_repeated_deaths() {
    require!(
        Component::Fuse,
        Component::Program {
            name: "python3",
            package: "python3"
        }
    );
    let server = FuseServer::fuser().expect("the FUSE server starts");
    let local = tempfile::tempdir().expect("a local directory");
    let stop = local.path().join("stop");
    let mut python = command(&server, python3());
    python.args([
        "-c",
        "import os, sys\n\
         path, stop = sys.argv[1], sys.argv[2]\n\
         n = 0\n\
         with open(path, 'a') as f:\n\
         \x20   while not os.path.exists(stop):\n\
         \x20       f.write(f'record {n:07}\\n')\n\
         \x20       f.flush()\n\
         \x20       n += 1\n\
         print(n)\n",
    ]);
    python.arg(server.path("records")).arg(&stop);
    python
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut running = common::preload::Running(python.spawn().expect("python starts"));
    let output = common::preload::drain(running.0.stdout.take().expect("piped"));
    let stderr = common::preload::drain(running.0.stderr.take().expect("piped"));
    let report = chaos(&server, KILLS, 9).join();
    assert!(report.error.is_none(), "chaos: {:?}", report.error);
    // A record on the server since the last restart: python's descriptor is
    // recovered before it closes it. A writable descriptor closed while its
    // connection is dead reports the dead connection's error (a server that
    // kept written data in a cache may have lost it), and a python descheduled
    // through the last downtime would meet that at its close.
    let records = server.backing("records");
    let size = fs::metadata(&records).expect("the records").len();
    let deadline = std::time::Instant::now() + common::T;
    while fs::metadata(&records).expect("the records").len() == size {
        assert!(
            std::time::Instant::now() < deadline,
            "python wrote nothing since the chaos"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    fs::write(&stop, b"").expect("the stop file");
    let status = running.0.wait().expect("python ends");
    std::thread::sleep(std::time::Duration::from_millis(50));
    let stderr = String::from_utf8_lossy(&stderr.lock().unwrap()).into_owned();
    assert!(
        status.success() && stderr.lines().all(|l| l.starts_with("ha-cover: ")),
        "{status}: {stderr}"
    );
    let count: usize = String::from_utf8_lossy(&output.lock().unwrap())
        .trim()
        .parse()
        .expect("the record count");
    let expected: String = (0..count).map(|n| format!("record {n:07}\n")).collect();
    let written = fs::read(server.backing("records")).expect("the records");
    assert_same("appended records", &written, expected.as_bytes());
    let recoveries = common::preload::recoveries_in(&stderr);
    eprintln!(
        "python3 appends: {} kills, {recoveries} recoveries, {count} records each exactly once",
        report.kills.len()
    );
    assert!(recoveries >= KILLS / 2, "few deaths met the writer");
}

#[test]
fn sqlite3_answers_thousands_of_queries_across_repeated_deaths() {
    require!(
        Component::Fuse,
        Component::Program {
            name: "sqlite3",
            package: "sqlite3"
        }
    );
    let server = FuseServer::fuser().expect("the FUSE server starts");
    let setup = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);\n\
                 WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)\n\
                 INSERT INTO t SELECT x, printf('value %06d', x * 7919 % 20000) FROM c;\n";
    let db = server.backing("db");
    sqlite(&db, setup.as_bytes());
    let queries: String = (0..3000)
        .map(|k| match k % 3 {
            0 => format!(
                "SELECT count(*), sum(id) FROM t WHERE id % 97 = {};\n",
                k % 97
            ),
            1 => format!("SELECT v FROM t WHERE id = {};\n", k * 7 % 20000 + 1),
            _ => format!(
                "SELECT min(v), max(v) FROM t WHERE id BETWEEN {k} AND {};\n",
                k + 50
            ),
        })
        .collect();
    let expected = sqlite(&db, queries.as_bytes());
    let mut sqlite3 = command(&server, "sqlite3");
    sqlite3.arg(server.path("db"));
    let (outcome, chaos) = streamed(
        sqlite3,
        chaos(&server, KILLS, 10),
        Some(queries.into_bytes()),
    );
    report("sqlite3", &outcome, &expected, chaos.kills.len());
}

/// What `sqlite3 db` answers to `input`, run plainly on the backing file.
fn sqlite(db: &std::path::Path, input: &[u8]) -> Vec<u8> {
    let mut child = std::process::Command::new("sqlite3")
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sqlite3 runs");
    std::io::Write::write_all(&mut child.stdin.take().expect("piped"), input).expect("fed");
    let output = child.wait_with_output().expect("sqlite3 ends");
    assert!(output.status.success(), "sqlite3: {output:?}");
    output.stdout
}
