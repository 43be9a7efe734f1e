use ha_cover::Recoverable;

#[derive(Recoverable)]
struct Handle {
    #[ha(path)]
    replica: std::path::PathBuf,
}

fn main() {}
