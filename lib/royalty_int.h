/*
 * royalty_int.h - the royalty calculator's working state (internal).
 *
 * Lines are summed into buckets: one per statement line (schedule,
 * country, product, rate adjustments, step-down factor, status).  A hash
 * finds the bucket of a line; closing the period turns the buckets into
 * statement lines and forgets them.  What outlives a period: the tier
 * totals per schedule, the year's lines for whole-tier true-ups, stacking
 * offsets carried forward, and the first sale per country -- and, for a
 * rewind, a checkpoint of the first and last of those per closed period.
 */
#ifndef LIC_ROYALTY_INT_H
#define LIC_ROYALTY_INT_H

#include "licet/royalty.h"
#include "alloc.h"

#define LIC_RATE_ONE ((lic_rate)1000000000000LL)

/* num / den (den > 0) rounded as money.c's round_div rounds it: toward
 * zero, then one step away from zero past the half (at the half: always
 * for half_up, off an odd quotient for half_even). */
static inline int64_t roy_round64(int64_t num, int64_t den, lic_rounding mode)
{
    int64_t q = num / den, r = num % den;
    if (r) {
        int64_t twice = (r < 0 ? -r : r) * 2; /* |r| < den <= 10^16 */
        bool away = twice != den ? twice > den : mode == LIC_ROUND_HALF_UP || q % 2 != 0;
        q += away ? (num < 0 ? -1 : 1) : 0;
    }
    return q;
}

/* a x r / 10^12 rounded, for a product a x r past 64 bits, without
 * dividing 128 bits: a = ah x 10^6 + al and ah x r = xq x 10^6 + xr (C's
 * truncating / and %), so a x r = xq x 10^12 + y with y = xr x 10^6 +
 * al x r.  All those parts have the sign of a x r, so the truncated
 * quotient is xq + y / 10^12 and the remainder y % 10^12, which round as
 * roy_round64 rounds.  False when a part does not fit 64 bits (the
 * caller then asks money.c). */
static inline bool roy_mul_rate_split(int64_t a, lic_rate r, lic_rounding mode, int64_t *out)
{
    const int64_t M = 1000000, D = LIC_RATE_SCALE;
    int64_t ah = a / M, al = a % M, x, y, alr, q;
    if (__builtin_mul_overflow(ah, r, &x) || __builtin_mul_overflow(al, r, &alr) ||
        __builtin_add_overflow(x % M * M, alr, &y) || __builtin_add_overflow(x / M, y / D, &q))
        return false;
    int64_t rem = y % D;
    if (rem) {
        int64_t twice = (rem < 0 ? -rem : rem) * 2; /* |rem| < 10^12 */
        bool away = twice != D ? twice > D : mode == LIC_ROUND_HALF_UP || q % 2 != 0;
        if (away && __builtin_add_overflow(q, rem < 0 ? -1 : 1, &q))
            return false;
    }
    *out = q;
    return true;
}

/* lic_amount_mul_rate (lic_rate_mul alike), in 64 bits when the product
 * fits: the same result without money.c's 128-bit division, which a
 * statement line and a sales line each did several times over. */
static inline lic_err roy_mul_rate(int64_t a, lic_rate r, lic_rounding mode, int64_t *out)
{
    int64_t num;
    if (mode != LIC_ROUND_HALF_EVEN && mode != LIC_ROUND_HALF_UP)
        return lic_amount_mul_rate(a, r, mode, out);
    if (__builtin_mul_overflow(a, r, &num))
        return roy_mul_rate_split(a, r, mode, out) ? LIC_OK : lic_amount_mul_rate(a, r, mode, out);
    *out = roy_round64(num, LIC_RATE_SCALE, mode);
    return LIC_OK;
}

