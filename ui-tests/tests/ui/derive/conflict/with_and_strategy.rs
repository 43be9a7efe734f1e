use ha_cover::{AttemptError, Failure, Recoverable};
use std::fs::File;

#[derive(Recoverable)]
#[recoverable(strategy = reopen, with = recover_conn, connection = File)]
struct Handle;

fn recover_conn(failure: &Failure<'_, File>, _: &mut Handle) -> Result<File, AttemptError> {
    failure.reopen()
}

fn main() {}
