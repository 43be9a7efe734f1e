//! The world's own ear on the sentinels: every `+switch-master` any of them
//! publishes, and every `+promoted-slave` (which the leader of a failover
//! publishes as the replica it chose becomes the primary, before the
//! sentinels agree on it), with the instant it arrived, for measuring a
//! failover as the sentinels see it (independently of the client under
//! test).

use std::io;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::resp::{RedisClient, Resp};

/// One announcement that the primary moved.
#[derive(Debug, Clone, Copy)]
pub struct Switch {
    /// When the world received it.
    pub at: Instant,
    /// The sentinel that published it.
    pub sentinel: SocketAddr,
    /// The old primary.
    pub from: SocketAddr,
    /// The new one.
    pub to: SocketAddr,
}

/// What a sentinel said about the primary of the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum News {
    /// `+switch-master`: the sentinel now names `to` as the primary.
    Switched {
        /// The old primary.
        from: SocketAddr,
        /// The new one.
        to: SocketAddr,
    },
    /// `+promoted-slave`: the leader of a failover made `replica` a
    /// primary in place of `from`.
    Promoted {
        /// The promoted replica.
        replica: SocketAddr,
        /// The primary it replaces.
        from: SocketAddr,
    },
}

/// The channels the news comes on.
pub const CHANNELS: [&str; 2] = ["+switch-master", "+promoted-slave"];

/// Subscribes `client` to [`CHANNELS`] (a sentinel answers each channel).
pub fn subscribe(client: &mut RedisClient<TcpStream>) -> io::Result<()> {
    let mut args = vec!["SUBSCRIBE"];
    args.extend(CHANNELS);
    let mut reply = client.call(&args)?;
    for n in 0..CHANNELS.len() {
        if n > 0 {
            reply = client.receive()?;
        }
        if !matches!(&reply, Resp::Array(Some(items)) if items.len() == 3) {
            return Err(io::Error::other(format!("SUBSCRIBE: {reply:?}")));
        }
    }
    Ok(())
}

/// The first promotion heard at or after a moment.
#[derive(Debug, Clone, Copy)]
pub struct Promotion {
    /// When the world received it.
    pub at: Instant,
    /// The promoted replica.
    pub replica: SocketAddr,
    /// The primary it replaces.
    pub from: SocketAddr,
}

#[derive(Debug, Default)]
struct Heard {
    switches: Mutex<Vec<Switch>>,
    promotions: Mutex<Vec<Promotion>>,
    changed: Condvar,
    stopping: AtomicBool,
}

/// Subscribed to `+switch-master` on every sentinel; dropping it closes the
/// subscriptions and joins their threads.
#[derive(Debug)]
pub struct SwitchWatch {
    heard: Arc<Heard>,
    streams: Vec<TcpStream>,
    threads: Vec<JoinHandle<()>>,
}

impl SwitchWatch {
    /// Subscribes on each sentinel before returning, so that no announcement
    /// made afterwards is missed.
    pub fn start(master: &str, sentinels: &[SocketAddr]) -> io::Result<SwitchWatch> {
        let heard = Arc::new(Heard::default());
        let mut watch = SwitchWatch {
            heard: Arc::clone(&heard),
            streams: Vec::new(),
            threads: Vec::new(),
        };
        for &sentinel in sentinels {
            let mut client = RedisClient::connect_tcp(sentinel, Duration::from_secs(2))?;
            subscribe(&mut client)
                .map_err(|e| io::Error::new(e.kind(), format!("sentinel {sentinel}: {e}")))?;
            client.get_ref().set_read_timeout(None)?;
            watch.streams.push(client.get_ref().try_clone()?);
            let (heard, master) = (Arc::clone(&heard), master.to_owned());
            watch.threads.push(
                std::thread::Builder::new()
                    .name(format!("switch-watch-{}", sentinel.port()))
                    .spawn(move || listen(client, sentinel, &master, &heard))?,
            );
        }
        Ok(watch)
    }

    /// Every announcement so far, in the order received.
    pub fn switches(&self) -> Vec<Switch> {
        self.heard.switches.lock().unwrap().clone()
    }

    /// The first promotion of a replica in place of `from` heard at or after
    /// `since`.
    pub fn promotion_from(&self, from: SocketAddr, since: Instant) -> Option<Promotion> {
        self.heard
            .promotions
            .lock()
            .unwrap()
            .iter()
            .find(|p| p.at >= since && p.from == from)
            .copied()
    }

