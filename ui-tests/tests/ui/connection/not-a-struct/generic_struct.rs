use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct TestFile<H>;

fn main() {}
