/*
 * royalty.c - the royalty calculator's front half: a sales line in, summed
 * into the bucket of its statement line (FORMAT 2.3).
 *
 * For each line: net sales = gross - min(deductions, cap x gross), converted
 * to the agreement currency and rounded, per line; the line is licensed or
 * not (env->covered, else the written grants); the first schedule whose
 * scope (fields, territories, products) matches applies; the royalty term
 * of its country says whether it bears royalty, at a stepped-down rate, or
 * is fully paid; adjustments in force on the line's date add to the rate.
 * Lines that share all of that share a bucket.  royalty_close.c turns the
 * buckets into a statement.
 */
#include "royalty_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licet/territory.h"

const char *lic_roy_status_name(lic_roy_status s)
{
    static const char *const names[] = {"due", "fully_paid", "unlicensed", "no_schedule"};
    return names[s];
}

lic_date lic_roy_year_start(const lic_agreement *a, lic_date d)
{
    int y, m, dd;
    lic_date_to_ymd(d, &y, &m, &dd);
    if (!a->payments.royalties.agreement_year || a->effective.st != LIC_V_KNOWN)
        return lic_date_from_ymd(y, 1, 1);
    /* the anniversary of the effective date on or before d */
    int ey, em, ed;
    lic_date_to_ymd(a->effective.v, &ey, &em, &ed);
    lic_date s = lic_date_add_years(a->effective.v, y - ey);
    if (s > d)
        s = lic_date_add_years(a->effective.v, y - ey - 1);
    return s;
}

static int cmp_adj(const void *x, const void *y)
{
    const lic_roy_adj *a = x, *b = y;
    return (a->since > b->since) - (a->since < b->since);
}

/* The remedies' increases plus the milestone adjustments in force. */
static lic_err collect_adjustments(lic_roy *r)
{
    const lic_royalties *ro = &r->a->payments.royalties;
    size_t n = r->env.nadj + ro->nadjustments;
    r->adj = lic__arena_alloc(&r->arena, (n ? n : 1) * sizeof *r->adj);
    if (!r->adj)
        return LIC_ENOMEM;
    for (size_t i = 0; i < r->env.nadj; i++)
        r->adj[r->nadj++] = r->env.adj[i];
    for (size_t i = 0; i < ro->nadjustments; i++) {
        const struct lic_adjustment *x = &ro->adjustments[i];
        lic_date on = r->env.ms_achieved && x->ms_index >= 0 ? r->env.ms_achieved[x->ms_index] : LIC_DATE_NONE;
        if (on == LIC_DATE_NONE)
            continue;
        if (x->add.st != LIC_V_KNOWN) {
            lic_err rc = roy_indet(r, "royalty adjustments", x->add.pos);
            if (rc)
                return rc;
            continue;
        }
        r->adj[r->nadj++] = (lic_roy_adj){on, x->add.v};
    }
    qsort(r->adj, r->nadj, sizeof *r->adj, cmp_adj);
    return LIC_OK;
}

lic_err lic_roy_new(const lic_agreement *a, const lic_roy_env *env, lic_roy **out)
{
    *out = NULL;
    lic_roy *r = lic__calloc(1, sizeof *r);
    if (!r)
        return LIC_ENOMEM;
    lic__arena_init(&r->arena);
    r->a = a;
    if (env)
        r->env = *env;
    r->year = INT32_MIN;
    r->nhash = 64;
    size_t ns = a->payments.royalties.nschedules;
    r->hash = lic__malloc(r->nhash * sizeof *r->hash);
    for (size_t i = 0; r->hash && i < r->nhash; i++)
        r->hash[i] = -1;
    r->total = lic__calloc(ns ? ns : 1, sizeof *r->total);
    r->fixed_extra = lic__calloc(ns ? ns : 1, sizeof *r->fixed_extra);
    for (int i = 0; i < 256; i++)
        r->first_sale[i] = LIC_DATE_NONE;
    lic_err rc = r->hash && r->total && r->fixed_extra ? collect_adjustments(r) : LIC_ENOMEM;
    if (rc) {
        lic_roy_free(r);
        return rc;
    }
    *out = r;
    return LIC_OK;
}

