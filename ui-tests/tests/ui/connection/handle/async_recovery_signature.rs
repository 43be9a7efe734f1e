use ha_cover::asynchronous::File;
use ha_cover::{AttemptError, Failure, ha_connection};

// A sync recovery function, for an async declaration.
fn recover_conn(failure: &Failure<'_, File>, _: &mut ()) -> Result<File, AttemptError> {
    Err(AttemptError::give_up(std::io::Error::other(format!("{:?}", failure.errno()))))
}

#[ha_connection(file, asynchronous, mode = read_only, recovery = recover_conn)]
struct TestFile;

fn main() {}
