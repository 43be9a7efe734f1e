//! Async file covers read by callers that give up on reads (the futures
//! dropped after a poll or a few) and seek from where they are, across real
//! kills of FUSE servers: every byte delivered once, in order, and the
//! position a seek reports is the one the reads reached. Before the async
//! File kept the bytes a dropped read fetched across seeks, `stream_position`
//! said thousands of bytes too far within a few kills. And `copy_buf` through a
//! `BufReader` and a `BufWriter`, and `lines()`, across kills.

use ha_cover::Backoff;
use ha_cover::asynchronous::AsyncCover;
use ha_cover_world::require;
use ha_cover_world::{Chaos, ChaosConfig, Component, FuseServer, Rng, random_bytes};
use std::io::SeekFrom;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

/// Polls `f` up to `polls` times (waking itself between), then drops it, as
/// a caller that gives up does; 20 s at most.
async fn polls<F: std::future::Future>(polls: u32, f: F) -> Result<F::Output, ()> {
    let mut f = std::pin::pin!(f);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut n = 0;
    std::future::poll_fn(|cx| {
        n += 1;
        if let std::task::Poll::Ready(v) = f.as_mut().poll(cx) {
            return std::task::Poll::Ready(Ok(v));
        }
        if n >= polls || tokio::time::Instant::now() > deadline {
            return std::task::Poll::Ready(Err(()));
        }
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    })
    .await
}

const T: Duration = Duration::from_secs(10);

async fn read_with_drops_and_seeks(seed: u64, bindfs: bool) {
    if bindfs {
        require!(Component::Bindfs);
    } else {
        require!(Component::Fuse);
    }
    let fs = if bindfs {
        FuseServer::bindfs()
    } else {
        FuseServer::fuser()
    }
    .unwrap();
    let size = 2 << 20;
    let data = random_bytes(size, seed);
    std::fs::write(fs.backing("data"), &data).unwrap();
    let mut cover = AsyncCover::builder()
        .backoff(Backoff::exponential(
            Duration::from_micros(500),
            Duration::from_millis(20),
        ))
        .open(fs.path("data"), ha_cover::asynchronous::reopen_seek, ())
        .await
        .unwrap();
    let chaos = Chaos::start(
        fs.supervisor().handle(),
        ChaosConfig {
            seed,
            kills: 15,
            min_interval: Duration::from_millis(5),
            max_interval: Duration::from_millis(40),
            ready_timeout: T,
        },
    );
    let mut rng = Rng::new(seed);
    let mut pos: u64 = 0;
    let mut buf = vec![0u8; 8 * 1024];
    let (mut drops, mut seeks) = (0, 0);
    let server = fs.supervisor().handle();
    loop {
        while chaos.is_running() && pos as f64 / size as f64 > (server.deaths() + 1) as f64 / 15.0 {
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        match rng.between(0, 10) {
            0 => {
                let by = rng.between(0, 200) as i64 - 100;
                let want = (pos as i64 + by).clamp(0, size as i64);
                let by = want - pos as i64;
                let got = tokio::time::timeout(
                    Duration::from_secs(20),
                    cover.seek(SeekFrom::Current(by)),
                )
                .await
                .expect("hang")
                .unwrap();
                assert_eq!(got, want as u64, "seek from {pos} by {by}");
                pos = got;
                seeks += 1;
            }
            1 => {
                let got = cover.stream_position().await.unwrap();
                assert_eq!(got, pos, "stream_position");
            }
            _ => {
                let len = rng.between(1, buf.len() as u64) as usize;
                let limit = if rng.between(0, 3) == 0 {
                    rng.between(1, 4) as u32
                } else {
                    u32::MAX
                };
                match polls(limit, cover.read(&mut buf[..len])).await {
                    Ok(Ok(0)) => {
                        assert_eq!(pos as usize, size);
                        break;
                    }
                    Ok(Ok(n)) => {
                        assert!(
                            buf[..n] == data[pos as usize..pos as usize + n],
                            "bytes at {pos}"
                        );
                        pos += n as u64;
                    }
                    Ok(Err(e)) => panic!("read at {pos}: {e:?}"),
                    Err(_) => {
                        assert!(limit < u32::MAX, "hang");
                        drops += 1
                    }
                }
            }
        }
    }
    let report = tokio::task::spawn_blocking(move || chaos.stop())
        .await
        .unwrap();
    assert_eq!(report.error, None);
    assert!(drops > 0 && seeks > 0, "drops {drops}, seeks {seeks}");
    assert!(cover.control().stats().recoveries > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_reads_and_relative_seeks_across_kills_of_our_fuse_server() {
    read_with_drops_and_seeks(1, false).await
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_reads_and_relative_seeks_across_kills_of_bindfs() {
    read_with_drops_and_seeks(2, true).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_and_lines_through_buffers_across_kills() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let size = 8 << 20;
    let data = random_bytes(size, 7);
    std::fs::write(fs.backing("src"), &data).unwrap();
    let b = || {
        AsyncCover::builder().backoff(Backoff::exponential(
            Duration::from_micros(500),
            Duration::from_millis(20),
        ))
    };
    let src = b()
        .open(fs.path("src"), ha_cover::asynchronous::reopen_seek, ())
        .await
        .unwrap();
    let dst = b()
        .create(fs.path("dst"), ha_cover::asynchronous::reopen_seek, ())
        .await
        .unwrap();
    let chaos = Chaos::start(
        fs.supervisor().handle(),
        ChaosConfig {
            seed: 7,
            kills: 10,
            min_interval: Duration::from_millis(5),
            max_interval: Duration::from_millis(40),
            ready_timeout: T,
        },
    );
    let mut r = tokio::io::BufReader::new(src);
    let mut w = tokio::io::BufWriter::new(dst);
    let n = tokio::time::timeout(Duration::from_secs(60), tokio::io::copy_buf(&mut r, &mut w))
        .await
        .expect("hang")
        .unwrap();
    w.flush().await.unwrap();
    w.get_mut().sync_all().await.unwrap();
    assert_eq!(n as usize, size);
    let report = tokio::task::spawn_blocking(move || chaos.stop())
        .await
        .unwrap();
    assert_eq!(report.error, None);
    let got = std::fs::read(fs.backing("dst")).unwrap();
    assert_eq!(got.len(), size);
    assert!(got == data);
    let text: String = (0..20000).map(|i| format!("line {i}\n")).collect();
    std::fs::write(fs.backing("text"), &text).unwrap();
    let chaos = Chaos::start(
        fs.supervisor().handle(),
        ChaosConfig {
            seed: 8,
            kills: 5,
            min_interval: Duration::from_millis(5),
            max_interval: Duration::from_millis(20),
            ready_timeout: T,
        },
    );
    let f = b()
        .open(fs.path("text"), ha_cover::asynchronous::reopen_seek, ())
        .await
        .unwrap();
    let mut lines = tokio::io::BufReader::with_capacity(64, f).lines();
    let mut i = 0;
    while let Some(l) = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("hang")
        .unwrap()
    {
        assert_eq!(l, format!("line {i}"));
        i += 1;
    }
    assert_eq!(i, 20000);
    let report = tokio::task::spawn_blocking(move || chaos.stop())
        .await
        .unwrap();
    assert_eq!(report.error, None);
}
