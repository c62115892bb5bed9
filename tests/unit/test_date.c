/*
 * test_date.c - unit tests for lib/date.c, lib/calendar.c, lib/period.c
 * and the built-in holiday data (data/calendars/NAME.txt).
 *
 * Dates are compared as "YYYY-MM-DD" strings so that a failure prints
 * both dates readably.  Run some tests by name with a glob argument:
 * ./test_date 'test_us_*'.
 */
#include "testutil.h"

#include <stdio.h>

#include "alloc.h"
#include "licet/date.h"

/* ---- helpers ------------------------------------------------------------ */

static lic_date D(const char *s)
{
    lic_date d = LIC_DATE_NONE;
    assert_int_equal(lic_date_parse(s, strlen(s), &d), LIC_OK);
    return d;
}

/* The date as text; eight rotating buffers so one assert can use several. */
static const char *S(lic_date d)
{
    static char bufs[8][LIC_DATE_STRLEN];
    static int next;
    char *b = bufs[next++ % 8];
    lic_date_str(d, b);
    return b;
}

#define assert_date(d, expected) assert_string_equal(S(d), (expected))

static const lic_calendar *builtin(const char *name)
{
    const lic_calendar *cal = lic_calendar_builtin(name);
    assert_non_null(cal);
    return cal;
}

static int holidays_in_year(const lic_calendar *cal, int year)
{
    lic_date from = lic_date_from_ymd(year, 1, 1);
    lic_date to = lic_date_from_ymd(year, 12, 31);
    int n = 0;
    for (size_t i = 0; i < lic_calendar_holiday_count(cal); i++) {
        lic_date h = lic_calendar_holiday_at(cal, i);
        n += h >= from && h <= to;
    }
    return n;
}

static void assert_parse_fails(const char *s, lic_err expected)
{
    lic_date d = 12345;
    lic_err rc = lic_date_parse(s, strlen(s), &d);
    if (rc != expected)
        fail_msg("lic_date_parse(\"%s\") = %d (%s), expected %d (%s)", s,
                 rc, lic_strerror(rc), expected, lic_strerror(expected));
    assert_int_equal(d, 12345); /* left alone on failure */
}

/* ---- built-in calendars under allocation failure (must run first) ------- */

/* The built-ins are parsed once per process; this test must run before
 * any other test touches them.  Each failing allocation point gives NULL
 * and publishes nothing, and a later call succeeds (LSan checks that the
 * failed attempts leaked nothing). */
static void test_builtin_parse_retries_after_out_of_memory(void **state)
{
    (void)state;
    long failures = 0;
    for (long k = 0; k < 100; k++) {
        lic__alloc_fail_after(k);
        const lic_calendar *cal = lic_calendar_builtin("US");
        lic__alloc_fail_after(-1);
        if (cal)
            break;
        failures++;
    }
    /* One allocation for the set and one per calendar: four points of
     * failure, each retried by the next call. */
    assert_int_equal(failures, 4);
    assert_int_equal(lic_calendar_builtin_count(), 3);
    /* Once parsed, lookups allocate nothing. */
    lic__alloc_fail_after(0);
    const lic_calendar *gb = lic_calendar_builtin("GB-EAW");
    lic__alloc_fail_after(-1);
    assert_non_null(gb);
}

/* ---- civil dates ---------------------------------------------------------- */

static void test_epoch_is_day_zero(void **state)
{
    (void)state;
    assert_int_equal(D("1970-01-01"), 0);
    assert_int_equal(D("1969-12-31"), -1);
    assert_int_equal(D("2000-03-01"), 11017);
    assert_int_equal(D("0001-01-01"), LIC_DATE_MIN);
    assert_int_equal(D("9999-12-31"), LIC_DATE_MAX);
    assert_int_equal(lic_date_from_ymd(2026, 7, 15), D("2026-07-15"));
}

static void test_every_day_from_year_1_to_9999_round_trips(void **state)
{
    (void)state;
    int py = 1, pm = 1, pd = 0; /* the day before 0001-01-01, as ymd */
    for (lic_date d = LIC_DATE_MIN; d <= LIC_DATE_MAX; d++) {
        int y, m, dd;
        lic_date_to_ymd(d, &y, &m, &dd);
        /* Consecutive days step by one day, month or year. */
        bool next_day = y == py && m == pm && dd == pd + 1;
        bool next_month = y == py && m == pm + 1 && dd == 1 &&
                          pd == lic_date_days_in_month(py, pm);
        bool next_year = y == py + 1 && m == 1 && dd == 1 && pm == 12 &&
                         pd == 31;
        if (!(next_day || next_month || next_year))
            fail_msg("day %d is %04d-%02d-%02d after %04d-%02d-%02d", d, y,
                     m, dd, py, pm, pd);
        if (lic_date_from_ymd(y, m, dd) != d)
            fail_msg("day %d does not round-trip", d);
        py = y, pm = m, pd = dd;
    }
    assert_date(LIC_DATE_MAX, "9999-12-31");
}

