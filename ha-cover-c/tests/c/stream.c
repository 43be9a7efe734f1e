/*
 * A byte stream read across a death with plain recv() (argv[1] = "recv") or
 * readv() ("readv"): ha_connect() to the stream server on a Unix socket
 * (SOCKET=path), "FROM 0", 64 KiB read, then the server killed while the
 * program waits. The reads drain what the dead server had sent and then meet
 * its end; the recovery function reconnects and asks "FROM <n>" for the bytes
 * not read yet, and the read is sent again on the new connection. Every byte
 * read goes to OUT, which the test compares with the server's stream.
 *
 * Built with -O2 -D_FORTIFY_SOURCE=2, recv() into a buffer of known size with
 * a length that is not a constant is glibc's __recv_chk(). argv[2] = "overflow"
 * asks for more than the buffer holds, on the HA descriptor: the fortify check
 * must abort the program, as it does without the library.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <ha/cover.h>

struct handle { int recoveries; long long received; };

/* A size the compiler sees at every call, and a length that is not a
 * constant: under _FORTIFY_SOURCE, recv() into it is __recv_chk(). */
static unsigned char buf[4096];
static volatile size_t chunk = sizeof buf;

static int ask(int fd, long long from)
{
	char line[32];
	int len = snprintf(line, sizeof line, "FROM %lld\n", from);
	return send(fd, line, len, 0) == len ? 0 : -1;
}

static int recover(int fd, void *h)
{
	struct handle *hdl = h;
	if (ha_reconnect(fd) < 0)
		return errno == ECONNREFUSED || errno == ENOENT ? HA_RETRY : -1;
	/* The stream resumes where the reader is: nothing lost, nothing twice. */
	if (ask(fd, hdl->received) != 0)
		return HA_RETRY;
	hdl->recoveries++;
	return fd;
}

static ssize_t next(int fd, int vectored)
{
	if (!vectored)
		return recv(fd, buf, chunk, 0);
	struct iovec iov[2] = {{buf, 1000}, {buf + 1000, chunk - 1000}};
	return readv(fd, iov, 2);
}

int main(int argc, char *argv[])
{
	struct handle h = {0, 0};
	int vectored = argc > 1 && strcmp(argv[1], "readv") == 0;
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	strncpy(un.sun_path, getenv("SOCKET"), sizeof un.sun_path - 1);
	int fd = ha_connect((struct sockaddr *)&un, sizeof un, recover, &h, 0);
	FILE *out = fopen(getenv("OUT"), "w");
	if (fd < 0 || out == NULL || ask(fd, 0) != 0)
		return 1;
	if (argc > 2 && strcmp(argv[2], "overflow") == 0) {
		chunk = 2 * sizeof buf;
		printf("overflow\n");
		fflush(stdout);
		recv(fd, buf, chunk, 0);
		printf("not stopped\n");
		return 0;
	}
	while (h.received < 65536) {
		ssize_t n = next(fd, vectored);
		if (n <= 0)
			return 3;
		fwrite(buf, 1, n, out);
		h.received += n;
	}
	printf("ready\n");
	fflush(stdout);
	char line[16];
	if (fgets(line, sizeof line, stdin) == NULL)
		return 2;
	/* Read on until well past the recovery; the bytes the dead server had
	 * already sent come first. A read that is not covered ends here. */
	long long after = 0;
	while (h.recoveries == 0 || after < 65536) {
		ssize_t n = next(fd, vectored);
		if (n <= 0) {
			printf("%s: %zd %s at %lld\n", vectored ? "readv" : "recv", n,
			       n < 0 ? strerrorname_np(errno) : "end", h.received);
			return 4;
		}
		fwrite(buf, 1, n, out);
		h.received += n;
		if (h.recoveries > 0)
			after += n;
	}
	struct ha_cover_stats stats;
	if (ha_cover_stats(fd, &stats) != 0 || fclose(out) != 0)
		return 5;
	printf("received %lld recoveries %d failures %llu\n", h.received, h.recoveries,
	       stats.failures);
	return ha_disconnect(fd) == 0 ? 0 : 6;
}
