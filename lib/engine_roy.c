/*
 * engine_roy.c - royalties inside the lifecycle engine (FORMAT 2.3, 5).
 *
 * Every period with a royalty report gets a statement (royalty.c): its
 * lines are those of every report for the period, taken together.  The
 * statement's royalty is invoiced as inv:royalty:<period>, issued on the
 * day of the first report and due with the report (or `payment_due` after
 * the period or after the report), less its credits: returns owed back,
 * then the royalty year's advance minimum, used up in period order (the
 * creditable annual fee, which counts as paid, is credited by
 * engine_settle.c).  After a royalty year ends, a true_up minimum
 * invoices the shortfall (engine_settle.c does when it is credited on
 * paid royalties); an advance minimum is invoiced as the year begins.
 *
 * What the lifecycle decides comes from the previous pass (engine_int.h):
 * the grant pieces in force over time and the royalty increases of
 * applied rights.  The first pass uses the written grants.  A pass given
 * the same reuses the statements; one given only other increases keeps
 * those of the periods before the increases change anything (resume).
 */
#include "engine_int.h"
#include "royalty_int.h"

#include <stdlib.h>
#include <string.h>

/* A line's amounts are converted one after another at the same rate:
 * the last answer is kept (fx events do not change between passes). */
static bool fx_cb(void *u, const lic_currency *from, lic_period p, lic_rate *out)
{
    eng *g = u;
    struct eng_fx_memo *m = &g->fx_memo;
    if (!m->valid || m->cur != from || m->p.kind != p.kind || m->p.year != p.year || m->p.index != p.index) {
        *m = (struct eng_fx_memo){.valid = true, .cur = from, .p = p};
        m->ok = eng_fx_rate(g, from, p, &m->rate);
    }
    if (m->ok)
        *out = m->rate;
    return m->ok;
}

static bool covered_cb(void *u, lic_date d, int country, int field)
{
    return eng_licensed(u, d, country, field); /* logs the question */
}

static lic_date *patents_ended(eng *g)
{
    size_t n = g->a->technology.npatents;
    lic_date *v = lic__arena_alloc(g->arena, (n ? n : 1) * sizeof *v);
    for (size_t i = 0; v && i < n; i++) {
        v[i] = LIC_DATE_NONE;
        ENG_FOR_TYPE(g, LIC_EV_PATENT_STATUS, e)
            if (v[i] == LIC_DATE_NONE && !strcmp(e->ref, g->a->technology.patents[i].id))
                v[i] = e->date;
    }
    return v;
}

lic_err eng_roy_new(eng *g, lic_roy **out)
{
    size_t nm = g->a->nmilestones;
    lic_date *ms = lic__arena_alloc(g->arena, (nm ? nm : 1) * sizeof *ms);
    lic_roy_adj *adj = lic__arena_alloc(g->arena, (g->nprev_adj ? g->nprev_adj : 1) * sizeof *adj);
    lic_date *pe = patents_ended(g);
    if (!ms || !adj || !pe)
        return LIC_ENOMEM;
    for (size_t i = 0; i < nm; i++)
        ms[i] = g->ms[i].achieved;
    for (size_t i = 0; i < g->nprev_adj; i++)
        adj[i] = (lic_roy_adj){g->prev_adj[i].since, g->prev_adj[i].add};
    lic_roy_env env = {.covered = covered_cb, .fx = fx_cb, .u = g,
                       .ms_achieved = ms, .adj = adj, .nadj = g->nprev_adj, .patent_ended = pe};
    return lic_roy_new(g->a, &env, out);
}

/* The first day month-day falls on after `end`. */
static lic_date day_after(lic_date end, int month, int day)
{
    int y, m, d;
    lic_date_to_ymd(end, &y, &m, &d);
    for (int yy = y; yy <= y + 1; yy++) {
        int dim = lic_date_days_in_month(yy, month);
        lic_date c = lic_date_from_ymd(yy, month, day > dim ? dim : day);
        if (c > end)
            return c;
    }
    return LIC_DATE_NONE;
}