static void test_leap_years_follow_the_gregorian_rule(void **state)
{
    (void)state;
    assert_false(lic_date_is_leap(1900)); /* century, not by 400 */
    assert_true(lic_date_is_leap(2000));  /* divisible by 400 */
    assert_true(lic_date_is_leap(2024));
    assert_false(lic_date_is_leap(2025));
    assert_false(lic_date_is_leap(2100));
    assert_int_equal(lic_date_days_in_month(1900, 2), 28);
    assert_int_equal(lic_date_days_in_month(2000, 2), 29);
    assert_int_equal(lic_date_days_in_month(2024, 2), 29);
    assert_int_equal(lic_date_days_in_month(2100, 2), 28);
    assert_int_equal(lic_date_days_in_month(2026, 4), 30);
    assert_int_equal(lic_date_days_in_month(2026, 13), 0);
    assert_int_equal(D("2100-03-01") - D("2100-02-28"), 1);
    assert_int_equal(D("2000-03-01") - D("2000-02-28"), 2);
}

static void test_valid_ymd_is_years_1_to_9999(void **state)
{
    (void)state;
    assert_true(lic_date_valid_ymd(1, 1, 1));
    assert_true(lic_date_valid_ymd(9999, 12, 31));
    assert_false(lic_date_valid_ymd(0, 12, 31));
    assert_false(lic_date_valid_ymd(10000, 1, 1));
    assert_false(lic_date_valid_ymd(2026, 0, 1));
    assert_false(lic_date_valid_ymd(2026, 1, 0));
    assert_false(lic_date_valid_ymd(2025, 2, 29));
    assert_true(lic_date_valid_ymd(2024, 2, 29));
    assert_true(lic_date_in_range(LIC_DATE_MIN));
    assert_false(lic_date_in_range(LIC_DATE_MIN - 1));
    assert_false(lic_date_in_range(LIC_DATE_NONE));
}

