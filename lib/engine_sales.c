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
 *
 * The lines are read once, before the passes (eng_sales_facts): each
 * line's date, period end and net sales, the days with sales and the
 * spans of days reports cover, sorted, so that the per-period questions
 * of every pass are a binary search or one walk, not a scan of every
 * line.
 */
#include "engine_int.h"
#include "royalty_int.h" /* roy_mul_rate, roy_convert */

#include <string.h>

static lic_date line_date(const lic_sale_line *l)
{
    return l->date != LIC_DATE_NONE ? l->date : lic_period_last(l->period);
}

static bool is_sale(const lic_sale_line *l)
{
    return l->gross > 0 || l->units > 0;
}

/* Visits every line of every royalty report that counts, in report order. */
#define FOR_LINES(g, l)                                                             \
    for (size_t i_ = 0; i_ < (g)->nbt[LIC_EV_REPORT]; i_++)                      \
        if ((g)->bt[LIC_EV_REPORT][i_]->report_kind == LIC_REPORT_ROYALTY)            \
            for (size_t j_ = 0; j_ < (g)->bt[LIC_EV_REPORT][i_]->nlines; j_++)        \
                for (const lic_sale_line *l = &(g)->bt[LIC_EV_REPORT][i_]->lines[j_]; l; l = NULL)

/* Net sales of line l in the agreement currency; false when undecidable
 * (no fx rate, or too large).  A missing deductions cap is the callers'
 * to record (net_of). */
static bool line_net(const eng *g, const lic_sale_line *l, lic_amount *out);

static int by_day(const void *x, const void *y)
{
    lic_date a = *(const lic_date *)x, b = *(const lic_date *)y;
    return a < b ? -1 : a > b;
}

static int by_period_end(const void *x, const void *y)
{
    const eng_line *a = *(const eng_line *const *)x, *b = *(const eng_line *const *)y;
    if (a->period_end != b->period_end)
        return a->period_end < b->period_end ? -1 : 1;
    return a < b ? -1 : a > b; /* report order */
}

/* Every line once, with what each pass would otherwise work out again. */
static bool take_lines(eng *g)
{
    size_t n = 0;
    FOR_LINES(g, l)
    {
        (void)l;
        n++;
    }
    g->lines = lic__arena_alloc(g->arena, (n ? n : 1) * sizeof *g->lines);
    g->lines_by_end = lic__arena_alloc(g->arena, (n ? n : 1) * sizeof *g->lines_by_end);
    g->sale_days = lic__arena_alloc(g->arena, (n ? n : 1) * sizeof *g->sale_days);
    if (!g->lines || !g->lines_by_end || !g->sale_days)
        return false;
    const lic_rate_v *cap = &g->a->payments.royalties.deductions_cap;
    g->net_cap_missing = cap->st == LIC_V_REDACTED || cap->st == LIC_V_UNKNOWN;
    FOR_LINES(g, l)
    {
        eng_line *x = &g->lines[g->nlines];
        if (l->product) /* the royalty calculator compares it; it lies apart from the line */
            __builtin_prefetch(l->product);
        *x = (eng_line){.l = l, .date = line_date(l), .period_end = lic_period_last(l->period)};
        x->net_ok = !g->net_cap_missing && line_net(g, l, &x->net);
        g->lines_by_end[g->nlines++] = x;
        if (is_sale(l))
            g->sale_days[g->nsale_days++] = x->date;
    }
    eng_sort(g->lines_by_end, n, sizeof *g->lines_by_end, by_period_end);
    eng_sort(g->sale_days, g->nsale_days, sizeof *g->sale_days, by_day);
    return true;
}

static int by_first(const void *x, const void *y)
{
    const struct eng_span *a = x, *b = y;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return a->last < b->last ? -1 : a->last > b->last;
}

/* The days royalty reports cover, as disjoint spans: a run of reported
 * days is known to have had no sales unless a line says otherwise. */