/* The royalty payment for period p, reported on `reported`, is due on. */
lic_date eng_royalty_due(eng *g, lic_period p, lic_date reported)
{
    const lic_report_rule *r = &g->a->reporting.royalty_report;
    if (!r->present)
        return lic_period_last(p) + 1;
    if (r->payment_due.st == LIC_V_KNOWN)
        return eng_add(g, r->payment_after_report ? reported : lic_period_last(p), &r->payment_due.v);
    if (r->payment_due.st != LIC_V_ABSENT) {
        eng_indet(g, "royalty payment due dates", r->payment_due.pos);
        return LIC_DATE_NONE;
    }
    return eng_report_due(g, r, p);
}

/* The last day the deal runs (term end or termination), LIC_DATE_MAX. */
static lic_date deal_last(const eng *g)
{
    lic_date end = g->a->term.ends.st == LIC_V_KNOWN ? g->a->term.ends.v : LIC_DATE_MAX;
    if (g->term_eff != LIC_DATE_NONE && g->term_eff - 1 < end)
        end = g->term_eff - 1;
    return end;
}

static int year_label(const eng *g, lic_date d)
{
    int y, m, dd;
    lic_date_to_ymd(lic_roy_year_start(g->a, d), &y, &m, &dd);
    return y;
}

/* The first day of royalty year `year`. */
static lic_date year_first(const eng *g, int year)
{
    if (!g->a->payments.royalties.agreement_year || g->a->effective.st != LIC_V_KNOWN)
        return lic_date_from_ymd(year, 1, 1);
    int y, m, d;
    lic_date_to_ymd(g->a->effective.v, &y, &m, &d);
    return lic_date_add_years(g->a->effective.v, year - y);
}

/* The first minimum year, or INT32_MIN while it is pending. */
static int minimum_from_of(const eng *g)
{
    const __typeof__(g->a->payments.royalties.minimum_annual) *mi = &g->a->payments.royalties.minimum_annual;
    if (!mi->from_first_sale_year)
        return mi->from_year ? mi->from_year : year_label(g, g->a->effective.v);
    if (g->fcs == LIC_DATE_NONE)
        return INT32_MIN;
    return year_label(g, g->fcs) + mi->from_first_sale_year;
}

/* minimum_from_of, worked out once: the terms and the first sale are
 * the same in every pass, and it is asked per royalty year. */
static int minimum_from(eng *g)
{
    if (!g->min_from_set)
        g->min_from = minimum_from_of(g), g->min_from_set = true;
    return g->min_from;
}

/* The minimum for `year`, prorated when the license starts inside it. */
static bool minimum_amount(eng *g, int year, lic_amount *out)
{
    const __typeof__(g->a->payments.royalties.minimum_annual) *mi = &g->a->payments.royalties.minimum_annual;
    if (mi->amount.st != LIC_V_KNOWN) {
        eng_indet(g, "minimum annual royalty", mi->amount.pos);
        return false;
    }
    lic_date ys = year_first(g, year), ye = year_first(g, year + 1) - 1, eff = g->a->effective.v;
    *out = mi->amount.v;
    if (mi->prorate == LIC_PRORATE_NONE || eff <= ys || eff > ye)
        return true;
    if (mi->prorate == LIC_PRORATE_DAYS)
        return !lic_amount_muldiv(mi->amount.v, ye - eff + 1, ye - ys + 1, g->a->rounding, out);
    int months = 0; /* whole months in force: those starting on or after eff */
    for (lic_date d = ys; d <= ye; d = lic_date_add_months(d, 1))
        months += d >= eff;
    return !lic_amount_muldiv(mi->amount.v, months, 12, g->a->rounding, out);
}

/* Due after the year ends (true_up: `from` is its last day) or begins
 * (advance: `from` is its first day); due_on is the first such day after
 * the end, or on or after the beginning. */
