/*
 * bench.h - what the benchmark drivers share: a monotonic clock in
 * seconds (timing only: no money goes near it) and the filter for the
 * agreement files of a directory.
 */
#ifndef LICET_BENCH_H
#define LICET_BENCH_H

#include <dirent.h>
#include <string.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* scandir filter: NAME.yaml, not hidden. */
static inline int bench_is_yaml(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 5 && d->d_name[0] != '.' && !strcmp(d->d_name + n - 5, ".yaml");
}

#endif
