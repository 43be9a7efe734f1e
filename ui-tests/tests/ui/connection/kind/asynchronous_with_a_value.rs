use ha_cover::ha_connection;

#[ha_connection(file, asynchronous = true, mode = read_only)]
struct TestFile;

fn main() {}
