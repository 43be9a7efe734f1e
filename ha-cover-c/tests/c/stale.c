/*
 * The runtime's own descriptors stay out of the covers. A socket made
 * HA-aware, then closed behind the library's back (a raw close system call,
 * as close_range() and closefrom() make), is still listed as HA-aware: the
 * kernel hands its number out again, lowest first. The file's recovery then
 * waits for the FUSE server, and the watcher it opens on the mount table gets
 * that number. Its reads must go to the kernel: through the library's own
 * read(), they would be the stale socket's, whose end of file would look like
 * its peer's death and call its recovery function.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <ha/cover.h>

static int recover_file(int fd, void *h)
{
	off_t at = lseek(fd, 0, SEEK_CUR);
	if (ha_reopen(fd, getenv("TESTFILE"), O_RDONLY) < 0 || lseek(fd, at, SEEK_SET) != at)
		return HA_RETRY;
	(*(int *)h)++;
	return fd;
}

static int recover_socket(int fd, void *h)
{
	(void)fd;
	(*(int *)h)++;
	return -1;
}

int main(void)
{
	int file_recoveries = 0, socket_calls = 0;
	char buf[16];
	int fd = ha_open(getenv("TESTFILE"), O_RDONLY, recover_file, &file_recoveries, 0);
	int pair[2];
	if (fd < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0)
		return 1;
	if (ha_attach(pair[0], recover_socket, &socket_calls, 0) != 0 || close(pair[1]) != 0)
		return 3;
	if (read(fd, buf, 10) != 10 || memcmp(buf, "0123456789", 10) != 0)
		return 4;
	/* Behind the library's back: free for the kernel, HA-aware for the table. */
	if (syscall(SYS_close, pair[0]) != 0)
		return 5;
	printf("stale %d\n", pair[0] == fd + 1);
	printf("ready\n");
	fflush(stdout);
	char line[16];
	if (fgets(line, sizeof line, stdin) == NULL)
		return 2;
	ssize_t n = read(fd, buf, 10);
	printf("read %zd %.*s file recoveries %d socket recovery calls %d\n", n,
	       (int)(n > 0 ? n : 0), buf, file_recoveries, socket_calls);
	/* Attempts while the server was down: the recovery waited, watching. */
	struct ha_cover_stats stats;
	if (ha_cover_stats(fd, &stats) != 0)
		return 7;
	printf("waited %d\n", stats.attempts > 1);
	return ha_close(fd) == 0 ? 0 : 6;
}