    /// The first announcement received at or after `since` that the primary
    /// moved away from `from`, waiting for it up to `timeout`.
    pub fn wait_switch_from(
        &self,
        from: SocketAddr,
        since: Instant,
        timeout: Duration,
    ) -> io::Result<Switch> {
        let deadline = Instant::now() + timeout;
        let mut switches = self.heard.switches.lock().unwrap();
        loop {
            let found = switches
                .iter()
                .find(|s| s.at >= since && s.from == from && s.to != from);
            if let Some(switch) = found {
                return Ok(*switch);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "no sentinel announced a new primary in place of {from} within {timeout:?} (heard: {:?})",
                        *switches
                    ),
                ));
            }
            switches = self
                .heard
                .changed
                .wait_timeout(switches, deadline - now)
                .unwrap()
                .0;
        }
    }
}

impl Drop for SwitchWatch {
    fn drop(&mut self) {
        self.heard.stopping.store(true, Ordering::SeqCst);
        for stream in &self.streams {
            let _ = stream.shutdown(Shutdown::Both);
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn listen(mut client: RedisClient<TcpStream>, sentinel: SocketAddr, master: &str, heard: &Heard) {
    while let Ok(message) = client.receive() {
        let at = Instant::now();
        match parse_news(&message, master) {
            Some(News::Switched { from, to }) => heard.switches.lock().unwrap().push(Switch {
                at,
                sentinel,
                from,
                to,
            }),
            Some(News::Promoted { replica, from }) => heard
                .promotions
                .lock()
                .unwrap()
                .push(Promotion { at, replica, from }),
            None => continue,
        }
        heard.changed.notify_all();
    }
    if !heard.stopping.load(Ordering::SeqCst) {
        eprintln!("switch watch: sentinel {sentinel} closed its subscription");
    }
}

/// A message on one of [`CHANNELS`] about the group `master`:
/// `["message", "+switch-master", "<master> <old ip> <old port> <new ip> <new port>"]`
/// or `["message", "+promoted-slave", "slave <ip>:<port> <ip> <port> @ <master> <old ip> <old port>"]`.
pub fn parse_news(message: &Resp, master: &str) -> Option<News> {
    let Resp::Array(Some(items)) = message else {
        return None;
    };
    let [
        Resp::Bulk(Some(kind)),
        Resp::Bulk(Some(channel)),
        Resp::Bulk(Some(payload)),
    ] = &items[..]
    else {
        return None;
    };
    if kind != b"message" {
        return None;
    }
    let payload = std::str::from_utf8(payload).ok()?;
    let words: Vec<&str> = payload.split_whitespace().collect();
    let addr = |ip: &str, port: &str| format!("{ip}:{port}").parse().ok();
    match &channel[..] {
        b"+switch-master" => {
            let [name, old_ip, old_port, new_ip, new_port] = words[..] else {
                return None;
            };
            (name == master).then_some(())?;
            Some(News::Switched {
                from: addr(old_ip, old_port)?,
                to: addr(new_ip, new_port)?,
            })
        }
        b"+promoted-slave" => {
            let ["slave", _, ip, port, "@", name, old_ip, old_port] = words[..] else {
                return None;
            };
            (name == master).then_some(())?;
            Some(News::Promoted {
                replica: addr(ip, port)?,
                from: addr(old_ip, old_port)?,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(channel: &str, payload: &str) -> Resp {
        let bulk = |s: &str| Resp::Bulk(Some(s.as_bytes().to_vec()));
        Resp::Array(Some(vec![bulk("message"), bulk(channel), bulk(payload)]))
    }

    #[test]
    fn both_kinds_of_news_are_read() {
        let (a, b) = (
            "127.0.0.1:7001".parse().unwrap(),
            "127.0.0.1:7002".parse().unwrap(),
        );
        assert_eq!(
            parse_news(
                &message("+switch-master", "mymaster 127.0.0.1 7001 127.0.0.1 7002"),
                "mymaster"
            ),
            Some(News::Switched { from: a, to: b })
        );
        assert_eq!(
            parse_news(
                &message(
                    "+promoted-slave",
                    "slave 127.0.0.1:7002 127.0.0.1 7002 @ mymaster 127.0.0.1 7001"
                ),
                "mymaster"
            ),
            Some(News::Promoted {
                replica: b,
                from: a
            })
        );
        assert_eq!(
            parse_news(
                &message("+switch-master", "other 127.0.0.1 7001 127.0.0.1 7002"),
                "mymaster"
            ),
            None
        );
    }
}
