//! No strategy: the derive keeps the handle's state, and the recovery function
//! is passed to the cover.

use ha_cover::{AttemptError, Cover, Failure, Recoverable, Transfer};
use std::fs::File;

#[derive(Recoverable, Default)]
struct Handle {
    #[ha(offset)]
    curr_offset: i64,
    #[ha(recoveries)]
    nr: u8,
}

fn recover_conn(failure: &Failure<'_, File>, hdl: &mut Handle) -> Result<File, AttemptError> {
    failure.reopen_at(hdl.curr_offset as u64)
}

fn main() {
    let mut handle = Handle::default();
    handle.on_transfer(Transfer::Read(b"hello"));
    handle.on_transfer(Transfer::Written(b", world"));
    assert_eq!(handle.curr_offset, 12);
    handle.on_transfer(Transfer::ReadAt { offset: 100, data: b"ignored" });
    assert_eq!(handle.curr_offset, 12);
    handle.on_transfer(Transfer::Seeked(3));
    assert_eq!(handle.curr_offset, 3);
    handle.on_recovered();
    handle.on_recovered();
    assert_eq!(handle.nr, 2);
    let _ = Cover::open("/nonexistent", recover_conn, handle);
}
