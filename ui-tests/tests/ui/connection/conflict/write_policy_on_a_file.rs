use ha_cover::ha_connection;

#[ha_connection(file, mode = write_only, write_policy = always)]
struct Output;

fn main() {}
