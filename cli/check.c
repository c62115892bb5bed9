/*
 * check.c - `licet check FILE... [--json]`: load every file, lint the
 * valid ones, then look for conflicts across them (same licensor,
 * overlapping exclusive grants).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "licet/agreement.h"
#include "licet/check.h"

static const char check_help[] =
    "usage: licet check [--json] [--no-warnings] FILE...\n"
    "\n"
    "Checks agreement files (YAML or JSON).  Errors and warnings go to stderr as\n"
    "FILE:LINE:COL: [warning: ]PATH: MESSAGE.  Given several files, also reports\n"
    "portfolio conflicts: grants of the same licensor that overlap in field x\n"
    "territory x time where either is exclusive or sole.\n"
    "  --json          print {\"files\", \"diagnostics\", \"errors\", \"warnings\"} on stdout\n"
    "  --no-warnings   report errors only\n"
    "Exit status: 0 all files valid and no conflicts, 1 errors, 2 usage.\n";

void cli_print_diags(FILE *f, const lic_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        char line[4096];
        lic_diag_format(&d->v[i], line, sizeof line);
        fprintf(f, "%s\n", line);
    }
}

static int print_json(const lic_diags *d, char **files, lic_agreement **as, int n)
{
    json_t *root = json_object(), *jf = json_array(), *jd = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(jf, json_pack("{s:s, s:b, s:s?}", "file", files[i], "valid",
                                            as[i] != NULL, "id", as[i] ? as[i]->id : NULL));
    for (size_t i = 0; i < d->n; i++) {
        const lic_diag *g = &d->v[i];
        json_array_append_new(jd, json_pack("{s:s, s:i, s:i, s:s, s:s, s:s, s:s}", "file", g->file,
                                            "line", g->line, "col", g->col, "severity",
                                            g->sev == LIC_SEV_ERROR ? "error" : "warning",
                                            "code", g->code, "path", g->path, "message", g->msg));
    }
    json_object_set_new(root, "files", jf);
    json_object_set_new(root, "diagnostics", jd);
    json_object_set_new(root, "errors", json_integer((json_int_t)d->nerrors));
    json_object_set_new(root, "warnings", json_integer((json_int_t)d->nwarnings));
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!s)
        return -1;
    puts(s);
    free(s);
    return 0;
}

/* Drops warnings in place (for --no-warnings). */
static void only_errors(lic_diags *d)
{
    lic_diags keep;
    lic_diags_init(&keep);
    for (size_t i = 0; i < d->n; i++) {
        const lic_diag *g = &d->v[i];
        if (g->sev == LIC_SEV_ERROR &&
            lic_diags_add(&keep, g->sev, g->file, g->line, g->col, g->code, g->path, "%s", g->msg))
            break;
    }
    lic_diags_fini(d);
    *d = keep;
}

int cmd_check(int argc, char **argv)
{
    bool json = false, warnings = true;
    char **files = calloc((size_t)argc, sizeof *files);
    int nfiles = 0;
    if (!files)
        return 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(check_help, stdout);
            free(files);
            return 0;
        } else if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!strcmp(argv[i], "--no-warnings"))
            warnings = false;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "licet check: unknown option %s\n%s", argv[i], check_help);
            free(files);
            return 2;
        } else
            files[nfiles++] = argv[i];
    }
    if (nfiles == 0) {
        fputs(check_help, stderr);
        free(files);
        return 2;
    }
    lic_agreement **as = calloc((size_t)nfiles, sizeof *as);
    lic_diags d;
    lic_diags_init(&d);
    int status = as ? 0 : 2;
    for (int i = 0; as && i < nfiles; i++) {
        lic_err rc = lic_agreement_load(files[i], &d, &as[i]);
        if (!rc)
            rc = lic_check_agreement(as[i], &d);
        if (rc == LIC_ENOMEM) {
            fprintf(stderr, "licet check: out of memory\n");
            status = 2;
        }
    }
    if (as && lic_check_portfolio(as, (size_t)nfiles, &d))
        status = 2;
    if (!warnings)
        only_errors(&d);
    lic_diags_sort(&d);
    if (json)
        print_json(&d, files, as, nfiles);
    else
        cli_print_diags(stderr, &d);
    if (!status && d.nerrors)
        status = 1;
    for (int i = 0; as && i < nfiles; i++)
        lic_agreement_free(as[i]);
    free(as);
    free(files);
    lic_diags_fini(&d);
    return status;
}
