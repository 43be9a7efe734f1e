//! What a socket member has sent that the server has not answered yet: the bytes a
//! dead peer may have lost, and, under the replay policy, a copy to send again.

use crate::policy::WritePolicy;

/// A connection group's sent-but-unanswered bytes. A read that returns data
/// answers everything sent before it (the protocols covered are request and
/// answer); whatever member of a group sent or read.
#[derive(Debug)]
pub struct Ledger {
    unanswered: u64,
    replay: Option<ReplayBuffer>,
}

#[derive(Debug)]
struct ReplayBuffer {
    bytes: Vec<u8>,
    overflowed: bool,
}

impl Ledger {
    /// Allocates the replay buffer once, here, so keeping it costs no allocation on
    /// the path with no failure.
    pub fn new(keeps_bytes: bool, policy: WritePolicy, capacity: usize) -> Self {
        let replay = (keeps_bytes && policy == WritePolicy::Replay).then(|| ReplayBuffer {
            bytes: Vec::with_capacity(capacity),
            overflowed: false,
        });
        Self {
            unanswered: 0,
            replay,
        }
    }

    /// Counts `bytes` as sent and not answered yet.
    #[inline]
    pub fn sent(&mut self, bytes: &[u8]) {
        self.unanswered += bytes.len() as u64;
        if let Some(replay) = &mut self.replay {
            // Never grow: a request larger than the capacity is simply not
            // replayable, and the caller learns so if the connection fails.
            if replay.bytes.capacity() - replay.bytes.len() >= bytes.len() {
                replay.bytes.extend_from_slice(bytes);
            } else {
                replay.overflowed = true;
            }
        }
    }

    /// The server answered: nothing sent so far can be lost any more.
    #[inline]
    pub fn answered(&mut self) {
        // Nothing unanswered means nothing kept either: a read, the common
        // case, then costs one comparison.
        if self.unanswered != 0 {
            self.unanswered = 0;
            if let Some(replay) = &mut self.replay {
                replay.bytes.clear();
                replay.overflowed = false;
            }
        }
    }

    /// The unanswered bytes will not be sent again: a recovery gave up on
    /// them and the operations under way were told the exchange failed. They
    /// stay counted until an answer or a recovery (which reports them
    /// indeterminate); a replay would run a request its client abandoned.
    pub fn forget_copy(&mut self) {
        if self.unanswered != 0
            && let Some(replay) = &mut self.replay
        {
            replay.bytes.clear();
            replay.overflowed = true;
        }
    }

    /// Bytes sent since the last answer.
    pub fn unanswered(&self) -> u64 {
        self.unanswered
    }

    /// The bytes to send again, when all of them were kept.
    pub fn replayable(&self) -> Option<&[u8]> {
        self.replay
            .as_ref()
            .filter(|r| !r.overflowed)
            .map(|r| &r.bytes[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_was_sent_until_an_answer() {
        let mut ledger = Ledger::new(true, WritePolicy::Replay, 8);
        ledger.sent(b"GET ");
        ledger.sent(b"a\n");
        assert_eq!(ledger.unanswered(), 6);
        assert_eq!(ledger.replayable(), Some(&b"GET a\n"[..]));
        ledger.answered();
        assert_eq!(
            (ledger.unanswered(), ledger.replayable()),
            (0, Some(&b""[..]))
        );
    }

    #[test]
    fn overflow_makes_it_unreplayable_without_growing() {
        let mut ledger = Ledger::new(true, WritePolicy::Replay, 4);
        ledger.sent(b"12345");
        assert_eq!(ledger.replayable(), None);
        assert_eq!(ledger.unanswered(), 5);
        ledger.answered();
        ledger.sent(b"1234");
        assert_eq!(ledger.replayable(), Some(&b"1234"[..]));
    }

    #[test]
    fn a_forgotten_copy_is_not_replayable_until_an_answer() {
        let mut ledger = Ledger::new(true, WritePolicy::Replay, 8);
        ledger.sent(b"GET ");
        ledger.forget_copy();
        ledger.sent(b"a\n");
        assert_eq!((ledger.unanswered(), ledger.replayable()), (6, None));
        ledger.answered();
        ledger.sent(b"b\n");
        assert_eq!(ledger.replayable(), Some(&b"b\n"[..]));
    }

    #[test]
    fn other_policies_count_without_keeping() {
        let mut ledger = Ledger::new(true, WritePolicy::Never, 1024);
        ledger.sent(b"abc");
        assert_eq!((ledger.unanswered(), ledger.replayable()), (3, None));
    }
}
