/*
 * engine_pay.c - the pass's invoices that need no royalty arithmetic:
 * upfront, milestone, annual fee, extension, option, sublicense income
 * share, liquidity and assignment fees, remedy fees.  Royalty and minimum
 * invoices come from engine_roy.c; payments are applied to all of them in
 * engine_settle.c.
 */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>

/* An id's hash, a word at a time (FNV-1a a byte at a time was an eighth
 * of the cost of adding an invoice).  Only set membership depends on it. */
static uint64_t id_hash(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xC2B2AE3D27D4EB4FULL;
        h ^= h >> 31;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0x165667B19E3779F9ULL;
    return h ^ (h >> 29);
}

/* A set of the pass's invoice ids twice as big as the ids in it.  The
 * slots keep each id's hash: growing does not hash the ids again, and a
 * probe compares strings only when the hashes are equal. */
static bool grow_ids(eng *g, size_t cap)
{
    struct eng_inv_slot *t = lic__arena_alloc(g->arena, cap * sizeof *t);
    if (!t) {
        g->oom = LIC_ENOMEM;
        return false;
    }
    /* the old slots come along, unless a new pass (no invoice yet) starts
     * the set empty: the last pass's ids are not this one's */
    for (size_t i = 0; g->s->ninvoices && i < g->cap_inv_ids; i++) {
        if (!g->inv_ids[i].id)
            continue;
        size_t k = g->inv_ids[i].h & (cap - 1);
        while (t[k].id)
            k = (k + 1) & (cap - 1);
        t[k] = g->inv_ids[i];
    }
    g->inv_ids = t, g->cap_inv_ids = cap;
    return true;
}

/* Has an invoice of this pass taken `id`?  Records it if not.  Royalty
 * invoices make dozens per agreement: a scan per add was quadratic. */
static bool seen_id(eng *g, const char *id)
{
    /* a new pass starts an empty set as big as the last pass's grew */
    if (g->s->ninvoices == 0 && !grow_ids(g, g->cap_inv_ids < 64 ? 64 : g->cap_inv_ids))
        return true;
    if (2 * (g->s->ninvoices + 1) > g->cap_inv_ids && !grow_ids(g, 2 * g->cap_inv_ids))
        return true;
    uint64_t h = id_hash(id);
    for (size_t k = h & (g->cap_inv_ids - 1);; k = (k + 1) & (g->cap_inv_ids - 1)) {
        struct eng_inv_slot *e = &g->inv_ids[k];
        if (!e->id) {
            *e = (struct eng_inv_slot){id, h};
            return false;
        }
        if (e->h == h && !strcmp(e->id, id))
            return true;
    }
}

/* The id of this pass's invoice named `id` (the pointer the invoice
 * holds), or NULL: payments naming an invoice find it by the pointer. */
const char *eng_invoice_id(const eng *g, const char *id)
{
    if (!id || !g->s->ninvoices || !g->cap_inv_ids)
        return NULL;
    uint64_t h = id_hash(id);
    for (size_t k = h & (g->cap_inv_ids - 1);; k = (k + 1) & (g->cap_inv_ids - 1)) {
        const struct eng_inv_slot *e = &g->inv_ids[k];
        if (!e->id || (e->h == h && !strcmp(e->id, id)))
            return e->id;
    }
}

lic_st_invoice *eng_invoice_add(eng *g, const char *id, const char *kind, const lic_amount_v *amount,
                                lic_date due, lic_date issued)
{
    if (!id || seen_id(g, id))
        return NULL;
    lic_st_invoice *v = ENG_PUSH(g, g->s->invoices, g->s->ninvoices, g->cap_inv);
    if (!v)
        return NULL;
    *v = (lic_st_invoice){.id = id, .kind = kind, .due = due, .paid_on = LIC_DATE_NONE, .issued_on = issued,
                          .known = amount->st == LIC_V_KNOWN, .interest_known = true};
    if (v->known)
        v->amount = amount->v;
    else if (amount->st != LIC_V_ABSENT)
        v->indeterminate = eng_indet(g, eng_fmt(g, "invoice %s amount", id), amount->pos);
    else
        v->known = true; /* no amount written: nothing owed */
    return v;
}

