/*
 * royalty_close.c - the royalty calculator's back half: a period's buckets
 * become statement lines with their bands (FORMAT 2.3).
 *
 * Lines of a schedule are taken in a fixed order (status, country code,
 * product, adjustments, factor).  Marginal tiers: each line takes the next
 * slice of the schedule's running total, so the lines' bands add up to
 * F(Y+N) - F(Y).  Whole tiers: every line of the period bears the rate of
 * the band that holds Y+N, and the schedule's earlier lines of the year
 * are recomputed at that rate; the difference is the period's true-up.
 * Stacking then reduces each line on its own, down to its floor, and
 * with carry_forward keeps the unused offset for the same line's next
 * period.
 */
#include "royalty_int.h"
#include "inline.h"

#include <stdlib.h>
#include <string.h>

#include "licet/territory.h"

/* Statement order: schedule (none last), status, country code, product,
 * adjustments, factor.  iso3166.c keeps its countries sorted by code (its
 * lookup is a binary search), so comparing country indices compares the
 * codes (a test holds it to that).  No two buckets of a period have the
 * same key, so the order is total and any sort gives the same one. */
static int cmp_bucket(const roy_bucket *a, const roy_bucket *b)
{
    unsigned as = (unsigned)a->sched, bs = (unsigned)b->sched; /* -1 last */
    if (as != bs)
        return as < bs ? -1 : 1;
    if (a->status != b->status)
        return (int)a->status - (int)b->status;
    if (a->country != b->country)
        return a->country < b->country ? -1 : 1;
    if (a->product != b->product) {
        if (!a->product || !b->product)
            return a->product ? 1 : -1;
        return strcmp(a->product, b->product);
    }
    if (a->add != b->add)
        return a->add < b->add ? -1 : 1;
    return (a->factor > b->factor) - (a->factor < b->factor);
}

static int cmp_bucket_q(const void *x, const void *y)
{
    return cmp_bucket(x, y);
}

/* Checks the terms a schedule's tiers need; false (noted) when missing. */
static bool bands_known(lic_roy *r, const lic_schedule *s)
{
    bool ok = true;
    for (size_t i = 0; i < s->nbands; i++) {
        const lic_band *b = &s->bands[i];
        const lic_rate_v *rate = &b->rate;
        const lic_amount_v *amt = b->amount.st != LIC_V_ABSENT ? &b->amount : &b->per_unit;
        if (b->up_to.st == LIC_V_REDACTED || b->up_to.st == LIC_V_UNKNOWN) {
            r->err = r->err ? r->err : roy_indet(r, "royalty tiers", b->up_to.pos);
            ok = false;
        }
        if (rate->st == LIC_V_REDACTED || rate->st == LIC_V_UNKNOWN) {
            r->err = r->err ? r->err : roy_indet(r, "royalty rate", rate->pos);
            ok = false;
        } else if (amt->st == LIC_V_REDACTED || amt->st == LIC_V_UNKNOWN) {
            r->err = r->err ? r->err : roy_indet(r, "royalty amount", amt->pos);
            ok = false;
        }
    }
    return ok;
}

static int64_t band_lo(const lic_schedule *s, size_t i)
{
    return i == 0 ? 0 : s->bands[i - 1].up_to.v;
}

static int64_t band_hi(const lic_schedule *s, size_t i)
{
    return s->bands[i].up_to.st == LIC_V_KNOWN ? s->bands[i].up_to.v : INT64_MAX;
}

/* The royalty of `base` in band b for a line with these modifiers, into
 * *o whole (the statement's bands are not zeroed beforehand).  Inline:
 * its call (registers saved and restored) cost a fifth of it. */
