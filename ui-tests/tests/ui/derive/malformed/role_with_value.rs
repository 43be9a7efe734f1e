use ha_cover::Recoverable;

#[derive(Recoverable)]
struct Handle {
    #[ha(offset = 0)]
    offset: u64,
}

fn main() {}
