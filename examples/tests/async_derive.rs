//! `#[derive(Recoverable)]` handles on async covers, against servers really
//! killed with SIGKILL and restarted by the supervisor: `reopen_seek` through
//! the async file on our FUSE server, and `reconnect` with an `after_async`
//! hook replaying the stream server's handshake over Unix and TCP sockets.

use std::time::Duration;

use ha_cover::Recoverable;
use ha_cover::asynchronous::{AsyncConnection, AsyncCover, AsyncReconnectTarget, Uncovered};
use ha_cover_world::require;
use ha_cover_world::{
    Component, FuseServer, SocketMode, SocketServer, SupervisorHandle, random_bytes, stream,
};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio::task::block_in_place;

const T: Duration = Duration::from_secs(10);

/// The seed's handle, recovering the async file the way it declares.
#[derive(Recoverable, Default, Debug)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    curr_offset: u64,
    #[ha(recoveries)]
    nr: u32,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopen_seek_reads_an_async_file_across_three_real_deaths() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(256 * 1024, 21);
    std::fs::write(fs.backing("testfile"), &data).unwrap();
    let mut fd = AsyncCover::open(
        fs.path("testfile"),
        ha_cover::asynchronous::by_handle,
        Handle::default(),
    )
    .await
    .unwrap();
    let mut fd2 = fd.dup().unwrap();
    let server = fs.supervisor().handle();
    let mut got = Vec::new();
    let mut buf = [0; 1500];
    let mut deaths = 0;
    while got.len() < data.len() {
        // The connection and its dup share the position, the handle and the
        // recovery.
        let reader = if got.len() % 2 == 0 {
            &mut fd
        } else {
            &mut fd2
        };
        let n = reader.read(&mut buf).await.unwrap();
        assert_ne!(n, 0, "the file ended early at {}", got.len());
        got.extend_from_slice(&buf[..n]);
        assert_eq!(
            Some(fd.with_handle(|h| h.curr_offset).await),
            Some(got.len() as u64),
            "the offset follows every read"
        );
        if got.len() >= (deaths + 1) * 60_000 && deaths < 3 {
            block_in_place(|| server.kill_when_ready(T)).unwrap();
            deaths += 1;
        }
    }
    assert!(
        got == data,
        "the bytes read across the deaths differ from the file"
    );
    assert_eq!(
        Some(fd.with_handle(|h| h.nr).await),
        Some(3),
        "one recovery per death, counted by the handle"
    );
    assert_eq!(fd.control().stats().recoveries, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopen_seek_writes_an_async_file_across_real_deaths_at_the_right_offsets() {
    require!(Component::Fuse);
    let fs = FuseServer::fuser().unwrap();
    let data = random_bytes(200_000, 22);
    std::fs::write(fs.backing("out"), vec![0; 1000]).unwrap();
    let options = std::fs::OpenOptions::new().read(true).write(true).clone();
    let mut fd = AsyncCover::open_with(
        fs.path("out"),
        &options,
        ha_cover::asynchronous::by_handle,
        Handle::default(),
    )
    .await
    .unwrap();
    // Past a prefix the file keeps, so the seek back is to a position the
    // handle learned from a seek, not only from writes.
    fd.seek(std::io::SeekFrom::Start(1000)).await.unwrap();
    let server = fs.supervisor().handle();
    for (i, chunk) in data.chunks(10_000).enumerate() {
        fd.write_all(chunk).await.unwrap();
        if i % 7 == 3 {
            block_in_place(|| server.kill_when_ready(T)).unwrap();
        }
    }
    fd.flush().await.unwrap();
    assert_eq!(
        Some(fd.with_handle(|h| h.curr_offset).await),
        Some(1000 + data.len() as u64)
    );
    let written = std::fs::read(fs.backing("out")).unwrap();
    assert_eq!(
        written.len(),
        1000 + data.len(),
        "nothing written twice or lost"
    );
    assert!(written[1000..] == data, "every chunk at its offset");
    assert_eq!(fd.control().stats().recoveries, 3);
}

/// A stream client: the offset counts the bytes received, and after each
/// reconnect the async hook asks the restarted server for the stream from
/// there. Generic, so one handle serves Unix and TCP sockets.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after_async = resume)]
struct Resume {
    #[ha(offset)]
    received: u64,
    #[ha(recoveries)]
    reconnects: u32,
}

async fn resume<C: AsyncReconnectTarget>(conn: &mut C, handle: &mut Resume) -> std::io::Result<()> {
    let request = format!("FROM {}\n", handle.received);
    Uncovered::new(conn).write_all(request.as_bytes()).await
}

/// Reads the whole stream through `cover`, killing the server at each mark
/// once the previous death has been recovered: a kill while the client still
/// drains the dead connection's buffered bytes (megabytes over loopback TCP)
/// would hit a server the client is not connected to.
async fn read_stream_across_deaths<C: AsyncConnection>(
    cover: &mut AsyncCover<C, Resume>,
    server: &SupervisorHandle,
    len: usize,
    marks: &[usize],
) -> Vec<u8> {
    let mut got = Vec::with_capacity(len);
    let mut buf = vec![0; 64 * 1024];
    let mut kills = 0;
    while got.len() < len {
        let n = cover.read(&mut buf).await.unwrap();
        assert_ne!(n, 0, "the stream ended early at {}", got.len());
        got.extend_from_slice(&buf[..n]);
        if kills < marks.len()
            && got.len() >= marks[kills]
            && cover.control().stats().recoveries == kills as u64
        {
            block_in_place(|| server.kill_when_ready(T)).unwrap();
            kills += 1;
        }
    }
    assert_eq!(kills, marks.len(), "every kill happened before the end");
    got
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_async_after_hook_resumes_a_unix_stream_across_real_deaths() {
    let (seed, len) = (23, 4 << 20);
    let server = SocketServer::start(SocketMode::Stream {
        seed,
        len: Some(len as u64),
    })
    .unwrap();
    // The first handshake is the client's own, before the cover counts bytes.
    let mut first = tokio::net::UnixStream::connect(server.unix_path().unwrap())
        .await
        .unwrap();
    first.write_all(b"FROM 0\n").await.unwrap();
    let mut cover =
        AsyncCover::attach(first, ha_cover::asynchronous::by_handle, Resume::default()).unwrap();
    let supervisor = server.supervisor().handle();
    let got =
        read_stream_across_deaths(&mut cover, &supervisor, len, &[1 << 20, 2 << 20, 3 << 20]).await;
    assert!(
        got == stream::bytes(seed, 0, len),
        "the bytes differ from the server's stream"
    );
    assert_eq!(
        cover
            .with_handle(|h| Some((h.received, h.reconnects)))
            .await,
        Some((len as u64, 3))
    );
    assert_eq!(cover.control().stats().recoveries, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_hook_resumes_a_tcp_stream_across_real_deaths() {
    let (seed, len) = (24, 32 << 20);
    let server = SocketServer::start_tcp(SocketMode::Stream {
        seed,
        len: Some(len as u64),
    })
    .unwrap();
    let mut first = tokio::net::TcpStream::connect(server.tcp_addr().unwrap())
        .await
        .unwrap();
    first.write_all(b"FROM 0\n").await.unwrap();
    let mut cover =
        AsyncCover::attach(first, ha_cover::asynchronous::by_handle, Resume::default()).unwrap();
    let supervisor = server.supervisor().handle();
    let got = read_stream_across_deaths(&mut cover, &supervisor, len, &[8 << 20, 16 << 20]).await;
    assert!(
        got == stream::bytes(seed, 0, len),
        "the bytes differ from the server's stream"
    );
    assert_eq!(cover.with_handle(|h| h.reconnects).await, 2);
    assert_eq!(cover.control().stats().recoveries, 2);
}
