use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, attempts = 5, deadline = 30s, attempts = 3)]
struct TestFile;

fn main() {}
