//! The benchmark report: ha-cover beside its baseline, measured side by side in
//! one run (`cargo run --release -p ha-cover-examples --bin bench-report`).
//!
//! Throughput figures interleave the two (A B A B ...), so that the noise of a
//! shared machine falls on both alike, and compare medians. Recovery figures run
//! against servers that are really killed.

pub mod chaos;
pub mod failover;
pub mod instructions;
pub mod measure;
pub mod recovery;
pub mod sshfs;
pub mod throughput;

/// How much to measure.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Interleaved rounds per throughput figure (each side runs this often).
    pub rounds: usize,
    /// Recoveries measured for the recovery-cost figure.
    pub recoveries: usize,
    /// Outages measured for each resume-lag figure.
    pub outages: usize,
    /// Kills in the chaos-cost run.
    pub chaos_kills: usize,
    /// Sentinel failovers the sync client rides through (half as many for
    /// the polling and the async client).
    pub failovers: usize,
    /// Size of the files read and written.
    pub file_size: usize,
}

impl Plan {
    /// A run of a couple of minutes, for a quick look.
    pub fn quick() -> Self {
        Plan {
            rounds: 7,
            recoveries: 30,
            outages: 12,
            chaos_kills: 50,
            failovers: 6,
            file_size: 256 << 20,
        }
    }

    /// The run BENCHMARKS.md reports.
    pub fn full() -> Self {
        Plan {
            rounds: 31,
            recoveries: 200,
            outages: 50,
            chaos_kills: 200,
            failovers: 24,
            file_size: 256 << 20,
        }
    }
}
