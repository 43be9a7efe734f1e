//! The path with no failure, covered beside uncovered, in detail:
//! `cargo bench -p ha-cover --bench io`. The side-by-side report with ratios is
//! `bench-report` in the examples crate; these show the distributions.

use std::fs::File;
use std::hint::black_box;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::os::unix::net::UnixStream;

use criterion::{Criterion, criterion_group, criterion_main};
use ha_cover::Cover;

fn reads(c: &mut Criterion) {
    let mut group = c.benchmark_group("read_64_dev_zero");
    let mut raw = File::open("/dev/zero").unwrap();
    let mut covered = Cover::open("/dev/zero", ha_cover::reopen, ()).unwrap();
    let mut buf = [0u8; 64];
    group.bench_function("std", |b| b.iter(|| raw.read(black_box(&mut buf)).unwrap()));
    group.bench_function("cover", |b| {
        b.iter(|| covered.read(black_box(&mut buf)).unwrap())
    });
    group.finish();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data");
    std::fs::write(&path, vec![1u8; 1 << 20]).unwrap();
    let mut group = c.benchmark_group("read_4k_page_cache");
    let mut raw = File::open(&path).unwrap();
    let mut covered = Cover::open(&path, ha_cover::reopen_seek, ()).unwrap();
    let mut buf = vec![0u8; 4096];
    let sequential = |file: &mut dyn ReadSeek, buf: &mut [u8]| {
        if file.read(buf).unwrap() == 0 {
            file.seek(SeekFrom::Start(0)).unwrap();
        }
    };
    group.bench_function("std", |b| b.iter(|| sequential(&mut raw, &mut buf)));
    group.bench_function("cover", |b| b.iter(|| sequential(&mut covered, &mut buf)));
    group.finish();

    let mut group = c.benchmark_group("pread_4k_page_cache");
    group.bench_function("std", |b| {
        b.iter(|| raw.read_at(black_box(&mut buf), 8192).unwrap())
    });
    group.bench_function("cover", |b| {
        b.iter(|| covered.read_at(black_box(&mut buf), 8192).unwrap())
    });
    group.finish();
}

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

fn writes(c: &mut Criterion) {
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    let path = dir.path().join("out");
    std::fs::write(&path, vec![0u8; 1 << 20]).unwrap();
    let options = std::fs::OpenOptions::new().write(true).clone();
    let mut raw = options.open(&path).unwrap();
    let mut covered = Cover::open_with(&path, &options, ha_cover::reopen_seek, ()).unwrap();
    let block = [7u8; 4096];
    let mut group = c.benchmark_group("write_4k_tmpfs");
    let wrap = |file: &mut dyn WriteSeek| {
        if file.stream_position().unwrap() >= 1 << 20 {
            file.seek(SeekFrom::Start(0)).unwrap();
        }
        file.write_all(&block).unwrap();
    };
    group.bench_function("std", |b| b.iter(|| wrap(&mut raw)));
    group.bench_function("cover", |b| b.iter(|| wrap(&mut covered)));
    group.finish();
}

trait WriteSeek: Write + Seek {}
impl<T: Write + Seek> WriteSeek for T {}

fn echo() -> UnixStream {
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

fn sockets(c: &mut Criterion) {
    let mut group = c.benchmark_group("unix_pingpong_64");
    let mut raw = echo();
    let mut covered = Cover::attach(echo(), ha_cover::reconnect, ()).unwrap();
    let mut buf = [3u8; 64];
    group.bench_function("std", |b| {
        b.iter(|| {
            raw.write_all(&buf).unwrap();
            raw.read_exact(&mut buf).unwrap();
        })
    });
    group.bench_function("cover", |b| {
        b.iter(|| {
            covered.write_all(&buf).unwrap();
            covered.read_exact(&mut buf).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, reads, writes, sockets);
criterion_main!(benches);
