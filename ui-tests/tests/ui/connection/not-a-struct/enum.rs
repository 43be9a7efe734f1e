use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
enum TestFile {
    Primary,
    Replica,
}

fn main() {}
