use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, jitter = true)]
struct TestFile;

fn main() {}
