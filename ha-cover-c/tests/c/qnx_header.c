/*
 * A program written against QNX's <ha/cover.h>: every declaration it has,
 * used the way QNX documents them. It must compile unmodified with
 * -I ha-cover-c/include -lha_cover, warnings as errors, as C and as C++, and
 * run (on an ordinary file, nothing dies here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <ha/cover.h>
#include <ha/types.h>
#include <ha/fcntl.h>
#include <ha/unistd.h>
#include <ha/stdio.h>

static const char *path;

static int recover(int coid, void *rhdl)
{
	int *count = (int *)rhdl;
	(*count)++;
	return ha_reopen(coid, path, O_RDWR);
}

#define CHECK(cond) do { if (!(cond)) { printf("failed: %s (line %d, %s)\n", #cond, __LINE__, strerror(errno)); return 1; } } while (0)

int main(int argc, char *argv[])
{
	RFp rfn = recover;
	int count = 0;
	char buf[32];
	(void)argc;
	path = argv[1];

	int fd = ha_creat(path, 0600, rfn, &count, 0);
	CHECK(fd >= 0);
	CHECK(write(fd, "0123456789", 10) == 10);
	CHECK(ha_close(fd) == 0);
	fd = ha_creat64(path, 0600, rfn, &count, 0);
	CHECK(fd >= 0 && ha_close(fd) == 0);

	fd = ha_open(path, O_RDWR | O_CREAT, rfn, &count, 0, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "abcdefghij", 10) == 10);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(read(fd, buf, 4) == 4 && memcmp(buf, "abcd", 4) == 0);
	CHECK(pread(fd, buf, 3, 7) == 3 && memcmp(buf, "hij", 3) == 0);
	CHECK(pwrite(fd, "XY", 2, 0) == 2);
	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0);

	CHECK(ha_attach(fd, rfn, &count, 0) == -1 && errno == EEXIST);
	CHECK(ha_attach(fd, rfn, &count, HAREPLACERECOVERYFN) == 0);
	CHECK(ha_connection_ctrl(fd, HA_RECOVERY_ACOUNT, (void *)10) == 0);
	CHECK(ha_connection_ctrl(fd, HA_RECOVERY_ICOUNT, (void *)-1) == 0);
	CHECK(ha_connection_ctrl(fd, HA_RECOVERY_SUSPEND, NULL) == 0);
	CHECK(ha_connection_ctrl(fd, HA_RECOVERY_ENABLE, NULL) == 0);
	CHECK(ha_connection_ctrl(fd, HA_RECOVERY_RESET_ICOUNT, NULL) == 0);
	CHECK(ha_connection_ctrl(fd, HA_RECOVERY_RESET_ACOUNT, NULL) == 0);

	/* ha_reopen keeps the number, for the descriptor and its dups. */
	int fd2 = ha_dup(fd);
	CHECK(fd2 >= 0 && fd2 != fd);
	CHECK(ha_reopen(fd, path, O_RDWR) == fd);
	CHECK(ha_reopen(fd, path, O_RDWR | O_CREAT | O_TRUNC, 0600) == fd);
	CHECK(lseek(fd, 0, SEEK_CUR) == 0);
	CHECK(read(fd2, buf, 2) == 2 && memcmp(buf, "XY", 2) == 0); /* not truncated */
	CHECK(lseek(fd, 0, SEEK_CUR) == 2); /* one open file again */
	CHECK(ha_close(fd2) == 0);
	CHECK(ha_detach(fd) == 0 && close(fd) == 0);

	fd = ha_open64(path, O_RDONLY, rfn, &count, 0);
	CHECK(fd >= 0 && ha_detach(fd) == 0 && ha_detach(fd) == -1 && errno == EBADF);
	CHECK(close(fd) == 0);

	FILE *fp = ha_fopen(path, "w", rfn, &count, 0);
	CHECK(fp != NULL);
	CHECK(fprintf(fp, "%d %s\n", 42, "answer") > 0);
	CHECK(ha_fclose(fp) == 0);
	fp = ha_fopen(path, "r", rfn, &count, 0);
	int number = 0;
	char word[16];
	CHECK(fp != NULL && fscanf(fp, "%d %15s", &number, word) == 2);
	CHECK(number == 42 && strcmp(word, "answer") == 0);
	CHECK(fseek(fp, 0, SEEK_SET) == 0 && fgets(buf, sizeof buf, fp) != NULL);
	CHECK(strcmp(buf, "42 answer\n") == 0);
	CHECK(ha_fclose(fp) == 0);
	CHECK(ha_fopen(path, "q", rfn, &count, 0) == NULL && errno == EINVAL);

	/* Ordinary descriptors are untouched. */
	int pipefd[2];
	CHECK(pipe(pipefd) == 0);
	CHECK(write(pipefd[1], "pipe", 4) == 4 && read(pipefd[0], buf, 4) == 4);
	CHECK(ha_dup(pipefd[0]) == -1 && errno == EBADF);
	close(pipefd[0]);
	close(pipefd[1]);

	printf("ok recoveries %d\n", count);
	return 0;
}
