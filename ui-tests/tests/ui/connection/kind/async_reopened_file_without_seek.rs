use std::io;
use std::os::fd::BorrowedFd;
use std::path::Path;
use std::task::{Context, Poll};

use ha_cover::asynchronous::{AsyncConnection, AsyncFileConnection, File};
use ha_cover::{Kind, ha_connection};
use tokio::io::ReadBuf;

// An async file connection of the user's that forgot `AsyncSeekConnection`,
// recovered without seeking: a `file = T` declaration seeks all the same.
struct Counted(File);

impl AsyncConnection for Counted {
    const KIND: Kind = Kind::File;
    fn try_dup(&self) -> io::Result<Self> {
        AsyncConnection::try_dup(&self.0).map(Counted)
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
        <File as AsyncFileConnection>::reopen(&dead.0, path, flags).await.map(Counted)
    }
}

#[ha_connection(file = Counted, asynchronous, mode = read_only, recovery = reopen)]
struct CountedFile;

fn main() {}
