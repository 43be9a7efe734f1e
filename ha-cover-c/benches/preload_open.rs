//! What preloading `libha_cover.so` costs calls it does not cover: `open` +
//! `close` of a local file, and `fstat` of a local descriptor, by the same C
//! loop run three ways, side by side:
//!
//! - `baseline`: without the library;
//! - `preloaded`: `LD_PRELOAD=libha_cover.so`, no `HA_COVER_PATHS` (the
//!   preload mode off);
//! - `covering`: `LD_PRELOAD=libha_cover.so HA_COVER_PATHS=/mnt/a:/mnt/b`,
//!   the file not under either prefix (every open is matched against them).
//!
//! Time per iteration: the three take turns, 21 rounds of 200 000 iterations,
//! medians compared. Instructions per iteration under callgrind when valgrind
//! is installed: 220 000 minus 20 000 iterations, divided by 200 000.
//!
//! `cargo bench -p ha-cover-c --bench preload_open`

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::build;

fn compile() -> PathBuf {
    let build = build();
    let exe = build.out.join("open_loop");
    let output = Command::new("cc")
        .args(["-O2", "-Wall", "-Werror"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/open_loop.c"))
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("cc runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    exe
}

/// How the loop is run: the environment it gets.
struct Way {
    name: &'static str,
    env: Vec<(&'static str, String)>,
}

fn ways() -> Vec<Way> {
    let lib = build().lib_dir.join("libha_cover.so").display().to_string();
    vec![
        Way {
            name: "baseline",
            env: vec![],
        },
        Way {
            name: "preloaded",
            env: vec![("LD_PRELOAD", lib.clone())],
        },
        Way {
            name: "covering",
            env: vec![
                ("LD_PRELOAD", lib),
                ("HA_COVER_PATHS", "/mnt/a:/mnt/b".to_owned()),
            ],
        },
    ]
}

fn command(program: &Path, way: &Way, args: &[String]) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .env_remove("LD_PRELOAD")
        .env_remove("HA_COVER_PATHS");
    for (key, value) in &way.env {
        command.env(key, value);
    }
    command
}

fn nanos(exe: &Path, way: &Way, args: &[String]) -> f64 {
    let output = command(exe, way, args).output().expect("runs");
    assert!(output.status.success(), "{exe:?} {} failed", way.name);
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a time")
}

fn instructions(exe: &Path, way: &Way, args: &[String]) -> Option<u64> {
    let mut valgrind = Command::new("valgrind");
    valgrind.args(["--tool=callgrind", "--callgrind-out-file=/dev/null"]);
    valgrind.arg(exe).args(args).env_remove("LD_PRELOAD");
    for (key, value) in &way.env {
        // valgrind preloads its own tools: the library goes in through the
        // variable the program sees.
        valgrind.env(key, value);
    }
    let output = valgrind.output().ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr
        .lines()
        .find_map(|line| line.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse().ok())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let exe = compile();
    let file = build().out.join("open_loop-file");
    std::fs::write(&file, b"a local file").expect("the file");
    let file = file.display().to_string();
    let ways = ways();
    for call in ["open", "fstat"] {
        let args = |n: u64| vec![n.to_string(), call.to_owned(), file.clone()];
        let mut times = vec![Vec::new(); ways.len()];
        for _ in 0..21 {
            for (i, way) in ways.iter().enumerate() {
                times[i].push(nanos(&exe, way, &args(200_000)));
            }
        }
        let medians: Vec<f64> = times.into_iter().map(median).collect();
        for (way, ns) in ways.iter().zip(&medians) {
            println!(
                "c_{call} {} {ns:.1}ns ratio={:.3}",
                way.name,
                ns / medians[0]
            );
        }
        let counts: Option<Vec<f64>> = ways
            .iter()
            .map(|way| {
                let short = instructions(&exe, way, &args(20_000))?;
                let long = instructions(&exe, way, &args(220_000))?;
                Some((long as f64 - short as f64) / 200_000.0)
            })
            .collect();
        match counts {
            Some(counts) => {
                for (way, ir) in ways.iter().zip(&counts) {
                    println!(
                        "callgrind_c_{call} {} ir={ir:.1} extra_ir={:.1}",
                        way.name,
                        ir - counts[0]
                    );
                }
            }
            None => println!("callgrind: valgrind is not installed; instruction counts skipped"),
        }
    }
}
