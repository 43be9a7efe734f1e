/*
 * <ha/cover.h> - the HA client recovery library: ha-cover's C ABI, QNX
 * Neutrino's <ha/cover.h> on Linux. Build: cargo build --release -p ha-cover-c;
 * compile with -I ha-cover-c/include; link with -lha_cover (libha_cover.so, or
 * libha_cover.a with -lpthread -ldl -lm).
 *
 * A descriptor made HA-aware (ha_open(), ha_attach(), ha_connect()...) is
 * covered: when a call on it fails in a way that means its server died -
 * ENOTCONN or ECONNABORTED from a killed FUSE server, ESTALE from NFS, EBADF,
 * EIO when the file system's server is found dead; for sockets also
 * ECONNRESET, EPIPE, ESHUTDOWN, ENETRESET, ETIMEDOUT and end-of-file - the
 * library calls the recovery function (see RFp in <ha/types.h>), then sends
 * the failed call again and returns its result, as if nothing had happened.
 *
 * Plain read(), write(), readv(), writev(), pread(), pwrite(), lseek(),
 * fsync(), fdatasync(), send(), recv() (and their 64-bit variants, and what
 * _FORTIFY_SOURCE makes of them: __read_chk, __pread_chk, __pread64_chk,
 * __recv_chk) are covered on HA descriptors in a program linked with
 * -lha_cover: the library defines them in front of glibc's. On every other
 * descriptor they go to glibc unchanged, after a lock-free table lookup.
 * Other calls (fstat, ftruncate, ioctl, sendmsg, recvfrom, mmap...) are not
 * covered: they fail as without the library, and the next covered call
 * recovers.
 *
 * What is sent again: reads and positioned writes always; a sequential write
 * when the recovery put the file back at the dead one's offset; an append
 * only when the file's size shows it did not land (and if it did, the call
 * returns what was written). Sockets follow HA_WRITE_* (<ha/types.h>).
 *
 * Threads: several may use one descriptor (and its dups) at once. One thread
 * runs the recovery; those failing meanwhile wait, then send their call again
 * without recovering (or return their error if the recovery gave up).
 *
 * Errors: when recovery gives up (the recovery function returned -1, a limit
 * of ha_connection_ctrl() was reached, recovery is suspended), the failed call
 * returns -1 with the errno it failed with, exactly as without the library.
 * EINTR is never a failure: it comes back to the caller as usual.
 */
#ifndef _HA_COVER_H_INCLUDED
#define _HA_COVER_H_INCLUDED

#include <sys/socket.h>
#include <ha/types.h>
#include <ha/fcntl.h>
#include <ha/unistd.h>
#include <ha/stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Makes coid HA-aware: rfn(coid, rhdl) recovers it. EEXIST if it already
 * is, unless flags has HAREPLACERECOVERYFN, which replaces the recovery
 * function and handle of its whole group. EBADF if coid is not open. A null
 * rfn never recovers. */
extern int ha_attach(int coid, RFp rfn, void *rhdl, unsigned flags);

/* Makes coid an ordinary descriptor again; it stays open. EBADF if it is not
 * HA-aware. */
extern int ha_detach(int coid);

/* Controls the recovery of coid's group: HA_RECOVERY_* in <ha/types.h>, the
 * argument being the integer cast to (void *). 0, or -1 with EBADF (not
 * HA-aware) or EINVAL (unknown command). */
extern int ha_connection_ctrl(int coid, int command, void *args);

/* Linux extension: what recovery has done on coid's group. 0, or -1 with
 * EBADF or EINVAL. */
extern int ha_cover_stats(int coid, struct ha_cover_stats *stats);

/* Linux extension: calls fn(coid, event, ctx) for every event of coid's
 * group from now on (a failure, each failed attempt, the recovery or the
 * giving up, an indeterminate outcome), on the thread that recovers, with no
 * lock of the library held (fn may call ha_cover_stats). A null fn stops
 * the calls. 0, or -1 with EBADF. */
extern int ha_cover_on_event(int coid, ha_event_fn fn, void *ctx);

/*
 * Linux analogue of QNX's channel functions (<ha/neutrino.h>), for Unix and
 * TCP stream sockets:
 *   ha_ConnectAttach    -> ha_connect       ha_ReConnectAttach -> ha_reconnect
 *   ha_ConnectAttach_r  -> ha_connect_r     ha_ConnectDetach   -> ha_disconnect
 *                                           ha_ConnectDetach_r -> ha_disconnect_r
 */

/* socket(addr->sa_family, SOCK_STREAM, 0) + connect(addr) + ha_attach().
 * flags: HA_WRITE_ALWAYS or HA_WRITE_REPLAY. Writes on it never raise
 * SIGPIPE. Returns the descriptor, or -1 with errno. */
extern int ha_connect(const struct sockaddr *addr, socklen_t addrlen, RFp rfn, void *rhdl, unsigned flags);
/* The same, returning -errno instead of setting errno. */
extern int ha_connect_r(const struct sockaddr *addr, socklen_t addrlen, RFp rfn, void *rhdl, unsigned flags);

/* For a recovery function: a new connection to the address oldfd was
 * connected to (with its timeouts, non-blocking mode, TCP_NODELAY), put under
 * oldfd's number and every ha_dup() of it. Returns oldfd, or -1 with errno
 * (ECONNREFUSED until the server is back: return HA_RETRY to wait for it). */
extern int ha_reconnect(int oldfd);

/* ha_close() for sockets, and its -errno form. */
extern int ha_disconnect(int fd);
extern int ha_disconnect_r(int fd);

#ifdef __cplusplus
}
#endif

#endif /* _HA_COVER_H_INCLUDED */
