use ha_cover::Recoverable;
use tokio::net::TcpStream;

#[derive(Recoverable)]
#[recoverable(strategy = reopen, connection = TcpStream, after_async = check)]
struct Handle;

async fn check(_: &mut TcpStream, _: &mut Handle) -> std::io::Result<()> {
    Ok(())
}

fn main() {}
