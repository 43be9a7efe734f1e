use std::io::{self, Read, Write};

use ha_cover::{Recoverable, ha_connection};

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect)]
struct Conn {
    #[ha(addr)]
    replica: Option<std::net::SocketAddr>,
}

#[ha_connection(tcp, mode = read_write, handle = Conn, write_policy = never,
                backoff = exponential(1ms, 1.5s), deadline = 2min,
                recover_on = [ECONNRESET, EPIPE, ETIMEDOUT, ECONNABORTED])]
struct Redis;

#[allow(dead_code)]
fn usage() -> io::Result<()> {
    let mut redis = Redis::connect("127.0.0.1:6379", Conn::default())?;
    redis.write_all(b"PING\r\n")?;
    let mut reply = [0; 7];
    redis.read_exact(&mut reply)?;
    redis.with_handle(|h| h.replica = Some("127.0.0.1:6380".parse().unwrap()));
    let _: std::net::TcpStream = redis.into_inner();
    Ok(())
}

fn main() {}
