use ha_cover::ha_connection;

#[ha_connection(tcp, mode = read_only, recovery = reopen_seek)]
struct Ticker;

fn main() {}
