/*
 * engine_deal.c - what changes the deal itself: termination (its notice,
 * effective date, sell-off), option exercises, the grants in force after
 * step-downs, reversions, sunsets and options, royalty adjustments, the
 * windows (options, renegotiation, change of control, sunset), and the
 * state of the deal on the as-of date.
 *
 * A termination takes effect on its effective date: grants end the day
 * before.  Sell-off runs `sell_off` from the effective date.  A sunset
 * makes the grant non-exclusive on its date and opens a renegotiation
 * window as long as the first renegotiation rule's `length` (90 days when
 * there is none).
 */
#include "engine_int.h"
#include "royalty_int.h"

#include <string.h>

static const lic_st_right *prev_right(const eng *g, const char *id)
{
    for (size_t i = 0; i < g->nprev_rights; i++)
        if (!strcmp(g->prev_rights[i].id, id))
            return &g->prev_rights[i];
    return NULL;
}

static lic_date with_notice(const eng *g, lic_date d, const lic_duration_v *notice)
{
    return notice->st == LIC_V_KNOWN ? eng_add(g, d, &notice->v) : d;
}

/* The effective date of a termination event, or NONE after rejecting it. */
static lic_date termination_event(eng *g, const lic_event *e)
{
    const __typeof__(g->a->termination.convenience) *cv = &g->a->termination.convenience;
    lic_date eff = LIC_DATE_NONE;
    if (e->reason == LIC_TERM_CONVENIENCE) {
        if (!cv->present || (cv->by != LIC_PARTY_EITHER && cv->by != e->party)) {
            eng_reject(g, e, "the agreement gives the %s no right to terminate for convenience",
                       lic_party_role_name(e->party));
            return LIC_DATE_NONE;
        }
        if (cv->not_before.st != LIC_V_ABSENT) {
            lic_date nb = eng_dexpr(g, &cv->not_before, "termination for convenience", NULL);
            if (nb == LIC_DATE_NONE || e->date < nb) {
                eng_reject(g, e, "termination for convenience is not possible before %s",
                           nb == LIC_DATE_NONE ? "its not_before date, which has not come" : eng_date_str(g, nb));
                return LIC_DATE_NONE;
            }
        }
        eff = with_notice(g, e->date, &cv->notice);
    } else if (e->reason == LIC_TERM_BREACH || e->reason == LIC_TERM_CHANGE_OF_CONTROL) {
        const lic_st_right *r = prev_right(g, e->ref);
        if (!r || r->remedy->action != LIC_ACT_TERMINATE || r->since > e->date || r->holder != e->party) {
            eng_reject(g, e, "no right to terminate \"%s\" held by the %s on %s", e->ref,
                       lic_party_role_name(e->party), eng_date_str(g, e->date));
            return LIC_DATE_NONE;
        }
        if (r->until != LIC_DATE_NONE && e->date > r->until) {
            eng_reject(g, e, "right %s could be exercised until %s", r->id, eng_date_str(g, r->until));
            return LIC_DATE_NONE;
        }
        eff = with_notice(g, e->date, &r->remedy->notice);
    } else
        eff = e->date;
    return e->effective != LIC_DATE_NONE ? e->effective : eff;
}

static void consider(eng *g, lic_date notice, lic_date eff, const char *source)
{
    if (g->term_notice == LIC_DATE_NONE || notice < g->term_notice) {
        g->term_notice = notice;
        g->term_eff = eff;
        g->term_source = source;
    }
}

