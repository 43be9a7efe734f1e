use ha_cover::ha_connection;

#[ha_connection(unix, mode = read_write)]
struct Echo;

fn main() {}
