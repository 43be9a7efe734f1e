use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reopen_sek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

fn main() {}
