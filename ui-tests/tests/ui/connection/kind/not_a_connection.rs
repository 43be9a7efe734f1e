use ha_cover::ha_connection;

// Two errors, both that `Vec<u8>` is not a connection (the declaration's type
// and its recovery), not besides that it has no kind and cannot be read.
#[ha_connection(file = Vec<u8>, mode = read_only)]
struct Memory;

fn main() {}
