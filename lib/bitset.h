/*
 * bitset.h - word-array set operations shared by territory sets (256
 * bits) and field sets (512 bits) (internal).
 *
 * Both public set types are fixed arrays of uint64_t words; these helpers
 * take the word count so one implementation serves both.
 */
#ifndef LIC_BITSET_H
#define LIC_BITSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline void lic__bits_or(uint64_t *a, const uint64_t *b, int n)
{
    for (int i = 0; i < n; i++)
        a[i] |= b[i];
}

static inline void lic__bits_and(uint64_t *a, const uint64_t *b, int n)
{
    for (int i = 0; i < n; i++)
        a[i] &= b[i];
}

static inline void lic__bits_andnot(uint64_t *a, const uint64_t *b, int n)
{
    for (int i = 0; i < n; i++)
        a[i] &= ~b[i];
}

static inline bool lic__bits_overlap(const uint64_t *a, const uint64_t *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] & b[i])
            return true;
    return false;
}

/* True if every bit of inner is in outer. */
static inline bool lic__bits_contains(const uint64_t *outer, const uint64_t *inner, int n)
{
    for (int i = 0; i < n; i++)
        if (inner[i] & ~outer[i])
            return false;
    return true;
}

static inline size_t lic__bits_count(const uint64_t *a, int n)
{
    size_t c = 0;
    for (int i = 0; i < n; i++)
        for (uint64_t x = a[i]; x; x &= x - 1)
            c++;
    return c;
}

/* The first set bit >= from, or -1; skips empty words whole. */
static inline int lic__bits_next(const uint64_t *a, int n, int from)
{
    if (from < 0)
        from = 0;
    for (int i = from; i < n * 64;) {
        uint64_t word = a[i / 64] >> (i % 64);
        if (word) {
            while (!(word & 1)) {
                word >>= 1;
                i++;
            }
            return i;
        }
        i = (i / 64 + 1) * 64;
    }
    return -1;
}

#endif
