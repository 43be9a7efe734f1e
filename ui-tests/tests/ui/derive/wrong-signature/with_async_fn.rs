use ha_cover::asynchronous::AsyncFailure;
use ha_cover::{AttemptError, Recoverable};
use tokio::net::TcpStream;

#[derive(Recoverable)]
#[recoverable(with_async = recover_conn, connection = TcpStream)]
struct Handle;

// The handle is missing.
async fn recover_conn(failure: &AsyncFailure<'_, TcpStream>) -> Result<TcpStream, AttemptError> {
    failure.reconnect().await
}

fn main() {}
