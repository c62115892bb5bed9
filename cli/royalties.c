/*
 * royalties.c - `licet royalties AGREEMENT --events FILE --period P`: the
 * royalty statement of one period, as a table on a terminal, as JSON
 * (FORMAT 5), as CSV (one row per band) or as an .xlsx workbook for the
 * finance team (royalties_xlsx.c).  The statement is computed by the
 * engine as of --as-of, by default the later of the period's last day and
 * the last event's date, so every recorded event counts.  AGREEMENT is a
 * file, or an agreement id in the portfolio store (store.c), whose
 * ledger then gives the events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char royalties_help[] =
    "usage: licet royalties AGREEMENT --events FILE --period P [--as-of DATE] [--known-at DATE]\n"
    "                       [--json | --csv | --xlsx FILE]\n"
    "       licet royalties ID [--db URL] --period P [...]\n"
    "\n"
    "The royalty statement of period P (2026-Q2, 2026-H1, 2026, 2026-05): per schedule,\n"
    "country and product the gross, allowed deductions, net sales, each band's rate,\n"
    "base and royalty, the stacking reduction; then credits, the total due and its due\n"
    "date, with the receipt (SHA-256 of the inputs) that lets either party reproduce it.\n"
    "  --events FILE     events with the royalty reports (required)\n"
    "  --period P        the reported period (required)\n"
    "  --as-of DATE      evaluate on DATE (default: the period's end or the last event)\n"
    "  --known-at DATE   use only events recorded on or before DATE\n"
    "  --json            the FORMAT 5 statement object\n"
    "  --csv             one row per band, for spreadsheets\n"
    "  --xlsx FILE       an Excel workbook written to FILE\n"
    "  --db URL          the portfolio store to take agreement ID and its ledger from\n"
    "                    (default $LICET_DB, else ./licet.db when it exists)\n"
    "Exit status: 0 printed, 1 unusable input or no report for P, 2 usage.\n";

typedef struct opts {
    const char *file, *events, *xlsx, *db;
    lic_date as_of, known_at;
    lic_period period;
    bool has_period, json, csv;
} opts;

static int parse(int argc, char **argv, opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool val = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(royalties_help, stdout);
            return 0;
        } else if (!strcmp(a, "--json") || !strcmp(a, "--csv")) {
            *(a[2] == 'j' ? &o->json : &o->csv) = true;
        } else if (!strcmp(a, "--events") && val) {
            o->events = argv[++i];
        } else if (!strcmp(a, "--db") && val) {
            o->db = argv[++i];
        } else if (!strcmp(a, "--xlsx") && val) {
            o->xlsx = argv[++i];
        } else if (!strcmp(a, "--period") && val) {
            const char *p = argv[++i];
            if (lic_period_parse(p, strlen(p), &o->period)) {
                fprintf(stderr, "licet royalties: --period expects a period like 2026-Q2, got \"%s\"\n", p);
                return 2;
            }
            o->has_period = true;
        } else if ((!strcmp(a, "--as-of") || !strcmp(a, "--known-at")) && val) {
            if (!cli_date_arg("royalties", a, argv[i + 1], a[2] == 'a' ? &o->as_of : &o->known_at))
                return 2;
            i++;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "licet royalties: unknown option or missing value: %s\n%s", a, royalties_help);
            return 2;
        } else if (o->file) {
            fprintf(stderr, "licet royalties: one agreement at a time\n");
            return 2;
        } else {
            o->file = a;
        }
    }
    bool store = o->file && !o->events && cli_store_in_use(o->db, o->file);
    if (!o->file || (!o->events && !store) || !o->has_period || (o->json + o->csv + !!o->xlsx) > 1) {
        fputs(royalties_help, stderr);
        return 2;
    }
    return -1;
}

static lic_date default_as_of(const lic_events *ev, lic_period p)
{
    lic_date d = lic_period_last(p);
    for (size_t i = 0; i < ev->n; i++)
        if (ev->v[i].date > d)
            d = ev->v[i].date;
    return d;
}

static void money(char *buf, size_t n, lic_amount v, int digits)
{
    lic_amount_format(v, digits, buf, n);
}

static void table(const lic_state *s, const lic_st_statement *x)
{
    const lic_roy_statement *st = x->st;
    int dg = s->agreement->currency->digits;
    char ps[LIC_PERIOD_STRLEN], due[LIC_DATE_STRLEN] = "-", g[48], n[48], r[48], k[48];
    lic_period_str(st->period, ps);
    if (x->due != LIC_DATE_NONE)
        lic_date_str(x->due, due);
    printf("%s royalty statement %s (%s)\n\n", s->agreement->id, ps, s->agreement->currency->code);
    printf("  %-14s %-7s %-10s %-11s %16s %16s %14s %14s\n", "schedule", "country", "product", "status", "gross",
           "net sales", "royalty", "stacking");
    for (size_t i = 0; i < st->nlines; i++) {
        const lic_roy_line *l = &st->lines[i];
        money(g, sizeof g, l->gross, dg), money(n, sizeof n, l->net_sales, dg);
        money(r, sizeof r, l->royalty, dg), money(k, sizeof k, l->stacking_reduction, dg);
        printf("  %-14s %-7s %-10s %-11s %16s %16s %14s %14s\n", l->schedule ? l->schedule : "-",
               lic_country_code(l->country), l->product ? l->product : "-", lic_roy_status_name(l->status), g, n, r,
               k);
        for (size_t b = 0; b < l->nbands; b++) {
            char rate[48], base[48], roy[48];
            lic_rate_format_percent(l->bands[b].rate, rate, sizeof rate);
            money(base, sizeof base, l->bands[b].base, dg), money(roy, sizeof roy, l->bands[b].royalty, dg);
            printf("      band %-10s on %16s = %14s\n", l->bands[b].is_fixed ? "fixed" : rate, base, roy);
        }
    }
    for (size_t i = 0; i < st->ntrue_ups; i++) {
        money(r, sizeof r, st->true_ups[i].amount, dg);
        printf("  true-up %-30s %14s\n", st->true_ups[i].schedule, r);
    }
    money(r, sizeof r, st->royalty, dg);
    printf("\n  royalty %32s\n", st->known ? r : "indeterminate");
    for (size_t i = 0; i < x->ncredits; i++) {
        money(r, sizeof r, x->credits[i].amount, dg);
        printf("  credit (%s) %26s-%s\n", x->credits[i].kind, "", r);
    }
    money(r, sizeof r, x->total_due, dg);
    printf("  total due %30s, due %s (%s)\n", st->known ? r : "indeterminate", due, x->invoice);
    for (size_t i = 0; i < st->nindeterminate; i++)
        printf("  indeterminate: %s (%s)\n", st->indeterminate[i].kind, st->indeterminate[i].detail);
    for (size_t i = 0; i < s->nflags; i++)
        if (s->flags[i].period && !strcmp(s->flags[i].period, ps))
            printf("  flag %s: %s\n", s->flags[i].kind, s->flags[i].detail);
}

static int emit(const opts *o, const lic_state *s, const lic_st_statement *x)
{
    if (o->xlsx)
        return cli_royalties_xlsx(o->xlsx, s, x);
    if (o->csv)
        return cli_royalties_csv(stdout, s, x);
    if (!o->json) {
        table(s, x);
        return 0;
    }
    char *text = lic_statement_json(s, x);
    if (!text) {
        fprintf(stderr, "licet royalties: %s\n", lic_strerror(LIC_ENOMEM));
        return 1;
    }
    fputs(text, stdout);
    free(text);
    return 0;
}

int cmd_royalties(int argc, char **argv)
{
    opts o = {.as_of = LIC_DATE_NONE, .known_at = LIC_DATE_NONE};
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    lic_agreement *a;
    lic_events *ev;
    if (cli_load_deal_any("royalties", o.db, o.file, o.events, &a, &ev))
        return 1;
    lic_state *s = NULL;
    lic_err err = lic_engine_eval(a, ev, o.as_of != LIC_DATE_NONE ? o.as_of : default_as_of(ev, o.period),
                                  o.known_at, &s);
    if (err) {
        fprintf(stderr, "licet royalties: %s\n", lic_strerror(err));
        rc = 1;
    } else {
        cli_print_rejected(s);
        const lic_st_statement *x = lic_state_statement(s, o.period);
        char ps[LIC_PERIOD_STRLEN];
        lic_period_str(o.period, ps);
        if (!x)
            fprintf(stderr, "licet royalties: no royalty report for %s in %s\n", ps,
                    o.events ? o.events : "the ledger");
        rc = x ? emit(&o, s, x) : 1;
    }
    lic_state_free(s);
    lic_events_free(ev);
    lic_agreement_free(a);
    return rc;
}
