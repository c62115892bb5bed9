/*
 * store.c - the portfolio commands that manage the store itself:
 * `licet init`, `licet add`, `licet list`, `licet verify`, and what the
 * other commands share to work from the store (which database is in use,
 * loading an agreement and its events from it).
 *
 * The database is --db URL, else $LICET_DB, else ./licet.db; URL is
 * sqlite:PATH, a path, or postgresql:// (or postgres://) for PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "licet/portfolio.h"

#define DEFAULT_DB "licet.db"

const char *cli_store_url(const char *db)
{
    const char *env = getenv("LICET_DB");
    return db ? db : env && *env ? env : DEFAULT_DB;
}

const char *cli_store_in_use(const char *db, const char *arg)
{
    if (arg && access(arg, F_OK) == 0)
        return NULL; /* a file: the file behaviour, unchanged */
    const char *env = getenv("LICET_DB");
    if (db || (env && *env))
        return cli_store_url(db);
    return access(DEFAULT_DB, F_OK) == 0 ? DEFAULT_DB : NULL;
}

int cli_store_open(const char *cmd, const char *url, bool create, lic_store **s)
{
    char err[600];
    lic_err rc = lic_store_open(url, create ? LIC_STORE_CREATE : 0, err, sizeof err, s);
    if (rc)
        fprintf(stderr, "licet %s: %s\n", cmd, err);
    return rc ? 1 : 0;
}

/* Prints errors (and warnings) as `licet check` does. */
static void print_sorted(lic_diags *d)
{
    lic_diags_sort(d);
    cli_print_diags(stderr, d);
}

/* Prints what a lic_pf_* load left: the store's message, or the
 * diagnostics of a stored text that no longer loads. */
static void print_load_failure(const char *cmd, lic_store *s, const char *id, lic_err rc, lic_diags *d)
{
    print_sorted(d);
    if (rc == LIC_EINVALID && d->nerrors)
        fprintf(stderr, "licet %s: stored agreement or ledger of %s no longer loads\n", cmd, id);
    else
        fprintf(stderr, "licet %s: %s\n", cmd, lic_store_errmsg(s)[0] ? lic_store_errmsg(s) : lic_strerror(rc));
}

int cli_store_agreement(const char *cmd, lic_store *s, const char *id, lic_agreement **a)
{
    lic_diags d;
    lic_diags_init(&d);
    lic_err rc = lic_pf_agreement(s, id, &d, a, NULL);
    if (rc)
        print_load_failure(cmd, s, id, rc, &d);
    lic_diags_fini(&d);
    return rc ? 1 : 0;
}

int cli_store_load_deal(const char *cmd, const char *url, const char *id, lic_agreement **a, lic_events **ev)
{
    lic_store *s;
    *a = NULL;
    *ev = NULL;
    if (cli_store_open(cmd, url, false, &s))
        return 1;
    lic_diags d;
    lic_diags_init(&d);
    lic_err rc = lic_pf_deal(s, id, &d, a, ev);
    if (rc)
        print_load_failure(cmd, s, id, rc, &d);
    else
        print_sorted(&d);
    lic_diags_fini(&d);
    lic_store_close(s);
    return rc ? 1 : 0;
}

int cli_load_deal_any(const char *cmd, const char *db, const char *arg, const char *events, lic_agreement **a,
                      lic_events **ev)
{
    const char *url = cli_store_in_use(db, arg);
    if (!url)
        return cli_load_deal(cmd, arg, events, a, ev);
    if (events) {
        fprintf(stderr, "licet %s: \"%s\" is not a file, and an agreement from the store (%s) takes its events "
                        "from the ledger, not --events\n", cmd, arg, url);
        return 1;
    }
    return cli_store_load_deal(cmd, url, arg, a, ev);
}

/* Parses `[--db URL] ARG...` into db and up to max positional args;
 * returns -1 to go on, or the exit status. */
int cli_store_args(const char *help, int argc, char **argv, const char **db, const char **pos, int max, int *npos)
{
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(help, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            *db = argv[++i];
        } else if ((argv[i][0] == '-' && argv[i][1]) || *npos == max) {
            fprintf(stderr, "licet %s: unexpected argument: %s\n%s", argv[0], argv[i], help);
            return 2;
        } else
            pos[(*npos)++] = argv[i];
    }
    return -1;
}

static const char init_help[] =
    "usage: licet init [--db URL]\n"
    "\n"
    "Creates the portfolio store (or brings an existing one to the current schema).\n"
    "URL is sqlite:PATH or a path, or postgresql://USER@HOST:PORT/DATABASE (the\n"
    "database must exist; init creates licet's tables in it); the default is\n"
    "$LICET_DB, else ./licet.db.\n"
    "Exit status: 0 ready, 1 the database cannot be used, 2 usage.\n";

int cmd_init(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos, rc = cli_store_args(init_help, argc, argv, &db, pos, 0, &npos);
    if (rc >= 0)
        return rc;
    lic_store *s;
    const char *url = cli_store_url(db);
    if (cli_store_open("init", url, true, &s))
        return 1;
    printf("%s: licet store ready (schema version %d)\n", url, lic_store_schema_version(s));
    lic_store_close(s);
    return 0;
}

