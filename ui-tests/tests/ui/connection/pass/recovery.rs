use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use ha_cover::{AttemptError, Failure, Recoverable, ha_connection};

// The seed's hand-written recovery function, with a handle kept by hand.
#[derive(Default)]
struct Handle {
    nr: u32,
    curr_offset: u64,
}

impl Recoverable for Handle {}

fn recover_conn(failure: &Failure<'_, File>, hdl: &mut Handle) -> Result<File, AttemptError> {
    let mut newfd = failure.reopen()?;
    newfd.seek(SeekFrom::Start(hdl.curr_offset))?;
    hdl.nr += 1;
    Ok(newfd)
}

#[ha_connection(file, mode = read_only, handle = Handle, recovery = recover_conn)]
struct TestFile;

// A function returning `io::Result` is accepted too.
fn start_over(failure: &Failure<'_, File>, _: &mut ()) -> io::Result<File> {
    failure.reopen().map_err(|e| io::Error::new(e.error().kind(), e.to_string()))
}

#[ha_connection(file, mode = read_only, recovery = self::start_over)]
struct StartOver;

// A built-in recovery with a handle that only keeps state.
#[ha_connection(file, mode = read_only, handle = Handle, recovery = reopen)]
struct Reopened;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut fd = TestFile::open("/net/machine99/home/test/testfile", Handle::default())?;
    let mut buf = [0; 15];
    let status = fd.read(&mut buf)?;
    fd.with_handle(|h| h.curr_offset += status as u64);
    let _ = StartOver::open("/a")?;
    let _ = Reopened::open("/b", Handle::default())?;
    Ok(())
}

fn main() {}
