//! expect: one error: a handle lives as long as the cover ('static)
use ha_cover::{Cover, Recoverable};
use std::path::{Path, PathBuf};

#[derive(Recoverable)]
#[recoverable(strategy = reopen)]
struct Handle<'a> {
    #[ha(path)]
    replica: &'a Path,
}

fn main() -> std::io::Result<()> {
    let replica = PathBuf::from("/mnt/replica/data");
    let handle = Handle { replica: &replica };
    let _file = Cover::open("/mnt/primary/data", ha_cover::by_handle, handle)?;
    Ok(())
}
