use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = exponential(5s, 2s))]
struct TestFile;

fn main() {}
