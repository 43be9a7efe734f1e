use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = exponential(0ms, 1s), deadline = 0s)]
struct TestFile;

fn main() {}
