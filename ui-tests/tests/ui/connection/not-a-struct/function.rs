use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
fn test_file() -> std::fs::File {
    unimplemented!()
}

fn main() {}
