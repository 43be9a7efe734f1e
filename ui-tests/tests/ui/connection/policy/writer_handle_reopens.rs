//! The same through a handle whose strategy reopens without seeking back:
//! reported at the handle.

use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Handle {
    #[ha(recoveries)]
    recoveries: u32,
}

#[ha_connection(file, asynchronous, mode = read_write, handle = Handle)]
struct Table;

fn main() {}