void lic_roy_free(lic_roy *r)
{
    if (!r)
        return;
    lic__free(r->hash);
    lic__free(r->pool);
    lic__free(r->products);
    lic__free(r->total);
    lic__free(r->fixed_extra);
    lic__free(r->past);
    lic__free(r->carry);
    lic__free(r->flags);
    lic__free(r->indet);
    lic__arena_fini(&r->arena);
    lic__free(r);
}

bool roy_grow(void **list, size_t *cap, size_t elem, size_t first)
{
    size_t nc = *cap ? 2 * *cap : first;
    void *p = lic__realloc(*list, nc * elem);
    if (!p)
        return false;
    *list = p, *cap = nc;
    return true;
}

/* Records a flag or an indeterminate term for the open period (once). */
lic_err roy_note(lic_roy *r, bool flag, const char *kind, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    lic_roy_note **list = flag ? &r->flags : &r->indet;
    size_t *n = flag ? &r->nflags : &r->nindet, *cap = flag ? &r->cap_flags : &r->cap_indet;
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*list)[i].kind, kind) && !strcmp((*list)[i].detail, buf))
            return LIC_OK;
    if (!ROY_ROOM(*list, *n, *cap, 8))
        return LIC_ENOMEM;
    char *k = lic__arena_strdup(&r->arena, kind), *d = lic__arena_strdup(&r->arena, buf);
    if (!k || !d)
        return LIC_ENOMEM;
    (*list)[(*n)++] = (lic_roy_note){k, d};
    return LIC_OK;
}

lic_err roy_indet(lic_roy *r, const char *what, lic_pos pos)
{
    const lic_missing *m = lic_agreement_missing_at(r->a, pos);
    return roy_note(r, false, what, "%s", m ? m->path : "?");
}

static const char *intern(lic_roy *r, const char *s)
{
    if (!s)
        return NULL;
    for (size_t i = r->nproducts; i-- > 0;)
        if (!strcmp(r->products[i], s))
            return r->products[i];
    if (!ROY_ROOM(r->products, r->nproducts, r->cap_products, 8))
        return NULL;
    char *c = lic__arena_strdup(&r->arena, s);
    if (c)
        r->products[r->nproducts++] = c;
    return c;
}

static bool in_scope(const lic_scope *w, const lic_strlist *products, const lic_sale_line *l)
{
    if (w->has_territories && !lic_tset_has(&w->territories, l->country))
        return false;
    if (w->has_fields && l->field >= 0 && !lic_fset_has(&w->fields, l->field))
        return false;
    if (products && products->n) {
        if (!l->product)
            return false;
        for (size_t i = 0; i < products->n; i++)
            if (!strcmp(products->v[i], l->product))
                return true;
        return false;
    }
    return true;
}

bool lic__roy_written_covers(const lic_agreement *a, lic_date d, int country, int field)
{
    const lic_sale_line l = {.country = country, .field = field};
    for (size_t i = 0; i < a->ngrants; i++) {
        const lic_grant *g = &a->grants[i];
        lic_date from = lic_grant_first_day(a, g), until = lic_grant_last_day(a, g);
        if (from != LIC_DATE_NONE && from <= d && (until == LIC_DATE_NONE || d <= until) &&
            in_scope(&g->scope, NULL, &l))
            return true;
    }
    return false;
}

static lic_date line_day(const lic_sale_line *l)
{
    return l->date != LIC_DATE_NONE ? l->date : lic_period_last(l->period);
}

/* Converts an amount of the line's currency; false when there is no rate. */
static bool convert(lic_roy *r, const lic_sale_line *l, lic_amount v, lic_amount *out)
{
    if (l->currency == r->a->currency) {
        *out = v;
        return true;
    }
    lic_rate rate;
    if (!r->env.fx || !r->env.fx(r->env.u, l->currency, l->period, &rate)) {
        char ps[LIC_PERIOD_STRLEN];
        lic_period_str(l->period, ps);
        r->err = r->err ? r->err : roy_note(r, false, "net sales", "fx:%s/%s:%s", l->currency->code,
                                            r->a->currency->code, ps);
        return false;
    }
    lic_err rc = lic_amount_convert(v, l->currency->digits, rate, r->a->currency->digits, r->a->rounding, out);
    if (rc && !r->err)
        r->err = rc;
    /* the report's own rate more than 2% from the ledger's: |own - rate| x 50 > rate */
    __int128 diff = (__int128)l->fx_rate - rate;
    if (l->fx_rate && (diff < 0 ? -diff : diff) * 50 > rate && !r->err) {
        char own[48], led[48];
        lic_rate_format_decimal(l->fx_rate, own, sizeof own);
        lic_rate_format_decimal(rate, led, sizeof led);
        r->err = roy_note(r, true, "fx_rate_differs", "%s/%s: the report's rate %s is more than 2%% from the ledger's %s",
                          l->currency->code, r->a->currency->code, own, led);
    }
    return !rc;
}

