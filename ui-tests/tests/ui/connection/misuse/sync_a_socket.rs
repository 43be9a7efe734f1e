use ha_cover::ha_connection;

#[ha_connection(tcp, mode = read_write, write_policy = never)]
struct Redis;

fn main() -> std::io::Result<()> {
    let mut redis = Redis::connect("127.0.0.1:6379")?;
    redis.sync_all()?;
    Ok(())
}
