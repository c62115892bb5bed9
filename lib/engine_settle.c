/*
 * engine_settle.c - payments applied to the pass's invoices, and what
 * follows from them: the credits that depend on what was paid, interest,
 * statuses, the balance and the payment breaches of unpaid invoices.
 *
 * Payments, in date order: a payment naming an invoice goes to it first;
 * the rest, and unnamed payments, go to the open invoices issued by the
 * payment's date, earliest due first (then by id); what is left is a
 * credit, used for invoices issued later, each on its issue day.
 * milestone_cap is applied to milestone invoices in due order first: the
 * one that crosses it is reduced.
 *
 * Two amounts depend on what was paid before an invoice is issued, so the
 * invoices they decide wait ("pending") until every payment dated before
 * their issue day has been applied, and are finished then, in issue order:
 * - a creditable annual fee counts as paid: royalty invoice of royalty
 *   year y is reduced by what was paid on inv:annual_fee:y before the day
 *   it was issued, less what the year's earlier royalty invoices took;
 * - a true_up minimum credited on paid royalties (`credit: paid`) is the
 *   minimum less the royalties paid in the year: what payments and credits
 *   paid on royalty invoices on days of the year, and the annual fee
 *   credited to royalty invoices issued in it.  It is invoiced the day
 *   after the year ends, and only when short.
 * A pending invoice takes no payment.  Payments naming it made before it
 * is issued (paid ahead) are applied when it is finished; what is left of
 * them is a credit.
 */
#include "engine_int.h"

#include <string.h>

/* The pass's invoices being paid. */
typedef struct settle {
    lic_st_invoice **v;   /* by due date, then id; room for the minimums to come */
    size_t n, open;       /* v[0..open) can take no more payments */
    lic_amount credit;    /* paid beyond every invoice so far */
    lic_st_invoice **pend; /* pending royalty invoices, by issue day */
    size_t npend, at_pend, at_min; /* the next pending invoice, the next minimum */
    size_t at_stmt;       /* where statement_of looks first */
    int fee_year;         /* the royalty year of fee and fee_used (INT32_MIN: none yet) */
    lic_st_invoice *fee;  /* its annual fee invoice, or NULL */
    lic_amount fee_used;  /* what its royalty invoices took of the fee */
    const lic_event **ahead; /* payments waiting for a pending invoice they name */
    size_t nahead;
} settle;

/* The statuses given before payments are applied; payments compare the
 * pointers, not the words. */
static const char waived_status[] = "waived";
static const char pending_status[] = "pending";

static int by_due(const void *x, const void *y)
{
    const lic_st_invoice *a = *(lic_st_invoice *const *)x, *b = *(lic_st_invoice *const *)y;
    if (a->due != b->due)
        return a->due < b->due ? -1 : 1;
    return strcmp(a->id, b->id);
}

static int by_issue(const void *x, const void *y)
{
    const lic_st_invoice *a = *(lic_st_invoice *const *)x, *b = *(lic_st_invoice *const *)y;
    return a->issued_on != b->issued_on ? (a->issued_on < b->issued_on ? -1 : 1) : by_due(x, y);
}

static void milestone_cap(eng *g, lic_st_invoice **v, size_t n)
{
    const lic_amount_v *cap = &g->a->payments.milestone_cap;
    if (cap->st != LIC_V_KNOWN)
        return;
    lic_amount total = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i]->kind, "milestone") || !v[i]->known)
            continue;
        lic_amount room = cap->v - total > 0 ? cap->v - total : 0;
        if (v[i]->amount > room)
            v[i]->amount = room;
        total += v[i]->amount;
    }
}

static lic_amount apply(eng *g, lic_st_invoice *v, lic_amount amt, lic_date on)
{
    lic_amount take = v->amount - v->paid < amt ? v->amount - v->paid : amt;
    if (take <= 0)
        return amt;
    struct eng_app *a = ENG_PUSH(g, g->apps, g->napps, g->cap_apps);
    if (a)
        *a = (struct eng_app){v, on, take};
    v->paid += take;
    if (v->paid == v->amount && v->paid_on == LIC_DATE_NONE)
        v->paid_on = on;
    return amt - take;
}

static bool payable(const lic_st_invoice *v, lic_date on)
{
    return v->known && v->status != waived_status && v->status != pending_status &&
           v->issued_on != LIC_DATE_NONE && v->issued_on <= on;
}

