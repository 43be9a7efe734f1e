use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, recover_on = [SERVER_DIED])]
struct TestFile;

fn main() {}
