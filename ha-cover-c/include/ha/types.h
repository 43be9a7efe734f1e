/*
 * <ha/types.h> - types and constants of the HA client recovery library.
 *
 * ha-cover's C ABI: QNX Neutrino's <ha/types.h> on Linux. Link with
 * -lha_cover. See <ha/cover.h> for how recovery works.
 */
#ifndef _HA_TYPES_H_INCLUDED
#define _HA_TYPES_H_INCLUDED

/*
 * A recovery function. It is called with the descriptor whose server died
 * and the handle given to ha_attach(), on the thread whose call failed, while
 * every other thread that fails on the same group, or begins a call on it,
 * waits: between ha_reopen() and the seek back (or ha_reconnect() and a
 * handshake) no other thread's call runs on the new connection. It returns:
 *   - coid: recovered (usually through ha_reopen() or ha_reconnect(), which
 *     keep the number); the failed call is sent again;
 *   - -1: give up; the failed call returns its own error (errno as the
 *     system set it, e.g. ENOTCONN for a dead FUSE server);
 *   - HA_RETRY (Linux extension): not yet; call me again after a backoff, or
 *     as soon as the kernel reports the mount or the socket back, within
 *     HA_RECOVERY_ICOUNT attempts and HA_RECOVERY_DEADLINE.
 * A failure inside a recovery function is not recovered again: the call that
 * failed returns its error to the recovery function.
 */
typedef int (*RFp)(int coid, void *rhdl);

/* ha_attach() flag: replace the recovery function of an HA-aware descriptor
 * (without it, attaching twice fails with EEXIST). */
#define HAREPLACERECOVERYFN     0x00000001

/* ha_attach() / ha_connect() flags (Linux extension): how a socket's failed
 * writes are sent again once it is reconnected. By default nothing that may
 * have reached the server is sent twice: a call whose bytes' fate is unknown
 * returns -1 with its original errno (ECONNRESET for an end-of-file), on a
 * descriptor that is connected again. */
#define HA_WRITE_ALWAYS         0x00000100 /* the protocol is idempotent: always resend */
#define HA_WRITE_REPLAY         0x00000200 /* resend what was sent since the last answer */

/* What a recovery function returns when the server is not back yet (Linux
 * extension). */
#define HA_RETRY                (-2)

/* ha_connection_ctrl() commands; the argument is the integer itself cast to
 * (void *), negative meaning unlimited. */
#define HA_RECOVERY_ACOUNT       1 /* most recoveries in all (default: unlimited) */
#define HA_RECOVERY_ICOUNT       2 /* most attempts per failure, reset by a success (default: unlimited) */
#define HA_RECOVERY_SUSPEND      3 /* failures come back as they are until ENABLE */
#define HA_RECOVERY_ENABLE       4
#define HA_RECOVERY_RESET_ICOUNT 5
#define HA_RECOVERY_RESET_ACOUNT 6
#define HA_RECOVERY_DEADLINE     0x100 /* Linux extension: ms one recovery may take (default 30000) */

/* What recovery has done on a descriptor's group (ha_cover_stats()). */
struct ha_cover_stats {
    unsigned long long failures;      /* failures that started a recovery */
    unsigned long long recoveries;    /* successful recoveries */
    unsigned long long attempts;      /* calls of the recovery function */
    unsigned long long gave_up;       /* recoveries that gave up */
    unsigned long long indeterminate; /* calls whose bytes' fate was unknown */
    int last_errno;                   /* errno of the last failure (0: none, or end-of-file) */
};

/* What recovery did (Linux extension), as told to the callback set with
 * ha_cover_on_event(). */
#define HA_EVENT_FAILED          1 /* a failure was seen; recovery starts (error: its errno, 0 for end-of-file) */
#define HA_EVENT_ATTEMPT_FAILED  2 /* an attempt failed (error: its errno; attempt: which, from 1) */
#define HA_EVENT_RECOVERED       3 /* the connection is back (attempt: attempts taken; downtime_ns) */
#define HA_EVENT_GAVE_UP         4 /* recovery gave up (reason: HA_GAVE_UP_*); the call returns its own error */
#define HA_EVENT_INDETERMINATE   5 /* back, but unanswered bytes were not sent again (see HA_WRITE_*) */
#define HA_EVENT_WAITING         6 /* still recovering (attempt: failed so far; downtime_ns: since the failure);
                                      after 1 s, then every 5 s (HA_COVER_PROGRESS=first,every) */

#define HA_GAVE_UP_SUSPENDED     1 /* HA_RECOVERY_SUSPEND */
#define HA_GAVE_UP_TOTAL         2 /* HA_RECOVERY_ACOUNT used up */
#define HA_GAVE_UP_ATTEMPTS      3 /* HA_RECOVERY_ICOUNT used up */
#define HA_GAVE_UP_DEADLINE      4 /* HA_RECOVERY_DEADLINE passed */
#define HA_GAVE_UP_FUNCTION      5 /* the recovery function returned -1 */
#define HA_GAVE_UP_CANCELLED     6 /* the process forked while another thread recovered (in the child) */
#define HA_GAVE_UP_OTHER         7
#define HA_GAVE_UP_IDENTITY      8 /* the path reopened names another file now */

struct ha_event {
    int kind;                       /* HA_EVENT_* */
    int error;                      /* FAILED, ATTEMPT_FAILED: an errno */
    unsigned attempt;               /* ATTEMPT_FAILED: which; RECOVERED: how many */
    int reason;                     /* GAVE_UP: HA_GAVE_UP_* */
    unsigned long long unanswered;  /* INDETERMINATE: bytes whose fate is unknown */
    unsigned long long downtime_ns; /* RECOVERED: from the failure to the connection back; WAITING, GAVE_UP: since the failure */
};

typedef void (*ha_event_fn)(int coid, const struct ha_event *event, void *ctx);

#endif /* _HA_TYPES_H_INCLUDED */
