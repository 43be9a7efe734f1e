use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, deadline = 30sec)]
struct TestFile;

fn main() {}
