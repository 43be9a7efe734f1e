/*
 * Threads sharing one HA descriptor (no dup each), as a QNX program's
 * threads do, while the test kills the FUSE server again and again. The
 * recovery function reopens and seeks back to where the dead file was.
 *
 *   shared_fd read:   THREADS threads read() the file at its one position,
 *                     pass after pass; each 8-byte word (its own number) must
 *                     be read once per pass, none from the file's start again.
 *   shared_fd write:  THREADS threads write() 64-byte records at the one
 *                     position; the test checks the file holds each once.
 *   shared_fd append: the same on a file opened O_APPEND (reopen only).
 *
 * Runs until the test says "stop"; an alarm turns a deadlock into a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ha/cover.h>

#define THREADS 6
#define CHUNK 4096
#define RECORD 64

struct handle { int recoveries; int pending; off_t at; int oflag; };

static int recover(int fd, void *h)
{
	struct handle *hdl = h;
	int append = hdl->oflag & O_APPEND;
	if (!append && !hdl->pending) {
		hdl->at = lseek(fd, 0, SEEK_CUR);
		hdl->pending = 1;
	}
	if (ha_reopen(fd, getenv("TESTFILE"), hdl->oflag) < 0)
		return HA_RETRY;
	if (!append && lseek(fd, hdl->at, SEEK_SET) != hdl->at)
		return HA_RETRY;
	hdl->pending = 0;
	hdl->recoveries++;
	return fd;
}

static int fd;
static volatile int stop;
static pthread_barrier_t pass_start, pass_end;
static unsigned char *seen;
static size_t words;
static long long failed_reads, bad_reads;

static void *reader(void *arg)
{
	(void)arg;
	uint64_t buf[CHUNK / 8];
	for (;;) {
		pthread_barrier_wait(&pass_start);
		if (stop)
			return NULL;
		for (;;) {
			ssize_t n = read(fd, buf, CHUNK);
			if (n < 0) {
				__atomic_fetch_add(&failed_reads, 1, __ATOMIC_SEQ_CST);
				break;
			}
			if (n == 0)
				break;
			if (n % 8) {
				__atomic_fetch_add(&bad_reads, 1, __ATOMIC_SEQ_CST);
				break;
			}
			for (ssize_t i = 0; i < n / 8; i++) {
				uint64_t w = buf[i];
				if (w >= words || (i > 0 && w != buf[0] + (uint64_t)i))
					__atomic_fetch_add(&bad_reads, 1, __ATOMIC_SEQ_CST);
				else
					__atomic_fetch_add(&seen[w], 1, __ATOMIC_SEQ_CST);
			}
			usleep(200);
		}
		pthread_barrier_wait(&pass_end);
	}
}

static int told_to_stop(void)
{
	struct pollfd in = {.fd = 0, .events = POLLIN};
	return poll(&in, 1, 0) > 0;
}

static int run_readers(void)
{
	off_t size = lseek(fd, 0, SEEK_END);
	words = (size_t)size / 8;
	seen = calloc(words, 1);
	pthread_t threads[THREADS];
	pthread_barrier_init(&pass_start, NULL, THREADS + 1);
	pthread_barrier_init(&pass_end, NULL, THREADS + 1);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&threads[i], NULL, reader, NULL);
	printf("ready\n");
	fflush(stdout);
	long long passes = 0, twice = 0, never = 0;
	do {
		memset(seen, 0, words);
		if (lseek(fd, 0, SEEK_SET) != 0)
			return 3;
		pthread_barrier_wait(&pass_start);
		pthread_barrier_wait(&pass_end);
		for (size_t w = 0; w < words; w++) {
			twice += seen[w] > 1;
			never += seen[w] == 0;
		}
		passes++;
	} while (!told_to_stop());
	stop = 1;
	pthread_barrier_wait(&pass_start);
	for (int i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);
	printf("twice %lld never %lld failed %lld bad %lld\n", twice, never, failed_reads, bad_reads);
	printf("passes %lld\n", passes);
	return 0;
}

static long long written[THREADS];
static long long failed_writes;

static void *writer(void *arg)
{
	int t = (int)(intptr_t)arg;
	char rec[RECORD + 1];
	while (!stop) {
		int len = snprintf(rec, sizeof rec, "thread %d record %08lld ", t, written[t]);
		memset(rec + len, '.', RECORD - 1 - len);
		rec[RECORD - 1] = '\n';
		ssize_t n = write(fd, rec, RECORD);
		if (n != RECORD) {
			if (__atomic_fetch_add(&failed_writes, 1, __ATOMIC_SEQ_CST) == 0)
				fprintf(stderr, "thread %d record %lld: write returned %zd: %s\n", t, written[t], n, strerror(errno));
			return NULL;
		}
		written[t]++;
		usleep(300);
	}
	return NULL;
}

static int run_writers(void)
{
	pthread_t threads[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&threads[i], NULL, writer, (void *)(intptr_t)i);
	printf("ready\n");
	fflush(stdout);
	char line[16];
	if (fgets(line, sizeof line, stdin) == NULL)
		return 2;
	stop = 1;
	for (int i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);
	printf("failed %lld\n", failed_writes);
	for (int i = 0; i < THREADS; i++)
		printf("thread %d wrote %lld\n", i, written[i]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 1;
	alarm(240);
	static struct handle h;
	if (strcmp(argv[1], "read") == 0)
		h.oflag = O_RDONLY;
	else if (strcmp(argv[1], "write") == 0)
		h.oflag = O_WRONLY;
	else
		h.oflag = O_WRONLY | O_APPEND;
	fd = ha_open(getenv("TESTFILE"), h.oflag, recover, &h, 0);
	if (fd < 0)
		return 1;
	int rc = h.oflag == O_RDONLY ? run_readers() : run_writers();
	printf("recoveries %d\n", h.recoveries);
	ha_close(fd);
	return rc;
}
