/*
 * engine_int.h - the lifecycle engine's working state (internal to lib/).
 *
 * The engine works in passes (engine.c).  Facts that no pass changes are
 * computed once: the events that count (recorded by known_at, dated by
 * as_of), the amended terms, sales facts (every report line's date and
 * net sales), milestone achievements, the waivers by what they name, and,
 * in the first pass, the recurring reports and committee windows up to
 * as_of.  Then each pass derives deadlines, obligations, invoices,
 * breaches and rights, reading the *previous* pass's rights for what
 * rights change (relief days, fees, terminations, grant changes).  Rights
 * only ever depend on earlier dates, so the passes settle; the engine
 * stops when the next pass would read from a pass's results just what
 * that pass read from its predecessor's (engine.c, pass_repeats).
 *
 * Only the final pass's results are kept.  What no pass reads (rejections,
 * unlicensed-sale flags) is left to passes run as final, and texts only a
 * listed deadline or a missing term shows are written only then
 * (eng_deadlinef, eng_dexprf): most of a pass's deadlines have passed.
 */
#ifndef LIC_ENGINE_INT_H
#define LIC_ENGINE_INT_H

#include "licet/engine.h"
#include "alloc.h"
#include "period_int.h"

#include <string.h>

/* Appends to a state list in the arena (lists grow by doubling). */
#define ENG_PUSH(g, list, count, cap)                                         \
    (((count) == (cap) ? eng_grow((g), (void **)&(list), &(cap), sizeof *(list), (count)) : true) \
         ? &(list)[(count)++]                                                 \
         : NULL)

/* Visits the events of one type that count, by date then file order. */
#define ENG_FOR_TYPE(g, type, ev)                                          \
    for (size_t k_ = 0; k_ < (g)->nbt[type]; k_++)                         \
        for (const lic_event *ev = (g)->bt[type][k_]; ev; ev = NULL)

/* A breach being worked on: the state entry plus what decides it. */
typedef struct eng_breach {
    lic_st_breach st;
    lic_date fixed;             /* failure fixed on (LIC_DATE_NONE) */
    lic_date uncured_on;        /* cure_by + 1 when uncured */
    const lic_remedy *on_miss;  /* overrides the ladder */
    lic_date waived_on;
} eng_breach;

/* Per milestone facts (eng_ms_facts sets every member but the hit
 * arrays, which are read only below year_hits). */
typedef struct eng_ms {
    lic_date claimed, accepted, rejected; /* LIC_DATE_NONE */
    lic_date achieved;          /* achieved_on (claim date once final) */
    lic_date pay_from;          /* the day its payment is counted from */
    lic_date waived;
    lic_date due;               /* after every shift */
    const char *indet;
    int ext_used;
    int year_hits;              /* every_year sales milestones: years reached */
    lic_date hit_dates[64];
    int hit_years[64];
} eng_ms;

/* A royalty report line as the rules read it, taken once before the
 * passes (engine_sales.c). */
typedef struct eng_line {
    const lic_sale_line *l;
    lic_date date;              /* its date, or its period's last day */
    lic_date period_end;        /* its period's last day */
    lic_amount net;             /* net sales in the agreement currency */
    bool net_ok;                /* false: no fx rate, or too large */
} eng_line;

/* One instance of a recurring obligation (a period's report, a committee
 * window): what every pass lists the same, built by the first pass
 * (engine_obl.c).  A pass lists those that begin before the deal ends. */
typedef struct eng_due {
    lic_date begins;            /* first day of its period or window */
    lic_date due, done, waived; /* due LIC_DATE_NONE: due dates unknown */
    const char *id;
    lic_period period;          /* reports: named in the deadline */
} eng_due;

/* The instances of one recurring obligation, from `from` to as-of. */
typedef struct eng_recur {
    bool built;
    lic_date from;              /* what they were built from */
    eng_due *v;
    size_t n;
} eng_recur;

/* A change that an applied right or option makes, on a date. */
typedef struct eng_change {
    lic_date on;
    const lic_st_right *right;  /* NULL for options and sunsets */
    const char *source;
    const lic_remedy *remedy;
    const lic_option *option;
} eng_change;

