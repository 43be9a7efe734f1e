use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, recover_on = ESTALE)]
struct TestFile;

#[ha_connection(file, mode = read_only, recover_on = [116, libc::EIO])]
struct Other;

fn main() {}
