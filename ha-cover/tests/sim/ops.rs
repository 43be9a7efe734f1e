//! The operations a simulated client performs, and what the simulated kernel
//! and server make of them: the system call of the simulation.
//!
//! A file operation that reaches the server is applied when it starts and
//! answered when it finishes, a later step: a death in between loses the
//! answer (the write happened, the caller gets `ECONNABORTED`). Seeks to a set
//! or relative position are the kernel's alone and succeed on a dead
//! connection, as on FUSE. A socket read with nothing to read blocks until the
//! server answers or the connection dies; what the server sent stays readable
//! after it died, as on a Unix socket.

use std::io::{self, SeekFrom};
use std::time::Duration;

use ha_cover_engine::{Kind, OpInfo, OpKind};

use super::conns::Fd;
use super::member::Track;
use super::server::protocol;
use super::world::World;

#[derive(Clone, Debug)]
pub enum Op {
    Read {
        len: usize,
        vectored: bool,
    },
    Write {
        data: Vec<u8>,
        vectored: bool,
    },
    ReadAt {
        offset: u64,
        len: usize,
    },
    WriteAt {
        offset: u64,
        data: Vec<u8>,
    },
    Seek(SeekFrom),
    Sync {
        data_only: bool,
    },
    /// A socket write.
    Send {
        data: Vec<u8>,
        vectored: bool,
    },
    /// A socket read.
    Recv {
        len: usize,
        vectored: bool,
    },
}

impl Op {
    pub fn info(&self) -> OpInfo {
        let (kind, len) = match self {
            Op::Read { .. } | Op::Recv { .. } => (OpKind::Read, 0),
            Op::Write { data, .. } | Op::Send { data, .. } => (OpKind::Write, data.len()),
            Op::ReadAt { .. } => (OpKind::ReadAt, 0),
            Op::WriteAt { data, .. } => (OpKind::WriteAt, data.len()),
            Op::Seek(_) => (OpKind::Seek, 0),
            Op::Sync { .. } => (OpKind::Sync, 0),
        };
        OpInfo::new(kind, len)
    }

    /// Its name, for traces.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Read {
                vectored: false, ..
            } => "read",
            Op::Read { vectored: true, .. } => "readv",
            Op::Write {
                vectored: false, ..
            } => "write",
            Op::Write { vectored: true, .. } => "writev",
            Op::ReadAt { .. } => "pread",
            Op::WriteAt { .. } => "pwrite",
            Op::Seek(_) => "seek",
            Op::Sync { data_only: false } => "fsync",
            Op::Sync { data_only: true } => "fdatasync",
            Op::Send {
                vectored: false, ..
            } => "send",
            Op::Send { vectored: true, .. } => "sendmsg",
            Op::Recv {
                vectored: false, ..
            } => "recv",
            Op::Recv { vectored: true, .. } => "recvmsg",
        }
    }

    /// Whether it moves the file position (and so takes the `f_pos` lock).
    pub fn moves_position(&self) -> bool {
        matches!(self, Op::Read { .. } | Op::Write { .. } | Op::Seek(_))
    }

    /// Whether a result of `n` is a read's end-of-file.
    pub fn is_eof(&self, n: u64) -> bool {
        match self {
            Op::Read { len, .. } | Op::Recv { len, .. } => n == 0 && *len > 0,
            _ => false,
        }
    }
}

/// A file operation the server applied, whose answer comes at a later step.
#[derive(Clone, Copy, Debug)]
pub struct Pending {
    pub result: u64,
    /// The position the description has once it is answered.
    pub new_pos: Option<u64>,
    pub desc: usize,
}

#[derive(Debug)]
pub enum Started {
    Done(io::Result<u64>),
    Pending(Pending),
    /// A socket read waiting for the server.
    Blocked,
}

fn err(errno: i32) -> io::Result<u64> {
    Err(io::Error::from_raw_os_error(errno))
}

impl World {
    /// Starts `op` on `fd`.
    pub fn start_op(&mut self, fd: Fd, op: &Op, track: &mut Track) -> Started {
        let d = self.conns.desc_of(fd);
        track.last_desc = d;
        let alive = self.server.alive(&self.conns.descs[d]);
        if let Op::Seek(from) = *op
            && !matches!(from, SeekFrom::End(_))
            && (alive || self.setup.local_seeks)
        {
            return Started::Done(self.seek_locally(d, from));
        }
        if alive && self.conns.descs[d].doomed {
            self.crash();
            return Started::Done(err(libc::ECONNABORTED));
        }
        if self.fault(self.setup.faults.eintr) {
            return Started::Done(err(libc::EINTR));
        }
        match self.setup.kind {
            Kind::File => self.start_file_op(track, d, alive, op),
            _ => self.start_socket_op(track, d, alive, op),
        }
    }