/* Pays open invoices issued by `on`, earliest due first, from `amt`. */
static lic_amount pay_oldest(eng *g, settle *s, lic_amount amt, lic_date on)
{
    for (size_t i = s->open; i < s->n && amt > 0; i++)
        if (payable(s->v[i], on))
            amt = apply(g, s->v[i], amt, on);
    return amt;
}

/* The credit goes to each invoice issued by `until` on the day it was
 * issued, in issue order. */
static void use_credit(eng *g, settle *s, size_t from, lic_date until)
{
    while (s->credit > 0) {
        lic_st_invoice *next = NULL;
        for (size_t i = from; i < s->n; i++)
            if (payable(s->v[i], until) && s->v[i]->paid < s->v[i]->amount &&
                (!next || s->v[i]->issued_on < next->issued_on))
                next = s->v[i];
        if (!next)
            break;
        s->credit = apply(g, next, s->credit, next->issued_on);
    }
}

/* Can no payment go to v any more (unknown, waived or paid in full)? */
static bool settled(const lic_st_invoice *v)
{
    return !v->known || v->status == waived_status || (v->status != pending_status && v->paid >= v->amount);
}

/* ---- pending invoices ---- */

/* The statement that invoices v.  Statements are in period order and
 * pending invoices are finished in issue order, mostly the same: the
 * search starts where the last one was found. */
static lic_st_statement *statement_of(const eng *g, settle *s, const lic_st_invoice *v)
{
    size_t n = g->s->nstatements;
    for (size_t k = 0; k < n; k++) {
        size_t i = (s->at_stmt + k) % n;
        if (g->s->statements[i].invoice == v->id) {
            s->at_stmt = i + 1;
            return &g->s->statements[i];
        }
    }
    return NULL;
}

/* The annual fee credited to the royalty invoices of year y (any y when
 * y is INT32_MIN) issued from `from` to `to`. */
static __int128 fee_credited(const eng *g, int y, lic_date from, lic_date to)
{
    __int128 sum = 0;
    for (size_t i = 0; i < g->s->nstatements; i++) {
        const lic_st_statement *x = &g->s->statements[i];
        if ((y != INT32_MIN && x->st->year != y) || x->report->date < from || x->report->date > to)
            continue;
        for (size_t k = 0; k < x->ncredits; k++)
            if (!strcmp(x->credits[k].kind, "annual_fee"))
                sum += x->credits[k].amount;
    }
    return sum;
}

/* Makes s->fee and s->fee_used those of royalty year y. */
static void fee_of_year(eng *g, settle *s, int y)
{
    if (s->fee_year == y)
        return;
    s->fee_year = y;
    s->fee = NULL;
    s->fee_used = (lic_amount)fee_credited(g, y, LIC_DATE_MIN, LIC_DATE_MAX); /* <= the fee */
    const char *id = eng_invoice_id(g, eng_fmt(g, "inv:annual_fee:%d", y));
    for (size_t i = 0; id && i < s->n && !s->fee; i++)
        if (s->v[i]->id == id)
            s->fee = s->v[i];
}

/* Applies the payments that named invoice v (`id`) before it was issued. */
static void paid_ahead(eng *g, settle *s, lic_st_invoice *v, const char *id)
{
    for (size_t i = 0; i < s->nahead; i++) {
        const lic_event *e = s->ahead[i];
        if (e->date < v->issued_on && !strcmp(e->ref, id))
            s->credit += v->status == waived_status ? e->amount : apply(g, v, e->amount, e->date);
    }
}

/* A royalty invoice: the year's annual fee paid before it was issued, and
 * not yet credited, reduces it.  Every payment applied so far is dated
 * before its issue day (finish_pending), so that is what the fee's `paid`
 * holds now. */
static void finish_royalty(eng *g, settle *s, lic_st_invoice *r)
{
    r->status = "open";
    lic_st_statement *x = statement_of(g, s, r);
    if (x)
        fee_of_year(g, s, x->st->year);
    if (x && s->fee) {
        lic_amount left = s->fee->paid - s->fee_used;
        lic_amount use = left < r->amount ? left : r->amount;
        if (use > 0 && x->ncredits < sizeof x->credits / sizeof *x->credits) {
            x->credits[x->ncredits++] = (lic_st_credit){"annual_fee", s->fee->id, use};
            x->total_due -= use;
            r->amount -= use;
            s->fee_used += use;
        }
    }
    paid_ahead(g, s, r, r->id);
}

