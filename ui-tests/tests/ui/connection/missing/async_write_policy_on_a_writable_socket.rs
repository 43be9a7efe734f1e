use ha_cover::ha_connection;

// The async form has the same checks as the sync one.
#[ha_connection(tcp, asynchronous, mode = read_write)]
struct Redis;

fn main() {}
