/*
 * sales_fast.c - the sales reader's fast line (sales_csv.c, "the fast
 * line"): its readers of amounts and units a byte at a time, for the
 * shapes its word-at-a-time readers leave (rare: out of sales_csv.c,
 * whose hot code stays there, inlined).
 */
#include "sales_fast.h"

/* An amount of the shape [-]digits[.digits] with at most `digits`
 * decimals and at most 18 digits once scaled, which lic_amount_parse
 * reads as this very value (below 10^18: no overflow); false for any
 * other text, left to lic_amount_parse to judge.  A byte at a time;
 * sales_csv.c's plain_amount takes the common shapes eight at a time first. */
bool lic__sales_amount_bytes(const char *s, size_t len, int digits, lic_amount *out)
{
    bool neg = len > 0 && s[0] == '-';
    size_t i = neg, int_len, frac = 0;
    uint64_t v = 0; /* may wrap on a long text, which is then refused */
    while (i < len && (unsigned)(s[i] - '0') < 10)
        v = v * 10 + (unsigned)(s[i++] - '0');
    int_len = i - neg;
    if (int_len == 0)
        return false;
    if (i < len) {
        if (s[i++] != '.')
            return false;
        size_t f0 = i;
        while (i < len && (unsigned)(s[i] - '0') < 10)
            v = v * 10 + (unsigned)(s[i++] - '0');
        frac = i - f0;
        if (frac == 0 || i != len)
            return false;
    }
    if (digits < 0 || frac > (size_t)digits || int_len + (size_t)digits > 18)
        return false;
    for (; frac < (size_t)digits; frac++)
        v *= 10;
    *out = neg ? -(lic_amount)v : (lic_amount)v;
    return true;
}

/* Units as ld_int reads them between 0 and 2000000000: 1 to 9 digits. */
bool lic__sales_plain_units(const char *s, size_t len, int64_t *out)
{
    if (len >= 10)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned)(s[i] - '0') >= 10)
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}
