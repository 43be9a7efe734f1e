//! Helpers shared by the runtime's integration tests.
#![allow(dead_code)]

pub mod echo;
pub mod node;

use std::io::{self, Read};
use std::path::PathBuf;

use ha_cover::{Recoverable, Transfer};

/// Deterministic pseudo-random bytes (xorshift), so a failing case can be rerun.
pub fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// Reads to the end in reads of at most `chunk` bytes.
pub fn read_in_chunks(reader: &mut impl Read, chunk: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = vec![0; chunk];
    loop {
        match reader.read(&mut buf)? {
            0 => return Ok(out),
            n => out.extend_from_slice(&buf[..n]),
        }
    }
}

/// A temporary directory with a file of `data`.
pub struct Scratch {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn scratch_file(data: &[u8]) -> Scratch {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("data");
    std::fs::write(&path, data).expect("write scratch file");
    Scratch { dir, path }
}

/// The number of descriptors this process has open.
pub fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .count()
}

/// The handle of QNX's example: a count of recoveries and the offset, kept by the
/// cover's transfer notifications instead of by hand.
#[derive(Debug, Default, Clone)]
pub struct OffsetHandle {
    pub offset: u64,
    pub recoveries: u32,
}

impl Recoverable for OffsetHandle {
    fn on_transfer(&mut self, transfer: Transfer<'_>) {
        match transfer {
            Transfer::Read(bytes) | Transfer::Written(bytes) => self.offset += bytes.len() as u64,
            Transfer::Seeked(to) => self.offset = to,
            _ => {}
        }
    }

    fn on_recovered(&mut self) {
        self.recoveries += 1;
    }
}
