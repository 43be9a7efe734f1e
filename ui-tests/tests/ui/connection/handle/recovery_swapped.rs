use ha_cover::{AttemptError, Failure, ha_connection};
use std::fs::File;

fn recover(_: &mut (), failure: &Failure<'_, File>) -> Result<File, AttemptError> {
    failure.reopen()
}

#[ha_connection(file, mode = read_only, recovery = recover)]
struct TestFile;

fn main() {}
