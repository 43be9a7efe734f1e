use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(recoveries)]
    nr: u32,
}

fn main() {}