static lic_date minimum_due(eng *g, lic_date from)
{
    const __typeof__(g->a->payments.royalties.minimum_annual) *mi = &g->a->payments.royalties.minimum_annual;
    if (mi->due_on_month)
        return day_after(mi->advance ? from - 1 : from, mi->due_on_month, mi->due_on_day);
    if (mi->due.st == LIC_V_KNOWN)
        return eng_add(g, from, &mi->due.v);
    if (mi->due.st != LIC_V_ABSENT) {
        eng_indet(g, "minimum annual royalty due date", mi->due.pos);
        return LIC_DATE_NONE;
    }
    return from;
}

/* What is left to credit against one royalty year's invoices. */
typedef struct year_credit {
    int year;
    lic_amount advance;
    const char *advance_id;
} year_credit;

static year_credit credits_for(eng *g, int year)
{
    year_credit c = {.year = year};
    const __typeof__(g->a->payments.royalties.minimum_annual) *mi = &g->a->payments.royalties.minimum_annual;
    int from = minimum_from(g);
    if (mi->present && mi->advance && from != INT32_MIN && year >= from && minimum_amount(g, year, &c.advance))
        c.advance_id = eng_fmt(g, "inv:minimum:%d", year);
    return c;
}

static void credit(lic_st_statement *x, lic_amount *left, const char *kind, const char *source)
{
    lic_amount use = *left < x->total_due ? *left : x->total_due;
    if (use <= 0)
        return;
    x->credits[x->ncredits++] = (lic_st_credit){kind, source, use};
    x->total_due -= use;
    *left -= use;
}

void eng_flag(eng *g, const char *kind, const char *period, const char *detail)
{
    lic_st_flag *f = ENG_PUSH(g, g->s->flags, g->s->nflags, g->cap_flag);
    if (f)
        *f = (lic_st_flag){kind, period, detail};
}

/* The statement's own notes, in the state: flags (unlicensed sales are
 * flagged by the grants already) and indeterminate terms. */
static void copy_notes(eng *g, const lic_roy_statement *st, const char *ps)
{
    for (size_t i = 0; i < st->nflags; i++)
        if (strcmp(st->flags[i].kind, "unlicensed_sale"))
            eng_flag(g, st->flags[i].kind, ps, eng_fmt(g, "%s", st->flags[i].detail));
    for (size_t i = 0; i < st->nindeterminate; i++) {
        if (!strcmp(st->indeterminate[i].kind, "arithmetic overflow")) {
            eng_not_computed(g, eng_fmt(g, "royalty %s", ps), "arithmetic overflow");
            continue;
        }
        const char *what = eng_fmt(g, "royalty %s (%s)", ps, st->indeterminate[i].kind);
        lic_st_indet *x = ENG_PUSH(g, g->s->indeterminate, g->s->nindeterminate, g->cap_ind);
        const char *term = eng_fmt(g, "%s", st->indeterminate[i].detail), *state = "missing"; /* fx rates */
        for (size_t k = 0; k < g->a->nmissing; k++)
            if (!strcmp(g->a->missing[k].path, term))
                state = g->a->missing[k].st == LIC_V_REDACTED ? "redacted" : "unknown";
        if (x && what)
            *x = (lic_st_indet){what, term, state};
    }
}

static int cmp_period(const void *x, const void *y)
{
    return lic__period_cmp(*(const lic_period *)x, *(const lic_period *)y);
}

/* The distinct periods of royalty reports, ascending; their count. */
size_t eng_reported_periods(eng *g, lic_period **out)
{
    size_t n = 0;
    *out = lic__arena_alloc(g->arena, (g->nbt[LIC_EV_REPORT] + 1) * sizeof **out);
    if (!*out) {
        g->oom = LIC_ENOMEM;
        return 0;
    }
    ENG_FOR_TYPE(g, LIC_EV_REPORT, e)
        if (e->report_kind == LIC_REPORT_ROYALTY)
            (*out)[n++] = e->period;
    qsort(*out, n, sizeof **out, cmp_period);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || lic__period_cmp((*out)[k - 1], (*out)[i]))
            (*out)[k++] = (*out)[i];
    return k;
}

