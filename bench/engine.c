/*
 * engine.c - time lic_engine_eval() over a directory of agreements and events.
 *
 *   engine [-r ROUNDS] [-d AS_OF] [-a AGREEMENTS_DIR] [-H] [-j THREADS] [-v] [-o JSON_FILE] EVENTS_DIR
 *
 * Loads every EVENTS_DIR/NAME.yaml with its agreement AGREEMENTS_DIR/NAME.yaml
 * (default EVENTS_DIR/../agreements; loading is not timed).  Then, ROUNDS
 * times (default 3), for each agreement in turn: evaluates it as of AS_OF
 * (default 2030-12-31), renders the state with lic_state_json() and frees
 * both; only the lic_engine_eval calls are summed into the eval time and
 * only the lic_state_json calls into the json time (CLOCK_MONOTONIC).  With
 * -H, every agreement is evaluated into states held at once (that loop is
 * the eval time), then all are rendered, then freed.  Prints the best
 * round of each on one line of KEY=VALUE (with -o, the first round's
 * states are also written to JSON_FILE, one lic_state_json() per line in
 * file-name order: a speed change must leave that file byte-identical).
 * With -j, ROUNDS more rounds (after those) evaluate every agreement with
 * lic_engine_eval_many() on THREADS threads (timed: eval_par_s), and the
 * first of them checks that every such state renders to the very JSON the
 * one-at-a-time evaluation gave (par_mismatch counts those that do not;
 * any fails the run):
 *
 *   agreements events lines eval_s us_per_agreement json_s json_bytes
 *   engine_rejected failed [threads eval_par_s par_mismatch] maxrss_kib
 *
 * `engine_rejected` counts the events the engine listed under `rejected`
 * (bench/gen-engine.py means them all to apply; -v prints the first few).
 * maxrss_kib is the process's peak RSS: mostly the loaded agreements and
 * events.  Exits 1 when an agreement or events file does not load cleanly
 * or an evaluation fails, 2 on usage errors.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"
#include <stdint.h>
#include "licet/agreement.h"
#include "licet/engine.h"
#include "licet/events.h"

static void print_diags(const lic_diags *d, size_t max)
{
    char buf[1024];
    for (size_t i = 0; i < d->n && i < max; i++) {
        lic_diag_format(&d->v[i], buf, sizeof buf);
        fprintf(stderr, "  %s\n", buf);
    }
    if (d->n > max)
        fprintf(stderr, "  ... and %zu more\n", d->n - max);
}

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* One round of lic_engine_eval_many on `threads` threads: its seconds;
 * with sums, counts the states whose JSON hash differs from sums[i]. */
static double eval_par(lic_agreement **as, lic_events **evs, int n, lic_date as_of, unsigned threads,
                       lic_state **st, const uint64_t *sums, size_t *mismatch, size_t *nfail)
{
    double t0 = bench_now();
    lic_err rc = lic_engine_eval_many((const lic_agreement *const *)as, (const lic_events *const *)evs,
                                      (size_t)n, as_of, LIC_DATE_NONE, threads, st);
    double t = bench_now() - t0;
    *nfail += rc != LIC_OK;
    for (int i = 0; i < n; i++) {
        if (sums && st[i]) {
            char *j = lic_state_json(st[i]);
            *mismatch += fnv(j) != sums[i];
            free(j);
        }
        lic_state_free(st[i]);
        st[i] = NULL;
    }
    return t;
}

