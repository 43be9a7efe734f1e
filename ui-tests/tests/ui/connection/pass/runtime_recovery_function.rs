use ha_cover::ha_connection;

// The runtime's recovery functions are recovery functions like any other.
#[ha_connection(file, mode = read_only, recovery = ha_cover::reopen)]
struct Reopened;

#[ha_connection(tcp, mode = read_only, recovery = ha_cover::reconnect)]
struct Reconnected;

fn main() {
    let _ = Reopened::open("/tmp/x");
}
