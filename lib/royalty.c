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
 *
 * Each close leaves a checkpoint, so that a calculator asked again with
 * other remedy increases (the engine's next pass) can be rewound to the
 * last period those cannot touch and go on from there
 * (lic__roy_rewind_point, lic__roy_rewind).
 */
#include "royalty_int.h"
#include "inline.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licet/territory.h"

/* lic_roy_add's rare paths (a new period, a first sale, a capped or
 * foreign-currency line, a key the memo does not know) are NOINLINE
 * (inline.h), so that its usual path keeps its values in registers:
 * inlined, they made it spill them to the stack on every line. */

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

/* The remedies' increases `adj` plus the milestone adjustments in force,
 * by date, into *out and *n.  A milestone adjustment not known is noted
 * (note) or makes it fail with LIC_EINDETERMINATE (!note). */
static lic_err merge_adjustments(lic_roy *r, const lic_roy_adj *adj, size_t nadj, bool note, lic_roy_adj **out,
                                 size_t *n)
{
    const lic_royalties *ro = &r->a->payments.royalties;
    size_t cap = nadj + ro->nadjustments;
    lic_roy_adj *v = lic__arena_alloc(&r->arena, (cap ? cap : 1) * sizeof *v);
    if (!v)
        return LIC_ENOMEM;
    *out = v, *n = 0;
    for (size_t i = 0; i < nadj; i++)
        v[(*n)++] = adj[i];
    for (size_t i = 0; i < ro->nadjustments; i++) {
        const struct lic_adjustment *x = &ro->adjustments[i];
        lic_date on = r->env.ms_achieved && x->ms_index >= 0 ? r->env.ms_achieved[x->ms_index] : LIC_DATE_NONE;
        if (on == LIC_DATE_NONE)
            continue;
        if (x->add.st != LIC_V_KNOWN) {
            lic_err rc = note ? roy_indet(r, "royalty adjustments", x->add.pos) : LIC_EINDETERMINATE;
            if (rc)
                return rc;
            continue;
        }
        v[(*n)++] = (lic_roy_adj){on, x->add.v};
    }
    qsort(v, *n, sizeof *v, cmp_adj);
    return LIC_OK;
}

static lic_err collect_adjustments(lic_roy *r)
{
    return merge_adjustments(r, r->env.adj, r->env.nadj, true, &r->adj, &r->nadj);
}

/* A new calculator's fields zeroed, but for its per-country tables and
 * memos (24 KB of the struct): lic_roy_new sets first_sale itself, and
 * what is read of the others before it is written is term[].done,
 * memo[].gen, last[].gen, .cgen and quick[].gen.  Zeroing the whole struct (calloc) cost more than the rest
 * of a small agreement's royalty set-up, once per evaluation. */
_Static_assert(offsetof(lic_roy, first_sale) < offsetof(lic_roy, term) &&
                   offsetof(lic_roy, term) < offsetof(lic_roy, capped) &&
                   offsetof(lic_roy, capped) < offsetof(lic_roy, memo) &&
                   offsetof(lic_roy, memo) < offsetof(lic_roy, last) &&
                   offsetof(lic_roy, last) < offsetof(lic_roy, last_product),
               "roy_clear: lic_roy's tables lie between its other fields in this order");
static void roy_clear(lic_roy *r)
{
    memset(r, 0, offsetof(lic_roy, first_sale));
    memset(&r->capped, 0, offsetof(lic_roy, memo) - offsetof(lic_roy, capped));
    memset(&r->last_product, 0, sizeof *r - offsetof(lic_roy, last_product));
    for (size_t i = 0; i < sizeof r->term / sizeof r->term[0]; i++)
        r->term[i].done = false;
    for (size_t i = 0; i < sizeof r->memo / sizeof r->memo[0]; i++)
        r->memo[i].gen = 0;
    for (size_t i = 0; i < sizeof r->last / sizeof r->last[0]; i++)
        r->last[i].gen = r->last[i].cgen = r->quick[i].gen = 0;
}

static void cap_reciprocal(lic_roy *r);

lic_err lic_roy_new(const lic_agreement *a, const lic_roy_env *env, lic_roy **out)
{
    *out = NULL;
    lic_roy *r = lic__malloc(sizeof *r);
    if (!r)
        return LIC_ENOMEM;
    roy_clear(r);
    lic__arena_init(&r->arena);
    r->a = a;
    r->currency = a->currency;
    if (env)
        r->env = *env;
    r->year = INT32_MIN;
    r->open_last_day = LIC_DATE_NONE;
    r->day_none = LIC_DATE_NONE;
    r->memo_gen = 1; /* the memo entries roy_clear left (gen 0) count for nothing */
    r->class_gen = 1;
    r->quick_gen = 1;
    const lic_rate_v *cap = &a->payments.royalties.deductions_cap;
    if (cap->st == LIC_V_KNOWN && cap->v > 0 && cap->v <= LIC_RATE_SCALE) {
        int64_t x = cap->v, y = LIC_RATE_SCALE; /* gcd, to reduce cap / 10^12 */
        while (y) {
            int64_t t = x % y;
            x = y, y = t;
        }
        r->cap_num = cap->v / x, r->cap_den = LIC_RATE_SCALE / x;
    }
    cap_reciprocal(r); /* (cap_den 0 or 1: none) */
    r->cap_quick = cap->st == LIC_V_KNOWN && cap->v >= 0 && cap->v <= LIC_RATE_SCALE &&
                   (a->rounding == LIC_ROUND_HALF_EVEN || a->rounding == LIC_ROUND_HALF_UP);
    r->cap_fast = (r->cap_quick && r->cap_den) || cap->st == LIC_V_ABSENT;
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
    lic__free(r->order);
    lic__free(r->spare);
    lic__free(r->products);
    lic__free(r->total);
    lic__free(r->fixed_extra);
    lic__free(r->past);
    lic__free(r->carry);
    lic__free(r->flags);
    lic__free(r->indet);
    lic__free(r->marks);
    lic__free(r->mark_sums);
    lic__free(r->fs_log);
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

static lic_err flush_over_cap(lic_roy *r);

/* note_add without flush_over_cap. */
static lic_err note_put(lic_roy *r, bool flag, const char *kind, const char *buf, bool dup)
{
    lic_roy_note **list = flag ? &r->flags : &r->indet;
    size_t *n = flag ? &r->nflags : &r->nindet, *cap = flag ? &r->cap_flags : &r->cap_indet;
    for (size_t i = 0; dup && i < *n; i++)
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

/* Records a flag or an indeterminate term for the open period; `dup`:
 * unless it is there already (false when the caller knows it is not).
 * A flag comes after the deductions_over_cap notes of the lines before
 * it (flush_over_cap). */
static lic_err note_add(lic_roy *r, bool flag, const char *kind, const char *buf, bool dup)
{
    lic_err rc = flag ? flush_over_cap(r) : LIC_OK;
    return rc ? rc : note_put(r, flag, kind, buf, dup);
}

/* Records a flag or an indeterminate term for the open period (once). */
lic_err roy_note(lic_roy *r, bool flag, const char *kind, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return note_add(r, flag, kind, buf, true);
}

/* deductions_over_cap for a country, first seen in the period: lic_roy_add
 * keeps a bit per country, so there is no duplicate to look for.  The
 * note's two strings are made once per country and calculator, in its
 * arena, and shared by every period's statement that has the note (they
 * never change): making them cost two copies per country and period, on
 * the per-line path. */
static lic_err over_cap_put(lic_roy *r, int country)
{
    static const char head[] = "country ", tail[] = ": deductions above the cap";
    if (r->over_cap_text && country >= 0 && country < 256 && r->over_cap_text[country]) {
        if (!ROY_ROOM(r->flags, r->nflags, r->cap_flags, 8))
            return LIC_ENOMEM;
        r->flags[r->nflags++] = (lic_roy_note){r->over_cap_kind, r->over_cap_text[country]};
        return LIC_OK;
    }
    const char *code = lic_country_code(country);
    size_t nc = code ? strlen(code) : 0;
    char buf[sizeof head + sizeof tail + 16];
    if (!code || nc > 16 || country < 0 || country >= 256) { /* never: codes are two letters */
        char any[256];
        snprintf(any, sizeof any, "country %s: deductions above the cap", code ? code : "(null)");
        return note_put(r, true, "deductions_over_cap", any, true);
    }
    if (!r->over_cap_text) {
        r->over_cap_text = lic__arena_alloc(&r->arena, 256 * sizeof *r->over_cap_text);
        r->over_cap_kind = lic__arena_strdup(&r->arena, "deductions_over_cap");
        if (!r->over_cap_text || !r->over_cap_kind) {
            r->over_cap_text = NULL;
            return LIC_ENOMEM;
        }
        memset(r->over_cap_text, 0, 256 * sizeof *r->over_cap_text);
    }
    if (!r->over_cap_text[country]) {
        memcpy(buf, head, sizeof head - 1);
        memcpy(buf + sizeof head - 1, code, nc);
        memcpy(buf + sizeof head - 1 + nc, tail, sizeof tail); /* with its NUL */
        if (!(r->over_cap_text[country] = lic__arena_strdup(&r->arena, buf)))
            return LIC_ENOMEM;
    }
    if (!ROY_ROOM(r->flags, r->nflags, r->cap_flags, 8))
        return LIC_ENOMEM;
    r->flags[r->nflags++] = (lic_roy_note){r->over_cap_kind, r->over_cap_text[country]};
    return LIC_OK;
}

/* The notes of the countries the quick paths flagged (record_over_cap),
 * in the order their lines came, made before any other flag is added
 * and when the period closes: the quick paths only note the country,
 * with no call (the note's text may still have to be made). */
static lic_err flush_over_cap(lic_roy *r)
{
    for (; r->ncap_done < r->ncap_seq; r->ncap_done++) {
        int c = r->cap_seq[r->ncap_done];
        if (r->over_cap_text && r->over_cap_text[c] && r->nflags < r->cap_flags) { /* over_cap_put's usual */
            r->flags[r->nflags++] = (lic_roy_note){r->over_cap_kind, r->over_cap_text[c]};
            continue;
        }
        lic_err rc = over_cap_put(r, c);
        if (rc)
            return rc;
    }
    return LIC_OK;
}

/* deductions_over_cap for a country, first seen in the period, now. */
static lic_err note_over_cap(lic_roy *r, int country)
{
    lic_err rc = flush_over_cap(r);
    return rc ? rc : over_cap_put(r, country);
}

lic_err roy_indet(lic_roy *r, const char *what, lic_pos pos)
{
    const lic_missing *m = lic_agreement_missing_at(r->a, pos);
    return roy_note(r, false, what, "%s", m ? m->path : "?");
}

static NOINLINE const char *intern(lic_roy *r, const char *s)
{
    if (!s)
        return NULL;
    /* reports list a product's lines together: try the previous line's first */
    if (r->last_product && !strcmp(r->last_product, s))
        return r->last_product;
    for (size_t i = r->nproducts; i-- > 0;)
        if (!strcmp(r->products[i], s))
            return r->last_product = r->products[i];
    if (!ROY_ROOM(r->products, r->nproducts, r->cap_products, 8))
        return NULL;
    char *c = lic__arena_strdup(&r->arena, s);
    if (c)
        r->products[r->nproducts++] = r->last_product = c;
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

/* Every quick[] entry stops counting (wiped should the generation wrap,
 * as memo_forget's). */
static void quick_forget(lic_roy *r)
{
    if (++r->quick_gen == 0) {
        for (size_t i = 0; i < sizeof r->last / sizeof r->last[0]; i++)
            r->quick[i].gen = 0;
        r->quick_gen = 1;
    }
}

/* The line's day: its date, else its period's last day (kept for the
 * period, which every line of a period shares). */
static NOINLINE lic_date new_period_day(lic_roy *r, lic_period p)
{
    r->day_period = p, r->day = lic_period_last(p), r->day_valid = true;
    quick_forget(r); /* add_quick's keys were of the other day */
    return r->day;
}

static inline lic_date line_day(lic_roy *r, const lic_sale_line *l)
{
    if (l->date != LIC_DATE_NONE)
        return l->date;
    /* one compare of the period's bytes (lic_period has no padding) */
    if (!r->day_valid || memcmp(&l->period, &r->day_period, sizeof l->period))
        return new_period_day(r, l->period);
    return r->day;
}

/* The rate from the line's currency to the agreement's, asked once per
 * line (its four amounts share it); false, with a note, when there is
 * none.  Not called for lines in the agreement currency. */
static bool line_rate(lic_roy *r, const lic_sale_line *l, lic_rate *rate)
{
    if (r->env.fx && r->env.fx(r->env.u, l->currency, l->period, rate))
        return true;
    char ps[LIC_PERIOD_STRLEN];
    lic_period_str(l->period, ps);
    r->err = r->err ? r->err : roy_note(r, false, "net sales", "fx:%s/%s:%s", l->currency->code,
                                        r->a->currency->code, ps);
    return false;
}

/* Converts an amount of the line's currency at `rate` (same: the
 * agreement currency, nothing to do); false on overflow. */
static bool convert(lic_roy *r, const lic_sale_line *l, bool same, lic_rate rate, lic_amount v, lic_amount *out)
{
    if (same) {
        *out = v;
        return true;
    }
    lic_err rc = roy_convert(v, l->currency->digits, rate, r->a->currency->digits, r->a->rounding, out);
    if (rc && !r->err)
        r->err = rc;
    return !rc;
}

/* The report's own rate more than 2% from the ledger's: |own - rate| x 50 > rate. */
static void check_own_rate(lic_roy *r, const lic_sale_line *l, lic_rate rate)
{
    __int128 diff = (__int128)l->fx_rate - rate;
    if (l->fx_rate && (diff < 0 ? -diff : diff) * 50 > rate && !r->err) {
        char own[48], led[48];
        lic_rate_format_decimal(l->fx_rate, own, sizeof own);
        lic_rate_format_decimal(rate, led, sizeof led);
        r->err = roy_note(r, true, "fx_rate_differs", "%s/%s: the report's rate %s is more than 2%% from the ledger's %s",
                          l->currency->code, r->a->currency->code, own, led);
    }
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
    while (n < r->nbuckets)
        n *= 4;
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
    r->hash = h, r->nhash = n, r->nhashed = r->nbuckets;
    return LIC_OK;
}

/* The buckets add_first made into the hash (it needs no look-up, so
 * puts none there); false when memory runs out. */
static bool hash_pending(lic_roy *r)
{
    if (r->nbuckets > r->nhash)
        return !rehash(r);
    for (; r->nhashed < r->nbuckets; r->nhashed++) {
        roy_bucket *b = &r->pool[r->nhashed];
        size_t k = bucket_hash(b) & (r->nhash - 1);
        b->next = r->hash[k];
        r->hash[k] = (int)r->nhashed;
    }
    return true;
}

/* The open period's bucket for key k, created empty when new. */
static roy_bucket *bucket(lic_roy *r, const roy_bucket *k)
{
    if (r->nhashed < r->nbuckets && !hash_pending(r))
        return NULL;
    size_t slot = bucket_hash(k) & (r->nhash - 1);
    for (int i = r->hash[slot]; i >= 0; i = r->pool[i].next)
        if (same_key(&r->pool[i], k))
            return &r->pool[i];
    if (r->nbuckets == r->cap_buckets)
        quick_forget(r); /* the pool moves: quick[].b with it */
    if (!ROY_ROOM(r->pool, r->nbuckets, r->cap_buckets, 16))
        return NULL;
    roy_bucket *b = &r->pool[r->nbuckets];
    *b = *k;
    b->next = r->hash[slot];
    r->hash[slot] = (int)r->nbuckets++;
    r->nhashed = r->nbuckets;
    if ((unsigned)k->country < 256) /* for add_first */
        r->has_bucket[k->country >> 6] |= (uint64_t)1 << (k->country & 63);
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

/* gross x cap in 64 bits, when it fits: the cap as a reduced fraction
 * (10% is 1/10) turns lic_amount_mul_rate's 128-bit division into a
 * 64-bit one.  The same rational number rounds the same way: quotient and
 * remainder decide, exactly as lic_amount_mul_rate's rounding does.  Only
 * for 0 <= cap <= 100% and gross > 0 (deduction_cap checks). */
static inline int64_t cap_round(const lic_roy *r, int64_t n);

/* cap_den's reciprocal, for cap_round.  For 0 <= n < 2^63 and d =
 * cap_den (2 to 10^12), with l = ceil(log2 d) and m = ceil(2^(63+l) / d):
 * m x d - 2^(63+l) < d <= 2^l, so n / d is (n x m) >> (63 + l) for every
 * such n (Granlund and Montgomery, "Division by invariant integers using
 * multiplication", 1994, theorem 4.2); 2^63 < m < 2^64 as 2^(l-1) < d <
 * 2^l or m = 2^63 (d = 2^l), and 63 + l >= 64.  Half a report's lines
 * can be over the cap, each one a division by a number the compiler
 * does not know; d = 1 (a cap of 100%) and d = 0 (no cap) need none. */
static void cap_reciprocal(lic_roy *r)
{
    uint64_t d = (uint64_t)r->cap_den;
    r->cap_half_up = r->a->rounding == LIC_ROUND_HALF_UP;
    r->cap_magic = 0;
    if (d < 2)
        return;
    unsigned l = 1;
    while (((uint64_t)1 << l) < d)
        l++;
    unsigned __int128 p = (unsigned __int128)1 << (63 + l);
    r->cap_magic = (uint64_t)(p / d + (p % d != 0));
    r->cap_shift = l - 1; /* (n x m) >> 64, then the rest */
}

static inline bool cap_small(const lic_roy *r, lic_amount gross, lic_amount *out)
{
    int64_t n;
    if (!r->cap_den || __builtin_mul_overflow(gross, r->cap_num, &n))
        return false;
    *out = cap_round(r, n);
    return true;
}

/* n / cap_den rounded as lic_amount_mul_rate rounds (n = gross x cap_num
 * >= 0), with no division and no branch (cap_reciprocal). */
static inline int64_t cap_round(const lic_roy *r, int64_t n)
{
    uint64_t hi = (uint64_t)(((unsigned __int128)(uint64_t)n * r->cap_magic) >> 64);
    int64_t q = r->cap_magic ? (int64_t)(hi >> r->cap_shift) : n;
    int64_t twice = (n - q * r->cap_den) * 2; /* the remainder < den <= 10^12 */
    /* n >= 0: away from zero is up; a half goes up, or to the even one */
    return q + ((twice > r->cap_den) | ((twice == r->cap_den) & (r->cap_half_up | (q & 1))));
}

/* deductions x 10^12 <= gross x cap, for a cap_quick cap: with the cap
 * reduced (cap_num / cap_den), ded x cap_den <= gross x cap_num says the
 * same, in 64 bits when both products fit (a cap of 0 has no cap_den:
 * 128 bits, as when a product does not fit). */
static inline bool within_cap(const lic_roy *r, lic_amount ded, lic_amount gross)
{
    int64_t x, y;
    if (r->cap_den && !__builtin_mul_overflow(ded, r->cap_den, &x) && !__builtin_mul_overflow(gross, r->cap_num, &y))
        return x <= y;
    return (__int128)ded * LIC_RATE_SCALE <= (__int128)gross * r->a->payments.royalties.deductions_cap.v;
}

/* gross x cap, the most that may be deducted from a line; -1 when
 * unlimited or when the line's deductions are certainly within
 * it.  Only for the lines add_line does not settle itself (a cap that is
 * not cap_quick's, a country's first line over the cap in a period, a
 * product past 64 bits): the usual ones never come here. */
static lic_amount deduction_cap(lic_roy *r, const lic_sale_line *l)
{
    const lic_rate_v *cap = &r->a->payments.royalties.deductions_cap;
    lic_amount max = -1;
    if (l->gross <= 0) /* a return or credit line: nothing to cap */
        return -1;
    if (cap->st == LIC_V_REDACTED || cap->st == LIC_V_UNKNOWN) {
        if (!r->err)
            r->err = roy_indet(r, "net sales (the deductions cap)", cap->pos);
        return -1;
    }
    if (cap->st != LIC_V_KNOWN)
        return -1;
    /* Most lines deduct less than the cap, and the rounded product costs a
     * 128-bit division.  When deductions x 10^12 <= gross x cap exactly,
     * the deductions are at most the product rounded either way (they are
     * whole minor units), and a cap of at most 100% cannot overflow: the
     * answer is "not capped" without dividing. */
    lic_rounding mode = r->a->rounding;
    bool modes = mode == LIC_ROUND_HALF_EVEN || mode == LIC_ROUND_HALF_UP;
    if (cap->v >= 0 && cap->v <= LIC_RATE_SCALE && modes &&
        (__int128)l->deductions * LIC_RATE_SCALE <= (__int128)l->gross * cap->v)
        return -1;
    if (modes && cap_small(r, l->gross, &max))
        return max;
    if (roy_mul_rate(l->gross, cap->v, mode, &max) && !r->err)
        r->err = LIC_EOVERFLOW;
    return max;
}

/* Every remembered classification stops counting.  Should the generation
 * wrap (after 2^32 periods), the old entries are wiped so none matches. */
static void memo_forget(lic_roy *r)
{
    if (++r->memo_gen == 0) {
        memset(r->memo, 0, sizeof r->memo);
        memset(r->last, 0, sizeof r->last);
        r->memo_gen = 1;
    }
    quick_forget(r);
}

/* c's quick[] entry, once its key (gen, d, field, product, fs_ok) is set. */
static inline void quick_mark(lic_roy *r, const roy_last *c)
{
    bool ok = c->gen == r->memo_gen && r->day_valid && c->d == r->day && !c->product && c->fs_ok && r->cap_fast;
    r->quick[c - r->last] = (roy_quick){ok ? r->quick_gen : 0, c->field, &r->pool[c->bucket]};
}

/* Every classification kept across periods (roy_last's) stops counting. */
static void class_forget(lic_roy *r)
{
    if (++r->class_gen == 0) {
        for (size_t i = 0; i < sizeof r->last / sizeof r->last[0]; i++)
            r->last[i].cgen = 0;
        r->class_gen = 1;
    }
}

/* A country's first sale moves to day d. */
static NOINLINE void first_sale_at(lic_roy *r, int country, lic_date d)
{
    if (ROY_ROOM(r->fs_log, r->nfs_log, r->cap_fs_log, 16)) /* for lic__roy_rewind */
        r->fs_log[r->nfs_log++] = (struct roy_fs_log){country, r->first_sale[country]};
    else
        r->no_rewind = true;
    r->first_sale[country] = d;
    r->term[country].done = false;
    memo_forget(r); /* the country's term, so its lines' classification, may change */
    r->last[country].cgen = 0; /* (no other country's: classify asks only its own term) */
}

static inline void seen_sale(lic_roy *r, const lic_sale_line *l, lic_date d)
{
    if ((l->gross <= 0 && l->units <= 0) || l->country < 0 || l->country >= 256)
        return;
    if (r->first_sale[l->country] == LIC_DATE_NONE || d < r->first_sale[l->country])
        first_sale_at(r, l->country, d);
}

/* The days around d whose lines of l's country, field and product
 * classify as d's do, into [*lo, *hi]: no grant starts or ends, no
 * royalty term ends or steps down and no adjustment starts between them
 * (classify's only dates; the written grants only, not env->covered).
 * Narrower than can be is fine: it only costs a classification. */
static void class_span(lic_roy *r, const lic_sale_line *l, lic_date d, lic_date *lo, lic_date *hi)
{
    lic_date a = LIC_DATE_NONE + 1, b = LIC_DATE_MAX;
#define ROY_CUT(from) /* a change on day `from` */ \
    do { \
        lic_date f_ = (from); \
        if (f_ > d && f_ - 1 < b) \
            b = f_ - 1; \
        else if (f_ <= d && f_ > a) \
            a = f_; \
    } while (0)
    for (size_t i = 0; i < r->a->ngrants; i++) {
        const lic_grant *g = &r->a->grants[i];
        lic_date from = lic_grant_first_day(r->a, g), until = lic_grant_last_day(r->a, g);
        if (from != LIC_DATE_NONE)
            ROY_CUT(from);
        if (until != LIC_DATE_NONE && until < LIC_DATE_MAX)
            ROY_CUT(until + 1);
    }
    /* the term as classify found it; not found, classify stopped before
     * it (not covered), as it does on every day of the span */
    const roy_term *t = (unsigned)l->country < 256 && r->term[l->country].done ? &r->term[l->country] : NULL;
    if (t && t->last_day != LIC_DATE_NONE && t->last_day < LIC_DATE_MAX)
        ROY_CUT(t->last_day + 1);
    if (t && t->step_from != LIC_DATE_NONE)
        ROY_CUT(t->step_from);
    for (size_t i = 0; i < r->nadj; i++)
        ROY_CUT(r->adj[i].since);
#undef ROY_CUT
    *lo = a, *hi = b;
}

/* The key's home slot: its parts folded into one word and multiplied
 * once (the memo only costs a classification when two keys collide). */
static inline size_t memo_home(lic_date d, int country, int field, const char *product)
{
    uint64_t x = ((uint64_t)(uint32_t)d << 32 | (uint32_t)country) ^ ((uint64_t)(uint32_t)field << 12) ^
                 (uint64_t)(uintptr_t)product;
    return (size_t)((x * 0x9E3779B97F4A7C15ULL) >> (64 - ROY_MEMO_BITS));
}

/* The open period's bucket of a line on day d, classified and created when
 * the memo does not know its key.  A key's classification is the same
 * every time within a period while no first sale moves: the coverage
 * callback, the royalty term, the schedules and the adjustments answer
 * the same for the same day, country, field and product, and the notes
 * they add the first time are kept once per period anyway. */
/* line_bucket for a key the memo does not know: classified, its bucket
 * found or made, and remembered in slot m. */
static NOINLINE roy_bucket *memo_miss(lic_roy *r, const lic_sale_line *l, lic_date d, const char *product,
                                      roy_memo *m)
{
    roy_bucket key = {.country = l->country, .product = product, .next = -1};
    size_t nflags = r->nflags, nindet = r->nindet;
    classify(r, l, d, &key);
    r->class_fresh = !r->env.covered && !r->err && r->nflags == nflags && r->nindet == nindet;
    if (r->class_fresh)
        class_span(r, l, d, &r->class_lo, &r->class_hi);
    roy_bucket *b = bucket(r, &key);
    if (b && !r->err)
        *m = (roy_memo){d, l->country, l->field, r->memo_gen, product, (int)(b - r->pool)};
    return b;
}

static inline roy_bucket *line_bucket(lic_roy *r, const lic_sale_line *l, lic_date d, const char *product)
{
    /* a few slots from the key's home, so that two keys of a period that
     * share a home do not evict each other line after line */
    size_t home = memo_home(d, l->country, l->field, product), mask = ((size_t)1 << ROY_MEMO_BITS) - 1;
    roy_memo *m = NULL;
    for (size_t i = 0; i < ROY_MEMO_PROBES; i++) {
        roy_memo *e = &r->memo[(home + i) & mask];
        if (e->gen != r->memo_gen) {
            m = m ? m : e; /* a free slot for the key */
            continue;
        }
        if (e->d == d && e->country == l->country && e->field == l->field && e->product == product)
            return &r->pool[e->bucket];
    }
    return memo_miss(r, l, d, product, m ? m : &r->memo[home]); /* all taken: the home slot gives way */
}

/* The deductions of line l that count, at most gross x cap (a note the
 * first time a country's are above it in the period); false on an error. */
static NOINLINE bool capped_deductions(lic_roy *r, const lic_sale_line *l, lic_amount *ded)
{
    lic_amount max = deduction_cap(r, l); /* gross > 0: add_line's within test failed */
    if (max >= 0 && *ded > max) {
        *ded = max;
        uint64_t bit = (uint64_t)1 << (l->country & 63), *w = &r->capped[(l->country >> 6) & 3];
        lic_err rc = *w & bit ? LIC_OK : note_over_cap(r, l->country);
        *w |= bit; /* once per country and period */
        if (rc) {
            r->err = rc;
            return false;
        }
    }
    return true;
}

/* A line's amounts in another currency than the agreement's, converted
 * into v: gross, net (after deductions `ded`), third-party royalties,
 * deductions claimed; false on an error (r->err). */
static NOINLINE bool foreign_amounts(lic_roy *r, const lic_sale_line *l, lic_amount ded, lic_amount v[4])
{
    lic_rate rate = 0;
    if (!line_rate(r, l, &rate) || !convert(r, l, false, rate, l->gross, &v[0]))
        return false;
    check_own_rate(r, l, rate);
    return convert(r, l, false, rate, l->gross - ded, &v[1]) &&
           convert(r, l, false, rate, l->third_party_royalties, &v[2]) &&
           convert(r, l, false, rate, l->deductions, &v[3]);
}

/* lic_roy_add's bucket when the country's last key is not this line's (or
 * the country's first sale may move): the first sale seen, the memo asked,
 * and the country's last key remembered. */
static NOINLINE roy_bucket *line_bucket_slow(lic_roy *r, const lic_sale_line *l, lic_date d, const char *product,
                                             roy_last *c)
{
    /* the open period's latest day: a line that finds its country's last
     * key of the period (lic_roy_add) has that key's day, counted here */
    if (d > r->open_last_day)
        r->open_last_day = d;
    seen_sale(r, l, d);
    roy_bucket *b;
    if (c && c->cgen == r->class_gen && c->field == l->field && c->product == product && c->lo <= d &&
        d <= c->hi) { /* the key's classification of an earlier period holds: its bucket */
        roy_bucket key = {.sched = c->sched, .country = l->country, .product = product, .add = c->add,
                          .factor = c->factor, .status = c->status, .next = -1};
        b = bucket(r, &key);
    } else {
        r->class_fresh = false;
        b = line_bucket(r, l, d, product);
        if (b && c && !r->err && r->class_fresh)
            *c = (roy_last){.cgen = r->class_gen, .lo = r->class_lo, .hi = r->class_hi, .sched = b->sched,
                            .status = b->status, .add = b->add, .factor = b->factor};
        else if (c)
            c->cgen = 0;
    }
    if (b && c && !r->err) {
        lic_date fs = r->first_sale[l->country];
        c->d = d, c->field = l->field, c->gen = r->memo_gen, c->bucket = (int)(b - r->pool);
        c->product = product, c->fs_ok = fs != LIC_DATE_NONE && fs <= d;
        quick_mark(r, c);
    }
    return b;
}

/* A line that fails before its bucket: its first sale still counts (the
 * calculator goes on after the failed period's close). */
static NOINLINE lic_err failed(lic_roy *r, const lic_sale_line *l, lic_date d)
{
    if (d > r->open_last_day)
        r->open_last_day = d;
    seen_sale(r, l, d);
    return r->err;
}

/* lic_roy_add for every line (add_quick takes most of them first). */
static NOINLINE lic_err add_line(lic_roy *r, const lic_sale_line *l)
{
    if (r->err)
        return r->err;
    lic_date d = line_day(r, l); /* (r->open_last_day: see line_bucket_slow) */
    lic_amount ded = l->deductions;
    /* deduction_cap's usual answer inline: within a cap_quick cap */
    bool within = l->gross <= 0 || (r->cap_quick && within_cap(r, ded, l->gross));
    if (!within) {
        /* over a cap_quick cap, in a country already flagged this period
         * (most such lines): capped_deductions' work without its note */
        lic_amount max;
        uint64_t bit = (uint64_t)1 << (l->country & 63), *w = &r->capped[(l->country >> 6) & 3];
        if (r->cap_quick && (*w & bit) && cap_small(r, l->gross, &max)) {
            ded = ded > max ? max : ded;
        } else { /* (no address of ded taken on the usual path: it stays in a register) */
            lic_amount c = ded;
            if (!capped_deductions(r, l, &c))
                return failed(r, l, d);
            ded = c;
        }
    }
    /* as they are in the agreement currency */
    lic_amount gross = l->gross, net = l->gross - ded, tpr = l->third_party_royalties, claimed = l->deductions;
    if (l->currency != r->a->currency) {
        lic_amount v[4];
        if (!foreign_amounts(r, l, ded, v))
            return failed(r, l, d);
        gross = v[0], net = v[1], tpr = v[2], claimed = v[3];
    }
    const char *product = l->product ? intern(r, l->product) : NULL;
    if (l->product && !product) {
        r->err = LIC_ENOMEM;
        return failed(r, l, d);
    }
    /* The country's last key first: lines of a period come a country at a
     * time or interleaved, and the key's other parts (day, field, product)
     * seldom change within it.  seen_sale (first sales) runs before any
     * classification, here or in line_bucket_slow; a key whose day is on
     * or after the country's first sale cannot move it. */
    roy_last *c = (unsigned)l->country < 256 ? &r->last[l->country] : NULL;
    roy_bucket *b;
    if (c && c->gen == r->memo_gen && c->d == d && c->field == l->field && c->product == product && c->fs_ok)
        b = &r->pool[c->bucket];
    else if (!(b = line_bucket_slow(r, l, d, product, c)))
        return r->err = LIC_ENOMEM;
    /* lic_amount_add's check, inline: four calls a line add up */
    if (__builtin_add_overflow(b->gross, gross, &b->gross) || __builtin_add_overflow(b->net, net, &b->net) ||
        __builtin_add_overflow(b->third_party, tpr, &b->third_party) ||
        __builtin_add_overflow(b->claimed, claimed, &b->claimed) || __builtin_add_overflow(b->units, l->units, &b->units))
        return r->err = LIC_EOVERFLOW;
    return r->err;
}

/* The quick paths' deductions (add_quick, add_first): the claimed ones,
 * or gross x cap when they are above it (*over: above it rounded, which
 * flags the country the first time in a period); false when add_line
 * must work them out (no cap_fast cap, a product past 64 bits).
 * within_cap and cap_small on one product gross x cap_num. */
static ALWAYS_INLINE bool quick_deductions(const lic_roy *r, const lic_sale_line *l, lic_amount *ded, bool *over)
{
    *ded = l->deductions, *over = false;
    if (l->gross <= 0)
        return true;
    int64_t x, y;
    if (!r->cap_fast || __builtin_mul_overflow(*ded, r->cap_den, &x) ||
        __builtin_mul_overflow(l->gross, r->cap_num, &y))
        return false;
    if (x > y) {
        lic_amount max = cap_round(r, y);
        *over = *ded > max;
        *ded = *over ? max : *ded;
    }
    return true;
}

/* A quick path's line over the cap: the country flagged, unless it is
 * in the period already, and its deductions_over_cap note due, in line
 * order (flush_over_cap makes it). */
static ALWAYS_INLINE void record_over_cap(lic_roy *r, int country)
{
    uint64_t bit = (uint64_t)1 << (country & 63), *w = &r->capped[(country >> 6) & 3];
    if (!(*w & bit)) {
        *w |= bit;
        r->cap_seq[r->ncap_seq++] = (uint8_t)country; /* (each country once: at most 256) */
    }
}

/* Adds line l's amounts to bucket b, deductions `ded` allowed: all five
 * sums or none (false: one would overflow). */
static ALWAYS_INLINE bool add_sums(roy_bucket *b, const lic_sale_line *l, lic_amount ded)
{
    lic_amount g, n, t, k;
    int64_t u;
    if (__builtin_add_overflow(b->gross, l->gross, &g) || __builtin_add_overflow(b->net, l->gross - ded, &n) ||
        __builtin_add_overflow(b->third_party, l->third_party_royalties, &t) ||
        __builtin_add_overflow(b->claimed, l->deductions, &k) || __builtin_add_overflow(b->units, l->units, &u))
        return false;
    b->gross = g, b->net = n, b->third_party = t, b->claimed = k, b->units = u;
    return true;
}

enum { QUICK_NO, QUICK_DONE, QUICK_FIRST, QUICK_FLAG };

_Static_assert(offsetof(lic_sale_line, period) == 0 && offsetof(lic_sale_line, date) == sizeof(lic_period) &&
                   offsetof(lic_roy, day_none) == offsetof(lic_roy, day_period) + sizeof(lic_period),
               "add_quick: a line's period and date, and day_period and day_none, are 16 bytes in a row");

/* The usual line, whole, with no call: its period's day, the agreement
 * currency, no product, its country's last key of the period (first sale
 * on or before), within a cap_fast cap or over it in a country flagged
 * already, and sums that do not overflow: QUICK_DONE (nothing is written
 * before all five are known).  QUICK_FLAG: such a line over the cap in a
 * country not flagged yet (add_flagged); QUICK_FIRST: such a line but
 * for its country's last key (add_first); QUICK_NO: any other
 * (add_other).
 * Without a call, the compiler keeps this path's values in registers
 * that need no saving: add_line's own entry saves six. */
static ALWAYS_INLINE int add_quick(lic_roy *r, const lic_sale_line *l)
{
    /* the period and no date: one compare of 16 bytes */
    if (r->err || memcmp(l, &r->day_period, sizeof l->period + sizeof l->date) || l->product ||
        (unsigned)l->country >= 256 || l->currency != r->currency)
        return QUICK_NO;
    const roy_quick *c = &r->quick[l->country]; /* (an entry counts only with day_valid) */
    if (c->gen != r->quick_gen || c->field != l->field)
        return QUICK_FIRST;
    lic_amount ded = l->deductions;
    if (l->gross > 0) { /* quick_deductions, the flag tested before dividing */
        int64_t x, y;
        if (__builtin_mul_overflow(ded, r->cap_den, &x) || /* (cap_fast: the entry says so) */
            __builtin_mul_overflow(l->gross, r->cap_num, &y))
            return QUICK_NO;
        /* over the cap or not, with no branch on it: about half of a
         * report's lines can be, in no order */
        uint64_t over = x > y, flagged = (r->capped[(l->country >> 6) & 3] >> (l->country & 63)) & 1;
        if (over & ~flagged)
            return QUICK_FLAG; /* perhaps the country's first line over the cap */
        lic_amount max = cap_round(r, y), keep = -(lic_amount)(1 - over); /* all ones when not over */
        ded = (ded & keep) | (max & ~keep);
    }
    return add_sums(c->b, l, ded) ? QUICK_DONE : QUICK_NO;
}

/* add_quick's kind of line but for its country's quick[] entry (and its
 * period's day set).  Its key still counts (the entry was of an earlier
 * day): as add_quick.  A country's first line in the open period, when
 * the country's classification kept from an earlier period holds for
 * the period's day and its first sale is on or before that day
 * (seen_sale has nothing to do): the country has no bucket yet, so no
 * bucket has the key, and a new one starts at the line's amounts (no sum
 * to overflow), without classifying or looking the key up.  That was
 * most of what the lines after add_quick cost.  Any other: add_line,
 * with nothing written (but a flag, as capped_deductions sets it). */
static NOINLINE lic_err add_first(lic_roy *r, const lic_sale_line *l)
{
    roy_last *c = &r->last[l->country];
    lic_date d = r->day, fs = r->first_sale[l->country];
    lic_amount ded;
    bool over;
    if (!r->day_valid || !quick_deductions(r, l, &ded, &over)) /* (add_quick leaves day_valid to the stamp) */
        return add_line(r, l);
    /* the flag first, as capped_deductions sets it before any sum: should
     * a sum overflow, add_line finds it set and fails as it would have */
    if (c->gen == r->memo_gen && c->d == d && c->field == l->field && !c->product && c->fs_ok) {
        quick_mark(r, c); /* (its stamp may be of an earlier day of the period) */
        if (over)
            record_over_cap(r, l->country);
        return add_sums(&r->pool[c->bucket], l, ded) ? LIC_OK : add_line(r, l);
    }
    uint64_t bit = (uint64_t)1 << (l->country & 63), *has = &r->has_bucket[(l->country >> 6) & 3];
    if (c->cgen != r->class_gen || c->field != l->field || c->product || d < c->lo || d > c->hi ||
        fs == LIC_DATE_NONE || fs > d || (*has & bit) || r->nbuckets >= r->cap_buckets) /* (the pool's room) */
        return add_line(r, l);
    if (over)
        record_over_cap(r, l->country);
    if (d > r->open_last_day)
        r->open_last_day = d;
    *has |= bit;
    /* into the hash when bucket() next looks (hash_pending); every member
     * one by one (a compound literal was built zeroed, then copied) */
    roy_bucket *b = &r->pool[r->nbuckets];
    b->sched = c->sched, b->country = l->country, b->product = NULL, b->add = c->add, b->factor = c->factor;
    b->status = c->status, b->gross = l->gross, b->net = l->gross - ded, b->third_party = l->third_party_royalties;
    b->claimed = l->deductions, b->units = l->units, b->next = -1;
    /* the key: quick_mark's tests all hold but cap_fast */
    c->d = d, c->gen = r->memo_gen, c->bucket = (int)r->nbuckets++, c->fs_ok = true;
    r->quick[l->country] = (roy_quick){r->cap_fast ? r->quick_gen : 0, l->field, b};
    return LIC_OK;
}

/* add_quick's QUICK_FLAG line (its checks passed): the flag first, as
 * capped_deductions sets it before any sum (should a sum overflow,
 * add_line finds it set and fails as it would have).  Apart, so that
 * add_quick keeps to the registers that need no saving. */
static NOINLINE lic_err add_flagged(lic_roy *r, const lic_sale_line *l)
{
    lic_amount ded;
    bool over;
    if (!quick_deductions(r, l, &ded, &over))
        return add_line(r, l);
    if (over)
        record_over_cap(r, l->country);
    return add_sums(r->quick[l->country].b, l, ded) ? LIC_OK : add_line(r, l);
}

/* add_quick's QUICK_NO line: one of add_quick's kind but for its period
 * (a new period's first line, usually) goes on to add_first once the
 * period's day is set, as a country's first line of the period does;
 * any other to add_line. */
static NOINLINE lic_err add_other(lic_roy *r, const lic_sale_line *l)
{
    if (!r->err && l->date == LIC_DATE_NONE && !l->product && (unsigned)l->country < 256 &&
        l->currency == r->currency) {
        (void)line_day(r, l); /* the period's day */
        return add_first(r, l);
    }
    return add_line(r, l);
}

static ALWAYS_INLINE lic_err add_one(lic_roy *r, const lic_sale_line *l)
{
    int q = add_quick(r, l);
    if (USUALLY(q == QUICK_DONE))
        return LIC_OK;
    return q == QUICK_FIRST ? add_first(r, l) : q == QUICK_FLAG ? add_flagged(r, l) : add_other(r, l);
}

lic_err lic_roy_add(lic_roy *r, const lic_sale_line *l)
{
    return add_one(r, l);
}

lic_err lic_roy_add_lines(lic_roy *r, const lic_sale_line *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lic_err rc = add_one(r, &l[i]);
        if (rc)
            return rc;
    }
    return LIC_OK;
}

static void mark(lic_roy *r, lic_err rc);

lic_err lic_roy_close(lic_roy *r, lic_period p, const lic_roy_statement **out)
{
    *out = NULL;
    lic_roy_statement *st = lic__arena_alloc(&r->arena, sizeof *st);
    if (!st)
        return LIC_ENOMEM;
    lic_err rc = r->err ? r->err : flush_over_cap(r);
    rc = rc ? rc : roy_close(r, p, st);
    /* the period is closed either way: the next one starts empty */
    r->nbuckets = 0;
    memo_forget(r); /* the memo's buckets are gone */
    if (r->nhashed) /* -1 in every byte is -1 */
        memset(r->hash, 0xff, r->nhash * sizeof *r->hash);
    r->nhashed = 0;
    r->nflags = r->nindet = r->ncap_seq = r->ncap_done = 0;
    memset(r->capped, 0, sizeof r->capped);
    memset(r->has_bucket, 0, sizeof r->has_bucket);
    r->err = LIC_OK;
    mark(r, rc);
    if (!rc)
        *out = st;
    return rc;
}

/* A checkpoint after a close: what the next period starts from. */
static void mark(lic_roy *r, lic_err rc)
{
    size_t ns = r->a->payments.royalties.nschedules;
    lic_date last = r->open_last_day;
    r->open_last_day = LIC_DATE_NONE;
    if (rc || r->npast || r->ncarry)
        r->no_rewind = true; /* state the checkpoints do not hold */
    if (r->no_rewind)
        return;
    if (!ROY_ROOM(r->marks, r->nmarks, r->cap_marks, 16) ||
        (ns && !ROY_ROOM(r->mark_sums, (r->nmarks + 1) * 2 * ns - 1, r->cap_mark_sums, 2 * ns * 16))) {
        r->no_rewind = true;
        return;
    }
    memcpy(r->mark_sums + r->nmarks * 2 * ns, r->total, ns * sizeof *r->total);
    memcpy(r->mark_sums + r->nmarks * 2 * ns + ns, r->fixed_extra, ns * sizeof *r->fixed_extra);
    r->marks[r->nmarks++] = (struct roy_mark){r->year, r->nfs_log, last};
}

/* The first day on which adjustments a and b (each by date) may add up
 * differently: before the first entry where they differ, both are the
 * same list; LIC_DATE_MAX when they are the same. */
static lic_date first_change(const lic_roy_adj *a, size_t na, const lic_roy_adj *b, size_t nb)
{
    size_t i = 0;
    while (i < na && i < nb && a[i].since == b[i].since && a[i].add == b[i].add)
        i++;
    if (i == na && i == nb)
        return LIC_DATE_MAX;
    if (i == na || i == nb)
        return i == na ? b[i].since : a[i].since;
    return a[i].since < b[i].since ? a[i].since : b[i].since;
}

/* A period's statement depends on adjustments only through its lines'
 * days (classify), and on earlier periods only through the checkpointed
 * state: the periods whose lines all fall before the first change keep
 * theirs. */
bool lic__roy_rewind_point(lic_roy *r, size_t nperiods, const lic_roy_adj *adj, size_t nadj, size_t *keep,
                           lic_roy_adj **v, size_t *n)
{
    if (r->no_rewind || r->nmarks != nperiods || !nperiods || r->a->payments.royalties.base_units ||
        merge_adjustments(r, adj, nadj, false, v, n))
        return false;
    lic_date from = first_change(r->adj, r->nadj, *v, *n);
    size_t k = 0;
    while (k < r->nmarks && r->marks[k].last_day < from)
        k++;
    *keep = k;
    return k > 0;
}

void lic__roy_rewind(lic_roy *r, size_t keep, const lic_roy_adj *adj, size_t nadj, lic_roy_adj *v, size_t n)
{
    size_t ns = r->a->payments.royalties.nschedules;
    const struct roy_mark *m = &r->marks[keep - 1];
    for (size_t i = r->nfs_log; i-- > m->nlog;) { /* first sales made since, undone */
        int c = r->fs_log[i].country;
        r->first_sale[c] = r->fs_log[i].was;
        r->term[c].done = false;
    }
    r->nfs_log = m->nlog;
    r->year = m->year;
    memcpy(r->total, r->mark_sums + (keep - 1) * 2 * ns, ns * sizeof *r->total);
    memcpy(r->fixed_extra, r->mark_sums + (keep - 1) * 2 * ns + ns, ns * sizeof *r->fixed_extra);
    r->nmarks = keep;
    r->env.adj = adj, r->env.nadj = nadj;
    r->adj = v, r->nadj = n;
    memo_forget(r); /* its buckets' adjustments are the old ones */
    class_forget(r); /* and so are the classifications kept, and first sales moved back */
}
