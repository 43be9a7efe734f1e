//! `with`: the client's own recovery function, for a named connection type or for
//! every connection with some bounds.

use ha_cover::{AttemptError, Cover, Failure, Recoverable, ReopenTarget};
use std::fs::File;
use std::io::{Seek, SeekFrom};

#[derive(Recoverable, Default)]
#[recoverable(with = recover_conn, connection = File)]
struct Handle {
    #[ha(offset)]
    curr_offset: u64,
    #[ha(recoveries)]
    nr: u32,
}

fn recover_conn(failure: &Failure<'_, File>, hdl: &mut Handle) -> Result<File, AttemptError> {
    let mut file = failure.reopen()?;
    file.seek(SeekFrom::Start(hdl.curr_offset))?;
    Ok(file)
}

mod recovery {
    use super::*;

    // A generic function returning `io::Result` works as well.
    pub fn reopen_any<C: ReopenTarget, H>(failure: &Failure<'_, C>, _: &mut H) -> std::io::Result<C> {
        failure.reopen().map_err(|e| std::io::Error::new(e.error().kind(), e.to_string()))
    }
}

#[derive(Recoverable, Default)]
#[recoverable(with = recovery::reopen_any, connection = impl ReopenTarget)]
struct Generic;

fn main() {
    let _ = Cover::open("/nonexistent/testfile", ha_cover::by_handle, Handle::default());
    let _ = Cover::open("/nonexistent/testfile", ha_cover::by_handle, Generic);
    assert_eq!(Handle::default().nr, 0);
}
