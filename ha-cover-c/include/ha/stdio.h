/*
 * <ha/stdio.h> - HA-aware stdio streams.
 */
#ifndef _HA_STDIO_H_INCLUDED
#define _HA_STDIO_H_INCLUDED

#include <stdio.h>
#include <ha/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * fopen() with an HA-aware descriptor underneath: fread(), fgets(),
 * fprintf(), fscanf(), fseek()... are covered. The stream is made with
 * glibc's fopencookie() (glibc's stdio does not call the interposable read()
 * and write()), so fileno() on it returns -1, unlike on QNX; the recovery
 * function gets the descriptor number.
 */
extern FILE *ha_fopen(const char *path, const char *mode, RFp rfn, void *rhdl, unsigned haflags);

/* fclose() of a stream from ha_fopen() (plain fclose() is the same). */
extern int ha_fclose(FILE *stream);

#ifdef __cplusplus
}
#endif

#endif /* _HA_STDIO_H_INCLUDED */
