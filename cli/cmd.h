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

/* royalties_out.c: a statement as CSV rows (one per band) or a workbook. */
int cli_royalties_csv(FILE *f, const lic_state *s, const lic_st_statement *x);
int cli_royalties_xlsx(const char *path, const lic_state *s, const lic_st_statement *x);

#endif
