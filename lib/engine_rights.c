/*
 * engine_rights.c - rights that arise (FORMAT 2.5-2.7) and whether they
 * have been applied.
 *
 * - An uncured breach gives its counterparty the rung of its class's
 *   ladder: the k-th uncured breach of a class by the same party gives
 *   rung k (the last rung repeats); a milestone's on_miss replaces the
 *   ladder and does not count as a rung.  Id right:<breach id>:<rung>.
 * - repeated: `count` breaches of a class (cured or not, not waived)
 *   within `within`; counting starts again after each trigger.
 *   Id right:repeated:<class>:<n>.
 * - no_sales: `consecutive` whole periods without sales after the period
 *   of the first sale, each known from filed reports.  Id right:no_sales.
 * - change_of_control of the licensee: the licensor may terminate, within
 *   the window when one is given.  Id right:change_of_control.
 * - exclusivity performance: the first period (from `from`) whose net
 *   sales in the rule's scope fall short.  Id right:performance:<grant>:<period>.
 * A right with automatic: true applies the day it arises; any other when
 * an `exercise` event (or a `termination` naming it) comes on or after
 * that day, by its holder, within its window.
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

static const lic_remedy terminate_remedy = {.action = LIC_ACT_TERMINATE, .grant_index = -1};

static lic_st_right *right_add(eng *g, const char *id, lic_party_role holder, const lic_remedy *r,
                               const char *breach, lic_date since)
{
    if (since > g->as_of)
        return NULL;
    lic_st_right *x = ENG_PUSH(g, g->s->rights, g->s->nrights, g->cap_rt);
    if (x)
        *x = (lic_st_right){id, holder, r, breach, since, LIC_DATE_NONE, false, LIC_DATE_NONE, "open"};
    return x;
}

static lic_party_role other(lic_party_role p)
{
    return p == LIC_PARTY_LICENSOR ? LIC_PARTY_LICENSEE : LIC_PARTY_LICENSOR;
}

static const lic_ladder *ladder(const eng *g, const char *cls)
{
    for (size_t i = 0; i < g->a->breach.nladders; i++)
        if (!strcmp(g->a->breach.ladders[i].cls, cls))
            return &g->a->breach.ladders[i];
    return NULL;
}

static void breach_rights(eng *g)
{
    /* in the order they became uncured (then id): insertion into a sorted index */
    size_t n = g->nbr, m = 0;
    eng_breach **v = lic__arena_alloc(g->arena, (n ? n : 1) * sizeof *v);
    if (!v) {
        g->oom = LIC_ENOMEM;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        eng_breach *b = &g->br[i];
        if (b->uncured_on == LIC_DATE_NONE || b->uncured_on > g->as_of)
            continue;
        size_t j = m++;
        while (j > 0 && (v[j - 1]->uncured_on > b->uncured_on ||
                         (v[j - 1]->uncured_on == b->uncured_on && strcmp(v[j - 1]->st.id, b->st.id) > 0))) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = b;
    }
    for (size_t i = 0; i < m; i++) {
        eng_breach *b = v[i];
        if (b->on_miss) {
            right_add(g, eng_fmt(g, "right:%s:1", b->st.id), other(b->st.party), b->on_miss, b->st.id,
                      b->uncured_on);
            continue;
        }
        const lic_ladder *l = ladder(g, b->st.cls);
        if (!l || !l->nrungs)
            continue;
        size_t k = 1;
        for (size_t j = 0; j < i; j++)
            k += !v[j]->on_miss && v[j]->st.party == b->st.party && !strcmp(v[j]->st.cls, b->st.cls);
        size_t rung = k < l->nrungs ? k : l->nrungs;
        right_add(g, eng_fmt(g, "right:%s:%zu", b->st.id, rung), other(b->st.party), &l->rungs[rung - 1],
                  b->st.id, b->uncured_on);
    }
}

static void repeated(eng *g)
{
    for (size_t r = 0; r < g->a->breach.nrepeated; r++) {
        const lic_repeated *rule = &g->a->breach.repeated[r];
        if (rule->within.st != LIC_V_KNOWN || rule->count < 1)
            continue;
        lic_date after = LIC_DATE_MIN; /* breaches after the last trigger */
        int nth = 0;
        for (size_t i = 0; i < g->nbr; i++) {
            const eng_breach *b = &g->br[i];
            if (strcmp(b->st.cls, rule->cls) || !strcmp(b->st.status, "waived") || b->st.since <= after)
                continue;
            int count = 0;
            for (size_t j = 0; j < g->nbr; j++) {
                const eng_breach *c = &g->br[j];
                if (!strcmp(c->st.cls, rule->cls) && strcmp(c->st.status, "waived") && c->st.since > after &&
                    c->st.since <= b->st.since && eng_add(g, c->st.since, &rule->within.v) > b->st.since)
                    count++;
            }
            if (count >= rule->count) {
                nth++;
                right_add(g, eng_fmt(g, "right:repeated:%s:%d", rule->cls, nth), other(b->st.party),
                          &rule->remedy, NULL, b->st.since);
                after = b->st.since;
            }
        }
    }
}

static void no_sales(eng *g)
{
    const __typeof__(g->a->termination.no_sales) *ns = &g->a->termination.no_sales;
    if (!ns->present || g->fcs == LIC_DATE_NONE || ns->consecutive < 1)
        return;
    int run = 0;
    for (lic_period p = lic_period_next(lic_period_containing(ns->every, g->fcs));
         lic_period_last(p) < g->as_of; p = lic_period_next(p)) {
        bool known;
        bool sales = eng_period_has_sales(g, lic_period_first(p), lic_period_last(p), &known);
        run = (!sales && known) ? run + 1 : 0;
        if (run == ns->consecutive) {
            right_add(g, "right:no_sales", LIC_PARTY_LICENSOR, &terminate_remedy, NULL, lic_period_last(p) + 1);
            return;
        }
    }
}

