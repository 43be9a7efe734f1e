use ha_cover::{AttemptError, Failure, Recoverable};
use std::fs::File;

#[derive(Recoverable, Default)]
#[recoverable(with = recover, connection = File)]
struct Handle;

// Returns nothing: a recovery function returns the new connection.
fn recover(failure: &Failure<'_, File>, _: &mut Handle) -> Result<(), AttemptError> {
    failure.reopen().map(drop)
}

fn main() {}