    fn seek_locally(&mut self, d: usize, from: SeekFrom) -> io::Result<u64> {
        let desc = &mut self.conns.descs[d];
        let target = match from {
            SeekFrom::Start(x) => Some(x),
            SeekFrom::Current(delta) => desc.pos.checked_add_signed(delta),
            SeekFrom::End(_) => unreachable!("needs the server"),
        };
        match target {
            Some(x) => {
                desc.pos = x;
                Ok(x)
            }
            None => err(libc::EINVAL),
        }
    }

    fn dead_file_errno(&mut self) -> i32 {
        match self.rng.below(10) {
            // A FUSE request half answered when its daemon died.
            0 => libc::EIO,
            1 => libc::ESTALE,
            _ => libc::ENOTCONN,
        }
    }

    fn start_file_op(&mut self, track: &mut Track, d: usize, alive: bool, op: &Op) -> Started {
        if !alive {
            let errno = self.dead_file_errno();
            return Started::Done(err(errno));
        }
        if op_reads(op) && self.fault(self.setup.faults.eio) {
            // A media error, on a server that answers: the caller's.
            return Started::Done(err(libc::EIO));
        }
        let pos = self.conns.descs[d].pos;
        let file_len = self.server.file.len() as u64;
        let (result, new_pos) = match op {
            Op::Read { len, .. } => {
                let n = self.partial(file_len.saturating_sub(pos).min(*len as u64));
                self.app_read_applied(track, pos);
                (n, Some(pos + n))
            }
            Op::ReadAt { offset, len } => (
                self.partial(file_len.saturating_sub(*offset).min(*len as u64)),
                None,
            ),
            Op::Write { data, .. } => {
                let at = if self.setup.append { file_len } else { pos };
                let n = self.write_file(track, at, data);
                (n, Some(at + n))
            }
            Op::WriteAt { offset, data } => (self.write_file(track, *offset, data), None),
            Op::Seek(from) => {
                let target = match *from {
                    SeekFrom::End(delta) => file_len.checked_add_signed(delta),
                    SeekFrom::Current(delta) => pos.checked_add_signed(delta),
                    SeekFrom::Start(x) => Some(x),
                };
                match target {
                    Some(x) => (x, Some(x)),
                    None => return Started::Done(err(libc::EINVAL)),
                }
            }
            Op::Sync { .. } => (0, None),
            _ => unreachable!("{op:?} on a file"),
        };
        if self.server.up && self.fault(self.setup.faults.during_op) {
            // The server dies after it did the work, before it answered.
            self.kill_server("after the operation was applied");
        }
        Started::Pending(Pending {
            result,
            new_pos,
            desc: d,
        })
    }

    /// Applies a write at `at`, all of it or part (a short write, or a death
    /// in the middle of it); returns the bytes written.
    fn write_file(&mut self, track: &mut Track, at: u64, data: &[u8]) -> u64 {
        let mut n = self.partial(data.len() as u64);
        let dies = self.fault(self.setup.faults.during_op);
        if dies {
            n = self.rng.below(n + 1);
        }
        let at_usize = at as usize;
        let end = at_usize + n as usize;
        if self.server.file.len() < end {
            self.server.file.resize(end, 0);
        }
        self.server.file[at_usize..end].copy_from_slice(&data[..n as usize]);
        self.app_write_applied(track, at, n);
        if dies {
            self.kill_server("in the middle of a write");
        }
        n
    }

    /// Some of `n`: all of it, or with the setup's chance of a partial
    /// transfer, at least one byte of it.
    fn partial(&mut self, n: u64) -> u64 {
        if n > 1 && self.rng.chance(self.setup.faults.partial) {
            self.rng.range(1, n - 1)
        } else {
            n
        }
    }

    /// The answer of an operation the server applied, once it arrives.
    pub fn finish_op(&mut self, track: &Track, pending: Pending) -> io::Result<u64> {
        let desc = &mut self.conns.descs[pending.desc];
        if self.server.alive(desc) {
            if let Some(pos) = pending.new_pos {
                desc.pos = pos;
            }
            self.app_answered(track, pending.desc);
            return Ok(pending.result);
        }
        err(libc::ECONNABORTED)
    }

