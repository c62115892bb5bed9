/*
 * date.c - civil dates and durations (FORMAT 1).
 *
 * A lic_date is a day number, days since 1970-01-01 in the proleptic
 * Gregorian calendar.  Conversions between day numbers and year-month-day
 * use Howard Hinnant's days_from_civil / civil_from_days algorithms
 * ("chrono-Compatible Low-Level Date Algorithms",
 * howardhinnant.github.io/date_algorithms.html), written here from the
 * description: shift the year to start on 1 March so the leap day is the
 * last day of the year, then count 400-year eras of 146097 days.
 *
 * NOTES ON THE DESIGN
 *  - Everything is integer arithmetic; intermediate values are int64_t so
 *    that no int32 input can overflow.  Results are saturated to the
 *    int32 range minus LIC_DATE_NONE (see clamp_date), so arithmetic never
 *    turns a date into "no date" by accident, and LIC_DATE_NONE in gives
 *    LIC_DATE_NONE out.
 *  - Month arithmetic clamps the day to the target month's end (FORMAT 1:
 *    2025-01-31 + 1 month = 2025-02-28); years are 12 months.
 *  - Durations apply years, then months, then days, then business days
 *    (FORMAT 1: "{months: 1, days: 5} = months first").
 */
#include "licet/date.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Saturate a day number computed in 64 bits into lic_date, never yielding
 * LIC_DATE_NONE. */
static lic_date clamp_date(int64_t d)
{
    if (d > INT32_MAX)
        return INT32_MAX;
    if (d <= INT32_MIN)
        return INT32_MIN + 1;
    return (lic_date)d;
}

/* Floor division and its non-negative remainder, for negative day numbers
 * and month counts. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

/* Hinnant's days_from_civil: day number of y-m-d, any y.  Years 0 to
 * 99999 (after the shift to March) take Neri and Schneider's form of the
 * same count ("Euclidean affine functions and their application to
 * calendar algorithms", 2022): unsigned 32-bit arithmetic, no floor
 * division.  Dates are converted per report, line and pass, and the
 * 64-bit signed divisions were most of their cost. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    if (y >= 0 && y <= 99999 && m >= 1 && m <= 12) {
        uint32_t yu = (uint32_t)y, c = yu / 100, mu = (uint32_t)(m <= 2 ? m + 12 : m);
        uint32_t days = 1461 * yu / 4 - c + c / 4 + (979 * mu - 2919) / 32; /* to the month's first day */
        return (int64_t)days + d - 1 - 719468; /* 719468: 0000-03-01 to 1970-01-01 */
    }
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                              /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;      /* [0, 146096] */
    return era * 146097 + doe - 719468; /* 719468: 0000-03-01 to 1970-01-01 */
}

/* Hinnant's civil_from_days: the inverse of days_from_civil.  Days from
 * 0000-03-01 to year 268,000 or so (every valid date) take Neri and
 * Schneider's form, as days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    if (z >= -719468 && z < (1 << 30) - 719468) {
        uint32_t n = (uint32_t)(z + 719468) * 4 + 3; /* days since 0000-03-01, times 4, plus 3 */
        uint32_t century = n / 146097, rem = n % 146097 | 3;
        uint64_t p = (uint64_t)2939745 * rem;
        uint32_t yoc = (uint32_t)(p >> 32), doy = (uint32_t)p / 2939745 / 4; /* doy from 1 March */
        uint32_t md = 2141 * doy + 197913, mon = md >> 16;
        bool jan_feb = doy >= 306;
        *d = (int)((md & 0xFFFF) / 2141) + 1;
        *m = (int)(jan_feb ? mon - 12 : mon);
        *y = (int64_t)(100 * century + yoc) + jan_feb;
        return;
    }
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                 /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                               /* [0, 11] */
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

bool lic_date_in_range(lic_date d) { return d >= LIC_DATE_MIN && d <= LIC_DATE_MAX; }

bool lic_date_is_leap(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int lic_date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && lic_date_is_leap(year))
        return 29;
    return days[month - 1];
}

bool lic_date_valid_ymd(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && day >= 1 &&
           day <= lic_date_days_in_month(year, month);
}

lic_date lic_date_from_ymd(int year, int month, int day)
{
    return clamp_date(days_from_civil(year, month, day));
}

void lic_date_to_ymd(lic_date d, int *year, int *month, int *day)
{
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    /* |d| < 2^31 days keeps |y| below 6 million: it fits an int. */
    if (year)
        *year = (int)y;
    if (month)
        *month = m;
    if (day)
        *day = dd;
}

/* The value of n ASCII digits, or -1 if any byte is not a digit. */
static int parse_digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

lic_err lic_date_parse(const char *s, size_t len, lic_date *out)
{
    if (!s || len != 10 || s[4] != '-' || s[7] != '-')
        return LIC_EPARSE;
    int y = parse_digits(s, 4), m = parse_digits(s + 5, 2),
        d = parse_digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0)
        return LIC_EPARSE;
    if (!lic_date_valid_ymd(y, m, d))
        return LIC_ERANGE;
    *out = lic_date_from_ymd(y, m, d);
    return LIC_OK;
}

