use ha_cover::ha_connection;

// A space before the unit, quotes, an expression: three malformed durations,
// three errors.
#[ha_connection(file, mode = read_only,
                backoff = fixed(10 ms), deadline = "30s")]
struct TestFile;

#[ha_connection(file, mode = read_only,
                backoff = exponential(std::time::Duration::from_millis(10), 2s))]
struct Other;

fn main() {}
