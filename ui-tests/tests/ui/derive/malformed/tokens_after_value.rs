//! Two strategies, or a missing comma: one error at what follows the value,
//! not syn's "expected `,`".

use ha_cover::Recoverable;

#[derive(Recoverable)]
#[recoverable(strategy = reopen | reconnect)]
struct Either {
    #[ha(offset)]
    offset: u64,
}

#[derive(Recoverable)]
#[recoverable(strategy = reconnect after = hello)]
struct Greeter {
    #[ha(recoveries)]
    recoveries: u32,
}

fn main() {}