static bool same_period(lic_period a, lic_period b)
{
    return a.kind == b.kind && a.year == b.year && a.index == b.index;
}

/* Feeds every line reported for p from the royalty reports `rep` (sorted
 * by period, then date) starting at *at; returns the first report. */
static const lic_event *feed(eng *g, const lic_event **rep, size_t n, size_t *at, lic_period p, lic_err *rc)
{
    const lic_event *first = NULL;
    for (; *at < n && same_period(rep[*at]->period, p); ++*at) {
        const lic_event *e = rep[*at];
        if (!first)
            first = e;
        for (size_t j = 0; j < e->nlines && !*rc; j++)
            *rc = lic_roy_add(g->roy, &e->lines[j]);
    }
    return first;
}

static int by_period_then_order(const void *x, const void *y)
{
    const lic_event *const *a = x, *const *b = y;
    int c = lic__period_cmp((*a)->period, (*b)->period);
    if (c)
        return c;
    if ((*a)->date != (*b)->date)
        return (*a)->date < (*b)->date ? -1 : 1;
    return ((*a)->seq > (*b)->seq) - ((*a)->seq < (*b)->seq); /* file order */
}

/* The royalty reports that count, by period then date. */
static size_t royalty_reports(eng *g, const lic_event ***out)
{
    size_t n = 0;
    *out = lic__arena_alloc(g->arena, (g->nbt[LIC_EV_REPORT] + 1) * sizeof **out);
    if (!*out)
        return 0;
    ENG_FOR_TYPE(g, LIC_EV_REPORT, e)
        if (e->report_kind == LIC_REPORT_ROYALTY)
            (*out)[n++] = e;
    eng_sort(*out, n, sizeof **out, by_period_then_order); /* reports are by date: mostly by period too */
    return n;
}

/* Net sales under half of the same period a year before. */
static void sales_drop(eng *g, const lic_st_statement *x, const char *ps)
{
    lic_period want = x->st->period;
    want.year--;
    /* statements are distinct periods in order: a year back is at most 12
     * (monthly) statements back, before this one; searching back, the
     * first period that sorts before it ends the search (so do all the
     * earlier ones) */
    size_t n = g->s->nstatements - 1, from = n > 12 ? n - 12 : 0;
    for (size_t i = n; i-- > from;) {
        const lic_roy_statement *b = g->s->statements[i].st;
        int c = lic__period_cmp(b->period, want);
        if (c < 0)
            break;
        if (c > 0)
            continue;
        if (b->net_sales <= 0 || x->st->net_sales * 2 >= b->net_sales)
            continue;
        char bs[LIC_PERIOD_STRLEN];
        lic_period_str(b->period, bs);
        eng_flag(g, "sales_drop", ps, eng_fmt(g, "net sales fell by more than half against %s", bs));
    }
}

/* A period whose arithmetic overflowed: an indeterminate statement. */
static const lic_roy_statement *overflowed(eng *g, lic_period p)
{
    lic_roy_statement *st = lic__arena_alloc(g->arena, sizeof *st);
    lic_roy_note *n = lic__arena_alloc(g->arena, sizeof *n);
    if (!st || !n)
        return NULL;
    int y, m, d;
    lic_date_to_ymd(lic_roy_year_start(g->a, lic_period_last(p)), &y, &m, &d);
    *n = (lic_roy_note){"arithmetic overflow", "arithmetic overflow"};
    *st = (lic_roy_statement){.period = p, .year = y, .known = false, .indeterminate = n, .nindeterminate = 1};
    return st;
}

