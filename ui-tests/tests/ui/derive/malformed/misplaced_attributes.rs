use ha_cover::Recoverable;

#[derive(Recoverable)]
#[ha(offset)]
struct Handle {
    #[recoverable(strategy = reopen)]
    offset: u64,
}

fn main() {}
