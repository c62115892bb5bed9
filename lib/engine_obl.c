/*
 * engine_obl.c - recurring and one-off obligations (FORMAT 2.4, 2.7):
 * royalty and progress reports per period, committee meetings, licensor
 * obligations, wind-down items, improvement disclosures and the change of
 * control notice.  Each is an obligation entry; one not done by its due
 * date is a breach of its class (reporting, governance, material).
 *
 * A committee meeting counts for the window it falls in; a missed window
 * stays missed (a `cure` event records a cure).
 *
 * Reports run from the period containing `from` (default the effective
 * date) through the period containing the last day of the deal (the end
 * of sell-off after a termination, else the end of the term), and only
 * periods that have begun by the as-of date are listed.
 *
 * The reports and committee windows up to the as-of date are the same in
 * every pass (engine_int.h): the first pass works them out (eng_recur)
 * and each pass lists those that begin by the end of the deal, which may
 * move when a right to terminate is applied.
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

/* The last day anything recurring runs to. */
static lic_date deal_end(const eng *g)
{
    if (g->term_eff != LIC_DATE_NONE)
        return g->s->sell_off_until != LIC_DATE_NONE ? g->s->sell_off_until : g->term_eff - 1;
    return g->a->term.ends.st == LIC_V_KNOWN ? g->a->term.ends.v : LIC_DATE_MAX;
}

static const char *obl_status(const eng *g, lic_date due, lic_date done, bool waived)
{
    if (waived)
        return "waived";
    if (done != LIC_DATE_NONE)
        return done <= due ? "satisfied" : "late";
    return due < g->as_of ? "overdue" : "due";
}

/* Adds obligation `id`, first waived on `waived`, and, when it was not
 * done in time, its breach.  True when it is still to be done: the caller
 * adds its deadline (eng_deadlinef words it only when it is listed). */
static bool obligation(eng *g, const char *id, const char *kind, lic_party_role party, lic_date due,
                       lic_date done, lic_date waived, const char *cls)
{
    bool waived_first = waived != LIC_DATE_NONE && waived <= due;
    lic_st_obligation *o = ENG_PUSH(g, g->s->obligations, g->s->nobligations, g->cap_obl);
    if (!o)
        return false;
    *o = (lic_st_obligation){id, kind, party, due, done, obl_status(g, due, done, waived_first)};
    if (due < g->as_of && (done == LIC_DATE_NONE || done > due) && !waived_first)
        eng_breach_add(g, id, cls, party, due + 1, done);
    return done == LIC_DATE_NONE && !waived_first;
}

lic_date eng_report_due(const eng *g, const lic_report_rule *r, lic_period p)
{
    lic_date end = lic_period_last(p);
    if (!r->ndue_on)
        return r->due.st == LIC_V_KNOWN ? eng_add(g, end, &r->due.v) : LIC_DATE_NONE;
    int y, m, d;
    lic_date_to_ymd(end, &y, &m, &d);
    lic_date best = LIC_DATE_NONE;
    for (int yy = y; yy <= y + 1; yy++)
        for (size_t i = 0; i < r->ndue_on; i++) {
            int dd = r->due_on[i].day, dim = lic_date_days_in_month(yy, r->due_on[i].month);
            lic_date c = lic_date_from_ymd(yy, r->due_on[i].month, dd > dim ? dim : dd);
            if (c > end && (best == LIC_DATE_NONE || c < best))
                best = c;
        }
    return best;
}

/* A report event of one kind, for matching reports to periods. */
typedef struct filed {
    lic_period period;
    lic_date date;
    size_t seq;                 /* position by date, then file order */
} filed;