static void test_parse_wrong_shape_is_eparse(void **state)
{
    (void)state;
    static const char *bad[] = {
        "", "2026", "2026-7-15", "2026-07-5", "2026/07/15", "20260715",
        "2026-07-1a", " 2026-07-15", "2026-07-15 ", "+026-07-15",
        "2026--7-15", "26-07-15", "2026-07-15T00:00", "２026-07-15",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_parse_fails(bad[i], LIC_EPARSE);
    lic_date d;
    assert_int_equal(lic_date_parse(NULL, 10, &d), LIC_EPARSE);
}

static void test_parse_impossible_day_is_erange(void **state)
{
    (void)state;
    assert_parse_fails("2026-02-30", LIC_ERANGE);
    assert_parse_fails("2025-02-29", LIC_ERANGE); /* not a leap year */
    assert_parse_fails("2100-02-29", LIC_ERANGE);
    assert_parse_fails("2026-13-01", LIC_ERANGE);
    assert_parse_fails("2026-00-10", LIC_ERANGE);
    assert_parse_fails("2026-04-31", LIC_ERANGE);
    assert_parse_fails("2026-01-00", LIC_ERANGE);
    assert_parse_fails("0000-01-01", LIC_ERANGE);
    assert_date(D("2024-02-29"), "2024-02-29");
}

static void test_parse_reads_exactly_len_bytes(void **state)
{
    (void)state;
    lic_date d;
    assert_int_equal(lic_date_parse("2026-07-15xyz", 10, &d), LIC_OK);
    assert_date(d, "2026-07-15");
    assert_int_equal(lic_date_parse("2026-07-15", 9, &d), LIC_EPARSE);
}

static void test_str_writes_iso_dates_and_zero_for_out_of_range(void **state)
{
    (void)state;
    assert_date(D("0001-01-01"), "0001-01-01");
    assert_date(D("0999-09-09"), "0999-09-09");
    assert_date(LIC_DATE_NONE, "0000-00-00");
    assert_date(LIC_DATE_MAX + 1, "0000-00-00");
    assert_date(LIC_DATE_MIN - 1, "0000-00-00");
}

static void test_weekday_of_known_dates(void **state)
{
    (void)state;
    assert_int_equal(lic_date_weekday(D("1970-01-01")), 3); /* Thursday */
    assert_int_equal(lic_date_weekday(D("2026-07-15")), 2); /* Wednesday */
    assert_int_equal(lic_date_weekday(D("2000-01-01")), 5); /* Saturday */
    assert_int_equal(lic_date_weekday(D("1969-12-28")), 6); /* Sunday */
    assert_int_equal(lic_date_weekday(D("0001-01-01")), 0); /* Monday */
    assert_int_equal(lic_date_weekday(D("9999-12-31")), 4); /* Friday */
    assert_int_equal(lic_date_weekday(D("2026-07-04")), 5); /* Saturday */
}

static void test_jan31_plus_one_month_clamps_to_feb_end(void **state)
{
    (void)state;
    assert_date(lic_date_add_months(D("2025-01-31"), 1), "2025-02-28");
    assert_date(lic_date_add_months(D("2024-01-31"), 1), "2024-02-29");
    assert_date(lic_date_add_months(D("2025-03-31"), 1), "2025-04-30");
    /* Two months at once do not pass through February's end. */
    assert_date(lic_date_add_months(D("2025-01-31"), 2), "2025-03-31");
    assert_date(lic_date_add_months(D("2025-11-15"), 3), "2026-02-15");
    assert_date(lic_date_add_months(D("2026-07-15"), 0), "2026-07-15");
}

static void test_feb29_plus_one_year_is_feb28(void **state)
{
    (void)state;
    assert_date(lic_date_add_years(D("2024-02-29"), 1), "2025-02-28");
    assert_date(lic_date_add_years(D("2024-02-29"), 4), "2028-02-29");
    assert_date(lic_date_add_years(D("2024-02-29"), -1), "2023-02-28");
    assert_date(lic_date_add_years(D("2000-02-29"), 100), "2100-02-28");
    assert_date(lic_date_add_years(D("2026-07-15"), 10), "2036-07-15");
}

static void test_negative_months_go_back_and_clamp(void **state)
{
    (void)state;
    assert_date(lic_date_add_months(D("2025-03-31"), -1), "2025-02-28");
    assert_date(lic_date_add_months(D("2024-03-31"), -1), "2024-02-29");
    assert_date(lic_date_add_months(D("2026-01-15"), -1), "2025-12-15");
    assert_date(lic_date_add_months(D("2026-01-15"), -13), "2024-12-15");
    assert_date(lic_date_add_months(D("2026-05-31"), -3), "2026-02-28");
    assert_date(lic_date_add_months(D("2026-01-31"), -12), "2025-01-31");
    assert_date(lic_date_add_days(D("2026-03-01"), -1), "2026-02-28");
}

static void test_arithmetic_keeps_none_and_never_overflows(void **state)
{
    (void)state;
    assert_int_equal(lic_date_add_days(LIC_DATE_NONE, 5), LIC_DATE_NONE);
    assert_int_equal(lic_date_add_months(LIC_DATE_NONE, 5), LIC_DATE_NONE);
    assert_int_equal(lic_date_add_years(LIC_DATE_NONE, 1), LIC_DATE_NONE);
    assert_int_equal(lic_calendar_add_business_days(NULL, LIC_DATE_NONE, 3),
                     LIC_DATE_NONE);
    assert_int_equal(lic_date_add_days(INT32_MAX - 1, 100), INT32_MAX);
    assert_int_equal(lic_date_add_days(INT32_MIN + 1, -5), INT32_MIN + 1);
    assert_int_equal(lic_date_add_years(D("2026-01-01"), INT32_MAX), INT32_MAX);
    assert_int_equal(lic_date_add_months(D("2026-01-01"), INT32_MIN),
                     INT32_MIN + 1);
    assert_false(lic_date_in_range(lic_date_add_months(LIC_DATE_MAX, 1)));
}

/* ---- durations ------------------------------------------------------------ */

static void test_duration_applies_months_before_days(void **state)
{
    (void)state;
    /* FORMAT 1: {months: 1, days: 5} = months first. */
    lic_duration m1d5 = {.months = 1, .days = 5};
    assert_date(lic_date_add_duration(D("2025-01-31"), &m1d5, NULL),
                "2025-03-05");
    /* Years, then months, each clamping on its own. */
    lic_duration y1m1 = {.years = 1, .months = 1};
    assert_date(lic_date_add_duration(D("2024-02-29"), &y1m1, NULL),
                "2025-03-28");
    lic_duration m18 = {.months = 18};
    assert_date(lic_date_add_duration(D("2025-01-15"), &m18, NULL),
                "2026-07-15");
    assert_date(lic_date_add_duration(D("2025-01-15"), NULL, NULL),
                "2025-01-15");
}

static void test_duration_business_days_come_last_and_use_calendar(void **state)
{
    (void)state;
    /* 2026-07-02 + 1 day = Friday 07-03, observed Independence Day in
     * the US; + 1 business day = Monday 07-06. */
    lic_duration d1b1 = {.days = 1, .business_days = 1};
    assert_date(lic_date_add_duration(D("2026-07-02"), &d1b1, builtin("US")),
                "2026-07-06");
    /* On WEEKENDS Friday 07-03 is a business day: + 1 is Monday too. */
    assert_date(lic_date_add_duration(D("2026-07-02"), &d1b1, NULL),
                "2026-07-06");
    lic_duration b30 = {.business_days = 30};
    assert_date(lic_date_add_duration(D("2026-01-02"), &b30, NULL),
                "2026-02-13");
}

static void test_duration_is_zero_only_when_all_parts_are(void **state)
{
    (void)state;
    lic_duration z = {0}, b = {.business_days = 1};
    assert_true(lic_duration_is_zero(&z));
    assert_true(lic_duration_is_zero(NULL));
    assert_false(lic_duration_is_zero(&b));
}

static void assert_format(lic_duration dur, const char *expected)
{
    char buf[64];
    size_t n = lic_duration_format(&dur, buf, sizeof buf);
    assert_string_equal(buf, expected);
    assert_int_equal(n, strlen(expected));
}

static void test_duration_format_lists_parts_in_english(void **state)
{
    (void)state;
    assert_format((lic_duration){.months = 18}, "18 months");
    assert_format((lic_duration){.years = 1}, "1 year");
    assert_format((lic_duration){.months = 1, .days = 5}, "1 month and 5 days");
    assert_format((lic_duration){.years = 2, .months = 3, .days = 10},
                  "2 years, 3 months and 10 days");
    assert_format((lic_duration){.business_days = 30}, "30 business days");
    assert_format((lic_duration){.business_days = 1}, "1 business day");
    assert_format((lic_duration){0}, "0 days");
    assert_format((lic_duration){.days = -1}, "-1 day");
    assert_format((lic_duration){1, 1, 1, 1},
                  "1 year, 1 month, 1 day and 1 business day");
}

static void test_duration_format_truncates_like_snprintf(void **state)
{
    (void)state;
    lic_duration dur = {.months = 1, .days = 5};
    char buf[5];
    assert_int_equal(lic_duration_format(&dur, buf, sizeof buf), 18);
    assert_string_equal(buf, "1 mo");
    assert_int_equal(lic_duration_format(&dur, NULL, 0), 18);
    char one[1] = {'x'};
    assert_int_equal(lic_duration_format(&dur, one, 1), 18);
    assert_int_equal(one[0], '\0');
}

/* ---- calendars ------------------------------------------------------------ */

static void test_builtin_calendars_are_listed_by_file_name(void **state)
{
    (void)state;
    assert_int_equal(lic_calendar_builtin_count(), 3);
    assert_string_equal(lic_calendar_name(lic_calendar_builtin_at(0)), "GB-EAW");
    assert_string_equal(lic_calendar_name(lic_calendar_builtin_at(1)), "US");
    assert_string_equal(lic_calendar_name(lic_calendar_builtin_at(2)), "WEEKENDS");
    assert_null(lic_calendar_builtin_at(3));
    assert_ptr_equal(lic_calendar_builtin("US"), lic_calendar_builtin_at(1));
    assert_null(lic_calendar_builtin("us")); /* names are exact */
    assert_null(lic_calendar_builtin("FR"));
    assert_null(lic_calendar_builtin(NULL));
    assert_int_equal(lic_calendar_holiday_count(builtin("WEEKENDS")), 0);
    assert_string_equal(lic_calendar_name(NULL), "WEEKENDS");
}

static void test_builtin_holidays_are_sorted_unique_weekdays_2020_to_2040(void **state)
{
    (void)state;
    const char *names[] = {"US", "GB-EAW"};
    for (size_t c = 0; c < 2; c++) {
        const lic_calendar *cal = builtin(names[c]);
        size_t n = lic_calendar_holiday_count(cal);
        assert_true(n > 100);
        assert_true(lic_calendar_holiday_at(cal, 0) >= D("2020-01-01"));
        assert_true(lic_calendar_holiday_at(cal, n - 1) <= D("2040-12-31"));
        assert_int_equal(lic_calendar_holiday_at(cal, n), LIC_DATE_NONE);
        for (size_t i = 0; i < n; i++) {
            lic_date h = lic_calendar_holiday_at(cal, i);
            if (lic_date_weekday(h) >= 5)
                fail_msg("%s: %s is a weekend day", names[c], S(h));
            if (i > 0 && lic_calendar_holiday_at(cal, i - 1) >= h)
                fail_msg("%s: %s out of order", names[c], S(h));
        }
    }
}

static void test_us_holidays_are_observed_dates(void **state)
{
    (void)state;
    const lic_calendar *us = builtin("US");
    /* 2022-01-01 was a Saturday: observed Friday 2021-12-31 (OPM). */
    assert_true(lic_calendar_is_holiday(us, D("2021-12-31")));
    assert_false(lic_calendar_is_holiday(us, D("2022-01-01")));
    /* Juneteenth from 2021; 2021-06-19 was a Saturday. */
    assert_true(lic_calendar_is_holiday(us, D("2021-06-18")));
    assert_false(lic_calendar_is_holiday(us, D("2021-06-19")));
    assert_false(lic_calendar_is_holiday(us, D("2020-06-19")));
    assert_true(lic_calendar_is_holiday(us, D("2026-06-19")));
    /* 2026-07-04 is a Saturday: observed Friday 07-03. */
    assert_true(lic_calendar_is_holiday(us, D("2026-07-03")));
    assert_false(lic_calendar_is_holiday(us, D("2026-07-04")));
    /* Sunday holidays move to Monday: 2021-07-04 -> 07-05. */
    assert_true(lic_calendar_is_holiday(us, D("2021-07-05")));
    assert_true(lic_calendar_is_holiday(us, D("2026-11-26"))); /* Thanksgiving */
    assert_true(lic_calendar_is_holiday(us, D("2026-01-19"))); /* MLK Day */
    assert_true(lic_calendar_is_holiday(us, D("2026-02-16"))); /* Washington */
    assert_true(lic_calendar_is_holiday(us, D("2026-05-25"))); /* Memorial */
    assert_true(lic_calendar_is_holiday(us, D("2026-09-07"))); /* Labor */
    assert_true(lic_calendar_is_holiday(us, D("2026-10-12"))); /* Columbus */
    assert_true(lic_calendar_is_holiday(us, D("2023-11-10"))); /* Veterans, Sat */
    assert_true(lic_calendar_is_holiday(us, D("2040-12-25")));
    assert_false(lic_calendar_is_holiday(us, D("2026-07-15")));
}

static void test_us_has_11_holidays_a_year_once_juneteenth_exists(void **state)
{
    (void)state;
    const lic_calendar *us = builtin("US");
    /* 2020 has no Juneteenth.  A Saturday 1 January (2022, 2028, 2033,
     * 2039) is observed on 31 December of the year before, which moves
     * one holiday from that year into the previous one. */
    static const struct {
        int year, count;
    } want[] = {
        {2020, 10}, {2021, 12}, {2022, 10}, {2023, 11}, {2024, 11},
        {2025, 11}, {2026, 11}, {2027, 12}, {2028, 10}, {2029, 11},
        {2030, 11}, {2031, 11}, {2032, 12}, {2033, 10}, {2034, 11},
        {2035, 11}, {2036, 11}, {2037, 11}, {2038, 12}, {2039, 10},
        {2040, 11},
    };
    size_t total = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int got = holidays_in_year(us, want[i].year);
        if (got != want[i].count)
            fail_msg("US %d: %d holidays, expected %d", want[i].year, got,
                     want[i].count);
        total += (size_t)got;
    }
    assert_int_equal(total, lic_calendar_holiday_count(us));
    assert_int_equal(total, 10 + 20 * 11);
}

