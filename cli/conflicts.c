/*
 * conflicts.c - `licet conflicts FILE... --events DIR --as-of DATE`:
 * exclusive overlaps that exist on a date after every agreement's events
 * (step-downs, reversions, option exercises).  Each agreement's events
 * are DIR/<agreement id>.yaml, .yml or .jsonl, or the same with the
 * agreement file's base name; an agreement without one has no events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static const char conflicts_help[] =
    "usage: licet conflicts FILE... [--events DIR] --as-of DATE\n"
    "       licet conflicts [--db URL] [ID...] --as-of DATE\n"
    "\n"
    "Evaluates every agreement as of DATE with its events and reports grants in\n"
    "force from the same licensor whose fields and territories overlap where one\n"
    "of them is exclusive or sole.  Events for an agreement are read from\n"
    "DIR/<agreement id>.{yaml,yml,jsonl}, else DIR/<file base name>.{yaml,yml,jsonl}.\n"
    "With --db (or $LICET_DB, or an existing ./licet.db) and no files, every agreement\n"
    "of the store is evaluated with its ledger, or only the IDs given.\n"
    "Exit status: 0 no conflicts, 1 conflicts found or a file is unusable, 2 usage.\n";

/* The events file for agreement a loaded from path, or NULL. */
static char *events_for(const char *dir, const lic_agreement *a, const char *path)
{
    static const char *const exts[] = {"yaml", "yml", "jsonl"};
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t blen = strcspn(base, ".");
    char buf[4096];
    for (int k = 0; k < 2; k++)
        for (size_t e = 0; e < 3; e++) {
            if (k == 0)
                snprintf(buf, sizeof buf, "%s/%s.%s", dir, a->id, exts[e]);
            else
                snprintf(buf, sizeof buf, "%s/%.*s.%s", dir, (int)blen, base, exts[e]);
            if (access(buf, R_OK) == 0)
                return strdup(buf);
        }
    return NULL;
}

static void print_conflict(const lic_state *const *st, const char *const *files, const lic_conflict *c)
{
    const lic_state *x = st[c->a], *y = st[c->b];
    char t[1024], f[1024] = "", date[LIC_DATE_STRLEN];
    lic_tset_describe(&c->territories, NULL, t, sizeof t);
    lic_fset_format(x->agreement->fields, &c->fields, f, sizeof f);
    lic_date_str(x->as_of, date);
    printf("%s: %s grant %s of %s overlaps %s grant %s of %s (%s) on %s for licensor %s: fields %s; countries %s\n",
           files[c->a], lic_exclusivity_name(c->ga->exclusivity), c->ga->id, x->agreement->id,
           lic_exclusivity_name(c->gb->exclusivity), c->gb->id, y->agreement->id, files[c->b], date,
           x->agreement->licensor.id, *f ? f : "all fields", t);
}

static int parse(int argc, char **argv, const char **files, size_t *nfiles, const char **dir, lic_date *as_of,
                 const char **db)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(conflicts_help, stdout);
            return 0;
        } else if (!strcmp(o, "--events") && i + 1 < argc)
            *dir = argv[++i];
        else if (!strcmp(o, "--db") && i + 1 < argc)
            *db = argv[++i];
        else if (!strcmp(o, "--as-of") && i + 1 < argc) {
            if (!cli_date_arg("conflicts", o, argv[++i], as_of))
                return 2;
        } else if (o[0] == '-' && o[1]) {
            fprintf(stderr, "licet conflicts: unknown option or missing value: %s\n%s", o, conflicts_help);
            return 2;
        } else
            files[(*nfiles)++] = o;
    }
    if ((!*nfiles && !cli_store_in_use(*db, NULL)) || *as_of == LIC_DATE_NONE) {
        fputs(conflicts_help, stderr);
        return 2;
    }
    return -1;
}

typedef struct ids_list {
    const char **v;
    char **owned;
    size_t n, cap;
} ids_list;

