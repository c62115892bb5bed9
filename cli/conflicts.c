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
    "\n"
    "Evaluates every agreement as of DATE with its events and reports grants in\n"
    "force from the same licensor whose fields and territories overlap where one\n"
    "of them is exclusive or sole.  Events for an agreement are read from\n"
    "DIR/<agreement id>.{yaml,yml,jsonl}, else DIR/<file base name>.{yaml,yml,jsonl}.\n"
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

static int parse(int argc, char **argv, const char **files, size_t *nfiles, const char **dir, lic_date *as_of)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(conflicts_help, stdout);
            return 0;
        } else if (!strcmp(o, "--events") && i + 1 < argc)
            *dir = argv[++i];
        else if (!strcmp(o, "--as-of") && i + 1 < argc) {
            if (!cli_date_arg("conflicts", o, argv[++i], as_of))
                return 2;
        } else if (o[0] == '-' && o[1]) {
            fprintf(stderr, "licet conflicts: unknown option or missing value: %s\n%s", o, conflicts_help);
            return 2;
        } else
            files[(*nfiles)++] = o;
    }
    if (!*nfiles || *as_of == LIC_DATE_NONE) {
        fputs(conflicts_help, stderr);
        return 2;
    }
    return -1;
}

int cmd_conflicts(int argc, char **argv)
{
    const char *dir = NULL;
    lic_date as_of = LIC_DATE_NONE;
    size_t n = 0;
    const char **files = calloc((size_t)argc, sizeof *files);
    lic_agreement **ag = calloc((size_t)argc, sizeof *ag);
    lic_events **ev = calloc((size_t)argc, sizeof *ev);
    lic_state **st = calloc((size_t)argc, sizeof *st);
    int rc = !files || !ag || !ev || !st ? 1 : parse(argc, argv, files, &n, &dir, &as_of);
    bool bad = false;
    for (size_t i = 0; rc == -1 && i < n; i++) {
        if (cli_load_deal("conflicts", files[i], NULL, &ag[i], &ev[i])) {
            bad = true;
            continue;
        }
        char *evf = dir ? events_for(dir, ag[i], files[i]) : NULL;
        lic_diags d;
        lic_diags_init(&d);
        if (evf && lic_events_load(evf, ag[i], &d, &ev[i]))
            bad = true;
        cli_print_diags(stderr, &d);
        lic_diags_fini(&d);
        free(evf);
        if (lic_engine_eval(ag[i], ev[i], as_of, LIC_DATE_NONE, &st[i])) {
            fprintf(stderr, "licet conflicts: out of memory\n");
            bad = true;
        } else
            cli_print_rejected(st[i]);
    }
    if (rc == -1) {
        lic_conflict *c = NULL;
        size_t nc = 0;
        if (lic_conflicts_find((const lic_state *const *)st, n, &c, &nc)) {
            fprintf(stderr, "licet conflicts: out of memory\n");
            bad = true;
        }
        for (size_t i = 0; i < nc; i++)
            print_conflict((const lic_state *const *)st, files, &c[i]);
        free(c);
        rc = bad || nc ? 1 : 0;
    }
    for (size_t i = 0; i < n; i++) {
        lic_state_free(st[i]);
        lic_events_free(ev[i]);
        lic_agreement_free(ag[i]);
    }
    free(files), free(ag), free(ev), free(st);
    return rc;
}