static void test_gb_eaw_has_proclaimed_and_substitute_days(void **state)
{
    (void)state;
    const lic_calendar *gb = builtin("GB-EAW");
    /* 2020: early May bank holiday moved from Monday 4 to Friday 8 May. */
    assert_true(lic_calendar_is_holiday(gb, D("2020-05-08")));
    assert_false(lic_calendar_is_holiday(gb, D("2020-05-04")));
    /* 2022: spring bank holiday moved to Thursday 2 June; Jubilee 3 June. */
    assert_true(lic_calendar_is_holiday(gb, D("2022-06-02")));
    assert_true(lic_calendar_is_holiday(gb, D("2022-06-03")));
    assert_false(lic_calendar_is_holiday(gb, D("2022-05-30")));
    assert_true(lic_calendar_is_holiday(gb, D("2022-09-19"))); /* funeral */
    assert_true(lic_calendar_is_holiday(gb, D("2023-05-08"))); /* coronation */
    assert_true(lic_calendar_is_holiday(gb, D("2023-05-01"))); /* early May */
    /* Easter 2026: Good Friday 3 April, Easter Monday 6 April. */
    assert_true(lic_calendar_is_holiday(gb, D("2026-04-03")));
    assert_true(lic_calendar_is_holiday(gb, D("2026-04-06")));
    /* Boxing Day 2026 is a Saturday: substitute Monday 28. */
    assert_true(lic_calendar_is_holiday(gb, D("2026-12-25")));
    assert_true(lic_calendar_is_holiday(gb, D("2026-12-28")));
    /* Christmas 2021 Saturday, Boxing Day Sunday: Monday 27, Tuesday 28. */
    assert_true(lic_calendar_is_holiday(gb, D("2021-12-27")));
    assert_true(lic_calendar_is_holiday(gb, D("2021-12-28")));
    /* Christmas 2022 Sunday: Boxing Day Monday 26, substitute Tuesday 27. */
    assert_true(lic_calendar_is_holiday(gb, D("2022-12-26")));
    assert_true(lic_calendar_is_holiday(gb, D("2022-12-27")));
    /* New Year 2022 Saturday: substitute Monday 3 January. */
    assert_true(lic_calendar_is_holiday(gb, D("2022-01-03")));
    /* The last year of the data. */
    assert_true(lic_calendar_is_holiday(gb, D("2040-01-02")));
    assert_true(lic_calendar_is_holiday(gb, D("2040-03-30"))); /* Good Friday */
    assert_true(lic_calendar_is_holiday(gb, D("2040-12-26")));
    assert_false(lic_calendar_is_holiday(gb, D("2026-07-03")));
}

