//! expect: one error at `reopen_replica`: a with function returns a Result of the connection
use ha_cover::{Failure, Recoverable};
use std::fs::File;

#[derive(Recoverable, Default)]
#[recoverable(with = reopen_replica, connection = File)]
struct Replica {
    tries: u32,
}

fn reopen_replica(failure: &Failure<'_, File>, replica: &mut Replica) -> Option<File> {
    replica.tries += 1;
    failure.reopen_path("/mnt/replica/data").ok()
}

fn main() {}
