//! expect: one error at `std`: not the ha-cover runtime
#[ha_cover::ha_connection(crate = std, file, mode = read_only)]
struct TestFile;

fn main() {}
