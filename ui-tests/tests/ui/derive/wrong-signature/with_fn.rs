use ha_cover::{Failure, Recoverable};
use std::fs::File;

#[derive(Recoverable)]
#[recoverable(with = recover_conn, connection = File)]
struct Handle;

// The handle is missing, and the result is not a `Result`.
fn recover_conn(failure: &Failure<'_, File>) -> Option<File> {
    failure.reopen().ok()
}

fn main() {}