static void test_gb_eaw_has_8_bank_holidays_a_year_plus_proclaimed(void **state)
{
    (void)state;
    const lic_calendar *gb = builtin("GB-EAW");
    for (int y = 2020; y <= 2040; y++) {
        int want = y == 2022 ? 10 : y == 2023 ? 9 : 8;
        int got = holidays_in_year(gb, y);
        if (got != want)
            fail_msg("GB-EAW %d: %d holidays, expected %d", y, got, want);
    }
}

static void test_friday_plus_one_business_day_is_monday(void **state)
{
    (void)state;
    const lic_calendar *weekends = builtin("WEEKENDS");
    lic_date fri = D("2026-07-10");
    assert_date(lic_calendar_add_business_days(NULL, fri, 1), "2026-07-13");
    assert_date(lic_calendar_add_business_days(weekends, fri, 1), "2026-07-13");
    assert_date(lic_calendar_add_business_days(NULL, fri, 5), "2026-07-17");
    assert_date(lic_calendar_add_business_days(NULL, fri, -5), "2026-07-03");
    /* From a weekend day: the next business day is Monday, the one
     * before is Friday. */
    assert_date(lic_calendar_add_business_days(NULL, D("2026-07-11"), 1),
                "2026-07-13");
    assert_date(lic_calendar_add_business_days(NULL, D("2026-07-12"), -1),
                "2026-07-10");
    /* Zero is the day itself, even on a Saturday. */
    assert_date(lic_calendar_add_business_days(NULL, D("2026-07-11"), 0),
                "2026-07-11");
    assert_true(lic_calendar_is_business_day(NULL, fri));
    assert_false(lic_calendar_is_business_day(NULL, D("2026-07-11")));
}

static void test_us_business_day_skips_observed_independence_day(void **state)
{
    (void)state;
    const lic_calendar *us = builtin("US");
    assert_date(lic_calendar_add_business_days(us, D("2026-07-02"), 1),
                "2026-07-06");
    assert_date(lic_calendar_add_business_days(us, D("2026-07-06"), -1),
                "2026-07-02");
    assert_false(lic_calendar_is_business_day(us, D("2026-07-03")));
    /* Christmas and New Year 2021/22: Friday 24 and Friday 31 are off. */
    assert_date(lic_calendar_add_business_days(us, D("2021-12-23"), 1),
                "2021-12-27");
    assert_date(lic_calendar_add_business_days(us, D("2021-12-30"), 1),
                "2022-01-03");
    assert_int_equal(lic_calendar_business_days_between(us, D("2021-12-23"),
                                                        D("2022-01-03")), 5);
}