void eng_termination(eng *g)
{
    g->term_notice = g->term_eff = LIC_DATE_NONE;
    g->nrelief = 0;
    ENG_FOR_TYPE(g, LIC_EV_TERMINATION, e)
    {
        if (g->term_notice != LIC_DATE_NONE && g->term_notice <= e->date) {
            eng_reject(g, e, "the agreement was already terminating (notice on %s)", eng_date_str(g, g->term_notice));
            continue;
        }
        lic_date eff = termination_event(g, e);
        if (eff != LIC_DATE_NONE)
            consider(g, e->date, eff, e->id);
    }
    for (size_t i = 0; i < g->nprev_rights; i++) {
        const lic_st_right *r = &g->prev_rights[i];
        if (!r->applied)
            continue;
        if (r->remedy->action == LIC_ACT_TERMINATE)
            consider(g, r->applied_on, with_notice(g, r->applied_on, &r->remedy->notice), r->id);
        if (r->remedy->action == LIC_ACT_EXTEND_DEADLINES && r->remedy->days.st == LIC_V_KNOWN &&
            g->nrelief < 64) {
            g->relief_on[g->nrelief] = r->applied_on;
            g->relief_days[g->nrelief++] = lic_date_add_duration(0, &r->remedy->days.v, g->a->calendar);
        }
    }
    lic_state *s = g->s;
    s->termination_notice = g->term_notice;
    s->termination_effective = g->term_eff;
    s->sell_off_until = LIC_DATE_NONE;
    const lic_duration_v *so = &g->a->termination.sell_off;
    if (g->term_eff != LIC_DATE_NONE && so->st == LIC_V_KNOWN)
        s->sell_off_until = eng_prev(eng_add(g, g->term_eff, &so->v));
}

/* Option exercises: a new grant from the exercise date, and the fee. */
void eng_options(eng *g)
{
    ENG_FOR_TYPE(g, LIC_EV_EXERCISE, e)
    {
        if (!e->option)
            continue;
        size_t i = 0;
        while (i < g->a->noptions && strcmp(g->a->options[i].id, e->option))
            i++;
        if (i == g->a->noptions)
            continue;
        const lic_option *o = &g->a->options[i];
        lic_date from = eng_dexprf(g, &o->window_from, NULL, "option %s window", o->id);
        lic_date until = eng_dexprf(g, &o->window_until, NULL, "option %s window", o->id);
        if (g->opt_exercised[i] != LIC_DATE_NONE)
            eng_reject(g, e, "option %s was already exercised on %s", o->id, eng_date_str(g, g->opt_exercised[i]));
        else if (from == LIC_DATE_NONE || e->date < from)
            eng_reject(g, e, "the window of option %s %s", o->id,
                       from == LIC_DATE_NONE ? "has not opened" : eng_fmt(g, "opens on %s", eng_date_str(g, from)));
        else if (until != LIC_DATE_NONE && e->date > until)
            eng_reject(g, e, "the window of option %s closed on %s", o->id, eng_date_str(g, until));
        else if (g->term_eff != LIC_DATE_NONE && e->date >= g->term_eff)
            eng_reject(g, e, "the agreement had ended");
        else {
            g->opt_exercised[i] = e->date;
            eng_invoice_add(g, eng_fmt(g, "inv:option:%s", o->id), "option", &o->fee, e->date, e->date);
        }
    }
}

/* ---- grants ---- */

typedef struct eng_piece {
    lic_st_grant g;
    size_t grant;               /* index of the agreement grant, or SIZE_MAX */
} piece;

static piece *piece_add(eng *g, piece **v, size_t *n, size_t *cap)
{
    return ENG_PUSH(g, *v, *n, *cap);
}

/* Applies step_down (to) or revert (to < 0) of part to pieces of grant gi. */
static void reshape(eng *g, piece **v, size_t *n, size_t *cap, size_t gi, const lic_scope *part, int to,
                    lic_date on, const char *by)
{
    size_t count = *n;
    for (size_t i = 0; i < count; i++) {
        piece p = (*v)[i];
        if (p.grant != gi || p.g.until < on)
            continue;
        lic_fset pf = part->has_fields ? part->fields : p.g.fields;
        lic_tset pt = part->has_territories ? part->territories : p.g.territories;
        lic_fset inf = lic_fset_intersect(p.g.fields, pf);
        lic_tset intr = lic_tset_intersect(p.g.territories, pt);
        if (lic_fset_is_empty(&inf) || lic_tset_is_empty(&intr))
            continue;
        /* the piece ends the day before; what is left goes on in up to three parts */
        (*v)[i].g.until = on - 1;
        piece rest1 = p, rest2 = p, hit = p;
        rest1.g.fields = lic_fset_diff(p.g.fields, pf);
        rest2.g.fields = inf;
        rest2.g.territories = lic_tset_diff(p.g.territories, pt);
        hit.g.fields = inf;
        hit.g.territories = intr;
        rest1.g.from = rest2.g.from = hit.g.from = on > p.g.from ? on : p.g.from;
        hit.g.changed_by = by;
        hit.g.changed_on = on;
        piece *parts[3] = {&rest1, &rest2, &hit};
        for (int j = 0; j < 3; j++) {
            if (j == 2 && to < 0)
                break;
            if (lic_fset_is_empty(&parts[j]->g.fields) || lic_tset_is_empty(&parts[j]->g.territories))
                continue;
            if (j == 2)
                parts[j]->g.exclusivity = (lic_exclusivity)to;
            piece *x = piece_add(g, v, n, cap);
            if (x)
                *x = *parts[j];
        }
    }
}

