use ha_cover::{Recoverable, ha_connection};

// State capture only: the declaration must say how to recover.
#[derive(Recoverable, Default)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

#[ha_connection(file, mode = read_only, handle = Handle)]
struct TestFile;

fn main() {}
