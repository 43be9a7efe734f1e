//! Two durations without the comma between them are not one duration with a
//! space: the suggestion is the comma, not `10ms2s`.

use ha_cover::ha_connection;

#[ha_connection(file, mode = read_only, backoff = exponential(10ms 2s))]
struct TestFile;

fn main() {}
