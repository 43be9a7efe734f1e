//! Just enough of the redis protocol (RESP2) to talk to the test server:
//! commands out as arrays of bulk strings, any reply back.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

/// A reply from redis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resp {
    /// `+OK`
    Simple(String),
    /// `-ERR ...`
    Error(String),
    /// `:42`
    Integer(i64),
    /// `$3\r\nfoo`, or `$-1` (nil)
    Bulk(Option<Vec<u8>>),
    /// `*2 ...`, or `*-1` (nil)
    Array(Option<Vec<Resp>>),
}

impl Resp {
    /// The integer of an `Integer` reply, or of a bulk string holding one
    /// (what `GET` returns for a counter).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Resp::Integer(n) => Some(*n),
            Resp::Bulk(Some(b)) => std::str::from_utf8(b).ok()?.parse().ok(),
            _ => None,
        }
    }
}

/// A connection to redis over any byte stream.
#[derive(Debug)]
pub struct RedisClient<S: Read + Write> {
    conn: BufReader<S>,
}

impl RedisClient<UnixStream> {
    /// Connects to a Unix socket, with `timeout` on every read and write so a
    /// test never hangs on a dead server.
    pub fn connect_unix(path: &Path, timeout: Duration) -> io::Result<Self> {
        let stream = UnixStream::connect(path)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        Ok(RedisClient::new(stream))
    }
}

impl RedisClient<TcpStream> {
    /// Connects over TCP, with `timeout` on the connect and on every read and
    /// write.
    pub fn connect_tcp(addr: SocketAddr, timeout: Duration) -> io::Result<Self> {
        let stream = TcpStream::connect_timeout(&addr, timeout)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        stream.set_nodelay(true)?;
        Ok(RedisClient::new(stream))
    }
}

impl<S: Read + Write> RedisClient<S> {
    /// Wraps a connected stream.
    pub fn new(stream: S) -> Self {
        RedisClient {
            conn: BufReader::new(stream),
        }
    }

    /// Sends one command and reads its reply. A `-ERR` reply is `Ok(Resp::Error)`.
    pub fn call(&mut self, args: &[&str]) -> io::Result<Resp> {
        self.conn.get_mut().write_all(&command(args))?;
        read_reply(&mut self.conn)
    }

    /// Reads the next message the server sends without being asked (pub/sub).
    pub fn receive(&mut self) -> io::Result<Resp> {
        read_reply(&mut self.conn)
    }

    /// The underlying stream.
    pub fn get_ref(&self) -> &S {
        self.conn.get_ref()
    }
}

/// A command as redis reads it: an array of bulk strings.
pub fn command(args: &[&str]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Reads one reply.
pub fn read_reply(conn: &mut impl BufRead) -> io::Result<Resp> {
    let line = read_line(conn)?;
    let (kind, rest) = line.split_at(1.min(line.len()));
    let number = || -> io::Result<i64> {
        rest.parse()
            .map_err(|_| bad(&format!("bad number in {line:?}")))
    };
    Ok(match kind {
        "+" => Resp::Simple(rest.to_owned()),
        "-" => Resp::Error(rest.to_owned()),
        ":" => Resp::Integer(number()?),
        "$" => match usize::try_from(number()?) {
            Err(_) => Resp::Bulk(None),
            Ok(len) => {
                let mut data = vec![0; len + 2];
                conn.read_exact(&mut data)?;
                data.truncate(len);
                Resp::Bulk(Some(data))
            }
        },
        "*" => match usize::try_from(number()?) {
            Err(_) => Resp::Array(None),
            Ok(n) => Resp::Array(Some(
                (0..n)
                    .map(|_| read_reply(conn))
                    .collect::<io::Result<_>>()?,
            )),
        },
        _ => return Err(bad(&format!("unexpected reply {line:?}"))),
    })
}

fn read_line(conn: &mut impl BufRead) -> io::Result<String> {
    let mut line = String::new();
    if conn.read_line(&mut line)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "redis closed the connection",
        ));
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_owned())
}
