//! Unmodified programs, with `libha_cover.so` preloaded and the mount of a
//! FUSE server covered, survive that server being SIGKILLed and restarted
//! again and again while they run, their output byte for byte what it would
//! have been: `cat`, `dd`, python3's binary reads, text lines and appends,
//! `sha256sum`, `cp`, `tail -f`, `sqlite3` and `grep -r`.

mod common;

use std::fs;

use common::preload::{assert_same, chaos, command, pattern, python3, repeated, streamed};
use ha_cover_examples::require;
use ha_cover_examples::world::{Component, FuseServer};

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
