use ha_cover::Recoverable;

#[derive(Recoverable)]
struct Handle {
    #[ha(recoveries)]
    nr: u32,
    #[ha(recoveries)]
    count: u64,
}

fn main() {}
