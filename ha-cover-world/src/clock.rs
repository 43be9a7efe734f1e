//! A clock two processes agree on, for measuring from a server's moment to a
//! client's: `CLOCK_MONOTONIC`, which `std::time::Instant` also reads on Linux
//! but does not expose as a number.

/// Nanoseconds on `CLOCK_MONOTONIC`.
pub fn monotonic_ns() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}

/// The last `ready_ns=<n>` a server wrote to its log: when it was ready to
/// serve, on [`monotonic_ns`]'s clock.
pub fn last_ready_ns(log: &str) -> Option<u64> {
    log.rsplit("ready_ns=")
        .next()
        .filter(|_| log.contains("ready_ns="))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
