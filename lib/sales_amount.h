/*
 * sales_amount.h - the amount shapes the sales reader's fast ways read a
 * word (8 bytes) at a time, private to sales_csv.c: a header only
 * because each must be inlined where it is used (the fast line, lines
 * like the last).  Every text these take, lic__sales_amount_bytes
 * (sales_fast.c) takes with the same value; any other text goes there.
 * The word tests are written for a little-endian machine; elsewhere
 * plain_amount is lic__sales_amount_bytes and the others are not built.
 */
#ifndef LIC_SALES_AMOUNT_H
#define LIC_SALES_AMOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "inline.h"
#include "sales_fast.h"

/* The 8 bytes at s (csv.h: 8 bytes are readable at a value). */
static inline uint64_t load8(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

#define ONES UINT64_C(0x0101010101010101)

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ASCII_ZEROS UINT64_C(0x3030303030303030)

/* The high bit of each byte of w (8 text bytes) that is not a digit. */
static inline uint64_t non_digits(uint64_t w)
{
    uint64_t t = w ^ ASCII_ZEROS; /* a digit is now 0..9; (t & 0x7F) + 0x76 carries into no byte */
    return (((t & UINT64_C(0x7F7F7F7F7F7F7F7F)) + UINT64_C(0x7676767676767676)) | t) &
           UINT64_C(0x8080808080808080);
}

/* Eight digits' values (0 to 9 a byte, the first one lowest) as a number. */
static inline uint64_t eight_digits(uint64_t w)
{
    w = w * 10 + (w >> 8); /* pairs, then fours, then the eight */
    return (((w & UINT64_C(0x000000FF000000FF)) * (100 + (UINT64_C(1000000) << 32))) +
            (((w >> 16) & UINT64_C(0x000000FF000000FF)) * (1 + (UINT64_C(10000) << 32)))) >> 32;
}

/* The first n bytes of w (1 to 8 digits, the first one lowest) as a number. */
static inline uint64_t digits_value(uint64_t w, size_t n)
{
    if (n < 8) /* to the high end, with '0's before them */
        w = (w << (8 * (8 - n))) | (ASCII_ZEROS >> (8 * n));
    return eight_digits(w - ASCII_ZEROS);
}

/* Bytes 0 .. n-1 of a word (n from 1 to 8). */
static inline uint64_t low_bytes(size_t n)
{
    return n >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * n)) - 1;
}

/* The shape of nearly every amount of a currency of two decimals: 1 to 8
 * digits, '.', 2 digits ("1370391.43"), in minor units: one word test
 * for the digits before the point, no loop.  false for any other text
 * (a sign, another count of decimals, no point, 9 digits or more before
 * it), which plain_amount's general code then judges; what this takes,
 * lic__sales_amount_bytes takes with the same value. */
static ALWAYS_INLINE bool cents_amount(const char *s, size_t len, lic_amount *out)
{
    size_t n = len - 3; /* digits before the point */
    if (len < 4 || len > 11 || s[n] != '.')
        return false;
    unsigned tens = (unsigned)(unsigned char)s[len - 2] - '0', ones = (unsigned)(unsigned char)s[len - 1] - '0';
    /* the n digits to the word's high end: the bytes past them (not the
     * value's) fall off, and the zero bytes shifted in are leading zeros
     * (digits_value's layout, the '0's already taken off) */
    unsigned shift = (unsigned)(64 - 8 * n);
    uint64_t w = load8(s); /* csv.h: 8 bytes readable at a value */
    if ((non_digits(w) << shift) || tens > 9 || ones > 9)
        return false;
    *out = (lic_amount)(eight_digits((w ^ ASCII_ZEROS) << shift) * 100 + tens * 10 + ones);
    return true;
}
#endif

/* lic__sales_amount_bytes, the digits before the point eight bytes at a
 * time, for what most reports hold: no sign, at most 8 digits before the
 * point and `digits` (at most 8) after.  Any other text goes to
 * lic__sales_amount_bytes, which takes or refuses it; so does every text
 * the word tests refuse, so that both agree
 * (the unit tests and the fuzzer compare plain_amount with
 * lic_amount_parse through the reader's two paths). */