static void test_gb_eaw_business_days_across_easter_2026(void **state)
{
    (void)state;
    const lic_calendar *gb = builtin("GB-EAW");
    /* Thursday 2 April -> Tuesday 7 April (Good Friday, Easter Monday). */
    assert_date(lic_calendar_add_business_days(gb, D("2026-04-02"), 1),
                "2026-04-07");
    assert_date(lic_calendar_add_business_days(gb, D("2026-04-07"), -1),
                "2026-04-02");
    assert_date(lic_calendar_add_business_days(gb, D("2026-04-01"), 3),
                "2026-04-08");
    assert_int_equal(lic_calendar_business_days_between(gb, D("2026-04-02"),
                                                        D("2026-04-07")), 1);
    /* Without the holidays Good Friday counts. */
    assert_date(lic_calendar_add_business_days(NULL, D("2026-04-02"), 1),
                "2026-04-03");
}

static void test_business_days_between_counts_after_from_up_to_to(void **state)
{
    (void)state;
    lic_date fri = D("2026-07-10"), mon = D("2026-07-13");
    assert_int_equal(lic_calendar_business_days_between(NULL, fri, mon), 1);
    assert_int_equal(lic_calendar_business_days_between(NULL, mon, fri), -1);
    assert_int_equal(lic_calendar_business_days_between(NULL, fri, fri), 0);
    assert_int_equal(lic_calendar_business_days_between(NULL, fri, fri + 7), 5);
    /* Saturday to Sunday: no business day in between. */
    assert_int_equal(lic_calendar_business_days_between(NULL, fri + 1, fri + 2), 0);
    assert_int_equal(lic_calendar_business_days_between(
                         builtin("US"), D("2026-01-01"), D("2026-12-31")),
                     /* 261 weekdays less 11 holidays; excluding `from`,
                      * 2026-01-01, changes nothing: it is a holiday. */
                     261 - 11);
}

/* A day-by-day reference for add_business_days. */
static lic_date naive_add(const lic_calendar *cal, lic_date d, int n)
{
    int step = n > 0 ? 1 : -1;
    while (n != 0) {
        d += step;
        if (lic_calendar_is_business_day(cal, d))
            n -= step;
    }
    return d;
}

static void test_business_days_match_a_day_by_day_count(void **state)
{
    (void)state;
    lic_date extra[] = {D("2026-03-02"), D("2026-03-03"), D("2026-03-07")};
    lic_calendar *own = lic_calendar_new("OWN", extra, 3);
    assert_non_null(own);
    const lic_calendar *cals[] = {NULL, builtin("US"), builtin("GB-EAW"), own};
    for (size_t c = 0; c < 4; c++) {
        for (lic_date d = D("2019-11-01"); d <= D("2041-02-01"); d += 3) {
            for (int n = -12; n <= 12; n++) {
                lic_date want = naive_add(cals[c], d, n);
                lic_date got = lic_calendar_add_business_days(cals[c], d, n);
                if (got != want)
                    fail_msg("%s: %s %+d business days = %s, expected %s",
                             lic_calendar_name(cals[c]), S(d), n, S(got),
                             S(want));
                if (n > 0 && lic_calendar_business_days_between(cals[c], d, got) != n)
                    fail_msg("%s: between(%s, %s) != %d",
                             lic_calendar_name(cals[c]), S(d), S(got), n);
            }
        }
    }
    /* A long step over the whole data set is exact too. */
    const lic_calendar *us = builtin("US");
    lic_date from = D("2019-06-03");
    lic_date far = lic_calendar_add_business_days(us, from, 5000);
    assert_date(far, S(naive_add(us, from, 5000)));
    assert_date(lic_calendar_add_business_days(us, far, -5000), "2019-06-03");
    lic_calendar_free(own);
}

static void test_own_calendar_sorts_and_dedups_holidays(void **state)
{
    (void)state;
    lic_date h[] = {D("2026-12-25"), D("2026-01-01"), D("2026-07-04"),
                    D("2026-01-01")};
    lic_calendar *cal = lic_calendar_new("ACME", h, 4);
    assert_non_null(cal);
    assert_string_equal(lic_calendar_name(cal), "ACME");
    assert_int_equal(lic_calendar_holiday_count(cal), 3);
    assert_date(lic_calendar_holiday_at(cal, 0), "2026-01-01");
    assert_date(lic_calendar_holiday_at(cal, 1), "2026-07-04");
    assert_date(lic_calendar_holiday_at(cal, 2), "2026-12-25");
    /* A holiday on a Saturday changes no business-day count. */
    assert_true(lic_calendar_is_holiday(cal, D("2026-07-04")));
    assert_date(lic_calendar_add_business_days(cal, D("2026-07-03"), 1),
                "2026-07-06");
    lic_calendar_free(cal);

    cal = lic_calendar_new(NULL, NULL, 0);
    assert_non_null(cal);
    assert_string_equal(lic_calendar_name(cal), "");
    assert_int_equal(lic_calendar_holiday_count(cal), 0);
    assert_false(lic_calendar_is_holiday(cal, D("2026-01-01")));
    lic_calendar_free(cal);
    lic_calendar_free(NULL);
    assert_null(lic_calendar_new("X", NULL, 2));
}

