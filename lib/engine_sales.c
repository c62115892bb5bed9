/*
 * engine_sales.c - what the lifecycle engine needs from sales reports:
 * the first commercial sale (anywhere and per country), whether a period
 * had sales, net sales over a span for performance rules, and the sales
 * and first-sale milestones (FORMAT 2.2: achieved on the last day of the
 * period in which the condition first holds).
 *
 * Net sales here follow FORMAT 2.3: gross - min(deductions, cap x gross),
 * converted to the agreement currency with the fx event for the line's
 * period (period_average) or its last day (period_end), rounded per line.
 * Royalties themselves are the money engine's.
 */
#include "engine_int.h"

#include <string.h>

static lic_date line_date(const lic_sale_line *l)
{
    return l->date != LIC_DATE_NONE ? l->date : lic_period_last(l->period);
}

static bool is_sale(const lic_sale_line *l)
{
    return l->gross > 0 || l->units > 0;
}

/* Calls fn for every line of every royalty report that counts. */
#define FOR_LINES(g, l)                                                             \
    for (size_t i_ = 0; i_ < (g)->nbt[LIC_EV_REPORT]; i_++)                      \
        if ((g)->bt[LIC_EV_REPORT][i_]->report_kind == LIC_REPORT_ROYALTY)            \
            for (size_t j_ = 0; j_ < (g)->bt[LIC_EV_REPORT][i_]->nlines; j_++)        \
                for (const lic_sale_line *l = &(g)->bt[LIC_EV_REPORT][i_]->lines[j_]; l; l = NULL)

void eng_sales_facts(eng *g)
{
    g->fcs = LIC_DATE_NONE;
    for (int i = 0; i < 256; i++)
        g->fcs_in[i] = LIC_DATE_NONE;
    FOR_LINES(g, l)
    {
        if (!is_sale(l))
            continue;
        lic_date d = line_date(l);
        if (g->fcs == LIC_DATE_NONE || d < g->fcs)
            g->fcs = d;
        if (l->country >= 0 && l->country < 256 &&
            (g->fcs_in[l->country] == LIC_DATE_NONE || d < g->fcs_in[l->country]))
            g->fcs_in[l->country] = d;
    }
    g->s->first_sale = g->fcs;
}

/* Is day d inside a period some royalty report covered? Returns its last day. */
static lic_date reported_through(const eng *g, lic_date d)
{
    for (size_t i = 0; i < g->nbt[LIC_EV_REPORT]; i++) {
        const lic_event *e = g->bt[LIC_EV_REPORT][i];
        if (e->report_kind == LIC_REPORT_ROYALTY &&
            lic_period_first(e->period) <= d && d <= lic_period_last(e->period))
            return lic_period_last(e->period);
    }
    return LIC_DATE_NONE;
}

bool eng_period_has_sales(const eng *g, lic_date first, lic_date last, bool *known)
{
    FOR_LINES(g, l)
    {
        lic_date d = line_date(l);
        if (is_sale(l) && d >= first && d <= last) {
            *known = true;
            return true;
        }
    }
    *known = true;
    for (lic_date d = first; d <= last;) {
        lic_date through = reported_through(g, d);
        if (through == LIC_DATE_NONE) {
            *known = false;
            break;
        }
        d = through + 1;
    }
    return false;
}

/* The fx rate from `cur` to the agreement currency for a line. */
static bool fx_rate(const eng *g, const lic_currency *cur, lic_period p, lic_rate *out)
{
    bool at_end = g->a->payments.fx.present && g->a->payments.fx.period_end;
    lic_date end = lic_period_last(p);
    for (size_t i = g->nbt[LIC_EV_FX]; i-- > 0;) {
        const lic_event *e = g->bt[LIC_EV_FX][i];
        if (e->fx_from != cur || e->fx_to != g->a->currency)
            continue;
        if ((!at_end && e->has_period && lic_period_cmp(e->period, p) == 0) ||
            (at_end && e->on == end)) {
            *out = e->rate;
            return true;
        }
    }
    return false;
}

/* A line's net sales in the agreement currency; false when undecidable. */
static bool line_net(eng *g, const lic_sale_line *l, lic_amount *out)
{
    lic_amount ded = l->deductions;
    const lic_rate_v *cap = &g->a->payments.royalties.deductions_cap;
    if (cap->st == LIC_V_REDACTED || cap->st == LIC_V_UNKNOWN) {
        eng_indet(g, "net sales (the deductions cap)", cap->pos);
        return false;
    }
    if (cap->st == LIC_V_KNOWN) {
        lic_amount max;
        if (lic_amount_mul_rate(l->gross, cap->v, g->a->rounding, &max))
            return false;
        if (ded > max)
            ded = max;
    }
    lic_amount net = l->gross - ded;
    if (l->currency == g->a->currency) {
        *out = net;
        return true;
    }
    lic_rate r;
    if (!fx_rate(g, l->currency, l->period, &r))
        return false;
    return lic_amount_convert(net, l->currency->digits, r, g->a->currency->digits,
                              g->a->rounding, out) == LIC_OK;
}

