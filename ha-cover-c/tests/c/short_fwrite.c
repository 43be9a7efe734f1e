/*
 * fwrite() of 1 MiB on an ha_fopen() stream whose write(2)s come back short,
 * with no server involved: the stream is a FIFO, and its reader interrupts
 * the writer with a signal each time it has made room. A pipe write that
 * transferred part of its bytes returns that part when a signal arrives
 * (SA_RESTART restarts only writes that transferred nothing).
 *
 * First a plain write(2) of the same megabyte shows the setup does give short
 * counts; then fwrite() on the ha_fopen() stream must write it all, as fwrite()
 * on a plain fopen() stream does, with no error on the stream. The reader
 * checks every byte. argv[1] is where to make the FIFO.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ha/cover.h>

#define SIZE (1 << 20)

static const char *fifo;
static pthread_t writer;

struct result { long long got, mismatches; };

static unsigned char expected(long long k)
{
	return (unsigned char)((k * 7 + 3) % 251);
}

static void on_signal(int sig)
{
	(void)sig;
}

/* Reads the FIFO to its end a page at a time, signalling the writer after
 * each page, while it waits for room. */
static void *reader(void *arg)
{
	struct result *r = arg;
	int fd = open(fifo, O_RDONLY);
	if (fd < 0)
		return NULL;
	unsigned char buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			r->mismatches += buf[i] != expected(r->got + i);
		r->got += n;
		usleep(100);
		pthread_kill(writer, SIGUSR1);
	}
	close(fd);
	return NULL;
}

static unsigned char data[SIZE];

int main(int argc, char *argv[])
{
	if (argc < 2)
		return 1;
	fifo = argv[1];
	for (long long k = 0; k < SIZE; k++)
		data[k] = expected(k);
	struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	if (mkfifo(fifo, 0600) != 0 || sigaction(SIGUSR1, &sa, NULL) != 0)
		return 2;
	writer = pthread_self();

	/* Plain write(2)s: how many come back short. */
	struct result plain = {0, 0};
	pthread_t t;
	if (pthread_create(&t, NULL, reader, &plain) != 0)
		return 3;
	int fd = open(fifo, O_WRONLY);
	if (fd < 0)
		return 4;
	int shorts = 0;
	size_t done = 0;
	while (done < SIZE) {
		ssize_t n = write(fd, data + done, SIZE - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 5;
		shorts += (size_t)n < SIZE - done;
		done += n;
	}
	close(fd);
	pthread_join(t, NULL);
	printf("plain short writes %s read %lld mismatches %lld\n", shorts > 0 ? "some" : "none",
	       plain.got, plain.mismatches);

	/* The same megabyte with one fwrite() on an ha_fopen() stream. */
	struct result covered = {0, 0};
	if (pthread_create(&t, NULL, reader, &covered) != 0)
		return 6;
	FILE *fp = ha_fopen(fifo, "w", NULL, NULL, 0);
	if (fp == NULL)
		return 7;
	size_t written = fwrite(data, 1, SIZE, fp);
	int error = ferror(fp);
	int flushed = fflush(fp);
	if (ha_fclose(fp) != 0)
		return 8;
	pthread_join(t, NULL);
	printf("fwrite %zu error %d flushed %d read %lld mismatches %lld\n", written, error,
	       flushed, covered.got, covered.mismatches);
	return 0;
}