static ALWAYS_INLINE lic_err band_royalty(lic_roy *r, const lic_band *b, const roy_bucket *k, int64_t base,
                                          lic_roy_band *o)
{
    lic_rounding mode = r->a->rounding;
    *o = (lic_roy_band){.base = base};
    if (b->per_unit.st == LIC_V_KNOWN) {
        o->is_per_unit = true;
        o->per_unit = b->per_unit.v;
        int64_t v;
        if (__builtin_mul_overflow(base, b->per_unit.v, &v))
            return LIC_EOVERFLOW;
        return roy_mul_rate(v, k->factor, mode, &o->royalty);
    }
    lic_rate rate;
    lic_err rc = __builtin_add_overflow(b->rate.v, k->add, &rate) ? LIC_EOVERFLOW : LIC_OK;
    if (!rc && k->factor == LIC_RATE_ONE) /* no step-down: x 1 exactly */
        o->rate = rate;
    else if (!rc)
        rc = roy_mul_rate(rate, k->factor, mode, &o->rate);
    if (!rc)
        rc = roy_mul_rate_cut(r->cut, base, o->rate, mode, &o->royalty);
    return rc;
}

static int64_t qty(const lic_roy *r, const roy_bucket *k)
{
    return r->a->payments.royalties.base_units ? k->units : k->net;
}

/* Each band's up_to above the one before (the last's may be absent): a
 * band that starts at or past the end of a line's slice is the first of
 * those that take none of it.  (check.c flags other tiers; the
 * calculator still takes them, band by band.) */
static bool bands_rise(const lic_schedule *s)
{
    for (size_t i = 0; i < s->nbands; i++) {
        const lic_amount_v *u = &s->bands[i].up_to;
        if (!(u->st == LIC_V_KNOWN || (u->st == LIC_V_ABSENT && i + 1 == s->nbands)) ||
            (i > 0 && u->st == LIC_V_KNOWN && u->v <= s->bands[i - 1].up_to.v))
            return false;
    }
    return true;
}

/* Marginal: the line (q: its qty) takes [y, y+q) of the schedule's total.
 * With rising bands (*cur: the first band of the previous line's slice,
 * while the slices only rise), the bands wholly below the slice, which
 * take none of it, are skipped from there, and the first above it ends
 * the line: most lines take one band of a few. */
static lic_err marginal(lic_roy *r, const lic_schedule *s, size_t *cur, const roy_bucket *k, int64_t q, int64_t y,
                        lic_roy_line *ln)
{
    int64_t a = q < 0 ? y + q : y, b = q < 0 ? y : y + q;
    size_t i = 0;
    if (cur && q > 0) {
        for (i = *cur; i + 1 < s->nbands && band_hi(s, i) <= a; i++)
            ;
        *cur = i;
    }
    for (; i < s->nbands; i++) {
        int64_t lo = band_lo(s, i), hi = band_hi(s, i);
        if (cur && lo >= b && i > 0) /* (a zero line takes band 0's nothing) */
            break;
        int64_t from = a > lo ? a : lo, to = b < hi ? b : hi;
        if (to <= from && !(q == 0 && i == 0))
            continue;
        int64_t part = to > from ? (q < 0 ? from - to : to - from) : 0;
        lic_roy_band *o = &ln->bands[ln->nbands++];
        lic_err rc = band_royalty(r, &s->bands[i], k, part, o);
        if (rc || __builtin_add_overflow(ln->royalty, o->royalty, &ln->royalty))
            return rc ? rc : LIC_EOVERFLOW;
    }
    return LIC_OK;
}

/* Whole: the band that holds the schedule's total t. */
static size_t whole_band(const lic_schedule *s, int64_t t)
{
    for (size_t i = 0; i + 1 < s->nbands; i++) {
        int64_t hi = band_hi(s, i);
        if (s->upper_exclusive ? t < hi : t <= hi)
            return i;
    }
    return s->nbands - 1;
}

static lic_err past_add(lic_roy *r, int sched, const roy_bucket *k, lic_amount royalty)
{
    if (!ROY_ROOM(r->past, r->npast, r->cap_past, 16))
        return LIC_ENOMEM;
    r->past[r->npast++] = (roy_past){sched, qty(r, k), k->add, k->factor, royalty};
    return LIC_OK;
}

/* Recomputes the year's earlier lines of schedule si at band bi; returns
 * the true-up (new charge - old charge) and records the new charge. */
