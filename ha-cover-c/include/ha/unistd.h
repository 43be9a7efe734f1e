/*
 * <ha/unistd.h> - duplicating and closing HA descriptors.
 */
#ifndef _HA_UNISTD_H_INCLUDED
#define _HA_UNISTD_H_INCLUDED

#include <unistd.h>
#include <ha/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* dup() for an HA descriptor: the new one shares the group (recovery
 * function, handle, counters, suspension); one recovery serves both.
 * EBADF if fd is not HA-aware. (A plain dup() gives an ordinary descriptor.) */
extern int ha_dup(int fd);

/* ha_detach(), then close(). EBADF if fd is not HA-aware. A plain close()
 * of an HA descriptor detaches it too. */
extern int ha_close(int fd);

#ifdef __cplusplus
}
#endif

#endif /* _HA_UNISTD_H_INCLUDED */
