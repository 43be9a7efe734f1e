//! expect: error at `recover`: it must return the new connection
use ha_cover::{Failure, Recoverable};
use std::fs::File;

#[derive(Recoverable, Default)]
#[recoverable(with = recover, connection = File)]
struct Handle;

fn recover(_: &Failure<'_, File>, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
