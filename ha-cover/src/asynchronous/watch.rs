//! Waiting for the server to come back, on tokio: the same kernel signals and
//! the same relevance rules as the sync cover (see `crate::wait`), through
//! tokio's reactor.

use std::ffi::OsString;
use std::time::{Duration, Instant};

use tokio::io::Interest;
use tokio::io::unix::AsyncFd;

use crate::connection::Peer;
use crate::origin::Origin;
use crate::sys::DirectFd;
use crate::wait::{Covering, Inotify, mount_table, names_created, read_table, watch_directory};

pub(crate) enum AsyncWatcher {
    Mounts {
        table: AsyncFd<DirectFd>,
        covering: Covering,
    },
    SocketDirectory {
        inotify: AsyncFd<Inotify>,
        name: OsString,
    },
    Timer,
}

impl AsyncWatcher {
    pub fn for_origin(origin: &Origin) -> Self {
        let watcher = match origin {
            Origin::File { path, .. } => mount_table().and_then(|(table, text)| {
                Ok(Self::Mounts {
                    table: register(table, Interest::PRIORITY)?,
                    covering: Covering::new(path, &text),
                })
            }),
            Origin::Socket(Peer::Unix(addr)) => match addr.as_pathname() {
                Some(path) => match (path.parent(), path.file_name()) {
                    (Some(dir), Some(name)) => watch_directory(dir).and_then(|inotify| {
                        Ok(Self::SocketDirectory {
                            inotify: register(inotify, Interest::READABLE)?,
                            name: name.to_owned(),
                        })
                    }),
                    _ => Ok(Self::Timer),
                },
                None => Ok(Self::Timer),
            },
            _ => Ok(Self::Timer),
        };
        watcher.unwrap_or(Self::Timer)
    }

    /// What it watches, as the engine's logs say it.
    pub fn waiting_for(&self) -> ha_cover_engine::WaitingFor {
        match self {
            Self::Mounts { .. } => ha_cover_engine::WaitingFor::Mount,
            Self::SocketDirectory { .. } => ha_cover_engine::WaitingFor::Socket,
            Self::Timer => ha_cover_engine::WaitingFor::Timer,
        }
    }

    /// Waits up to `limit`; true when woken because the server may be back.
    pub async fn wait(&mut self, limit: Duration) -> bool {
        if limit < Duration::from_millis(1) {
            // tokio's timers tick in milliseconds; the short retries right after
            // the server was seen back (a socket bound but not yet listening)
            // are finer, so they sleep on the blocking pool.
            let _ = tokio::task::spawn_blocking(move || std::thread::sleep(limit)).await;
            return false;
        }
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let relevant = match self {
                Self::Timer => {
                    tokio::time::sleep(left).await;
                    return false;
                }
                Self::Mounts { table, covering } => {
                    match tokio::time::timeout(left, table.ready_mut(Interest::PRIORITY)).await {
                        Err(_) => return false,
                        Ok(Err(e)) => Err(e),
                        Ok(Ok(mut ready)) => {
                            let text = read_table(ready.get_inner());
                            ready.clear_ready();
                            text.map(|text| covering.appeared(&text))
                        }
                    }
                }
                Self::SocketDirectory { inotify, name } => {
                    match tokio::time::timeout(left, inotify.ready(Interest::READABLE)).await {
                        Err(_) => return false,
                        Ok(Err(e)) => Err(e),
                        Ok(Ok(mut ready)) => {
                            let names = names_created(ready.get_ref().get_ref().as_fd());
                            ready.clear_ready();
                            names.map(|names| names.iter().any(|n| n == name))
                        }
                    }
                }
            };
            match relevant {
                Ok(true) => return true,
                Ok(false) if Instant::now() < deadline => {}
                Ok(false) => return false,
                // The watcher broke; the backoff still runs.
                Err(_) => *self = Self::Timer,
            }
        }
    }
}

fn register<T: std::os::fd::AsRawFd>(
    watched: T,
    interest: Interest,
) -> std::io::Result<AsyncFd<T>> {
    // SAFETY: `watched` owns its descriptor (the mount table, or an inotify
    // instance, each closed only when dropped), and the `AsyncFd` owns `watched`, so
    // the descriptor stays open and the same for the `AsyncFd`'s whole life.
    Ok(unsafe { AsyncFd::register_with_interest(watched, interest) }?)
}
