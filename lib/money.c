/*
 * money.c - exact decimal parsing, arithmetic and formatting of amounts
 * and rates.
 *
 * NOTES ON THE DESIGN
 *
 * - Amounts are int64 minor units; rates are int64 units of 10^-12
 *   (LIC_RATE_SCALE).  FORMAT 1: money is exact, never a binary
 *   approximation, so strings are read digit by digit into integers and
 *   written back the same way.
 * - Every product or quotient is computed exactly in 128 bits and rounded
 *   once (FORMAT 1: "every computed amount is rounded once").  |int64 x
 *   int64| < 2^126, so a product of two 64-bit values always fits; only
 *   convert's power-of-ten scaling can leave 128 bits, and it is checked.
 * - Rounding is half-even (the FORMAT default) or half-up.  Half-up rounds
 *   a tie away from zero for negatives too (-2.5 -> -3), so that a credit
 *   note rounds to the same magnitude as the invoice it reverses.
 * - A result that does not fit int64 is LIC_EOVERFLOW, never a wrap.
 * - Minor-unit digits are 0..18 (LIC_EINVAL otherwise): ISO's largest is 4,
 *   rates use 10 and 12, and 10^18 is the largest power of ten in int64.
 */
#include "licet/money.h"

#include <string.h>

__extension__ typedef __int128 i128;

#define MAX_DIGITS 18

/* 10^k for 0 <= k <= 38 (10^38 < 2^127). */
static i128 pow10_i128(int k)
{
    i128 p = 1;
    while (k-- > 0)
        p *= 10;
    return p;
}

static bool fits_i64(i128 v) { return v >= INT64_MIN && v <= INT64_MAX; }

static bool digits_ok(int digits) { return digits >= 0 && digits <= MAX_DIGITS; }

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

/* The shape of a decimal string: [-]int[.frac], both parts non-empty
 * runs of ASCII digits.  Pointers index into the caller's string. */
typedef struct decimal {
    bool neg;
    const char *int_part;
    size_t int_len;
    const char *frac;
    size_t frac_len;
} decimal;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static size_t digit_run(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && is_digit(s[i]))
        i++;
    return i;
}

/* Splits s[0..len) into sign, integer and fraction, or LIC_EPARSE.  The
 * grammar is deliberately narrow (no '+', exponent, space or grouping):
 * an agreement's "1,000" must be an error, not a guess. */
static lic_err split_decimal(const char *s, size_t len, decimal *d)
{
    size_t i = 0;
    memset(d, 0, sizeof *d);
    if (i < len && s[i] == '-') {
        d->neg = true;
        i++;
    }
    d->int_part = s + i;
    d->int_len = digit_run(s + i, len - i);
    if (d->int_len == 0)
        return LIC_EPARSE;
    i += d->int_len;
    if (i < len && s[i] == '.') {
        i++;
        d->frac = s + i;
        d->frac_len = digit_run(s + i, len - i);
        if (d->frac_len == 0)
            return LIC_EPARSE;
        i += d->frac_len;
    }
    return i == len ? LIC_OK : LIC_EPARSE;
}

/* Appends one decimal digit to a magnitude bounded by `limit`. */
static bool push_digit(uint64_t *mag, unsigned dig, uint64_t limit)
{
    if (*mag > (limit - dig) / 10)
        return false;
    *mag = *mag * 10 + dig;
    return true;
}

/* The value of d in units of 10^-digits.  Fraction digits beyond `digits`
 * must be zeros (LIC_ERANGE otherwise): dropping them would round. */
static lic_err decimal_value(const decimal *d, int digits, int64_t *out)
{
    for (size_t i = (size_t)digits; i < d->frac_len; i++)
        if (d->frac[i] != '0')
            return LIC_ERANGE;
    /* Negative values may reach 2^63 in magnitude (INT64_MIN). */
    uint64_t limit = d->neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t mag = 0;
    for (size_t i = 0; i < d->int_len; i++)
        if (!push_digit(&mag, (unsigned)(d->int_part[i] - '0'), limit))
            return LIC_EOVERFLOW;
    for (int i = 0; i < digits; i++) {
        unsigned dig = (size_t)i < d->frac_len ? (unsigned)(d->frac[i] - '0') : 0;
        if (!push_digit(&mag, dig, limit))
            return LIC_EOVERFLOW;
    }
    /* 0 - mag in unsigned arithmetic, then back: exact for 2^63 too. */
    *out = d->neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return LIC_OK;
}