static void statement(eng *g, const struct eng_roy_period *p, year_credit *yc, lic_amount *negative)
{
    const lic_roy_statement *st = p->st;
    const char *ps = p->ps;
    lic_st_statement *x = ENG_PUSH(g, g->s->statements, g->s->nstatements, g->cap_stmt);
    if (!x)
        return;
    *x = (lic_st_statement){.st = st, .invoice = p->invoice, .report = p->rep, .due = p->due,
                            .total_due = st->royalty > 0 ? st->royalty : 0};
    if (st->known && st->royalty < 0)
        *negative += -st->royalty; /* returns exceed sales: owed back from later periods */
    else if (st->known)
        credit(x, negative, "negative_royalty", NULL);
    credit(x, &yc->advance, "minimum_advance", yc->advance_id);
    copy_notes(g, st, ps);
    sales_drop(g, x, ps);
    if (g->a->reporting.royalty_report.present && p->report_due != LIC_DATE_NONE && p->rep->date > p->report_due)
        eng_flag(g, "late_report", ps, eng_fmt(g, "reported %s, due %s", eng_date_str(g, p->rep->date),
                                            eng_date_str(g, p->report_due)));
    lic_amount_v amt = {.st = LIC_V_KNOWN, .v = x->total_due};
    lic_st_invoice *v = eng_invoice_add(g, x->invoice, "royalty", &amt, x->due, p->rep->date);
    if (v && !st->known) {
        v->known = false;
        v->indeterminate = eng_fmt(g, "%s", st->indeterminate[0].detail);
    }
}

static lic_amount year_royalty(const eng *g, int year)
{
    lic_amount sum = 0;
    for (size_t i = 0; i < g->s->nstatements; i++)
        if (g->s->statements[i].st->year == year)
            sum += g->s->statements[i].st->royalty; /* each < 2^62: a year of them fits */
    return sum;
}

/* A true_up minimum credited on paid royalties: engine_settle.c invoices
 * it once the year's payments are known. */
static void defer_minimum(eng *g, const char *id, lic_amount minimum, lic_date first, lic_date last, lic_date due)
{
    struct eng_min_paid *m = ENG_PUSH(g, g->min_paid, g->nmin_paid, g->cap_min_paid);
    if (m)
        *m = (struct eng_min_paid){id, minimum, first, last, due};
}

/* Invoices the minimum for each royalty year from `from` on: an advance
 * as the year begins, or the shortfall once it has ended. */
static void minimums(eng *g)
{
    const __typeof__(g->a->payments.royalties.minimum_annual) *mi = &g->a->payments.royalties.minimum_annual;
    int from = minimum_from(g);
    if (!mi->present || from == INT32_MIN)
        return;
    lic_date last = deal_last(g);
    for (int y = from; y < from + 200 && !g->oom; y++) {
        lic_date ys = year_first(g, y), ye = year_first(g, y + 1) - 1;
        lic_date start = ys > g->a->effective.v ? ys : g->a->effective.v; /* a first, partial year */
        lic_date issued = mi->advance ? start : ye + 1;
        const char *id = eng_fmt(g, "inv:minimum:%d", y);
        if (ys > last || !id)
            break;
        if (issued > g->as_of) {
            eng_deadline(g, issued, "invoice", id, eng_fmt(g, "minimum annual royalty %d invoiced", y));
            break;
        }
        lic_amount_v amt = {.st = LIC_V_KNOWN};
        if (!minimum_amount(g, y, &amt.v))
            amt.st = LIC_V_UNKNOWN;
        else if (!mi->advance && mi->credit_paid) {
            defer_minimum(g, id, amt.v, ys, ye, minimum_due(g, ye));
            continue;
        } else if (!mi->advance)
            amt.v = amt.v > year_royalty(g, y) ? amt.v - year_royalty(g, y) : 0;
        if (amt.st == LIC_V_KNOWN && amt.v == 0)
            continue;
        lic_st_invoice *v = eng_invoice_add(g, id, "minimum", &amt, minimum_due(g, mi->advance ? start : ye), issued);
        if (v && amt.st != LIC_V_KNOWN) {
            v->known = false;
            v->indeterminate = "payments.royalties.minimum_annual.amount";
        }
    }
}

/* A sublicense with no income reported for the last 12 months (from its
 * signing or its latest income). */
