/*
 * Writes across a death: 200 records of 64 bytes with plain write(), the
 * server killed and restarted after the first 100. argv[1] is "seq" (the
 * recovery function reopens and seeks back: a sequential write is sent again
 * where it failed) or "append" (O_APPEND: the library checks the file's size
 * before sending the failed write again). The file must hold every record
 * once, in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ha/cover.h>

static int append;

static int recover(int fd, void *h)
{
	off_t at = lseek(fd, 0, SEEK_CUR);
	int flags = O_WRONLY | (append ? O_APPEND : 0);
	if (ha_reopen(fd, getenv("TESTFILE"), flags) < 0)
		return HA_RETRY;
	if (!append && lseek(fd, at, SEEK_SET) != at)
		return HA_RETRY;
	(*(int *)h)++;
	return fd;
}

static int record(int fd, int n)
{
	char line[65];
	snprintf(line, sizeof line, "record %06d %-49s\n", n, "abcdefghijklmnopqrstuvwxyz");
	return write(fd, line, 64) == 64 ? 0 : -1;
}

int main(int argc, char *argv[])
{
	int recoveries = 0;
	append = argc > 1 && strcmp(argv[1], "append") == 0;
	int flags = O_WRONLY | O_CREAT | O_TRUNC | (append ? O_APPEND : 0);
	int fd = ha_open(getenv("TESTFILE"), flags, recover, &recoveries, 0, 0644);
	if (fd < 0)
		return 1;
	for (int n = 0; n < 100; n++)
		if (record(fd, n) != 0)
			return 3;
	printf("ready\n");
	fflush(stdout);
	char line[16];
	if (fgets(line, sizeof line, stdin) == NULL)
		return 2;
	for (int n = 100; n < 200; n++)
		if (record(fd, n) != 0) {
			perror("write");
			return 4;
		}
	if (fsync(fd) != 0)
		return 5;
	printf("written, recoveries %d\n", recoveries);
	return ha_close(fd) == 0 ? 0 : 6;
}