/* Inserts a new invoice into s->v in due order. */
static void insert(settle *s, lic_st_invoice *v)
{
    size_t at = s->n;
    while (at > 0 && by_due(&s->v[at - 1], &v) > 0)
        at--;
    memmove(s->v + at + 1, s->v + at, (s->n - at) * sizeof *s->v);
    s->v[at] = v;
    s->n++;
    if (at < s->open)
        s->open = at;
}

/* A minimum credited on paid royalties: invoiced for its shortfall. */
static void finish_minimum(eng *g, settle *s, const struct eng_min_paid *m)
{
    __int128 paid = fee_credited(g, INT32_MIN, m->first, m->last);
    for (size_t i = 0; i < g->napps; i++)
        if (g->apps[i].on >= m->first && g->apps[i].on <= m->last && !strcmp(g->apps[i].inv->kind, "royalty"))
            paid += g->apps[i].amount;
    lic_amount_v amt = {.st = LIC_V_KNOWN, .v = m->minimum > paid ? (lic_amount)(m->minimum - paid) : 0};
    lic_st_invoice *v = amt.v ? eng_invoice_add(g, m->id, "minimum", &amt, m->due, m->last + 1) : NULL;
    if (!v) { /* no shortfall: what was paid ahead for it is a credit */
        for (size_t i = 0; i < s->nahead; i++)
            if (s->ahead[i]->date <= m->last && !strcmp(s->ahead[i]->ref, m->id))
                s->credit += s->ahead[i]->amount;
        return;
    }
    v->status = eng_waived(g, v->id) != LIC_DATE_NONE ? waived_status : "open";
    insert(s, v);
    paid_ahead(g, s, v, m->id);
}

/* Finishes the pending invoices and minimums issued by `until`, in issue
 * order, each once every credit dated before its issue day is applied. */
static void finish_pending(eng *g, settle *s, lic_date until)
{
    for (;;) {
        while (s->at_pend < s->npend && s->pend[s->at_pend]->status != pending_status)
            s->at_pend++;
        lic_st_invoice *r = s->at_pend < s->npend ? s->pend[s->at_pend] : NULL;
        const struct eng_min_paid *m = s->at_min < g->nmin_paid ? &g->min_paid[s->at_min] : NULL;
        lic_date rd = r ? r->issued_on : LIC_DATE_MAX, md = m ? m->last + 1 : LIC_DATE_MAX;
        lic_date d = rd < md ? rd : md;
        if (d == LIC_DATE_MAX || d > until)
            return;
        use_credit(g, s, s->open, d - 1);
        if (rd <= md)
            finish_royalty(g, s, r);
        else {
            finish_minimum(g, s, m);
            s->at_min++;
        }
    }
}

/* A payment naming an invoice still pending, or a minimum not invoiced
 * yet: it is applied when that invoice is finished. */
static bool named_ahead(const eng *g, const settle *s, const lic_event *e, const char *id)
{
    for (size_t i = s->at_pend; id && i < s->npend; i++)
        if (s->pend[i]->id == id && s->pend[i]->status == pending_status)
            return true;
    for (size_t i = s->at_min; i < g->nmin_paid; i++)
        if (!strcmp(g->min_paid[i].id, e->ref) && e->date <= g->min_paid[i].last)
            return true;
    return false;
}

/* ---- payments ---- */

static void payments(eng *g, settle *s)
{
    for (size_t k = 0; k < g->nbt[LIC_EV_PAYMENT]; k++) {
        const lic_event *e = g->bt[LIC_EV_PAYMENT][k];
        finish_pending(g, s, e->date);
        while (s->open < s->n && settled(s->v[s->open]))
            s->open++;
        use_credit(g, s, s->open, e->date);
        lic_amount left = e->amount;
        if (e->ref) {
            const char *id = eng_invoice_id(g, e->ref);
            if (named_ahead(g, s, e, id)) {
                s->ahead[s->nahead++] = e;
                continue;
            }
            size_t i = 0;
            while (i < s->n && s->v[i]->id != id)
                i++;
            if (i == s->n || !payable(s->v[i], LIC_DATE_MAX)) { /* a named invoice may be paid ahead */
                eng_reject(g, e, "unknown invoice \"%s\" (no such invoice on %s)", e->ref,
                           eng_date_str(g, e->date));
                continue;
            }
            left = apply(g, s->v[i], left, e->date);
        }
        s->credit += pay_oldest(g, s, left, e->date);
    }
    finish_pending(g, s, LIC_DATE_MAX);
    use_credit(g, s, 0, g->as_of);
    g->s->balance.credit = s->credit;
}

