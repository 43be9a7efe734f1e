use ha_cover::{Cover, Recoverable};
use std::path::Path;

// A role field that borrows: the handle is one for `'static` only.
#[derive(Recoverable)]
#[recoverable(strategy = reopen)]
struct Replica<'a> {
    #[ha(path)]
    path: &'a Path,
    #[ha(recoveries)]
    recoveries: u32,
}

fn main() {
    let replica = Replica { path: Path::new("/mnt/replica/data"), recoveries: 0 };
    let _ = Cover::open("/mnt/primary/data", ha_cover::by_handle, replica);
}
