use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reconnect)]
struct Handle {
    #[ha(path)]
    socket: std::path::PathBuf,
}

fn main() {}
