/*
 * calendar.c - business-day calendars (FORMAT 1 "business days", 2.1).
 *
 * A business day is a Monday to Friday that is not one of the calendar's
 * holidays.  The built-in calendars come from data/calendars/NAME.txt,
 * embedded by scripts/embed-calendars.sh (see calendar_data.h) and parsed
 * here on first use.
 *
 * NOTES ON THE DESIGN
 *  - A calendar is one allocation: the struct, then its sorted unique
 *    holidays, then the subset of those on Monday-Friday ("workday
 *    holidays", the only ones that change a business-day count), then the
 *    name.  One free, no partial states.
 *  - Counting is closed-form, not day by day.  F(d) counts weekdays up to
 *    d (relative to a fixed Monday), H(d) counts workday holidays up to d
 *    by binary search, and B(d) = F(d) - H(d) counts business days.
 *    "n business days after d" is the business day x with
 *    B(x) = B(d) + n; it is found by a fixed-point iteration over holidays
 *    (solve_business_day), so a step of 10,000 business days costs a few
 *    binary searches.
 *  - The built-ins are parsed once per process and then only read.  The
 *    first caller parses under a pthread mutex (statically initialised, so
 *    no once-init is needed for the mutex itself) and publishes the result
 *    with a release store; later callers see it with an acquire load and
 *    take no lock.  C11 call_once was not used because a parse that runs
 *    out of memory must be retried by a later caller (the allocation
 *    failure tests would otherwise poison the built-ins for the whole
 *    process); with the mutex a failed parse leaves nothing published.
 *    The parsed calendars live until the process exits.  "WEEKENDS" is
 *    a data file like the others (data/calendars/WEEKENDS.txt, no dates).
 */
#include "licet/date.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "calendar_data.h"

struct lic_calendar {
    const char *name;
    const lic_date *holidays; /* sorted, unique */
    size_t nholidays;
    const lic_date *workday_holidays; /* the holidays on Monday-Friday */
    size_t nworkday;
};

/* A Monday (1970-01-05): the origin of the weekday count F. */
#define MONDAY_ORIGIN 4

static int64_t floor_div7(int64_t a)
{
    return a >= 0 ? a / 7 : -((-a + 6) / 7);
}

/* F(d): the number of weekdays in [MONDAY_ORIGIN, d], extended to d before
 * the origin so that F(d) - F(d - 1) is 1 exactly when d is a weekday. */
static int64_t weekdays_upto(int64_t d)
{
    int64_t t = d - MONDAY_ORIGIN;
    int64_t q = floor_div7(t);
    int64_t r = t - q * 7; /* 0 = Monday ... 6 = Sunday */
    return q * 5 + (r + 1 < 5 ? r + 1 : 5);
}

/* The inverse of F on weekdays: the weekday x with F(x) = v. */
static int64_t weekday_numbered(int64_t v)
{
    int64_t q = (v - 1) >= 0 ? (v - 1) / 5 : -((-(v - 1) + 4) / 5);
    int64_t r = (v - 1) - q * 5; /* 0 = Monday ... 4 = Friday */
    return MONDAY_ORIGIN + q * 7 + r;
}

/* The number of entries of the sorted array a[0..n) that are <= d. */
static size_t count_upto(const lic_date *a, size_t n, int64_t d)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] <= d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* H(d): workday holidays on or before d.  NULL is WEEKENDS: none. */
static int64_t holidays_upto(const lic_calendar *cal, int64_t d)
{
    if (!cal)
        return 0;
    return (int64_t)count_upto(cal->workday_holidays, cal->nworkday, d);
}

/* B(d): business days up to d, relative to the same origin as F. */
static int64_t business_upto(const lic_calendar *cal, int64_t d)
{
    return weekdays_upto(d) - holidays_upto(cal, d);
}

/* The business day x with B(x) = target, given a day `below` < x with
 * B(below) < target.  Each round places x as if the holidays up to the
 * previous guess were all there are; when a round finds no new holiday,
 * x is a weekday with B(x) = target, and it is not itself a holiday (it
 * would have been new).  Every round passes at least one more holiday, so
 * the loop ends within the number of holidays. */
