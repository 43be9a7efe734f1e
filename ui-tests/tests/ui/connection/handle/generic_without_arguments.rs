use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Handle<O> {
    #[ha(offset)]
    offset: O,
}

// One error, at `Handle`, not one more for each constructor.
#[ha_connection(file, mode = read_write, handle = Handle)]
struct TestFile;

fn main() {}
