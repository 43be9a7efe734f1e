//! Instructions per read, counted by callgrind: deterministic where time is not.
//!
//! `bench-report` runs itself under `valgrind --tool=callgrind` in a mode that
//! only reads 64 bytes at a time, through a cover or without one, for two
//! numbers of reads; the difference between the two runs divided by the
//! difference in reads is the instructions one read costs, with program
//! start-up and set-up cancelled out. Callgrind counts user-space
//! instructions: the system call's own kernel work is the same for both.

use std::fs::File;
use std::io::{self, Read};
use std::process::Command;

use ha_cover::Cover;

/// The argument that selects the sync read loop.
pub const READ_LOOP: &str = "--read-loop";

/// The argument that selects the sync read loop through a dup'ed cover.
pub const DUPPED_READ_LOOP: &str = "--dupped-read-loop";

/// The argument that selects 64-byte appends through a dup'ed cover.
pub const DUPPED_APPEND_LOOP: &str = "--dupped-append-loop";

/// The argument that selects the sync read loop through `&Cover` (and `&File`).
pub const SHARED_READ_LOOP: &str = "--shared-read-loop";

/// The argument that selects the socket read loop through `&Cover`.
pub const SHARED_SOCKET_READ_LOOP: &str = "--shared-socket-read-loop";

/// The argument that selects the socket write loop through `&Cover`.
pub const SHARED_SOCKET_WRITE_LOOP: &str = "--shared-socket-write-loop";

/// The argument that selects the async read loop.
pub const ASYNC_READ_LOOP: &str = "--async-read-loop";

/// The read loop a command-line flag selects, given whether it is covered and
/// how many reads.
pub fn loop_for(flag: &str) -> Option<fn(bool, u64) -> io::Result<()>> {
    match flag {
        READ_LOOP => Some(read_loop),
        DUPPED_READ_LOOP => Some(dupped_read_loop),
        DUPPED_APPEND_LOOP => Some(dupped_append_loop),
        SHARED_READ_LOOP => Some(shared_read_loop),
        SHARED_SOCKET_READ_LOOP => Some(shared_socket_read_loop),
        SHARED_SOCKET_WRITE_LOOP => Some(shared_socket_write_loop),
        ASYNC_READ_LOOP => Some(async_read_loop),
        _ => None,
    }
}

/// Reads 64 bytes `reads` times from `/dev/zero`, covered or not.
pub fn read_loop(covered: bool, reads: u64) -> io::Result<()> {
    read_64_from_zero(covered, false, reads)
}

/// The same through a cover that has a dup (kept open, unused).
pub fn dupped_read_loop(covered: bool, reads: u64) -> io::Result<()> {
    read_64_from_zero(covered, true, reads)
}

/// Appends 64 bytes `writes` times to `/dev/null` opened `O_APPEND`, through
/// a cover that has a dup (the members' appends take the group's slot) or a
/// `File`.
pub fn dupped_append_loop(covered: bool, writes: u64) -> io::Result<()> {
    use std::io::Write;
    let buf = [7u8; 64];
    let options = std::fs::OpenOptions::new().append(true).clone();
    if covered {
        let mut file = Cover::open_with("/dev/null", &options, ha_cover::reopen, ())?;
        let _dup = file.dup()?;
        for _ in 0..writes {
            assert_eq!(file.write(&buf)?, buf.len());
        }
    } else {
        let mut file = options.open("/dev/null")?;
        for _ in 0..writes {
            assert_eq!(file.write(&buf)?, buf.len());
        }
    }
    Ok(())
}

/// Reads 64 bytes `reads` times from `/dev/zero` through a shared reference:
/// `Read for &Cover` beside `Read for &File`.
pub fn shared_read_loop(covered: bool, reads: u64) -> io::Result<()> {
    let mut buf = [0u8; 64];
    if covered {
        let file = Cover::open("/dev/zero", ha_cover::reopen, ())?;
        for _ in 0..reads {
            assert_eq!((&file).read(&mut buf)?, buf.len());
        }
    } else {
        let file = File::open("/dev/zero")?;
        for _ in 0..reads {
            assert_eq!((&file).read(&mut buf)?, buf.len());
        }
    }
    std::hint::black_box(buf);
    Ok(())
}

/// Reads 64 bytes `reads` times from a Unix socket a thread keeps full,
/// through `&Cover` or `&UnixStream`.
pub fn shared_socket_read_loop(covered: bool, reads: u64) -> io::Result<()> {
    use std::os::unix::net::UnixStream;
    let (ours, theirs) = UnixStream::pair()?;
    std::thread::spawn(move || {
        use std::io::Write;
        let chunk = vec![1u8; 1 << 16];
        while (&theirs).write_all(&chunk).is_ok() {}
    });
    let mut buf = [0u8; 64];
    if covered {
        let stream = Cover::attach(ours, ha_cover::never, ())?;
        for _ in 0..reads {
            assert!((&stream).read(&mut buf)? > 0);
        }
    } else {
        for _ in 0..reads {
            assert!((&ours).read(&mut buf)? > 0);
        }
    }
    std::hint::black_box(buf);
    Ok(())
}

