use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reopen)]
struct Handle {
    #[ha(path)]
    replica: u32,
}

fn main() {}
