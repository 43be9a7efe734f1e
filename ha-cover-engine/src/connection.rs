//! What logs, events and metrics call a connection: the name its user chose,
//! its kind, and where it leads.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::op::Kind;

/// Where a connection leads, as the front end that opened it knows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Target {
    /// A file opened at this path.
    Path(PathBuf),
    /// A socket connected to this peer, as the front end writes it
    /// (`unix:/run/app.sock`, `tcp:127.0.0.1:6379`).
    Peer(String),
    /// Nothing known (a connection attached from elsewhere).
    Unknown,
}

/// A connection group as logs, [`Event`](crate::Event)s, metrics and `Debug`
/// name it: the name its user chose (`Builder::name`), its kind, its path or
/// peer.
///
/// Displayed as `"orders" (/mnt/fuse/orders.db)` with a name,
/// `/mnt/fuse/orders.db` or `unix:/run/app.sock` without.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConnectionInfo {
    name: Option<Arc<str>>,
    kind: Kind,
    target: Target,
}

impl ConnectionInfo {
    /// A connection of `kind` leading to `target`, with no name.
    pub fn new(kind: Kind, target: Target) -> Self {
        Self {
            name: None,
            kind,
            target,
        }
    }

    /// The same, named `name` (an empty name is no name).
    pub fn named(mut self, name: Option<Arc<str>>) -> Self {
        self.name = name.filter(|name| !name.is_empty());
        self
    }

    /// The name its user chose.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Its kind.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Where it leads.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The path of a file connection.
    pub fn path(&self) -> Option<&Path> {
        match &self.target {
            Target::Path(path) => Some(path),
            _ => None,
        }
    }

    /// The peer of a socket connection, as written.
    pub fn peer(&self) -> Option<&str> {
        match &self.target {
            Target::Peer(peer) => Some(peer),
            _ => None,
        }
    }

    /// `file` or `socket`: the value of the `kind` label and field.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::File => "file",
            Kind::Socket => "socket",
        }
    }
}

impl fmt::Display for ConnectionInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = TargetText(self);
        match &self.name {
            Some(name) => write!(f, "\"{name}\" ({place})"),
            None => write!(f, "{place}"),
        }
    }
}

struct TargetText<'a>(&'a ConnectionInfo);

impl fmt::Display for TargetText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.target {
            Target::Path(path) => write!(f, "{}", path.display()),
            Target::Peer(peer) => f.write_str(peer),
            Target::Unknown => write!(f, "a {} of unknown origin", self.0.kind_name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displayed_by_name_and_place() {
        let file = ConnectionInfo::new(Kind::File, Target::Path("/mnt/fuse/data".into()));
        assert_eq!(file.to_string(), "/mnt/fuse/data");
        let named = file.named(Some("orders".into()));
        assert_eq!(named.to_string(), "\"orders\" (/mnt/fuse/data)");
        let socket = ConnectionInfo::new(Kind::Socket, Target::Peer("tcp:127.0.0.1:6379".into()));
        assert_eq!(socket.to_string(), "tcp:127.0.0.1:6379");
        let unknown = ConnectionInfo::new(Kind::Socket, Target::Unknown).named(Some("".into()));
        assert_eq!(unknown.to_string(), "a socket of unknown origin");
    }
}
