use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only)]
struct TestFile {
    file: std::fs::File,
}

fn main() {
    // The type still exists (the fallback), so this use is not an error too.
    let _ = TestFile::open("/mnt/fuse/testfile");
}