/* The rate from `cur` to the agreement currency on day d: an fx event
 * `on` that day, else the latest whose period holds it. */
static bool fx_on(const eng *g, const lic_currency *cur, lic_date d, lic_rate *out)
{
    bool found = false;
    ENG_FOR_TYPE(g, LIC_EV_FX, e)
    {
        if (e->fx_from != cur || e->fx_to != g->a->currency)
            continue;
        if (!e->has_period && e->on == d) {
            *out = e->rate;
            return true;
        }
        if (e->has_period && lic_period_first(e->period) <= d && d <= lic_period_last(e->period))
            *out = e->rate, found = true;
    }
    return found;
}

/* share x the event's amount, converted on its date when in another currency. */
static void invoice_share(eng *g, const char *id, const char *kind, const lic_rate_v *share,
                          const lic_event *e, lic_date due)
{
    lic_amount_v amt = {.st = share->st, .pos = share->pos};
    lic_amount base = e->amount;
    lic_rate fx;
    if (e->currency != g->a->currency && !fx_on(g, e->currency, e->date, &fx)) {
        eng_reject(g, e, "%s in %s: no fx rate from %s to %s on %s", lic_event_type_name(e->type),
                   e->currency->code, e->currency->code, g->a->currency->code, eng_date_str(g, e->date));
        return;
    }
    if (e->currency != g->a->currency &&
        lic_amount_convert(e->amount, e->currency->digits, fx, g->a->currency->digits, g->a->rounding, &base)) {
        eng_not_computed(g, eng_fmt(g, "invoice %s amount", id), "arithmetic overflow");
        return;
    }
    if (share->st == LIC_V_KNOWN && lic_amount_mul_rate(base, share->v, g->a->rounding, &amt.v)) {
        eng_not_computed(g, eng_fmt(g, "invoice %s amount", id), "arithmetic overflow");
        return;
    }
    eng_invoice_add(g, id, kind, &amt, due, e->date);
}

static void upfront(eng *g)
{
    const lic_payments *p = &g->a->payments;
    if (!p->upfront.present)
        return;
    lic_date due = eng_dexpr(g, &p->upfront.due, "upfront payment due", NULL);
    if (p->upfront.due.st == LIC_V_ABSENT)
        due = g->a->effective.v;
    eng_invoice_add(g, "inv:upfront", "upfront", &p->upfront.amount, due, g->a->effective.v);
}

static lic_amount_v fee_for_year(const lic_payments *p, int k)
{
    if (!p->annual_fee.nschedule)
        return p->annual_fee.amount;
    lic_amount_v best = {.st = LIC_V_ABSENT};
    for (size_t i = 0; i < p->annual_fee.nschedule; i++) {
        const struct lic_fee_step *s = &p->annual_fee.schedule[i];
        if (s->year == k || (s->from_year && s->from_year <= k))
            best = s->amount;
    }
    return best;
}

