/*
 * store_record.c - the commands that append to the ledger:
 * `licet record EVENTS` and `licet import-sales --agreement ID --period P
 * FILE.csv`.  Both check their input against the agreement's latest
 * version with the same loaders `licet status` uses, store what passes in
 * one transaction, and are idempotent: what is already in the ledger is
 * said so and not stored again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "licet/portfolio.h"

/* The agreement to record into: --agreement, or the store's only one. */
static int only_agreement(void *ctx, const lic_store_agreement_info *i)
{
    char **id = ctx;
    if (*id) {
        free(*id);
        *id = NULL;
        return LIC_EINVAL; /* more than one: the caller must say which */
    }
    *id = strdup(i->id);
    return *id ? 0 : LIC_ENOMEM;
}

static char *pick_agreement(lic_store *s, const char *given)
{
    if (given)
        return strdup(given);
    char *id = NULL;
    if (lic_store_agreements(s, only_agreement, &id) || !id) {
        free(id);
        fprintf(stderr, "licet record: say which agreement with --agreement ID (the store does not hold "
                        "exactly one)\n");
        return NULL;
    }
    return id;
}

static const char record_help[] =
    "usage: licet record [--db URL] [--agreement ID] EVENTS\n"
    "\n"
    "Appends the events of EVENTS (a YAML list or JSON Lines, FORMAT 3) to the\n"
    "ledger of agreement ID (by default the store's only agreement), checked\n"
    "against its latest version.  Rejected events are reported and not stored;\n"
    "the others are stored in one transaction.  An event already in the ledger\n"
    "(same id, same content) is not stored again; another event with an id the\n"
    "ledger has is rejected.\n"
    "Exit status: 0 all recorded (or already there), 1 some rejected or an error, 2 usage.\n";

static int parse_record(int argc, char **argv, const char **db, const char **ag, const char **file)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(record_help, stdout);
            return 0;
        } else if ((!strcmp(o, "--db") || !strcmp(o, "--agreement")) && i + 1 < argc)
            *(o[2] == 'd' ? db : ag) = argv[++i];
        else if ((o[0] == '-' && o[1]) || *file) {
            fprintf(stderr, "licet record: unexpected argument: %s\n%s", o, record_help);
            return 2;
        } else
            *file = o;
    }
    if (!*file) {
        fputs(record_help, stderr);
        return 2;
    }
    return -1;
}

int cmd_record(int argc, char **argv)
{
    const char *db = NULL, *given = NULL, *file = NULL;
    int rc = parse_record(argc, argv, &db, &given, &file);
    if (rc >= 0)
        return rc;
    lic_store *s;
    if (cli_store_open("record", cli_store_url(db), false, &s))
        return 1;
    char *id = pick_agreement(s, given);
    lic_agreement *a = NULL;
    lic_pf_tally t = {0};
    rc = !id || cli_store_agreement("record", s, id, &a);
    if (!rc) {
        lic_diags d;
        lic_diags_init(&d);
        lic_err err = lic_pf_record(s, id, a, file, NULL, 0, &d, &t);
        lic_diags_sort(&d);
        cli_print_diags(stderr, &d);
        lic_diags_fini(&d);
        if (err == LIC_ECORRUPT)
            fprintf(stderr, "licet record: %s: the file changed while it was read\n", file);
        else if (err && lic_store_errmsg(s)[0])
            fprintf(stderr, "licet record: %s (nothing stored)\n", lic_store_errmsg(s));
        else if (err)
            fprintf(stderr, "licet record: %s: %s\n", file, lic_strerror(err));
        rc = err != LIC_OK;
    }
    if (!rc) {
        printf("%s: %d recorded, %d already recorded, %d rejected\n", id, t.stored, t.already, t.rejected);
        rc = t.rejected > 0;
    }
    lic_agreement_free(a);
    lic_store_close(s);
    free(id);
    return rc;
}

/* ---- import-sales ---- */

static const char import_help[] =
    "usage: licet import-sales [--db URL] --agreement ID --period P [--date D] [--progress] FILE.csv\n"
    "         [[--agreement ID] [--period P] [--date D] FILE.csv ...]\n"
    "\n"
    "Imports a sales report CSV (FORMAT 4) as the royalty report of period P,\n"
    "received on D (default: today).  The same lines again are stored once\n"
    "(\"already imported\"); different lines for the same period are stored as a\n"
    "revision: the earlier one is kept in the ledger (licet list ID shows it) and\n"
    "the latest revision is the one that counts.  One transaction per report: an\n"
    "interrupted import leaves nothing of that report behind.  Several reports\n"
    "may be imported at once: --agreement, --period and --date apply to the files\n"
    "after them; a report that is refused does not stop the others.  Progress\n"
    "(lines, MB/s, ETA) goes to stderr when it is a terminal, or with --progress.\n"
    "Exit status: 0 every report imported (or already there), 1 errors (a report\n"
    "with errors stores nothing), 2 usage.\n";

typedef struct import_opts {
    const char *db, *agreement, *file;
    lic_period period;
    lic_date date;
    bool has_period, progress;
} import_opts;

/* The reports to import: each FILE with the options before it. */
typedef struct import_jobs {
    import_opts *v;
    size_t n;
} import_jobs;

