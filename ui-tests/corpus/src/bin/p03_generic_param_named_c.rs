//! expect: pass (hygiene: the user's own type parameters and after hook)
use ha_cover::{ReconnectTarget, Recoverable};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = hello)]
struct Handle<C: Default + Send + 'static, E = u8> {
    user: C,
    other: E,
}

fn hello<T: ReconnectTarget, C: Default + Send + 'static, E>(
    _: &mut T,
    _: &mut Handle<C, E>,
) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
