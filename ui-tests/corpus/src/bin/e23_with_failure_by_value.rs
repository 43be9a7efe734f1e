//! expect: one error at `recover`: the failure is borrowed
use ha_cover::{AttemptError, Failure, Recoverable};
use std::fs::File;

#[derive(Recoverable, Default)]
#[recoverable(with = recover, connection = File)]
struct Handle;

fn recover(failure: Failure<'_, File>, _: &mut Handle) -> Result<File, AttemptError> {
    failure.reopen()
}

fn main() {}
