/*
 * A plain C program, with no logger of its own, whose file server stays down
 * for a while: under HA_COVER_LOG=info the library says on stderr when the
 * outage starts, that it is still recovering (HA_COVER_PROGRESS), and when it
 * ends. Its recovery waits for the server (HA_RETRY) rather than giving up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <ha/cover.h>

static int recover(int fd, void *h)
{
	off_t at = lseek(fd, 0, SEEK_CUR);
	(void)h;
	if (ha_reopen(fd, getenv("TESTFILE"), O_RDONLY) < 0 || lseek(fd, at, SEEK_SET) != at)
		return HA_RETRY;
	return fd;
}

int main(void)
{
	char buf[11] = {0};
	char line[16];
	int fd = ha_open(getenv("TESTFILE"), O_RDONLY, recover, NULL, 0);
	if (fd < 0 || read(fd, buf, 10) != 10)
		return 1;
	printf("ready\n");
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 2;
	if (read(fd, buf, 10) != 10) {
		perror("read");
		return 3;
	}
	printf("read: %s\n", buf);
	return 0;
}
