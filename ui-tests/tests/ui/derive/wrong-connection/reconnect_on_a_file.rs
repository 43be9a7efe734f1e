use ha_cover::{Cover, Recoverable};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Handle;

fn main() {
    let _ = Cover::open("/mnt/fuse/testfile", ha_cover::by_handle, Handle::default());
}
