//! expect: error at `with`: either a strategy or a function, not both
use ha_cover::{Failure, Recoverable};
use std::fs::File;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen, with = recover, connection = File)]
struct Handle;

fn recover(f: &Failure<'_, File>, _: &mut Handle) -> std::io::Result<File> {
    f.reopen().map_err(|e| std::io::Error::other(e.to_string()))
}

fn main() {}
