/*
 * engine_ms.c - milestones (FORMAT 2.2): achievement and verification,
 * deadlines after every shift, status on the as-of date, the diligence
 * breach of a missed deadline, and the milestone payment.
 *
 * A deadline is computed in this order, each step from the previous one:
 *   1. the `due` expression, with anchors' actual achievement dates;
 *   2. licensor lateness: a licensor obligation with on_late:
 *      extend_milestones that was late by L days moves every later
 *      licensee deadline by L (while it is still undelivered, by the days
 *      it has been late so far);
 *   3. relief: an applied extend_deadlines right moves licensee deadlines
 *      that had not passed when it applied;
 *   4. force majeure of the milestone's owner that began on or before the
 *      deadline moves it by the days it lasted (so far, while running),
 *      all periods together capped at force_majeure.max;
 *   5. extension events, within extensions.max, each `by` a duration
 *      (default the rule's `each`) or `to` a date, requested on or before
 *      the deadline they extend.
 */
#include "engine_int.h"

#include <string.h>

static void claim(eng *g, const lic_event *e, size_t i)
{
    const lic_milestone *m = &g->a->milestones[i];
    eng_ms *w = &g->ms[i];
    if (w->achieved != LIC_DATE_NONE) {
        eng_reject(g, e, "milestone %s was already achieved on %s", m->id, eng_date_str(g, w->achieved));
        return;
    }
    w->claimed = e->date;
    w->rejected = LIC_DATE_NONE;
    if (m->verification == LIC_VERIFY_NONE || m->verification == LIC_VERIFY_SELF)
        w->achieved = w->pay_from = e->date;
}

static void verify(eng *g, const lic_event *e, size_t i)
{
    const lic_milestone *m = &g->a->milestones[i];
    eng_ms *w = &g->ms[i];
    if (w->claimed == LIC_DATE_NONE || w->achieved != LIC_DATE_NONE) {
        eng_reject(g, e, "milestone %s has no achievement awaiting verification", m->id);
        return;
    }
    if (e->type == LIC_EV_MILESTONE_ACCEPTED) {
        w->achieved = w->claimed;
        w->accepted = w->pay_from = e->date;
    } else {
        w->rejected = e->date;
        w->claimed = LIC_DATE_NONE;
    }
}

void eng_ms_facts(eng *g)
{
    size_t n = g->a->nmilestones;
    /* Not zeroed: hit_dates and hit_years (512 of a milestone's 560
     * bytes) are read only below year_hits, and most are never written;
     * zeroing them was most of this function's work and cache lines. */
    g->ms = lic__arena_alloc_raw(g->arena, (n ? n : 1) * sizeof *g->ms);
    if (!g->ms) {
        g->oom = LIC_ENOMEM;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        eng_ms *w = &g->ms[i];
        w->claimed = w->accepted = w->rejected = w->achieved = w->pay_from = LIC_DATE_NONE;
        w->waived = w->due = LIC_DATE_NONE;
        w->indet = NULL;
        w->ext_used = w->year_hits = 0;
    }
    for (size_t k = 0; k < g->ne; k++) {
        const lic_event *e = g->e[k];
        int i = -1;
        if (e->type == LIC_EV_MILESTONE_ACHIEVED || e->type == LIC_EV_MILESTONE_ACCEPTED ||
            e->type == LIC_EV_MILESTONE_REJECTED || e->type == LIC_EV_WAIVER)
            i = lic_agreement_milestone_index(g->a, e->ref);
        if (i < 0)
            continue;
        if (e->type == LIC_EV_MILESTONE_ACHIEVED)
            claim(g, e, (size_t)i);
        else if (e->type == LIC_EV_WAIVER) {
            if (g->ms[i].waived == LIC_DATE_NONE)
                g->ms[i].waived = e->date;
        } else
            verify(g, e, (size_t)i);
    }
    eng_sales_milestones(g);
}

