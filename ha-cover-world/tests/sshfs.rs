//! The world's sshfs behaves as sshfs does: SIGKILLed, its open descriptors
//! fail with ENOTCONN for good and the supervisor mounts it again; when the
//! SSH server's sessions die, sshfs without `reconnect` exits, and with
//! `reconnect` it stays mounted but its open descriptors fail with EIO for
//! good.

use std::io::{Read, Seek, SeekFrom};
use std::time::Duration;

use ha_cover_world::require;
use ha_cover_world::{Component, SshServer, SshfsMount, SshfsOptions};

const T: Duration = Duration::from_secs(10);

fn components() -> [Component; 3] {
    [
        Component::Fuse,
        Component::Program {
            name: "sshfs",
            package: "sshfs",
        },
        Component::Sshd,
    ]
}

/// The error a read from the start of `file` fails with. A read that meets
/// sshfs at the moment its SSH connection is lost may return 0 bytes, as if
/// the file ended there (seen with and without `reconnect`): that answer is
/// sshfs's, and the reads after it fail; they are what this returns.
fn errno_of(file: &mut std::fs::File) -> Option<i32> {
    for _ in 0..100 {
        file.seek(SeekFrom::Start(0)).unwrap();
        // Any number of bytes read, none included, is not yet the error.
        if let Err(e) = file.read(&mut [0; 4]).map(|_read| ()) {
            return e.raw_os_error();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

#[test]
fn a_killed_sshfs_leaves_dead_descriptors_and_is_mounted_again() {
    let [fuse, sshfs, sshd] = components();
    require!(fuse, sshfs, sshd);
    let server = SshServer::start().unwrap();
    let mount = SshfsMount::start(&server).unwrap();
    std::fs::write(mount.backing("a"), b"through ssh").unwrap();
    let mut old = std::fs::File::open(mount.path("a")).unwrap();
    let mut text = String::new();
    old.read_to_string(&mut text).unwrap();
    assert_eq!(text, "through ssh");

    mount.supervisor().kill_and_wait(T).unwrap();
    assert_eq!(errno_of(&mut old), Some(libc::ENOTCONN));
    mount.supervisor().wait_restarts(1, T).unwrap();
    assert_eq!(errno_of(&mut old), Some(libc::ENOTCONN), "dead for good");
    assert_eq!(std::fs::read(mount.path("a")).unwrap(), b"through ssh");
}

#[test]
fn a_crashed_sshd_ends_sshfs_without_reconnect() {
    let [fuse, sshfs, sshd] = components();
    require!(fuse, sshfs, sshd);
    let server = SshServer::start().unwrap();
    let mount = SshfsMount::start(&server).unwrap();
    std::fs::write(mount.backing("a"), b"x").unwrap();
    let mut old = std::fs::File::open(mount.path("a")).unwrap();
    server.supervisor().set_auto_restart(false);
    server.crash().unwrap();
    mount.supervisor().wait_deaths(1, T).unwrap();
    assert_eq!(errno_of(&mut old), Some(libc::ENOTCONN));
    let first = &mount.supervisor().history()[0];
    assert!(first.killed.is_none(), "nobody killed sshfs");
    assert_eq!(
        first.status.and_then(|s| s.code()),
        Some(1),
        "sshfs exited: {}",
        mount.supervisor().log_tail()
    );
    server.supervisor().restart();
    server.supervisor().wait_restarts(1, T).unwrap();
    mount.revive(T).unwrap();
    assert_eq!(std::fs::read(mount.path("a")).unwrap(), b"x");
    assert_eq!(errno_of(&mut old), Some(libc::ENOTCONN));
}

#[test]
fn with_reconnect_sshfs_stays_mounted_but_open_files_fail_with_eio() {
    let [fuse, sshfs, sshd] = components();
    require!(fuse, sshfs, sshd);
    let server = SshServer::start().unwrap();
    let mount = SshfsMount::start_with(&server, SshfsOptions { reconnect: true }).unwrap();
    std::fs::write(mount.backing("a"), b"x").unwrap();
    let mut old = std::fs::File::open(mount.path("a")).unwrap();
    let pid = mount.supervisor().pid();
    server.supervisor().set_auto_restart(false);
    server.crash().unwrap();
    assert_eq!(errno_of(&mut old), Some(libc::EIO));
    assert_eq!(
        std::fs::File::open(mount.path("a"))
            .unwrap_err()
            .raw_os_error(),
        Some(libc::EIO),
        "no server to reconnect to"
    );
    server.supervisor().restart();
    server.supervisor().wait_restarts(1, T).unwrap();
    assert_eq!(std::fs::read(mount.path("a")).unwrap(), b"x", "reconnected");
    assert_eq!(errno_of(&mut old), Some(libc::EIO), "dead for good");
    assert_eq!(mount.supervisor().pid(), pid, "the same sshfs");
    assert!(mount.is_mounted());
}
