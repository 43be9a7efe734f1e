use ha_cover::ha_connection;

#[ha_connection(file, asynchronous, mode = read_only, asynchronous)]
struct TestFile;

fn main() {}
