//! Waiting for the server to come back, on tokio: the same kernel signals as the
//! sync cover (see `crate::wait`), through tokio's reactor.

use std::fs::File;
use std::path::Path;
use std::time::Duration;

use tokio::io::Interest;
use tokio::io::unix::AsyncFd;

use crate::connection::Peer;
use crate::origin::Origin;
use crate::wait::{Inotify, drain_inotify, drain_mounts, mount_table, watch_directory};

pub(crate) enum AsyncWatcher {
    Mounts(AsyncFd<File>),
    SocketDirectory(AsyncFd<Inotify>),
    Timer,
}

impl AsyncWatcher {
    pub fn for_origin(origin: &Origin) -> Self {
        let watcher = match origin {
            Origin::File { .. } => mount_table()
                .and_then(|table| register(table, Interest::PRIORITY))
                .map(Self::Mounts),
            Origin::Socket(Peer::Unix(addr)) => match addr.as_pathname().and_then(Path::parent) {
                Some(dir) => watch_directory(dir)
                    .and_then(|inotify| register(inotify, Interest::READABLE))
                    .map(Self::SocketDirectory),
                None => Ok(Self::Timer),
            },
            _ => Ok(Self::Timer),
        };
        watcher.unwrap_or(Self::Timer)
    }

    pub fn sees_changes(&self) -> bool {
        !matches!(self, Self::Timer)
    }

    /// Waits up to `limit`; true when woken by a change rather than by time.
    pub async fn wait(&mut self, limit: Duration) -> bool {
        if limit < Duration::from_millis(1) {
            // tokio's timers tick in milliseconds; the short retries right after
            // the server was seen back (a socket bound but not yet listening)
            // are finer, so they sleep on the blocking pool.
            let _ = tokio::task::spawn_blocking(move || std::thread::sleep(limit)).await;
            return false;
        }
        let woken = match self {
            Self::Timer => {
                tokio::time::sleep(limit).await;
                return false;
            }
            Self::Mounts(table) => {
                match tokio::time::timeout(limit, table.ready_mut(Interest::PRIORITY)).await {
                    Ok(Ok(mut ready)) => {
                        let drained = drain_mounts(ready.get_inner_mut());
                        ready.clear_ready();
                        drained.is_ok()
                    }
                    Ok(Err(_)) => false,
                    Err(_) => return false,
                }
            }
            Self::SocketDirectory(inotify) => {
                match tokio::time::timeout(limit, inotify.ready(Interest::READABLE)).await {
                    Ok(Ok(mut ready)) => {
                        let drained = drain_inotify(ready.get_ref().get_ref().as_fd());
                        ready.clear_ready();
                        drained.is_ok()
                    }
                    Ok(Err(_)) => false,
                    Err(_) => return false,
                }
            }
        };
        if !woken {
            // The watcher broke; the backoff still runs.
            *self = Self::Timer;
        }
        woken
    }
}

fn register<T: std::os::fd::AsRawFd>(
    watched: T,
    interest: Interest,
) -> std::io::Result<AsyncFd<T>> {
    // SAFETY: `watched` owns its descriptor (a `File`, or an inotify instance
    // that is closed only when dropped), and the `AsyncFd` owns `watched`, so
    // the descriptor stays open and the same for the `AsyncFd`'s whole life.
    Ok(unsafe { AsyncFd::register_with_interest(watched, interest) }?)
}