static lic_err true_up(lic_roy *r, int si, size_t bi, lic_amount *out)
{
    const lic_schedule *s = &r->a->payments.royalties.schedules[si];
    const lic_band *b = &s->bands[bi];
    lic_amount old = r->fixed_extra[si], now = 0;
    for (size_t i = 0; i < r->npast; i++) {
        roy_past *p = &r->past[i];
        if (p->sched != si)
            continue;
        lic_roy_band o = {0};
        roy_bucket k = {.add = p->add, .factor = p->factor};
        lic_amount nr = 0;
        lic_err rc = b->amount.st == LIC_V_KNOWN ? LIC_OK : band_royalty(r, b, &k, p->qty, &o);
        nr = o.royalty;
        if (rc || lic_amount_add(old, p->royalty, &old) || lic_amount_add(now, nr, &now))
            return rc ? rc : LIC_EOVERFLOW;
        p->royalty = nr;
    }
    r->fixed_extra[si] = b->amount.st == LIC_V_KNOWN ? b->amount.v : 0;
    if (b->amount.st == LIC_V_KNOWN)
        now = b->amount.v;
    return lic_amount_sub(now, old, out);
}

static lic_err whole(lic_roy *r, const lic_schedule *s, const roy_bucket *k, size_t bi, int64_t t,
                     lic_roy_line *ln)
{
    const lic_band *b = &s->bands[bi];
    lic_roy_band *o = &ln->bands[ln->nbands++];
    if (b->amount.st == LIC_V_KNOWN) { /* the band's fixed amount is charged as a true-up */
        *o = (lic_roy_band){.is_fixed = true, .fixed = b->amount.v, .base = t};
        return LIC_OK;
    }
    lic_err rc = band_royalty(r, b, k, qty(r, k), o);
    if (!rc)
        ln->royalty = o->royalty;
    return rc;
}

static lic_amount *carry_slot(lic_roy *r, const roy_bucket *k)
{
    for (size_t i = 0; i < r->ncarry; i++)
        if (r->carry[i].sched == k->sched && r->carry[i].country == k->country && r->carry[i].product == k->product)
            return &r->carry[i].amount;
    if (!ROY_ROOM(r->carry, r->ncarry, r->cap_carry, 8))
        return NULL;
    r->carry[r->ncarry] = (roy_carry){k->sched, k->country, k->product, 0};
    return &r->carry[r->ncarry++].amount;
}

/* reduction = min(offset x third-party royalties + carried, royalty - floor), >= 0. */
static lic_err stacking(lic_roy *r, const roy_bucket *k, lic_roy_line *ln)
{
    const __typeof__(r->a->payments.royalties.stacking) *sk = &r->a->payments.royalties.stacking;
    if (!sk->present || ln->status != LIC_ROY_DUE)
        return LIC_OK;
    if (sk->offset.st != LIC_V_KNOWN || sk->floor.st == LIC_V_REDACTED || sk->floor.st == LIC_V_UNKNOWN) {
        bool off = sk->offset.st != LIC_V_KNOWN;
        return k->third_party ? roy_indet(r, "stacking", off ? sk->offset.pos : sk->floor.pos) : LIC_OK;
    }
    lic_amount *carried = sk->carry_forward ? carry_slot(r, k) : NULL;
    if (sk->carry_forward && !carried)
        return LIC_ENOMEM;
    lic_amount offset, floor = 0;
    lic_rounding mode = r->a->rounding;
    lic_err rc = roy_mul_rate(k->third_party, sk->offset.v, mode, &offset);
    if (!rc && carried)
        rc = lic_amount_add(offset, *carried, &offset);
    if (!rc && sk->floor.st == LIC_V_KNOWN)
        rc = roy_mul_rate(sk->floor_is_rate ? ln->net_sales : ln->royalty, sk->floor.v, mode, &floor);
    if (rc)
        return rc;
    lic_amount room = ln->royalty - floor; /* both < 2^62 in practice; checked by the adds above */
    if (room < 0)
        room = 0;
    ln->stacking_reduction = offset < room ? offset : room;
    if (ln->stacking_reduction < 0)
        ln->stacking_reduction = 0;
    if (carried) {
        *carried = offset - ln->stacking_reduction;
        ln->stacking_carried = *carried;
    }
    return LIC_OK;
}

