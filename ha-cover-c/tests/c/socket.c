/*
 * A socket recovered through the connect analogue: ha_connect() to an echo
 * server (Unix: SOCKET=path; TCP: PORT=n on 127.0.0.1), a line echoed, the
 * server killed and restarted, the next line echoed after ha_reconnect() in
 * the recovery function. The recovery function returns HA_RETRY while the
 * server is still down, and replays a handshake on the new connection. With argv[1] = "replay", the socket uses
 * HA_WRITE_REPLAY (for TCP, where a write to a dead peer can succeed and only
 * the read that follows fails).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <ha/cover.h>

static int recover(int fd, void *h)
{
	char hello[3];
	if (ha_reconnect(fd) < 0)
		return errno == ECONNREFUSED || errno == ENOENT ? HA_RETRY : -1;
	/* A handshake on the new connection, as a session protocol replays one:
	 * plain write() and read() on the descriptor, inside the recovery. */
	if (write(fd, "hi\n", 3) != 3 || read(fd, hello, 3) != 3 || memcmp(hello, "hi\n", 3) != 0)
		return HA_RETRY;
	(*(int *)h)++;
	return fd;
}

/* Writes `text` and reads its echo; prints the echo or the error. */
static int echo(int fd, const char *text)
{
	char buf[64];
	size_t len = strlen(text), got = 0;
	if (write(fd, text, len) != (ssize_t)len) {
		printf("write: %s\n", strerrorname_np(errno));
		return -1;
	}
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n <= 0) {
			printf("read: %zd %s\n", n, strerrorname_np(errno));
			return -1;
		}
		got += n;
	}
	printf("echo %.*s", (int)got, buf);
	return 0;
}

int main(int argc, char *argv[])
{
	int recoveries = 0;
	unsigned flags = argc > 1 && strcmp(argv[1], "replay") == 0 ? HA_WRITE_REPLAY : 0;
	int fd;
	if (getenv("SOCKET") != NULL) {
		struct sockaddr_un un = {.sun_family = AF_UNIX};
		strncpy(un.sun_path, getenv("SOCKET"), sizeof un.sun_path - 1);
		fd = ha_connect((struct sockaddr *)&un, sizeof un, recover, &recoveries, flags);
	} else {
		struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(atoi(getenv("PORT")))};
		in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fd = ha_connect((struct sockaddr *)&in, sizeof in, recover, &recoveries, flags);
	}
	if (fd < 0) {
		printf("connect: %s\n", strerrorname_np(errno));
		return 1;
	}
	if (echo(fd, "hello\n") != 0)
		return 3;
	printf("ready\n");
	fflush(stdout);
	char line[16];
	if (fgets(line, sizeof line, stdin) == NULL)
		return 2;
	/* Under the default policy a read that waited for an answer the dead
	 * server may or may not have sent fails (ECONNRESET) on a descriptor that
	 * is connected again: the same request then works. */
	if (echo(fd, "again\n") != 0 && echo(fd, "again\n") != 0)
		return 4;
	printf("recoveries %d\n", recoveries);

	/* The -errno forms, and EBADF once the descriptor is gone. */
	struct sockaddr_un nowhere = {.sun_family = AF_UNIX};
	strcpy(nowhere.sun_path, "/nonexistent/ha-cover.sock");
	int refused = ha_connect_r((struct sockaddr *)&nowhere, sizeof nowhere, recover, NULL, 0);
	int closed = ha_disconnect_r(fd);
	int again = ha_disconnect(fd);
	printf("connect_r %s disconnect_r %d disconnect %d %s\n", strerrorname_np(-refused), closed,
	       again, strerrorname_np(errno));
	return 0;
}
