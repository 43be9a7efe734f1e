//! expect: error at `with`: say `connection = File`
use ha_cover::{AttemptError, Failure, Recoverable};
use std::fs::File;

#[derive(Recoverable, Default)]
#[recoverable(with = recover)]
struct Handle;

fn recover(f: &Failure<'_, File>, _: &mut Handle) -> Result<File, AttemptError> {
    f.reopen()
}

fn main() {}