/* A licensor obligation's deadline, moved by the licensor's force majeure. */
lic_date eng_licensor_due(eng *g, const lic_licensor_obligation *o)
{
    lic_date due = eng_dexprf(g, &o->due, NULL, "licensor obligation %s due", o->id);
    if (due == LIC_DATE_NONE)
        return due;
    bool running = false;
    int shifted = 0;
    lic_date anchor = o->due.anchor == LIC_ANCHOR_DATE ? LIC_DATE_MIN : eng_anchor(g, &o->due);
    return eng_fm_shift(g, o->id, LIC_PARTY_LICENSOR, due, anchor, &running, &shifted);
}

/* Days a licensor obligation with extend_milestones is late. */
static int licensor_lateness(eng *g, const lic_licensor_obligation *o, lic_date *due)
{
    *due = eng_licensor_due(g, o);
    if (*due == LIC_DATE_NONE)
        return 0;
    lic_date done = LIC_DATE_NONE;
    for (size_t k = 0; k < g->nbt[LIC_EV_DELIVERED]; k++)
        if (eng_refers(g->bt[LIC_EV_DELIVERED][k]->ref, o->id, "licensor:")) {
            done = g->bt[LIC_EV_DELIVERED][k]->date;
            break;
        }
    lic_date until = done != LIC_DATE_NONE ? done : g->as_of;
    return until > *due ? (int)(until - *due) : 0;
}

static bool fm_applies(const lic_event *e, const char *id, lic_party_role owner)
{
    if (e->type != LIC_EV_FORCE_MAJEURE || e->party != owner)
        return false;
    if (!e->affects.n)
        return true;
    for (size_t i = 0; i < e->affects.n; i++)
        if (!strcmp(e->affects.v[i], id))
            return true;
    return false;
}

/* Step 4; sets *running when a force majeure still suspends it. */
lic_date eng_fm_shift(eng *g, const char *id, lic_party_role owner, lic_date due, lic_date anchor,
                      bool *running, int *shifted)
{
    int64_t total = 0, cap = -1;
    if (g->a->force_majeure.present && g->a->force_majeure.max.st == LIC_V_KNOWN)
        cap = eng_add(g, due, &g->a->force_majeure.max.v) - due;
    for (size_t k = 0; k < g->nbt[LIC_EV_FORCE_MAJEURE]; k++) {
        const lic_event *e = g->bt[LIC_EV_FORCE_MAJEURE][k];
        if (!fm_applies(e, id, owner) || e->from > due || e->from > g->as_of)
            continue;
        lic_date end = e->to != LIC_DATE_NONE && e->to < g->as_of ? e->to : g->as_of;
        lic_date start = e->from > anchor ? e->from : anchor; /* the clock ran from its anchor */
        if (end < start)
            continue;
        if (e->to == LIC_DATE_NONE || e->to >= g->as_of)
            *running = true;
        total += end - start + 1;
    }
    if (cap >= 0 && total > cap)
        total = cap;
    *shifted += (int)total;
    return due + (lic_date)total;
}

