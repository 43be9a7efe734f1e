//! Instructions per read, counted by callgrind: deterministic where time is not.
//!
//! `bench-report` runs itself under `valgrind --tool=callgrind` in a mode that
//! only reads 64 bytes at a time from `/dev/zero`, through a cover or through a
//! plain `File`, for two numbers of reads; the difference between the two runs
//! divided by the difference in reads is the instructions one read costs, with
//! program start-up and set-up cancelled out. Callgrind counts user-space
//! instructions: the system call's own kernel work is the same for both.

use std::fs::File;
use std::io::{self, Read};
use std::process::Command;

use ha_cover::Cover;

/// The argument that selects the read loop.
pub const READ_LOOP: &str = "--read-loop";

/// Reads 64 bytes `reads` times from `/dev/zero`, covered or not.
pub fn read_loop(covered: bool, reads: u64) -> io::Result<()> {
    let mut buf = [0u8; 64];
    if covered {
        let mut file = Cover::open("/dev/zero", ha_cover::reopen, ())?;
        for _ in 0..reads {
            assert_eq!(file.read(&mut buf)?, buf.len());
        }
    } else {
        let mut file = File::open("/dev/zero")?;
        for _ in 0..reads {
            assert_eq!(file.read(&mut buf)?, buf.len());
        }
    }
    std::hint::black_box(buf);
    Ok(())
}

fn instructions(covered: bool, reads: u64) -> io::Result<u64> {
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(std::env::current_exe()?)
        .args([
            READ_LOOP,
            if covered { "covered" } else { "raw" },
            &reads.to_string(),
        ])
        .output()?;
    let log = String::from_utf8_lossy(&out.stderr);
    log.lines()
        .find_map(|line| line.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| io::Error::other(format!("no instruction count from callgrind:\n{log}")))
}

/// Prints `callgrind_read_64 ours_ir=<per read> baseline_ir=<per read> extra_ir=<..> ratio=<..>`.
pub fn report() -> io::Result<()> {
    if Command::new("valgrind").arg("--version").output().is_err() {
        println!("callgrind_read_64 skipped: valgrind is not installed");
        return Ok(());
    }
    let (few, many) = (20_000, 220_000);
    let per_read = |covered| -> io::Result<f64> {
        Ok(
            (instructions(covered, many)? - instructions(covered, few)?) as f64
                / (many - few) as f64,
        )
    };
    let (ours, base) = (per_read(true)?, per_read(false)?);
    println!(
        "callgrind_read_64 ours_ir={ours:.1} baseline_ir={base:.1} extra_ir={:.1} ratio={:.3}",
        ours - base,
        ours / base
    );
    Ok(())
}
