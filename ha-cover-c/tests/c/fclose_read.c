/* Plain stdio, no -lha_cover (run preloaded): reads a file opened with
 * fopen(path, "r") to its end, waits for "go" on stdin (its server killed
 * and restarted meanwhile), then closes it: "fclose 0" when the close says
 * nothing of the dead connection, as close() of a read-only descriptor. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    char buf[4096], line[16];
    size_t total = 0, n;
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        printf("fopen %s\n", strerror(errno));
        return 1;
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        total += n;
    printf("read %zu\n", total);
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin))
        return 1;
    errno = 0;
    int ret = fclose(f);
    printf("fclose %d %s\n", ret, ret ? strerror(errno) : "");
    return 0;
}