typedef struct eng {
    lic_arena *arena;
    lic_err oom;
    const lic_agreement *a;     /* terms in force (maybe amended) */
    lic_agreement *amended;     /* owned by the state */
    const lic_events *ev;
    const lic_event **e;        /* events that count, by date then file order */
    size_t ne;
    const lic_event **bt[LIC_EV_COUNT]; /* the same events, by type */
    size_t nbt[LIC_EV_COUNT];
    const lic_event **amends;   /* amendments in force: effective <= as_of */
    size_t namends;
    size_t nrej_base;           /* rejections made before the passes */
    size_t nind_base;           /* indeterminate items found before them */
    lic_date as_of, known_at;
    lic_state *s;               /* being built */
    size_t cap_grants, cap_ms, cap_obl, cap_br, cap_rt, cap_inv, cap_dl, cap_win,
        cap_flag, cap_rej, cap_ind, cap_adj;

    /* facts (pass-invariant) */
    lic_date fcs;               /* first commercial sale, LIC_DATE_NONE */
    lic_date fcs_in[256];       /* per country */
    eng_ms *ms;
    eng_line *lines;            /* royalty report lines, in report order */
    size_t nlines;
    const eng_line **lines_by_end; /* the same, by period_end */
    bool net_cap_missing;       /* deductions cap redacted or unknown: no net sales */
    lic_date *sale_days;        /* dates of lines with sales, ascending */
    size_t nsale_days;
    struct eng_span { lic_date first, last; } *reported; /* royalty report periods, */
    size_t nreported;           /* joined where they touch, ascending */
    eng_recur recur[3];         /* royalty reports, progress reports, committee */
    struct eng_waiver { const char *ref; lic_date date; size_t seq; } *waivers;
    size_t nwaivers;            /* the first waiver of each ref, by ref (eng_waived) */
    bool waivers_indexed;
    lic_date *opt_exercised;    /* per option, this pass */

    /* this pass */
    eng_breach *br;
    size_t nbr, cap_brw;
    lic_date term_notice, term_eff; /* LIC_DATE_NONE: not terminating */
    const char *term_source;
    lic_date relief_on[64];     /* extend_deadlines: applied on, days */
    int relief_days[64];
    size_t nrelief;

    struct eng_app { const lic_st_invoice *inv; lic_date on; lic_amount amount; } *apps;
    size_t napps, cap_apps;     /* payments applied, for interest */
    const struct eng_app **app_by_inv; /* engine_interest.c: apps by invoice, then date; */
    size_t *app_off;            /* invoice k's are [app_off[k], app_off[k + 1]); NULL: not yet */

    /* breaches that arose under the terms before the latest amendment */
    struct eng_carried { const char *ref, *cls; lic_party_role party; lic_date since; } *carried;
    size_t ncarried;

    /* royalties (engine_roy.c): this pass's calculator and statements */
    struct eng_inv_slot {       /* engine_pay.c: this pass's invoice ids (a hash set) */
        const char *id;
        uint64_t h;             /* id's hash */
    } *inv_ids;
    size_t cap_inv_ids;
    lic_roy *roy;
    /* its periods' statements, and what they were computed from: a pass
     * whose grant pieces and royalty increases are the same reuses them */
    struct eng_roy_period {
        const lic_roy_statement *st;
        const lic_event *rep;   /* the first report */
        const char *ps, *invoice; /* "2026-Q2", "inv:royalty:2026-Q2" */
        lic_date due, report_due;
        size_t rep_at, cov_at;  /* its first report in roy_reps; nroy_cov before it */
    } *roy_periods;
    size_t nroy_periods;
    const lic_event **roy_reps; /* the royalty reports, by period then date */
    size_t nroy_reps;
    bool roy_done;
    bool min_from_set;          /* engine_roy.c minimum_from: min_from is known */
    int min_from;
    const lic_st_adjustment *roy_adj;
    size_t nroy_adj;
    size_t cap_stmt;
    /* true_up minimums credited on paid royalties (engine_roy.c), each
     * invoiced by engine_settle.c once its year's payments are applied */
    struct eng_min_paid { const char *id; lic_amount minimum; lic_date first, last, due; } *min_paid;
    size_t nmin_paid, cap_min_paid;
    /* grant pieces over time (engine_deal.c), for eng_licensed */
    const struct eng_piece *pieces, *prev_pieces;
    size_t npieces, nprev_pieces;
    /* Every question a royalty calculator asked eng_licensed, with the
     * answer: roy_cov those of the calculator behind roy_periods, pass_cov
     * this pass's others (audits).  A calculator whose questions get the
     * same answers from other grant pieces computes the same: the cache
     * holds, and a pass handing on pieces that answer alike is settled. */
    struct eng_cov { lic_date d; int country, field; bool ok; } *roy_cov, *pass_cov;
    size_t nroy_cov, cap_roy_cov, npass_cov, cap_pass_cov;
    bool cov_to_roy;            /* compute() is running: log into roy_cov */
    struct eng_fx_memo {        /* the royalty calculator's last fx rate */
        bool valid, ok;
        const lic_currency *cur;
        lic_period p;
        lic_rate rate;
    } fx_memo;

    /* previous pass */
    lic_st_right *prev_rights;
    size_t nprev_rights;
    const lic_st_adjustment *prev_adj;
    size_t nprev_adj;
    bool final_pass;            /* report rejections only once */
} eng;

