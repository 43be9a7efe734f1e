/*
 * One 4 MiB call that a death splits: the FUSE server kills itself when the
 * kernel's write requests reach a mark, after the part before it landed. The
 * kernel reports that part as a short count; the library finishes the call
 * from the recovered position and returns the full count. argv[1] says which
 * call: write, pwrite or writev (in three parts).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <ha/cover.h>

#define SIZE (4 << 20)

static unsigned char data[SIZE];

static int recover(int fd, void *h)
{
	off_t at = lseek(fd, 0, SEEK_CUR);
	if (ha_reopen(fd, getenv("TESTFILE"), O_WRONLY) < 0 || lseek(fd, at, SEEK_SET) != at)
		return HA_RETRY;
	(*(int *)h)++;
	return fd;
}

int main(int argc, char *argv[])
{
	const char *mode = argc > 1 ? argv[1] : "write";
	for (long long k = 0; k < SIZE; k++)
		data[k] = (unsigned char)((k * 7 + 3) % 251);
	int recoveries = 0;
	int fd = ha_open(getenv("TESTFILE"), O_WRONLY | O_CREAT | O_TRUNC, recover, &recoveries,
			 0, 0644);
	if (fd < 0)
		return 1;
	ssize_t n;
	if (strcmp(mode, "pwrite") == 0) {
		n = pwrite(fd, data, SIZE, 0);
	} else if (strcmp(mode, "writev") == 0) {
		struct iovec parts[3] = {{data, 1000}, {data + 1000, SIZE / 2 - 1000},
					 {data + SIZE / 2, SIZE / 2}};
		n = writev(fd, parts, 3);
	} else {
		n = write(fd, data, SIZE);
	}
	if (n < 0)
		printf("%s: %s\n", mode, strerrorname_np(errno));
	else
		printf("%s %zd of %d recoveries %d\n", mode, n, SIZE, recoveries);
	return ha_close(fd) == 0 ? 0 : 2;
}
