//! A strategy written as the path of the function of its name, or of a
//! function of one's own: one error at the whole path, saying what to write.

use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = ha_cover::reopen_seek)]
struct Reader {
    #[ha(offset)]
    offset: u64,
}

#[derive(Recoverable)]
#[recoverable(strategy = recovery::reopen_and_check)]
struct Checked {
    #[ha(offset)]
    offset: u64,
}

fn main() {}