/// Writes 64 bytes `reads` times to a Unix socket a thread drains, through
/// `&Cover` (one at a time, each counted in the ledger under the group's
/// lock) or `&UnixStream`.
pub fn shared_socket_write_loop(covered: bool, writes: u64) -> io::Result<()> {
    use std::io::Write;
    use std::os::unix::net::UnixStream;
    let (ours, theirs) = UnixStream::pair()?;
    std::thread::spawn(move || {
        let mut sink = vec![0u8; 1 << 16];
        while (&theirs).read(&mut sink).is_ok_and(|n| n > 0) {}
    });
    let buf = [1u8; 64];
    if covered {
        let stream = Cover::attach(ours, ha_cover::never, ())?;
        for _ in 0..writes {
            (&stream).write_all(&buf)?;
        }
    } else {
        for _ in 0..writes {
            (&ours).write_all(&buf)?;
        }
    }
    Ok(())
}

fn read_64_from_zero(covered: bool, dupped: bool, reads: u64) -> io::Result<()> {
    let mut buf = [0u8; 64];
    if covered {
        let mut file = Cover::open("/dev/zero", ha_cover::reopen, ())?;
        let _dup = if dupped { Some(file.dup()?) } else { None };
        for _ in 0..reads {
            assert_eq!(file.read(&mut buf)?, buf.len());
        }
    } else {
        let mut file = File::open("/dev/zero")?;
        for _ in 0..reads {
            assert_eq!(file.read(&mut buf)?, buf.len());
        }
    }
    std::hint::black_box(buf);
    Ok(())
}

/// Reads 64 bytes `reads` times from a Unix socket a thread keeps full, on a
/// current-thread tokio runtime, through an async cover or a plain tokio
/// stream. The feeding thread's instructions depend only on the bytes, the
/// same for both.
pub fn async_read_loop(covered: bool, reads: u64) -> io::Result<()> {
    use tokio::io::AsyncReadExt;
    let (ours, theirs) = std::os::unix::net::UnixStream::pair()?;
    std::thread::spawn(move || {
        use std::io::Write;
        let mut theirs = theirs;
        let chunk = vec![1u8; 1 << 16];
        while theirs.write_all(&chunk).is_ok() {}
    });
    ours.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let stream = tokio::net::UnixStream::from_std(ours)?;
        let mut buf = [0u8; 64];
        if covered {
            let mut stream = ha_cover::asynchronous::AsyncCover::attach(
                stream,
                ha_cover::asynchronous::reconnect,
                (),
            )?;
            for _ in 0..reads {
                assert!(stream.read(&mut buf).await? > 0);
            }
        } else {
            let mut stream = stream;
            for _ in 0..reads {
                assert!(stream.read(&mut buf).await? > 0);
            }
        }
        std::hint::black_box(buf);
        Ok(())
    })
}

fn instructions(loop_flag: &str, covered: bool, reads: u64) -> io::Result<u64> {
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(std::env::current_exe()?)
        .args([
            loop_flag,
            if covered { "covered" } else { "raw" },
            &reads.to_string(),
        ])
        .output()?;
    let log = String::from_utf8_lossy(&out.stderr);
    log.lines()
        .find_map(|line| line.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| io::Error::other(format!("no instruction count from callgrind:\n{log}")))
}

/// Prints `callgrind_read_64 ...` (sync, `/dev/zero`), the same through a
/// dup'ed cover, appends through a dup'ed cover (`/dev/null`), and through `&Cover` (beside `&File`), a socket's reads and
/// writes through `&Cover` (beside `&UnixStream`), and `callgrind_async_read_64 ...` (tokio, a Unix socket): instructions per read
/// with the cover and without, the difference and the ratio.
pub fn report() -> io::Result<()> {
    if Command::new("valgrind").arg("--version").output().is_err() {
        println!("callgrind skipped: valgrind is not installed");
        return Ok(());
    }
    let (few, many) = (20_000, 220_000);
    for (name, flag) in [
        ("callgrind_read_64", READ_LOOP),
        ("callgrind_read_64_dupped", DUPPED_READ_LOOP),
        ("callgrind_append_64_dupped", DUPPED_APPEND_LOOP),
        ("callgrind_read_64_shared", SHARED_READ_LOOP),
        ("callgrind_socket_read_64_shared", SHARED_SOCKET_READ_LOOP),
        ("callgrind_socket_write_64_shared", SHARED_SOCKET_WRITE_LOOP),
        ("callgrind_async_read_64", ASYNC_READ_LOOP),
    ] {
        let per_read = |covered| -> io::Result<f64> {
            Ok(
                (instructions(flag, covered, many)? - instructions(flag, covered, few)?) as f64
                    / (many - few) as f64,
            )
        };
        let (ours, base) = (per_read(true)?, per_read(false)?);
        println!(
            "{name} ours_ir={ours:.1} baseline_ir={base:.1} extra_ir={:.1} ratio={:.3}",
            ours - base,
            ours / base
        );
    }
    Ok(())
}
