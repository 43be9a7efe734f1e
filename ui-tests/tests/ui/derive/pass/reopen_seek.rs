//! QNX's example handle: the offset follows every transfer, recoveries are counted,
//! and recovery reopens the path and seeks back to the offset.

use ha_cover::{Cover, Recoverable};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    curr_offset: u64,
    #[ha(recoveries)]
    nr: u32,
    // The user's own state, left alone.
    #[allow(dead_code)]
    label: &'static str,
}

fn main() {
    let cover: std::io::Result<Cover<std::fs::File, Handle>> =
        Cover::open("/nonexistent/testfile", ha_cover::by_handle, Handle::default());
    assert!(cover.is_err());
    let handle = Handle::default();
    assert_eq!((handle.curr_offset, handle.nr), (0, 0));
}
