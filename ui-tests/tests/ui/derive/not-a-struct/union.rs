use ha_cover::Recoverable;

#[derive(Recoverable)]
union Handle {
    offset: u64,
    nr: u32,
}

fn main() {}
