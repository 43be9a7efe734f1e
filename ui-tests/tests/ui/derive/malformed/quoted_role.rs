//! A role in quotes, as `serde(rename = "...")` takes its values.

use ha_cover::Recoverable;

#[derive(Recoverable)]
struct Handle {
    #[ha("offset")]
    offset: u64,
}

fn main() {}
