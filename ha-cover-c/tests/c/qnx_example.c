/*
 * QNX's example client of the HA library (ha_attach & co), as QNX documents
 * it, with two changes: TESTFILE comes from the environment (the test's FUSE
 * mount rather than /net/machine99), and where QNX sleeps 18 seconds for
 * fs-nfs3 to fail and be restarted, the program says "ready" and waits for
 * the test to have killed and restarted the server. It also prints what the
 * second read returned.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <errno.h>
#include <ha/cover.h>

#define TESTFILE getenv("TESTFILE")

typedef struct handle {
	int nr;
	int curr_offset;
} Handle ;

static void server_dies_and_restarts(void)
{
	char line[16];
	printf("ready\n");
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		exit(2);
}

int recover_conn(int oldfd, void *hdl)
{
	int newfd;
	Handle *thdl;
	thdl = (Handle *)hdl;
	newfd = ha_reopen(oldfd, TESTFILE, O_RDONLY);
	if (newfd >= 0) {
		// adjust file offset to previously known point
		lseek(newfd, thdl->curr_offset, SEEK_SET);
		// increment our count of successful recoveries
		(thdl->nr)++;
	}
	return(newfd);
}

int main(int argc, char *argv[])
{
	int status;
	int fd;
	int fd2;
	Handle hdl;
	char buf[80];

	hdl.nr = 0;
	hdl.curr_offset = 0;
	// open a connection
	// recovery will be using "recovery_conn", and "hdl" will
	// be passed to it as a parameter
	fd = ha_open(TESTFILE, O_RDONLY, recover_conn, (void *)&hdl, 0);
	if (fd < 0) {
		printf("could not open file\n");
		exit(-1);
	}
	status = read(fd,buf,15);
	if (status < 0) {
		printf("error: %s\n",strerror(errno));
		exit(-1);
	}
	else {
		hdl.curr_offset += status;
	}
	fd2 = ha_dup(fd);
	// fs-nfs3 fails, and is restarted, the network mounts
	// are reinstated at this point.
	// Our previous "fd" to the file is stale
	server_dies_and_restarts();
	// reading from dup-ped fd
	// will fail, and will recover via recover_conn
	status = read(fd,buf,15);
	if (status < 0) {
		printf("error: %s\n",strerror(errno));
		exit(-1);
	}
	else {
		hdl.curr_offset += status;
	}
	printf("read: %.*s\n", status, buf);
	printf("total recoveries, %d\n",hdl.nr);
	ha_close(fd);
	ha_close(fd2);
	exit(0);
}
