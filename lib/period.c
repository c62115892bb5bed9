/*
 * period.c - calendar periods: months, quarters, halves and years.
 *
 * Reports and minimum payments are due per period ("2026-05", "2026-Q2",
 * "2026-H1", "2026").  Every kind is a run of whole months inside one
 * year, so one table row per kind (months per period, periods per year,
 * the letter in its name) drives parsing, printing and arithmetic.
 *
 * A valid period has a year in 1..9999 and an index in 1..(periods per
 * year); parse, next and containing of an in-range date give only valid
 * ones.  first/last of an invalid period are LIC_DATE_NONE and its name is
 * "invalid".
 */
#include "licet/date.h"

#include <stdint.h>
#include <string.h>

#include "period_int.h"

typedef struct period_kind_info {
    int months;   /* months in one period */
    int per_year; /* periods in one year */
    char letter;  /* "2026-Q2" letter; 0 for months (digits) and years */
} period_kind_info;

static const period_kind_info kind_table[] = {
    [LIC_PERIOD_MONTH] = {1, 12, 0},
    [LIC_PERIOD_QUARTER] = {3, 4, 'Q'},
    [LIC_PERIOD_HALF] = {6, 2, 'H'},
    [LIC_PERIOD_YEAR] = {12, 1, 0},
};

static const period_kind_info *kind_info(lic_period_kind kind)
{
    if ((unsigned)kind >= sizeof kind_table / sizeof kind_table[0])
        return NULL;
    return &kind_table[kind];
}

static bool period_valid(lic_period p)
{
    const period_kind_info *k = kind_info(p.kind);
    return k && p.year >= 1 && p.year <= 9999 && p.index >= 1 &&
           p.index <= k->per_year;
}

static int digit_value(char c) { return c >= '0' && c <= '9' ? c - '0' : -1; }

/* The value of a run of n digits, or -1. */
static int parse_digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        int dv = digit_value(s[i]);
        if (dv < 0)
            return -1;
        v = v * 10 + dv;
    }
    return v;
}

/* The part after "YYYY-": "05", "Q2" or "H1".  Letters are upper case
 * only, as written in FORMAT; "2026-q2" is a shape error. */
static lic_err parse_suffix(const char *s, lic_period *p)
{
    if (s[0] == 'Q' || s[0] == 'H') {
        p->kind = s[0] == 'Q' ? LIC_PERIOD_QUARTER : LIC_PERIOD_HALF;
        p->index = digit_value(s[1]);
    } else {
        p->kind = LIC_PERIOD_MONTH;
        p->index = parse_digits(s, 2);
    }
    return p->index < 0 ? LIC_EPARSE : LIC_OK;
}

lic_err lic_period_parse(const char *s, size_t len, lic_period *out)
{
    if (!s || (len != 4 && len != 7))
        return LIC_EPARSE;
    lic_period p = {LIC_PERIOD_YEAR, parse_digits(s, 4), 1};
    if (p.year < 0)
        return LIC_EPARSE;
    if (len == 7) {
        if (s[4] != '-')
            return LIC_EPARSE;
        lic_err rc = parse_suffix(s + 5, &p);
        if (rc)
            return rc;
    }
    if (!period_valid(p))
        return LIC_ERANGE;
    *out = p;
    return LIC_OK;
}

/* "00" to "99": a period's name is written per report, invoice and pass,
 * two digits at a time. */
static const char two_digits[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                 "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                 "8081828384858687888990919293949596979899";

/* Writes v (0..99) as two digits. */
static void put_two(char *p, int v)
{
    memcpy(p, two_digits + 2 * v, 2);
}

void lic_period_str(lic_period p, char out[LIC_PERIOD_STRLEN])
{
    if (!period_valid(p)) {
        memcpy(out, "invalid", sizeof "invalid");
        return;
    }
    const period_kind_info *k = kind_info(p.kind);
    put_two(out, p.year / 100);
    put_two(out + 2, p.year % 100);
    size_t len = 4;
    if (p.kind != LIC_PERIOD_YEAR) {
        out[len++] = '-';
        if (k->letter) {
            out[len++] = k->letter;
            out[len++] = (char)('0' + p.index);
        } else {
            put_two(out + len, p.index);
            len += 2;
        }
    }
    out[len] = '\0';
}

/* The first day of month m (1..13: 13 is January of the next year) of
 * year y (1..9999), as lic_date_from_ymd(y, m, 1) gives it.  Periods'
 * first and last days are asked for per report, line and pass: with the
 * years of valid periods positive, the count needs no floor division and
 * no range clamp (Neri and Schneider's form of days_from_civil, date.c). */
static lic_date month_first(int y, int m)
{
    if (m > 12)
        y++, m = 1;
    unsigned yy = (unsigned)y - (m <= 2), c = yy / 100, mm = (unsigned)(m <= 2 ? m + 12 : m);
    unsigned days = 1461 * yy / 4 - c + c / 4 + (979 * mm - 2919) / 32; /* since 0000-03-01 */
    return (lic_date)days - 719468; /* 719468: 0000-03-01 to 1970-01-01 */
}

lic_date lic_period_first(lic_period p)
{
    if (!period_valid(p))
        return LIC_DATE_NONE;
    return month_first(p.year, (p.index - 1) * kind_info(p.kind)->months + 1);
}

/* The day before the first day of the month after the period. */
lic_date lic_period_last(lic_period p)
{
    if (!period_valid(p))
        return LIC_DATE_NONE;
    return month_first(p.year, p.index * kind_info(p.kind)->months + 1) - 1;
}

lic_period lic_period_next(lic_period p)
{
    const period_kind_info *k = kind_info(p.kind);
    if (!k)
        return p;
    if (p.index < k->per_year) {
        p.index++;
    } else if (p.year < 9999) {
        p.year++;
        p.index = 1;
    } else {
        /* There is no period after 9999's last; say so with an invalid
         * year rather than wrap around. */
        p.year = 10000;
        p.index = 1;
    }
    return p;
}

lic_period lic_period_containing(lic_period_kind kind, lic_date d)
{
    int y, m;
    lic_date_to_ymd(d, &y, &m, NULL);
    const period_kind_info *k = kind_info(kind);
    lic_period p = {kind, y, 1};
    if (k)
        p.index = (m - 1) / k->months + 1;
    return p;
}

/* The order lives in period_int.h, inline for the engine's loops. */
int lic_period_cmp(lic_period a, lic_period b)
{
    return lic__period_cmp(a, b);
}