static void annual_fees(eng *g)
{
    const lic_payments *p = &g->a->payments;
    if (!p->annual_fee.present)
        return;
    lic_date first = eng_dexpr(g, &p->annual_fee.first_due, "annual fees", NULL);
    if (p->annual_fee.first_due.st == LIC_V_ABSENT)
        first = lic_date_add_years(g->a->effective.v, 1);
    lic_date until = g->a->term.ends.st == LIC_V_KNOWN ? g->a->term.ends.v : LIC_DATE_MAX;
    if (p->annual_fee.until == LIC_UNTIL_FCS && g->fcs != LIC_DATE_NONE)
        until = g->fcs - 1;
    else if (p->annual_fee.until == LIC_UNTIL_DATE && p->annual_fee.until_date.st == LIC_V_KNOWN)
        until = p->annual_fee.until_date.v;
    if (g->term_eff != LIC_DATE_NONE && g->term_eff - 1 < until)
        until = g->term_eff - 1;
    for (int k = 1; first != LIC_DATE_NONE && k < 200 && !g->oom; k++) {
        lic_date due = lic_date_add_years(first, k - 1);
        if (due > until)
            break;
        int y, m, d;
        lic_date_to_ymd(due, &y, &m, &d);
        const char *id = eng_fmt(g, "inv:annual_fee:%d", y);
        if (due > g->as_of) { /* not invoiced yet, but coming */
            eng_deadline(g, due, "invoice", id, eng_fmt(g, "annual fee %d due", y));
            break;
        }
        lic_amount_v amt = fee_for_year(p, k);
        eng_invoice_add(g, id, "annual_fee", &amt, due, due);
    }
}

/* The share of sublicense income at the sublicense's signing. */
static const lic_rate_v *sublicense_share(eng *g, const lic_event *inc)
{
    const lic_payments *p = &g->a->payments;
    lic_date signed_on = inc->date;
    ENG_FOR_TYPE(g, LIC_EV_SUBLICENSE, e)
        if (!strcmp(e->id, inc->ref))
            signed_on = e->date;
    for (size_t i = 0; i < p->sublicense_income.nshares; i++) {
        const struct lic_share_step *s = &p->sublicense_income.shares[i];
        if (!s->before)
            return &s->share;
        lic_date ach = s->ms_index >= 0 ? g->ms[s->ms_index].achieved : LIC_DATE_NONE;
        if (ach == LIC_DATE_NONE || ach > signed_on)
            return &s->share;
    }
    return NULL;
}

static void event_invoices(eng *g)
{
    const lic_payments *p = &g->a->payments;
    /* in date order across the three types (the invoices' order): most
     * deals have none of them, and then the events need no reading */
    if (!g->nbt[LIC_EV_SUBLICENSE_INCOME] && !g->nbt[LIC_EV_LIQUIDITY_EVENT] && !g->nbt[LIC_EV_ASSIGNMENT])
        return;
    for (size_t k = 0; k < g->ne && !g->oom; k++) {
        const lic_event *e = g->e[k];
        if (e->type == LIC_EV_SUBLICENSE_INCOME && p->sublicense_income.present &&
            (p->sublicense_income.kinds & e->income_kind)) {
            const lic_rate_v *share = sublicense_share(g, e);
            lic_date due = p->sublicense_income.due.st == LIC_V_KNOWN
                               ? eng_add(g, e->date, &p->sublicense_income.due.v) : e->date;
            if (share)
                invoice_share(g, eng_fmt(g, "inv:sublicense:%s", e->id), "sublicense", share, e, due);
        }
        const lic_fee_rule *fr = e->type == LIC_EV_LIQUIDITY_EVENT ? &p->liquidity_event
                               : e->type == LIC_EV_ASSIGNMENT    ? &p->assignment : NULL;
        if (fr && fr->present) {
            lic_date due = fr->due.st == LIC_V_KNOWN ? eng_add(g, e->date, &fr->due.v) : e->date;
            invoice_share(g, eng_fmt(g, "inv:fee:%s:%s", lic_event_type_name(e->type), e->id), "fee",
                          &fr->share, e, due);
        }
    }
}

/* Fees that applied rights of the previous pass impose. */
static void remedy_fees(eng *g)
{
    for (size_t i = 0; i < g->nprev_rights; i++) {
        const lic_st_right *r = &g->prev_rights[i];
        if (r->applied && r->remedy->action == LIC_ACT_FEE)
            eng_invoice_add(g, eng_fmt(g, "inv:fee:%s", r->id), "fee", &r->remedy->amount, r->applied_on,
                            r->applied_on);
    }
}

void eng_invoices(eng *g)
{
    upfront(g);
    annual_fees(g);
    eng_royalties(g);
    event_invoices(g);
    remedy_fees(g);
}
