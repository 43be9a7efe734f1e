//! A client riding through Sentinel failovers: the workload it runs through a
//! covered connection, and what its record says once the failovers are over.
//!
//! The client appends numbers to a list (`RPUSH log <n>`, not idempotent:
//! applied twice, a number would appear twice) and reads the list's tail now
//! and then (`LINDEX log -1`). Under the `never` write policy a write whose
//! fate is unknown comes back indeterminate and is not sent again; a read is
//! sent again by the client, since reading twice harms nothing.
//!
//! [`judge`] holds the record against the failovers the world made and the
//! list the last primary holds:
//! - every acknowledged write was acknowledged by the primary of its time,
//!   from the kill that had it promoted to its own death (never by a
//!   replica: a `READONLY` refusal is not counted as done);
//! - every acknowledged write is in the list, or was acknowledged by a
//!   primary that was killed before replicating it: Redis replicates
//!   asynchronously, and those writes are Redis's loss, counted apart;
//! - no number is in the list twice;
//! - per failover: when the sentinels announced the new primary, and when
//!   the client had its next write acknowledged.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ha_cover_world::Failover;
use ha_cover_world::resp::Resp;

/// One write the primary acknowledged.
#[derive(Debug, Clone, Copy)]
pub struct Ack {
    /// The number appended.
    pub value: u64,
    /// When the request was sent: the node answered between this and `at`.
    pub sent: Instant,
    /// When the acknowledgement arrived.
    pub at: Instant,
    /// Where the cover was connected then (the handle's `#[ha(addr)]`).
    pub primary: SocketAddr,
}

/// What the client saw.
#[derive(Debug, Default)]
pub struct Ride {
    /// Writes acknowledged, in order.
    pub acked: Vec<Ack>,
    /// Writes the cover reported indeterminate (not sent again).
    pub indeterminate: Vec<u64>,
    /// Writes a node refused as a replica (`READONLY`): not done.
    pub readonly: Vec<u64>,
    /// Reads answered.
    pub reads: u64,
    /// Reads the client sent again after an indeterminate outcome.
    pub reads_again: u64,
    next: u64,
    turn: u64,
    read_again: bool,
}

/// The next request of the workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// `RPUSH log <n>`.
    Write(u64),
    /// `LINDEX log -1`.
    Read,
}

impl Request {
    /// The command's words.
    pub fn args(&self) -> Vec<String> {
        match self {
            Request::Write(n) => vec!["RPUSH".into(), "log".into(), n.to_string()],
            Request::Read => vec!["LINDEX".into(), "log".into(), "-1".into()],
        }
    }
}

impl Ride {
    /// The next request: a write, and a read after every fourth.
    pub fn next_request(&mut self) -> Request {
        self.turn += 1;
        if std::mem::take(&mut self.read_again) || self.turn.is_multiple_of(4) {
            return Request::Read;
        }
        self.next += 1;
        Request::Write(self.next)
    }

    /// Records the outcome of `request`, sent at `sent`, answered (or not) at
    /// `at`, through a cover connected to `primary` then. An error other than
    /// an indeterminate outcome ends the ride.
    pub fn record(
        &mut self,
        request: Request,
        (sent, at): (Instant, Instant),
        outcome: io::Result<Resp>,
        primary: SocketAddr,
    ) -> io::Result<()> {
        let indeterminate = matches!(&outcome, Err(e) if ha_cover::is_indeterminate(e));
        match (request, outcome) {
            (Request::Write(value), Ok(Resp::Integer(_))) => self.acked.push(Ack {
                value,
                sent,
                at,
                primary,
            }),
            (Request::Write(value), Ok(Resp::Error(e))) if e.starts_with("READONLY") => {
                self.readonly.push(value);
            }
            (Request::Write(value), Err(_)) if indeterminate => self.indeterminate.push(value),
            (Request::Read, Ok(Resp::Bulk(_))) => self.reads += 1,
            (Request::Read, Err(_)) if indeterminate => {
                self.reads_again += 1;
                self.read_again = true;
            }
            (request, Ok(reply)) => {
                return Err(io::Error::other(format!("{request:?}: {reply:?}")));
            }
            (request, Err(e)) => {
                return Err(io::Error::new(e.kind(), format!("{request:?}: {e}")));
            }
        }
        Ok(())
    }
}

/// One failover as the sentinels and the client saw it.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    /// The world's record of it.
    pub failover: Failover,
    /// The client's last acknowledged write before the kill.
    pub last_before: Option<Instant>,
    /// The client's first acknowledged write after the kill.
    pub first_after: Option<Instant>,
}

