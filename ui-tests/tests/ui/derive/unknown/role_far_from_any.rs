use ha_cover::Recoverable;

#[derive(Recoverable)]
struct Handle {
    #[ha(position)]
    offset: u64,
}

fn main() {}
