//! What `libha_cover` costs a C program's `read`: 64-byte reads of
//! `/dev/zero` by the same C loop built three ways, side by side:
//!
//! - `baseline`: without the library;
//! - `plain`: linked with `-lha_cover`, on a descriptor that is not HA-aware
//!   (what every other descriptor of a program pays for the interposition);
//! - `ha`: linked, on a descriptor made HA-aware with `ha_attach`.
//!
//! Time per read: the three take turns, 21 rounds of 2 million reads, and the
//! medians are compared. Instructions per read, under callgrind when valgrind
//! is installed: each runs 20 000 and 220 000 reads and the difference is
//! divided by 200 000, so start-up cancels out.
//!
//! `cargo bench -p ha-cover-c --bench passthrough`

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::build;

fn compile(tag: &str, flags: &[&str], link: bool) -> PathBuf {
    let build = build();
    let exe = build.out.join(format!("read_loop-{tag}"));
    let mut cc = Command::new("cc");
    cc.args(["-O2", "-Wall", "-Werror"])
        .args(flags)
        .arg("-I")
        .arg(&build.include)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/read_loop.c"))
        .arg("-o")
        .arg(&exe);
    if link {
        cc.arg("-L")
            .arg(&build.lib_dir)
            .arg(format!("-Wl,-rpath,{}", build.lib_dir.display()))
            .args(["-Wl,--no-as-needed", "-lha_cover"]);
    }
    let output = cc.output().expect("cc runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    exe
}

fn nanos_per_read(exe: &Path, reads: u64) -> f64 {
    let output = Command::new(exe)
        .arg(reads.to_string())
        .output()
        .expect("runs");
    assert!(output.status.success(), "{exe:?} failed");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a time")
}

fn instructions(exe: &Path, reads: u64) -> Option<u64> {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe)
        .arg(reads.to_string())
        .output()
        .ok()?;
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
    // `cargo bench` passes `--bench`; nothing else to parse.
    let programs = [
        ("baseline", compile("baseline", &[], false)),
        ("plain", compile("plain", &[], true)),
        ("ha", compile("ha", &["-DHA"], true)),
    ];
    let mut times = vec![Vec::new(); programs.len()];
    for _ in 0..21 {
        for (i, (_, exe)) in programs.iter().enumerate() {
            times[i].push(nanos_per_read(exe, 2_000_000));
        }
    }
    let medians: Vec<f64> = times.into_iter().map(median).collect();
    let baseline = medians[0];
    for ((name, _), ns) in programs.iter().zip(&medians) {
        println!("c_read_64 {name} {ns:.1}ns ratio={:.3}", ns / baseline);
    }
    let counts: Option<Vec<f64>> = programs
        .iter()
        .map(|(_, exe)| {
            let short = instructions(exe, 20_000)?;
            let long = instructions(exe, 220_000)?;
            Some((long as f64 - short as f64) / 200_000.0)
        })
        .collect();
    match counts {
        Some(counts) => {
            for ((name, _), ir) in programs.iter().zip(&counts) {
                println!(
                    "callgrind_c_read_64 {name} ir={ir:.1} extra_ir={:.1}",
                    ir - counts[0]
                );
            }
        }
        None => println!("callgrind: valgrind is not installed; instruction counts skipped"),
    }
}