static void silent_sublicenses(eng *g)
{
    lic_date since = lic_date_add_months(g->as_of, -12);
    ENG_FOR_TYPE(g, LIC_EV_SUBLICENSE, sl)
    {
        lic_date last = sl->date;
        for (size_t i = 0; i < g->nbt[LIC_EV_SUBLICENSE_INCOME]; i++) {
            const lic_event *inc = g->bt[LIC_EV_SUBLICENSE_INCOME][i];
            if (!strcmp(inc->ref, sl->id) && inc->date > last)
                last = inc->date;
        }
        if (last <= since)
            eng_flag(g, "no_sublicense_income", NULL,
                     eng_fmt(g, "sublicense %s: no sublicense income reported since %s", sl->id,
                             eng_date_str(g, last)));
    }
}

/* Did this pass's royalties get the inputs the cached ones were computed
 * from: the same royalty increases, and the same answer to every question
 * about the grants in force (from the previous pass's grant pieces)? */
static bool same_royalty_inputs(const eng *g)
{
    if (!g->roy_done || g->nprev_adj != g->nroy_adj ||
        !eng_same_cover(g, g->roy_cov, g->nroy_cov, g->prev_pieces, g->nprev_pieces))
        return false;
    for (size_t i = 0; i < g->nprev_adj; i++)
        if (g->prev_adj[i].since != g->roy_adj[i].since || g->prev_adj[i].add != g->roy_adj[i].add)
            return false;
    return true;
}

/* What a period's statement needs besides its arithmetic, worked out
 * once (texts and dates do not change between passes). */
static lic_err period_of(eng *g, const lic_roy_statement *st, const lic_event *rep, size_t rep_at, size_t cov_at,
                         struct eng_roy_period *p)
{
    char buf[LIC_PERIOD_STRLEN];
    lic_period_str(st->period, buf);
    const char *invoice = eng_cat(g, "inv:royalty:", buf); /* the period's name is its tail */
    const char *ps = *invoice ? invoice + sizeof "inv:royalty:" - 1 : NULL;
    *p = (struct eng_roy_period){st, rep, ps, invoice, eng_royalty_due(g, st->period, rep->date),
                                 eng_report_due(g, &g->a->reporting.royalty_report, st->period), rep_at, cov_at};
    return p->ps && p->invoice ? LIC_OK : LIC_ENOMEM;
}

/* Feeds the period of the report at *at and closes it: its statement (an
 * indeterminate one when its arithmetic overflows), its first report in
 * *rep; *at moves past its reports. */
static const lic_roy_statement *close_next(eng *g, size_t *at, const lic_event **rep, lic_err *rc)
{
    lic_period p = g->roy_reps[*at]->period;
    *rep = feed(g, g->roy_reps, g->nroy_reps, at, p, rc);
    const lic_roy_statement *st = NULL;
    lic_err close = lic_roy_close(g->roy, p, &st);
    *rc = *rc ? *rc : close;
    if (*rc == LIC_EOVERFLOW) { /* this period cannot be computed; the others can */
        st = overflowed(g, p);
        *rc = st ? LIC_OK : LIC_ENOMEM;
    }
    return st;
}

/* Only the royalty increases changed since the statements were computed
 * (the questions about grants get the same answers): the periods whose
 * lines all come before the first day the increases differ keep their
 * statements, and the calculator goes on from there with the new ones
 * (lic__roy_rewind).  False, with nothing changed, when it cannot. */
