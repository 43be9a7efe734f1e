//! expect: error at `ofset`: did you mean `offset`
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
struct Handle {
    #[ha(ofset)]
    offset: u64,
}

fn main() {}
