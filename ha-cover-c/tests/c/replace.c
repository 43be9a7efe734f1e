#define _GNU_SOURCE
/*
 * Replacing the recovery function: EEXIST on a second ha_attach() without
 * HAREPLACERECOVERYFN; a recovery function that gives up (-1) leaves the
 * caller with the read's own errno; the replaced one recovers. EBADF for
 * descriptors that are not HA-aware.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ha/cover.h>

struct calls { int a, b; };

static int gives_up(int fd, void *h)
{
	(void)fd;
	((struct calls *)h)->a++;
	return -1;
}

static int reopens(int fd, void *h)
{
	off_t at = lseek(fd, 0, SEEK_CUR); /* the kernel still knows it */
	int nfd = ha_reopen(fd, getenv("TESTFILE"), O_RDONLY);
	if (nfd >= 0 && lseek(nfd, at, SEEK_SET) != at)
		return -1;
	((struct calls *)h)->b++;
	return nfd;
}

static void wait_for_test(void)
{
	char line[16];
	printf("ready\n");
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		exit(2);
}

int main(void)
{
	struct calls calls = {0, 0};
	char buf[11] = {0};
	int fd = ha_open(getenv("TESTFILE"), O_RDONLY, gives_up, &calls, 0);
	if (fd < 0 || read(fd, buf, 10) != 10)
		return 1;
	if (ha_attach(fd, reopens, &calls, 0) != -1 || errno != EEXIST)
		return 3;
	printf("eexist\n");
	wait_for_test();

	errno = 0;
	ssize_t n = read(fd, buf, 10);
	printf("first: %zd %s a=%d b=%d\n", n, strerrorname_np(errno), calls.a, calls.b);

	if (ha_attach(fd, reopens, &calls, HAREPLACERECOVERYFN) != 0)
		return 4;
	n = read(fd, buf, 10);
	printf("second: %zd %.10s a=%d b=%d\n", n, buf, calls.a, calls.b);

	int plain = open(getenv("TESTFILE"), O_RDONLY);
	int ebadf = ha_detach(plain) == -1 && errno == EBADF
		&& ha_dup(plain) == -1 && errno == EBADF
		&& ha_close(plain) == -1 && errno == EBADF
		&& ha_connection_ctrl(plain, HA_RECOVERY_SUSPEND, 0) == -1 && errno == EBADF
		&& ha_reconnect(plain) == -1 && errno == EBADF;
	int detached = ha_detach(fd) == 0 && ha_detach(fd) == -1 && errno == EBADF;
	printf("ebadf %d detached %d\n", ebadf, detached);
	close(plain);
	close(fd);
	return 0;
}
