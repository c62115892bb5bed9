/*
 * engine_audit.c - audits (FORMAT 3 `audit`, 2.4 `audit:`): the audited
 * periods recomputed from the findings, the underpayment per period with
 * interest from each original due date, the audit cost shifted to the
 * licensee over the threshold, and periods outside the lookback refused.
 *
 * The recomputation runs the royalty calculator again over every period
 * in order, with the findings' lines instead of the reported ones for the
 * audited periods, so tiers see the corrected totals.  The underpayment of
 * a period is the recomputed royalty less the reported one; an
 * overpayment gives nothing back here (it is flagged).  Each underpaid
 * period is invoiced inv:audit:<event id>:<period>, issued on the audit's
 * date and due 30 days later, for the underpayment plus late interest from
 * the period's original due date to the audit's date; late interest runs
 * on from the new due date like any invoice's.
 */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>

#define AUDIT_PAYMENT_DAYS 30

static bool audited(const lic_event *a, lic_period p)
{
    for (size_t i = 0; i < a->nperiods; i++)
        if (!lic__period_cmp(a->periods[i], p))
            return true;
    return false;
}

/* The audited periods inside the lookback, with the reported ones, in order. */
static size_t periods(eng *g, const lic_event *a, const bool *ok, lic_period **out)
{
    lic_period *rep;
    size_t nr = eng_reported_periods(g, &rep);
    lic_period *v = lic__arena_alloc(g->arena, (nr + a->nperiods + 1) * sizeof *v);
    if (!v) {
        g->oom = LIC_ENOMEM;
        return 0;
    }
    size_t n = 0;
    for (size_t i = 0; i < nr; i++)
        v[n++] = rep[i];
    for (size_t i = 0; i < a->nperiods; i++) {
        bool have = false;
        for (size_t k = 0; k < nr; k++)
            have |= !lic__period_cmp(rep[k], a->periods[i]);
        if (ok[i] && !have)
            v[n++] = a->periods[i];
    }
    for (size_t i = 1; i < n; i++) /* insertion sort: a handful of periods */
        for (size_t k = i; k > 0 && lic__period_cmp(v[k - 1], v[k]) > 0; k--) {
            lic_period t = v[k];
            v[k] = v[k - 1], v[k - 1] = t;
        }
    *out = v;
    return n;
}

/* Feeds period p: the findings when it is audited, else the reports. */
static lic_err feed(eng *g, lic_roy *r, const lic_event *a, lic_period p, bool use_findings)
{
    lic_err rc = LIC_OK;
    if (use_findings) {
        for (size_t j = 0; j < a->nlines && !rc; j++)
            if (!lic__period_cmp(a->lines[j].period, p))
                rc = lic_roy_add(r, &a->lines[j]);
        return rc;
    }
    ENG_FOR_TYPE(g, LIC_EV_REPORT, e)
        if (e->report_kind == LIC_REPORT_ROYALTY && !lic__period_cmp(e->period, p))
            for (size_t j = 0; j < e->nlines && !rc; j++)
                rc = lic_roy_add(r, &e->lines[j]);
    return rc;
}

/* One audited period's result. */
typedef struct finding {
    lic_period p;
    lic_amount was, now;        /* royalty as reported, as recomputed */
    bool known;
} finding;

/* Recomputes every period with the findings; fills f (one per audited
 * period in the lookback).  Returns how many, or 0 when not computable. */
static size_t recompute(eng *g, const lic_event *a, const bool *ok, finding *f)
{
    lic_period *ps = NULL;
    size_t n = periods(g, a, ok, &ps), nf = 0;
    lic_roy *r = NULL;
    lic_err rc = g->oom ? g->oom : eng_roy_new(g, &r);
    for (size_t i = 0; i < n && !rc; i++) {
        bool use = audited(a, ps[i]);
        rc = feed(g, r, a, ps[i], use);
        const lic_roy_statement *st = NULL;
        lic_err close = lic_roy_close(r, ps[i], &st);
        rc = rc ? rc : close;
        if (rc || !use)
            continue;
        const lic_st_statement *x = lic_state_statement(g->s, ps[i]);
        f[nf++] = (finding){ps[i], x ? x->st->royalty : 0, st->royalty, st->known && (!x || x->st->known)};
    }
    lic_roy_free(r);
    if (rc == LIC_EOVERFLOW) {
        eng_not_computed(g, eng_fmt(g, "audit %s", a->id), "arithmetic overflow");
        return 0;
    }
    if (rc)
        g->oom = rc;
    return rc ? 0 : nf;
}

/* The day the royalty for p was first due. */
static lic_date original_due(eng *g, lic_period p)
{
    const lic_st_statement *x = lic_state_statement(g->s, p);
    if (x)
        return x->due;
    return eng_royalty_due(g, p, eng_report_due(g, &g->a->reporting.royalty_report, p));
}

