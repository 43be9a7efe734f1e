//! Code generic over `std::io` works over a cover unchanged: serde_json, which
//! knows nothing of ha-cover, writes and reads a large value through covered
//! files while the FUSE server behind them is SIGKILLed mid-stream.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::time::Duration;

use ha_cover::Builder;
use ha_cover_world::require;
use ha_cover_world::{Component, FuseServer, Rng};
use serde::{Deserialize, Serialize};

const T: Duration = Duration::from_secs(10);

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Record {
    id: u64,
    name: String,
    /// Kilobytes of text with quotes, backslashes, control and non-ASCII
    /// characters, which serde_json escapes or writes as several bytes.
    text: String,
    tags: Vec<String>,
    weights: Vec<i32>,
    /// Quarters only, which read back exactly.
    ratio: f64,
    parent: Option<u64>,
    flags: BTreeMap<String, bool>,
}

fn value(records: u64, seed: u64) -> Vec<Record> {
    const CHARS: [char; 12] = [
        'a', 'q', 'Z', '7', ' ', '"', '\\', '\n', '\t', 'é', '€', '😀',
    ];
    let mut rng = Rng::new(seed);
    (0..records)
        .map(|id| {
            let len = 2000 + rng.next_u64() % 4000;
            let text = (0..len)
                .map(|_| CHARS[(rng.next_u64() % CHARS.len() as u64) as usize])
                .collect();
            Record {
                id: rng.next_u64(),
                name: format!("record {id}"),
                text,
                tags: (0..rng.next_u64() % 5)
                    .map(|t| format!("tag-{t}"))
                    .collect(),
                weights: (0..rng.next_u64() % 40)
                    .map(|_| rng.next_u64() as i32)
                    .collect(),
                ratio: (rng.next_u64() % 4000) as f64 / 4.0 - 500.0,
                parent: id.checked_sub(1).filter(|_| id % 3 != 0),
                flags: (0..3)
                    .map(|f| (format!("flag{f}"), rng.next_u64().is_multiple_of(2)))
                    .collect(),
            }
        })
        .collect()
}

/// Passes reads and writes through to `inner` unchanged, and SIGKILLs the
/// server before the first call after the bytes passed reach each mark.
struct KillAt<'a, S> {
    inner: S,
    fs: &'a FuseServer,
    marks: Vec<u64>,
    passed: u64,
    calls: u64,
    kills: u64,
}

impl<'a, S> KillAt<'a, S> {
    fn new(inner: S, fs: &'a FuseServer, marks: &[u64]) -> Self {
        Self {
            inner,
            fs,
            marks: marks.to_vec(),
            passed: 0,
            calls: 0,
            kills: 0,
        }
    }

    fn before_call(&mut self) {
        self.calls += 1;
        if self.marks.first().is_some_and(|&mark| self.passed >= mark) {
            self.marks.remove(0);
            self.fs.supervisor().kill_and_wait(T).unwrap();
            self.kills += 1;
        }
    }
}

impl<S: Write> Write for KillAt<'_, S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.before_call();
        let n = self.inner.write(buf)?;
        self.passed += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<S: Read> Read for KillAt<'_, S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.before_call();
        let n = self.inner.read(buf)?;
        self.passed += n as u64;
        Ok(n)
    }
}

#[test]
fn serde_json_round_trips_a_large_value_across_real_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let value = value(300, 7);
    let json = serde_json::to_vec(&value).unwrap();
    let len = json.len() as u64;
    assert!(len > 1 << 20, "{len} bytes");

    // Buffered as serde_json advises (it writes every escape on its own): one
    // write(2) through the cover for each 8 KiB.
    let mut writer = Builder::new()
        .deadline(T)
        .create(fs.path("value.json"), ha_cover::reopen_seek, ())
        .unwrap();
    let mut killing = KillAt::new(&mut writer, &fs, &[len / 3, len * 2 / 3]);
    let mut buffered = BufWriter::new(&mut killing);
    serde_json::to_writer(&mut buffered, &value).unwrap();
    buffered.flush().unwrap();
    drop(buffered);
    assert_eq!(killing.kills, 2, "the server was killed mid-stream");
    assert!(killing.calls > 100, "{} writes", killing.calls);
    writer.sync_all().unwrap();
    assert!(
        fs::read(fs.backing("value.json")).unwrap() == json,
        "the file on disk is not the value's JSON"
    );
    let stats = writer.control().stats();
    assert_eq!(stats.recoveries, 2, "{stats:?}");

    let mut reader = Builder::new()
        .deadline(T)
        .open(fs.path("value.json"), ha_cover::reopen_seek, ())
        .unwrap();
    let mut killing = KillAt::new(&mut reader, &fs, &[len / 4, len * 3 / 5]);
    let read: Vec<Record> = serde_json::from_reader(BufReader::new(&mut killing)).unwrap();
    assert_eq!(killing.kills, 2, "the server was killed mid-stream");
    assert!(killing.calls > 100, "{} reads", killing.calls);
    assert!(read == value, "the value read back differs");
    let stats = reader.control().stats();
    assert_eq!(stats.recoveries, 2, "{stats:?}");
}