/* state.c: sorts every list in its documented order. */
lic_err lic__state_sort(lic_state *s);

/* Equal strings, NULL equal only to NULL. */
static inline bool eng_same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* The day before d; LIC_DATE_NONE stays NONE (it is INT32_MIN). */
static inline lic_date eng_prev(lic_date d)
{
    return d == LIC_DATE_NONE ? d : d - 1;
}

/* engine_util.c */
bool eng_grow(eng *g, void **list, size_t *cap, size_t elem, size_t count);
/* A stable sort (the order glibc's qsort gives) that merges the runs
 * already in order: events and report lines mostly are in order, and
 * state lists are a few ordered runs.  cmp must order every two distinct
 * entries. */
void eng_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
char *eng_fmt(eng *g, const char *fmt, ...) LIC_PRINTF(2, 3);
lic_date eng_add(const eng *g, lic_date d, const lic_duration *dur);
void eng_reject(eng *g, const lic_event *e, const char *fmt, ...) LIC_PRINTF(3, 4);
/* Records that `what` is indeterminate because of the term at `pos`;
 * returns the term's path ("milestones[1].due"). */
const char *eng_indet(eng *g, const char *what, lic_pos pos);
/* Records a result this engine does not compute yet (state "not_computed"). */
void eng_not_computed(eng *g, const char *what, const char *term);
/* The date an expression counts from (its anchor's), or LIC_DATE_NONE. */
lic_date eng_anchor(const eng *g, const lic_dexpr *x);
/* A date expression resolved with what has happened by as_of:
 * LIC_DATE_NONE when its anchor is pending or a term is missing (then
 * *indet is the term's path). */
lic_date eng_dexpr(eng *g, const lic_dexpr *x, const char *what, const char **indet);
/* The same, with `what` formatted only when a term is missing: every pass
 * resolves the same expressions, and a missing term is rare. */
lic_date eng_dexprf(eng *g, const lic_dexpr *x, const char **indet, const char *fmt, ...) LIC_PRINTF(4, 5);
/* Lists deadline d unless it is LIC_DATE_NONE or before as_of. */
void eng_deadline(eng *g, lic_date d, const char *kind, const char *ref, const char *what);
/* The same, with `what` formatted only when the deadline is listed: most
 * deadlines of a long-running deal have passed. */
void eng_deadlinef(eng *g, lic_date d, const char *kind, const char *ref, const char *fmt, ...)
    LIC_PRINTF(5, 6);
/* eng_fmt(g, "%s%s", a, b) without a format to read: the ids of
 * reports, invoices and breaches are made per period and pass. */
const char *eng_cat(eng *g, const char *a, const char *b);
const char *eng_date_str(eng *g, lic_date d);
bool eng_refers(const char *ref, const char *id, const char *prefix);
/* The date of the first waiver naming `id` exactly, or LIC_DATE_NONE. */
lic_date eng_waived(eng *g, const char *id);

