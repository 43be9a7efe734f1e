/*
 * Writes across a death: 200 records of 64 bytes, the server killed and
 * restarted after the first 100. argv[1] says which call meets the death:
 *   seq     write(): the recovery function reopens and seeks back, so a
 *           sequential write is sent again where it failed;
 *   append  write() on O_APPEND: the library checks the file's size before
 *           sending the failed write again;
 *   writev  writev() of each record in two parts, sequential as seq;
 *   pwrite  pwrite() of each record at its offset;
 *   fsync   fsync() after the first 100 records, then write() as seq.
 * The file must hold every record once, in order. A plain descriptor opened
 * before the death makes the same call after it: what the HA descriptor's
 * call would have returned uncovered.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <ha/cover.h>

static const char *mode;

static int is(const char *name)
{
	return strcmp(mode, name) == 0;
}

static int recover(int fd, void *h)
{
	off_t at = lseek(fd, 0, SEEK_CUR);
	int flags = O_WRONLY | (is("append") ? O_APPEND : 0);
	if (ha_reopen(fd, getenv("TESTFILE"), flags) < 0)
		return HA_RETRY;
	if (!is("append") && lseek(fd, at, SEEK_SET) != at)
		return HA_RETRY;
	(*(int *)h)++;
	return fd;
}

/* Writes record n with the mode's call. */
static int record(int fd, int n)
{
	char line[65];
	snprintf(line, sizeof line, "record %06d %-49s\n", n, "abcdefghijklmnopqrstuvwxyz");
	if (is("writev")) {
		struct iovec parts[2] = {{line, 14}, {line + 14, 50}};
		return writev(fd, parts, 2) == 64 ? 0 : -1;
	}
	if (is("pwrite"))
		return pwrite(fd, line, 64, (off_t)n * 64) == 64 ? 0 : -1;
	return write(fd, line, 64) == 64 ? 0 : -1;
}

/* The call that meets the death. */
static int first_call(int fd)
{
	return is("fsync") ? fsync(fd) : record(fd, 100);
}

int main(int argc, char *argv[])
{
	int recoveries = 0;
	mode = argc > 1 ? argv[1] : "seq";
	int append = is("append") ? O_APPEND : 0;
	int fd = ha_open(getenv("TESTFILE"), O_WRONLY | O_CREAT | O_TRUNC | append, recover,
			 &recoveries, 0, 0644);
	if (fd < 0)
		return 1;
	for (int n = 0; n < 100; n++)
		if (record(fd, n) != 0)
			return 3;
	/* Where the HA descriptor is: were the plain call to succeed, it would
	 * write what the HA one writes, where it writes it. */
	int plain = open(getenv("TESTFILE"), O_WRONLY | append);
	if (plain < 0 || lseek(plain, 100 * 64, SEEK_SET) != 100 * 64)
		return 7;
	printf("ready\n");
	fflush(stdout);
	char line[16];
	if (fgets(line, sizeof line, stdin) == NULL)
		return 2;
	errno = 0;
	int failed = first_call(plain);
	printf("plain %s\n", failed == 0 ? "ok" : strerrorname_np(errno));
	close(plain);
	if (first_call(fd) != 0) {
		printf("%s: %s\n", mode, strerrorname_np(errno));
		return 4;
	}
	printf("%s ok, recoveries %d\n", mode, recoveries);
	for (int n = is("fsync") ? 100 : 101; n < 200; n++)
		if (record(fd, n) != 0) {
			printf("record %d: %s\n", n, strerrorname_np(errno));
			return 5;
		}
	if (fsync(fd) != 0)
		return 6;
	printf("written, recoveries %d\n", recoveries);
	return ha_close(fd) == 0 ? 0 : 8;
}
