/*
 * open()+close() of a local file in a loop (argv[2] "open"), or fstat() of
 * one descriptor (argv[2] "fstat"): what preloading libha_cover costs calls
 * on paths and descriptors it does not cover. argv[1] is the count, argv[3]
 * the file. Prints the mean time per iteration in nanoseconds.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	if (argc < 4)
		return 1;
	long n = atol(argv[1]);
	int open_close = strcmp(argv[2], "open") == 0;
	const char *path = argv[3];
	struct timespec a, b;
	struct stat st;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		if (open_close) {
			int f = open(path, O_RDONLY);
			if (f < 0 || close(f) != 0)
				return 3;
		} else if (fstat(fd, &st) != 0) {
			return 4;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.2f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
