use ha_cover::ha_connection;

#[ha_connection(mode = read_only, attempts = 5)]
struct TestFile;

fn main() {}