static void change_of_control(eng *g)
{
    const __typeof__(g->a->change_of_control) *c = &g->a->change_of_control;
    if (!c->present || !c->may_terminate)
        return;
    ENG_FOR_TYPE(g, LIC_EV_CHANGE_OF_CONTROL, e)
    {
        if (e->party != LIC_PARTY_LICENSEE)
            continue;
        lic_st_right *r = right_add(g, "right:change_of_control", LIC_PARTY_LICENSOR, &terminate_remedy,
                                    NULL, e->date);
        if (r && !c->immediately && c->within.st == LIC_V_KNOWN)
            r->until = eng_add(g, e->date, &c->within.v);
        return;
    }
}

/* The rule's on_miss with the grant and scope of the rule filled in. */
static const lic_remedy *perf_remedy(eng *g, const lic_perf_rule *r)
{
    lic_remedy *x = lic__arena_alloc(g->arena, sizeof *x);
    if (!x) {
        g->oom = LIC_ENOMEM;
        return &r->on_miss;
    }
    *x = r->on_miss;
    if (!x->grant) {
        x->grant = r->grant;
        x->grant_index = r->grant_index;
    }
    if (!x->part.has_territories && !x->part.has_fields)
        x->part = r->part;
    return x;
}

static void performance(eng *g)
{
    for (size_t i = 0; i < g->a->exclusivity.nperformance; i++) {
        const lic_perf_rule *r = &g->a->exclusivity.performance[i];
        if (r->min_net_sales.st != LIC_V_KNOWN || r->grant_index < 0)
            continue;
        const lic_scope *scope = r->part.has_territories || r->part.has_fields
                                     ? &r->part : &g->a->grants[r->grant_index].scope;
        lic_date start = lic_date_from_ymd(r->from_year ? r->from_year : 1, 1, 1);
        if (start < g->a->effective.v)
            start = g->a->effective.v;
        for (lic_period p = lic_period_containing(r->every, start); lic_period_last(p) < g->as_of;
             p = lic_period_next(p)) {
            bool known;
            lic_amount net;
            (void)eng_period_has_sales(g, lic_period_first(p), lic_period_last(p), &known);
            if (!known)
                break;
            if (!eng_net_sales(g, lic_period_first(p), lic_period_last(p), scope, &net))
                break;
            if (net < r->min_net_sales.v) {
                char ps[LIC_PERIOD_STRLEN];
                lic_period_str(p, ps);
                right_add(g, eng_fmt(g, "right:performance:%s:%s", r->grant, ps), LIC_PARTY_LICENSOR,
                          perf_remedy(g, r), NULL, lic_period_last(p) + 1);
                break;
            }
        }
    }
}

static bool exercises(const lic_event *e, const char *id)
{
    return (e->type == LIC_EV_EXERCISE || e->type == LIC_EV_TERMINATION) && e->ref && !strcmp(e->ref, id);
}

static void applied(eng *g, lic_st_right *r)
{
    if (r->remedy->automatic) {
        r->applied = true;
        r->applied_on = r->since;
    }
    /* exercises() takes exercises and terminations: without any, no event */
    size_t ne = g->nbt[LIC_EV_EXERCISE] || g->nbt[LIC_EV_TERMINATION] ? g->ne : 0;
    for (size_t k = 0; k < ne && !r->applied; k++) {
        const lic_event *e = g->e[k];
        if (!exercises(e, r->id))
            continue;
        if (e->date < r->since)
            eng_reject(g, e, "right %s arose on %s, after this exercise", r->id, eng_date_str(g, r->since));
        else if (r->until != LIC_DATE_NONE && e->date > r->until)
            eng_reject(g, e, "right %s could be exercised until %s", r->id, eng_date_str(g, r->until));
        else if (e->party != LIC_PARTY_EITHER && e->party != r->holder)
            eng_reject(g, e, "right %s belongs to the %s", r->id, lic_party_role_name(r->holder));
        else if (e->type == LIC_EV_TERMINATION && r->remedy->action != LIC_ACT_TERMINATE)
            eng_reject(g, e, "right %s is a %s, not a right to terminate", r->id,
                       lic_action_name(r->remedy->action));
        else {
            r->applied = true;
            r->applied_on = e->date;
        }
    }
    r->status = r->applied ? "applied" : (r->until != LIC_DATE_NONE && r->until < g->as_of) ? "lapsed" : "open";
    if (!r->applied && r->until != LIC_DATE_NONE)
        eng_deadlinef(g, r->until, "window", r->id, "last day to exercise %s", r->id);
}

void eng_rights(eng *g)
{
    breach_rights(g);
    repeated(g);
    no_sales(g);
    change_of_control(g);
    performance(g);
    for (size_t i = 0; i < g->s->nrights; i++)
        applied(g, &g->s->rights[i]);
    if (!g->final_pass) /* what follows only rejects */
        return;
    ENG_FOR_TYPE(g, LIC_EV_EXERCISE, e)
    {
        if (!e->ref)
            continue;
        bool found = false;
        for (size_t i = 0; i < g->s->nrights && !found; i++)
            found = !strcmp(g->s->rights[i].id, e->ref);
        if (!found)
            eng_reject(g, e, "no right \"%s\" has arisen by %s", e->ref, eng_date_str(g, e->date));
    }
}
