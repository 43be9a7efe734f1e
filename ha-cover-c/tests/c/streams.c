/*
 * Reads and writes across one death of the server, with the calls ha_fopen()
 * streams and readv() make:
 *   - readv() on an HA descriptor of TESTFILE (the alphabet), in two parts;
 *   - fread() on an ha_fopen(TESTFILE2, "r") stream, a file larger than the
 *     stream's buffer, so that the death is met by a read under fread();
 *   - fprintf() of records on an ha_fopen(argv[1], "w") stream, the death met
 *     by the write under fflush().
 * Each has its own recovery function and count; reads are checked byte for
 * byte here, the written file by the test. A plain descriptor's read after
 * the death shows what every call would have returned uncovered.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <ha/cover.h>

struct handle { const char *path; int flags; int recoveries; };

static int recover(int fd, void *h)
{
	struct handle *hdl = h;
	off_t at = lseek(fd, 0, SEEK_CUR); /* where the dead file was */
	if (ha_reopen(fd, hdl->path, hdl->flags) < 0 || lseek(fd, at, SEEK_SET) != at)
		return HA_RETRY;
	hdl->recoveries++;
	return fd;
}

static unsigned char expected(long long k)
{
	return (unsigned char)((k * 7 + 3) % 251);
}

static int record(FILE *fp, int n)
{
	return fprintf(fp, "record %06d %-49s\n", n, "abcdefghijklmnopqrstuvwxyz") == 64 ? 0 : -1;
}

int main(int argc, char *argv[])
{
	if (argc < 2)
		return 1;
	struct handle vh = {getenv("TESTFILE"), O_RDONLY, 0};
	struct handle rh = {getenv("TESTFILE2"), O_RDONLY, 0};
	struct handle wh = {argv[1], O_WRONLY, 0};
	int fd = ha_open(vh.path, O_RDONLY, recover, &vh, 0);
	FILE *in = ha_fopen(rh.path, "r", recover, &rh, 0);
	FILE *out = ha_fopen(wh.path, "w", recover, &wh, 0);
	int plain = open(vh.path, O_RDONLY);
	if (fd < 0 || in == NULL || out == NULL || plain < 0)
		return 3;

	char a[4], b[6];
	struct iovec parts[2] = {{a, sizeof a}, {b, sizeof b}};
	if (readv(fd, parts, 2) != 10 || memcmp(a, "0123", 4) != 0 || memcmp(b, "456789", 6) != 0)
		return 4;
	unsigned char buf[1000];
	long long got = 0, mismatches = 0;
	if (fread(buf, 1, sizeof buf, in) != sizeof buf)
		return 5;
	for (size_t i = 0; i < sizeof buf; i++)
		mismatches += buf[i] != expected(got + i);
	got += sizeof buf;
	for (int n = 0; n < 100; n++)
		if (record(out, n) != 0)
			return 6;
	if (fflush(out) != 0)
		return 7;

	printf("ready\n");
	fflush(stdout);
	char line[16];
	if (fgets(line, sizeof line, stdin) == NULL)
		return 2;

	errno = 0;
	printf("plain %s\n", read(plain, a, 1) < 0 ? strerrorname_np(errno) : "ok");

	char c[5], d[10];
	struct iovec more[2] = {{c, sizeof c}, {d, sizeof d}};
	ssize_t n = readv(fd, more, 2);
	printf("readv %zd [%.5s][%.10s] recoveries %d\n", n, c, d, vh.recoveries);

	size_t k;
	while ((k = fread(buf, 1, sizeof buf, in)) > 0) {
		for (size_t i = 0; i < k; i++)
			mismatches += buf[i] != expected(got + i);
		got += k;
	}
	printf("fread %lld bytes mismatches %lld error %d recoveries %d\n", got, mismatches,
	       ferror(in), rh.recoveries);

	for (int n = 100; n < 200; n++)
		if (record(out, n) != 0)
			return 8;
	int flushed = fflush(out);
	printf("fprintf flushed %d error %d recoveries %d\n", flushed, ferror(out), wh.recoveries);

	close(plain);
	return ha_close(fd) == 0 && ha_fclose(in) == 0 && ha_fclose(out) == 0 ? 0 : 9;
}