/* Step 5. */
static lic_date extend(eng *g, size_t i, lic_date due)
{
    const lic_milestone *m = &g->a->milestones[i];
    eng_ms *w = &g->ms[i];
    for (size_t k = 0; k < g->nbt[LIC_EV_EXTENSION]; k++) {
        const lic_event *e = g->bt[LIC_EV_EXTENSION][k];
        if (e->type != LIC_EV_EXTENSION || strcmp(e->ref, m->id))
            continue;
        if (w->ext_used >= m->extensions.max) {
            eng_reject(g, e, "milestone %s allows %d extension%s and %s used", m->id, m->extensions.max,
                       m->extensions.max == 1 ? "" : "s", w->ext_used == 1 ? "1 was" : "all were");
            continue;
        }
        if (w->achieved != LIC_DATE_NONE && w->achieved <= e->date) {
            eng_reject(g, e, "milestone %s was already achieved", m->id);
            continue;
        }
        if (e->date > due) {
            eng_reject(g, e, "the deadline of %s (%s) had passed before the extension was asked for",
                       m->id, eng_date_str(g, due));
            continue;
        }
        if (e->to_date != LIC_DATE_NONE)
            due = e->to_date;
        else if (e->has_by)
            due = eng_add(g, due, &e->by_dur);
        else if (m->extensions.each.st == LIC_V_KNOWN)
            due = eng_add(g, due, &m->extensions.each.v);
        else {
            w->indet = eng_indet(g, eng_fmt(g, "milestone %s due", m->id), m->extensions.each.pos);
            return LIC_DATE_NONE;
        }
        w->ext_used++;
        const char *id = eng_fmt(g, "inv:extension:%s:%d", m->id, w->ext_used);
        if (m->extensions.fee.st != LIC_V_ABSENT)
            eng_invoice_add(g, id, "extension", &m->extensions.fee, e->date, e->date);
    }
    return due;
}

static lic_date deadline(eng *g, size_t i, lic_party_role owner, bool *running, int *shifted)
{
    const lic_milestone *m = &g->a->milestones[i];
    lic_date due = eng_dexprf(g, &m->due, &g->ms[i].indet, "milestone %s due", m->id);
    if (due == LIC_DATE_NONE)
        return due;
    lic_date base = due;
    if (owner == LIC_PARTY_LICENSEE) {
        for (size_t k = 0; k < g->a->nlicensor_obligations; k++) {
            const lic_licensor_obligation *o = &g->a->licensor_obligations[k];
            lic_date kd;
            int late = licensor_lateness(g, o, &kd);
            if (o->extend_milestones && late > 0 && base > kd)
                due += late;
        }
        for (size_t k = 0; k < g->nrelief; k++)
            if (due >= g->relief_on[k])
                due += g->relief_days[k];
    }
    *shifted = (int)(due - base);
    lic_date anchor = m->due.anchor == LIC_ANCHOR_DATE ? LIC_DATE_MIN : eng_anchor(g, &m->due);
    due = eng_fm_shift(g, m->id, owner, due, anchor, running, shifted);
    return m->extensions.present ? extend(g, i, due) : due;
}

static const char *status(eng *g, size_t i, bool running)
{
    const eng_ms *w = &g->ms[i];
    if (w->waived != LIC_DATE_NONE && (w->due == LIC_DATE_NONE || w->waived <= w->due))
        return "waived";
    if (w->achieved != LIC_DATE_NONE)
        return "achieved";
    if (w->claimed != LIC_DATE_NONE)
        return "pending_verification";
    if (w->due == LIC_DATE_NONE)
        return w->rejected != LIC_DATE_NONE ? "rejected" : "pending";
    if (g->term_eff != LIC_DATE_NONE && w->due >= g->term_eff)
        return "lapsed";
    if (w->due < g->as_of)
        return "missed";
    if (running)
        return "suspended";
    if (w->rejected != LIC_DATE_NONE)
        return "rejected";
    return w->ext_used ? "extended" : "pending";
}

