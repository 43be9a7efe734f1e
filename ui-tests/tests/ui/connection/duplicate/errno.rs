use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, recover_on = [ESTALE, ENOTCONN, ESTALE])]
struct TestFile;

fn main() {}
