/*
 * royalties.c - compute every royalty statement of a big sales file.
 *
 *   royalties AGREEMENTS_DIR SALES.csv
 *
 * Loads every .yaml file of AGREEMENTS_DIR (on two threads; not timed), then
 * streams SALES.csv through lic_sales_reader (one line at a time, reading
 * ahead on a second thread unless BENCH_ROY_AHEAD=0) and lic_roy (sums per
 * statement line): the x_agreement column names each line's agreement,
 * the file is sorted by agreement and period, and a period is closed into
 * its statement when the next line belongs to another period or
 * agreement.  The agreements share one field tree (the reader resolves
 * fields against the first).  Prints one line of KEY=VALUE:
 *
 *   lines statements royalty seconds maxrss_kib
 *
 * `royalty` is the sum of every statement's royalty (a checksum to compare
 * with the SQL computation).  Exits 1 on any error, 2 on usage errors.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"
#include "licet/agreement.h"
#include "licet/royalty.h"
#include "licet/sales.h"

typedef struct run {
    lic_agreement **ag;
    size_t nag, cur;            /* agreements by id (the files' order) */
    lic_roy *roy;
    lic_period period;
    bool open;
    long long statements;
    lic_amount royalty;
} run;

static int close_period(run *r)
{
    if (!r->open)
        return 0;
    const lic_roy_statement *st;
    if (lic_roy_close(r->roy, r->period, &st) || lic_amount_add(r->royalty, st->royalty, &r->royalty))
        return 1;
    r->statements++;
    r->open = false;
    return 0;
}

/* a == b, inline: ids are short, and most lines repeat the last one */
static inline bool same_id(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Moves to agreement `id` (the file is sorted, so only forward). */
static int switch_to(run *r, const char *id)
{
    if (!id) {
        fprintf(stderr, "royalties: the file has no x_agreement column\n");
        return 1;
    }
    if (r->roy && same_id(r->ag[r->cur]->id, id))
        return 0;
    if (close_period(r))
        return 1;
    lic_roy_free(r->roy);
    r->roy = NULL;
    while (r->cur < r->nag && strcmp(r->ag[r->cur]->id, id))
        r->cur++;
    if (r->cur == r->nag) {
        fprintf(stderr, "royalties: no agreement %s (or the file is not sorted)\n", id);
        return 1;
    }
    return lic_roy_new(r->ag[r->cur], NULL, &r->roy) ? 1 : 0;
}

/* Periods with the same fields are the same period: most lines repeat the
 * previous line's, and this saves lic_period_cmp's month arithmetic (which
 * still decides when a field differs). */
static bool same_period(lic_period a, lic_period b)
{
    return a.kind == b.kind && a.year == b.year && a.index == b.index;
}

static int stream(run *r, const char *path)
{
    lic_diags d;
    lic_diags_init(&d);
    lic_sales_reader *rd = NULL;
    int rc = lic_sales_reader_open(r->ag[0], path, &d, &rd) ? 1 : 0;
    const char *ahead = getenv("BENCH_ROY_AHEAD"); /* "0": one thread, for comparison */
    if (!rc && !(ahead && !strcmp(ahead, "0")) && lic_sales_reader_read_ahead(rd))
        rc = 1;
    long long lines = 0;
    lic_sale_line l;
    int got = 0;
    long xag = rc ? -1 : lic_sales_reader_xcol_index(rd, "x_agreement"); /* looked up once */
    r->cur = 0;
    while (!rc && (got = lic_sales_reader_next(rd, &l)) == 1) {
        lines++;
        rc = switch_to(r, xag < 0 ? NULL : lic_sales_reader_xcol_at(rd, (size_t)xag));
        if (!rc && r->open && !same_period(r->period, l.period) && lic_period_cmp(r->period, l.period))
            rc = close_period(r);
        r->period = l.period;
        r->open = true;
        if (!rc && lic_roy_add(r->roy, &l))
            rc = 1;
    }
    if (got < 0 || d.n) {
        char buf[1024];
        for (size_t i = 0; i < d.n && i < 5; i++) {
            lic_diag_format(&d.v[i], buf, sizeof buf);
            fprintf(stderr, "  %s\n", buf);
        }
        rc = 1;
    }
    rc = rc || close_period(r);
    lic_sales_reader_free(rd);
    lic_diags_fini(&d);
    printf("lines=%lld ", lines);
    return rc;
}

/* Every other file of a directory's listing, from `first`, loaded into
 * ag[] at the file's index: two of these run side by side. */
typedef struct loader {
    const char *dir;
    struct dirent **names;
    int n, first;
    lic_agreement **ag;
    int rc;
} loader;

static void *load_some(void *arg)
{
    loader *L = arg;
    for (int i = L->first; i < L->n && !L->rc; i += 2) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", L->dir, L->names[i]->d_name);
        lic_diags d;
        lic_diags_init(&d);
        if (lic_agreement_load(path, &d, &L->ag[i]) != LIC_OK) {
            fprintf(stderr, "royalties: %s does not load\n", path);
            L->rc = 1;
        }
        lic_diags_fini(&d);
    }
    return NULL;
}

static int load(const char *dir, run *r)
{
    struct dirent **names;
    int n = scandir(dir, &names, bench_is_yaml, alphasort);
    if (n <= 0) {
        fprintf(stderr, "royalties: no agreements in %s\n", dir);
        return 1;
    }
    r->ag = calloc((size_t)n, sizeof *r->ag);
    int rc = r->ag ? 0 : 1;
    if (!rc) {
        loader L[2] = {{dir, names, n, 0, r->ag, 0}, {dir, names, n, 1, r->ag, 0}};
        pthread_t t;
        bool two = pthread_create(&t, NULL, load_some, &L[1]) == 0;
        load_some(&L[0]);
        if (two)
            pthread_join(t, NULL);
        else
            load_some(&L[1]); /* no thread: the other half here */
        rc = L[0].rc || L[1].rc;
    }
    /* ag[] keeps the listing's order; nag counts the loaded ones, so that
     * main frees them (a failed load leaves a gap, freed as NULL) */
    r->nag = r->ag ? (size_t)n : 0;
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: royalties AGREEMENTS_DIR SALES.csv\n");
        return 2;
    }
    run r = {0};
    int rc = load(argv[1], &r);
    double t0 = bench_now();
    rc = rc || stream(&r, argv[2]);
    double t = bench_now() - t0;
    char total[48];
    lic_amount_format(r.royalty, 2, total, sizeof total);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("statements=%lld royalty=%s seconds=%.3f maxrss_kib=%ld\n", r.statements, total, t, ru.ru_maxrss);
    lic_roy_free(r.roy);
    for (size_t i = 0; i < r.nag; i++)
        lic_agreement_free(r.ag[i]);
    free(r.ag);
    return rc;
}