/* lic_amount_convert the same way, for currencies of 0 to 4 digits. */
static inline lic_err roy_convert(lic_amount a, int from, lic_rate rate, int to, lic_rounding mode, lic_amount *out)
{
    static const int64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                    1000000000, 10000000000, 100000000000, 1000000000000,
                                    10000000000000, 100000000000000, 1000000000000000, 10000000000000000};
    int64_t num;
    if (from < 0 || from > 4 || to < 0 || to > 4 || (mode != LIC_ROUND_HALF_EVEN && mode != LIC_ROUND_HALF_UP) ||
        __builtin_mul_overflow(a, rate, &num))
        return lic_amount_convert(a, from, rate, to, mode, out);
    *out = roy_round64(num, pow10[12 - (to - from)], mode);
    return LIC_OK;
}

/* A rate over 10^12 with their common powers of ten taken out (3% is
 * 3 / 100); den 0: none. */
struct roy_cut {
    lic_rate rate;
    int64_t num, den;
};

/* roy_mul_rate, for a product past 64 bits (net sales in cents times a
 * rate in 10^-12 usually are), without its slower split: the rate's
 * reduced fraction is the same rational number, so it rounds the same,
 * and in 64 bits.  cut[4] keeps a few rates' fractions: a statement's
 * lines share their bands' rates. */
static inline lic_err roy_mul_rate_cut(struct roy_cut cut[4], int64_t a, lic_rate rate, lic_rounding mode,
                                       int64_t *out)
{
    int64_t num;
    if ((mode != LIC_ROUND_HALF_EVEN && mode != LIC_ROUND_HALF_UP) || !__builtin_mul_overflow(a, rate, &num))
        return roy_mul_rate(a, rate, mode, out);
    struct roy_cut *c = &cut[(uint64_t)rate * 0x9E3779B97F4A7C15ULL >> 62];
    if (c->rate != rate || !c->den) {
        int64_t n = rate, d = LIC_RATE_SCALE;
        while (d > 1 && n % 10 == 0)
            n /= 10, d /= 10;
        *c = (struct roy_cut){rate, n, d};
    }
    if (__builtin_mul_overflow(a, c->num, &num))
        return roy_mul_rate(a, rate, mode, out);
    *out = roy_round64(num, c->den, mode);
    return LIC_OK;
}

typedef struct roy_bucket {   /* (in this order: no padding) */
    int sched;                  /* schedule index, -1: none */
    int country;
    lic_roy_status status;
    int next;                   /* hash chain: pool index, -1 ends it */
    const char *product;        /* interned: compare pointers */
    lic_rate add, factor;
    lic_amount gross, net, third_party, claimed;
    int64_t units;
} roy_bucket;

/* A line of an earlier period of the year (whole tiers recompute them). */
typedef struct roy_past {
    int sched;
    int64_t qty;                /* net sales or units */
    lic_rate add, factor;
    lic_amount royalty;         /* as computed so far */
} roy_past;

/* Stacking offset carried forward, per schedule, country and product. */
typedef struct roy_carry {
    int sched, country;
    const char *product;
    lic_amount amount;
} roy_carry;

typedef struct roy_term {
    bool done;
    lic_date last_day;          /* royalties run through it; LIC_DATE_MAX: no end */
    lic_date step_from;         /* first stepped-down day; LIC_DATE_NONE */
    const char *indet;          /* term path, when an item is missing */
} roy_term;

/* A line's classification remembered: the bucket that lines of this day,
 * country, field and product went to in the open period.  Sales files
 * repeat a few such keys over and over, so most lines skip the coverage
 * callback, the royalty term, the schedule scopes and the bucket hash.
 * An entry counts only while gen equals lic_roy.memo_gen. */
typedef struct roy_memo {
    lic_date d;
    int country, field;
    uint32_t gen;
    const char *product;        /* interned */
    int bucket;                 /* pool index */
} roy_memo;

/* A country's last key (lic_roy_add's first look, before the memo): the
 * bucket of its lines of day d, field and product; fs_ok: the country's
 * first sale is on or before d, so such a line cannot move it.  Counts
 * only while gen equals lic_roy.memo_gen, as a memo entry does. */
