use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, attempts = -1, total = 5u8)]
struct TestFile;

fn main() {}
