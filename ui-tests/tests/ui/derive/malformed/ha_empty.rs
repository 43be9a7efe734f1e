use ha_cover::Recoverable;

#[derive(Recoverable)]
struct Handle {
    #[ha()]
    offset: u64,
}

fn main() {}