typedef struct roy_last {
    lic_date d;
    int field;
    uint32_t gen;
    int bucket;                 /* pool index */
    const char *product;        /* interned */
    bool fs_ok;
    /* The key's classification, which outlives the period: it holds for
     * the days lo..hi (no grant, term or adjustment date between) while
     * cgen equals lic_roy.class_gen; only one made by classify without a
     * note or a coverage callback. */
    uint32_t cgen;
    lic_date lo, hi;
    int sched;
    lic_roy_status status;
    lic_rate add, factor;
} roy_last;

/* A country's last key as add_quick asks it, in 16 bytes: while gen
 * equals lic_roy.quick_gen, the key (roy_last) counts, has no product,
 * fs_ok, and its day is the open period's dateless day (lic_roy.day of
 * day_period), the cap is cap_fast, and b is its bucket (the pool does
 * not move: a pool that grows bumps quick_gen).  royalty.c quick_mark. */
typedef struct roy_quick {
    uint32_t gen;
    int field;
    roy_bucket *b;
} roy_quick;

#define ROY_MEMO_BITS 8
#define ROY_MEMO_PROBES 4

struct lic_roy {
    const lic_agreement *a;
    lic_roy_env env;
    const lic_currency *currency; /* a->currency, one load nearer for add_quick */
    lic_arena arena;            /* statements, interned strings */
    lic_roy_adj *adj;           /* remedies + milestone adjustments, by date */
    size_t nadj;

    int *hash;                  /* the open period's buckets: pool index, -1 */
    size_t nhash, nhashed;      /* pool[0..nhashed) are in it (royalty.c hash_pending) */
    roy_bucket *pool;           /* every bucket of the open period */
    size_t nbuckets, cap_buckets;
    int *order;                 /* royalty_close.c sort_buckets: pool indices */
    roy_bucket *spare;          /* sort_buckets: the pool in statement order, then swapped */
    size_t cap_order, cap_spare;
    const char **products;      /* interned product names */
    size_t nproducts, cap_products;

    int year;                   /* royalty year of the tier totals; INT32_MIN */
    lic_date year_lo, year_hi;  /* royalty_close.c year_of: [lo, hi) is year_label */
    int year_label;
    int64_t *total;             /* per schedule: the year's (or lifetime) sum */
    lic_amount *fixed_extra;    /* per schedule: fixed-band amounts charged */
    roy_past *past;
    size_t npast, cap_past;
    roy_carry *carry;
    size_t ncarry, cap_carry;

    lic_date first_sale[256];   /* per country, as seen (env has none) */
    roy_term term[256];

    /* the open period's problems, copied into its statement */
    uint64_t capped[4];         /* countries flagged deductions_over_cap */
    uint64_t has_bucket[4];     /* countries with a bucket in the open period */
    uint8_t cap_seq[256];       /* countries flagged by the quick paths, in order: */
    size_t ncap_seq, ncap_done; /* [ncap_done, ncap_seq) have no note yet (royalty.c flush_over_cap) */
    lic_roy_note *flags, *indet;
    size_t nflags, cap_flags, nindet, cap_indet;
    lic_err err;                /* first hard error (memory, overflow) */

