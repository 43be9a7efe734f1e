use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reconnect)]
struct Handle {
    #[ha(addr)]
    replica: String,
}

fn main() {}