static size_t bucket_hash(const roy_bucket *k)
{
    uint64_t h = (uint64_t)(k->sched + 1) * 0x9E3779B97F4A7C15ULL;
    h ^= (uint64_t)k->country * 0xC2B2AE3D27D4EB4FULL;
    h ^= (uint64_t)(uintptr_t)k->product * 0x165667B19E3779F9ULL;
    h ^= (uint64_t)k->add * 31 + (uint64_t)k->factor * 17 + (uint64_t)k->status;
    return (size_t)(h ^ (h >> 29));
}

static bool same_key(const roy_bucket *a, const roy_bucket *b)
{
    return a->sched == b->sched && a->country == b->country && a->product == b->product &&
           a->add == b->add && a->factor == b->factor && a->status == b->status;
}

static lic_err rehash(lic_roy *r)
{
    size_t n = r->nhash * 4;
    int *h = lic__malloc(n * sizeof *h);
    if (!h)
        return LIC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        h[i] = -1;
    for (size_t i = 0; i < r->nbuckets; i++) {
        size_t k = bucket_hash(&r->pool[i]) & (n - 1);
        r->pool[i].next = h[k];
        h[k] = (int)i;
    }
    lic__free(r->hash);
    r->hash = h, r->nhash = n;
    return LIC_OK;
}

/* The open period's bucket for key k, created empty when new. */
static roy_bucket *bucket(lic_roy *r, const roy_bucket *k)
{
    size_t slot = bucket_hash(k) & (r->nhash - 1);
    for (int i = r->hash[slot]; i >= 0; i = r->pool[i].next)
        if (same_key(&r->pool[i], k))
            return &r->pool[i];
    if (!ROY_ROOM(r->pool, r->nbuckets, r->cap_buckets, 16))
        return NULL;
    roy_bucket *b = &r->pool[r->nbuckets];
    *b = *k;
    b->next = r->hash[slot];
    r->hash[slot] = (int)r->nbuckets++;
    if (r->nbuckets > r->nhash && rehash(r))
        return NULL;
    return &r->pool[r->nbuckets - 1];
}

static int schedule_of(const lic_roy *r, const lic_sale_line *l)
{
    const lic_royalties *ro = &r->a->payments.royalties;
    for (size_t i = 0; i < ro->nschedules; i++)
        if (in_scope(&ro->schedules[i].scope, &ro->schedules[i].products, l))
            return (int)i;
    return -1;
}

static lic_rate adjustments_on(const lic_roy *r, lic_date d)
{
    lic_rate add = 0;
    for (size_t i = 0; i < r->nadj && r->adj[i].since <= d; i++)
        add += r->adj[i].add; /* rates are < 10^13 each: no overflow in practice */
    return add;
}

/* Status, schedule, step-down factor and adjustments of a line. */
static void classify(lic_roy *r, const lic_sale_line *l, lic_date d, roy_bucket *k)
{
    bool ok = r->env.covered ? r->env.covered(r->env.u, d, l->country, l->field)
                             : lic__roy_written_covers(r->a, d, l->country, l->field);
    k->factor = LIC_RATE_ONE;
    k->sched = -1;
    k->status = ok ? LIC_ROY_DUE : LIC_ROY_UNLICENSED;
    if (!ok)
        return;
    const roy_term *t = roy_term_of(r, l->country);
    if (t->last_day != LIC_DATE_NONE && d > t->last_day) {
        k->status = r->a->payments.royalties.term.after_term_ends ? LIC_ROY_UNLICENSED : LIC_ROY_FULLY_PAID;
        return;
    }
    k->sched = schedule_of(r, l);
    if (k->sched < 0) {
        k->status = LIC_ROY_NO_SCHEDULE;
        return;
    }
    const lic_rate_v *f = &r->a->payments.royalties.term.step_down.rate_factor;
    if (t->step_from != LIC_DATE_NONE && d >= t->step_from) {
        if (f->st == LIC_V_KNOWN)
            k->factor = f->v;
        else if (!r->err)
            r->err = roy_indet(r, "royalty step-down", f->pos);
    }
    if (!r->a->payments.royalties.base_units) /* per_unit bands take no rate adjustment */
        k->add = adjustments_on(r, d);
}