impl Seen {
    /// From the kill to the sentinels' announcement.
    pub fn sentinel_time(&self) -> Duration {
        self.failover.sentinel_time()
    }

    /// From the kill to the client's next acknowledged write.
    pub fn client_downtime(&self) -> Option<Duration> {
        Some(self.first_after? - self.failover.killed)
    }

    /// From the announcement to the client's next acknowledged write, in
    /// milliseconds: negative when the client found the new primary before
    /// the announcement reached the world.
    pub fn lag_ms(&self) -> Option<f64> {
        Some(signed_ms(self.failover.announced, self.first_after?))
    }

    /// From the leader's promotion of the new primary (`+promoted-slave`) to
    /// the client's next acknowledged write, in milliseconds.
    pub fn lag_after_promotion_ms(&self) -> Option<f64> {
        Some(signed_ms(self.failover.promoted?, self.first_after?))
    }
}

/// `to - from` in milliseconds, negative when `to` is earlier.
fn signed_ms(from: Instant, to: Instant) -> f64 {
    if to >= from {
        (to - from).as_secs_f64() * 1e3
    } else {
        -(from - to).as_secs_f64() * 1e3
    }
}

/// The record held against the world.
#[derive(Debug)]
pub struct Verdict {
    /// Each failover, in order.
    pub failovers: Vec<Seen>,
    /// Acknowledged writes missing from the final list, each acknowledged by
    /// a primary that was then killed: Redis's asynchronous replication.
    pub lost: Vec<Ack>,
    /// Acknowledged writes missing from the final list that no kill explains.
    pub vanished: Vec<Ack>,
    /// Acknowledged writes whose node was not the primary of their time.
    pub misplaced: Vec<Ack>,
    /// Numbers in the final list more than once.
    pub duplicates: Vec<u64>,
    /// Indeterminate writes found in the final list.
    pub indeterminate_applied: usize,
    /// Writes acknowledged, indeterminate, refused as by a replica.
    pub counts: (usize, usize, usize),
}

/// The time a node was the primary: from the kill that had it promoted (or
/// the start) to its own death (or the end).
struct Era {
    node: SocketAddr,
    from: Option<Instant>,
    until: Option<Instant>,
}

impl Era {
    /// Whether the node may have answered `ack` as the primary: it was one
    /// at some moment between the request and its answer.
    fn holds(&self, ack: &Ack) -> bool {
        ack.primary == self.node
            && self.from.is_none_or(|from| from <= ack.at)
            && self.until.is_none_or(|until| ack.sent <= until)
    }
}

/// Holds `ride` against the failovers the world made (starting from
/// `initial`, the first primary) and `list`, the final primary's `log`.
pub fn judge(ride: &Ride, initial: SocketAddr, failovers: &[Failover], list: &[u64]) -> Verdict {
    let mut seen_count = std::collections::HashMap::new();
    for value in list {
        *seen_count.entry(*value).or_insert(0usize) += 1;
    }
    let mut duplicates: Vec<u64> = seen_count
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(v, _)| *v)
        .collect();
    duplicates.sort_unstable();
    let eras: Vec<Era> = std::iter::once(Era {
        node: initial,
        from: None,
        until: failovers.first().map(|f| f.died),
    })
    .chain(failovers.iter().enumerate().map(|(i, f)| Era {
        node: f.to,
        from: Some(f.killed),
        until: failovers.get(i + 1).map(|next| next.died),
    }))
    .collect();
    let era_of = |ack: &Ack| eras.iter().find(|era| era.holds(ack));
    let misplaced = ride
        .acked
        .iter()
        .filter(|a| era_of(a).is_none())
        .copied()
        .collect();
    let (mut lost, mut vanished) = (Vec::new(), Vec::new());
    for ack in ride
        .acked
        .iter()
        .filter(|a| !seen_count.contains_key(&a.value))
    {
        // Lost with its primary, when that primary was killed after it.
        match era_of(ack) {
            Some(era) if era.until.is_some() => lost.push(*ack),
            _ => vanished.push(*ack),
        }
    }
    let failovers = failovers
        .iter()
        .map(|&failover| Seen {
            failover,
            last_before: ride
                .acked
                .iter()
                .rev()
                .find(|a| a.at < failover.killed)
                .map(|a| a.at),
            first_after: ride
                .acked
                .iter()
                .find(|a| a.at > failover.killed && a.primary == failover.to)
                .map(|a| a.at),
        })
        .collect();
    Verdict {
        failovers,
        lost,
        vanished,
        misplaced,
        duplicates,
        indeterminate_applied: ride
            .indeterminate
            .iter()
            .filter(|v| seen_count.contains_key(v))
            .count(),
        counts: (
            ride.acked.len(),
            ride.indeterminate.len(),
            ride.readonly.len(),
        ),
    }
}

