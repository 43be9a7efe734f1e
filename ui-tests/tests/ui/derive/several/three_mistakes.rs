use ha_cover::Recoverable;

// An unknown key, an unknown role and a second offset: three errors, one build.
#[derive(Recoverable)]
#[recoverable(strategy = reopen_seek, atfer = handshake)]
struct Handle {
    #[ha(offset)]
    offset: u64,
    #[ha(recoveris)]
    nr: u32,
    #[ha(offset)]
    again: u64,
}

fn main() {}
