use std::io;

use ha_cover::asynchronous::{AsyncFailure, AsyncReconnectTarget, BoxFuture, File, Uncovered};
use ha_cover::{AttemptError, Recoverable, ha_connection};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpStream, UnixStream};

// A recovery function: an async fn.
async fn resubscribe(
    failure: &AsyncFailure<'_, UnixStream>,
    topic: &mut Topic,
) -> Result<UnixStream, AttemptError> {
    let mut fresh = failure.reconnect().await?;
    fresh
        .write_all(format!("SUBSCRIBE {}\n", topic.name).as_bytes())
        .await?;
    Ok(fresh)
}

#[derive(Default)]
struct Topic {
    name: String,
}

impl Recoverable for Topic {}

#[ha_connection(unix, asynchronous, mode = read_only, handle = Topic, recovery = resubscribe)]
struct News;

// Or any async recovery function of ha_cover::asynchronous's shape, returning a boxed future.
fn replica<'a>(
    failure: &'a AsyncFailure<'a, File>,
    _: &'a mut (),
) -> BoxFuture<'a, Result<File, AttemptError>> {
    Box::pin(failure.reopen_path("/replica/data"))
}

#[ha_connection(file, asynchronous, mode = read_only, recovery = replica)]
struct Data;

// A function of one's own named like a built-in, written with its path, with
// an `io::Error`.
async fn reopen(failure: &AsyncFailure<'_, File>, _: &mut ()) -> io::Result<File> {
    failure
        .reopen()
        .await
        .map_err(|e| io::Error::new(e.error().kind(), e.to_string()))
}

#[ha_connection(file, asynchronous, mode = read_only, recovery = self::reopen)]
struct Mine;

// Built-ins.
#[ha_connection(file, asynchronous, mode = read_only, recovery = reopen)]
struct StartOfLine;

#[ha_connection(tcp, asynchronous, mode = read_only, recovery = reconnect)]
struct Ticker;

// A handle recovering the way it declares, with an async hook.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after_async = resume)]
struct Resume {
    #[ha(offset)]
    received: u64,
}

async fn resume<C: AsyncReconnectTarget>(conn: &mut C, handle: &mut Resume) -> io::Result<()> {
    let request = format!("FROM {}\n", handle.received);
    Uncovered::new(conn).write_all(request.as_bytes()).await
}

#[ha_connection(tcp, asynchronous, mode = read_only, handle = Resume)]
struct Stream;

#[allow(dead_code)]
async fn usage() -> io::Result<()> {
    let _ = News::connect("/run/news.sock", Topic::default()).await?;
    let _ = Data::open("/data").await?;
    let _ = Mine::open("/data").await?;
    let _ = StartOfLine::open("/data").await?;
    let _ = Ticker::connect("127.0.0.1:7000").await?;
    let _ = Stream::attach(
        TcpStream::connect("127.0.0.1:7001").await?,
        Resume::default(),
    )?;
    Ok(())
}

fn main() {}
