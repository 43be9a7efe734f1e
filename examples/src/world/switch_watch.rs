//! The world's own ear on the sentinels: every `+switch-master` any of them
//! publishes, with the instant it arrived, for measuring a failover as the
//! sentinels see it (independently of the client under test).

use std::io;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::world::resp::{RedisClient, Resp};

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

#[derive(Debug, Default)]
struct Heard {
    switches: Mutex<Vec<Switch>>,
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
            let reply = client.call(&["SUBSCRIBE", "+switch-master"])?;
            if !matches!(&reply, Resp::Array(Some(items)) if items.len() == 3) {
                return Err(io::Error::other(format!(
                    "SUBSCRIBE on sentinel {sentinel}: {reply:?}"
                )));
            }
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
        let Some((from, to)) = parse_switch(&message, master) else {
            continue;
        };
        heard.switches.lock().unwrap().push(Switch {
            at,
            sentinel,
            from,
            to,
        });
        heard.changed.notify_all();
    }
    if !heard.stopping.load(Ordering::SeqCst) {
        eprintln!("switch watch: sentinel {sentinel} closed its subscription");
    }
}

/// `["message", "+switch-master", "<master> <old ip> <old port> <new ip> <new port>"]`.
pub fn parse_switch(message: &Resp, master: &str) -> Option<(SocketAddr, SocketAddr)> {
    let Resp::Array(Some(items)) = message else {
        return None;
    };
    let [Resp::Bulk(Some(kind)), _, Resp::Bulk(Some(payload))] = &items[..] else {
        return None;
    };
    if kind != b"message" {
        return None;
    }
    let payload = std::str::from_utf8(payload).ok()?;
    let words: Vec<&str> = payload.split_whitespace().collect();
    let [name, old_ip, old_port, new_ip, new_port] = words[..] else {
        return None;
    };
    if name != master {
        return None;
    }
    let addr = |ip: &str, port: &str| format!("{ip}:{port}").parse().ok();
    Some((addr(old_ip, old_port)?, addr(new_ip, new_port)?))
}