    /* Bumped whenever a remembered classification may no longer hold:
     * the period closes (buckets and notes are forgotten) or a country's
     * first sale moves (its royalty term changes). */
    uint32_t memo_gen;
    roy_memo memo[1 << ROY_MEMO_BITS];
    roy_last last[256];         /* per country */
    roy_quick quick[256];       /* per country */
    /* Bumped whenever a classification may change for the same day: a
     * rewind brings other adjustments and moves first sales back.  (A
     * first sale that moves changes its own country's only: that
     * country's last[].cgen is cleared instead.) */
    uint32_t class_gen;
    bool class_fresh;           /* memo_miss classified, without a note: */
    lic_date class_lo, class_hi; /* the days its classification holds for */
    /* Bumped with memo_gen and whenever day_period (so day) changes: the
     * quick[] entries stop counting. */
    uint32_t quick_gen;
    const char *last_product;   /* interned: the previous line's, usually this one's */
    const char **over_cap_text; /* per country: its deductions_over_cap note's detail (arena); NULL */
    const char *over_cap_kind;  /* "deductions_over_cap" in the arena */
    /* Checkpoints for lic__roy_rewind: after each close, what the next
     * period starts from (tier year and totals, first sales so far) and
     * the latest line day of the period closed.  Whole tiers and carried
     * stacking offsets keep more than that: with them, no_rewind. */
    bool no_rewind;
    lic_date open_last_day;     /* the open period's latest line day */
    struct roy_mark { int year; size_t nlog; lic_date last_day; } *marks;
    int64_t *mark_sums;         /* per mark: total[ns], then fixed_extra[ns] */
    size_t nmarks, cap_marks, cap_mark_sums;
    struct roy_fs_log { int country; lic_date was; } *fs_log; /* first_sale changes */
    size_t nfs_log, cap_fs_log;
    int64_t cap_num, cap_den;   /* the deductions cap reduced; cap_den 0: not used */
    uint64_t cap_magic;         /* n / cap_den as ((n x cap_magic) >> 64) >> cap_shift */
    unsigned cap_shift;         /* (cap_reciprocal; cap_magic 0: cap_den 1, no division) */
    bool cap_half_up;           /* the agreement rounds half up (cap_round) */
    bool cap_quick;             /* the cap is known, 0 to 100%, rounded half even or up */
    /* The quick paths' cap: cap_quick with cap_den > 0, or no cap at all
     * (cap_num and cap_den 0: no line is over it). */
    bool cap_fast;
    bool day_valid;             /* day_period's last day is day */
    lic_period day_period;
    lic_date day_none;          /* LIC_DATE_NONE: with day_period, a dateless line's first bytes */
    lic_date day;
    struct roy_cut cut[4];      /* royalty_close.c band_royalty's roy_mul_rate_cut */
};

/* Room for one more element of a malloc'd list that doubles from `first`
 * (the lists of the calculator: notes, products, buckets, past lines,
 * carried offsets); false when memory runs out. */
#define ROY_ROOM(list, n, cap, first) \
    ((n) < (cap) || roy_grow((void **)&(list), &(cap), sizeof *(list), (first)))

/* royalty.c */
bool roy_grow(void **list, size_t *cap, size_t elem, size_t first);
lic_err roy_note(lic_roy *r, bool flag, const char *kind, const char *fmt, ...) LIC_PRINTF(4, 5);
lic_err roy_indet(lic_roy *r, const char *what, lic_pos pos);

/* Is a sale on day d in country, field (-1: none) inside a written grant
 * (what a calculator without env->covered asks)? */
bool lic__roy_written_covers(const lic_agreement *a, lic_date d, int country, int field);

/* Rewinding a calculator to compute again with other remedy adjustments
 * (royalty.c).  lic__roy_rewind_point: how many of its first `nperiods`
 * closed periods keep their statements with `adj` in place of env's, in
 * *keep (0 < *keep <= nperiods), and the adjustments to rewind with, in
 * *v and *n (r's arena); false when it cannot rewind (whole tiers,
 * carried offsets, a failed close, a milestone adjustment not known, or
 * the first period already differs).  lic__roy_rewind then puts r back
 * to just after period *keep closed, with those adjustments. */
bool lic__roy_rewind_point(lic_roy *r, size_t nperiods, const lic_roy_adj *adj, size_t nadj, size_t *keep,
                           lic_roy_adj **v, size_t *n);
void lic__roy_rewind(lic_roy *r, size_t keep, const lic_roy_adj *adj, size_t nadj, lic_roy_adj *v, size_t n);

/* royalty_term.c: the royalty term in a country (cached). */
const roy_term *roy_term_of(lic_roy *r, int country);

/* royalty_close.c */
lic_err roy_close(lic_roy *r, lic_period p, lic_roy_statement *st);

#endif