static bool take_reported(eng *g)
{
    size_t n = g->nbt[LIC_EV_REPORT];
    g->reported = lic__arena_alloc(g->arena, (n ? n : 1) * sizeof *g->reported);
    if (!g->reported)
        return false;
    for (size_t i = 0; i < n; i++) {
        const lic_event *e = g->bt[LIC_EV_REPORT][i];
        if (e->report_kind == LIC_REPORT_ROYALTY)
            g->reported[g->nreported++] = (struct eng_span){lic_period_first(e->period), lic_period_last(e->period)};
    }
    eng_sort(g->reported, g->nreported, sizeof *g->reported, by_first);
    size_t m = 0;
    for (size_t i = 0; i < g->nreported; i++) {
        struct eng_span x = g->reported[i];
        if (m && x.first <= g->reported[m - 1].last + 1) { /* overlaps or touches */
            if (x.last > g->reported[m - 1].last)
                g->reported[m - 1].last = x.last;
        } else
            g->reported[m++] = x;
    }
    g->nreported = m;
    return true;
}

void eng_sales_facts(eng *g)
{
    g->fcs = LIC_DATE_NONE;
    for (int i = 0; i < 256; i++)
        g->fcs_in[i] = LIC_DATE_NONE;
    if (!take_lines(g) || !take_reported(g)) {
        g->oom = LIC_ENOMEM;
        return;
    }
    for (size_t i = 0; i < g->nlines; i++) {
        const lic_sale_line *l = g->lines[i].l;
        if (!is_sale(l))
            continue;
        lic_date d = g->lines[i].date;
        if (g->fcs == LIC_DATE_NONE || d < g->fcs)
            g->fcs = d;
        if (l->country >= 0 && l->country < 256 &&
            (g->fcs_in[l->country] == LIC_DATE_NONE || d < g->fcs_in[l->country]))
            g->fcs_in[l->country] = d;
    }
    g->s->first_sale = g->fcs;
}

/* Are all of first..last inside one span of reported days? */
static bool reported(const eng *g, lic_date first, lic_date last)
{
    if (first > last)
        return true;
    size_t lo = 0, hi = g->nreported; /* the spans that begin by `first`: [0, lo) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->reported[mid].first <= first)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && g->reported[lo - 1].last >= last;
}

bool eng_period_has_sales(const eng *g, lic_date first, lic_date last, bool *known)
{
    size_t lo = 0, hi = g->nsale_days; /* the first sale day on or after `first` */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->sale_days[mid] < first)
            lo = mid + 1;
        else
            hi = mid;
    }
    *known = true;
    if (lo < g->nsale_days && g->sale_days[lo] <= last)
        return true;
    *known = reported(g, first, last);
    return false;
}

/* The fx rate from `cur` to the agreement currency for a line. */
bool eng_fx_rate(const eng *g, const lic_currency *cur, lic_period p, lic_rate *out)
{
    bool at_end = g->a->payments.fx.present && g->a->payments.fx.period_end;
    lic_date end = lic_period_last(p);
    for (size_t i = g->nbt[LIC_EV_FX]; i-- > 0;) {
        const lic_event *e = g->bt[LIC_EV_FX][i];
        if (e->fx_from != cur || e->fx_to != g->a->currency)
            continue;
        if ((!at_end && e->has_period && lic__period_cmp(e->period, p) == 0) ||
            (at_end && e->on == end)) {
            *out = e->rate;
            return true;
        }
    }
    return false;
}

