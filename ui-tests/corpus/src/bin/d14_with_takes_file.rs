//! expect: error at `recover`: the first argument is &Failure<'_, File>
use ha_cover::Recoverable;
use std::fs::File;

#[derive(Recoverable, Default)]
#[recoverable(with = recover, connection = File)]
struct Handle;

fn recover(dead: &File, _: &mut Handle) -> std::io::Result<File> {
    dead.try_clone()
}

fn main() {}
