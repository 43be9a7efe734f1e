use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = exponential(10ms))]
struct TestFile;

#[ha_connection(file, mode = read_only, backoff = fixed)]
struct Other;

fn main() {}