/* Appends an agreement id of the store to the list (ids owned). */
static int add_id(void *ctx, const lic_store_agreement_info *i)
{
    ids_list *ids = ctx;
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? 2 * ids->cap : 16;
        const char **v = realloc(ids->v, cap * sizeof *v);
        if (v)
            ids->v = v;
        char **o = v ? realloc(ids->owned, cap * sizeof *o) : NULL;
        if (!o)
            return LIC_ENOMEM;
        ids->owned = o, ids->cap = cap;
    }
    ids->owned[ids->n] = strdup(i->id);
    ids->v[ids->n] = ids->owned[ids->n];
    return ids->v[ids->n++] ? 0 : LIC_ENOMEM;
}

/* The store's agreement ids, when no file or id was given. */
static int store_ids(const char *db, ids_list *out)
{
    lic_store *s;
    if (cli_store_open("conflicts", cli_store_url(db), false, &s))
        return 1;
    lic_err rc = lic_store_agreements(s, add_id, out);
    if (rc)
        fprintf(stderr, "licet conflicts: %s\n", lic_store_errmsg(s)[0] ? lic_store_errmsg(s) : lic_strerror(rc));
    lic_store_close(s);
    return rc ? 1 : 0;
}

/* Loads deal i: a file (with its events from dir), or an id in the store. */
static bool load_one(const char *db, const char *dir, const char *name, lic_agreement **a, lic_events **ev)
{
    if (cli_store_in_use(db, name))
        return cli_store_load_deal("conflicts", cli_store_url(db), name, a, ev) == 0;
    if (cli_load_deal("conflicts", name, NULL, a, ev))
        return false;
    char *evf = dir ? events_for(dir, *a, name) : NULL;
    lic_diags d;
    lic_diags_init(&d);
    bool ok = !(evf && lic_events_load(evf, *a, &d, ev));
    cli_print_diags(stderr, &d);
    lic_diags_fini(&d);
    free(evf);
    return ok;
}

static bool eval_all(const char *db, const char *dir, const char *const *names, size_t n, lic_date as_of,
                     lic_agreement **ag, lic_events **ev, lic_state **st)
{
    bool bad = false;
    for (size_t i = 0; i < n; i++) {
        if (!load_one(db, dir, names[i], &ag[i], &ev[i])) {
            bad = true;
            if (!ag[i])
                continue;
        }
        if (lic_engine_eval(ag[i], ev[i], as_of, LIC_DATE_NONE, &st[i])) {
            fprintf(stderr, "licet conflicts: out of memory\n");
            bad = true;
        } else
            cli_print_rejected(st[i]);
    }
    return !bad;
}

int cmd_conflicts(int argc, char **argv)
{
    const char *dir = NULL, *db = NULL;
    lic_date as_of = LIC_DATE_NONE;
    size_t n = 0;
    ids_list ids = {0};
    const char **files = calloc((size_t)argc, sizeof *files);
    int rc = !files ? 1 : parse(argc, argv, files, &n, &dir, &as_of, &db);
    if (rc == -1 && n == 0 && store_ids(db, &ids))
        rc = 1;
    const char *const *names = n ? files : ids.v;
    n = n ? n : ids.n;
    lic_agreement **ag = calloc(n + 1, sizeof *ag);
    lic_events **ev = calloc(n + 1, sizeof *ev);
    lic_state **st = calloc(n + 1, sizeof *st);
    if (!ag || !ev || !st)
        rc = 1;
    if (rc == -1) {
        bool bad = !eval_all(db, dir, names, n, as_of, ag, ev, st);
        lic_conflict *c = NULL;
        size_t nc = 0;
        if (lic_conflicts_find((const lic_state *const *)st, n, &c, &nc)) {
            fprintf(stderr, "licet conflicts: out of memory\n");
            bad = true;
        }
        for (size_t i = 0; i < nc; i++)
            print_conflict((const lic_state *const *)st, names, &c[i]);
        free(c);
        rc = bad || nc ? 1 : 0;
    }
    for (size_t i = 0; ag && ev && st && i < n; i++) {
        lic_state_free(st[i]);
        lic_events_free(ev[i]);
        lic_agreement_free(ag[i]);
    }
    for (size_t i = 0; i < ids.n; i++)
        free(ids.owned[i]);
    free(ids.v), free(ids.owned);
    free(files), free(ag), free(ev), free(st);
    return rc;
}
