use ha_cover::ha_connection;

#[ha_connection(unix, mode = read_write, write_policy = replays)]
struct Echo;

fn main() {}
