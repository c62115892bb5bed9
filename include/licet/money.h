/*
 * money.h - exact money and rates.
 *
 * Amounts are signed 64-bit integers in a currency's minor units (cents
 * for USD, yen for JPY, fils for BHD).  Rates are signed 64-bit integers in
 * units of 10^-12 (LIC_RATE_SCALE): 4.5% is 45,000,000,000.  Products and
 * quotients use 128-bit intermediates and are rounded once, explicitly.
 * Overflow is LIC_EOVERFLOW, never a wrap.  Nothing here touches floating
 * point: decimal strings are parsed digit by digit.
 */
#ifndef LICET_MONEY_H
#define LICET_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "licet/error.h"

typedef int64_t lic_amount; /* minor units of some currency */
typedef int64_t lic_rate;   /* fraction x 10^12 */

#define LIC_RATE_SCALE INT64_C(1000000000000)
#define LIC_RATE_DIGITS 12

/* Ties round to the even neighbour, or away from zero (half-up is
 * symmetric: 2.5 -> 3 and -2.5 -> -3).  Any other value is LIC_EINVAL. */
typedef enum { LIC_ROUND_HALF_EVEN = 0, LIC_ROUND_HALF_UP = 1 } lic_rounding;

/* An ISO 4217 currency: alphabetic code, numeric code, minor-unit digits. */
typedef struct lic_currency {
    char code[4];
    uint16_t numeric;
    uint8_t digits;
    const char *name;
} lic_currency;

/* The active ISO 4217 currency with this alphabetic code (exactly three
 * upper-case letters), or NULL. */
const lic_currency *lic_currency_find(const char *code);
size_t lic_currency_count(void);
/* The i-th currency in code order, or NULL when i >= lic_currency_count(). */
const lic_currency *lic_currency_at(size_t i);

/* Parses a decimal string of at most `len` bytes: optional '-', digits,
 * optional '.' and fraction.  No exponent, no '+', no separators, no
 * leading or trailing space.  The value must be a whole number of minor
 * units for `digits` (extra fractional digits are allowed only if zero).
 * A NUL before `len` ends the string.  Errors: LIC_EPARSE (not a decimal
 * number), LIC_ERANGE (more fractional digits than the currency has),
 * LIC_EOVERFLOW (does not fit), LIC_EINVAL (digits outside 0..18). */
lic_err lic_amount_parse(const char *s, size_t len, int digits,
                         lic_amount *out) LIC_MUST_CHECK;

/* Parses a rate: "4.5%" (percent) or "0.045" (fraction), at most 12
 * fractional digits of the fraction after scaling.  Negative rates are
 * accepted (callers decide).  Errors as for lic_amount_parse. */
lic_err lic_rate_parse(const char *s, size_t len, lic_rate *out) LIC_MUST_CHECK;

lic_err lic_amount_add(lic_amount a, lic_amount b, lic_amount *out) LIC_MUST_CHECK;
lic_err lic_amount_sub(lic_amount a, lic_amount b, lic_amount *out) LIC_MUST_CHECK;

/* out = round(a * r).  Exact 128-bit product, rounded once. */
lic_err lic_amount_mul_rate(lic_amount a, lic_rate r, lic_rounding mode,
                            lic_amount *out) LIC_MUST_CHECK;

/* out = round(a * num / den); den != 0 (LIC_EINVAL otherwise). */
lic_err lic_amount_muldiv(lic_amount a, int64_t num, int64_t den,
                          lic_rounding mode, lic_amount *out) LIC_MUST_CHECK;

/* Converts an amount in a currency with from_digits minor digits into one
 * with to_digits, at `rate` units of the target per unit of the source:
 * out = round(a * rate * 10^(to_digits - from_digits)).  Digits outside
 * 0..18 are LIC_EINVAL. */
lic_err lic_amount_convert(lic_amount a, int from_digits, lic_rate rate,
                           int to_digits, lic_rounding mode,
                           lic_amount *out) LIC_MUST_CHECK;

/* out = round(a * b) for two rates (e.g. a rate times a 50% factor). */
lic_err lic_rate_mul(lic_rate a, lic_rate b, lic_rounding mode,
                     lic_rate *out) LIC_MUST_CHECK;
lic_err lic_rate_add(lic_rate a, lic_rate b, lic_rate *out) LIC_MUST_CHECK;

/* Formats an amount with exactly `digits` fractional digits: "1234.56",
 * "-0.05", "1234" for digits 0.  Returns the length needed (as snprintf);
 * 32 bytes always suffice.  Digits outside 0..18 give "" and 0. */
size_t lic_amount_format(lic_amount a, int digits, char *buf, size_t n);

/* Formats a rate as a percentage with no trailing zeros: "4.5%", "3%",
 * "0.125%".  40 bytes always suffice. */
size_t lic_rate_format_percent(lic_rate r, char *buf, size_t n);

/* Formats a rate as a decimal fraction with no trailing zeros: "0.045". */
size_t lic_rate_format_decimal(lic_rate r, char *buf, size_t n);

#endif
