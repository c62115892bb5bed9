/*
 * royalties.c - compute every royalty statement of a big sales file.
 *
 *   royalties AGREEMENTS_DIR SALES.csv
 *
 * Loads every .yaml file of AGREEMENTS_DIR (on two threads; not timed), then
 * streams SALES.csv through lic_sales_reader (in runs of lines that share
 * all but country and amounts: lic_sales_reader_next_run) and lic_roy
 * (sums per statement line; lic_roy_add_lines): the x_agreement column
 * names each run's agreement (read only when lic_sales_reader_xcols_same
 * does not say it is the last line's), the file is sorted by agreement and period, and a
 * period is closed into its statement when the next line belongs to
 * another period or agreement.  By default the file is read in two parts
 * side by side, cut at an agreement near the middle (see "two parts"
 * below); BENCH_ROY_PARTS=1 reads it with one reader, which reads
 * ahead on a second thread unless BENCH_ROY_AHEAD=0.  The agreements
 * share one field tree (the reader resolves fields against the first).
 * Prints one line of KEY=VALUE:
 *
 *   lines parts statements royalty seconds maxrss_kib
 *
 * `royalty` is the sum of every statement's royalty (a checksum to compare
 * with the SQL computation).  Exits 1 on any error, 2 on usage errors.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
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

/* Moves to agreement `id` (the file is sorted, so only forward). */
static int switch_to(run *r, const char *id)
{
    if (!id) {
        fprintf(stderr, "royalties: the file has no x_agreement column\n");
        return 1;
    }
    if (r->roy && !strcmp(r->ag[r->cur]->id, id))
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
    return !memcmp(&a, &b, sizeof a); /* three ints, no padding: one compare of 12 bytes */
}

/* ---- two parts side by side (BENCH_ROY_PARTS=2, the default) ----
 * The file is cut in the middle.  The second part, on a thread, opens
 * the file there (lic_sales_reader_open_at_lazy), passes over the rest
 * of the agreement it lands in (the first part's), publishes the offset
 * of the first line of the next agreement and computes from there to the
 * end.  The first part reads from the start and stops at that offset,
 * the first agreement it does not own.  Should no row of the first part
 * start there (the cut fell inside a quoted value spanning lines, which
 * the generated file never has), the second part's work is dropped and
 * the first reads on to the end alone: the totals are those of one
 * reader either way. */
typedef struct part2 {
    run r;
    const char *path;
    uint64_t from;              /* the cut */
    long long lines;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool known;                 /* start is published */
    uint64_t start;             /* the second part's first line; UINT64_MAX: none */
    atomic_bool cancel;         /* the first part reads on alone */
    int rc;
} part2;

static void publish(part2 *p, uint64_t start)
{
    pthread_mutex_lock(&p->mu);
    p->start = start;
    p->known = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* The second part's start, once it is published. */
static uint64_t wait_start(part2 *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->known)
        pthread_cond_wait(&p->cv, &p->mu);
    uint64_t start = p->start;
    pthread_mutex_unlock(&p->mu);
    return start;
}

/* The first part at the row of a new agreement at offset off: whether
 * the second part owns it (the first stops there). */
static bool owned_by_part2(part2 *p, uint64_t off, bool *alone)
{
    if (!p || *alone || off < p->from)
        return false;
    uint64_t start = wait_start(p);
    if (off == start)
        return true;
    if (off > start || start == UINT64_MAX) { /* no row of ours starts there: alone */
        *alone = true;
        atomic_store(&p->cancel, true);
    }
    return false;
}

/* Is the cell text id the agreement id cur, of len (> 0) bytes?  Byte by
 * byte against cur: the first byte that differs stops the reading, so no
 * byte of id past its NUL is read (strcmp's checks cost more than this
 * for an id of a few bytes, on every line). */
static inline bool is_id(const char *id, const char *cur, size_t len)
{
    size_t i = 0;
    for (; i + 4 <= len; i += 4) /* four at a time, still in order: fewer loop tests */
        if (id[i] != cur[i] || id[i + 1] != cur[i + 1] || id[i + 2] != cur[i + 2] || id[i + 3] != cur[i + 3])
            return false;
    for (; i < len; i++)
        if (id[i] != cur[i])
            return false;
    return id[len] == '\0';
}

/* The lines of one run (lic_sales_reader_next_run) at most. */
#define RUN 64

/* Reads lines from rd into r: all of them, or (first part) up to the
 * second part's start; skip_first (second part): passes over the lines
 * of the first agreement and publishes where the next one starts.  The
 * lines come in runs: a run's lines have its first's agreement and
 * period, so a run needs one look at them. */
