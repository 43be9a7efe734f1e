//! `#[ha(path)]`: reopen a replica instead of the original path; `None` in an
//! `Option` means the original.

use ha_cover::{Cover, Recoverable};
use std::path::PathBuf;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Failover {
    #[ha(offset)]
    offset: u64,
    #[ha(path)]
    replica: Option<PathBuf>,
}

#[derive(Recoverable)]
#[recoverable(strategy = reopen)]
struct Fixed(#[ha(path)] &'static str);

fn main() {
    let _ = Cover::open("/nonexistent/a", ha_cover::by_handle, Failover::default());
    let _ = Cover::open("/nonexistent/a", ha_cover::by_handle, Fixed("/nonexistent/b"));
    let failover = Failover { offset: 0, replica: Some("/replica/a".into()) };
    assert!(failover.replica.is_some() && failover.offset == 0);
}
