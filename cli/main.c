/*
 * main.c - the `licet` command: a table of subcommands, each a thin layer
 * that parses arguments, calls the library and formats the result.
 * Exit codes: 0 success, 1 invalid input (errors reported), 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"check", cmd_check, "check agreement files; report errors, warnings and portfolio conflicts"},
    {"show", cmd_show, "print an agreement as a plain-English term sheet (Markdown or --html)"},
    {"status", cmd_status, "where a deal stands on a date: milestones, breaches, rights, invoices"},
    {"calendar", cmd_calendar, "every deadline, cure deadline and window as iCalendar"},
    {"royalties", cmd_royalties, "the royalty statement of a period, with its arithmetic"},
    {"conflicts", cmd_conflicts, "exclusive overlaps between agreements on a date, after events"},
    {"init", cmd_init, "create the portfolio store (./licet.db, $LICET_DB or --db URL)"},
    {"add", cmd_add, "store an agreement, or a new version of one"},
    {"record", cmd_record, "append events to an agreement's ledger"},
    {"import-sales", cmd_import_sales, "import a sales report CSV as a period's royalty report"},
    {"list", cmd_list, "the agreements in the store, or one agreement's ledger"},
    {"verify", cmd_verify, "re-walk the ledger's hash chain; name the first row that does not match"},
    {"export", cmd_export, "write the whole store as plain files (agreements, ledger.jsonl, manifest)"},
    {"import", cmd_import, "read an export into a new, empty store (the chain recomputed and checked)"},
    {"serve", cmd_serve, "serve the store over HTTP: JSON API, licensor dashboard, licensee portal"},
    {"user", cmd_user, "the accounts of licet serve: add, list, passwd, token"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: licet COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'licet COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("licet %s\n", LICET_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "licet: unknown command \"%s\"\n", argv[1]);
    usage(stderr);
    return 2;
}