static lic_date effect_date(const eng *g, const lic_st_right *r)
{
    return with_notice(g, r->applied_on, &r->remedy->notice);
}

static void apply_rights(eng *g, piece **v, size_t *n, size_t *cap)
{
    /* rights are sorted by since; apply in date order of their effect */
    for (size_t pass = 0; pass < g->s->nrights; pass++) {
        const lic_st_right *r = &g->s->rights[pass];
        const lic_remedy *m = r->remedy;
        if (!r->applied || (m->action != LIC_ACT_STEP_DOWN && m->action != LIC_ACT_REVERT))
            continue;
        lic_date on = effect_date(g, r);
        if (on > g->as_of)
            continue;
        for (size_t gi = 0; gi < g->a->ngrants; gi++)
            if (m->grant_index < 0 || (size_t)m->grant_index == gi)
                reshape(g, v, n, cap, gi, &m->part, m->action == LIC_ACT_REVERT ? -1 : (int)m->to, on, r->id);
    }
}

/* Is a sale on day d in country c and field f covered by some piece (or,
 * during sell-off, by one in force the day before termination)? */
static bool covered(const eng *g, const piece *v, size_t n, lic_date d, int c, int f)
{
    if (g->term_eff != LIC_DATE_NONE && d >= g->term_eff && g->s->sell_off_until != LIC_DATE_NONE &&
        d <= g->s->sell_off_until)
        d = g->term_eff - 1;
    for (size_t i = 0; i < n; i++) {
        const lic_st_grant *p = &v[i].g;
        if (p->from != LIC_DATE_NONE && p->from <= d && (p->until == LIC_DATE_NONE || d <= p->until) &&
            lic_tset_has(&p->territories, c) && (f < 0 || lic_fset_has(&p->fields, f)))
            return true;
    }
    return false;
}

/* The royalty calculator's own answer without pieces (royalty.c). */
static bool covered_or_written(const eng *g, const piece *v, size_t n, lic_date d, int c, int f)
{
    return v ? covered(g, v, n, d, c, f) : lic__roy_written_covers(g->a, d, c, f);
}

bool eng_licensed(eng *g, lic_date d, int country, int field)
{
    bool ok = covered_or_written(g, g->prev_pieces, g->nprev_pieces, d, country, field);
    struct eng_cov *q = g->cov_to_roy ? ENG_PUSH(g, g->roy_cov, g->nroy_cov, g->cap_roy_cov)
                                      : ENG_PUSH(g, g->pass_cov, g->npass_cov, g->cap_pass_cov);
    if (q)
        *q = (struct eng_cov){d, country, field, ok};
    else
        g->oom = LIC_ENOMEM;
    return ok;
}

bool eng_same_cover(const eng *g, const struct eng_cov *q, size_t nq, const piece *v, size_t n)
{
    for (size_t i = 0; i < nq; i++)
        if (covered_or_written(g, v, n, q[i].d, q[i].country, q[i].field) != q[i].ok)
            return false;
    return true;
}

/* FORMAT 2.3: a sale outside every grant raises unlicensed_sale.  Flags
 * are what the state reports, and no pass reads them: only the final
 * pass raises them. */