/* A new royalty year: tiers over the year start again. */
static void new_year(lic_roy *r, int year)
{
    const lic_royalties *ro = &r->a->payments.royalties;
    if (year == r->year)
        return;
    r->year = year;
    size_t keep = 0;
    for (size_t i = 0; i < r->npast; i++)
        if (ro->schedules[r->past[i].sched].over_lifetime)
            r->past[keep++] = r->past[i];
    r->npast = keep;
    for (size_t i = 0; i < ro->nschedules; i++)
        if (!ro->schedules[i].over_lifetime)
            r->total[i] = 0, r->fixed_extra[i] = 0;
}

static lic_err line_of(lic_roy *r, const roy_bucket *k, lic_roy_line *ln)
{
    const lic_royalties *ro = &r->a->payments.royalties;
    /* every member, one by one: a compound literal was built zeroed on
     * the stack and then copied */
    ln->schedule = k->sched >= 0 ? ro->schedules[k->sched].name : NULL;
    ln->country = k->country, ln->product = k->product, ln->status = k->status;
    ln->add = k->add, ln->factor = k->factor;
    ln->gross = k->gross, ln->net_sales = k->net, ln->deductions_allowed = k->gross - k->net;
    ln->third_party = k->third_party, ln->units = k->units;
    ln->bands = NULL, ln->nbands = 0;
    ln->royalty = ln->stacking_reduction = ln->stacking_carried = 0;
    if (k->status == LIC_ROY_UNLICENSED)
        return roy_note(r, true, "unlicensed_sale", "country %s%s%s: no grant or royalty term covers the sale",
                        lic_country_code(k->country), k->product ? ", product " : "", k->product ? k->product : "");
    if (k->status == LIC_ROY_NO_SCHEDULE)
        return roy_note(r, true, "no_schedule", "country %s%s%s: no royalty schedule's scope matches",
                        lic_country_code(k->country), k->product ? ", product " : "", k->product ? k->product : "");
    return LIC_OK;
}

/* The lines of schedule si: [from, to) of the sorted pool; line i's bands
 * are the first of maxb at bands + i x maxb. */
static lic_err schedule_lines(lic_roy *r, int si, const roy_bucket *b, size_t n, lic_roy_line *ln,
                              lic_roy_band *bands, size_t maxb, lic_roy_statement *st)
{
    const lic_schedule *s = &r->a->payments.royalties.schedules[si];
    bool units = r->a->payments.royalties.base_units; /* qty's test, once */
    int64_t q = 0;
    for (size_t i = 0; i < n; i++)
        if (__builtin_add_overflow(q, units ? b[i].units : b[i].net, &q))
            return LIC_EOVERFLOW;
    if (!bands_known(r, s) || !s->nbands)
        return r->err;
    int64_t y = r->total[si], t;
    if (__builtin_add_overflow(y, q, &t))
        return LIC_EOVERFLOW;
    size_t bi = whole_band(s, t);
    size_t from_band = 0, *cur = s->method != LIC_TIERS_WHOLE && bands_rise(s) ? &from_band : NULL;
    lic_amount up = 0;
    lic_err rc = s->method == LIC_TIERS_WHOLE ? true_up(r, si, bi, &up) : LIC_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t qi = units ? b[i].units : b[i].net;
        ln[i].bands = bands + i * maxb; /* each band written whole as it is taken */
        rc = s->method == LIC_TIERS_WHOLE ? whole(r, s, &b[i], bi, t, &ln[i]) : marginal(r, s, cur, &b[i], qi, y, &ln[i]);
        y += qi;
        from_band = qi < 0 ? 0 : from_band; /* the slices fall back: from band 0 again */
        if (!rc && s->method == LIC_TIERS_WHOLE)
            rc = past_add(r, si, &b[i], ln[i].royalty);
    }
    r->total[si] = t;
    if (!rc && (up || (s->method == LIC_TIERS_WHOLE && s->bands[bi].amount.st == LIC_V_KNOWN)))
        st->true_ups[st->ntrue_ups++] = (lic_roy_true_up){s->name, up};
    return rc;
}