/* engine_amend.c */
lic_err eng_amend(eng *g);

/* engine_sales.c */
/* The fx rate from `cur` to the agreement currency for period p's lines. */
bool eng_fx_rate(const eng *g, const lic_currency *cur, lic_period p, lic_rate *out);
void eng_sales_facts(eng *g);
void eng_sales_milestones(eng *g);
bool eng_period_has_sales(const eng *g, lic_date first, lic_date last, bool *known);
bool eng_net_sales(eng *g, lic_date first, lic_date last, const lic_scope *where,
                   lic_amount *out);

/* engine_ms.c */
void eng_ms_facts(eng *g);
void eng_milestones(eng *g);

/* Moves `due` of party `owner`'s deadline `id` by its force majeure
 * (counted from `anchor`, capped at force_majeure.max). */
lic_date eng_fm_shift(eng *g, const char *id, lic_party_role owner, lic_date due, lic_date anchor,
                      bool *running, int *shifted);
lic_date eng_licensor_due(eng *g, const lic_licensor_obligation *o);

/* engine_obl.c */
void eng_obligations(eng *g);
/* The day a report of rule r for period p is due; LIC_DATE_NONE. */
lic_date eng_report_due(const eng *g, const lic_report_rule *r, lic_period p);

/* engine_pay.c */
/* Adds an invoice issued on `issued` (payments made from then on go to
 * it); the first one with an id wins. */
lic_st_invoice *eng_invoice_add(eng *g, const char *id, const char *kind, const lic_amount_v *amount,
                                lic_date due, lic_date issued);
/* The id of this pass's invoice named `id` (the pointer the invoice
 * holds), or NULL (also for a NULL id). */
const char *eng_invoice_id(const eng *g, const char *id);

/* engine_roy.c: statements and royalty and minimum invoices. */
void eng_royalties(eng *g);
/* A royalty calculator with what the previous pass decided. */
lic_err eng_roy_new(eng *g, lic_roy **out);
/* The royalty payment for period p, reported on `reported`, is due on. */
lic_date eng_royalty_due(eng *g, lic_period p, lic_date reported);
/* The distinct periods of royalty reports, ascending (arena). */
size_t eng_reported_periods(eng *g, lic_period **out);

/* Adds a flag (kind, period or NULL, detail) to the state. */
void eng_flag(eng *g, const char *kind, const char *period, const char *detail);

/* engine_audit.c: audit recomputations, underpayments, cost shifts. */
void eng_audits(eng *g);
void eng_invoices(eng *g);
/* engine_settle.c */
void eng_invoices_settle(eng *g);

/* engine_interest.c */
void eng_interest(eng *g, lic_st_invoice *v);
/* Late interest (FORMAT 2.3, the agreement's late_interest) on `principal`
 * due on `due` and unpaid until `until` (exclusive): LIC_OK and *out (0
 * without late_interest); LIC_EINDETERMINATE, *out 0 and *indet_term the
 * missing term's path (a redacted rate, or
 * "payments.late_interest.reference" with no rate event) -- the caller
 * records it; LIC_EOVERFLOW.  *indet_term is NULL unless indeterminate. */
lic_err eng_interest_between(eng *g, lic_amount principal, lic_date due, lic_date until,
                             lic_amount *out, const char **indet_term);

/* engine_breach.c */
eng_breach *eng_breach_add(eng *g, const char *ref, const char *cls, lic_party_role party,
                           lic_date since, lic_date fixed);
void eng_breaches(eng *g);
void eng_rights(eng *g);

/* engine_deal.c */
void eng_termination(eng *g);
void eng_options(eng *g);
void eng_grants(eng *g);
/* Is a sale on day d in country c, field f covered by a grant piece of
 * the previous pass, or by the sell-off period (the written grants while
 * there are no pieces)?  Logs the question (struct eng_cov). */
bool eng_licensed(eng *g, lic_date d, int country, int field);
/* Do pieces v (NULL: the written grants) answer every logged question
 * as logged? */
bool eng_same_cover(const eng *g, const struct eng_cov *q, size_t nq, const struct eng_piece *v, size_t n);
void eng_windows(eng *g);
void eng_finish(eng *g);

#endif
