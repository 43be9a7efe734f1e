//! A descriptor's group: the state an HA-aware descriptor shares with its
//! `ha_dup`s (QNX's reference-counted entry), and each member.
//!
//! The recovery state is the engine's ([`Shared`]): one recovery at a time
//! for the group, the others waiting for it, counters, policy and ledger.
//! What this front end keeps beside it is the C recovery function and the
//! group's descriptor numbers.

use std::sync::Arc;

use ha_cover_engine::{Config, Group as EngineGroup, Kind, Policy, Shared, Target, WritePolicy};
use ha_cover_rt::Origin;
use libc::{c_int, c_void};

use crate::append_slot::AppendSlot;

/// One HA-aware descriptor number.
#[derive(Debug)]
pub(crate) struct Member {
    pub fd: c_int,
    pub group: Arc<Group>,
}

/// Everything one recovery serves.
#[derive(Debug)]
pub(crate) struct Group {
    pub kind: Kind,
    pub origin: Origin,
    pub shared: Shared<Ext>,
    /// An append-mode file, whose appends go one at a time (see
    /// `append_slot.rs`).
    pub append: bool,
    pub append_slot: AppendSlot,
}

/// What the C front end keeps for a group, under the engine's lock (never
/// held while the recovery function runs, which may call `ha_reopen` or
/// `ha_connection_ctrl`).
#[derive(Debug)]
pub(crate) struct Ext {
    pub recovery: RecoveryFn,
    /// The descriptor numbers of the group, for `ha_reopen` to re-point.
    /// Entries may outlive a member closed behind the library's back; users
    /// check the table.
    pub members: Vec<c_int>,
    /// Where the dead connection was, kept by a recovery that gave up after
    /// its function had put another connection under the numbers, for the
    /// recoveries after it, until one installs a connection (the numbers' own
    /// position is then the other connection's).
    pub dead_position: Option<u64>,
}

/// A C recovery function and its handle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecoveryFn {
    pub func: unsafe extern "C" fn(c_int, *mut c_void) -> c_int,
    pub handle: Handle,
}

/// The caller's opaque handle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Handle(pub *mut c_void);

// SAFETY: the library only passes the handle back to the caller's recovery
// function, which QNX's API already calls on whichever thread failed.
unsafe impl Send for Handle {}

impl Group {
    pub fn new(
        kind: Kind,
        origin: Origin,
        append: bool,
        write_policy: WritePolicy,
        recovery: RecoveryFn,
    ) -> Self {
        let group = EngineGroup::new(Config {
            kind,
            append,
            policy: Policy {
                write_policy,
                progress: crate::log::settings().progress,
                ..Policy::default()
            },
            sink: crate::log::sink(),
            seed: ha_cover_rt::frontend::random_seed(),
            name: None,
            target: target_of(&origin),
        });
        Self {
            kind,
            origin,
            append: append && kind == Kind::File,
            append_slot: AppendSlot::default(),
            shared: Shared::new(
                group,
                Ext {
                    recovery,
                    members: Vec::new(),
                    dead_position: None,
                },
            ),
        }
    }
}

/// Where a descriptor leads, as logs and events name it.
fn target_of(origin: &Origin) -> Target {
    match origin {
        Origin::File { path, .. } => Target::Path(path.clone()),
        Origin::Socket(peer) => Target::Peer(peer.to_string()),
        _ => Target::Unknown,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    unsafe extern "C" fn never(_: c_int, _: *mut c_void) -> c_int {
        -1
    }

    /// A member of a group of its own, for tests that need one.
    pub(crate) fn member_for_tests(fd: c_int) -> Arc<Member> {
        let recovery = RecoveryFn {
            func: never,
            handle: Handle(std::ptr::null_mut()),
        };
        let group = Group::new(
            Kind::File,
            Origin::Unknown,
            false,
            WritePolicy::Never,
            recovery,
        );
        Arc::new(Member {
            fd,
            group: Arc::new(group),
        })
    }
}
