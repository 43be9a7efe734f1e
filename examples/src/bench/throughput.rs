//! The path with no failure: a covered connection beside the same connection
//! uncovered.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::os::unix::net::UnixStream;
use std::path::Path;

use ha_cover::{Cover, Recoverable, Transfer};

use super::Plan;
use super::measure::{interleave, report_ratio};
use ha_cover_world::Rng;

/// A handle that follows the offset, as `#[derive(Recoverable)]` with
/// `#[ha(offset)]` does: the per-call cost of telling the handle.
#[derive(Default)]
struct Offset(u64);

impl Recoverable for Offset {
    #[inline]
    fn on_transfer(&mut self, transfer: Transfer<'_>) {
        match transfer {
            Transfer::Read(b) | Transfer::Written(b) => self.0 += b.len() as u64,
            Transfer::Seeked(to) => self.0 = to,
            _ => {}
        }
    }
}

/// Reads `limit` bytes from the start in reads of `buf.len()`; the number of reads.
fn sequential(file: &mut (impl Read + Seek), buf: &mut [u8], limit: usize) -> u64 {
    file.seek(SeekFrom::Start(0)).unwrap();
    let (mut done, mut ops) = (0, 0);
    while done < limit {
        let n = file.read(buf).unwrap();
        assert!(n > 0, "the file is shorter than {limit}");
        done += n;
        ops += 1;
    }
    ops
}

/// Writes `limit` bytes from the start in writes of `buf.len()`.
fn rewrite(file: &mut (impl Write + Seek), buf: &[u8], limit: usize) -> u64 {
    file.seek(SeekFrom::Start(0)).unwrap();
    for _ in 0..limit / buf.len() {
        file.write_all(buf).unwrap();
    }
    (limit / buf.len()) as u64
}

/// Empties the file through `emptier`, then appends 4 MiB to it in writes
/// of `record`.
fn append_4mib(file: &mut impl Write, emptier: &File, record: &[u8]) -> u64 {
    emptier.set_len(0).unwrap();
    let writes = (4 << 20) / record.len();
    for _ in 0..writes {
        file.write_all(record).unwrap();
    }
    writes as u64
}

fn echo_peer() -> UnixStream {
    let (ours, theirs) = UnixStream::pair().unwrap();
    std::thread::spawn(move || {
        let mut theirs = theirs;
        let mut buf = [0; 64];
        while theirs.read_exact(&mut buf).is_ok() {
            if theirs.write_all(&buf).is_err() {
                return;
            }
        }
    });
    ours
}

fn ping_pong(conn: &mut (impl Read + Write), trips: u64) -> u64 {
    let mut buf = [7u8; 64];
    for _ in 0..trips {
        conn.write_all(&buf).unwrap();
        conn.read_exact(&mut buf).unwrap();
    }
    trips
}

/// Makes (once) a file of `size` bytes at `path` and reads it into the page cache.
pub fn page_cached_file(path: &Path, size: usize) -> io::Result<()> {
    if std::fs::metadata(path).map(|m| m.len() as usize).ok() != Some(size) {
        let mut rng = Rng::new(1);
        let mut file = File::create(path)?;
        let mut chunk = vec![0u8; 1 << 20];
        for _ in 0..size / chunk.len() {
            chunk.iter_mut().for_each(|b| *b = rng.next_u64() as u8);
            file.write_all(&chunk)?;
        }
    }
    io::copy(&mut File::open(path)?, &mut io::sink())?;
    Ok(())
}