static void unlicensed_sales(eng *g, const piece *v, size_t n)
{
    for (size_t i = 0; i < g->nlines && g->final_pass; i++) {
        const lic_sale_line *l = g->lines[i].l;
        lic_date d = g->lines[i].date;
        if (l->gross <= 0 || covered(g, v, n, d, l->country, l->field))
            continue;
        char ps[LIC_PERIOD_STRLEN];
        lic_period_str(l->period, ps);
        lic_st_flag *f = ENG_PUSH(g, g->s->flags, g->s->nflags, g->cap_flag);
        if (f)
            *f = (lic_st_flag){"unlicensed_sale", eng_fmt(g, "%s", ps),
                               eng_fmt(g, "country %s%s%s not in any grant in force on %s",
                                       lic_country_code(l->country), l->field >= 0 ? ", field " : "",
                                       l->field >= 0 ? lic_fieldtree_path(g->a->fields, l->field) : "",
                                       eng_date_str(g, d))};
    }
}

void eng_grants(eng *g)
{
    piece *v = NULL;
    size_t n = 0, cap = 0;
    const lic_scope none = {0};
    for (size_t i = 0; i < g->a->ngrants; i++) {
        const lic_grant *gr = &g->a->grants[i];
        piece *x = piece_add(g, &v, &n, &cap);
        if (!x)
            return;
        *x = (piece){{gr->id, gr->scope.fields, gr->scope.territories, gr->exclusivity,
                      lic_grant_first_day(g->a, gr), lic_grant_last_day(g->a, gr), NULL, LIC_DATE_NONE}, i};
    }
    for (size_t i = 0; i < g->a->noptions; i++) {
        const lic_option *o = &g->a->options[i];
        if (g->opt_exercised[i] == LIC_DATE_NONE)
            continue;
        piece *x = piece_add(g, &v, &n, &cap);
        if (x)
            *x = (piece){{o->id, o->scope.fields, o->scope.territories, o->exclusivity, g->opt_exercised[i],
                          g->a->term.ends.st == LIC_V_KNOWN ? g->a->term.ends.v : LIC_DATE_NONE,
                          eng_fmt(g, "option:%s", o->id), g->opt_exercised[i]}, SIZE_MAX};
    }
    const __typeof__(g->a->exclusivity.sunset) *su = &g->a->exclusivity.sunset;
    if (su->present && su->on.st == LIC_V_KNOWN && su->on.v <= g->as_of && su->grant_index >= 0)
        reshape(g, &v, &n, &cap, (size_t)su->grant_index, &none, LIC_EXCL_NON_EXCLUSIVE, su->on.v, "sunset");
    apply_rights(g, &v, &n, &cap);
    for (size_t i = 0; i < n; i++) {
        lic_st_grant *p = &v[i].g;
        if (g->term_eff != LIC_DATE_NONE && (p->until == LIC_DATE_NONE || p->until >= g->term_eff))
            p->until = g->term_eff - 1;
    }
    unlicensed_sales(g, v, n);
    g->pieces = v, g->npieces = n; /* the next pass's royalties read them */
    for (size_t i = 0; i < n; i++) {
        lic_st_grant *p = &v[i].g;
        if (p->from == LIC_DATE_NONE || p->from > g->as_of || (p->until != LIC_DATE_NONE && p->until < g->as_of))
            continue;
        lic_st_grant *x = ENG_PUSH(g, g->s->grants, g->s->ngrants, g->cap_grants);
        if (x)
            *x = *p;
    }
}

/* ---- windows ---- */

/* The first day there is no agreement any more, or LIC_DATE_MAX. */
static lic_date deal_over(const eng *g)
{
    if (g->term_eff != LIC_DATE_NONE)
        return g->term_eff;
    return g->a->term.ends.st == LIC_V_KNOWN ? g->a->term.ends.v + 1 : LIC_DATE_MAX;
}

/* A window that would open once the agreement is over never opens. */
static void window(eng *g, const char *kind, const char *id, lic_date from, lic_date until)
{
    if (from == LIC_DATE_NONE || from >= deal_over(g))
        return;
    lic_st_window *w = ENG_PUSH(g, g->s->windows, g->s->nwindows, g->cap_win);
    if (w)
        *w = (lic_st_window){kind, id, from, until};
    /* the change-of-control right lists its own last day */
    if (until != LIC_DATE_NONE && from <= g->as_of && strcmp(kind, "change_of_control"))
        eng_deadlinef(g, until, "window", id, "%s window %s closes", kind, id);
}