static bool in_scope(const lic_sale_line *l, const lic_scope *w)
{
    if (!w)
        return true;
    if (w->has_territories && !lic_tset_has(&w->territories, l->country))
        return false;
    if (w->has_fields && l->field >= 0 && !lic_fset_has(&w->fields, l->field))
        return false;
    return true;
}

bool eng_net_sales(eng *g, lic_date first, lic_date last, const lic_scope *where,
                   lic_amount *out)
{
    *out = 0;
    FOR_LINES(g, l)
    {
        lic_date d = line_date(l);
        if (d < first || d > last || !in_scope(l, where))
            continue;
        lic_amount net;
        if (!line_net(g, l, &net) || lic_amount_add(*out, net, out))
            return false;
    }
    return true;
}

/* The first day of the royalty year containing d. */
static lic_date year_start(const eng *g, lic_date d)
{
    int y, m, dd;
    lic_date_to_ymd(d, &y, &m, &dd);
    if (!g->a->payments.royalties.agreement_year)
        return lic_date_from_ymd(y, 1, 1);
    lic_date s = g->a->effective.v;
    while (lic_date_add_years(s, 1) <= d)
        s = lic_date_add_years(s, 1);
    return s;
}

static bool meets(const lic_milestone *m, int64_t total)
{
    return m->when.reaches ? total >= m->when.threshold.v : total > m->when.threshold.v;
}

static void hit(eng *g, size_t i, lic_date on)
{
    eng_ms *w = &g->ms[i];
    int y, mo, d;
    lic_date_to_ymd(year_start(g, on), &y, &mo, &d);
    for (int k = 0; k < w->year_hits; k++)
        if (w->hit_years[k] == y)
            return;
    if (w->year_hits < 64) {
        w->hit_years[w->year_hits] = y;
        w->hit_dates[w->year_hits++] = on;
    }
    if (w->achieved == LIC_DATE_NONE)
        w->achieved = w->claimed = w->pay_from = on;
}

/* The condition of a sales milestone at the end of the period ending E. */
static void sales_condition(eng *g, size_t i, lic_date E)
{
    const lic_milestone *m = &g->a->milestones[i];
    int64_t total = 0;
    lic_date from = m->when.cond == LIC_COND_NET_SALES_IN_YEAR ? year_start(g, E) : LIC_DATE_MIN;
    if (m->when.cond == LIC_COND_CUMULATIVE_UNITS) {
        FOR_LINES(g, l)
        {
            if (lic_period_last(l->period) <= E)
                total += l->units;
        }
    } else {
        FOR_LINES(g, l)
        {
            lic_date pe = lic_period_last(l->period);
            lic_amount net;
            if (pe > E || line_date(l) < from)
                continue;
            if (!line_net(g, l, &net)) {
                eng_indet(g, eng_fmt(g, "milestone %s (net sales need an fx rate)", m->id), m->pos);
                return;
            }
            total += net;
        }
    }
    if (meets(m, total) && (m->repeat_every_year || g->ms[i].year_hits == 0))
        hit(g, i, E);
}

void eng_sales_milestones(eng *g)
{
    for (size_t i = 0; i < g->a->nmilestones; i++) {
        const lic_milestone *m = &g->a->milestones[i];
        if (m->when.cond == LIC_COND_NONE)
            continue;
        if (m->when.cond == LIC_COND_FIRST_SALE_IN) {
            lic_date first = LIC_DATE_NONE;
            FOR_LINES(g, l)
            {
                if (is_sale(l) && lic_tset_has(&m->when.where.territories, l->country) &&
                    (first == LIC_DATE_NONE || lic_period_last(l->period) < first))
                    first = lic_period_last(l->period);
            }
            if (first != LIC_DATE_NONE && first <= g->as_of)
                hit(g, i, first);
            continue;
        }
        if (m->when.threshold.st != LIC_V_KNOWN) {
            eng_indet(g, eng_fmt(g, "milestone %s", m->id), m->when.threshold.pos);
            continue;
        }
        /* every distinct period end, ascending */
        lic_date last = LIC_DATE_MIN;
        for (;;) {
            lic_date next = LIC_DATE_NONE;
            FOR_LINES(g, l)
            {
                lic_date pe = lic_period_last(l->period);
                if (pe > last && pe <= g->as_of && (next == LIC_DATE_NONE || pe < next))
                    next = pe;
            }
            if (next == LIC_DATE_NONE)
                break;
            sales_condition(g, i, next);
            last = next;
        }
    }
}
