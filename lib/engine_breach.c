/*
 * engine_breach.c - the life of a breach (FORMAT 2.5): detected on the
 * default date, noticed (the cure clock starts on the notice's date named
 * by cure_from, or on the default date when the class needs no notice),
 * cured (the failure fixed on or before the cure deadline), waived, or
 * uncured the day after the cure deadline.
 *
 * A notice names the breach as `breach:M2` or as what failed (`M2`,
 * `report:royalty:2027-Q1`, `inv:upfront`); a notice dated before the
 * breach arose is rejected.  A class the agreement does not define has no
 * cure period: a noticed breach is uncured the day after its notice.
 */
#include "engine_int.h"

#include <string.h>

eng_breach *eng_breach_add(eng *g, const char *ref, const char *cls, lic_party_role party,
                           lic_date since, lic_date fixed)
{
    if (since > g->as_of)
        return NULL;
    eng_breach *b = ENG_PUSH(g, g->br, g->nbr, g->cap_brw);
    if (!b)
        return NULL;
    memset(b, 0, sizeof *b);
    b->st.id = eng_cat(g, "breach:", ref);
    b->st.cls = cls;
    b->st.ref = ref;
    b->st.party = party == LIC_PARTY_LICENSOR ? LIC_PARTY_LICENSOR : LIC_PARTY_LICENSEE;
    b->st.since = since;
    b->st.notice = b->st.cure_from = b->st.cure_by = b->st.resolved_on = LIC_DATE_NONE;
    b->fixed = fixed;
    b->uncured_on = b->waived_on = LIC_DATE_NONE;
    return b;
}

/* Does e's ref name breach b: its id, what failed, or a licensor
 * obligation, wind-down item or improvement by its own id (KH1)? */
static bool names(const lic_event *e, const eng_breach *b);

/* A notice naming a breach that arose after it is rejected by notice_of. */
static bool names_late(const eng *g, const lic_event *e)
{
    for (size_t i = 0; i < g->nbr; i++)
        if (names(e, &g->br[i]))
            return true;
    return false;
}

/* The own id in a licensor obligation's, wind-down item's or
 * improvement's ref ("licensor:KH1" -> "KH1"), or NULL.  The prefixes
 * differ in their first letters: at most one fits. */
static const char *own_id(const char *ref)
{
    static const struct { const char *s; size_t n; } prefixes[] = {
        {"licensor:", sizeof "licensor:" - 1}, {"wind_down:", sizeof "wind_down:" - 1},
        {"disclose:", sizeof "disclose:" - 1}};
    for (size_t i = 0; i < 3; i++)
        if (ref[0] == prefixes[i].s[0] && !strncmp(ref, prefixes[i].s, prefixes[i].n))
            return ref + prefixes[i].n;
    return NULL;
}

/* Every pass asks this of every breach notice for every breach: one
 * look at the breach's ref for a prefix, not one per prefix. */
static bool names(const lic_event *e, const eng_breach *b)
{
    if (!e->ref)
        return false;
    if (!strcmp(e->ref, b->st.id) || !strcmp(e->ref, b->st.ref))
        return true;
    const char *own = own_id(b->st.ref);
    return own && !strcmp(own, e->ref);
}

/* Is ref an id a waiver may name: a milestone, obligation, invoice? */
static bool waivable(const eng *g, const char *ref)
{
    if (lic_agreement_milestone_index(g->a, ref) >= 0)
        return true;
    for (size_t i = 0; i < g->s->nobligations; i++)
        if (!strcmp(g->s->obligations[i].id, ref))
            return true;
    for (size_t i = 0; i < g->s->ninvoices; i++)
        if (!strcmp(g->s->invoices[i].id, ref))
            return true;
    return false;
}

/* Breach notices, cure_started, cure and waiver events naming nothing:
 * rejections, which only the final pass records. */
static void unmatched(eng *g)
{
    /* The four types' events merged in date, then file order (the order
     * of g->e, which rejections keep): the others are not read at all. */
    static const lic_event_type types[] = {LIC_EV_NOTICE, LIC_EV_CURE_STARTED, LIC_EV_CURE, LIC_EV_WAIVER};
    size_t at[4] = {0};
    while (g->final_pass) {
        const lic_event *e = NULL;
        int t = -1;
        for (int i = 0; i < 4; i++) {
            if (at[i] == g->nbt[types[i]])
                continue;
            const lic_event *x = g->bt[types[i]][at[i]];
            if (!e || x->date < e->date || (x->date == e->date && x->seq < e->seq))
                e = x, t = i;
        }
        if (!e)
            break;
        at[t]++;
        if ((e->type == LIC_EV_NOTICE && e->notice_kind != LIC_NOTICE_BREACH) || !e->ref)
            continue;
        bool found = e->type == LIC_EV_WAIVER && waivable(g, e->ref);
        for (size_t i = 0; i < g->nbr && !found; i++)
            found = names(e, &g->br[i]) && g->br[i].st.since <= e->date;
        if (!found && !(e->type == LIC_EV_NOTICE && names_late(g, e)))
            eng_reject(g, e, "no breach \"%s\" has arisen by %s", e->ref, eng_date_str(g, e->date));
    }
}

/* The first notice of breach b, or NULL. */
static const lic_event *notice_of(eng *g, const eng_breach *b)
{
    for (size_t k = 0; k < g->nbt[LIC_EV_NOTICE]; k++) {
        const lic_event *e = g->bt[LIC_EV_NOTICE][k];
        if (e->type != LIC_EV_NOTICE || e->notice_kind != LIC_NOTICE_BREACH || !names(e, b))
            continue;
        if (e->date < b->st.since) {
            eng_reject(g, e, "notice of %s on %s, before the breach arose on %s", b->st.id,
                       eng_date_str(g, e->date), eng_date_str(g, b->st.since));
            continue;
        }
        return e;
    }
    return NULL;
}

