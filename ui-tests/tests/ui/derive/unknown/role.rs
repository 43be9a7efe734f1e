use ha_cover::Recoverable;

#[derive(Recoverable)]
struct Handle {
    #[ha(ofset)]
    offset: u64,
}

fn main() {}