/* The string ends at len or at a NUL, whichever comes first, so callers
 * may pass a C string with a generous len. */
static size_t bounded_len(const char *s, size_t len)
{
    const char *nul = memchr(s, '\0', len);
    return nul ? (size_t)(nul - s) : len;
}

static lic_err parse_scaled(const char *s, size_t len, int digits,
                            int64_t *out)
{
    decimal d;
    lic_err rc = split_decimal(s, len, &d);
    if (rc)
        return rc;
    return decimal_value(&d, digits, out);
}

lic_err lic_amount_parse(const char *s, size_t len, int digits,
                         lic_amount *out)
{
    if (!s || !out || !digits_ok(digits))
        return LIC_EINVAL;
    return parse_scaled(s, bounded_len(s, len), digits, out);
}

/* "4.5%" is 4.5 x 10^-2, so a percentage carries two fewer fractional
 * digits than the plain fraction: 10 instead of 12. */
lic_err lic_rate_parse(const char *s, size_t len, lic_rate *out)
{
    if (!s || !out)
        return LIC_EINVAL;
    len = bounded_len(s, len);
    if (len > 0 && s[len - 1] == '%')
        return parse_scaled(s, len - 1, LIC_RATE_DIGITS - 2, out);
    return parse_scaled(s, len, LIC_RATE_DIGITS, out);
}

/* ------------------------------------------------------------------ */
/* Arithmetic                                                          */
/* ------------------------------------------------------------------ */

lic_err lic_amount_add(lic_amount a, lic_amount b, lic_amount *out)
{
    return __builtin_add_overflow(a, b, out) ? LIC_EOVERFLOW : LIC_OK;
}

lic_err lic_amount_sub(lic_amount a, lic_amount b, lic_amount *out)
{
    return __builtin_sub_overflow(a, b, out) ? LIC_EOVERFLOW : LIC_OK;
}

lic_err lic_rate_add(lic_rate a, lic_rate b, lic_rate *out)
{
    return __builtin_add_overflow(a, b, out) ? LIC_EOVERFLOW : LIC_OK;
}

/* num / den rounded once to an integer.  den > 0 and |num| < 2^127 - den
 * (true for every caller: products of two int64 values).  C division
 * truncates toward zero; the remainder decides whether to step one unit
 * away from zero. */
static i128 round_div(i128 num, i128 den, lic_rounding mode)
{
    i128 q = num / den;
    i128 r = num % den;
    if (r == 0)
        return q;
    i128 twice = (r < 0 ? -r : r) * 2; /* |r| < den, so no overflow */
    bool away;
    if (twice != den)
        away = twice > den;
    else if (mode == LIC_ROUND_HALF_UP)
        away = true;
    else
        away = (q % 2) != 0; /* half-even: step only off an odd quotient */
    if (away)
        q += num < 0 ? -1 : 1;
    return q;
}

/* Rounds num / den into an int64, or LIC_EOVERFLOW. */
static lic_err round_to_i64(i128 num, i128 den, lic_rounding mode,
                            int64_t *out)
{
    if (mode != LIC_ROUND_HALF_EVEN && mode != LIC_ROUND_HALF_UP)
        return LIC_EINVAL;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    i128 q = round_div(num, den, mode);
    if (!fits_i64(q))
        return LIC_EOVERFLOW;
    *out = (int64_t)q;
    return LIC_OK;
}

lic_err lic_amount_mul_rate(lic_amount a, lic_rate r, lic_rounding mode,
                            lic_amount *out)
{
    return round_to_i64((i128)a * r, LIC_RATE_SCALE, mode, out);
}