static void test_own_calendar_returns_null_when_out_of_memory(void **state)
{
    (void)state;
    lic_date h[] = {D("2026-12-25")};
    lic__alloc_fail_after(0);
    lic_calendar *cal = lic_calendar_new("ACME", h, 1);
    lic__alloc_fail_after(-1);
    assert_null(cal);
    assert_null(lic_calendar_new("HUGE", h, SIZE_MAX / 4));
}

/* ---- periods -------------------------------------------------------------- */

static lic_period P(const char *s)
{
    lic_period p = {LIC_PERIOD_YEAR, 0, 0};
    lic_err rc = lic_period_parse(s, strlen(s), &p);
    if (rc != LIC_OK)
        fail_msg("lic_period_parse(\"%s\") = %s", s, lic_strerror(rc));
    return p;
}

static const char *PS(lic_period p)
{
    static char bufs[4][LIC_PERIOD_STRLEN];
    static int next;
    char *b = bufs[next++ % 4];
    lic_period_str(p, b);
    return b;
}

static void test_period_parse_accepts_the_four_kinds(void **state)
{
    (void)state;
    lic_period p = P("2026-05");
    assert_int_equal(p.kind, LIC_PERIOD_MONTH);
    assert_int_equal(p.year, 2026);
    assert_int_equal(p.index, 5);
    p = P("2026-Q2");
    assert_int_equal(p.kind, LIC_PERIOD_QUARTER);
    assert_int_equal(p.index, 2);
    p = P("2026-H1");
    assert_int_equal(p.kind, LIC_PERIOD_HALF);
    assert_int_equal(p.index, 1);
    p = P("2026");
    assert_int_equal(p.kind, LIC_PERIOD_YEAR);
    assert_int_equal(p.index, 1);
    const char *round[] = {"2026-05", "2026-12", "2026-Q4", "2026-H2",
                           "2026", "0001-01", "9999-Q1"};
    for (size_t i = 0; i < sizeof round / sizeof round[0]; i++)
        assert_string_equal(PS(P(round[i])), round[i]);
}

static void assert_period_fails(const char *s, lic_err expected)
{
    lic_period p = {LIC_PERIOD_MONTH, 1234, 5};
    lic_err rc = lic_period_parse(s, strlen(s), &p);
    if (rc != expected)
        fail_msg("lic_period_parse(\"%s\") = %s, expected %s", s,
                 lic_strerror(rc), lic_strerror(expected));
    assert_int_equal(p.year, 1234); /* left alone on failure */
}

static void test_period_parse_rejects_shape_and_range(void **state)
{
    (void)state;
    assert_period_fails("2026-Q5", LIC_ERANGE);
    assert_period_fails("2026-Q0", LIC_ERANGE);
    assert_period_fails("2026-13", LIC_ERANGE);
    assert_period_fails("2026-00", LIC_ERANGE);
    assert_period_fails("2026-H3", LIC_ERANGE);
    assert_period_fails("0000", LIC_ERANGE);
    assert_period_fails("26", LIC_EPARSE);
    assert_period_fails("2026-q2", LIC_EPARSE); /* upper case only */
    assert_period_fails("2026-h1", LIC_EPARSE);
    assert_period_fails("2026-5", LIC_EPARSE);
    assert_period_fails("2026-005", LIC_EPARSE);
    assert_period_fails("2026/05", LIC_EPARSE);
    assert_period_fails("2026-QQ", LIC_EPARSE);
    assert_period_fails("2026 ", LIC_EPARSE);
    assert_period_fails("", LIC_EPARSE);
    assert_period_fails("2026-W12", LIC_EPARSE);
}

static void test_period_first_and_last_days(void **state)
{
    (void)state;
    assert_date(lic_period_first(P("2026-Q2")), "2026-04-01");
    assert_date(lic_period_last(P("2026-Q2")), "2026-06-30");
    assert_date(lic_period_first(P("2024-02")), "2024-02-01");
    assert_date(lic_period_last(P("2024-02")), "2024-02-29");
    assert_date(lic_period_last(P("2025-02")), "2025-02-28");
    assert_date(lic_period_first(P("2026-H2")), "2026-07-01");
    assert_date(lic_period_last(P("2026-H2")), "2026-12-31");
    assert_date(lic_period_last(P("2026-H1")), "2026-06-30");
    assert_date(lic_period_first(P("2026")), "2026-01-01");
    assert_date(lic_period_last(P("2026")), "2026-12-31");
    assert_date(lic_period_last(P("2026-Q4")), "2026-12-31");
    lic_period bad = {LIC_PERIOD_QUARTER, 2026, 5};
    assert_int_equal(lic_period_first(bad), LIC_DATE_NONE);
    assert_int_equal(lic_period_last(bad), LIC_DATE_NONE);
    assert_string_equal(PS(bad), "invalid");
}

static void test_period_next_rolls_into_the_next_year(void **state)
{
    (void)state;
    assert_string_equal(PS(lic_period_next(P("2026-Q4"))), "2027-Q1");
    assert_string_equal(PS(lic_period_next(P("2026-Q1"))), "2026-Q2");
    assert_string_equal(PS(lic_period_next(P("2026-12"))), "2027-01");
    assert_string_equal(PS(lic_period_next(P("2026-05"))), "2026-06");
    assert_string_equal(PS(lic_period_next(P("2026-H2"))), "2027-H1");
    assert_string_equal(PS(lic_period_next(P("2026"))), "2027");
    /* There is nothing after 9999. */
    assert_string_equal(PS(lic_period_next(P("9999-12"))), "invalid");
}