static void invoice(eng *g, const lic_event *a, const finding *f)
{
    char ps[LIC_PERIOD_STRLEN];
    lic_period_str(f->p, ps);
    lic_date due = lic_date_add_days(a->date, AUDIT_PAYMENT_DAYS), from = original_due(g, f->p);
    lic_amount under = f->now - f->was, interest = 0;
    const char *indet = NULL;
    lic_err rc = from == LIC_DATE_NONE ? LIC_OK : eng_interest_between(g, under, from, a->date, &interest, &indet);
    lic_amount_v amt = {.st = LIC_V_KNOWN};
    bool known = f->known && !rc && lic_amount_add(under, interest, &amt.v) == LIC_OK;
    lic_st_invoice *v = eng_invoice_add(g, eng_fmt(g, "inv:audit:%s:%s", a->id, ps), "audit", &amt, due, a->date);
    if (!v)
        return;
    v->audit = true;
    v->underpayment = under;
    v->interest_to_audit = interest;
    if (!known) {
        v->known = false;
        v->indeterminate = indet ? indet : f->known ? "arithmetic overflow" : "royalty of the audited period";
    }
}

static bool in_window(const eng *g, lic_period end, lic_period p)
{
    lic_date e = lic_period_last(end), d = lic_period_last(p);
    switch (g->a->audit.cost_shift.window) {
    case LIC_AUDIT_YEAR:
        return lic_roy_year_start(g->a, e) == lic_roy_year_start(g->a, d);
    case LIC_AUDIT_ANY_12_MONTHS:
        return d <= e && d > lic_date_add_months(e, -12);
    default:
        return !lic__period_cmp(end, p);
    }
}

/* Underpayment over the threshold share of the base, in the window that
 * ends with finding i (FORMAT 2.4 cost_shift). */
static bool over_threshold(const eng *g, const finding *f, size_t n, size_t i)
{
    const __typeof__(g->a->audit.cost_shift) *cs = &g->a->audit.cost_shift;
    __int128 under = 0, base = 0;
    for (size_t k = 0; k < n; k++)
        if (in_window(g, f[i].p, f[k].p)) {
            under += f[k].now > f[k].was ? f[k].now - f[k].was : 0;
            base += cs->base_paid ? f[k].was : f[k].now;
        }
    if (base <= 0)
        return under > 0;
    __int128 lhs = under * LIC_RATE_SCALE, rhs = (__int128)cs->threshold.v * base;
    return cs->inclusive ? lhs >= rhs : lhs > rhs;
}

static void cost_shift(eng *g, const lic_event *a, const finding *f, size_t n)
{
    const __typeof__(g->a->audit.cost_shift) *cs = &g->a->audit.cost_shift;
    if (!a->has_amount || !cs->present)
        return;
    if (cs->threshold.st != LIC_V_KNOWN) {
        eng_indet(g, eng_fmt(g, "audit %s cost shift", a->id), cs->threshold.pos);
        return;
    }
    bool shift = false;
    for (size_t i = 0; i < n && !shift; i++)
        shift = f[i].known && over_threshold(g, f, n, i);
    lic_amount_v amt = {.st = LIC_V_KNOWN, .v = a->amount};
    if (shift)
        eng_invoice_add(g, eng_fmt(g, "inv:audit_cost:%s", a->id), "audit_cost", &amt,
                        lic_date_add_days(a->date, AUDIT_PAYMENT_DAYS), a->date);
}

/* Which audited periods the lookback allows; false when none. */
static bool lookback(eng *g, const lic_event *a, bool *ok)
{
    int years = g->a->audit.present ? g->a->audit.lookback_years : 0;
    lic_date earliest = years > 0 ? lic_date_add_years(a->date, -years) : LIC_DATE_MIN;
    bool any = false;
    for (size_t i = 0; i < a->nperiods; i++) {
        ok[i] = lic_period_last(a->periods[i]) >= earliest;
        any |= ok[i];
        if (!ok[i]) {
            char ps[LIC_PERIOD_STRLEN];
            lic_period_str(a->periods[i], ps);
            eng_flag(g, "audit_period_refused", eng_fmt(g, "%s", ps),
                     eng_fmt(g, "audit %s: %s ended before %s, outside the %d-year lookback", a->id, ps,
                             eng_date_str(g, earliest), years));
        }
    }
    if (!any)
        eng_reject(g, a, "every audited period ended before %s, outside the %d-year lookback",
                   eng_date_str(g, earliest), years);
    return any;
}

void eng_audits(eng *g)
{
    ENG_FOR_TYPE(g, LIC_EV_AUDIT, a)
    {
        bool *ok = lic__arena_alloc(g->arena, a->nperiods + 1);
        finding *f = lic__arena_alloc(g->arena, (a->nperiods + 1) * sizeof *f);
        if (!ok || !f) {
            g->oom = LIC_ENOMEM;
            return;
        }
        if (!lookback(g, a, ok))
            continue;
        size_t n = recompute(g, a, ok, f);
        for (size_t i = 0; i < n; i++) {
            char ps[LIC_PERIOD_STRLEN];
            lic_period_str(f[i].p, ps);
            if (f[i].known && f[i].now > f[i].was)
                invoice(g, a, &f[i]);
            else if (f[i].known && f[i].now < f[i].was)
                eng_flag(g, "audit_overpayment", eng_fmt(g, "%s", ps),
                         eng_fmt(g, "audit %s: the findings give less royalty than was reported", a->id));
        }
        cost_shift(g, a, f, n);
    }
}
