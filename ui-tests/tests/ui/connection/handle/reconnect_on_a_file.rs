use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Session;

#[ha_connection(file, mode = read_only, handle = Session)]
struct TestFile;

fn main() {}
