/*
 * ha_connection_ctrl(): HA_RECOVERY_ACOUNT, _SUSPEND/_ENABLE, _ICOUNT and the
 * resets. Where recovery does not happen, the read must fail exactly as a
 * plain descriptor on the same dead mount does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ha/cover.h>

/* fail: 0 recovers, 1 gives up (-1), 2 fails this attempt (HA_RETRY). */
struct handle { int calls; int fail; };

static int recover(int fd, void *h)
{
	struct handle *hdl = h;
	hdl->calls++;
	if (hdl->fail == 2)
		return HA_RETRY;
	if (hdl->fail)
		return -1;
	off_t at = lseek(fd, 0, SEEK_CUR);
	int nfd = ha_reopen(fd, getenv("TESTFILE"), O_RDONLY);
	if (nfd >= 0 && lseek(nfd, at, SEEK_SET) != at)
		return -1;
	return nfd;
}

/* What ha_cover_on_event() told, by kind and, for give-ups, by reason. */
static int events[8], reasons[8];

static void on_event(int coid, const struct ha_event *ev, void *ctx)
{
	(void)coid;
	(void)ctx;
	events[ev->kind & 7]++;
	if (ev->kind == HA_EVENT_GAVE_UP)
		reasons[ev->reason & 7]++;
}

static void wait_for_test(void)
{
	char line[16];
	printf("ready\n");
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		exit(2);
}

static const char *name(ssize_t n, int err)
{
	return n >= 0 ? "ok" : strerrorname_np(err);
}

/* One read of 4 bytes on the HA descriptor; "ok" or the errno's name. */
static const char *ha_read(int fd)
{
	char buf[4];
	errno = 0;
	ssize_t n = read(fd, buf, sizeof buf);
	return name(n, errno);
}

static const char *plain_read(int plain)
{
	char buf[4];
	errno = 0;
	ssize_t n = read(plain, buf, sizeof buf);
	return name(n, errno);
}

int main(void)
{
	struct handle h = {0, 0};
	const char *path = getenv("TESTFILE");
	int fd = ha_open(path, O_RDONLY, recover, &h, 0);
	if (fd < 0)
		return 1;
	if (ha_connection_ctrl(fd, HA_RECOVERY_ACOUNT, (void *)1) != 0)
		return 3;
	if (ha_cover_on_event(fd, on_event, NULL) != 0)
		return 6;
	if (ha_connection_ctrl(fd, 42, (void *)1) != -1 || errno != EINVAL)
		return 4;
	printf("start %s\n", ha_read(fd));

	/* Death 1: within the total of one recovery. */
	wait_for_test();
	const char *r = ha_read(fd);
	printf("1 %s calls=%d\n", r, h.calls);

	/* Death 2: the total is used up; the error is the plain descriptor's. */
	int plain = open(path, O_RDONLY);
	wait_for_test();
	printf("2 plain=%s", plain_read(plain));
	r = ha_read(fd);
	printf(" ha=%s calls=%d\n", r, h.calls);

	/* Suspended: still the plain error. Enabled: recovers. */
	ha_connection_ctrl(fd, HA_RECOVERY_RESET_ACOUNT, 0);
	ha_connection_ctrl(fd, HA_RECOVERY_SUSPEND, 0);
	r = ha_read(fd);
	printf("3 suspended=%s calls=%d\n", r, h.calls);
	ha_connection_ctrl(fd, HA_RECOVERY_ENABLE, 0);
	r = ha_read(fd);
	printf("4 enabled=%s calls=%d\n", r, h.calls);

	/* Death 3: one attempt per failure; the attempt fails, and the next
	 * failure does not even call the function until the count is reset. */
	ha_connection_ctrl(fd, HA_RECOVERY_ACOUNT, (void *)-1);
	ha_connection_ctrl(fd, HA_RECOVERY_ICOUNT, (void *)1);
	close(plain);
	plain = open(path, O_RDONLY);
	wait_for_test();
	h.fail = 2;
	printf("5 plain=%s", plain_read(plain));
	printf(" ha=%s", ha_read(fd));
	r = ha_read(fd);
	printf(" again=%s calls=%d\n", r, h.calls);
	h.fail = 0;
	ha_connection_ctrl(fd, HA_RECOVERY_RESET_ICOUNT, 0);
	r = ha_read(fd);
	printf("6 reset=%s calls=%d\n", r, h.calls);

	struct ha_cover_stats stats;
	if (ha_cover_stats(fd, &stats) != 0)
		return 5;
	printf("stats failures=%llu recoveries=%llu attempts=%llu gave_up=%llu last=%s\n",
	       stats.failures, stats.recoveries, stats.attempts, stats.gave_up,
	       strerrorname_np(stats.last_errno));
	printf("events failed=%d attempt_failed=%d recovered=%d gave_up=%d\n",
	       events[HA_EVENT_FAILED], events[HA_EVENT_ATTEMPT_FAILED],
	       events[HA_EVENT_RECOVERED], events[HA_EVENT_GAVE_UP]);
	printf("reasons total=%d suspended=%d attempts=%d\n", reasons[HA_GAVE_UP_TOTAL],
	       reasons[HA_GAVE_UP_SUSPENDED], reasons[HA_GAVE_UP_ATTEMPTS]);
	close(plain);
	ha_close(fd);
	return 0;
}
