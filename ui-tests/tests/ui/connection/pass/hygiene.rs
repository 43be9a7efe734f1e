// The generated code names nothing from the user's scope: a crate that shadows
// std's prelude and has items named like the generated locals still compiles.
#![allow(dead_code, non_camel_case_types)]

mod io {}
struct Result;
struct Option;
struct Ok;
struct std;
fn failure() {}
fn function() {}
// Unit structs and constants named like the bindings of generated code that
// is not a documented signature: were they the same, a pattern would match
// them instead of binding.
struct buf;
struct pos;
struct typed;
struct f;

#[ha_cover::ha_connection(file, mode = read_write, recover_on = [ESTALE], deadline = 1s)]
pub struct Data;

#[ha_cover::ha_connection(unix, mode = read_write, write_policy = never)]
pub(crate) struct Echo;

#[ha_cover::ha_connection(tcp, mode = read_only, handle = (), recovery = reconnect)]
struct Feed;


fn main() {}