static int parse_import(int argc, char **argv, import_opts *o, import_jobs *jobs)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(import_help, stdout);
            return 0;
        } else if (!strcmp(a, "--db") && v)
            o->db = argv[++i];
        else if (!strcmp(a, "--agreement") && v)
            o->agreement = argv[++i];
        else if (!strcmp(a, "--progress"))
            o->progress = true;
        else if (!strcmp(a, "--period") && v) {
            if (lic_period_parse(v, strlen(v), &o->period)) {
                fprintf(stderr, "licet import-sales: --period expects a period like 2026-Q2, got \"%s\"\n", v);
                return 2;
            }
            o->has_period = true, i++;
        } else if (!strcmp(a, "--date") && v) {
            if (!cli_date_arg("import-sales", a, v, &o->date))
                return 2;
            i++;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "licet import-sales: unexpected argument: %s\n%s", a, import_help);
            return 2;
        } else if (!o->agreement || !o->has_period) {
            fprintf(stderr, "licet import-sales: %s: --agreement and --period must come before the file\n%s", a,
                    import_help);
            return 2;
        } else {
            o->file = a;
            jobs->v[jobs->n++] = *o; /* argv has room: at most one file per argument */
        }
    }
    if (!jobs->n) {
        fputs(import_help, stderr);
        return 2;
    }
    for (size_t k = 0; k < jobs->n; k++)
        jobs->v[k].progress = o->progress; /* wherever it was given */
    return -1;
}

static lic_date today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    char buf[32];
    lic_date d = LIC_DATE_NONE;
    if (localtime_r(&now, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d", &tm))
        if (lic_date_parse(buf, strlen(buf), &d))
            d = LIC_DATE_NONE;
    return d;
}

/* Says what lic_pf_import did. */
static void print_import(const import_opts *o, const lic_pf_import_result *r)
{
    char per[LIC_PERIOD_STRLEN];
    lic_period_str(o->period, per);
    const char *s = r->nlines == 1 ? "" : "s";
    if (r->already)
        printf("%s: report %s already imported (ledger row %lld)\n", o->agreement, per, (long long)r->already);
    else if (r->previous)
        printf("%s: report %s revision %d, %zu line%s, stored as ledger row %lld (revision %d, row %lld, kept)\n",
               o->agreement, per, r->revision, r->nlines, s, (long long)r->seq, r->revision - 1,
               (long long)r->previous);
    else
        printf("%s: report %s, %zu line%s, stored as ledger row %lld\n", o->agreement, per, r->nlines, s,
               (long long)r->seq);
    fflush(stdout); /* in order with a later report's messages on stderr */
}

static int import_file(lic_store *s, const import_opts *o, const lic_agreement *a)
{
    lic_diags d;
    lic_diags_init(&d);
    lic_pf_import_result r;
    lic_err err = LIC_EIO;
    cli_progress p;
    lic_pf_progress hook;
    cli_progress_init(&p, "licet import-sales", o->progress);
    FILE *f = fopen(o->file, "rb");
    if (!f)
        fprintf(stderr, "%s: cannot open the file\n", o->file);
    else
        err = lic_pf_import(s, o->agreement, a, o->period, o->date, f, o->file, &d, cli_progress_hook(&p, &hook), &r);
    cli_progress_done(&p, f && err == LIC_OK);
    if (f)
        fclose(f);
    lic_diags_sort(&d);
    cli_print_diags(stderr, &d);
    if (f && err == LIC_EINVALID && d.nerrors)
        fprintf(stderr, "licet import-sales: %s: nothing stored\n", o->file);
    else if (f && err && lic_store_errmsg(s)[0])
        fprintf(stderr, "licet import-sales: %s (nothing stored)\n", lic_store_errmsg(s));
    else if (f && err)
        fprintf(stderr, "licet import-sales: %s: %s\n", o->file, lic_strerror(err));
    else if (!err)
        print_import(o, &r);
    lic_diags_fini(&d);
    return err != LIC_OK;
}

/* Imports every job, each in its own transaction; an agreement is
 * loaded once for the jobs in a row that name it. */
static int import_all(lic_store *s, const import_jobs *jobs)
{
    lic_agreement *a = NULL;
    const char *loaded = NULL;
    int rc = 0;
    for (size_t i = 0; i < jobs->n; i++) {
        const import_opts *o = &jobs->v[i];
        if (!loaded || strcmp(loaded, o->agreement)) {
            lic_agreement_free(a);
            a = NULL;
            loaded = NULL;
            if (cli_store_agreement("import-sales", s, o->agreement, &a)) {
                rc = 1;
                continue;
            }
            loaded = o->agreement;
        }
        rc |= import_file(s, o, a);
    }
    lic_agreement_free(a);
    return rc;
}

int cmd_import_sales(int argc, char **argv)
{
    import_opts o = {.date = today()};
    import_jobs jobs = {calloc((size_t)argc, sizeof *jobs.v), 0};
    if (!jobs.v) {
        fprintf(stderr, "licet import-sales: %s\n", lic_strerror(LIC_ENOMEM));
        return 1;
    }
    int rc = parse_import(argc, argv, &o, &jobs);
    if (rc < 0) {
        lic_store *s;
        rc = 1;
        if (!cli_store_open("import-sales", cli_store_url(o.db), false, &s)) {
            rc = import_all(s, &jobs);
            lic_store_close(s);
        }
    }
    free(jobs.v);
    return rc;
}
