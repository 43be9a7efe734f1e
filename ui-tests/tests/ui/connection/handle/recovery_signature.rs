use std::fs::File;

use ha_cover::{Failure, ha_connection};

fn recover(failure: &Failure<'_, File>) -> std::io::Result<File> {
    failure.reopen().map_err(|e| std::io::Error::other(e.to_string()))
}

#[ha_connection(file, mode = read_only, recovery = recover)]
struct TestFile;

fn main() {}
