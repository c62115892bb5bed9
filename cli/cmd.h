/*
 * cmd.h - the `licet` subcommands (one file each).
 */
#ifndef LICET_CLI_CMD_H
#define LICET_CLI_CMD_H

#define LICET_VERSION "0.1.0"

int cmd_check(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_conflicts(int argc, char **argv);
int cmd_royalties(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_import_sales(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);

/* Prints diagnostics one per line to f. */
#include <stdio.h>
#include "licet/error.h"
void cli_print_diags(FILE *f, const lic_diags *d);

/* deal.c: loads FILE and, when events is not NULL, its events; prints
 * errors on stderr.  Returns 0, or 1 when the agreement cannot be used. */
#include <stdbool.h>
#include "licet/engine.h"
int cli_load_deal(const char *cmd, const char *file, const char *events, lic_agreement **a,
                  lic_events **ev);
/* Parses a date option; prints the error. */
bool cli_date_arg(const char *cmd, const char *opt, const char *s, lic_date *out);
/* Prints the engine's rejected events on stderr, one line each. */
void cli_print_rejected(const lic_state *s);

/* store.c: the portfolio store.  The database in use: --db (db), else
 * $LICET_DB, else ./licet.db. */
#include "licet/store.h"
const char *cli_store_url(const char *db);
/* The database to take agreement `arg` from, or NULL when arg is a file
 * or no database is in use (--db, $LICET_DB or an existing ./licet.db). */
const char *cli_store_in_use(const char *db, const char *arg);
/* Opens the store; prints why not.  Returns 0 or 1. */
int cli_store_open(const char *cmd, const char *url, bool create, lic_store **s);
/* Loads the latest version of agreement id; prints why not.  0 or 1. */
int cli_store_agreement(const char *cmd, lic_store *s, const char *id, lic_agreement **a);
/* Loads agreement id and its events from the store at url.  0 or 1. */
int cli_store_load_deal(const char *cmd, const char *url, const char *id, lic_agreement **a,
                        lic_events **ev);
/* cli_load_deal for a file, cli_store_load_deal for an id in the store. */
int cli_load_deal_any(const char *cmd, const char *db, const char *arg, const char *events,
                      lic_agreement **a, lic_events **ev);
/* Parses [--db URL] and at most max positional args (-1: go on). */
int cli_store_args(const char *help, int argc, char **argv, const char **db, const char **pos,
                   int max, int *npos);

/* progress.c: progress of a long import on stderr, when stderr is a
 * terminal or `forced` (--progress).  cli_progress_hook gives the hook
 * to pass to the library (NULL when off); cli_progress_done ends the
 * line (and, when forced or shown, says how much was done and how fast). */
#include "licet/portfolio.h"
typedef struct cli_progress {
    const char *cmd;           /* "licet import", ... */
    bool on, tty, forced, shown;
    double start, last, phase_start;
    lic_pf_progress_info info; /* the last report */
} cli_progress;
void cli_progress_init(cli_progress *p, const char *cmd, bool forced);
const lic_pf_progress *cli_progress_hook(cli_progress *p, lic_pf_progress *hook);
void cli_progress_done(cli_progress *p, bool ok);

/* royalties_out.c: a statement as CSV rows (one per band) or a workbook. */
int cli_royalties_csv(FILE *f, const lic_state *s, const lic_st_statement *x);
int cli_royalties_xlsx(const char *path, const lic_state *s, const lic_st_statement *x);

#endif