impl Verdict {
    /// The lags in milliseconds, one per failover the client rode through.
    pub fn lags_ms(&self) -> Vec<f64> {
        self.failovers.iter().filter_map(Seen::lag_ms).collect()
    }

    /// The longest time, before its kill, at which a lost write had been
    /// acknowledged.
    pub fn loss_window(&self) -> Option<Duration> {
        self.lost
            .iter()
            .filter_map(|ack| {
                let killed = self
                    .failovers
                    .iter()
                    .map(|s| s.failover)
                    .find(|f| f.from == ack.primary && f.died >= ack.at)?
                    .killed;
                Some(killed.saturating_duration_since(ack.at))
            })
            .max()
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (acked, indeterminate, readonly) = self.counts;
        writeln!(
            f,
            "{acked} writes acknowledged, {indeterminate} indeterminate ({} of them applied), {readonly} refused as by a replica",
            self.indeterminate_applied
        )?;
        for (n, seen) in self.failovers.iter().enumerate() {
            let failover = &seen.failover;
            write!(
                f,
                "failover {}: {} -> {}: sentinels announced after {}",
                n + 1,
                failover.from,
                failover.to,
                ms(failover.sentinel_time())
            )?;
            if let Some(promoted) = failover.promoted {
                write!(f, " (promoted at {})", ms(promoted - failover.killed))?;
            }
            match (seen.client_downtime(), seen.lag_ms()) {
                (Some(down), Some(lag)) => writeln!(
                    f,
                    ", client's next write acknowledged after {} ({lag:+.1} ms from the announcement)",
                    ms(down)
                )?,
                _ => writeln!(f, ", no write acknowledged after it")?,
            }
        }
        write!(
            f,
            "{} acknowledged writes lost by Redis's asynchronous replication (acknowledged by a primary that was SIGKILLed before its replicas had them",
            self.lost.len()
        )?;
        match self.loss_window() {
            Some(window) => write!(f, ", at most {} before the kill)", ms(window))?,
            None => write!(f, ")")?,
        }
        write!(
            f,
            "; {} lost otherwise, {} acknowledged off the primary, {} applied twice",
            self.vanished.len(),
            self.misplaced.len(),
            self.duplicates.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    #[test]
    fn the_record_is_held_against_each_primary_s_time() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let (a, b) = (addr(1), addr(2));
        let failover = Failover {
            from: a,
            to: b,
            killed: at(100),
            died: at(110),
            announced: at(3000),
            promoted: Some(at(2950)),
            settled: at(5000),
        };
        let ack = |value, ms, primary| Ack {
            value,
            sent: at(ms - 1),
            at: at(ms),
            primary,
        };
        let ride = Ride {
            acked: vec![
                ack(1, 10, a),
                ack(2, 99, a),
                // The reply was on its way when the kill was sent.
                ack(3, 105, a),
                // Sent before a died, the answer read late.
                ack(6, 111, a),
                ack(4, 2955, b),
                // a, dead, cannot have answered this.
                ack(5, 2960, a),
            ],
            ..Ride::default()
        };
        // 2, 3 and 6 did not reach b before a died; 4 is there twice.
        let verdict = judge(&ride, a, &[failover], &[1, 4, 4]);
        let values = |acks: &[Ack]| acks.iter().map(|a| a.value).collect::<Vec<_>>();
        assert_eq!(values(&verdict.misplaced), [5]);
        assert_eq!(values(&verdict.lost), [2, 3, 6]);
        assert_eq!(values(&verdict.vanished), [5]);
        assert_eq!(verdict.duplicates, [4]);
        assert_eq!(verdict.loss_window(), Some(Duration::from_millis(1)));
        let seen = &verdict.failovers[0];
        assert_eq!(seen.client_downtime(), Some(Duration::from_millis(2855)));
        assert_eq!(seen.lag_after_promotion_ms().map(f64::round), Some(5.0));
        assert_eq!(seen.lag_ms().map(f64::round), Some(-45.0));
    }
}
