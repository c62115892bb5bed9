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
#include "licet/sales.h"

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

typedef struct found {
    const char *digest;
    int64_t same, other; /* the last row with this digest / with another one */
    int rows, nsame;
} found;

static int find_row(void *ctx, const lic_store_row *r)
{
    found *f = ctx;
    f->rows++;
    if (!strcmp(r->digest, f->digest))
        f->same = r->seq, f->nsame++;
    else
        f->other = r->seq;
    return 0;
}

typedef struct tally {
    int stored, already, rejected;
} tally;

/* How many events before event i in the file have the same content: an
 * event written without an id is known by its content only, and a file
 * may hold two equal ones (two equal payments on a day). */
static int earlier_twins(char **canon, size_t i)
{
    int n = 0;
    for (size_t k = 0; k < i; k++)
        n += !strcmp(canon[k], canon[i]);
    return n;
}

/* Stores event i unless the ledger has it; reports a clash of ids. */
static lic_err record_one(lic_store *s, const char *id, const lic_events *ev, size_t i, char **canon, tally *t)
{
    const lic_event *e = &ev->v[i];
    char digest[65], ident[300], day[LIC_DATE_STRLEN];
    lic_store_sha256_hex(canon[i], strlen(canon[i]), digest);
    lic_date_str(e->date, day);
    if (e->id_given)
        snprintf(ident, sizeof ident, "%s", e->id);
    else
        snprintf(ident, sizeof ident, "@%s %s", day, lic_event_type_name(e->type));
    found f = {.digest = digest};
    lic_store_filter flt = {id, "event", ident};
    lic_err rc = lic_store_ledger(s, &flt, find_row, &f);
    if (rc)
        return rc;
    if (f.same && (e->id_given || f.nsame > earlier_twins(canon, i))) {
        t->already++;
        return LIC_OK;
    }
    if (f.other && e->id_given) {
        fprintf(stderr, "%s:%d:%d: event %s: the ledger already has another event with this id (row %lld); "
                        "not stored\n", ev->file, e->pos.line, e->pos.col, e->id, (long long)f.other);
        t->rejected++;
        return LIC_OK;
    }
    t->stored++;
    return lic_store_append(s, id, "event", ident, digest, canon[i], NULL);
}

static lic_err record_all(lic_store *s, const char *id, const lic_events *ev, char **canon, tally *t)
{
    lic_err rc = lic_store_begin(s);
    for (size_t i = 0; !rc && i < ev->n; i++)
        rc = record_one(s, id, ev, i, canon, t);
    if (!rc)
        return lic_store_commit(s);
    lic_store_rollback(s);
    return rc;
}

/* Loads the events file against the agreement, printing rejections. */
static int load_events(const char *path, const lic_agreement *a, lic_events **ev)
{
    lic_diags d;
    lic_diags_init(&d);
    lic_err rc = lic_events_load(path, a, &d, ev);
    lic_diags_sort(&d);
    cli_print_diags(stderr, &d);
    lic_diags_fini(&d);
    if (rc)
        fprintf(stderr, "licet record: %s: %s\n", path, lic_strerror(rc));
    return rc ? 1 : 0;
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
    char *id = pick_agreement(s, given), **canon = NULL;
    lic_agreement *a = NULL;
    lic_events *ev = NULL;
    tally t = {0};
    rc = !id || cli_store_agreement("record", s, id, &a) || load_events(file, a, &ev);
    if (!rc && lic_store_canon_events(file, a, ev, &canon)) {
        fprintf(stderr, "licet record: %s: the file changed while it was read, or out of memory\n", file);
        rc = 1;
    }
    if (!rc && record_all(s, id, ev, canon, &t)) {
        fprintf(stderr, "licet record: %s (nothing stored)\n", lic_store_errmsg(s));
        rc = 1;
    }
    if (!rc) {
        t.rejected += (int)ev->nrejected;
        printf("%s: %d recorded, %d already recorded, %d rejected\n", id, t.stored, t.already, t.rejected);
        rc = t.rejected > 0;
    }
    lic_store_strings_free(canon, ev ? ev->n : 0);
    lic_events_free(ev);
    lic_agreement_free(a);
    lic_store_close(s);
    free(id);
    return rc;
}

/* ---- import-sales ---- */

static const char import_help[] =
    "usage: licet import-sales [--db URL] --agreement ID --period P [--date D] FILE.csv\n"
    "\n"
    "Imports a sales report CSV (FORMAT 4) as the royalty report of period P,\n"
    "received on D (default: today).  The same lines again are stored once\n"
    "(\"already imported\"); different lines for the same period are stored as a\n"
    "revision: the earlier one is kept in the ledger (licet list ID shows it) and\n"
    "the latest revision is the one that counts.  One transaction: an\n"
    "interrupted import leaves nothing behind.\n"
    "Exit status: 0 imported (or already there), 1 errors (nothing stored), 2 usage.\n";

