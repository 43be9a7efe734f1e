//! expect: one error at `Handle`: a sync after hook cannot recover an async cover; use after_async
use ha_cover::{ReconnectTarget, Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = hello)]
struct Handle;

fn hello<C: ReconnectTarget>(_: &mut C, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

#[ha_connection(unix, asynchronous, mode = read_only, handle = Handle)]
struct Feed;

fn main() {}