static int64_t solve_business_day(const lic_calendar *cal, int64_t target,
                                  int64_t below)
{
    int64_t h = holidays_upto(cal, below);
    int64_t x = weekday_numbered(target + h);
    for (;;) {
        int64_t h2 = holidays_upto(cal, x);
        if (h2 == h)
            return x;
        h = h2;
        x = weekday_numbered(target + h);
    }
}

/* As in date.c: saturate into lic_date without producing LIC_DATE_NONE. */
static lic_date clamp_date(int64_t d)
{
    if (d > INT32_MAX)
        return INT32_MAX;
    if (d <= INT32_MIN)
        return INT32_MIN + 1;
    return (lic_date)d;
}

lic_date lic_calendar_add_business_days(const lic_calendar *cal, lic_date d,
                                        int32_t n)
{
    if (n == 0 || d == LIC_DATE_NONE)
        return d;
    if (n > 0) {
        int64_t target = business_upto(cal, d) + n;
        return clamp_date(solve_business_day(cal, target, d));
    }
    /* n < 0: the |n|-th business day before d is the business day x with
     * B(x) = B(d - 1) + n + 1 (n = -1: the last business day before d).
     * No business day numbered `target` lies before the weekday numbered
     * `target`, which gives the lower bound. */
    int64_t target = business_upto(cal, (int64_t)d - 1) + n + 1;
    return clamp_date(solve_business_day(cal, target,
                                         weekday_numbered(target) - 1));
}

int32_t lic_calendar_business_days_between(const lic_calendar *cal,
                                           lic_date from, lic_date to)
{
    int64_t n = business_upto(cal, to) - business_upto(cal, from);
    if (n > INT32_MAX)
        return INT32_MAX;
    if (n < INT32_MIN)
        return INT32_MIN;
    return (int32_t)n;
}

bool lic_calendar_is_holiday(const lic_calendar *cal, lic_date d)
{
    if (!cal || cal->nholidays == 0)
        return false;
    size_t i = count_upto(cal->holidays, cal->nholidays, d);
    return i > 0 && cal->holidays[i - 1] == d;
}

bool lic_calendar_is_business_day(const lic_calendar *cal, lic_date d)
{
    return lic_date_weekday(d) < 5 && !lic_calendar_is_holiday(cal, d);
}

const char *lic_calendar_name(const lic_calendar *cal)
{
    return cal ? cal->name : "WEEKENDS";
}

size_t lic_calendar_holiday_count(const lic_calendar *cal)
{
    return cal ? cal->nholidays : 0;
}

lic_date lic_calendar_holiday_at(const lic_calendar *cal, size_t i)
{
    if (!cal || i >= cal->nholidays)
        return LIC_DATE_NONE;
    return cal->holidays[i];
}

/* ---- construction ------------------------------------------------------- */

/* A calendar block with room for `cap` holidays (twice: all, and the
 * workday subset) and the name.  The holidays are filled in by
 * calendar_finish.  NULL when out of memory or the size overflows. */
static lic_calendar *calendar_alloc(const char *name, size_t cap,
                                    lic_date **holidays)
{
    size_t name_len = strlen(name);
    if (cap > (SIZE_MAX - sizeof(lic_calendar) - name_len - 1) /
                  (2 * sizeof(lic_date)))
        return NULL;
    size_t size = sizeof(lic_calendar) + 2 * cap * sizeof(lic_date) +
                  name_len + 1;
    lic_calendar *cal = lic__malloc(size);
    if (!cal)
        return NULL;
    /* The struct's size is a multiple of its alignment, which is at least
     * lic_date's, so the arrays right after it are aligned. */
    _Static_assert(_Alignof(lic_calendar) >= _Alignof(lic_date),
                   "holiday arrays follow the struct");
    lic_date *all = (lic_date *)(cal + 1);
    char *name_copy = (char *)(all + 2 * cap);
    memcpy(name_copy, name, name_len + 1);
    cal->name = name_copy;
    cal->holidays = all;
    cal->nholidays = 0;
    cal->workday_holidays = all + cap;
    cal->nworkday = 0;
    *holidays = all;
    return cal;
}

static int cmp_date(const void *a, const void *b)
{
    lic_date x = *(const lic_date *)a, y = *(const lic_date *)b;
    return (x > y) - (x < y);
}

