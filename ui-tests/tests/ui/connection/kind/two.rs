use ha_cover::ha_connection;

#[ha_connection(file, mode = read_write, tcp, write_policy = never)]
struct TestFile;

fn main() {}
