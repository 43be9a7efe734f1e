use ha_cover::{AttemptError, Failure, Recoverable};
use std::fs::File;
use std::os::unix::net::UnixStream;

#[derive(Recoverable)]
#[recoverable(with = recover_conn, connection = UnixStream)]
struct Handle;

fn recover_conn(failure: &Failure<'_, File>, _: &mut Handle) -> Result<File, AttemptError> {
    failure.reopen()
}

fn main() {}
