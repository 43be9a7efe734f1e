//! A dead socket peer never raises SIGPIPE: covered writes use MSG_NOSIGNAL. This
//! binary restores SIGPIPE's default action (death), which Rust's runtime turns
//! off, so a single raw write(2) to a dead peer would kill it.

use std::io::{IoSlice, Write};
use std::os::unix::net::UnixListener;

use ha_cover::{Backoff, Builder};

#[test]
fn writing_to_a_dead_peer_returns_epipe_and_the_process_lives() {
    // SAFETY: signal(2) with SIG_DFL installs no handler code; it only restores the
    // default disposition for this process.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("peer.sock");
    let listener = UnixListener::bind(&path).unwrap();
    let mut cover = Builder::new()
        .attempts(2)
        .backoff(Backoff::none())
        .connect_unix(&path, ha_cover::reconnect, ())
        .unwrap();
    let (peer, _) = listener.accept().unwrap();
    // The server goes away for good.
    drop((peer, listener));
    std::fs::remove_file(&path).unwrap();
    let err = cover.write(b"into the void").unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EPIPE));
    let err = cover.write_vectored(&[IoSlice::new(b"again")]).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EPIPE));
}
