//! The simulated server: a file with content, and a socket service that
//! answers requests. It dies (every connection opened on it dies with it),
//! comes back after a downtime as a new incarnation, can crash-loop (every
//! connection opened meanwhile kills it at its first request), and keeps what
//! outlives a process: the file, and how many times each request was run.

use std::time::Instant;

use super::conns::Description;

#[derive(Debug, Default)]
pub struct Server {
    pub up: bool,
    pub incarnation: u64,
    /// Times it came back: what a watcher sees.
    pub restarts: u64,
    pub restart_at: Option<Instant>,
    pub file: Vec<u8>,
    pub crash_loop_until: Option<Instant>,
    /// Per request id, how many times it was run.
    pub processed: Vec<u32>,
    /// Deaths the faults caused (kills, resets; not a poison request's).
    pub deaths: u64,
    /// Deaths a crash loop caused (a connection's first request).
    pub crashes: u64,
}

impl Server {
    pub fn new(file: Vec<u8>) -> Self {
        Self {
            up: true,
            file,
            ..Self::default()
        }
    }

    /// Whether a connection on description `d` still reaches a server.
    pub fn alive(&self, d: &Description) -> bool {
        self.up && d.incarnation == self.incarnation && !d.killed
    }

    /// A description for a connection opened now, if the server accepts one.
    pub fn accept(&self, now: Instant) -> Option<Description> {
        self.up.then(|| Description {
            incarnation: self.incarnation,
            doomed: self.crash_loop_until.is_some_and(|until| now < until),
            ..Description::default()
        })
    }

    /// The process dies; a supervisor restarts it at `restart_at`.
    pub fn kill(&mut self, restart_at: Instant) {
        if self.up {
            self.up = false;
            self.incarnation += 1;
        }
        self.restart_at = Some(match self.restart_at {
            Some(at) => at.max(restart_at),
            None => restart_at,
        });
    }

    /// Time passes: a restart that is due happens.
    pub fn tick(&mut self, now: Instant) {
        if let Some(at) = self.restart_at
            && at <= now
        {
            self.restart_at = None;
            self.up = true;
            self.restarts += 1;
        }
        if self.crash_loop_until.is_some_and(|until| until <= now) {
            self.crash_loop_until = None;
        }
    }

    pub fn run_request(&mut self, id: u32) -> u32 {
        let i = id as usize;
        if self.processed.len() <= i {
            self.processed.resize(i + 1, 0);
        }
        self.processed[i] += 1;
        self.processed[i]
    }
}

/// The request and answer protocol of the socket service.
pub mod protocol {
    pub const HEADER: usize = 8;
    pub const ANSWER: usize = 8;

    pub fn request(id: u32, payload: &[u8], poison: bool) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(HEADER + payload.len());
        bytes.extend_from_slice(&id.to_le_bytes());
        bytes.extend_from_slice(&(payload.len() as u16).to_le_bytes());
        bytes.push(u8::from(poison));
        bytes.push(0);
        bytes.extend_from_slice(payload);
        bytes
    }

    /// The first complete request in `bytes`: its id, whether it is poison,
    /// and its length.
    pub fn parse(bytes: &[u8]) -> Option<(u32, bool, usize)> {
        if bytes.len() < HEADER {
            return None;
        }
        let id = u32::from_le_bytes(bytes[..4].try_into().unwrap());
        let len = HEADER + usize::from(u16::from_le_bytes(bytes[4..6].try_into().unwrap()));
        (bytes.len() >= len).then_some((id, bytes[6] != 0, len))
    }

    pub fn answer(request: &[u8]) -> [u8; ANSWER] {
        let mut answer = [0; ANSWER];
        answer[..4].copy_from_slice(&request[..4]);
        answer[4..].copy_from_slice(&checksum(&request[HEADER..]).to_le_bytes());
        answer
    }

    pub fn checksum(payload: &[u8]) -> u32 {
        payload.iter().fold(0x811c_9dc5_u32, |h, &b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        })
    }
}