static lic_err copy_notes(lic_roy *r, lic_roy_statement *st)
{
    /* one allocation for both lists: a period closes per report */
    st->flags = lic__arena_alloc(&r->arena, (r->nflags + 1 + r->nindet + 1) * sizeof *st->flags);
    if (!st->flags)
        return LIC_ENOMEM;
    st->indeterminate = st->flags + r->nflags + 1;
    if (r->nflags) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(st->flags, r->flags, r->nflags * sizeof *st->flags);
    if (r->nindet)
        memcpy(st->indeterminate, r->indet, r->nindet * sizeof *st->indeterminate);
    st->nflags = r->nflags;
    st->nindeterminate = r->nindet;
    st->known = r->nindet == 0;
    return LIC_OK;
}

static lic_err totals(lic_roy_statement *st)
{
    for (size_t i = 0; i < st->nlines; i++) {
        const lic_roy_line *l = &st->lines[i];
        if (__builtin_add_overflow(st->royalty, l->royalty - l->stacking_reduction, &st->royalty) ||
            __builtin_add_overflow(st->net_sales, l->net_sales, &st->net_sales) ||
            __builtin_add_overflow(st->gross, l->gross, &st->gross) ||
            __builtin_add_overflow(st->third_party, l->third_party, &st->third_party))
            return LIC_EOVERFLOW; /* (lic_amount_add's test, inline: four calls a line) */
    }
    for (size_t i = 0; i < st->ntrue_ups; i++)
        if (lic_amount_add(st->royalty, st->true_ups[i].amount, &st->royalty))
            return LIC_EOVERFLOW;
    return LIC_OK;
}

/* The royalty year (the calendar year it starts in) of day d.  Periods
 * close in order, a few to a year: the year's bounds are kept, and d
 * inside them needs no date arithmetic.  Years are 365 or 366 days, so
 * 400 days on from a year's start is inside the next one. */
static int year_of(lic_roy *r, lic_date d)
{
    if (d < r->year_lo || d >= r->year_hi) {
        int y, m, dd;
        r->year_lo = lic_roy_year_start(r->a, d);
        r->year_hi = lic_roy_year_start(r->a, r->year_lo + 400);
        lic_date_to_ymd(r->year_lo, &y, &m, &dd);
        r->year_label = y;
    }
    return r->year_label;
}

/* A bucket's place in statement order, as far as schedule, status and
 * country go, in one word: cmp_bucket's first three tests (country
 * indices are below 2^16, statuses few). */
static uint64_t bucket_rank(const roy_bucket *b)
{
    return (uint64_t)(uint32_t)b->sched << 32 | (uint64_t)(uint32_t)b->status << 16 | (uint32_t)b->country;
}

/* The usual period's buckets in statement order into r->spare: one
 * schedule and status, each country once (and below 256), so country
 * order, straight from a bitmap of the countries; false (nothing
 * written) for any other. */
static bool sort_by_country(lic_roy *r)
{
    const roy_bucket *p = r->pool;
    uint64_t seen[4] = {0};
    uint8_t at[256]; /* read only where seen: n <= 64 */
    for (size_t i = 0; i < r->nbuckets; i++) {
        unsigned c = (unsigned)p[i].country;
        if (c >= 256 || p[i].sched != p[0].sched || p[i].status != p[0].status || (seen[c >> 6] >> (c & 63) & 1))
            return false;
        seen[c >> 6] |= (uint64_t)1 << (c & 63);
        at[c] = (uint8_t)i;
    }
    size_t k = 0;
    for (unsigned w = 0; w < 4; w++)
        for (uint64_t m = seen[w]; m; m &= m - 1)
            r->spare[k++] = p[at[w * 64 + (unsigned)__builtin_ctzll(m)]];
    return true;
}

/* Any period's buckets in statement order into r->spare: an insertion
 * sort of their indices, on one word each but for ties. */
