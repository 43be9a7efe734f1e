use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reopen_seek)]
struct Handle {
    #[ha(offset)]
    curr_offset: u64,
    #[ha(offset)]
    saved_offset: u64,
}

fn main() {}
