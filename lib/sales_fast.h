/*
 * sales_fast.h - the byte-at-a-time readers of the sales reader's fast
 * line (sales_fast.c), private to sales_csv.c.
 */
#ifndef LIC_SALES_FAST_H
#define LIC_SALES_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "licet/money.h"

/* An amount of the shape [-]digits[.digits] with at most `digits`
 * decimals and at most 18 digits once scaled, which lic_amount_parse
 * reads as this very value (below 10^18: no overflow); false for any
 * other text, left to lic_amount_parse to judge. */
bool lic__sales_amount_bytes(const char *s, size_t len, int digits, lic_amount *out);

/* Units as ld_int reads them between 0 and 2000000000: 1 to 9 digits;
 * false for any other text, left to ld_int to judge. */
bool lic__sales_plain_units(const char *s, size_t len, int64_t *out);

#endif