static int read_lines(run *r, lic_sales_reader *rd, lic_diags *d, part2 *p, bool second, long long *lines)
{
    lic_sale_line l[RUN];
    int got;
    bool alone = false, skipping = second;
    char first[64] = "";
    long xag = lic_sales_reader_xcol_index(rd, "x_agreement"); /* looked up once */
    int rc = 0;
    /* the open period's agreement id (cur_len 0: none open); the cell's
     * text is read again on every run, as the reader's pointer to it
     * holds only until the next call */
    const char *cur = NULL;
    size_t cur_len = 0;
    r->cur = 0;
    while (!rc && (got = lic_sales_reader_next_run(rd, l, RUN)) > 0) {
        /* x_ values known to be the last line's: its agreement's id,
         * which is cur when a period is open (no compare) */
        bool same = cur_len && lic_sales_reader_xcols_same(rd);
        const char *id = same ? cur : xag < 0 ? NULL : lic_sales_reader_xcol_at(rd, (size_t)xag);
        /* the usual run: the open period's agreement and period */
        if (cur_len && id && (same || is_id(id, cur, cur_len)) && same_period(r->period, l[0].period)) {
            *lines += got;
            rc = lic_roy_add_lines(r->roy, l, (size_t)got) ? 1 : 0;
            continue;
        }
        cur_len = 0;
        if (skipping) { /* the first part's lines */
            if (!first[0])
                snprintf(first, sizeof first, "%s", id ? id : "");
            if (id && !strcmp(first, id))
                continue;
            skipping = false;
            publish(p, lic_sales_reader_offset(rd));
            lic_diags_fini(d); /* the first part reports those lines' problems */
            lic_diags_init(d);
        }
        /* one compare a run: most runs are the last one's agreement's */
        bool fresh = !id || !r->roy || strcmp(r->ag[r->cur]->id, id);
        if (fresh && id &&
            (second ? atomic_load(&p->cancel) : owned_by_part2(p, lic_sales_reader_offset(rd), &alone)))
            break;
        *lines += got;
        rc = fresh ? switch_to(r, id) : 0;
        if (!rc && r->open && !same_period(r->period, l[0].period) && lic_period_cmp(r->period, l[0].period))
            rc = close_period(r);
        r->period = l[0].period;
        r->open = true;
        if (!rc && lic_roy_add_lines(r->roy, l, (size_t)got))
            rc = 1;
        if (!rc && r->roy) {
            cur = r->ag[r->cur]->id;
            cur_len = strlen(cur);
        }
    }
    if (skipping)
        publish(p, UINT64_MAX); /* nothing for the second part */
    if (!second && p && !alone && got == 0) { /* the end before the second part's start */
        if (wait_start(p) != UINT64_MAX)
            atomic_store(&p->cancel, true);
    }
    if ((!second || !atomic_load(&p->cancel)) && (got < 0 || d->n)) {
        char buf[1024];
        for (size_t i = 0; i < d->n && i < 5; i++) {
            lic_diag_format(&d->v[i], buf, sizeof buf);
            fprintf(stderr, "  %s\n", buf);
        }
        rc = 1;
    }
    return rc || close_period(r);
}

static void *part2_run(void *arg)
{
    part2 *p = arg;
    lic_diags d;
    lic_diags_init(&d);
    lic_sales_reader *rd = NULL;
    if (lic_sales_reader_open_at_lazy(p->r.ag[0], p->path, p->from, &d, &rd)) {
        publish(p, UINT64_MAX);
        p->rc = 1;
    } else
        p->rc = read_lines(&p->r, rd, &d, p, true, &p->lines);
    lic_sales_reader_free(rd);
    lic_diags_fini(&d);
    return NULL;
}

static int stream(run *r, const char *path)
{
    const char *parts_s = getenv("BENCH_ROY_PARTS"), *ahead = getenv("BENCH_ROY_AHEAD");
    bool two = !(parts_s && !strcmp(parts_s, "1"));
    struct stat sb;
    part2 p = {.r = {.ag = r->ag, .nag = r->nag}, .path = path};
    pthread_t t;
    if (two && (stat(path, &sb) || sb.st_size < 2 || pthread_mutex_init(&p.mu, NULL) ||
                pthread_cond_init(&p.cv, NULL)))
        two = false;
    /* the middle: the second part does not count the lines before its
     * start (lic_sales_reader_open_at_lazy: only a message would need
     * their numbers), so the parts are halves */
    p.from = two ? (uint64_t)sb.st_size / 2 : 0;
    atomic_init(&p.cancel, false);
    if (two && pthread_create(&t, NULL, part2_run, &p))
        two = false; /* no thread: one reader */
    lic_diags d;
    lic_diags_init(&d);
    lic_sales_reader *rd = NULL;
    int rc = lic_sales_reader_open(r->ag[0], path, &d, &rd) ? 1 : 0;
    /* one part reads ahead on the second core unless told not to */
    if (!rc && !two && !(ahead && !strcmp(ahead, "0")) && lic_sales_reader_read_ahead(rd))
        rc = 1;
    long long lines = 0;
    if (!rc)
        rc = read_lines(r, rd, &d, two ? &p : NULL, false, &lines);
    else if (two)
        atomic_store(&p.cancel, true);
    if (two) {
        pthread_join(t, NULL);
        if (!atomic_load(&p.cancel)) {
            rc = rc || p.rc || lic_amount_add(r->royalty, p.r.royalty, &r->royalty);
            r->statements += p.r.statements;
            lines += p.lines;
        }
        lic_roy_free(p.r.roy);
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.cv);
    }
    lic_sales_reader_free(rd);
    lic_diags_fini(&d);
    printf("lines=%lld parts=%d ", lines, two && !atomic_load(&p.cancel) ? 2 : 1);
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
