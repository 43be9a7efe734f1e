use ha_cover::ha_connection;

#[ha_connection(file, mode = readonly)]
struct TestFile;

fn main() {
    // No cascade: the fallback type has every method of its kind.
    let _ = TestFile::open("/mnt/fuse/testfile");
}
