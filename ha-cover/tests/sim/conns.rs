//! Simulated connections: descriptors, and the open descriptions they share
//! (a dup is another descriptor on the same description: one position, one
//! fate). A description belongs to one incarnation of the server and dies
//! with it, or on its own (a connection reset, a poison request).

use std::collections::VecDeque;

/// A descriptor number.
pub type Fd = usize;

#[derive(Debug, Default)]
pub struct Description {
    /// The incarnation of the server it was opened on.
    pub incarnation: u64,
    /// Died on its own.
    pub killed: bool,
    /// Opened on a crash-looping server: its first request kills the server.
    pub doomed: bool,
    /// The file position (the kernel keeps it after the server died).
    pub pos: u64,
    /// An operation that moves the position is under way (the kernel's
    /// `f_pos` lock: such operations on one description run one at a time).
    pub busy: bool,
    /// Bytes sent to the server that it has not read yet (sockets).
    pub inbox: Vec<u8>,
    /// Bytes the server sent that the client has not read yet; readable after
    /// the server died, as a Unix socket's are.
    pub outbox: VecDeque<u8>,
    /// Appends applied through it whose writers never learned it.
    pub lost_appends: Vec<u64>,
    pub refs: u32,
}

#[derive(Debug, Default)]
pub struct Conns {
    /// Each descriptor's description, `None` once closed.
    fds: Vec<Option<usize>>,
    pub descs: Vec<Description>,
    open: usize,
}

impl Conns {
    /// A new descriptor on a new description.
    pub fn open(&mut self, description: Description) -> Fd {
        self.descs.push(Description {
            refs: 1,
            ..description
        });
        self.fds.push(Some(self.descs.len() - 1));
        self.open += 1;
        self.fds.len() - 1
    }

    /// Another descriptor on `fd`'s description.
    pub fn dup(&mut self, fd: Fd) -> Fd {
        let d = self.desc_of(fd);
        self.descs[d].refs += 1;
        self.fds.push(Some(d));
        self.open += 1;
        self.fds.len() - 1
    }

    pub fn close(&mut self, fd: Fd) {
        let d = self.fds[fd].take().expect("closed twice");
        self.descs[d].refs -= 1;
        self.open -= 1;
    }

    pub fn is_open(&self, fd: Fd) -> bool {
        self.fds.get(fd).is_some_and(Option::is_some)
    }

    /// The description of an open descriptor.
    pub fn desc_of(&self, fd: Fd) -> usize {
        self.fds[fd].expect("a closed descriptor used")
    }

    pub fn desc(&self, fd: Fd) -> &Description {
        &self.descs[self.desc_of(fd)]
    }

    pub fn desc_mut(&mut self, fd: Fd) -> &mut Description {
        let d = self.desc_of(fd);
        &mut self.descs[d]
    }

    /// Descriptors open now.
    pub fn open_count(&self) -> usize {
        self.open
    }
}