/* Royalty invoices that wait for the annual fee's payments. */
static bool fee_pending(const eng *g, const lic_st_invoice *v)
{
    const lic_payments *p = &g->a->payments;
    return p->annual_fee.present && p->annual_fee.creditable && v->known && !strcmp(v->kind, "royalty");
}

/* The invoices by due date, with room for the minimums to come, and the
 * pending ones by issue day; false when out of memory. */
static bool prepare(eng *g, settle *s)
{
    size_t n = g->s->ninvoices, room = n + g->nmin_paid;
    while (g->cap_inv < room) /* so that new invoices do not move the others */
        if (!eng_grow(g, (void **)&g->s->invoices, &g->cap_inv, sizeof *g->s->invoices, n))
            return false;
    size_t np = g->nbt[LIC_EV_PAYMENT];
    *s = (settle){.v = lic__arena_alloc(g->arena, (room ? room : 1) * sizeof *s->v), .n = n,
                  .pend = lic__arena_alloc(g->arena, (n ? n : 1) * sizeof *s->pend),
                  .fee_year = INT32_MIN,
                  .ahead = lic__arena_alloc(g->arena, (np ? np : 1) * sizeof *s->ahead)};
    if (!s->v || !s->pend || !s->ahead)
        return false;
    for (size_t i = 0; i < n; i++) {
        lic_st_invoice *v = s->v[i] = &g->s->invoices[i];
        v->status = eng_waived(g, v->id) != LIC_DATE_NONE ? waived_status
                    : fee_pending(g, v)                   ? pending_status
                                                          : "open";
        if (v->status == pending_status)
            s->pend[s->npend++] = v;
    }
    eng_sort(s->v, n, sizeof *s->v, by_due); /* invoice ids are distinct */
    eng_sort(s->pend, s->npend, sizeof *s->pend, by_issue);
    return true;
}

static bool waived_after_due(eng *g, const lic_st_invoice *v)
{
    lic_date w = eng_waived(g, v->id);
    return w != LIC_DATE_NONE && w > v->due;
}

/* After every invoice of the pass exists: cap, waivers, payments, interest,
 * statuses, balance and payment breaches. */
void eng_invoices_settle(eng *g)
{
    settle s;
    if (!prepare(g, &s)) {
        g->oom = LIC_ENOMEM;
        return;
    }
    milestone_cap(g, s.v, s.n);
    payments(g, &s);
    g->s->balance.known = g->s->balance.overdue_known = true;
    for (size_t i = 0; i < s.n; i++) {
        lic_st_invoice *x = s.v[i];
        if (!x->known || x->due == LIC_DATE_NONE) {
            g->s->balance.known = false;
            if (x->due == LIC_DATE_NONE || x->due < g->as_of) {
                g->s->balance.overdue_known = false;
                x->interest_known = false;
            }
            if (x->due != LIC_DATE_NONE && strcmp(x->status, "waived"))
                x->status = x->due < g->as_of ? "overdue" : "open";
            eng_deadlinef(g, x->due, "invoice", x->id, "invoice %s due", x->id);
            continue;
        }
        if (!strcmp(x->status, "waived")) {
            /* waived after it fell due: the payment breach stays, waived */
            if (x->due < g->as_of && waived_after_due(g, x))
                eng_breach_add(g, x->id, "payment", LIC_PARTY_LICENSEE, x->due + 1, LIC_DATE_NONE);
            continue;
        }
        eng_interest(g, x);
        lic_amount open = x->amount - x->paid;
        x->status = open == 0 ? "paid" : x->due < g->as_of ? "overdue" : "open";
        g->s->balance.open += open;
        if (x->due < g->as_of)
            g->s->balance.overdue += open;
        g->s->balance.interest += x->interest;
        if (open > 0)
            eng_deadlinef(g, x->due, "invoice", x->id, "invoice %s due", x->id);
        if (x->due < g->as_of && (x->paid_on == LIC_DATE_NONE || x->paid_on > x->due) && x->amount > 0)
            eng_breach_add(g, x->id, "payment", LIC_PARTY_LICENSEE, x->due + 1, x->paid_on);
    }
}
