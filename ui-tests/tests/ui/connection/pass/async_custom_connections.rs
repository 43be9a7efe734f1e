use std::io::{self, SeekFrom};
use std::os::fd::BorrowedFd;
use std::path::Path;
use std::task::{Context, Poll};
use std::time::Duration;

use ha_cover::asynchronous::{
    AsyncConnection, AsyncFileConnection, AsyncSeekConnection, AsyncSocketConnection, File,
};
use ha_cover::{Kind, Peer, ha_connection};
use tokio::io::ReadBuf;
use tokio::net::UnixStream;

/// An async file connection of the user's own: it counts its reopens.
struct Counted(File, u32);

impl AsyncConnection for Counted {
    const KIND: Kind = Kind::File;
    fn try_dup(&self) -> io::Result<Self> {
        Ok(Counted(AsyncConnection::try_dup(&self.0)?, self.1))
    }
    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        AsyncConnection::descriptor(&self.0)
    }
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        AsyncConnection::poll_read(&mut self.0, cx, buf)
    }
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        AsyncConnection::poll_write(&mut self.0, cx, buf)
    }
}

impl AsyncFileConnection for Counted {
    async fn reopen(dead: &Self, path: &Path, flags: std::ffi::c_int) -> io::Result<Self> {
        Ok(Counted(
            <File as AsyncFileConnection>::reopen(&dead.0, path, flags).await?,
            dead.1 + 1,
        ))
    }
}

impl AsyncSeekConnection for Counted {
    fn poll_seek(&mut self, cx: &mut Context<'_>, pos: SeekFrom) -> Poll<io::Result<u64>> {
        self.0.poll_seek(cx, pos)
    }
}

/// An async socket connection of the user's own.
struct Framed(UnixStream);

impl AsyncConnection for Framed {
    const KIND: Kind = Kind::Socket;
    fn try_dup(&self) -> io::Result<Self> {
        AsyncConnection::try_dup(&self.0).map(Framed)
    }
    fn descriptor(&self) -> Option<BorrowedFd<'_>> {
        AsyncConnection::descriptor(&self.0)
    }
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        AsyncConnection::poll_read(&mut self.0, cx, buf)
    }
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        AsyncConnection::poll_write(&mut self.0, cx, buf)
    }
}

impl AsyncSocketConnection for Framed {
    fn peer(&self) -> io::Result<Peer> {
        self.0.peer()
    }
    async fn reconnect(dead: &Self, peer: &Peer, timeout: Option<Duration>) -> io::Result<Self> {
        UnixStream::reconnect(&dead.0, peer, timeout)
            .await
            .map(Framed)
    }
}

#[ha_connection(file = Counted, asynchronous, mode = read_write, recover_on = [default, EIO])]
struct CountedFile;

#[ha_connection(socket = Framed, asynchronous, mode = read_write, write_policy = replay)]
struct FramedSocket;

/// Recovered without seeking back, and seeking all the same.
#[ha_connection(file = Counted, asynchronous, mode = read_only, recovery = reopen)]
struct ReopenedFile;

#[allow(dead_code)]
async fn usage() -> io::Result<()> {
    let std = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/tmp/f")?;
    let mut file = CountedFile::attach(Counted(File::from_std(std), 0))?;
    file.seek(SeekFrom::Start(1)).await?;
    file.write_all(b"x").await?;
    let mut buf = [0; 1];
    file.read_exact(&mut buf).await?;
    let _: u32 = file.get_ref().1;
    let mut reopened = ReopenedFile::attach(Counted(File::open("/tmp/f").await?, 0))?;
    reopened.rewind().await?;
    let mut socket = FramedSocket::attach(Framed(UnixStream::connect("/run/echo.sock").await?))?;
    socket.write_all(b"ping\n").await?;
    socket.read_exact(&mut buf).await?;
    Ok(())
}

fn main() {}
