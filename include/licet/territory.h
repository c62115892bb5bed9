/*
 * territory.h - countries, regions and sets of countries.
 *
 * Countries are the ISO 3166-1 alpha-2 codes, numbered 0..N-1 in
 * alphabetical order of code.  A territory set is a 256-bit set of country
 * numbers, so union, intersection and difference are a few word operations
 * and sets can be copied by value.  Regions (FORMAT 1) name sets: the
 * built-in WORLD, EU, EEA, EUROPE, NORTH_AMERICA, LATAM, APAC, MENA and
 * AFRICA, plus an agreement's own (a lic_regions table).
 */
#ifndef LICET_TERRITORY_H
#define LICET_TERRITORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "licet/error.h"

#define LIC_TSET_WORDS 4

typedef struct lic_tset {
    uint64_t w[LIC_TSET_WORDS];
} lic_tset;

/* The country table. */
size_t lic_country_count(void);
const char *lic_country_code(int idx); /* "US"; NULL if out of range */
const char *lic_country_name(int idx); /* "United States of America" */
/* The number of a country given its code (exactly two upper-case letters,
 * `len` bytes), or -1. */
int lic_country_index(const char *code, size_t len);

/* Sets. */
void lic_tset_clear(lic_tset *s);
void lic_tset_add(lic_tset *s, int idx);
void lic_tset_remove(lic_tset *s, int idx);
bool lic_tset_has(const lic_tset *s, int idx);
bool lic_tset_is_empty(const lic_tset *s);
size_t lic_tset_count(const lic_tset *s);
lic_tset lic_tset_union(lic_tset a, lic_tset b);
lic_tset lic_tset_intersect(lic_tset a, lic_tset b);
lic_tset lic_tset_diff(lic_tset a, lic_tset b); /* a minus b */
bool lic_tset_overlaps(const lic_tset *a, const lic_tset *b);
bool lic_tset_contains(const lic_tset *outer, const lic_tset *inner);
bool lic_tset_equal(const lic_tset *a, const lic_tset *b);
/* The first member >= from, or -1: for (i = next(s,0); i >= 0; i = next(s,i+1)). */
int lic_tset_next(const lic_tset *s, int from);

/* Built-in regions. */
size_t lic_region_builtin_count(void);
const char *lic_region_builtin_name(size_t i);
/* True and the set if `name` is a built-in region. */
bool lic_region_builtin(const char *name, lic_tset *out);

/* An agreement's own regions (FORMAT 2 `territories:`). */
typedef struct lic_regions lic_regions;
lic_regions *lic_regions_new(void); /* NULL when out of memory */
void lic_regions_free(lic_regions *r);
/* Defines (or, for an existing name, replaces) a region; copies name.
 * LIC_EINVAL for an empty name or one that is an assigned country code
 * ("US"): a country code always resolves to the country, so such a
 * region could never be named.  A region may shadow a built-in name. */
lic_err lic_regions_define(lic_regions *r, const char *name,
                           const lic_tset *set) LIC_MUST_CHECK;
size_t lic_regions_count(const lic_regions *r);
const char *lic_regions_name(const lic_regions *r, size_t i);
const lic_tset *lic_regions_set(const lic_regions *r, size_t i);

/* Resolves a territory name: a country code, an agreement region (custom
 * may be NULL), or a built-in region, in that order.  LIC_ENOTFOUND if it
 * is none of these. */
lic_err lic_territory_resolve(const lic_regions *custom, const char *name,
                              lic_tset *out) LIC_MUST_CHECK;

/* "DE, FR, US": member codes in alphabetical order, ", "-separated; "" for
 * the empty set.  Returns the length needed (as snprintf). */
size_t lic_tset_format(const lic_tset *s, char *buf, size_t n);

/* Like lic_tset_format but names whole built-in or custom regions where
 * the set contains them ("WORLD", "EU, GB, US"); custom may be NULL.
 * The full set is "WORLD".  Otherwise regions of two or more countries
 * are taken greedily, largest first (on a tie, agreement regions in
 * definition order, then built-in ones in lic_region_builtin_name order),
 * each only if wholly inside what earlier ones left, so named regions
 * never overlap; the countries left follow alphabetically. */
size_t lic_tset_describe(const lic_tset *s, const lic_regions *custom,
                         char *buf, size_t n);

#endif
