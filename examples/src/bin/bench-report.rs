//! `bench-report [--quick] [--only throughput|recovery|resume|chaos|callgrind|failover|sshfs]`: ha-cover
//! beside its baseline, side by side in one run. Prints one line per figure:
//! `<name> ours=<median> baseline=<median> ratio=<ours/baseline>` for the path
//! with no failure, `<name> p50_ms=<v> p99_ms=<v>` for recoveries, and
//! `resume_lag_p50_ms=<v>`. BENCHMARKS.md records a full run.
//!
//! Run it with `cargo run --release -p ha-cover-examples --bin bench-report -- --quick`.

use std::process::ExitCode;

use ha_cover_examples::bench::{self, Plan};
use ha_cover_world as world;

fn main() -> ExitCode {
    // The file and socket servers the recovery figures kill are this program too.
    world::serve_if_asked();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, mode, reads] = &args[..]
        && let Some(run) = bench::instructions::loop_for(flag)
    {
        let reads = reads.parse().expect("a number of reads");
        return match run(mode == "covered", reads) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bench-report: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let quick = args.iter().any(|a| a == "--quick");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let wanted = |section: &str| only.as_deref().is_none_or(|o| o == section);
    let plan = if quick { Plan::quick() } else { Plan::full() };
    let dir = std::env::temp_dir();
    let tmpfs = std::path::Path::new("/dev/shm");
    let tmpfs = if tmpfs.is_dir() {
        tmpfs.to_path_buf()
    } else {
        dir.clone()
    };
    let file = dir.join("ha-cover-bench-256m");
    println!(
        "# bench-report {} ({plan:?})",
        if quick { "--quick" } else { "full" }
    );
    let result = (|| {
        if wanted("throughput") {
            bench::throughput::run(&plan, &file, &tmpfs)?;
        }
        if wanted("recovery") {
            bench::recovery::recovery_cost(&plan)?;
        }
        if wanted("resume") {
            bench::recovery::resume_lag(&plan)?;
        }
        if wanted("chaos") {
            bench::chaos::chaos_cost(&plan)?;
        }
        if wanted("callgrind") {
            bench::instructions::report()?;
        }
        if wanted("failover") {
            bench::failover::sentinel_failover(&plan)?;
        }
        if wanted("sshfs") {
            bench::sshfs::sshfs_resume_lag(&plan)?;
        }
        std::io::Result::Ok(())
    })();
    let _ = std::fs::remove_file(&file);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-report: {e}");
            ExitCode::FAILURE
        }
    }
}
