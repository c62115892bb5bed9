/*
 * calendar.c - `licet calendar AGREEMENT [--events FILE] [--as-of DATE]`:
 * the deal's deadlines and windows as an iCalendar file on stdout.
 *
 * Loads the agreement and its events (cli_load_deal, shared with status),
 * evaluates the deal as of the chosen date (engine.h) and prints
 * lic_ics_render()'s document.  The as-of date sets how far the engine
 * generates recurring obligations, so without --as-of the calendar runs a
 * year past the end of the term: that takes in the last reports, invoices
 * and wind-down items falling due after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "licet/agreement.h"
#include "licet/engine.h"
#include "licet/events.h"
#include "licet/ics.h"

static const char calendar_help[] =
    "usage: licet calendar AGREEMENT [--events FILE] [--as-of DATE]\n"
    "       licet calendar ID [--db URL] [--as-of DATE]\n"
    "\n"
    "Prints the deal's deadlines as an iCalendar file (RFC 5545) on stdout, to import\n"
    "into a calendar program or subscribe to: a to-do with a reminder 14 days ahead\n"
    "for every dated milestone, report and other obligation, invoice and breach cure\n"
    "deadline, and an all-day event for every option, renegotiation, change-of-control\n"
    "and exclusivity-sunset window.  Entries keep their UIDs from one run to the next,\n"
    "so importing a newer file updates them instead of adding copies; done items are\n"
    "marked completed (waived ones cancelled) rather than dropped.\n"
    "  --events FILE   the deal's events (YAML list or JSON Lines); none if not given\n"
    "  --db URL        the portfolio store to take agreement ID and its ledger from\n"
    "                  (default: $LICET_DB, or ./licet.db when it exists)\n"
    "  --as-of DATE    evaluate the deal as of DATE (YYYY-MM-DD): recurring reports,\n"
    "                  fees and meetings are listed up to it and every status is the\n"
    "                  one on that day, given the events recorded.  Default: today\n"
    "                  (UTC): a later date would show deadlines that have not come\n"
    "                  yet as missed.\n"
    "Events that cannot be used are listed on stderr and left out.\n"
    "Exit status: 0 printed, 1 the agreement or events file is unusable, 2 usage.\n";

typedef struct calendar_args {
    const char *agreement, *events, *db;
    lic_date as_of;
} calendar_args;

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "licet calendar: %s%s\n%s", msg, arg ? arg : "", calendar_help);
    return 2;
}

/* The value of an option that takes one; NULL (and a usage message) when
 * it is the last argument or was given before. */
static const char *option_value(int argc, char **argv, int *i, const char *seen)
{
    if (seen) {
        usage_error("option given twice: ", argv[*i]);
        return NULL;
    }
    if (*i + 1 >= argc) {
        usage_error("missing value for ", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

/* Fills *args.  Returns -1 to go on, else the exit status (0 for --help). */
static int parse_args(int argc, char **argv, calendar_args *args)
{
    const char *as_of = NULL;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            fputs(calendar_help, stdout);
            return 0;
        } else if (!strcmp(arg, "--events")) {
            if (!(args->events = option_value(argc, argv, &i, args->events)))
                return 2;
        } else if (!strcmp(arg, "--db")) {
            if (!(args->db = option_value(argc, argv, &i, args->db)))
                return 2;
        } else if (!strcmp(arg, "--as-of")) {
            if (!(as_of = option_value(argc, argv, &i, as_of)))
                return 2;
        } else if (arg[0] == '-' && arg[1])
            return usage_error("unknown option ", arg);
        else if (args->agreement)
            return usage_error("one agreement at a time", NULL);
        else
            args->agreement = arg;
    }
    if (!args->agreement)
        return usage_error("no agreement file given", NULL);
    if (as_of && !cli_date_arg("calendar", "--as-of", as_of, &args->as_of))
        return 2;
    return -1;
}

/* The default as-of date: today, UTC (the front end may read the clock;
 * the engine never does). */
static lic_date default_as_of(const lic_agreement *a)
{
    (void)a;
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || !gmtime_r(&now, &tm))
        return LIC_DATE_NONE;
    return lic_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Evaluates and prints the calendar; the exit status. */
static int print_calendar(const lic_agreement *a, const lic_events *ev, lic_date as_of)
{
    lic_state *st = NULL;
    lic_err rc = lic_engine_eval(a, ev, as_of, LIC_DATE_NONE, &st);
    if (rc) {
        fprintf(stderr, "licet calendar: %s\n", lic_strerror(rc));
        return 1;
    }
    cli_print_rejected(st);
    size_t len = 0;
    char *text = lic_ics_render(st, &len);
    lic_state_free(st);
    if (!text) {
        fprintf(stderr, "licet calendar: %s\n", lic_strerror(LIC_ENOMEM));
        return 1;
    }
    size_t wrote = fwrite(text, 1, len, stdout);
    free(text);
    if (wrote != len || fflush(stdout)) {
        fprintf(stderr, "licet calendar: cannot write the calendar to standard output\n");
        return 1;
    }
    return 0;
}

int cmd_calendar(int argc, char **argv)
{
    calendar_args args = {.as_of = LIC_DATE_NONE};
    int status = parse_args(argc, argv, &args);
    if (status >= 0)
        return status;
    lic_agreement *a = NULL;
    lic_events *ev = NULL;
    status = cli_load_deal_any("calendar", args.db, args.agreement, args.events, &a, &ev);
    lic_date as_of = args.as_of != LIC_DATE_NONE || !a ? args.as_of : default_as_of(a);
    if (!status && as_of == LIC_DATE_NONE) {
        fprintf(stderr, "licet calendar: %s: neither the term's end nor the effective date "
                        "is known; give --as-of DATE\n", args.agreement);
        status = 2;
    }
    if (!status)
        status = print_calendar(a, ev, as_of);
    lic_events_free(ev);
    lic_agreement_free(a);
    return status;
}
