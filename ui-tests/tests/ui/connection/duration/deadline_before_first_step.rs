use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = fixed(500ms), deadline = 100ms)]
struct TestFile;

fn main() {}