static int by_period(const void *x, const void *y)
{
    const filed *a = x, *b = y;
    int c = lic__period_cmp(a->period, b->period);
    return c ? c : a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The reports of `kind`, by period and, within one, by date: the first
 * one filed for a period is the one that counts. */
static filed *filed_reports(eng *g, lic_report_kind kind, size_t *n)
{
    filed *v = lic__arena_alloc(g->arena, (g->nbt[LIC_EV_REPORT] ? g->nbt[LIC_EV_REPORT] : 1) * sizeof *v);
    *n = 0;
    for (size_t k = 0; v && k < g->nbt[LIC_EV_REPORT]; k++) {
        const lic_event *e = g->bt[LIC_EV_REPORT][k];
        if (e->report_kind == kind)
            v[(*n)++] = (filed){e->period, e->date, k};
    }
    if (v)
        eng_sort(v, *n, sizeof *v, by_period);
    return v;
}

/* Adds one instance to a recurring obligation's list. */
static eng_due *due_add(eng *g, eng_recur *rc, size_t *cap)
{
    return ENG_PUSH(g, rc->v, rc->n, *cap);
}

/* The reports due from the period containing `from` through the one that
 * begins by as-of, stopping at one whose due date is unknown.  What a
 * pass adds of them depends only on when the deal ends. */
static void build_reports(eng *g, eng_recur *rc, const lic_report_rule *r, lic_report_kind kind, lic_date from)
{
    size_t nf, j = 0, cap = 0;
    const filed *f = filed_reports(g, kind, &nf);
    *rc = (eng_recur){.built = true, .from = from};
    if (!f) {
        g->oom = LIC_ENOMEM;
        return;
    }
    lic_period p = lic_period_containing(r->every, from);
    for (lic_date first; (first = lic_period_first(p)) <= g->as_of && !g->oom; p = lic_period_next(p)) {
        char ps[LIC_PERIOD_STRLEN];
        lic_period_str(p, ps);
        while (j < nf && lic__period_cmp(f[j].period, p) < 0)
            j++;
        eng_due *x = due_add(g, rc, &cap);
        if (!x)
            return;
        *x = (eng_due){first, eng_report_due(g, r, p), LIC_DATE_NONE, LIC_DATE_NONE,
                       eng_cat(g, kind == LIC_REPORT_ROYALTY ? "report:royalty:" : "report:progress:", ps), p};
        if (j < nf && lic__period_cmp(f[j].period, p) == 0)
            x->done = f[j].date;
        x->waived = eng_waived(g, x->id);
        if (x->due == LIC_DATE_NONE)
            return;
    }
}

static void reports(eng *g, const lic_report_rule *r, lic_report_kind kind)
{
    if (!r->present)
        return;
    const char *name = kind == LIC_REPORT_ROYALTY ? "royalty" : "progress";
    lic_date from = r->from.st == LIC_V_ABSENT ? g->a->effective.v
                                               : eng_dexprf(g, &r->from, NULL, "%s reports", name);
    if (from == LIC_DATE_NONE)
        return;
    eng_recur *rc = &g->recur[kind];
    if (!rc->built || rc->from != from)
        build_reports(g, rc, r, kind, from);
    lic_date end = deal_end(g);
    for (size_t i = 0; i < rc->n && rc->v[i].begins <= end && !g->oom; i++) {
        const eng_due *x = &rc->v[i];
        if (x->due == LIC_DATE_NONE) {
            eng_indet(g, eng_fmt(g, "%s report due dates", name), r->due.pos);
            return;
        }
        if (obligation(g, x->id, kind == LIC_REPORT_ROYALTY ? "royalty_report" : "progress_report",
                       LIC_PARTY_LICENSEE, x->due, x->done, x->waived, "reporting")) {
            char ps[LIC_PERIOD_STRLEN];
            lic_period_str(x->period, ps);
            eng_deadlinef(g, x->due, "obligation", x->id, "%s report %s due", name, ps);
        }
    }
}

/* committee:2026-Q3 when meetings are every 1, 3, 6 or 12 months, else
 * committee:<first day of the window>. */
static const char *committee_id(eng *g, const lic_duration *every, lic_date start)
{
    lic_period_kind k;
    bool std = !every->years && !every->days && !every->business_days;
    int months = every->months;
    if (every->years == 1 && !every->months && !every->days && !every->business_days) {
        std = true;
        months = 12;
    }
    if (std && (months == 1 || months == 3 || months == 6 || months == 12)) {
        k = months == 1 ? LIC_PERIOD_MONTH : months == 3 ? LIC_PERIOD_QUARTER
                                           : months == 6 ? LIC_PERIOD_HALF : LIC_PERIOD_YEAR;
        char ps[LIC_PERIOD_STRLEN];
        lic_period_str(lic_period_containing(k, start), ps);
        return eng_fmt(g, "committee:%s", ps);
    }
    return eng_fmt(g, "committee:%s", eng_date_str(g, start));
}

/* The meeting windows from `start` through the one that begins by as-of
 * (at most 2000), each with its first meeting. */
static void build_committee(eng *g, eng_recur *rc, const lic_duration *every, lic_date start)
{
    size_t j = 0, cap = 0, nm = g->nbt[LIC_EV_COMMITTEE_MEETING];
    const lic_event *const *m = g->bt[LIC_EV_COMMITTEE_MEETING]; /* by date */
    *rc = (eng_recur){.built = true, .from = start};
    for (int k = 0; start <= g->as_of && k < 2000 && !g->oom; k++) {
        lic_date next = eng_add(g, start, every);
        if (next <= start)
            return;
        while (j < nm && m[j]->date < start)
            j++;
        eng_due *x = due_add(g, rc, &cap);
        if (!x)
            return;
        *x = (eng_due){start, next - 1, j < nm && m[j]->date < next ? m[j]->date : LIC_DATE_NONE,
                       LIC_DATE_NONE, committee_id(g, every, start), {0}};
        x->waived = eng_waived(g, x->id);
        start = next;
    }
}

static void committee(eng *g)
{
    if (!g->a->committee.present || g->a->committee.every.st != LIC_V_KNOWN)
        return;
    lic_date start = g->a->committee.from.st == LIC_V_ABSENT
                         ? g->a->effective.v
                         : eng_dexpr(g, &g->a->committee.from, "committee meetings", NULL);
    if (start == LIC_DATE_NONE)
        return;
    eng_recur *rc = &g->recur[2];
    if (!rc->built || rc->from != start)
        build_committee(g, rc, &g->a->committee.every.v, start);
    lic_date end = deal_end(g);
    for (size_t i = 0; i < rc->n && rc->v[i].begins <= end && !g->oom; i++) {
        const eng_due *x = &rc->v[i];
        if (obligation(g, x->id, "committee", LIC_PARTY_JOINT, x->due, x->done, x->waived, "governance"))
            eng_deadlinef(g, x->due, "obligation", x->id, "committee meeting %s", x->id + 10);
    }
}

static lic_date delivered(const eng *g, const char *id, const char *prefix)
{
    ENG_FOR_TYPE(g, LIC_EV_DELIVERED, e)
        if (eng_refers(e->ref, id, prefix))
            return e->date;
    return LIC_DATE_NONE;
}

static void licensor(eng *g)
{
    for (size_t i = 0; i < g->a->nlicensor_obligations; i++) {
        const lic_licensor_obligation *o = &g->a->licensor_obligations[i];
        const char *id = eng_fmt(g, "licensor:%s", o->id);
        lic_date due = eng_licensor_due(g, o);
        if (due != LIC_DATE_NONE && obligation(g, id, "licensor", LIC_PARTY_LICENSOR, due,
                                               delivered(g, o->id, "licensor:"), eng_waived(g, id), "material"))
            eng_deadlinef(g, due, "obligation", id, "licensor obligation %s due", o->id);
    }
}

static void wind_down(eng *g)
{
    if (g->term_eff == LIC_DATE_NONE || g->term_eff > g->as_of)
        return;
    for (size_t i = 0; i < g->a->termination.nwind_down; i++) {
        const lic_wind_down *w = &g->a->termination.wind_down[i];
        const char *id = eng_fmt(g, "wind_down:%s", w->id);
        if (w->due.st != LIC_V_KNOWN) {
            eng_indet(g, eng_fmt(g, "wind-down %s due", w->id), w->due.pos);
            continue;
        }
        lic_date due = eng_add(g, g->term_eff, &w->due.v);
        if (obligation(g, id, "wind_down", LIC_PARTY_LICENSEE, due, delivered(g, w->id, "wind_down:"),
                       eng_waived(g, id), "material"))
            eng_deadlinef(g, due, "obligation", id, "wind-down %s due", w->id);
    }
}

static void event_obligations(eng *g)
{
    /* in date order across the two types; most deals have neither */
    if (!g->nbt[LIC_EV_IMPROVEMENT] && !g->nbt[LIC_EV_CHANGE_OF_CONTROL])
        return;
    for (size_t k = 0; k < g->ne; k++) {
        const lic_event *e = g->e[k];
        if (e->type == LIC_EV_IMPROVEMENT && e->party == LIC_PARTY_LICENSEE &&
            g->a->improvements.licensee.present && g->a->improvements.licensee.disclose.st == LIC_V_KNOWN) {
            const char *id = eng_fmt(g, "disclose:%s", e->id);
            lic_date due = eng_add(g, e->date, &g->a->improvements.licensee.disclose.v);
            if (obligation(g, id, "disclose", LIC_PARTY_LICENSEE, due, delivered(g, e->id, "disclose:"),
                           eng_waived(g, id), "material"))
                eng_deadlinef(g, due, "obligation", id, "disclose improvement %s", e->id);
        }
        if (e->type == LIC_EV_CHANGE_OF_CONTROL && e->party == LIC_PARTY_LICENSEE &&
            g->a->change_of_control.present && g->a->change_of_control.notice.st == LIC_V_KNOWN) {
            lic_date done = LIC_DATE_NONE;
            for (size_t j = 0; j < g->ne; j++)
                if (g->e[j]->type == LIC_EV_NOTICE && g->e[j]->notice_kind == LIC_NOTICE_CHANGE_OF_CONTROL &&
                    g->e[j]->party == LIC_PARTY_LICENSEE && g->e[j]->date >= e->date) {
                    done = g->e[j]->date;
                    break;
                }
            const char *id = "notice:change_of_control";
            lic_date due = eng_add(g, e->date, &g->a->change_of_control.notice.v);
            if (obligation(g, id, "notice", LIC_PARTY_LICENSEE, due, done, eng_waived(g, id), "material"))
                eng_deadline(g, due, "obligation", id, "notice of change of control due");
        }
    }
}

void eng_obligations(eng *g)
{
    reports(g, &g->a->reporting.royalty_report, LIC_REPORT_ROYALTY);
    reports(g, &g->a->reporting.progress_report, LIC_REPORT_PROGRESS);
    committee(g);
    licensor(g);
    wind_down(g);
    event_obligations(g);
}
