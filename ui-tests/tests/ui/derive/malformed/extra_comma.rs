//! A doubled comma, between keys or after a role: one error at each.

use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reopen_seek,, crate = ha_cover)]
struct Handle {
    #[ha(offset,,)]
    offset: u64,
}

fn main() {}