static void renegotiation(eng *g)
{
    for (size_t i = 0; i < g->a->nrenegotiation; i++) {
        const lic_renegotiation *r = &g->a->renegotiation[i];
        if (r->length.st != LIC_V_KNOWN)
            continue;
        const char *id = eng_fmt(g, "renegotiation:%zu", i + 1);
        if (!r->recurring) {
            lic_date from = r->ms_index >= 0 ? g->ms[r->ms_index].achieved : LIC_DATE_NONE;
            window(g, "renegotiation", id, from, eng_prev(eng_add(g, from, &r->length.v)));
            continue;
        }
        if (r->from.st != LIC_V_KNOWN || r->every.st != LIC_V_KNOWN)
            continue;
        /* the window open on the as-of date, or the next one */
        lic_date from = r->from.v;
        for (int k = 0; k < 10000; k++) {
            lic_date until = eng_prev(eng_add(g, from, &r->length.v));
            if (from >= deal_over(g))
                break;
            if (until >= g->as_of) {
                window(g, "renegotiation", id, from, until);
                break;
            }
            lic_date next = eng_add(g, from, &r->every.v);
            if (next <= from)
                break;
            from = next;
        }
    }
}

void eng_windows(eng *g)
{
    for (size_t i = 0; i < g->a->noptions; i++) {
        const lic_option *o = &g->a->options[i];
        lic_date from = eng_dexprf(g, &o->window_from, NULL, "option %s window", o->id);
        lic_date until = eng_dexprf(g, &o->window_until, NULL, "option %s window", o->id);
        if (g->opt_exercised[i] == LIC_DATE_NONE)
            window(g, "option", o->id, from, until);
    }
    renegotiation(g);
    for (size_t i = 0; i < g->s->nrights; i++) {
        const lic_st_right *r = &g->s->rights[i];
        if (!strcmp(r->id, "right:change_of_control") && r->until != LIC_DATE_NONE && !r->applied)
            window(g, "change_of_control", r->id, r->since, r->until);
    }
    const __typeof__(g->a->exclusivity.sunset) *su = &g->a->exclusivity.sunset;
    if (su->present && su->on.st == LIC_V_KNOWN) {
        lic_duration len = {.days = 90};
        if (g->a->nrenegotiation && g->a->renegotiation[0].length.st == LIC_V_KNOWN)
            len = g->a->renegotiation[0].length.v;
        window(g, "sunset", su->grant, su->on.v, eng_prev(eng_add(g, su->on.v, &len)));
    }
}

void eng_finish(eng *g)
{
    lic_state *s = g->s;
    if (g->term_notice != LIC_DATE_NONE && g->term_notice <= g->as_of) {
        if (g->as_of < g->term_eff)
            s->state = LIC_DEAL_TERMINATING;
        else if (s->sell_off_until != LIC_DATE_NONE && g->as_of <= s->sell_off_until)
            s->state = LIC_DEAL_SELL_OFF;
        else
            s->state = LIC_DEAL_TERMINATED;
    } else if (g->a->term.ends.st == LIC_V_KNOWN && g->as_of > g->a->term.ends.v)
        s->state = LIC_DEAL_EXPIRED;
    else
        s->state = LIC_DEAL_ACTIVE;
    if (s->state == LIC_DEAL_TERMINATING)
        eng_deadline(g, g->term_eff, "termination", g->term_source, "termination takes effect");
    for (size_t i = 0; i < s->nrights; i++) {
        const lic_st_right *r = &s->rights[i];
        if (!r->applied || r->remedy->action != LIC_ACT_ROYALTY_INCREASE || r->remedy->add.st != LIC_V_KNOWN)
            continue;
        lic_st_adjustment *x = ENG_PUSH(g, s->adjustments, s->nadjustments, g->cap_adj);
        if (x)
            *x = (lic_st_adjustment){effect_date(g, r), r->remedy->add.v, r->id};
    }
}