static inline bool plain_amount(const char *s, size_t len, int digits, lic_amount *out)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    static const uint64_t pow10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    if (len == 0 || len > 17 || s[0] == '-' || digits < 0 || digits > 8)
        return lic__sales_amount_bytes(s, len, digits, out);
    uint64_t w = load8(s); /* csv.h: 8 bytes readable at a value */
    uint64_t nd = non_digits(w) & low_bytes(len) & UINT64_C(0x8080808080808080);
    size_t int_len = nd ? (size_t)__builtin_ctzll(nd) / 8 : (len < 8 ? len : 8);
    if (int_len == 0 || (int_len == 8 && len > 8))
        return lic__sales_amount_bytes(s, len, digits, out);
    uint64_t v = digits_value(w, int_len);
    size_t frac = 0;
    if (int_len < len) { /* decimals are few: a byte at a time */
        frac = len - int_len - 1;
        if (s[int_len] != '.' || frac == 0 || frac > (size_t)digits)
            return lic__sales_amount_bytes(s, len, digits, out);
        for (size_t i = int_len + 1; i < len; i++) {
            unsigned d = (unsigned)(s[i] - '0');
            if (d >= 10)
                return lic__sales_amount_bytes(s, len, digits, out);
            v = v * 10 + d;
        }
    }
    *out = (lic_amount)(v * pow10[digits - (int)frac]);
    return true;
#else
    return lic__sales_amount_bytes(s, len, digits, out);
#endif
}


#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Where the first byte c (rep: c in every byte) is among the 16 at s,
 * or 16. */
static ALWAYS_INLINE size_t byte_in16(const char *s, uint64_t rep)
{
    uint64_t w = load8(s) ^ rep, z = (w - ONES) & ~w & (ONES << 7); /* the lowest bit set is exact */
    if (z)
        return (size_t)__builtin_ctzll(z) / 8;
    w = load8(s + 8) ^ rep;
    z = (w - ONES) & ~w & (ONES << 7);
    return z ? 8 + (size_t)__builtin_ctzll(z) / 8 : 16;
}

/* cents_at's amount once its point is known to be at s[dot] (dot 1 to
 * 7, and no point before it): the same tests, the same value.  Apart so
 * that like_pair can find both amounts' points at once. */
static ALWAYS_INLINE bool cents_with_dot(const char *s, size_t dot, char sep, size_t *len, lic_amount *out)
{
    uint64_t w = load8(s);
    if (s[dot + 3] != sep)
        return false;
    unsigned tens = (unsigned)(unsigned char)s[dot + 1] - '0', ones = (unsigned)(unsigned char)s[dot + 2] - '0';
    unsigned shift = (unsigned)(64 - 8 * dot); /* the digits to the word's high end, as cents_amount */
    if ((non_digits(w) << shift) || tens > 9 || ones > 9)
        return false;
    *out = (lic_amount)(eight_digits((w ^ ASCII_ZEROS) << shift) * 100 + tens * 10 + ones);
    *len = dot + 3;
    return true;
}

/* The amount of the commonest shape for a currency of two decimals (1
 * to 7 digits, '.', 2 digits) at s, ended by the byte sep: its value and
 * its length, found and read in one go (the point is within the first
 * word); false for any other text, which like_amounts then reads as
 * fast_amounts does.  What it takes, cents_amount takes alike. */
static ALWAYS_INLINE bool cents_at(const char *s, char sep, size_t *len, lic_amount *out)
{
    uint64_t w = load8(s), x = w ^ (ONES * '.'), z = (x - ONES) & ~x & (ONES << 7);
    size_t dot = z ? (size_t)__builtin_ctzll(z) / 8 : 0; /* the first point, exactly */
    return dot && cents_with_dot(s, dot, sep, len, out);
}

#endif

#endif
