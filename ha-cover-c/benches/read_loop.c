/*
 * 64-byte reads of /dev/zero in a loop: what the library costs a read on a
 * descriptor that is not HA-aware (built with and without -lha_cover), and
 * on one that is (-DHA: the descriptor is ha_attach()ed). Prints the mean
 * time per read in nanoseconds.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#ifdef HA
#include <ha/cover.h>
#endif

int main(int argc, char *argv[])
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	char buf[64];
	struct timespec a, b;
	int fd = open("/dev/zero", O_RDONLY);
	if (fd < 0)
		return 1;
#ifdef HA
	if (ha_attach(fd, NULL, NULL, 0) != 0)
		return 2;
#endif
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		if (read(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
			return 3;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.2f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