/* gross x cap, the most that may be deducted; -1 when unlimited. */
static lic_amount deduction_cap(lic_roy *r, const lic_sale_line *l)
{
    const lic_rate_v *cap = &r->a->payments.royalties.deductions_cap;
    lic_amount max = -1;
    if (l->gross <= 0) /* a return or credit line: nothing to cap */
        return -1;
    if (cap->st == LIC_V_REDACTED || cap->st == LIC_V_UNKNOWN) {
        if (!r->err)
            r->err = roy_indet(r, "net sales (the deductions cap)", cap->pos);
    } else if (cap->st == LIC_V_KNOWN && lic_amount_mul_rate(l->gross, cap->v, r->a->rounding, &max) && !r->err) {
        r->err = LIC_EOVERFLOW;
    }
    return max;
}

static void seen_sale(lic_roy *r, const lic_sale_line *l, lic_date d)
{
    if ((l->gross <= 0 && l->units <= 0) || l->country < 0 || l->country >= 256)
        return;
    if (r->first_sale[l->country] == LIC_DATE_NONE || d < r->first_sale[l->country]) {
        r->first_sale[l->country] = d;
        r->term[l->country].done = false;
    }
}

lic_err lic_roy_add(lic_roy *r, const lic_sale_line *l)
{
    if (r->err)
        return r->err;
    lic_date d = line_day(l);
    seen_sale(r, l, d);
    lic_amount ded = l->deductions, max = deduction_cap(r, l);
    if (max >= 0 && ded > max) {
        ded = max;
        uint64_t bit = (uint64_t)1 << (l->country & 63), *w = &r->capped[(l->country >> 6) & 3];
        lic_err rc = *w & bit ? LIC_OK
                              : roy_note(r, true, "deductions_over_cap", "country %s: deductions above the cap",
                                         lic_country_code(l->country));
        *w |= bit; /* once per country and period */
        if (rc)
            return r->err = rc;
    }
    lic_amount gross, net, tpr, claimed;
    if (!convert(r, l, l->gross, &gross) || !convert(r, l, l->gross - ded, &net) ||
        !convert(r, l, l->third_party_royalties, &tpr) || !convert(r, l, l->deductions, &claimed))
        return r->err;
    roy_bucket key = {.country = l->country, .product = intern(r, l->product), .next = -1};
    if (l->product && !key.product)
        return r->err = LIC_ENOMEM;
    classify(r, l, d, &key);
    roy_bucket *b = bucket(r, &key);
    if (!b)
        return r->err = LIC_ENOMEM;
    if (lic_amount_add(b->gross, gross, &b->gross) || lic_amount_add(b->net, net, &b->net) ||
        lic_amount_add(b->third_party, tpr, &b->third_party) || lic_amount_add(b->claimed, claimed, &b->claimed) ||
        __builtin_add_overflow(b->units, l->units, &b->units))
        return r->err = LIC_EOVERFLOW;
    return r->err;
}

lic_err lic_roy_close(lic_roy *r, lic_period p, const lic_roy_statement **out)
{
    *out = NULL;
    lic_roy_statement *st = lic__arena_alloc(&r->arena, sizeof *st);
    if (!st)
        return LIC_ENOMEM;
    lic_err rc = r->err ? r->err : roy_close(r, p, st);
    /* the period is closed either way: the next one starts empty */
    r->nbuckets = 0;
    for (size_t i = 0; i < r->nhash; i++)
        r->hash[i] = -1;
    r->nflags = r->nindet = 0;
    memset(r->capped, 0, sizeof r->capped);
    r->err = LIC_OK;
    if (!rc)
        *out = st;
    return rc;
}