static void test_period_containing_a_date(void **state)
{
    (void)state;
    lic_date d = D("2026-05-31");
    assert_string_equal(PS(lic_period_containing(LIC_PERIOD_MONTH, d)), "2026-05");
    assert_string_equal(PS(lic_period_containing(LIC_PERIOD_QUARTER, d)), "2026-Q2");
    assert_string_equal(PS(lic_period_containing(LIC_PERIOD_HALF, d)), "2026-H1");
    assert_string_equal(PS(lic_period_containing(LIC_PERIOD_YEAR, d)), "2026");
    assert_string_equal(PS(lic_period_containing(LIC_PERIOD_QUARTER,
                                                 D("2026-07-01"))), "2026-Q3");
    assert_string_equal(PS(lic_period_containing(LIC_PERIOD_QUARTER,
                                                 D("2026-12-31"))), "2026-Q4");
    assert_string_equal(PS(lic_period_containing(LIC_PERIOD_HALF,
                                                 D("2026-07-01"))), "2026-H2");
}

static void test_period_cmp_orders_by_first_then_last_day(void **state)
{
    (void)state;
    assert_int_equal(lic_period_cmp(P("2026-Q2"), P("2026-Q2")), 0);
    assert_int_equal(lic_period_cmp(P("2025-12"), P("2026-Q1")), -1);
    assert_int_equal(lic_period_cmp(P("2026-Q3"), P("2026-Q2")), 1);
    /* Same first day: the shorter period comes first. */
    assert_int_equal(lic_period_cmp(P("2026-04"), P("2026-Q2")), -1);
    assert_int_equal(lic_period_cmp(P("2026"), P("2026-H1")), 1);
    assert_int_equal(lic_period_cmp(P("2026-H1"), P("2026-01")), 1);
    assert_int_equal(lic_period_cmp(P("2026-H2"), P("2026-Q3")), 1);
    assert_int_equal(lic_period_cmp(P("2026-06"), P("2026-H1")), 1);
}

/* With an argument, only the tests whose names match that glob run. */
int main(int argc, char **argv)
{
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest tests[] = {
        /* Must stay first: it needs the built-ins not yet parsed. */
        cmocka_unit_test(test_builtin_parse_retries_after_out_of_memory),
        cmocka_unit_test(test_epoch_is_day_zero),
        cmocka_unit_test(test_every_day_from_year_1_to_9999_round_trips),
        cmocka_unit_test(test_leap_years_follow_the_gregorian_rule),
        cmocka_unit_test(test_valid_ymd_is_years_1_to_9999),
        cmocka_unit_test(test_parse_wrong_shape_is_eparse),
        cmocka_unit_test(test_parse_impossible_day_is_erange),
        cmocka_unit_test(test_parse_reads_exactly_len_bytes),
        cmocka_unit_test(test_str_writes_iso_dates_and_zero_for_out_of_range),
        cmocka_unit_test(test_weekday_of_known_dates),
        cmocka_unit_test(test_jan31_plus_one_month_clamps_to_feb_end),
        cmocka_unit_test(test_feb29_plus_one_year_is_feb28),
        cmocka_unit_test(test_negative_months_go_back_and_clamp),
        cmocka_unit_test(test_arithmetic_keeps_none_and_never_overflows),
        cmocka_unit_test(test_duration_applies_months_before_days),
        cmocka_unit_test(test_duration_business_days_come_last_and_use_calendar),
        cmocka_unit_test(test_duration_is_zero_only_when_all_parts_are),
        cmocka_unit_test(test_duration_format_lists_parts_in_english),
        cmocka_unit_test(test_duration_format_truncates_like_snprintf),
        cmocka_unit_test(test_builtin_calendars_are_listed_by_file_name),
        cmocka_unit_test(test_builtin_holidays_are_sorted_unique_weekdays_2020_to_2040),
        cmocka_unit_test(test_us_holidays_are_observed_dates),
        cmocka_unit_test(test_us_has_11_holidays_a_year_once_juneteenth_exists),
        cmocka_unit_test(test_gb_eaw_has_proclaimed_and_substitute_days),
        cmocka_unit_test(test_gb_eaw_has_8_bank_holidays_a_year_plus_proclaimed),
        cmocka_unit_test(test_friday_plus_one_business_day_is_monday),
        cmocka_unit_test(test_us_business_day_skips_observed_independence_day),
        cmocka_unit_test(test_gb_eaw_business_days_across_easter_2026),
        cmocka_unit_test(test_business_days_between_counts_after_from_up_to_to),
        cmocka_unit_test(test_business_days_match_a_day_by_day_count),
        cmocka_unit_test(test_own_calendar_sorts_and_dedups_holidays),
        cmocka_unit_test(test_own_calendar_returns_null_when_out_of_memory),
        cmocka_unit_test(test_period_parse_accepts_the_four_kinds),
        cmocka_unit_test(test_period_parse_rejects_shape_and_range),
        cmocka_unit_test(test_period_first_and_last_days),
        cmocka_unit_test(test_period_next_rolls_into_the_next_year),
        cmocka_unit_test(test_period_containing_a_date),
        cmocka_unit_test(test_period_cmp_orders_by_first_then_last_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
