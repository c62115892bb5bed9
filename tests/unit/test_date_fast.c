/*
 * test_date_fast.c - lib/date.c's and lib/period.c's fast paths (unsigned
 * 32-bit arithmetic for the days of years 0..99999) against Hinnant's
 * algorithms with 64-bit floor division, written here as the reference:
 * every day of years 1..9999 and some way beyond, both directions, month
 * arithmetic with its clamp, and periods' first and last days.
 */
#include "testutil.h"

#include <stdio.h>

#include "licet/date.h"

/* ---- the reference: Hinnant's algorithms, 64-bit, any day ----------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t ref_days(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400), yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void ref_civil(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097), doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* ---- tests --------------------------------------------------------------- */

/* Every day from before year 1 to past 9999, and the edges of the fast
 * path (0000-03-01 and day 2^30 after it), convert as the reference. */
static void test_to_ymd_matches_the_reference(void **state)
{
    (void)state;
    static const int64_t spans[][2] = {{LIC_DATE_MIN - 800000, LIC_DATE_MAX + 800000},
                                       {(1 << 30) - 719468 - 2000, (1 << 30) - 719468 + 2000},
                                       {INT32_MAX - 2000, INT32_MAX}};
    for (size_t s = 0; s < sizeof spans / sizeof spans[0]; s++)
        for (int64_t z = spans[s][0]; z <= spans[s][1]; z++) {
            int64_t ry;
            int rm, rd, y, m, d;
            ref_civil(z, &ry, &rm, &rd);
            lic_date_to_ymd((lic_date)z, &y, &m, &d);
            if (y != ry || m != rm || d != rd)
                fail_msg("day %lld: %d-%d-%d, expected %lld-%d-%d", (long long)z, y, m, d, (long long)ry, rm, rd);
        }
}

/* Every month of years -1000..11000 and 99990..100010 (the fast path ends
 * at 99999), with days out of range too, converts as the reference. */
static void test_from_ymd_matches_the_reference(void **state)
{
    (void)state;
    static const int spans[][2] = {{-1000, 11000}, {99990, 100010}};
    for (size_t s = 0; s < 2; s++)
        for (int y = spans[s][0]; y <= spans[s][1]; y++)
            for (int m = 1; m <= 12; m++)
                for (int d = -3; d <= 34; d += 6)
                    assert_int_equal(lic_date_from_ymd(y, m, d), ref_days(y, m, d));
}

/* Adding months clamps the day to the month's end, as the reference's
 * round trip does, across years 1..9999 and out of them. */
static void test_add_months_matches_the_reference(void **state)
{
    (void)state;
    static const int32_t months[] = {1, -1, 2, 11, 12, 13, -13, 120, -120, 119988, -119988, 5000000};
    for (int64_t z = LIC_DATE_MIN - 400; z <= LIC_DATE_MAX + 400; z += 7) {
        int64_t y;
        int m, d;
        ref_civil(z, &y, &m, &d);
        for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
            int64_t total = y * 12 + (m - 1) + months[i], ny = floor_div(total, 12);
            int nm = (int)(total - ny * 12) + 1;
            int dim = lic_date_days_in_month((int)(ny - floor_div(ny, 400) * 400) + 400, nm);
            int64_t want = ref_days(ny, nm, d > dim ? dim : d);
            want = want > INT32_MAX ? INT32_MAX : want <= INT32_MIN ? INT32_MIN + 1 : want;
            assert_int_equal(lic_date_add_months((lic_date)z, months[i]), want);
        }
    }
}

/* A period's first and last days are its first month's first day and the
 * day before the next period's. */
static void test_period_days_match_the_reference(void **state)
{
    (void)state;
    static const int months[] = {[LIC_PERIOD_MONTH] = 1, [LIC_PERIOD_QUARTER] = 3, [LIC_PERIOD_HALF] = 6,
                                 [LIC_PERIOD_YEAR] = 12};
    for (int k = LIC_PERIOD_MONTH; k <= LIC_PERIOD_YEAR; k++)
        for (int y = 1; y <= 9999; y++)
            for (int i = 1; i <= 12 / months[k]; i++) {
                lic_period p = {(lic_period_kind)k, y, i};
                int first = (i - 1) * months[k] + 1, next = i * months[k] + 1;
                assert_int_equal(lic_period_first(p), ref_days(y, first, 1));
                assert_int_equal(lic_period_last(p), next > 12 ? ref_days(y + 1, 1, 1) - 1 : ref_days(y, next, 1) - 1);
                char got[LIC_PERIOD_STRLEN], want[32]; /* room for any int: gcc -O1 checks the widths */
                lic_period_str(p, got);
                if (k == LIC_PERIOD_YEAR)
                    snprintf(want, sizeof want, "%04d", y);
                else if (k == LIC_PERIOD_MONTH)
                    snprintf(want, sizeof want, "%04d-%02d", y, i);
                else
                    snprintf(want, sizeof want, "%04d-%c%d", y, k == LIC_PERIOD_QUARTER ? 'Q' : 'H', i);
                assert_string_equal(got, want);
            }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_ymd_matches_the_reference),
        cmocka_unit_test(test_from_ymd_matches_the_reference),
        cmocka_unit_test(test_add_months_matches_the_reference),
        cmocka_unit_test(test_period_days_match_the_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
