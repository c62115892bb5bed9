/*
 * date.h - civil dates, durations, business-day calendars and periods.
 *
 * A lic_date is a day number: days since 1970-01-01 in the proleptic
 * Gregorian calendar.  Only years 1..9999 are valid; LIC_DATE_NONE marks
 * "no date".  There are no times and no time zones (FORMAT 1).
 * Adding months clamps to the month's end: 2025-01-31 + 1 month is
 * 2025-02-28.  Business days are Monday to Friday minus a calendar's
 * holidays.
 */
#ifndef LICET_DATE_H
#define LICET_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "licet/error.h"

typedef int32_t lic_date;
#define LIC_DATE_NONE INT32_MIN
#define LIC_DATE_STRLEN 11 /* "YYYY-MM-DD" and NUL */
#define LIC_DATE_MIN (-719162) /* 0001-01-01 */
#define LIC_DATE_MAX 2932896   /* 9999-12-31 */

/* Arithmetic on LIC_DATE_NONE gives LIC_DATE_NONE.  Arithmetic that leaves
 * LIC_DATE_MIN..LIC_DATE_MAX gives a day number that is well defined (no
 * overflow; it saturates at the int32 range) but not a valid date; check
 * with lic_date_in_range when the operands come from users. */
bool lic_date_in_range(lic_date d);

bool lic_date_is_leap(int year);
int lic_date_days_in_month(int year, int month);
bool lic_date_valid_ymd(int year, int month, int day);
/* The day number of a valid y-m-d (caller checks validity). */
lic_date lic_date_from_ymd(int year, int month, int day);
void lic_date_to_ymd(lic_date d, int *year, int *month, int *day);

/* Strict "YYYY-MM-DD" of exactly `len` bytes.  LIC_EPARSE when the shape is
 * wrong, LIC_ERANGE when it is shaped right but no such day exists
 * (2026-02-30).  *out is left alone on failure. */
lic_err lic_date_parse(const char *s, size_t len, lic_date *out) LIC_MUST_CHECK;
/* Writes "YYYY-MM-DD" into out (LIC_DATE_STRLEN bytes).  A day outside
 * years 1..9999 (and LIC_DATE_NONE) is written "0000-00-00", which
 * lic_date_parse rejects. */
void lic_date_str(lic_date d, char out[LIC_DATE_STRLEN]);

/* 0 = Monday ... 6 = Sunday. */
int lic_date_weekday(lic_date d);
lic_date lic_date_add_days(lic_date d, int32_t days);
/* Month arithmetic with end-of-month clamping; negative n goes back. */
lic_date lic_date_add_months(lic_date d, int32_t months);
lic_date lic_date_add_years(lic_date d, int32_t years);

/* A business-day calendar: weekends plus a sorted list of holidays. */
typedef struct lic_calendar lic_calendar;

/* A calendar shipped with licet: "WEEKENDS", "US" (US federal holidays)
 * and "GB-EAW" (England & Wales bank holidays), 2020-2040.  NULL if none
 * has this name.  The result is static; do not free it. */
const lic_calendar *lic_calendar_builtin(const char *name);
size_t lic_calendar_builtin_count(void);
const lic_calendar *lic_calendar_builtin_at(size_t i);

/* A calendar of one's own; the name and the holidays are copied (any
 * order, duplicates allowed; holidays may be NULL when n is 0; a NULL name
 * is taken as "").  Returns NULL when memory runs out.  Free it with
 * lic_calendar_free. */
lic_calendar *lic_calendar_new(const char *name, const lic_date *holidays,
                               size_t n);
void lic_calendar_free(lic_calendar *cal);

const char *lic_calendar_name(const lic_calendar *cal);
size_t lic_calendar_holiday_count(const lic_calendar *cal);
lic_date lic_calendar_holiday_at(const lic_calendar *cal, size_t i);
bool lic_calendar_is_holiday(const lic_calendar *cal, lic_date d);
bool lic_calendar_is_business_day(const lic_calendar *cal, lic_date d);
/* The n-th business day after d (n > 0), or before d (n < 0); d itself
 * for n == 0.  A NULL calendar means WEEKENDS. */
lic_date lic_calendar_add_business_days(const lic_calendar *cal, lic_date d,
                                        int32_t n);
/* Business days in (from, to]: the number of business days after `from`
 * up to and including `to`; negative if to < from. */
int32_t lic_calendar_business_days_between(const lic_calendar *cal,
                                           lic_date from, lic_date to);

/* A duration (FORMAT 1): applied years first, then months, then days, then
 * business days. */
typedef struct lic_duration {
    int32_t years, months, days, business_days;
} lic_duration;

bool lic_duration_is_zero(const lic_duration *dur);
/* d + dur; business days use cal (NULL = WEEKENDS). */
lic_date lic_date_add_duration(lic_date d, const lic_duration *dur,
                               const lic_calendar *cal);
/* "18 months", "1 month and 5 days", "30 business days", "0 days".
 * Writes at most n bytes, always NUL-terminated when n > 0, and returns
 * the length the whole text needs (like snprintf). */
size_t lic_duration_format(const lic_duration *dur, char *buf, size_t n);

/* Calendar periods: months, quarters, halves, years. */
typedef enum {
    LIC_PERIOD_MONTH,
    LIC_PERIOD_QUARTER,
    LIC_PERIOD_HALF,
    LIC_PERIOD_YEAR
} lic_period_kind;

typedef struct lic_period {
    lic_period_kind kind;
    int year;
    int index; /* month 1-12, quarter 1-4, half 1-2; 1 for a year */
} lic_period;

#define LIC_PERIOD_STRLEN 16

/* "2026-05", "2026-Q2", "2026-H1", "2026" of exactly `len` bytes.
 * LIC_EPARSE when the shape is wrong ("26", "2026-q2", "2026-5"),
 * LIC_ERANGE when shaped right but no such period exists ("2026-13",
 * "2026-Q5", "2026-H3", "0000").  *out is left alone on failure. */
lic_err lic_period_parse(const char *s, size_t len, lic_period *out) LIC_MUST_CHECK;
void lic_period_str(lic_period p, char out[LIC_PERIOD_STRLEN]);
/* The first and last day; LIC_DATE_NONE for a period whose year or index
 * is out of range for its kind. */
lic_date lic_period_first(lic_period p);
lic_date lic_period_last(lic_period p);
lic_period lic_period_next(lic_period p);
lic_period lic_period_containing(lic_period_kind kind, lic_date d);
/* Orders periods by first day, then by last day. */
int lic_period_cmp(lic_period a, lic_period b);

#endif
