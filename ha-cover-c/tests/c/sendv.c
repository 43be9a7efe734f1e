/*
 * send() and writev() across deaths of an echo server on a Unix socket
 * (SOCKET=path). Each death is met by the call: the dead peer gives EPIPE
 * (and no SIGPIPE, which would end the program), the recovery function
 * reconnects, and the call is sent again on the new connection. recv() and
 * readv() then read its echo, byte for byte. Before each death the program
 * also connects a plain socket to the server; after it, the same call on that
 * socket shows what the HA descriptor's would have returned uncovered.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <ha/cover.h>

static struct sockaddr_un server = {.sun_family = AF_UNIX};

static int recover(int fd, void *h)
{
	if (ha_reconnect(fd) < 0)
		return errno == ECONNREFUSED || errno == ENOENT ? HA_RETRY : -1;
	(*(int *)h)++;
	return fd;
}

/* A plain socket the server has answered once, so that it was accepted. */
static int plain_socket(void)
{
	char buf[2];
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&server, sizeof server) != 0 ||
	    send(fd, "p\n", 2, 0) != 2 || recv(fd, buf, 2, MSG_WAITALL) != 2)
		return -1;
	return fd;
}

static void wait_for_test(void)
{
	char line[16];
	printf("ready\n");
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		exit(2);
}

static sigset_t sigpipe;

/* Holds SIGPIPE back for a call on a plain socket. */
static void hold_sigpipe(void)
{
	sigemptyset(&sigpipe);
	sigaddset(&sigpipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &sigpipe, NULL);
}

/* "ok", or the errno's name of the call on the plain socket; the SIGPIPE it
 * raised is discarded, so that the program lives on. */
static const char *plain_result(ssize_t n)
{
	const char *result = n >= 0 ? "ok" : strerrorname_np(errno);
	struct timespec none = {0, 0};
	while (sigtimedwait(&sigpipe, NULL, &none) == SIGPIPE)
		;
	pthread_sigmask(SIG_UNBLOCK, &sigpipe, NULL);
	return result;
}

/* Prints n bytes, with a newline shown as \n. */
static void show(const char *p, ssize_t n)
{
	for (ssize_t i = 0; i < n; i++)
		if (p[i] == '\n')
			fputs("\\n", stdout);
		else
			putchar(p[i]);
}

int main(void)
{
	int recoveries = 0;
	char echo[64];
	strncpy(server.sun_path, getenv("SOCKET"), sizeof server.sun_path - 1);
	int fd = ha_connect((struct sockaddr *)&server, sizeof server, recover, &recoveries, 0);
	if (fd < 0 || send(fd, "hello\n", 6, 0) != 6 || recv(fd, echo, 6, MSG_WAITALL) != 6)
		return 1;

	/* Death 1, met by send(). */
	int plain = plain_socket();
	if (plain < 0)
		return 3;
	wait_for_test();
	hold_sigpipe();
	printf("1 plain=%s", plain_result(send(plain, "first\n", 6, 0)));
	close(plain);
	ssize_t sent = send(fd, "first\n", 6, 0);
	printf(" send=%zd recoveries=%d", sent, recoveries);
	memset(echo, 0, sizeof echo);
	ssize_t got = recv(fd, echo, 6, MSG_WAITALL);
	printf(" recv=%zd ", got);
	show(echo, got);
	printf("\n");

	/* Death 2, met by writev(); readv() gets the echo in two parts. */
	plain = plain_socket();
	if (plain < 0)
		return 4;
	wait_for_test();
	struct iovec out[2] = {{"sec", 3}, {"ond\n", 4}};
	hold_sigpipe();
	printf("2 plain=%s", plain_result(writev(plain, out, 2)));
	close(plain);
	sent = writev(fd, out, 2);
	printf(" writev=%zd recoveries=%d", sent, recoveries);
	char a[3] = {0}, b[4] = {0};
	struct iovec in[2] = {{a, sizeof a}, {b, sizeof b}};
	got = 0;
	while (got < 7) {
		ssize_t n = readv(fd, in, 2);
		if (n <= 0)
			break;
		got += n;
		/* The rest of a short read goes on where it stopped. */
		size_t left = n;
		for (int i = 0; i < 2; i++) {
			size_t take = left < in[i].iov_len ? left : in[i].iov_len;
			in[i].iov_base = (char *)in[i].iov_base + take;
			in[i].iov_len -= take;
			left -= take;
		}
	}
	printf(" readv=%zd [", got);
	show(a, sizeof a);
	printf("][");
	show(b, sizeof b);
	printf("]\n");

	struct ha_cover_stats stats;
	if (ha_cover_stats(fd, &stats) != 0)
		return 5;
	printf("stats failures=%llu recoveries=%llu last=%s\n", stats.failures, stats.recoveries,
	       strerrorname_np(stats.last_errno));
	return ha_disconnect(fd) == 0 ? 0 : 6;
}
