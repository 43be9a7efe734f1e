use ha_cover::ha_connection;

#[ha_connection(tcp, mode = read_only, recover_on = [default, EWOULDBLOCK])]
struct Ticker;

fn main() {}