static void payment(eng *g, size_t i)
{
    const lic_milestone *m = &g->a->milestones[i];
    const eng_ms *w = &g->ms[i];
    if (!m->payment.present || w->pay_from == LIC_DATE_NONE)
        return;
    for (size_t k = 0; k < g->a->nmilestones; k++) {
        const lic_milestone *o = &g->a->milestones[k];
        for (size_t c = 0; c < o->catch_up.n; c++)
            if (o->catch_up_index && o->catch_up_index[c] == (int)i && g->ms[k].pay_from != LIC_DATE_NONE &&
                g->ms[k].pay_from < w->pay_from)
                goto catch_up; /* already made payable by o's catch-up */
    }
    for (int k = 0; k < (m->repeat_every_year ? w->year_hits : 1); k++) {
        lic_date from = m->repeat_every_year ? w->hit_dates[k] : w->pay_from;
        lic_date due = m->payment.due.st == LIC_V_KNOWN ? eng_add(g, from, &m->payment.due.v) : from;
        const char *id = m->repeat_every_year ? eng_fmt(g, "inv:milestone:%s:%d", m->id, w->hit_years[k])
                                              : eng_fmt(g, "inv:milestone:%s", m->id);
        eng_invoice_add(g, id, "milestone", &m->payment.amount, due, from);
    }
catch_up:
    for (size_t c = 0; c < m->catch_up.n; c++) {
        int j = m->catch_up_index ? m->catch_up_index[c] : -1;
        const lic_milestone *cm = j >= 0 ? &g->a->milestones[j] : NULL;
        if (!cm || !cm->payment.present || (g->ms[j].pay_from != LIC_DATE_NONE && g->ms[j].pay_from <= w->pay_from))
            continue;
        lic_date due = m->payment.due.st == LIC_V_KNOWN ? eng_add(g, w->pay_from, &m->payment.due.v)
                                                        : w->pay_from;
        eng_invoice_add(g, eng_fmt(g, "inv:milestone:%s", cm->id), "milestone", &cm->payment.amount, due,
                        w->pay_from);
    }
}

static void one(eng *g, size_t i)
{
    const lic_milestone *m = &g->a->milestones[i];
    eng_ms *w = &g->ms[i];
    lic_party_role owner = m->owner == LIC_PARTY_LICENSOR ? LIC_PARTY_LICENSOR : LIC_PARTY_LICENSEE;
    bool running = false;
    int shifted = 0;
    w->ext_used = 0;
    w->indet = NULL;
    w->due = m->due.st == LIC_V_ABSENT ? LIC_DATE_NONE : deadline(g, i, owner, &running, &shifted);
    lic_st_milestone *s = ENG_PUSH(g, g->s->milestones, g->s->nmilestones, g->cap_ms);
    if (!s)
        return;
    lic_date orig = m->due.st == LIC_V_KNOWN || m->due.st == LIC_V_ABSENT
                        ? (m->due.st == LIC_V_ABSENT ? LIC_DATE_NONE : eng_dexpr(g, &m->due, "", NULL))
                        : LIC_DATE_NONE;
    *s = (lic_st_milestone){m->id, status(g, i, running), w->due, orig, w->achieved, w->accepted,
                            w->ext_used, shifted, w->indet};
    payment(g, i);
    bool awaiting = w->claimed != LIC_DATE_NONE && w->achieved == LIC_DATE_NONE;
    if (w->due == LIC_DATE_NONE || (awaiting && w->claimed <= w->due))
        return; /* a claim made in time defers the question to verification */
    bool lapsed = g->term_eff != LIC_DATE_NONE && w->due >= g->term_eff;
    bool waived_first = w->waived != LIC_DATE_NONE && w->waived <= w->due;
    if (awaiting) { /* claimed late: the breach stands whatever verification says */
        eng_breach_add(g, m->id, m->breach_class ? m->breach_class : "diligence", owner, w->due + 1,
                       LIC_DATE_NONE);
        return;
    }
    if (w->achieved == LIC_DATE_NONE && !lapsed)
        eng_deadlinef(g, w->due, "milestone", m->id, "milestone %s due", m->id);
    if (w->due < g->as_of && (w->achieved == LIC_DATE_NONE || w->achieved > w->due) && !lapsed &&
        !waived_first && !awaiting) {
        eng_breach *b = eng_breach_add(g, m->id, m->breach_class ? m->breach_class : "diligence", owner,
                                       w->due + 1, w->achieved);
        if (b && m->has_on_miss)
            b->on_miss = &m->on_miss;
    }
}

void eng_milestones(eng *g)
{
    for (size_t i = 0; i < g->a->nmilestones && !g->oom; i++)
        one(g, i);
}