static void sort_by_rank(lic_roy *r)
{
    size_t n = r->nbuckets;
    uint64_t rank[64];
    for (size_t i = 0; i < n; i++) {
        rank[i] = bucket_rank(&r->pool[i]);
        int x = (int)i;
        size_t j = i;
        for (; j > 0; j--) {
            const roy_bucket *p = &r->pool[r->order[j - 1]];
            uint64_t rp = rank[r->order[j - 1]];
            if (rp < rank[x] || (rp == rank[x] && cmp_bucket(p, &r->pool[x]) < 0))
                break;
            r->order[j] = r->order[j - 1];
        }
        r->order[j] = x;
    }
    for (size_t i = 0; i < n; i++)
        r->spare[i] = r->pool[r->order[i]];
}

/* The buckets in statement order.  A period has a few dozen at most
 * (a statement line each): sort_by_country, else sort_by_rank, then the
 * pool rebuilt in that order, costs a fraction of qsort's merge sort of
 * the whole buckets.  Many buckets (or no memory for the indices):
 * qsort. */
static void sort_buckets(lic_roy *r)
{
    size_t n = r->nbuckets;
    if (n < 2)
        return;
    if (n > 64 || !ROY_ROOM(r->order, n - 1, r->cap_order, 64) ||
        !ROY_ROOM(r->spare, n - 1, r->cap_spare, 64)) {
        qsort(r->pool, n, sizeof *r->pool, cmp_bucket_q);
        return;
    }
    if (!sort_by_country(r))
        sort_by_rank(r);
    /* the sorted copy becomes the pool (the hash chains in it are stale,
     * and lic_roy_close empties the hash right after) */
    roy_bucket *t = r->pool;
    size_t c = r->cap_buckets;
    r->pool = r->spare, r->cap_buckets = r->cap_spare;
    r->spare = t, r->cap_spare = c;
}

lic_err roy_close(lic_roy *r, lic_period p, lic_roy_statement *st)
{
    const lic_royalties *ro = &r->a->payments.royalties;
    int y = year_of(r, lic_period_last(p));
    *st = (lic_roy_statement){.period = p, .year = y};
    new_year(r, y);
    sort_buckets(r);
    size_t n = r->nbuckets, maxb = 1;
    for (size_t i = 0; i < ro->nschedules; i++)
        maxb = ro->schedules[i].nbands > maxb ? ro->schedules[i].nbands : maxb;
    /* lines, true-ups and every line's bands in one allocation, not
     * zeroed: line_of writes each line whole, schedule_lines each true-up
     * and the bands of a line that has them (zeroing it all cost more
     * than the rest of the close) */
    _Static_assert(sizeof(lic_roy_line) % _Alignof(lic_roy_band) == 0 &&
                       sizeof(lic_roy_true_up) % _Alignof(lic_roy_band) == 0,
                   "roy_close: the bands follow the lines and true-ups aligned");
    st->lines = lic__arena_alloc_raw(&r->arena, (n ? n : 1) * sizeof *st->lines +
                                                (ro->nschedules + 1) * sizeof *st->true_ups +
                                                n * maxb * sizeof(lic_roy_band));
    if (!st->lines)
        return LIC_ENOMEM;
    st->true_ups = (lic_roy_true_up *)(st->lines + (n ? n : 1));
    lic_roy_band *bands = (lic_roy_band *)(st->true_ups + ro->nschedules + 1);
    st->nlines = n;
    lic_err rc = LIC_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = line_of(r, &r->pool[i], &st->lines[i]);
    for (size_t i = 0; !rc && i < n;) {
        size_t j = i;
        while (j < n && r->pool[j].sched == r->pool[i].sched && r->pool[j].status == LIC_ROY_DUE)
            j++;
        if (j == i) {
            i++;
            continue;
        }
        rc = schedule_lines(r, r->pool[i].sched, &r->pool[i], j - i, &st->lines[i], bands + i * maxb, maxb, st);
        i = j;
    }
    for (size_t i = 0; !rc && ro->stacking.present && i < n; i++)
        rc = stacking(r, &r->pool[i], &st->lines[i]);
    if (!rc)
        rc = r->err;
    if (!rc)
        rc = copy_notes(r, st);
    return rc ? rc : totals(st);
}
