/*
 * Plain read()s of a file, alternating between an HA descriptor and an
 * ha_dup() of it (one file position), pass after pass, while the test kills
 * the FUSE server again and again. Every byte is checked. When the test says
 * "stop", the program reports, after checking that no descriptor was left
 * behind by the recoveries.
 */
#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ha/cover.h>

struct handle { int recoveries; int pending; off_t at; };

/* Not a constant, so that under _FORTIFY_SOURCE read() is __read_chk(). */
static volatile size_t chunk = 4096;

/* Robust to attempts that fail half-way: the dead file's position is taken
 * once per recovery, before anything replaced it. */
static int recover(int fd, void *h)
{
	struct handle *hdl = h;
	if (!hdl->pending) {
		hdl->at = lseek(fd, 0, SEEK_CUR);
		hdl->pending = 1;
	}
	if (ha_reopen(fd, getenv("TESTFILE"), O_RDONLY) < 0 || lseek(fd, hdl->at, SEEK_SET) != hdl->at)
		return HA_RETRY;
	hdl->pending = 0;
	hdl->recoveries++;
	return fd;
}

static int descriptors(void)
{
	int n = 0;
	DIR *dir = opendir("/proc/self/fd");
	while (dir != NULL && readdir(dir) != NULL)
		n++;
	if (dir != NULL)
		closedir(dir);
	return n;
}

static int told_to_stop(void)
{
	struct pollfd in = {.fd = 0, .events = POLLIN};
	return poll(&in, 1, 0) > 0;
}

int main(void)
{
	struct handle h = {0, 0, 0};
	int fd = ha_open(getenv("TESTFILE"), O_RDONLY, recover, &h, 0);
	int dup = ha_dup(fd);
	if (fd < 0 || dup < 0)
		return 1;
	int before = descriptors();
	unsigned char buf[4096];
	long long bytes = 0, mismatches = 0, passes = 0;
	printf("ready\n");
	fflush(stdout);
	do {
		if (lseek(fd, 0, SEEK_SET) != 0)
			return 3;
		long long offset = 0;
		for (int turn = 0;; turn ^= 1) {
			ssize_t n = read(turn ? dup : fd, buf, chunk);
			if (n < 0) {
				printf("read failed at %lld\n", offset);
				return 4;
			}
			if (n == 0)
				break;
			for (ssize_t i = 0; i < n; i++)
				mismatches += buf[i] != (unsigned char)(((offset + i) * 7 + 3) % 251);
			offset += n;
		}
		bytes += offset;
		passes++;
	} while (!told_to_stop());
	/* The dead files are closed off the reading thread: give it a moment. */
	int after = descriptors();
	for (int i = 0; i < 200 && after != before; i++) {
		struct timespec ms = {0, 10 * 1000 * 1000};
		nanosleep(&ms, NULL);
		after = descriptors();
	}
	printf("mismatches %lld leaked %d\n", mismatches, after - before);
	printf("passes %lld bytes %lld recoveries %d\n", passes, bytes, h.recoveries);
	ha_close(dup);
	ha_close(fd);
	return 0;
}
