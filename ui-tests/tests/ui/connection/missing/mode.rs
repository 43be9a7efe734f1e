use ha_cover::ha_connection;

#[ha_connection(file, attempts = 5)]
struct TestFile;

fn main() {}
