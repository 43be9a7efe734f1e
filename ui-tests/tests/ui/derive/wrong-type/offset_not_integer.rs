use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    offset: String,
}

fn main() {}
