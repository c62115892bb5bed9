/*
 * territory.c - territory sets, agreement regions, resolving and naming.
 *
 * A lic_tset is a 256-bit set over country numbers (iso3166.c), so every
 * set operation is a loop over four words and sets travel by value.
 * Regions are names for sets: the built-in ones of FORMAT 1 (regions.c)
 * and an agreement's own `territories:` (a lic_regions table, here).
 *
 * NOTES ON THE DESIGN
 * - Bits at or above lic_country_count() are never set: lic_tset_add
 *   ignores out-of-range numbers, so counting and formatting need no mask.
 * - Resolving a name tries, in order: an assigned country code, an
 *   agreement region, a built-in region (FORMAT 1).  So that no agreement
 *   region is silently shadowed by a country, lic_regions_define refuses
 *   names that are assigned country codes.  An agreement region may shadow
 *   a built-in one ("EU" meaning EU plus its outermost regions).
 * - Describing a set names whole regions greedily, largest first, and each
 *   region only from what earlier regions left, so named regions never
 *   overlap and the result is deterministic.
 */
#include "licet/territory.h"

#include <stdio.h>
#include <string.h>

#include "bitset.h"

#include "alloc.h"

/* ---- sets ------------------------------------------------------------ */

static bool in_range(int idx)
{
    return idx >= 0 && (size_t)idx < lic_country_count();
}

void lic_tset_clear(lic_tset *s) { memset(s, 0, sizeof *s); }

void lic_tset_add(lic_tset *s, int idx)
{
    if (in_range(idx))
        s->w[idx / 64] |= UINT64_C(1) << (idx % 64);
}

void lic_tset_remove(lic_tset *s, int idx)
{
    if (in_range(idx))
        s->w[idx / 64] &= ~(UINT64_C(1) << (idx % 64));
}

bool lic_tset_has(const lic_tset *s, int idx)
{
    return in_range(idx) && (s->w[idx / 64] >> (idx % 64) & 1);
}

bool lic_tset_is_empty(const lic_tset *s)
{
    for (int i = 0; i < LIC_TSET_WORDS; i++)
        if (s->w[i])
            return false;
    return true;
}

size_t lic_tset_count(const lic_tset *s)
{
    return lic__bits_count(s->w, LIC_TSET_WORDS);
}

lic_tset lic_tset_union(lic_tset a, lic_tset b)
{
    lic__bits_or(a.w, b.w, LIC_TSET_WORDS);
    return a;
}

lic_tset lic_tset_intersect(lic_tset a, lic_tset b)
{
    lic__bits_and(a.w, b.w, LIC_TSET_WORDS);
    return a;
}

lic_tset lic_tset_diff(lic_tset a, lic_tset b)
{
    lic__bits_andnot(a.w, b.w, LIC_TSET_WORDS);
    return a;
}

bool lic_tset_overlaps(const lic_tset *a, const lic_tset *b)
{
    return lic__bits_overlap(a->w, b->w, LIC_TSET_WORDS);
}

bool lic_tset_contains(const lic_tset *outer, const lic_tset *inner)
{
    return lic__bits_contains(outer->w, inner->w, LIC_TSET_WORDS);
}

bool lic_tset_equal(const lic_tset *a, const lic_tset *b)
{
    return memcmp(a->w, b->w, sizeof a->w) == 0;
}

int lic_tset_next(const lic_tset *s, int from)
{
    return lic__bits_next(s->w, LIC_TSET_WORDS, from);
}

/* ---- agreement regions ---------------------------------------------- */

struct region {
    char *name; /* owned */
    lic_tset set;
};

struct lic_regions {
    struct region *v;
    size_t n, cap;
};

lic_regions *lic_regions_new(void)
{
    return lic__calloc(1, sizeof(lic_regions));
}

void lic_regions_free(lic_regions *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        lic__free(r->v[i].name);
    lic__free(r->v);
    lic__free(r);
}

static struct region *find_region(const lic_regions *r, const char *name)
{
    for (size_t i = 0; r && i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0)
            return &r->v[i];
    return NULL;
}

static bool is_country_code(const char *name)
{
    return lic_country_index(name, strlen(name)) >= 0;
}

lic_err lic_regions_define(lic_regions *r, const char *name,
                           const lic_tset *set)
{
    if (!r || !name || !set || !name[0] || is_country_code(name))
        return LIC_EINVAL;
    struct region *old = find_region(r, name);
    if (old) {
        old->set = *set;
        return LIC_OK;
    }
    char *copy = lic__strdup(name);
    if (!copy)
        return LIC_ENOMEM;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        struct region *v = lic__realloc(r->v, cap * sizeof *v);
        if (!v) {
            lic__free(copy);
            return LIC_ENOMEM;
        }
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = (struct region){.name = copy, .set = *set};
    return LIC_OK;
}