/* Sorts and de-duplicates the n holidays written at all[0..n), then fills
 * the workday subset (whose room follows at all[cap..]). */
static void calendar_finish(lic_calendar *cal, lic_date *all, size_t n,
                            size_t cap)
{
    if (n > 1)
        qsort(all, n, sizeof *all, cmp_date);
    size_t unique = 0;
    for (size_t i = 0; i < n; i++)
        if (unique == 0 || all[unique - 1] != all[i])
            all[unique++] = all[i];
    lic_date *workday = all + cap;
    size_t nworkday = 0;
    for (size_t i = 0; i < unique; i++)
        if (lic_date_weekday(all[i]) < 5)
            workday[nworkday++] = all[i];
    cal->nholidays = unique;
    cal->nworkday = nworkday;
}

lic_calendar *lic_calendar_new(const char *name, const lic_date *holidays,
                               size_t n)
{
    if (n > 0 && !holidays)
        return NULL;
    lic_date *all;
    lic_calendar *cal = calendar_alloc(name ? name : "", n, &all);
    if (!cal)
        return NULL;
    if (n > 0)
        memcpy(all, holidays, n * sizeof *holidays);
    calendar_finish(cal, all, n, n);
    return cal;
}

void lic_calendar_free(lic_calendar *cal) { lic__free(cal); }

/* ---- built-in calendars ------------------------------------------------- */

typedef struct builtin_set {
    size_t n;
    lic_calendar *cals[]; /* in the order of lic__cal_data */
} builtin_set;

static _Atomic(builtin_set *) builtins;
static pthread_mutex_t builtins_lock = PTHREAD_MUTEX_INITIALIZER;

/* Parses one embedded list: "YYYY-MM-DD\n" lines (checked by
 * embed-calendars.sh; a day that does not exist, such as 2026-02-30, is
 * skipped rather than failing every calendar lookup). */
static lic_calendar *builtin_parse(const struct lic__cal_data *data)
{
    size_t cap = 0;
    for (const char *p = data->dates; *p; p++)
        cap += *p == '\n';
    lic_date *all;
    lic_calendar *cal = calendar_alloc(data->name, cap, &all);
    if (!cal)
        return NULL;
    size_t n = 0;
    const char *line = data->dates;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        lic_date d;
        if (n < cap && lic_date_parse(line, len, &d) == LIC_OK)
            all[n++] = d;
        line += len + (end != NULL);
    }
    calendar_finish(cal, all, n, cap);
    return cal;
}

static void builtin_set_free(builtin_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        lic_calendar_free(set->cals[i]);
    lic__free(set);
}

/* All built-ins, or NULL when memory ran out (nothing is kept then). */
static builtin_set *builtin_set_parse(void)
{
    size_t count = lic__cal_data_count;
    builtin_set *set = lic__malloc(sizeof *set + count * sizeof set->cals[0]);
    if (!set)
        return NULL;
    set->n = 0;
    for (size_t i = 0; i < count; i++) {
        lic_calendar *cal = builtin_parse(&lic__cal_data[i]);
        if (!cal) {
            builtin_set_free(set);
            return NULL;
        }
        set->cals[set->n++] = cal;
    }
    return set;
}

static const builtin_set *builtins_get(void)
{
    builtin_set *set = atomic_load_explicit(&builtins, memory_order_acquire);
    if (set)
        return set;
    pthread_mutex_lock(&builtins_lock);
    set = atomic_load_explicit(&builtins, memory_order_relaxed);
    if (!set) {
        set = builtin_set_parse();
        if (set)
            atomic_store_explicit(&builtins, set, memory_order_release);
    }
    pthread_mutex_unlock(&builtins_lock);
    return set;
}

const lic_calendar *lic_calendar_builtin(const char *name)
{
    const builtin_set *set = builtins_get();
    if (!set || !name)
        return NULL;
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->cals[i]->name, name) == 0)
            return set->cals[i];
    return NULL;
}

size_t lic_calendar_builtin_count(void)
{
    const builtin_set *set = builtins_get();
    return set ? set->n : 0;
}

const lic_calendar *lic_calendar_builtin_at(size_t i)
{
    const builtin_set *set = builtins_get();
    if (!set || i >= set->n)
        return NULL;
    return set->cals[i];
}
