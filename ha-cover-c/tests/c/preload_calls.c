/*
 * The calls around the data path, in a program that knows nothing of the
 * library: run with libha_cover.so preloaded and HA_COVER_PATHS covering the
 * mount in MNT. Between steps it says "ready" and waits for a line while the
 * test kills the FUSE server and restarts it.
 *
 *   1. Opens MNT/data every way (open, open64, openat on a directory
 *      descriptor, relative to a covered current directory, fopen, the
 *      fortified __open_2), dups it (dup, dup2, dup3, F_DUPFD_CLOEXEC), takes
 *      an fcntl write lock, creates MNT/created. After a death: fstat,
 *      fstatat(AT_EMPTY_PATH), statx on the descriptor, reads through every
 *      descriptor and the stream, fileno(), ftruncate, fsync, fdatasync,
 *      posix_fadvise; a forked child sees the lock held (it was taken back),
 *      and reads too; descriptor 5, inherited open on MNT/data, reads on.
 *   2. While the server is down: stat, lstat, access and open of other files
 *      wait for it.
 *   3. close_range detaches; then a lock taken by someone else while the
 *      server was down cannot be taken back: the descriptor fails loudly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void step(void)
{
	char line[16];
	printf("ready\n");
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		exit(2);
}

static unsigned char expected(long k)
{
	return (unsigned char)((k * 7 + 3) % 251);
}

/* Reads 10 bytes at the descriptor's position, checked against where it is. */
static const char *read10(int fd, long at)
{
	unsigned char buf[10];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n != 10)
		return n < 0 ? strerrorname_np(errno) : "short";
	for (int i = 0; i < 10; i++)
		if (buf[i] != expected(at + i)) {
			/* Where the bytes read are from, for the test's message. */
			char *where = malloc(32);
			long from = -1;
			for (long k = 0; k < 65536 && from < 0; k++)
				if (memcmp(buf, (unsigned char[10]){expected(k), expected(k + 1),
					expected(k + 2), expected(k + 3), expected(k + 4), expected(k + 5),
					expected(k + 6), expected(k + 7), expected(k + 8), expected(k + 9)}, 10) == 0)
					from = k;
			snprintf(where, 32, "from-%ld", from);
			return where;
		}
	return "ok";
}

static const char *rc(int ret)
{
	return ret == 0 ? "ok" : strerrorname_np(errno);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
	const char *mnt = getenv("MNT");
	char data[4096], created[4096], other[4096];
	snprintf(data, sizeof data, "%s/data", mnt);
	snprintf(created, sizeof created, "%s/created", mnt);
	snprintf(other, sizeof other, "%s/other", mnt);
	volatile int rdonly = O_RDONLY;

	int fd = open(data, O_RDWR);
	int fd64 = open64(data, O_RDONLY);
	int dir = open(mnt, O_RDONLY | O_DIRECTORY);
	int at = openat(dir, "data", O_RDONLY);
	if (chdir(mnt) != 0)
		return 3;
	int rel = open("data", O_RDONLY);
	int fort = open(data, rdonly); /* __open_2 under _FORTIFY_SOURCE */
	FILE *fp = fopen(data, "r");
	int made = creat(created, 0644);
	int d1 = dup(fd), d2 = dup2(fd, 50), d3 = dup3(fd, 51, O_CLOEXEC);
	int d4 = fcntl(fd, F_DUPFD_CLOEXEC, 60);
	struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100};
	if (fd < 0 || fd64 < 0 || dir < 0 || at < 0 || rel < 0 || fort < 0 || fp == NULL ||
	    made < 0 || d1 < 0 || d2 != 50 || d3 != 51 || d4 < 60)
		return 4;
	if (fcntl(fd, F_SETLK, &lock) != 0)
		return 5;
	printf("opened fileno %s\n", fileno(fp) > 2 ? "real" : "missing");
	/* Positions: fd and its dups at 0, the others at 0 too. */
	printf("before %s %s %s %s %s\n", read10(fd, 0), read10(fd64, 0), read10(at, 0),
	       read10(rel, 0), read10(fort, 0));
	if (write(made, "hello world", 11) != 11)
		return 6;

	step(); /* the server dies and comes back */

	struct stat st;
	struct statx stx;
	printf("stat %s %s %s\n", rc(fstat(fd, &st)), rc(fstatat(fd, "", &st, AT_EMPTY_PATH)),
	       rc(statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &stx)));
	printf("size %lld %lld\n", (long long)st.st_size, (long long)stx.stx_size);
	/* fd and its four dups share one position: 10, 20, ... 50. */
	const char *r0 = read10(fd, 10), *r1 = read10(d1, 20), *r2 = read10(d2, 30);
	const char *r3 = read10(d3, 40), *r4 = read10(d4, 50);
	printf("dups %s %s %s %s %s\n", r0, r1, r2, r3, r4);
	printf("reads %s %s %s %s inherited %s\n", read10(fd64, 10), read10(at, 10),
	       read10(rel, 10), read10(fort, 10), read10(5, 0));
	unsigned char buf[10];
	size_t got = fread(buf, 1, 10, fp);
	const char *same = buf[0] == expected(0) && buf[9] == expected(9) ? "ok" : "wrong";
	printf("fread %zu %s fileno %s\n", got, same,
	       fstat(fileno(fp), &st) == 0 ? "ok" : strerrorname_np(errno));
	const char *wrote = write(made, "!", 1) == 1 ? "ok" : strerrorname_np(errno);
	const char *truncated = rc(ftruncate(made, 5));
	const char *synced = rc(fsync(made));
	const char *data_synced = rc(fdatasync(made));
	int advised = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	printf("write %s truncate %s sync %s %s advise %d\n", wrote, truncated, synced, data_synced,
	       advised);
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		/* The lock is the parent's again: a new open file sees it. */
		int mine = open(data, O_RDWR);
		struct flock probe = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
		int got = fcntl(mine, F_GETLK, &probe);
		printf("child lock %s read %s\n",
		       got == 0 && probe.l_type == F_WRLCK && probe.l_pid == getppid() ? "held" : "free",
		       read10(at, 20));
		fflush(stdout);
		_exit(0);
	}
	int status;
	waitpid(child, &status, 0);

	step(); /* the server dies and stays down a while */

	double began = now();
	int stat_rc = stat(data, &st), lstat_rc = lstat(data, &st), access_rc = access(data, R_OK);
	int opened = open(other, O_RDONLY);
	printf("down %s %s %s open %s waited %s\n", rc(stat_rc), rc(lstat_rc), rc(access_rc),
	       opened >= 0 ? "ok" : strerrorname_np(errno), now() - began > 0.1 ? "yes" : "no");

	/* close_range detaches what it closes: the number, handed out again for
	 * another file, is that file's. (Not a descriptor of data: closing one
	 * would release the lock.) */
	if (dup2(opened, 70) != 70)
		return 7;
	close_range(70, ~0U, 0);
	int again = open(other, O_RDONLY);
	if (dup2(again, 70) != 70)
		return 8;
	char word[6] = {0};
	printf("after close_range %s %s\n", read(70, word, 5) == 5 ? word : strerrorname_np(errno),
	       fcntl(70, F_GETFD) >= 0 ? "open" : "closed");

	step(); /* someone else locks the file while the server is down */

	ssize_t n = read(fd, buf, 10);
	const char *first = n < 0 ? strerrorname_np(errno) : "ok";
	n = read(fd, buf, 10);
	printf("lost lock %s then %s\n", first, n < 0 ? strerrorname_np(errno) : "ok");
	return 0;
}
