//! A supervised OpenSSH daemon on a loopback port, serving SFTP to one key
//! made for it: the server side of an sshfs mount.
//!
//! The daemon forks a process for each connection, in a session of its own,
//! which outlives the daemon: killing the daemon alone (as a restart of the
//! service does) leaves every sshfs connection served. [`SshServer::crash`]
//! kills the sessions too, as a crash of the server machine's sshd would.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use crate::port::free_loopback_port;
use crate::supervisor::{Readiness, ServerSpec, Supervisor};

/// sshd refuses to start without its privilege separation directory, which a
/// system that never ran the service lacks.
const PRIVSEP_DIR: &str = "/run/sshd";

/// Where sshd is: it must be run by its absolute path (it re-executes itself).
pub fn sshd_path() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("sshd"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        let usual = PathBuf::from("/usr/sbin/sshd");
        usual.is_file().then_some(usual)
    })
}

/// A supervised sshd; dropping it kills the daemon and its sessions.
#[derive(Debug)]
pub struct SshServer {
    supervisor: Supervisor,
    addr: SocketAddr,
    client_key: PathBuf,
    known_hosts: PathBuf,
    dir: TempDir,
}

impl SshServer {
    /// Makes a host key and a client key, and starts sshd on a free loopback
    /// port accepting only the client key, for the user running the tests.
    pub fn start() -> io::Result<SshServer> {
        let sshd = sshd_path()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no sshd (openssh-server)"))?;
        if !Path::new(PRIVSEP_DIR).is_dir() {
            std::fs::create_dir_all(PRIVSEP_DIR).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("sshd needs {PRIVSEP_DIR}, which cannot be made: {e}"),
                )
            })?;
        }
        let dir = tempfile::Builder::new().prefix("ha-sshd-").tempdir()?;
        let base = dir.path();
        let (host_key, client_key) = (base.join("host_key"), base.join("client_key"));
        for key in [&host_key, &client_key] {
            keygen(key)?;
        }
        std::fs::copy(
            client_key.with_extension("pub"),
            base.join("authorized_keys"),
        )?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_loopback_port()?));
        let known_hosts = base.join("known_hosts");
        let host_pub = std::fs::read_to_string(host_key.with_extension("pub"))?;
        let mut words = host_pub.split_whitespace();
        let (kind, key) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        std::fs::write(
            &known_hosts,
            format!("[{}]:{} {kind} {key}\n", addr.ip(), addr.port()),
        )?;
        let config = base.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {port}\n\
                 ListenAddress {ip}\n\
                 HostKey {host_key}\n\
                 PidFile none\n\
                 AuthorizedKeysFile {base}/authorized_keys\n\
                 PubkeyAuthentication yes\n\
                 PasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\n\
                 PermitRootLogin prohibit-password\n\
                 StrictModes no\n\
                 UsePAM no\n\
                 Subsystem sftp internal-sftp\n\
                 LogLevel ERROR\n",
                port = addr.port(),
                ip = addr.ip(),
                host_key = host_key.display(),
                base = base.display(),
            ),
        )?;
        let spec = ServerSpec::new("sshd", sshd, Readiness::Tcp(addr))
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .log(base.join("server.log"));
        Ok(SshServer {
            supervisor: Supervisor::start(spec)?,
            addr,
            client_key,
            known_hosts,
            dir,
        })
    }

    /// Where sshd listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The key it accepts.
    pub fn client_key(&self) -> &Path {
        &self.client_key
    }

    /// A `known_hosts` file naming its host key, for strict checking.
    pub fn known_hosts(&self) -> &Path {
        &self.known_hosts
    }

    /// Where its files are.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The supervisor: kill (the daemon only), downtime, restarts...
    pub fn supervisor(&self) -> &Supervisor {
        &self.supervisor
    }

    /// The processes serving connections now.
    pub fn sessions(&self) -> Vec<u32> {
        self.supervisor.pid().map(descendants).unwrap_or_default()
    }

    /// Kills every session, then the daemon, each with SIGKILL: the clients'
    /// connections are reset, and the supervisor restarts the daemon after
    /// its downtime. Returns once the daemon's death is noticed.
    pub fn crash(&self) -> io::Result<()> {
        for pid in self.sessions() {
            // SAFETY: kill(2) on a process of ours that has not been reaped
            // by us: sshd reaps its children, and a recycled pid would have
            // to appear between the listing and here.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
        }
        self.supervisor
            .kill_and_wait(std::time::Duration::from_secs(10))
            .map(drop)
    }
}

impl Drop for SshServer {
    fn drop(&mut self) {
        // The sessions outlive the daemon, which the supervisor kills next.
        for pid in self.sessions() {
            // SAFETY: as in `crash`.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
        }
    }
}

fn keygen(path: &Path) -> io::Result<()> {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "ha-cover-test", "-f"])
        .arg(path)
        .output()?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "ssh-keygen: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(())
}

/// Every process descending from `pid`, children before grandchildren.
pub fn descendants(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let parents: Vec<(u32, u32)> = entries
        .filter_map(|e| {
            let child: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).ok()?;
            // The command name may hold spaces and parentheses: the fields
            // after it start past the last ')'.
            let ppid = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some((child, ppid))
        })
        .collect();
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    found.remove(0);
    found
}