static lic_date clock_start(const eng *g, const lic_event *n)
{
    switch (g->a->breach.cure_from) {
    case LIC_CURE_FROM_SENT: return n->sent;
    case LIC_CURE_FROM_NOTICE_DATE: return n->date;
    default: return n->received;
    }
}

/* Sets cure_from and cure_by; the cure_started outside date applies. */
static void cure_clock(eng *g, eng_breach *b, const lic_breach_class *c, const lic_event *n)
{
    bool need_notice = !c || c->notice_required;
    if (n)
        b->st.notice = n->date;
    if (need_notice && !n)
        return;
    b->st.cure_from = need_notice ? clock_start(g, n) : b->st.since;
    if (!c || c->cure.st == LIC_V_ABSENT) {
        b->st.cure_by = b->st.cure_from;
        return;
    }
    if (c->cure.st != LIC_V_KNOWN) {
        b->st.indeterminate = eng_indet(g, eng_fmt(g, "cure deadline of %s", b->st.id), c->cure.pos);
        return;
    }
    b->st.cure_by = eng_add(g, b->st.cure_from, &c->cure.v);
    for (size_t k = 0; k < g->nbt[LIC_EV_CURE_STARTED]; k++) {
        const lic_event *e = g->bt[LIC_EV_CURE_STARTED][k];
        if (e->type != LIC_EV_CURE_STARTED || !names(e, b))
            continue;
        if (e->date > b->st.cure_by || c->extendable_to.st != LIC_V_KNOWN)
            eng_reject(g, e, e->date > b->st.cure_by ? "the cure period of %s had ended"
                                                     : "the class of %s has no extendable_to outside date",
                       b->st.id);
        else
            b->st.cure_by = eng_add(g, b->st.cure_from, &c->extendable_to.v);
        break;
    }
}

static void resolve(eng *g, eng_breach *b)
{
    ENG_FOR_TYPE(g, LIC_EV_CURE, e)
        if (names(e, b) && (b->fixed == LIC_DATE_NONE || e->date < b->fixed))
            b->fixed = e->date < b->st.since ? b->st.since : e->date;
    ENG_FOR_TYPE(g, LIC_EV_WAIVER, e)
        if (names(e, b) && b->waived_on == LIC_DATE_NONE)
            b->waived_on = e->date < b->st.since ? b->st.since : e->date;
    lic_st_breach *s = &b->st;
    bool cured = b->fixed != LIC_DATE_NONE && (s->cure_by == LIC_DATE_NONE ? s->notice == LIC_DATE_NONE
                                                                           : b->fixed <= s->cure_by);
    if (cured && (b->waived_on == LIC_DATE_NONE || b->fixed <= b->waived_on)) {
        s->status = "cured";
        s->resolved_on = b->fixed;
    } else if (s->cure_by != LIC_DATE_NONE && s->cure_by < g->as_of &&
               (b->waived_on == LIC_DATE_NONE || b->waived_on > s->cure_by)) {
        s->status = b->waived_on != LIC_DATE_NONE ? "waived" : "uncured";
        b->uncured_on = s->cure_by + 1;
        s->resolved_on = b->waived_on;
    } else if (b->waived_on != LIC_DATE_NONE) {
        s->status = "waived";
        s->resolved_on = b->waived_on;
    } else
        s->status = s->cure_by != LIC_DATE_NONE ? "noticed" : "detected";
    if (!strcmp(s->status, "noticed"))
        eng_deadlinef(g, s->cure_by, "cure", s->id, "cure deadline of %s", s->id);
}

/* When what a carried breach is about was fixed, from this pass's facts. */
static lic_date fixed_now(const eng *g, const char *ref)
{
    int m = lic_agreement_milestone_index(g->a, ref);
    if (m >= 0)
        return g->ms[m].achieved;
    for (size_t i = 0; i < g->s->nobligations; i++)
        if (!strcmp(g->s->obligations[i].id, ref))
            return g->s->obligations[i].done_on;
    for (size_t i = 0; i < g->s->ninvoices; i++)
        if (!strcmp(g->s->invoices[i].id, ref))
            return g->s->invoices[i].paid_on;
    return LIC_DATE_NONE;
}

static void carry(eng *g)
{
    for (size_t i = 0; i < g->ncarried; i++) {
        const struct eng_carried *c = &g->carried[i];
        bool have = false;
        for (size_t j = 0; j < g->nbr && !have; j++)
            have = !strcmp(g->br[j].st.ref, c->ref);
        if (have)
            continue;
        lic_date fixed = fixed_now(g, c->ref);
        eng_breach *b = eng_breach_add(g, c->ref, c->cls, c->party, c->since,
                                       fixed != LIC_DATE_NONE && fixed >= c->since ? fixed : LIC_DATE_NONE);
        int m = lic_agreement_milestone_index(g->a, c->ref);
        if (b && m >= 0 && g->a->milestones[m].has_on_miss)
            b->on_miss = &g->a->milestones[m].on_miss;
    }
}

void eng_breaches(eng *g)
{
    carry(g);
    unmatched(g);
    for (size_t i = 0; i < g->nbr && !g->oom; i++) {
        eng_breach *b = &g->br[i];
        const lic_breach_class *c = lic_agreement_breach_class(g->a, b->st.cls);
        cure_clock(g, b, c, notice_of(g, b));
        resolve(g, b);
        lic_st_breach *s = ENG_PUSH(g, g->s->breaches, g->s->nbreaches, g->cap_br);
        if (s)
            *s = b->st;
    }
}
