//! `after`: a hook run on the new connection, generic over the strategy's
//! connections or for the one named with `connection`.

use ha_cover::{AttemptError, Cover, ReconnectTarget, Recoverable, WriteConnection};
use std::os::unix::net::UnixStream;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = resume)]
struct Resume {
    #[ha(offset)]
    received: u64,
}

// Replays the stream server's handshake from where the client was.
fn resume<C: ReconnectTarget>(conn: &mut C, handle: &mut Resume) -> std::io::Result<()> {
    let request = format!("FROM {}\n", handle.received);
    let mut rest = request.as_bytes();
    while !rest.is_empty() {
        let n = WriteConnection::write(conn, rest)?;
        rest = &rest[n..];
    }
    Ok(())
}

#[derive(Recoverable, Default)]
#[recoverable(strategy = reconnect, after = hooks::refuse_twice, connection = UnixStream)]
struct Unix {
    tries: u32,
}

mod hooks {
    // A hook may give up for good with `AttemptError::give_up`.
    pub fn refuse_twice(
        _: &mut super::UnixStream,
        handle: &mut super::Unix,
    ) -> Result<(), super::AttemptError> {
        handle.tries += 1;
        if handle.tries > 2 {
            return Err(super::AttemptError::give_up(std::io::ErrorKind::ConnectionRefused));
        }
        Ok(())
    }
}

fn main() {
    let _ = Cover::connect_unix("/nonexistent.sock", ha_cover::by_handle, Resume::default());
    let _ = Cover::connect_tcp("127.0.0.1:1", ha_cover::by_handle, Resume::default());
    let _ = Cover::connect_unix("/nonexistent.sock", ha_cover::by_handle, Unix::default());
}
