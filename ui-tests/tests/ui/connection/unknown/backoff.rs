use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = exponentail(10ms, 2s))]
struct TestFile;

fn main() {}
