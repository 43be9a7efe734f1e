//! The generated code names ha-cover through `crate = ...`, so a path that does
//! not resolve is the error, at that path.

#[ha_cover::ha_connection(crate = not_a_crate::ha, tcp, mode = read_only)]
struct Feed;

fn main() {}