/// Measures and prints `read_4k`, `read_64`, `write_4k`, `pread_4k`,
/// `unix_pingpong_64` (and `read_64` with a handle that follows the offset,
/// through a dup'ed cover, and both).
pub fn run(plan: &Plan, file: &Path, tmpfs_dir: &Path) -> io::Result<()> {
    page_cached_file(file, plan.file_size)?;
    let size = plan.file_size;

    let mut ours = Cover::open(file, ha_cover::reopen_seek, ())?;
    let mut base = File::open(file)?;
    let (mut a, mut b) = (vec![0u8; 4096], vec![0u8; 4096]);
    report_ratio(
        "read_4k",
        interleave(
            plan.rounds,
            || sequential(&mut ours, &mut a, size),
            || sequential(&mut base, &mut b, size),
        ),
    );

    let small = size.min(16 << 20);
    let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
    report_ratio(
        "read_64",
        interleave(
            plan.rounds,
            || sequential(&mut ours, &mut a, small),
            || sequential(&mut base, &mut b, small),
        ),
    );
    let mut tracked = Cover::open(file, ha_cover::reopen_seek, Offset::default())?;
    report_ratio(
        "read_64_with_offset_handle",
        interleave(
            plan.rounds,
            || sequential(&mut tracked, &mut a, small),
            || sequential(&mut base, &mut b, small),
        ),
    );

    // A dup'ed cover checks the group's recovery epoch on every call, and with
    // a handle that follows transfers takes the group's handle lock. Its
    // baseline is a `File` with a clone open too: the kernel locks the position
    // of a file that two descriptors share on every read, cover or not.
    let mut base_dupped = File::open(file)?;
    let _base_other = base_dupped.try_clone()?;
    let mut dupped = Cover::open(file, ha_cover::reopen_seek, ())?;
    let _other = dupped.dup()?;
    report_ratio(
        "read_64_dupped",
        interleave(
            plan.rounds,
            || sequential(&mut dupped, &mut a, small),
            || sequential(&mut base_dupped, &mut b, small),
        ),
    );
    let mut dupped = Cover::open(file, ha_cover::reopen_seek, Offset::default())?;
    let _other = dupped.dup()?;
    report_ratio(
        "read_64_dupped_with_offset_handle",
        interleave(
            plan.rounds,
            || sequential(&mut dupped, &mut a, small),
            || sequential(&mut base_dupped, &mut b, small),
        ),
    );

    let target = tmpfs_dir.join("ha-cover-bench-write");
    std::fs::write(&target, vec![0u8; 64 << 20])?;
    let options = std::fs::OpenOptions::new().write(true).clone();
    let mut ours_w = Cover::open_with(&target, &options, ha_cover::reopen_seek, ())?;
    let mut base_w = options.open(&target)?;
    let block = [42u8; 4096];
    report_ratio(
        "write_4k",
        interleave(
            plan.rounds,
            || rewrite(&mut ours_w, &block, 64 << 20),
            || rewrite(&mut base_w, &block, 64 << 20),
        ),
    );
    std::fs::remove_file(&target)?;

    // A dup'ed cover's appends take the group's append slot, so that the
    // file's growth after a death is the one append's under way. Baseline: a
    // `File` opened for appending with a clone open. Each round appends 4 MiB
    // in 64-byte writes to an emptied tmpfs file.
    let target = tmpfs_dir.join("ha-cover-bench-append");
    std::fs::write(&target, b"")?;
    let options = std::fs::OpenOptions::new().append(true).clone();
    let mut ours_a = Cover::open_with(&target, &options, ha_cover::reopen, ())?;
    let _ours_other = ours_a.dup()?;
    let mut base_a = options.open(&target)?;
    let _base_other = base_a.try_clone()?;
    let emptier = std::fs::OpenOptions::new().write(true).open(&target)?;
    let record = [42u8; 64];
    report_ratio(
        "append_64_dupped",
        interleave(
            plan.rounds,
            || append_4mib(&mut ours_a, &emptier, &record),
            || append_4mib(&mut base_a, &emptier, &record),
        ),
    );
    std::fs::remove_file(&target)?;

    let mut rng = Rng::new(2);
    let offsets: Vec<u64> = (0..65_536)
        .map(|_| rng.between(0, (size / 4096 - 1) as u64) * 4096)
        .collect();
    let (mut a, mut b) = (vec![0u8; 4096], vec![0u8; 4096]);
    report_ratio(
        "pread_4k",
        interleave(
            plan.rounds,
            || {
                offsets.iter().for_each(|&o| {
                    ours.read_at(&mut a, o).unwrap();
                });
                offsets.len() as u64
            },
            || {
                offsets.iter().for_each(|&o| {
                    base.read_at(&mut b, o).unwrap();
                });
                offsets.len() as u64
            },
        ),
    );

    let mut ours_s = Cover::attach(echo_peer(), ha_cover::reconnect, ())?;
    let mut base_s = echo_peer();
    report_ratio(
        "unix_pingpong_64",
        interleave(
            plan.rounds,
            || ping_pong(&mut ours_s, 20_000),
            || ping_pong(&mut base_s, 20_000),
        ),
    );
    Ok(())
}
