//! `reopen`: same path, same access mode, no seek; the handle keeps no offset, so
//! it observes no transfers.

use ha_cover::{Cover, Recoverable};
use std::fs::{File, OpenOptions};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Handle {
    #[ha(recoveries)]
    nr: u64,
}

const _: () = assert!(!<Handle as Recoverable>::OBSERVES_TRANSFERS);

fn main() {
    let cover: std::io::Result<Cover<File, Handle>> = Cover::open_with(
        "/nonexistent/log",
        OpenOptions::new().append(true),
        ha_cover::by_handle,
        Handle::default(),
    );
    assert!(cover.is_err());
    assert_eq!(Handle::default().nr, 0);
}