typedef struct import_opts {
    const char *db, *agreement, *file;
    lic_period period;
    lic_date date;
    bool has_period;
} import_opts;

static int parse_import(int argc, char **argv, import_opts *o)
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
        } else if ((a[0] == '-' && a[1]) || o->file) {
            fprintf(stderr, "licet import-sales: unexpected argument: %s\n%s", a, import_help);
            return 2;
        } else
            o->file = a;
    }
    if (!o->file || !o->agreement || !o->has_period) {
        fputs(import_help, stderr);
        return 2;
    }
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

/* The report event for the lines, checked exactly as the engine will
 * read it back from the ledger. */
static int report_payload(const import_opts *o, const lic_agreement *a, const char *lines, int revision,
                          char **payload)
{
    char per[LIC_PERIOD_STRLEN], evid[64];
    lic_period_str(o->period, per);
    snprintf(evid, sizeof evid, "sales-%s-r%d", per, revision);
    if (lic_store_canon_report(evid, o->date, o->period, lines, payload)) {
        fprintf(stderr, "licet import-sales: out of memory\n");
        return 1;
    }
    lic_diags d;
    lic_diags_init(&d);
    lic_events *ev = NULL;
    lic_err rc = lic_events_load_mem(o->file, *payload, strlen(*payload), a, &d, &ev);
    bool ok = !rc && ev->n == 1;
    if (!ok) {
        cli_print_diags(stderr, &d);
        fprintf(stderr, "licet import-sales: %s cannot be the report of %s (nothing stored)\n", o->file, per);
    }
    lic_events_free(ev);
    lic_diags_fini(&d);
    return ok ? 0 : 1;
}

/* Stores the report unless the ledger has these lines for the period. */
static int store_report(lic_store *s, const import_opts *o, const lic_agreement *a, const lic_sales *sales)
{
    char *lines = NULL, *payload = NULL, digest[65], per[LIC_PERIOD_STRLEN];
    lic_period_str(o->period, per);
    if (lic_store_canon_lines(a, sales->v, sales->n, &lines)) {
        fprintf(stderr, "licet import-sales: out of memory\n");
        return 1;
    }
    lic_store_sha256_hex(lines, strlen(lines), digest);
    found f = {.digest = digest};
    lic_store_filter flt = {o->agreement, "report", per};
    int64_t seq = 0;
    int rc = lic_store_begin(s) || lic_store_ledger(s, &flt, find_row, &f);
    if (!rc && f.same)
        printf("%s: report %s already imported (ledger row %lld)\n", o->agreement, per, (long long)f.same);
    else if (!rc && !(rc = report_payload(o, a, lines, f.rows + 1, &payload)))
        rc = lic_store_append(s, o->agreement, "report", per, digest, payload, &seq) || lic_store_commit(s);
    if (rc && lic_store_errmsg(s)[0])
        fprintf(stderr, "licet import-sales: %s (nothing stored)\n", lic_store_errmsg(s));
    lic_store_rollback(s);
    if (!rc && seq && f.rows)
        printf("%s: report %s revision %d, %zu line%s, stored as ledger row %lld (revision %d, row %lld, kept)\n",
               o->agreement, per, f.rows + 1, sales->n, sales->n == 1 ? "" : "s", (long long)seq, f.rows,
               (long long)f.other);
    else if (!rc && seq)
        printf("%s: report %s, %zu line%s, stored as ledger row %lld\n", o->agreement, per, sales->n,
               sales->n == 1 ? "" : "s", (long long)seq);
    free(lines);
    free(payload);
    return rc;
}

int cmd_import_sales(int argc, char **argv)
{
    import_opts o = {.date = today()};
    int rc = parse_import(argc, argv, &o);
    if (rc >= 0)
        return rc;
    lic_store *s;
    if (cli_store_open("import-sales", cli_store_url(o.db), false, &s))
        return 1;
    lic_agreement *a = NULL;
    lic_sales *sales = NULL;
    rc = cli_store_agreement("import-sales", s, o.agreement, &a);
    if (!rc) {
        lic_diags d;
        lic_diags_init(&d);
        lic_err err = lic_sales_load(a, o.file, &d, &sales);
        cli_print_diags(stderr, &d);
        lic_diags_fini(&d);
        if (err && err != LIC_EINVALID)
            fprintf(stderr, "licet import-sales: %s: %s\n", o.file, lic_strerror(err));
        rc = err ? 1 : store_report(s, &o, a, sales);
    }
    lic_sales_free(sales);
    lic_agreement_free(a);
    lic_store_close(s);
    return rc;
}