static bool resume(eng *g, lic_err *rc)
{
    *rc = LIC_OK;
    if (!g->roy_done || !g->roy)
        return false;
    lic_roy_adj *adj = lic__arena_alloc(g->arena, (g->nprev_adj ? g->nprev_adj : 1) * sizeof *adj), *v;
    size_t keep, nv;
    if (!adj)
        return false;
    for (size_t i = 0; i < g->nprev_adj; i++)
        adj[i] = (lic_roy_adj){g->prev_adj[i].since, g->prev_adj[i].add};
    if (!lic__roy_rewind_point(g->roy, g->nroy_periods, adj, g->nprev_adj, &keep, &v, &nv))
        return false;
    size_t ncov = keep < g->nroy_periods ? g->roy_periods[keep].cov_at : g->nroy_cov;
    if (!eng_same_cover(g, g->roy_cov, ncov, g->prev_pieces, g->nprev_pieces))
        return false;
    lic__roy_rewind(g->roy, keep, adj, g->nprev_adj, v, nv);
    g->nroy_cov = ncov;
    g->cov_to_roy = true;
    for (size_t i = keep; i < g->nroy_periods && !*rc; i++) {
        struct eng_roy_period *p = &g->roy_periods[i];
        size_t at = p->rep_at;
        const lic_event *rep;
        p->cov_at = g->nroy_cov;
        p->st = close_next(g, &at, &rep, rc);
    }
    g->cov_to_roy = false;
    g->roy_done = !*rc;
    g->roy_adj = g->prev_adj, g->nroy_adj = g->nprev_adj;
    return true;
}

/* Computes every reported period's statement into g->roy_periods. */
static lic_err compute(eng *g)
{
    lic_roy_free(g->roy);
    g->roy = NULL;
    g->nroy_periods = 0;
    g->nroy_cov = 0;
    g->cov_to_roy = true;
    size_t nind = g->s->nindeterminate;
    const lic_event **reps = NULL;
    lic_err rc = eng_roy_new(g, &g->roy);
    size_t nr = rc ? 0 : royalty_reports(g, &reps), at = 0;
    g->roy_periods = lic__arena_alloc(g->arena, (nr + 1) * sizeof *g->roy_periods);
    if (!rc && (!g->roy_periods || !reps))
        rc = LIC_ENOMEM;
    g->roy_reps = reps, g->nroy_reps = nr;
    while (at < nr && !rc) { /* one period at a time: the reports are sorted by period */
        size_t rep_at = at, cov_at = g->nroy_cov;
        const lic_event *rep = NULL;
        const lic_roy_statement *st = close_next(g, &at, &rep, &rc);
        if (!rc)
            rc = period_of(g, st, rep, rep_at, cov_at, &g->roy_periods[g->nroy_periods++]);
    }
    g->cov_to_roy = false;
    /* what it recorded besides its statements would be lost with a reuse */
    g->roy_done = !rc && g->s->nindeterminate == nind;
    g->roy_adj = g->prev_adj, g->nroy_adj = g->nprev_adj;
    return rc;
}

/* A royalty report past its due date and not received: what an auditor
 * asks about first (the obligation and its breach are listed too). */
static void missing_reports(eng *g)
{
    static const char prefix[] = "report:royalty:";
    for (size_t i = 0; i < g->s->nobligations; i++) {
        const lic_st_obligation *o = &g->s->obligations[i];
        if (strcmp(o->status, "overdue") || strncmp(o->id, prefix, sizeof prefix - 1))
            continue;
        const char *p = o->id + sizeof prefix - 1;
        eng_flag(g, "missing_report", p, eng_fmt(g, "no royalty report for %s; due %s", p, eng_date_str(g, o->due)));
    }
}

void eng_royalties(eng *g)
{
    g->s->statements = NULL, g->s->nstatements = 0, g->cap_stmt = 0;
    g->nmin_paid = 0;
    if (g->a->payments.sublicense_income.present)
        silent_sublicenses(g);
    if (!g->a->payments.royalties.present || g->oom)
        return;
    lic_err rc = LIC_OK;
    if (!same_royalty_inputs(g) && !resume(g, &rc))
        rc = compute(g);
    year_credit yc = {.year = INT32_MIN};
    lic_amount negative = 0; /* negative royalties, credited to later periods */
    for (size_t i = 0; i < g->nroy_periods && !rc && !g->oom; i++) {
        const lic_roy_statement *st = g->roy_periods[i].st;
        if (st->year != yc.year)
            yc = credits_for(g, st->year);
        statement(g, &g->roy_periods[i], &yc, &negative);
    }
    if (rc)
        g->oom = rc;
    minimums(g);
    eng_audits(g);
    missing_reports(g);
}