size_t lic_regions_count(const lic_regions *r) { return r ? r->n : 0; }

const char *lic_regions_name(const lic_regions *r, size_t i)
{
    return r && i < r->n ? r->v[i].name : NULL;
}

const lic_tset *lic_regions_set(const lic_regions *r, size_t i)
{
    return r && i < r->n ? &r->v[i].set : NULL;
}

/* FORMAT 1: a country code, else an agreement region, else built-in. */
lic_err lic_territory_resolve(const lic_regions *custom, const char *name,
                              lic_tset *out)
{
    if (!name || !out)
        return LIC_EINVAL;
    int idx = lic_country_index(name, strlen(name));
    if (idx >= 0) {
        lic_tset_clear(out);
        lic_tset_add(out, idx);
        return LIC_OK;
    }
    const struct region *reg = find_region(custom, name);
    if (reg) {
        *out = reg->set;
        return LIC_OK;
    }
    return lic_region_builtin(name, out) ? LIC_OK : LIC_ENOTFOUND;
}

/* ---- formatting ------------------------------------------------------ */

/* An snprintf-like writer: keeps counting past the end of the buffer so
 * callers learn the length they need. */
struct out {
    char *buf;
    size_t n;
    size_t len;
};

static void out_init(struct out *o, char *buf, size_t n)
{
    *o = (struct out){.buf = buf, .n = n, .len = 0};
    if (n)
        buf[0] = '\0';
}

static void out_put(struct out *o, const char *s)
{
    size_t k = strlen(s);
    if (o->len < o->n) {
        size_t room = o->n - 1 - o->len;
        size_t copy = k < room ? k : room;
        memcpy(o->buf + o->len, s, copy);
        o->buf[o->len + copy] = '\0';
    }
    o->len += k;
}

/* Appends a list item, with ", " before all but the first. */
static void out_item(struct out *o, const char *s)
{
    if (o->len)
        out_put(o, ", ");
    out_put(o, s);
}

static void out_codes(struct out *o, const lic_tset *s)
{
    /* Country numbers follow code order, so this is alphabetical. */
    for (int i = lic_tset_next(s, 0); i >= 0; i = lic_tset_next(s, i + 1))
        out_item(o, lic_country_code(i));
}

size_t lic_tset_format(const lic_tset *s, char *buf, size_t n)
{
    struct out o;
    out_init(&o, buf, n);
    out_codes(&o, s);
    return o.len;
}

/* One region the describer may name. */
struct candidate {
    const char *name;
    lic_tset set;
    size_t count;
};

/* The i-th candidate: agreement regions in definition order, then the
 * built-in ones in table order.  False past the end. */
static bool candidate_at(const lic_regions *custom, size_t i,
                         struct candidate *c)
{
    size_t ncustom = lic_regions_count(custom);
    if (i < ncustom) {
        c->name = custom->v[i].name;
        c->set = custom->v[i].set;
    } else {
        c->name = lic_region_builtin_name(i - ncustom);
        if (!c->name || !lic_region_builtin(c->name, &c->set))
            return false;
    }
    c->count = lic_tset_count(&c->set);
    return true;
}

/* The largest region wholly inside `rest`, earliest on ties; a region of
 * fewer than two countries is no shorter than its code, so never chosen.
 * False if there is none. */
static bool best_region(const lic_regions *custom, const lic_tset *rest,
                        struct candidate *best)
{
    struct candidate c;
    best->count = 0;
    for (size_t i = 0; candidate_at(custom, i, &c); i++)
        if (c.count >= 2 && c.count > best->count &&
            lic_tset_contains(rest, &c.set))
            *best = c;
    return best->count > 0;
}

size_t lic_tset_describe(const lic_tset *s, const lic_regions *custom,
                         char *buf, size_t n)
{
    struct out o;
    out_init(&o, buf, n);
    /* FORMAT 1: the whole world is WORLD, even if an agreement region
     * happens to list every country too. */
    if (lic_tset_count(s) == lic_country_count()) {
        out_put(&o, "WORLD");
        return o.len;
    }
    lic_tset rest = *s;
    struct candidate best;
    /* Each chosen region leaves `rest`, so it cannot be chosen again and
     * no later region can overlap it: the loop ends within one pass per
     * region. */
    while (best_region(custom, &rest, &best)) {
        out_item(&o, best.name);
        rest = lic_tset_diff(rest, best.set);
    }
    out_codes(&o, &rest);
    return o.len;
}
