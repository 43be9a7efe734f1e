use ha_cover::{Cover, Recoverable};

// State capture only: the recovery function must be passed to the cover.
#[derive(Recoverable, Default)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

fn main() {
    let _ = Cover::open("/mnt/fuse/testfile", ha_cover::by_handle, Handle::default());
}
