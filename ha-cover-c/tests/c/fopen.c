/*
 * ha_fopen() + fgets() across a death: every line of the file comes through
 * once, in order, and the recovery function ran once. The file is larger
 * than the stream's buffer, so the death is met by a read under fgets().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ha/cover.h>

static int recover(int fd, void *h)
{
	off_t at = lseek(fd, 0, SEEK_CUR); /* where the dead file was */
	int nfd = ha_reopen(fd, getenv("TESTFILE"), O_RDONLY);
	if (nfd < 0 || lseek(nfd, at, SEEK_SET) != at)
		return -1;
	(*(int *)h)++;
	return nfd;
}

int main(void)
{
	int recoveries = 0;
	char line[64], expected[64];
	FILE *fp = ha_fopen(getenv("TESTFILE"), "r", recover, &recoveries, 0);
	if (fp == NULL)
		return 1;
	if (fgets(line, sizeof line, fp) == NULL || strcmp(line, "line 0000\n") != 0)
		return 3;
	printf("ready\n");
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 2;
	int n = 1;
	while (fgets(line, sizeof line, fp) != NULL) {
		snprintf(expected, sizeof expected, "line %04d\n", n);
		if (strcmp(line, expected) != 0) {
			printf("line %d is %s", n, line);
			return 4;
		}
		n++;
	}
	printf("lines %d error %d recoveries %d\n", n, ferror(fp), recoveries);
	return ha_fclose(fp) == 0 ? 0 : 5;
}