static const char add_help[] =
    "usage: licet add [--db URL] AGREEMENT.yaml\n"
    "\n"
    "Checks the agreement as `licet check` does and stores it: a new agreement, or\n"
    "a new version of the one with its id (earlier versions are kept).  The same\n"
    "text again stores nothing.\n"
    "Exit status: 0 stored or unchanged, 1 errors (nothing stored), 2 usage.\n";

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (*len + 65536 + 1 > cap) {
            char *b = realloc(buf, cap = 2 * cap + 65536 + 1);
            if (!b)
                break;
            buf = b;
        }
        size_t n = fread(buf + *len, 1, cap - *len - 1, f);
        *len += n;
        if (n == 0)
            break;
    }
    bool ok = !ferror(f) && buf;
    fclose(f);
    if (!ok) {
        free(buf);
        return NULL;
    }
    buf[*len] = '\0';
    return buf;
}

int cmd_add(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos, rc = cli_store_args(add_help, argc, argv, &db, pos, 1, &npos);
    if (rc >= 0)
        return rc;
    if (npos != 1) {
        fputs(add_help, stderr);
        return 2;
    }
    size_t len;
    char *text = read_all(pos[0], &len);
    if (!text) {
        fprintf(stderr, "%s: cannot read the file\n", pos[0]);
        return 1;
    }
    lic_agreement *a = NULL;
    lic_store *s = NULL;
    int version = 0;
    bool unchanged = false;
    rc = cli_store_open("add", cli_store_url(db), false, &s);
    if (!rc) {
        lic_diags d;
        lic_diags_init(&d);
        lic_err err = lic_pf_add(s, pos[0], text, len, &d, &a, &version, &unchanged);
        print_sorted(&d);
        lic_diags_fini(&d);
        if (err && err != LIC_EINVALID)
            fprintf(stderr, "licet add: %s\n", lic_store_errmsg(s)[0] ? lic_store_errmsg(s) : lic_strerror(err));
        rc = err != LIC_OK;
    }
    if (!rc)
        printf(unchanged ? "%s: unchanged (version %d)\n" : "%s: stored as version %d\n", a->id, version);
    lic_store_close(s);
    lic_agreement_free(a);
    free(text);
    return rc;
}

static const char list_help[] =
    "usage: licet list [--db URL] [AGREEMENT-ID]\n"
    "\n"
    "Lists the agreements in the store (versions, events and reports), or the\n"
    "ledger rows of one agreement: seq, kind, id or period, and for reports\n"
    "their revision.\n";

static int list_agreement(void *ctx, const lic_store_agreement_info *i)
{
    (void)ctx;
    printf("%-24s v%-3d %6lld events %4lld reports  sha256 %.12s\n", i->id, i->versions, (long long)i->events,
           (long long)i->reports, i->sha256);
    return 0;
}

/* Report rows seen so far per period, to number revisions. */
typedef struct revisions {
    struct { char *ident; int count; } *v;
    size_t n;
} revisions;

/* The revision number of a report row of period `ident` (1 for the
 * first), counting the rows seen before it; 0 when out of memory. */
static int revision_of(revisions *rv, const char *ident)
{
    for (size_t i = 0; i < rv->n; i++)
        if (!strcmp(rv->v[i].ident, ident))
            return ++rv->v[i].count;
    void *v = realloc(rv->v, (rv->n + 1) * sizeof *rv->v);
    if (!v)
        return 0;
    rv->v = v;
    rv->v[rv->n].ident = strdup(ident);
    rv->v[rv->n].count = 1;
    return rv->v[rv->n].ident ? rv->v[rv->n++].count : 0;
}

static int list_row(void *ctx, const lic_store_row *r)
{
    if (strcmp(r->kind, "report")) {
        printf("%6lld  event   %s\n", (long long)r->seq, r->ident);
        return 0;
    }
    int rev = revision_of(ctx, r->ident);
    printf("%6lld  report  %s revision %d (sales sha256 %.12s)\n", (long long)r->seq, r->ident, rev, r->digest);
    return 0;
}

int cmd_list(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos, rc = cli_store_args(list_help, argc, argv, &db, pos, 1, &npos);
    if (rc >= 0)
        return rc;
    lic_store *s;
    if (cli_store_open("list", cli_store_url(db), false, &s))
        return 1;
    revisions rv = {0};
    lic_store_filter f = {.agreement = npos ? pos[0] : NULL};
    lic_err err = npos ? lic_store_ledger(s, &f, list_row, &rv) : lic_store_agreements(s, list_agreement, NULL);
    for (size_t i = 0; i < rv.n; i++)
        free(rv.v[i].ident);
    free(rv.v);
    if (err)
        fprintf(stderr, "licet list: %s\n", lic_store_errmsg(s));
    lic_store_close(s);
    return err ? 1 : 0;
}

static const char verify_help[] =
    "usage: licet verify [--db URL]\n"
    "\n"
    "Re-walks the ledger's hash chain: every row's hash must be SHA-256 of the\n"
    "previous row's hash and the row's canonical content.  Names the first row\n"
    "that does not match.\n"
    "Exit status: 0 the chain is intact, 1 it is not (or the store cannot be read), 2 usage.\n";

int cmd_verify(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos, rc = cli_store_args(verify_help, argc, argv, &db, pos, 0, &npos);
    if (rc >= 0)
        return rc;
    lic_store *s;
    const char *url = cli_store_url(db);
    if (cli_store_open("verify", url, false, &s))
        return 1;
    int64_t n = 0, bad = 0;
    char why[200];
    lic_err err = lic_store_verify(s, &n, &bad, why, sizeof why);
    if (err == LIC_ECORRUPT && bad)
        printf("%s: ledger row %lld does not match: %s\n", url, (long long)bad, why);
    else if (err)
        fprintf(stderr, "licet verify: %s\n", lic_store_errmsg(s));
    else
        printf("%s: ledger intact, %lld rows\n", url, (long long)n);
    lic_store_close(s);
    return err ? 1 : 0;
}
