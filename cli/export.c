/*
 * export.c - `licet export [--db URL] DIR` and `licet import [--db URL]
 * [--progress] DIR`: the whole portfolio store as plain files a person
 * can read and diff, and such a directory read back into a new, empty
 * store (on either backend).  The library does the work (export.h); this
 * file parses the arguments and says what happened.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "licet/export.h"

static const char export_help[] =
    "usage: licet export [--db URL] DIR\n"
    "\n"
    "Writes the whole store into DIR (which must not exist, or be empty):\n"
    "  DIR/agreements/ID/vN.yaml  every version of every agreement, byte for byte\n"
    "  DIR/ledger.jsonl           every ledger row in order, one JSON object a line\n"
    "  DIR/manifest.json          schema and licet versions, the versions' SHA-256,\n"
    "                             the number of rows and the last row's hash\n"
    "The chain is verified first.  Users, sessions and API tokens are not\n"
    "exported (they are secrets).  `licet import DIR` reads it back.\n"
    "Exit status: 0 exported, 1 errors, 2 usage.\n";

static const char *plural(int64_t n)
{
    return n == 1 ? "" : "s";
}

int cmd_export(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos, rc = cli_store_args(export_help, argc, argv, &db, pos, 1, &npos);
    if (rc >= 0)
        return rc;
    if (npos != 1) {
        fputs(export_help, stderr);
        return 2;
    }
    lic_store *s;
    const char *url = cli_store_url(db);
    if (cli_store_open("export", url, false, &s))
        return 1;
    lic_export_summary sum;
    char why[900];
    lic_err err = lic_export_write(s, pos[0], LICET_VERSION, &sum, why, sizeof why);
    if (err)
        fprintf(stderr, "licet export: %s\n", why[0] ? why : lic_strerror(err));
    else
        printf("%s: exported %lld agreement%s (%lld version%s) and %lld ledger row%s to %s\n", url,
               (long long)sum.agreements, plural(sum.agreements), (long long)sum.versions, plural(sum.versions),
               (long long)sum.rows, plural(sum.rows), pos[0]);
    lic_store_close(s);
    return err ? 1 : 0;
}

static const char import_help[] =
    "usage: licet import [--db URL] [--progress] DIR\n"
    "\n"
    "Reads an export (licet export DIR) into a new, empty store (created when\n"
    "missing; a store that holds agreements or ledger rows is refused).  Every\n"
    "version keeps its number; every ledger row is appended again, its hash\n"
    "recomputed and checked against the exported one: a row that does not match\n"
    "means the export was changed, and nothing is imported.  One transaction.\n"
    "Progress goes to stderr when it is a terminal, or with --progress.\n"
    "Exit status: 0 imported, 1 errors (nothing imported), 2 usage.\n";

static int parse_import(int argc, char **argv, const char **db, const char **dir, bool *progress)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(import_help, stdout);
            return 0;
        } else if (!strcmp(a, "--db") && i + 1 < argc)
            *db = argv[++i];
        else if (!strcmp(a, "--progress"))
            *progress = true;
        else if ((a[0] == '-' && a[1]) || *dir) {
            fprintf(stderr, "licet import: unexpected argument: %s\n%s", a, import_help);
            return 2;
        } else
            *dir = a;
    }
    if (!*dir) {
        fputs(import_help, stderr);
        return 2;
    }
    return -1;
}

int cmd_import(int argc, char **argv)
{
    const char *db = NULL, *dir = NULL;
    bool forced = false;
    int rc = parse_import(argc, argv, &db, &dir, &forced);
    if (rc >= 0)
        return rc;
    /* not a new, empty store for a mistyped DIR */
    char manifest[4096];
    snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
    if (access(manifest, R_OK)) {
        fprintf(stderr, "licet import: %s: no manifest.json (not a licet export, or one that did not finish); "
                        "nothing imported\n", dir);
        return 1;
    }
    lic_store *s;
    const char *url = cli_store_url(db);
    if (cli_store_open("import", url, true, &s))
        return 1;
    cli_progress p;
    lic_pf_progress hook;
    cli_progress_init(&p, "licet import", forced);
    lic_export_summary sum;
    char why[900];
    lic_err err = lic_export_read(s, dir, cli_progress_hook(&p, &hook), &sum, why, sizeof why);
    cli_progress_done(&p, err == LIC_OK);
    if (err == LIC_EINVAL)
        fprintf(stderr, "licet import: %s: %s; nothing imported\n", url, why[0] ? why : lic_strerror(err));
    else if (err)
        fprintf(stderr, "licet import: %s; nothing imported\n", why[0] ? why : lic_strerror(err));
    else
        printf("%s: imported %lld agreement%s (%lld version%s) and %lld ledger row%s from %s; chain recomputed, "
               "last hash %.12s\n", url, (long long)sum.agreements, plural(sum.agreements), (long long)sum.versions,
               plural(sum.versions), (long long)sum.rows, plural(sum.rows), dir, sum.last_hash);
    lic_store_close(s);
    return err ? 1 : 0;
}
