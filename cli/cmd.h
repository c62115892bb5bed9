/*
 * cmd.h - the `licet` subcommands (one file each).
 */
#ifndef LICET_CLI_CMD_H
#define LICET_CLI_CMD_H

#define LICET_VERSION "0.1.0"

int cmd_check(int argc, char **argv);
int cmd_show(int argc, char **argv);

/* Prints diagnostics one per line to f. */
#include <stdio.h>
#include "licet/error.h"
void cli_print_diags(FILE *f, const lic_diags *d);

#endif
