/*
 * <ha/fcntl.h> - opening files HA-aware.
 */
#ifndef _HA_FCNTL_H_INCLUDED
#define _HA_FCNTL_H_INCLUDED

#include <fcntl.h>
#include <sys/types.h>
#include <ha/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* open() followed by ha_attach(fd, rfn, rhdl, haflags). The optional
 * argument is open()'s mode, used with O_CREAT or O_TMPFILE. */
extern int ha_open(const char *path, int oflag, RFp rfn, void *rhdl, unsigned haflags, ...);
extern int ha_open64(const char *path, int oflag, RFp rfn, void *rhdl, unsigned haflags, ...);

/* creat() followed by ha_attach(). */
extern int ha_creat(const char *path, mode_t mode, RFp rfn, void *rhdl, unsigned haflags);
extern int ha_creat64(const char *path, mode_t mode, RFp rfn, void *rhdl, unsigned haflags);

/*
 * For a recovery function: opens path again and puts the new file under
 * oldfd's number, and under every ha_dup() of it, closing the dead one (the
 * number never changes). Returns oldfd, or -1 with open()'s errno.
 * Differs from QNX: O_CREAT, O_EXCL and O_TRUNC are dropped (a recovery never
 * creates a file the server lost, nor empties one it kept). The new file is
 * at offset 0; lseek() it back: the dead descriptor's offset is still known to
 * the kernel, so lseek(oldfd, 0, SEEK_CUR) before ha_reopen() gives it.
 */
extern int ha_reopen(int oldfd, const char *path, int oflag, ...);

#ifdef __cplusplus
}
#endif

#endif /* _HA_FCNTL_H_INCLUDED */
