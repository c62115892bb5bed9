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

static lic_date waiver_of(const eng *g, const char *id)
{
    ENG_FOR_TYPE(g, LIC_EV_WAIVER, e)
        if (!strcmp(e->ref, id))
            return e->date;
    return LIC_DATE_NONE;
}

/* Adds an obligation and, when it was not done in time, its breach. */
static void obligation(eng *g, const char *id, const char *kind, lic_party_role party,
                       lic_date due, lic_date done, const char *cls, const char *what)
{
    lic_date waived = waiver_of(g, id);
    bool waived_first = waived != LIC_DATE_NONE && waived <= due;
    lic_st_obligation *o = ENG_PUSH(g, g->s->obligations, g->s->nobligations, g->cap_obl);
    if (!o)
        return;
    *o = (lic_st_obligation){id, kind, party, due, done, obl_status(g, due, done, waived_first)};
    if (done == LIC_DATE_NONE && !waived_first)
        eng_deadline(g, due, "obligation", id, what);
    if (due < g->as_of && (done == LIC_DATE_NONE || done > due) && !waived_first)
        eng_breach_add(g, id, cls, party, due + 1, done);
}

static lic_date report_due(const eng *g, const lic_report_rule *r, lic_period p)
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

static lic_date report_done(const eng *g, lic_report_kind kind, lic_period p)
{
    ENG_FOR_TYPE(g, LIC_EV_REPORT, e)
        if (e->report_kind == kind && lic_period_cmp(e->period, p) == 0)
            return e->date;
    return LIC_DATE_NONE;
}

static void reports(eng *g, const lic_report_rule *r, lic_report_kind kind)
{
    if (!r->present)
        return;
    const char *name = kind == LIC_REPORT_ROYALTY ? "royalty" : "progress";
    lic_date from = r->from.st == LIC_V_ABSENT ? g->a->effective.v
                                               : eng_dexpr(g, &r->from, eng_fmt(g, "%s reports", name), NULL);
    if (from == LIC_DATE_NONE)
        return;
    lic_date end = deal_end(g);
    for (lic_period p = lic_period_containing(r->every, from);
         lic_period_first(p) <= g->as_of && lic_period_first(p) <= end && !g->oom; p = lic_period_next(p)) {
        char ps[LIC_PERIOD_STRLEN];
        lic_period_str(p, ps);
        lic_date due = report_due(g, r, p);
        const char *id = eng_fmt(g, "report:%s:%s", name, ps);
        if (due == LIC_DATE_NONE) {
            eng_indet(g, eng_fmt(g, "%s report due dates", name), r->due.pos);
            return;
        }
        obligation(g, id, kind == LIC_REPORT_ROYALTY ? "royalty_report" : "progress_report",
                   LIC_PARTY_LICENSEE, due, report_done(g, kind, p), "reporting",
                   eng_fmt(g, "%s report %s due", name, ps));
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

static void committee(eng *g)
{
    if (!g->a->committee.present || g->a->committee.every.st != LIC_V_KNOWN)
        return;
    const lic_duration *every = &g->a->committee.every.v;
    lic_date start = g->a->committee.from.st == LIC_V_ABSENT
                         ? g->a->effective.v
                         : eng_dexpr(g, &g->a->committee.from, "committee meetings", NULL);
    lic_date end = deal_end(g);
    for (int k = 0; start != LIC_DATE_NONE && start <= g->as_of && start <= end && k < 2000 && !g->oom; k++) {
        lic_date next = eng_add(g, start, every);
        if (next <= start)
            return;
        lic_date done = LIC_DATE_NONE;
        ENG_FOR_TYPE(g, LIC_EV_COMMITTEE_MEETING, e)
            if (e->date >= start && e->date < next && done == LIC_DATE_NONE)
                done = e->date;
        const char *id = committee_id(g, every, start);
        obligation(g, id, "committee", LIC_PARTY_JOINT, next - 1, done, "governance",
                   eng_fmt(g, "committee meeting %s", id + 10));
        start = next;
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
        if (due != LIC_DATE_NONE)
            obligation(g, id, "licensor", LIC_PARTY_LICENSOR, due, delivered(g, o->id, "licensor:"),
                       "material", eng_fmt(g, "licensor obligation %s due", o->id));
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
        obligation(g, id, "wind_down", LIC_PARTY_LICENSEE, eng_add(g, g->term_eff, &w->due.v),
                   delivered(g, w->id, "wind_down:"), "material", eng_fmt(g, "wind-down %s due", w->id));
    }
}

static void event_obligations(eng *g)
{
    for (size_t k = 0; k < g->ne; k++) {
        const lic_event *e = g->e[k];
        if (e->type == LIC_EV_IMPROVEMENT && e->party == LIC_PARTY_LICENSEE &&
            g->a->improvements.licensee.present && g->a->improvements.licensee.disclose.st == LIC_V_KNOWN) {
            obligation(g, eng_fmt(g, "disclose:%s", e->id), "disclose", LIC_PARTY_LICENSEE,
                       eng_add(g, e->date, &g->a->improvements.licensee.disclose.v),
                       delivered(g, e->id, "disclose:"), "material",
                       eng_fmt(g, "disclose improvement %s", e->id));
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
            obligation(g, "notice:change_of_control", "notice", LIC_PARTY_LICENSEE,
                       eng_add(g, e->date, &g->a->change_of_control.notice.v), done, "material",
                       "notice of change of control due");
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
