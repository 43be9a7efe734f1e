//! The servers a scenario runs against: our FUSE server for files, the
//! world's socket server for sockets, each SIGKILLed for real.

use std::path::PathBuf;
use std::time::Duration;

use ha_cover_world::{FuseServer, SocketMode, SocketServer};

use crate::scenario::{Mode, Target};

const T: Duration = Duration::from_secs(30);

pub enum Server {
    File { fuse: FuseServer },
    Socket { socket: SocketServer },
}

impl Server {
    pub fn start(target: &Target) -> Server {
        match target {
            Target::File { content, .. } => {
                let fuse = FuseServer::fuser().expect("our FUSE server starts");
                std::fs::write(fuse.backing("file"), content).expect("the file is written");
                Server::File { fuse }
            }
            Target::Socket { mode, .. } => {
                let mode = match mode {
                    Mode::Echo => SocketMode::Echo,
                    Mode::Hangup => SocketMode::Hangup,
                };
                let socket = SocketServer::start(mode).expect("the socket server starts");
                Server::Socket { socket }
            }
        }
    }

    /// The covered file's path, or the socket's.
    pub fn path(&self) -> PathBuf {
        match self {
            Server::File { fuse } => fuse.path("file"),
            Server::Socket { socket } => socket.unix_path().expect("a Unix socket").to_owned(),
        }
    }

    /// The file's content, read from the server's own directory.
    pub fn backing(&self) -> Option<Vec<u8>> {
        match self {
            Server::File { fuse } => Some(std::fs::read(fuse.backing("file")).unwrap()),
            Server::Socket { .. } => None,
        }
    }

    fn supervisor(&self) -> &ha_cover_world::SupervisorHandle {
        match self {
            Server::File { fuse } => fuse.supervisor(),
            Server::Socket { socket } => socket.supervisor(),
        }
    }

    /// SIGKILL, and back: ready again when this returns.
    pub fn kill(&self) {
        self.supervisor()
            .kill_and_restart(T)
            .expect("the server dies and comes back");
    }

    /// SIGKILL, and stays down.
    pub fn down(&self) {
        let supervisor = self.supervisor();
        supervisor.set_auto_restart(false);
        supervisor.kill_and_wait(T).expect("the server dies");
    }

    /// Back after [`down`](Self::down).
    pub fn up(&self) {
        let supervisor = self.supervisor();
        let restarts = supervisor.restarts();
        supervisor.set_auto_restart(true);
        supervisor.restart();
        supervisor
            .wait_restarts(restarts + 1, T)
            .expect("the server is back");
    }
}
