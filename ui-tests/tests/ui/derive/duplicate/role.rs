use ha_cover::Recoverable;

#[derive(Recoverable)]
struct Handle {
    #[ha(offset)]
    #[ha(offset)]
    offset: u64,
}

fn main() {}