    fn start_socket_op(&mut self, track: &Track, d: usize, alive: bool, op: &Op) -> Started {
        match op {
            Op::Send { data, .. } => {
                if !alive {
                    let errno = *self.rng.pick(&[libc::EPIPE, libc::ECONNRESET]);
                    return Started::Done(err(errno));
                }
                // Under `Always` a request is one write, whole (the policy
                // sends a failed write again as it is).
                let n = if self.setup.policy.write_policy == ha_cover_engine::WritePolicy::Always {
                    data.len() as u64
                } else {
                    self.partial(data.len() as u64)
                };
                self.conns.descs[d]
                    .inbox
                    .extend_from_slice(&data[..n as usize]);
                Started::Done(Ok(n))
            }
            Op::Recv { len, .. } => self.recv(track.member, d, *len),
            _ => unreachable!("{op:?} on a socket"),
        }
    }

    /// A socket read: what the server sent, end-of-file once it died, or
    /// nothing yet.
    pub fn recv(&mut self, m: usize, d: usize, len: usize) -> Started {
        let available = self.conns.descs[d].outbox.len() as u64;
        if available > 0 {
            let n = self.partial(available.min(len as u64));
            let bytes: Vec<u8> = self.conns.descs[d].outbox.drain(..n as usize).collect();
            self.app_received(m, &bytes);
            return Started::Done(Ok(n));
        }
        if !self.server.alive(&self.conns.descs[d]) {
            return Started::Done(if self.rng.chance(500) {
                Ok(0)
            } else {
                err(libc::ECONNRESET)
            });
        }
        Started::Blocked
    }

    /// Whether a blocked read on description `d` can go on.
    pub fn recv_ready(&self, d: usize) -> bool {
        let desc = &self.conns.descs[d];
        !desc.outbox.is_empty() || !self.server.alive(desc)
    }

    /// The server reads what its connections sent and answers each complete
    /// request; a poison request kills its connection.
    pub fn serve(&mut self) {
        for d in self.live_descs() {
            let desc = &self.conns.descs[d];
            if !self.server.alive(desc) || desc.inbox.is_empty() {
                continue;
            }
            if desc.doomed {
                self.crash();
                return;
            }
            while let Some((id, poison, len)) = protocol::parse(&self.conns.descs[d].inbox) {
                let request: Vec<u8> = self.conns.descs[d].inbox.drain(..len).collect();
                let runs = self.server.run_request(id);
                self.app_request_run(id, runs);
                if poison {
                    // Not a death of the world's: the request is the
                    // client's own, and a replay sends it again.
                    self.conns.descs[d].killed = true;
                    self.trace(|| {
                        format!("server: request {id} is poison: it kills its connection")
                    });
                    break;
                }
                if self.fault(self.setup.faults.during_op) {
                    self.kill_server("after running a request, before answering it");
                    break;
                }
                self.conns.descs[d]
                    .outbox
                    .extend(protocol::answer(&request));
            }
        }
    }

    /// Whether the server has requests to read.
    pub fn has_work(&mut self) -> bool {
        self.live_descs().any(|d| {
            let desc = &self.conns.descs[d];
            self.server.alive(desc) && protocol::parse(&desc.inbox).is_some()
        })
    }

    /// The descriptions opened on the server's current incarnation: the
    /// others are dead. Descriptions are made in time order and incarnations
    /// only grow, so the older ones are a prefix, skipped once.
    fn live_descs(&mut self) -> std::ops::Range<usize> {
        let descs = &self.conns.descs;
        while self.live_from < descs.len()
            && descs[self.live_from].incarnation < self.server.incarnation
        {
            self.live_from += 1;
        }
        self.live_from..descs.len()
    }

    /// A crash-looping server dies at a connection's first request; its
    /// supervisor restarts it at once.
    pub fn crash(&mut self) {
        self.server.crashes += 1;
        let restart = self.clock.now() + Duration::from_micros(self.rng.range(0, 2000));
        self.server.kill(restart);
        self.trace(|| "server: crashes on a connection's first request".into());
    }
}

fn op_reads(op: &Op) -> bool {
    matches!(op, Op::Read { .. } | Op::ReadAt { .. })
}
