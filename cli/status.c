/*
 * status.c - `licet status AGREEMENT --events FILE --as-of DATE
 * [--known-at DATE] [--json]`: where the deal stands on a date.  AGREEMENT
 * is a file, or an agreement id in the portfolio store (store.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char status_help[] =
    "usage: licet status AGREEMENT [--events FILE] --as-of DATE [--known-at DATE] [--json]\n"
    "       licet status ID [--db URL] --as-of DATE [--known-at DATE] [--json]\n"
    "\n"
    "Evaluates the agreement with its events as of DATE: the state of the deal,\n"
    "grants in force, milestones, obligations, breaches in cure, rights that have\n"
    "arisen, invoices and the balance, coming deadlines and open windows.\n"
    "  --events FILE     events (a YAML list or JSON Lines); none when omitted\n"
    "  --as-of DATE      the date to evaluate on (required)\n"
    "  --known-at DATE   use only events recorded on or before DATE\n"
    "  --json            the FORMAT 5 JSON object instead of a summary\n"
    "  --db URL          the portfolio store to take agreement ID and its ledger from\n"
    "                    (default $LICET_DB, else ./licet.db when it exists)\n"
    "Rejected events are listed on stderr (and under \"rejected\" in JSON).\n"
    "Exit status: 0 evaluated, 1 the agreement or events file is unusable, 2 usage.\n";

static void d(char *buf, lic_date x)
{
    if (x == LIC_DATE_NONE)
        memcpy(buf, "-", 2);
    else
        lic_date_str(x, buf);
}

static void summary_top(const lic_state *s)
{
    char a[LIC_DATE_STRLEN], b[LIC_DATE_STRLEN];
    d(a, s->as_of);
    printf("%s — %s\nas of %s: %s", s->agreement->id, s->agreement->title ? s->agreement->title : "", a,
           lic_deal_state_name(s->state));
    if (s->termination_notice != LIC_DATE_NONE && s->termination_notice <= s->as_of) {
        d(b, s->termination_effective);
        printf(" (termination effective %s)", b);
    }
    printf("\n\nGrants in force\n");
    for (size_t i = 0; i < s->ngrants; i++) {
        char t[512];
        lic_tset_describe(&s->grants[i].territories, s->agreement->regions, t, sizeof t);
        d(a, s->grants[i].from);
        d(b, s->grants[i].until);
        printf("  %-6s %-13s %s, %s to %s%s%s\n", s->grants[i].id, lic_exclusivity_name(s->grants[i].exclusivity),
               t, a, b, s->grants[i].changed_by ? " — changed by " : "",
               s->grants[i].changed_by ? s->grants[i].changed_by : "");
    }
    printf("\nMilestones\n");
    for (size_t i = 0; i < s->nmilestones; i++) {
        const lic_st_milestone *m = &s->milestones[i];
        d(a, m->due);
        d(b, m->achieved_on);
        printf("  %-8s %-20s due %s%s%s\n", m->id, m->status, a, m->achieved_on != LIC_DATE_NONE ? ", achieved " : "",
               m->achieved_on != LIC_DATE_NONE ? b : "");
    }
}

static void summary_rest(const lic_state *s)
{
    char a[LIC_DATE_STRLEN], b[LIC_DATE_STRLEN], m1[48], m2[48];
    int digits = s->agreement->currency->digits;
    printf("\nBreaches\n");
    for (size_t i = 0; i < s->nbreaches; i++) {
        const lic_st_breach *x = &s->breaches[i];
        d(a, x->since);
        d(b, x->cure_by);
        printf("  %-28s %-10s %-9s since %s, cure by %s\n", x->id, x->cls, x->status, a, b);
    }
    printf("\nRights\n");
    for (size_t i = 0; i < s->nrights; i++) {
        const lic_st_right *r = &s->rights[i];
        d(a, r->since);
        printf("  %-32s %-8s %-16s since %s, %s\n", r->id, lic_party_role_name(r->holder),
               lic_action_name(r->remedy->action), a, r->status);
    }
    printf("\nInvoices (%s)\n", s->agreement->currency->code);
    for (size_t i = 0; i < s->ninvoices; i++) {
        const lic_st_invoice *v = &s->invoices[i];
        d(a, v->due);
        lic_amount_format(v->amount, digits, m1, sizeof m1);
        lic_amount_format(v->paid, digits, m2, sizeof m2);
        printf("  %-32s %14s due %s, paid %s, %s\n", v->id, v->known ? m1 : "indeterminate", a, m2, v->status);
    }
    lic_amount_format(s->balance.open, digits, m1, sizeof m1);
    lic_amount_format(s->balance.overdue, digits, m2, sizeof m2);
    printf("  balance: open %s, overdue %s\n\nComing deadlines\n", m1, m2);
    for (size_t i = 0; i < s->ndeadlines && i < 12; i++) {
        d(a, s->deadlines[i].date);
        printf("  %s  %s\n", a, s->deadlines[i].what);
    }
    for (size_t i = 0; i < s->nindeterminate; i++)
        printf("%s  indeterminate: %s (%s is %s)\n", i ? "" : "\n", s->indeterminate[i].what,
               s->indeterminate[i].term, s->indeterminate[i].state);
}

int cmd_status(int argc, char **argv)
{
    const char *file = NULL, *events = NULL, *db = NULL;
    lic_date as_of = LIC_DATE_NONE, known_at = LIC_DATE_NONE;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(status_help, stdout);
            return 0;
        } else if (!strcmp(o, "--json"))
            json = true;
        else if (!strcmp(o, "--db") && i + 1 < argc)
            db = argv[++i];
        else if ((!strcmp(o, "--events") || !strcmp(o, "--as-of") || !strcmp(o, "--known-at")) && i + 1 < argc) {
            const char *v = argv[++i];
            if (!strcmp(o, "--events"))
                events = v;
            else if (!cli_date_arg("status", o, v, !strcmp(o, "--as-of") ? &as_of : &known_at))
                return 2;
        } else if (o[0] == '-' && o[1]) {
            fprintf(stderr, "licet status: unknown option or missing value: %s\n%s", o, status_help);
            return 2;
        } else if (file) {
            fprintf(stderr, "licet status: one agreement at a time\n");
            return 2;
        } else
            file = o;
    }
    if (!file || as_of == LIC_DATE_NONE) {
        fputs(status_help, stderr);
        return 2;
    }
    lic_agreement *a;
    lic_events *ev;
    if (cli_load_deal_any("status", db, file, events, &a, &ev))
        return 1;
    lic_state *s = NULL;
    lic_err rc = lic_engine_eval(a, ev, as_of, known_at, &s);
    if (rc) {
        fprintf(stderr, "licet status: %s\n", lic_strerror(rc));
    } else {
        cli_print_rejected(s);
        if (json) {
            char *text = lic_state_json(s);
            if (text)
                fputs(text, stdout);
            else
                rc = LIC_ENOMEM;
            free(text);
        } else {
            summary_top(s);
            summary_rest(s);
        }
    }
    lic_state_free(s);
    lic_events_free(ev);
    lic_agreement_free(a);
    return rc ? 1 : 0;
}
