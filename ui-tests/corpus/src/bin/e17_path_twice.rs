//! expect: one error at the second `path`: one field per role
use ha_cover::Recoverable;
use std::path::PathBuf;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen)]
struct Replicas {
    #[ha(path)]
    primary: PathBuf,
    #[ha(path)]
    secondary: PathBuf,
}

fn main() {}
