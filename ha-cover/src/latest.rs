//! The connection a recovery made, kept for the members of a group that have
//! not moved to it yet: what the sync and the async cover share about it.
//!
//! Members move on their next operation. A seek is the one operation that
//! succeeds on a dead connection (the kernel alone keeps a file's position),
//! so a member may have moved the dead connection's position after the
//! recovery read it: the new connection follows such a seek when it is put
//! in place (`fresh::follow_seeks`), and a seek that ran while a recovery ended is
//! made again on the new connection by the covers.

use std::io;

/// The newest connection of a group, and who still has to move to it.
pub(crate) struct Latest<C> {
    conn: Option<C>,
    /// Members still to move to `conn`; it is closed when the last has.
    behind: usize,
}

impl<C> Default for Latest<C> {
    fn default() -> Self {
        Self {
            conn: None,
            behind: 0,
        }
    }
}

impl<C: Send + 'static> Latest<C> {
    /// Makes `fresh` the connection all `members` move to.
    pub fn install(&mut self, fresh: C, members: usize) {
        self.behind = members;
        if let Some(previous) = self.conn.replace(fresh) {
            crate::background_close::close_later(previous);
        }
    }

    /// Whether a connection waits for members to move to it.
    pub fn is_some(&self) -> bool {
        self.conn.is_some()
    }

    /// One more member to move (a dup of a member that has not moved yet).
    pub fn one_more_behind(&mut self) {
        self.behind += 1;
    }

    /// A member's own connection to the newest one: the group's copy itself
    /// for the last member to move, a duplicate (`dup`) for the others.
    pub fn take(&mut self, dup: impl FnOnce(&C) -> io::Result<C>) -> io::Result<C> {
        let latest = self.conn.as_ref().expect("a recovery made one");
        let own = if self.behind <= 1 {
            self.conn.take().expect("checked")
        } else {
            dup(latest)?
        };
        self.behind = self.behind.saturating_sub(1);
        Ok(own)
    }

    /// A member left (dropped or detached) before moving to the newest.
    pub fn member_left(&mut self, was_behind: bool) {
        if was_behind && self.conn.is_some() {
            self.behind = self.behind.saturating_sub(1);
            if self.behind == 0
                && let Some(copy) = self.conn.take()
            {
                crate::background_close::close_later(copy);
            }
        }
    }
}
