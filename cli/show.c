/*
 * show.c - `licet show FILE [--html]`: the term sheet on stdout.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "licet/agreement.h"
#include "licet/termsheet.h"

static const char show_help[] =
    "usage: licet show FILE [--html]\n"
    "\n"
    "Prints the agreement in FILE as a plain-English term sheet: parties, grants,\n"
    "milestones with their deadlines worked out, payments and tiers as tables,\n"
    "breach classes and remedy ladders, options and termination.\n"
    "  --html   a standalone HTML page instead of Markdown\n"
    "Exit status: 0 shown, 1 the file has errors (printed on stderr), 2 usage.\n";

int cmd_show(int argc, char **argv)
{
    const char *file = NULL;
    bool html = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(show_help, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--html"))
            html = true;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "licet show: unknown option %s\n%s", argv[i], show_help);
            return 2;
        } else if (file) {
            fprintf(stderr, "licet show: one file at a time\n");
            return 2;
        } else
            file = argv[i];
    }
    if (!file) {
        fputs(show_help, stderr);
        return 2;
    }
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = NULL;
    lic_err rc = lic_agreement_load(file, &d, &a);
    for (size_t i = 0; i < d.n; i++) {
        char line[2048];
        lic_diag_format(&d.v[i], line, sizeof line);
        if (rc || d.v[i].sev == LIC_SEV_ERROR)
            fprintf(stderr, "%s\n", line);
    }
    lic_diags_fini(&d);
    if (rc) {
        if (rc != LIC_EINVALID && rc != LIC_EIO)
            fprintf(stderr, "licet show: %s: %s\n", file, lic_strerror(rc));
        return 1;
    }
    char *out = NULL;
    size_t len = 0;
    rc = lic_termsheet_render(a, html, &out, &len);
    lic_agreement_free(a);
    if (rc) {
        fprintf(stderr, "licet show: %s: %s\n", file, lic_strerror(rc));
        return 1;
    }
    fwrite(out, 1, len, stdout);
    lic_termsheet_free(out);
    return 0;
}
