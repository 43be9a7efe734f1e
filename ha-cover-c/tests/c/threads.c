/*
 * Threads failing at once: eight threads, half on the descriptor and half on
 * ha_dup()s of it, released together against a dead server. One recovery
 * serves them all, and every thread reads the right bytes.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ha/cover.h>

#define THREADS 8
#define CHUNK 512

static int recoveries;

static int recover(int fd, void *h)
{
	(void)h;
	/* Slow, so that every thread fails while this runs. */
	usleep(50 * 1000);
	int nfd = ha_reopen(fd, getenv("TESTFILE"), O_RDONLY);
	if (nfd >= 0)
		__atomic_fetch_add(&recoveries, 1, __ATOMIC_SEQ_CST);
	return nfd;
}

static pthread_barrier_t start;

struct job { int fd; int index; int ok; };

static unsigned char byte_at(long k)
{
	return (unsigned char)((k * 7 + 3) % 251);
}

static void *reader(void *arg)
{
	struct job *job = arg;
	unsigned char buf[CHUNK];
	pthread_barrier_wait(&start);
	ssize_t n = pread(job->fd, buf, CHUNK, (off_t)job->index * CHUNK);
	job->ok = n == CHUNK;
	for (int i = 0; job->ok && i < CHUNK; i++)
		job->ok = buf[i] == byte_at((long)job->index * CHUNK + i);
	return NULL;
}

int main(void)
{
	int fd = ha_open(getenv("TESTFILE"), O_RDONLY, recover, NULL, 0);
	if (fd < 0)
		return 1;
	struct job jobs[THREADS];
	pthread_t threads[THREADS];
	for (int i = 0; i < THREADS; i++) {
		jobs[i].fd = i % 2 ? ha_dup(fd) : fd;
		jobs[i].index = i;
		if (jobs[i].fd < 0)
			return 3;
	}
	pthread_barrier_init(&start, NULL, THREADS + 1);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&threads[i], NULL, reader, &jobs[i]);
	printf("ready\n");
	fflush(stdout);
	char line[16];
	if (fgets(line, sizeof line, stdin) == NULL)
		return 2;
	pthread_barrier_wait(&start);
	int ok = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(threads[i], NULL);
		ok += jobs[i].ok;
	}
	struct ha_cover_stats stats;
	ha_cover_stats(fd, &stats);
	printf("ok %d recoveries %d failures %llu\n", ok, recoveries, stats.failures);
	for (int i = 0; i < THREADS; i++)
		if (jobs[i].fd != fd)
			ha_close(jobs[i].fd);
	ha_close(fd);
	return 0;
}