/* Writes v as exactly `width` decimal digits (v must fit). */
static void put_digits(char *p, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void lic_date_str(lic_date d, char out[LIC_DATE_STRLEN])
{
    int y = 0, m = 0, dd = 0;
    if (lic_date_in_range(d))
        lic_date_to_ymd(d, &y, &m, &dd);
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, dd, 2);
    out[10] = '\0';
}

int lic_date_weekday(lic_date d)
{
    /* 1970-01-01 was a Thursday, weekday 3 with Monday = 0. */
    return (int)floor_mod((int64_t)d + 3, 7);
}

lic_date lic_date_add_days(lic_date d, int32_t days)
{
    if (d == LIC_DATE_NONE)
        return d;
    return clamp_date((int64_t)d + days);
}

/* d plus a 64-bit number of months, clamping the day to the month's end. */
static lic_date add_months64(lic_date d, int64_t months)
{
    if (d == LIC_DATE_NONE)
        return d;
    int64_t y;
    int m, day;
    civil_from_days(d, &y, &m, &day);
    int64_t total = y * 12 + (m - 1) + months;
    if (total >= 12 && total < 10000 * 12) { /* years 1..9999: no floor division, no clamp */
        int ny = (int)(total / 12), nm = (int)(total % 12) + 1, dim = lic_date_days_in_month(ny, nm);
        return (lic_date)days_from_civil(ny, nm, day > dim ? dim : day);
    }
    int64_t ny = floor_div(total, 12);
    int nm = (int)floor_mod(total, 12) + 1;
    /* Leap-ness repeats every 400 years, so reduce the year for the test. */
    int dim = lic_date_days_in_month((int)floor_mod(ny, 400) + 400, nm);
    if (day > dim)
        day = dim;
    return clamp_date(days_from_civil(ny, nm, day));
}

lic_date lic_date_add_months(lic_date d, int32_t months)
{
    return add_months64(d, months);
}

lic_date lic_date_add_years(lic_date d, int32_t years)
{
    return add_months64(d, (int64_t)years * 12);
}

bool lic_duration_is_zero(const lic_duration *dur)
{
    return !dur || (dur->years == 0 && dur->months == 0 && dur->days == 0 &&
                    dur->business_days == 0);
}

lic_date lic_date_add_duration(lic_date d, const lic_duration *dur,
                               const lic_calendar *cal)
{
    if (!dur)
        return d;
    /* FORMAT 1: years first, then months, then days, then business days;
     * each step clamps on its own (2024-02-29 + 1 year + 1 month is
     * 2025-03-28, not 2025-03-29). */
    if (dur->years) /* adding no months gives d back: skip the civil calendar */
        d = lic_date_add_years(d, dur->years);
    if (dur->months)
        d = lic_date_add_months(d, dur->months);
    d = lic_date_add_days(d, dur->days);
    if (dur->business_days != 0 && d != LIC_DATE_NONE)
        d = lic_calendar_add_business_days(cal, d, dur->business_days);
    return d;
}

/* ---- formatting ---------------------------------------------------------- */

/* An snprintf-like sink: copies what fits, counts everything. */
typedef struct text_sink {
    char *buf;
    size_t cap;
    size_t len; /* length of the whole text so far, even past cap */
} text_sink;

static void sink_put(text_sink *t, const char *s)
{
    size_t n = strlen(s);
    if (t->cap > 0 && t->len < t->cap - 1) {
        size_t room = t->cap - 1 - t->len;
        memcpy(t->buf + t->len, s, n < room ? n : room);
    }
    t->len += n;
}

/* "1 month", "18 months", "-1 day", "30 business days". */
static void sink_amount(text_sink *t, int32_t v, const char *unit)
{
    char num[16];
    snprintf(num, sizeof num, "%" PRId32 " ", v);
    sink_put(t, num);
    sink_put(t, unit);
    if (v != 1 && v != -1)
        sink_put(t, "s");
}

size_t lic_duration_format(const lic_duration *dur, char *buf, size_t n)
{
    static const lic_duration zero = {0, 0, 0, 0};
    if (!dur)
        dur = &zero;
    const struct {
        int32_t v;
        const char *unit;
    } parts[] = {
        {dur->years, "year"},
        {dur->months, "month"},
        {dur->days, "day"},
        {dur->business_days, "business day"},
    };
    size_t nonzero = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        nonzero += parts[i].v != 0;

    text_sink t = {buf, n, 0};
    if (nonzero == 0)
        sink_amount(&t, 0, "day");
    /* English list: "A", "A and B", "A, B and C". */
    size_t done = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (parts[i].v == 0)
            continue;
        if (done > 0)
            sink_put(&t, done + 1 == nonzero ? " and " : ", ");
        sink_amount(&t, parts[i].v, parts[i].unit);
        done++;
    }
    if (n > 0)
        buf[t.len < n ? t.len : n - 1] = '\0';
    return t.len;
}
