use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, recover_on = [ESTAEL, ENOTCONN])]
struct TestFile;

fn main() {}