static void usage(void)
{
    fprintf(stderr, "usage: engine [-r ROUNDS] [-d AS_OF] [-a AGREEMENTS_DIR] [-H] [-j THREADS] [-v] [-o JSON_FILE] "
                    "EVENTS_DIR\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int rounds = 3, verbose = 0, hold = 0, threads = 0;
    const char *as_of_s = "2030-12-31", *adir = NULL, *edir = NULL, *dump_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-r") && i + 1 < argc)
            rounds = (int)strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-d") && i + 1 < argc)
            as_of_s = argv[++i];
        else if (!strcmp(argv[i], "-a") && i + 1 < argc)
            adir = argv[++i];
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            dump_path = argv[++i];
        else if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (!strcmp(argv[i], "-H"))
            hold = 1;
        else if (!strcmp(argv[i], "-j") && i + 1 < argc)
            threads = (int)strtol(argv[++i], NULL, 10);
        else if (argv[i][0] == '-' || edir)
            usage();
        else
            edir = argv[i];
    }
    if (!edir || rounds < 1 || threads < 0 || threads > 64)
        usage();
    lic_date as_of;
    if (lic_date_parse(as_of_s, strlen(as_of_s), &as_of) != LIC_OK) {
        fprintf(stderr, "engine: -d: expected a date like 2030-12-31, got \"%s\"\n", as_of_s);
        return 2;
    }
    char adef[4096];
    if (!adir) {
        snprintf(adef, sizeof adef, "%s/../agreements", edir);
        adir = adef;
    }

    struct dirent **names;
    int n = scandir(edir, &names, bench_is_yaml, alphasort);
    if (n <= 0) {
        fprintf(stderr, "engine: no events files (*.yaml) in %s\n", edir);
        return 1;
    }
    lic_agreement **as = calloc((size_t)n, sizeof *as);
    lic_events **evs = calloc((size_t)n, sizeof *evs);
    lic_state **st = calloc((size_t)n, sizeof *st);
    uint64_t *sums = calloc((size_t)n, sizeof *sums); /* round 1's JSON, for -j */
    if (!as || !evs || !st || !sums) {
        fprintf(stderr, "engine: out of memory\n");
        return 1;
    }
    size_t nevents = 0, nlines = 0;
    int bad = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(adir) + strlen(edir) + strlen(names[i]->d_name) + 2;
        char *ap = malloc(len), *ep = malloc(len);
        if (!ap || !ep) {
            fprintf(stderr, "engine: out of memory\n");
            return 1;
        }
        snprintf(ap, len, "%s/%s", adir, names[i]->d_name);
        snprintf(ep, len, "%s/%s", edir, names[i]->d_name);
        lic_diags d;
        lic_diags_init(&d);
        lic_err rc = lic_agreement_load(ap, &d, &as[i]);
        if (rc) {
            fprintf(stderr, "engine: %s: %s\n", ap, lic_strerror(rc));
            print_diags(&d, 5);
            bad = 1;
        } else {
            rc = lic_events_load(ep, as[i], &d, &evs[i]);
            if (rc || d.nerrors) {
                fprintf(stderr, "engine: %s: %s\n", ep, rc ? lic_strerror(rc) : "events rejected on load");
                print_diags(&d, 5);
                bad = 1;
            }
        }
        lic_diags_fini(&d);
        free(ap);
        free(ep);
        if (evs[i]) {
            nevents += evs[i]->n;
            for (size_t k = 0; k < evs[i]->n; k++)
                nlines += evs[i]->v[k].nlines;
        }
        if (bad && !verbose)
            break;
    }
    if (bad)
        return 1;
    FILE *dump = NULL;
    if (dump_path && !(dump = fopen(dump_path, "w"))) {
        fprintf(stderr, "engine: %s: cannot write\n", dump_path);
        return 1;
    }

    /* Each round: evaluate, render and free one agreement at a time, timing
     * the eval and json calls alone (two clock reads per call, ~50 ns against
     * hundreds of microseconds).  -H instead evaluates all of them into
     * states held at once, then renders them, then frees them: what a
     * portfolio view costs when it keeps every state. */
    double best_eval = -1, best_json = -1, best_par = -1;
    size_t json_bytes = 0, rejected = 0, failed = 0, mismatch = 0;
    for (int r = 0; r < rounds; r++) {
        size_t nfail = 0, bytes = 0, nrej = 0;
        double te = 0, tj = 0;
        if (hold) {
            double t0 = bench_now();
            for (int i = 0; i < n; i++)
                if (lic_engine_eval(as[i], evs[i], as_of, LIC_DATE_NONE, &st[i]) != LIC_OK)
                    nfail++;
            double t1 = bench_now();
            for (int i = 0; i < n; i++) {
                char *j = st[i] ? lic_state_json(st[i]) : NULL;
                bytes += j ? strlen(j) : 0;
                nfail += !j && st[i];
                if (r == 0)
                    sums[i] = fnv(j);
                if (dump && r == 0)
                    fprintf(dump, "%s\n", j ? j : "(failed)");
                free(j);
            }
            te = t1 - t0;
            tj = bench_now() - t1;
        }
        for (int i = 0; i < n; i++) {
            if (!hold) {
                double t0 = bench_now();
                lic_err rc = lic_engine_eval(as[i], evs[i], as_of, LIC_DATE_NONE, &st[i]);
                double t1 = bench_now();
                char *j = rc == LIC_OK ? lic_state_json(st[i]) : NULL;
                double t2 = bench_now();
                te += t1 - t0;
                tj += t2 - t1;
                nfail += rc != LIC_OK || !j;
                bytes += j ? strlen(j) : 0;
                if (r == 0)
                    sums[i] = fnv(j);
                if (dump && r == 0)
                    fprintf(dump, "%s\n", j ? j : "(failed)");
                free(j);
            }
            if (!st[i])
                continue;
            nrej += st[i]->nrejected;
            if (verbose && r == 0)
                for (size_t k = 0; k < st[i]->nrejected && k < 3; k++) {
                    char where[256];
                    lic_event_where(evs[i], st[i]->rejected[k].event, where, sizeof where);
                    fprintf(stderr, "engine: rejected: %s: %s\n", where, st[i]->rejected[k].reason);
                }
            lic_state_free(st[i]);
            st[i] = NULL;
        }
        if (best_eval < 0 || te < best_eval)
            best_eval = te;
        if (best_json < 0 || tj < best_json)
            best_json = tj;
        json_bytes = bytes;
        rejected = nrej;
        failed = nfail;
    }
    /* after every round above: holding all the states at once grows the
     * heap, which would change what the rounds one at a time measure */
    for (int r = 0; threads && r < rounds; r++) {
        double tp = eval_par(as, evs, n, as_of, (unsigned)threads, st, r == 0 ? sums : NULL, &mismatch, &failed);
        if (best_par < 0 || tp < best_par)
            best_par = tp;
    }
    if (dump && fclose(dump)) {
        fprintf(stderr, "engine: %s: write failed\n", dump_path);
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("agreements=%d events=%zu lines=%zu eval_s=%.4f us_per_agreement=%.1f json_s=%.4f "
           "json_bytes=%zu engine_rejected=%zu failed=%zu ",
           n, nevents, nlines, best_eval, best_eval * 1e6 / n, best_json, json_bytes, rejected, failed);
    if (threads)
        printf("threads=%d eval_par_s=%.4f par_mismatch=%zu ", threads, best_par, mismatch);
    printf("maxrss_kib=%ld\n", (long)ru.ru_maxrss);
    for (int i = 0; i < n; i++) {
        lic_events_free(evs[i]);
        lic_agreement_free(as[i]);
        free(names[i]);
    }
    free(names);
    free(as);
    free(evs);
    free(st);
    free(sums);
    if (mismatch) {
        fprintf(stderr, "engine: %zu states differ when evaluated on %d threads\n", mismatch, threads);
        return 1;
    }
    if (failed) {
        fprintf(stderr, "engine: %zu evaluations failed\n", failed);
        return 1;
    }
    return 0;
}
