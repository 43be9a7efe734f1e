use ha_cover::{Cover, Recoverable};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

fn main() {
    let _ = Cover::connect_unix("/run/echo.sock", ha_cover::by_handle, Handle::default());
}
