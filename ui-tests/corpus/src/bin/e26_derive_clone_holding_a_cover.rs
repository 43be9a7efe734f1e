//! expect: one error: a cover is not Clone; dup() it
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct Data;

#[derive(Clone)]
struct App {
    data: Data,
}

fn main() {
    let _ = std::mem::size_of::<App>();
}
