//! expect: one error at `recover`: the expected signature
use ha_cover::{AttemptError, Failure, ha_connection};
use std::fs::File;

fn recover(_: &mut (), f: &Failure<'_, File>) -> Result<File, AttemptError> {
    f.reopen()
}

#[ha_connection(file, mode = read_only, recovery = recover)]
struct TestFile;

fn main() {}