static bool line_net(const eng *g, const lic_sale_line *l, lic_amount *out)
{
    lic_amount ded = l->deductions;
    const lic_rate_v *cap = &g->a->payments.royalties.deductions_cap;
    if (cap->st == LIC_V_KNOWN) {
        lic_amount max;
        if (roy_mul_rate(l->gross, cap->v, g->a->rounding, &max))
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
    if (!eng_fx_rate(g, l->currency, l->period, &r))
        return false;
    return roy_convert(net, l->currency->digits, r, g->a->currency->digits,
                       g->a->rounding, out) == LIC_OK;
}

/* A line's net sales in the agreement currency; false when undecidable,
 * recording a missing deductions cap for whoever asked. */
static bool net_of(eng *g, const eng_line *x, lic_amount *out)
{
    if (g->net_cap_missing) {
        eng_indet(g, "net sales (the deductions cap)", g->a->payments.royalties.deductions_cap.pos);
        return false;
    }
    *out = x->net;
    return x->net_ok;
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
    for (size_t i = 0; i < g->nlines; i++) {
        const eng_line *x = &g->lines[i];
        if (x->date < first || x->date > last || !in_scope(x->l, where))
            continue;
        lic_amount net;
        if (!net_of(g, x, &net) || lic_amount_add(*out, net, out))
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

/* A sales milestone's count over the lines (by period end) before `upto`
 * that fall on or after `from`. */
typedef struct tally {
    size_t upto;
    lic_date from;
    int64_t total;
    bool undecided;             /* a line's net sales are undecidable */
} tally;

/* The condition of sales milestone i at the end of the period ending E,
 * which ends the lines before `end`: t grows from the last period end
 * and starts again when a new royalty year moves `from`. */
static void sales_condition(eng *g, size_t i, tally *t, size_t end, lic_date E)
{
    const lic_milestone *m = &g->a->milestones[i];
    lic_date from = m->when.cond == LIC_COND_NET_SALES_IN_YEAR ? year_start(g, E) : LIC_DATE_MIN;
    if (from != t->from)
        *t = (tally){.from = from};
    for (; t->upto < end; t->upto++) {
        const eng_line *x = g->lines_by_end[t->upto];
        lic_amount net;
        if (m->when.cond == LIC_COND_CUMULATIVE_UNITS)
            t->total += x->l->units;
        else if (x->date < from)
            continue;
        else if (!net_of(g, x, &net))
            t->undecided = true;
        else
            t->total += net;
    }
    if (t->undecided) {
        eng_indet(g, eng_fmt(g, "milestone %s (net sales need an fx rate)", m->id), m->pos);
        return;
    }
    if (meets(m, t->total) && (m->repeat_every_year || g->ms[i].year_hits == 0))
        hit(g, i, E);
}

/* FORMAT 2.2: tested at every distinct period end up to as-of, ascending. */
static void sales_milestone(eng *g, size_t i)
{
    tally t = {.from = LIC_DATE_MIN};
    for (size_t j = 0, end; j < g->nlines; j = end) {
        lic_date E = g->lines_by_end[j]->period_end;
        for (end = j; end < g->nlines && g->lines_by_end[end]->period_end == E; end++)
            ;
        if (E > g->as_of)
            break;
        if (E > LIC_DATE_MIN)
            sales_condition(g, i, &t, end, E);
    }
}

void eng_sales_milestones(eng *g)
{
    for (size_t i = 0; i < g->a->nmilestones; i++) {
        const lic_milestone *m = &g->a->milestones[i];
        if (m->when.cond == LIC_COND_NONE)
            continue;
        if (m->when.cond == LIC_COND_FIRST_SALE_IN) {
            lic_date first = LIC_DATE_NONE;
            for (size_t j = 0; j < g->nlines; j++) {
                const eng_line *x = &g->lines[j];
                if (is_sale(x->l) && lic_tset_has(&m->when.where.territories, x->l->country) &&
                    (first == LIC_DATE_NONE || x->period_end < first))
                    first = x->period_end;
            }
            if (first != LIC_DATE_NONE && first <= g->as_of)
                hit(g, i, first);
            continue;
        }
        if (m->when.threshold.st != LIC_V_KNOWN) {
            eng_indet(g, eng_fmt(g, "milestone %s", m->id), m->when.threshold.pos);
            continue;
        }
        sales_milestone(g, i);
    }
}