lic_err lic_rate_mul(lic_rate a, lic_rate b, lic_rounding mode,
                     lic_rate *out)
{
    return round_to_i64((i128)a * b, LIC_RATE_SCALE, mode, out);
}

lic_err lic_amount_muldiv(lic_amount a, int64_t num, int64_t den,
                          lic_rounding mode, lic_amount *out)
{
    if (den == 0)
        return LIC_EINVAL;
    return round_to_i64((i128)a * num, den, mode, out);
}

/* out = round(a * rate * 10^k / 10^12) with k = to - from.  For k <= 12
 * that is one division by 10^(12-k) <= 10^30, which fits in 128 bits.
 * For k > 12 the result is the exact product a * rate * 10^(k-12), and the
 * scaling is checked before it is done, so 128 bits never wrap. */
lic_err lic_amount_convert(lic_amount a, int from_digits, lic_rate rate,
                           int to_digits, lic_rounding mode,
                           lic_amount *out)
{
    if (!digits_ok(from_digits) || !digits_ok(to_digits))
        return LIC_EINVAL;
    int k = to_digits - from_digits;
    i128 product = (i128)a * rate;
    if (k <= LIC_RATE_DIGITS)
        return round_to_i64(product, pow10_i128(LIC_RATE_DIGITS - k), mode,
                            out);
    i128 scale = pow10_i128(k - LIC_RATE_DIGITS);
    /* Anything above INT64_MAX / scale overflows the int64 result anyway,
     * and checking here keeps the 128-bit multiply in range. */
    if (product > INT64_MAX / scale || product < INT64_MIN / scale)
        return LIC_EOVERFLOW;
    return round_to_i64(product * scale, 1, mode, out);
}

/* ------------------------------------------------------------------ */
/* Formatting                                                          */
/* ------------------------------------------------------------------ */

/* Copies len bytes into buf as snprintf would: truncated to n-1 bytes and
 * NUL-terminated when n > 0.  Returns len, the length needed. */
static size_t emit(const char *text, size_t len, char *buf, size_t n)
{
    if (n > 0) {
        size_t k = len < n - 1 ? len : n - 1;
        memcpy(buf, text, k);
        buf[k] = '\0';
    }
    return len;
}

/* Writes v / 10^digits as "[-]int[.frac]" into out (at least 48 bytes)
 * and returns its length.  Works on the unsigned magnitude so that
 * INT64_MIN, whose negation does not fit int64, prints correctly. */
static size_t fixed_point(int64_t v, int digits, char *out)
{
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    char rev[24];
    size_t nd = 0;
    do {
        rev[nd++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag > 0);
    /* At least one digit before the point: 5 cents is "0.05". */
    while (nd < (size_t)digits + 1)
        rev[nd++] = '0';
    size_t len = 0;
    if (v < 0)
        out[len++] = '-';
    for (size_t i = nd; i-- > 0;) {
        out[len++] = rev[i];
        if (i == (size_t)digits && digits > 0)
            out[len++] = '.';
    }
    return len;
}

/* Drops trailing fraction zeros, and the point if nothing is left. */
static size_t strip_zeros(const char *text, size_t len)
{
    if (!memchr(text, '.', len))
        return len;
    while (text[len - 1] == '0')
        len--;
    if (text[len - 1] == '.')
        len--;
    return len;
}

size_t lic_amount_format(lic_amount a, int digits, char *buf, size_t n)
{
    char text[48];
    if (!digits_ok(digits))
        return emit("", 0, buf, n);
    return emit(text, fixed_point(a, digits, text), buf, n);
}

size_t lic_rate_format_percent(lic_rate r, char *buf, size_t n)
{
    char text[48];
    size_t len = strip_zeros(text, fixed_point(r, LIC_RATE_DIGITS - 2, text));
    text[len++] = '%';
    return emit(text, len, buf, n);
}

size_t lic_rate_format_decimal(lic_rate r, char *buf, size_t n)
{
    char text[48];
    size_t len = strip_zeros(text, fixed_point(r, LIC_RATE_DIGITS, text));
    return emit(text, len, buf, n);
}
