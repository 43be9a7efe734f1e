//! expect: error at `<T>`: no generics
use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct TestFile<T>(std::marker::PhantomData<T>);

fn main() {}
