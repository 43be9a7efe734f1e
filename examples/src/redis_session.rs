//! A Redis client session over covered connections: what it replays on every
//! new connection (`AUTH`, a check that the node is the primary, `SELECT`,
//! `CLIENT SETNAME`), and commands sent one at a time through a cover.

use std::io::{self, BufReader, Read, Write};

use ha_cover::asynchronous::{AsyncReconnectTarget, Uncovered};
use ha_cover::{AttemptError, ReconnectTarget, WriteConnection};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use ha_cover_world::resp::{Resp, command, read_reply};

/// What a session is made of, replayed on each new connection.
#[derive(Debug, Clone)]
pub struct Session {
    /// `AUTH` with this password.
    pub password: String,
    /// `SELECT` this database.
    pub db: u32,
    /// `CLIENT SETNAME` this name.
    pub name: String,
}

impl Session {
    /// The commands that set the session up, in order.
    fn setup(&self) -> [Vec<String>; 3] {
        [
            vec!["AUTH".into(), self.password.clone()],
            vec!["SELECT".into(), self.db.to_string()],
            vec!["CLIENT".into(), "SETNAME".into(), self.name.clone()],
        ]
    }
}

/// What a reply to a setup command means for the attempt: a wrong password
/// ends the recovery (another try cannot help); a replica is refused, so the
/// discovery's next address is tried.
fn judge(request: &[String], reply: &Resp) -> Result<(), AttemptError> {
    match (request[0].as_str(), reply) {
        ("ROLE", Resp::Array(Some(items))) => match items.first() {
            Some(Resp::Bulk(Some(role))) if role == b"master" => Ok(()),
            Some(Resp::Bulk(Some(role))) => Err(AttemptError::retry(io::Error::other(format!(
                "the node is a {}, not the primary",
                String::from_utf8_lossy(role)
            )))),
            _ => Err(unexpected(request, reply)),
        },
        ("AUTH", Resp::Error(e)) if e.starts_with("WRONGPASS") => Err(AttemptError::give_up(
            io::Error::new(io::ErrorKind::PermissionDenied, format!("AUTH: {e}")),
        )),
        (_, Resp::Simple(ok)) if ok == "OK" => Ok(()),
        _ => Err(unexpected(request, reply)),
    }
}

fn unexpected(request: &[String], reply: &Resp) -> AttemptError {
    AttemptError::retry(io::Error::other(format!("{}: {reply:?}", request[0])))
}

/// The setup, with the role check after `AUTH` (a replica answers `ROLE` only
/// to a client that logged in).
fn steps(session: &Session) -> Vec<Vec<String>> {
    let [auth, select, name] = session.setup();
    vec![auth, vec!["ROLE".into()], select, name]
}

/// Replays `session` on a new connection, refusing a node that is not the
/// primary.
pub fn replay<C: ReconnectTarget>(conn: &mut C, session: &Session) -> Result<(), AttemptError> {
    exchange(conn, steps(session))
}

/// Replays `session` without the role check, as a client that knows nothing
/// of replicas does.
pub fn replay_blindly<C: ReconnectTarget>(
    conn: &mut C,
    session: &Session,
) -> Result<(), AttemptError> {
    exchange(conn, session.setup().into())
}

fn exchange<C: ReconnectTarget>(
    conn: &mut C,
    requests: Vec<Vec<String>>,
) -> Result<(), AttemptError> {
    for request in requests {
        let args: Vec<&str> = request.iter().map(String::as_str).collect();
        let mut bytes = &command(&args)[..];
        while !bytes.is_empty() {
            bytes = &bytes[WriteConnection::write(conn, bytes)?..];
        }
        // One reply, nothing after it: a buffer for this reply only.
        let reply = read_reply(&mut BufReader::new(&mut *conn))?;
        judge(&request, &reply)?;
    }
    Ok(())
}

/// [`replay`], for async covers.
pub async fn replay_async<C: AsyncReconnectTarget>(
    conn: &mut C,
    session: &Session,
) -> Result<(), AttemptError> {
    let mut conn = Uncovered::new(conn);
    for request in steps(session) {
        let args: Vec<&str> = request.iter().map(String::as_str).collect();
        conn.write_all(&command(&args)).await?;
        let reply = read_reply_async(&mut tokio::io::BufReader::new(&mut conn)).await?;
        judge(&request, &reply)?;
    }
    Ok(())
}

/// Sets the session up through `conn` (a cover, on its first connection).
pub fn start(conn: &mut (impl Read + Write), session: &Session) -> io::Result<()> {
    for request in session.setup() {
        let args: Vec<&str> = request.iter().map(String::as_str).collect();
        let reply = call(conn, &args)?;
        judge(&request, &reply).map_err(|e| io::Error::new(e.error().kind(), e.to_string()))?;
    }
    Ok(())
}

/// [`start`], for async covers.
pub async fn start_async(
    conn: &mut (impl tokio::io::AsyncRead + AsyncWrite + Unpin + Send),
    session: &Session,
) -> io::Result<()> {
    for request in session.setup() {
        let args: Vec<&str> = request.iter().map(String::as_str).collect();
        let reply = call_async(conn, &args).await?;
        judge(&request, &reply).map_err(|e| io::Error::new(e.error().kind(), e.to_string()))?;
    }
    Ok(())
}

/// Sends one command through `conn` (a cover) and reads its reply.
pub fn call(conn: &mut (impl Read + Write), args: &[&str]) -> io::Result<Resp> {
    conn.write_all(&command(args))?;
    read_reply(&mut BufReader::new(conn))
}

/// [`call`], for async covers.
pub async fn call_async(
    conn: &mut (impl tokio::io::AsyncRead + AsyncWrite + Unpin + Send),
    args: &[&str],
) -> io::Result<Resp> {
    conn.write_all(&command(args)).await?;
    read_reply_async(&mut tokio::io::BufReader::new(conn)).await
}

/// Reads one reply, as [`read_reply`] does.
pub fn read_reply_async<'a, R: AsyncBufRead + Unpin + Send>(
    conn: &'a mut R,
) -> ha_cover::asynchronous::BoxFuture<'a, io::Result<Resp>> {
    Box::pin(async move {
        let mut line = String::new();
        if conn.read_line(&mut line).await? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "redis closed the connection",
            ));
        }
        let line = line.trim_end_matches(['\r', '\n']);
        let (kind, rest) = line.split_at(1.min(line.len()));
        let number = || -> io::Result<i64> {
            rest.parse()
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, line.to_owned()))
        };
        Ok(match kind {
            "+" => Resp::Simple(rest.to_owned()),
            "-" => Resp::Error(rest.to_owned()),
            ":" => Resp::Integer(number()?),
            "$" => match usize::try_from(number()?) {
                Err(_) => Resp::Bulk(None),
                Ok(len) => {
                    let mut data = vec![0; len + 2];
                    conn.read_exact(&mut data).await?;
                    data.truncate(len);
                    Resp::Bulk(Some(data))
                }
            },
            "*" => match usize::try_from(number()?) {
                Err(_) => Resp::Array(None),
                Ok(n) => {
                    let mut items = Vec::with_capacity(n);
                    for _ in 0..n {
                        items.push(read_reply_async(conn).await?);
                    }
                    Resp::Array(Some(items))
                }
            },
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("unexpected reply {line:?}"),
                ));
            }
        })
    })
}
