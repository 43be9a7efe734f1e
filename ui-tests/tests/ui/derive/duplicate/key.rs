use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reopen, strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: u64,
}

fn main() {}
