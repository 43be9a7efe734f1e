//! expect: error at `u64`: a path role is a PathBuf or the like
use ha_cover::Recoverable;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Handle {
    #[ha(path)]
    replica: u64,
}

fn main() {}
