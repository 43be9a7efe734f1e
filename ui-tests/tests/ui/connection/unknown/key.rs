use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, atempts = 5)]
struct TestFile;

fn main() {}
