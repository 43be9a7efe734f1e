use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reopen)]
enum Handle {
    Fresh,
    Resumed { offset: u64 },
}

fn main() {}
