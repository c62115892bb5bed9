/*
 * test_money.c - unit tests for money.h: the ISO 4217 table, exact parsing
 * of amounts and rates, 128-bit products rounded once, and formatting.
 *
 * Every expectation is an exact integer or string.  Test names state the
 * rule they check, so a failing name alone says what broke.
 */
#include "testutil.h"

#include <stdio.h>

#include "licet/money.h"

/* ------------------------------------------------------------------ */
/* Typed asserts that print both sides (cmocka's print int64 unsigned). */
/* ------------------------------------------------------------------ */

static void check_i64(int64_t got, int64_t want, const char *expr,
                      const char *file, int line)
{
    if (got == want)
        return;
    print_error("%s is %lld, expected %lld\n", expr, (long long)got,
                (long long)want);
    _fail(file, line);
}

static void check_err(lic_err got, lic_err want, const char *expr,
                      const char *file, int line)
{
    if (got == want)
        return;
    print_error("%s returned %d (%s), expected %d (%s)\n", expr, (int)got,
                lic_strerror(got), (int)want, lic_strerror(want));
    _fail(file, line);
}

#define assert_i64(got, want) \
    check_i64((got), (want), #got, __FILE__, __LINE__)
#define assert_err(got, want) \
    check_err((got), (want), #got, __FILE__, __LINE__)

/* Parses a C string as an amount; the whole string is the input. */
static lic_err parse(const char *s, int digits, lic_amount *out)
{
    return lic_amount_parse(s, strlen(s), digits, out);
}

static lic_err parse_rate(const char *s, lic_rate *out)
{
    return lic_rate_parse(s, strlen(s), out);
}

/* Asserts that parsing s gives exactly `want`. */
#define assert_parses(s, digits, want)                                        \
    do {                                                                      \
        lic_amount v_ = -1;                                                   \
        assert_err(parse((s), (digits), &v_), LIC_OK);                        \
        assert_i64(v_, (want));                                               \
    } while (0)

#define assert_rate_parses(s, want)                                           \
    do {                                                                      \
        lic_rate r_ = -1;                                                     \
        assert_err(parse_rate((s), &r_), LIC_OK);                             \
        assert_i64(r_, (want));                                               \
    } while (0)

#define assert_amount_text(a, digits, want)                                   \
    do {                                                                      \
        char b_[32];                                                          \
        size_t n_ = lic_amount_format((a), (digits), b_, sizeof b_);          \
        assert_string_equal(b_, (want));                                      \
        assert_int_equal(n_, strlen(want));                                   \
    } while (0)

#define assert_percent_text(r, want)                                          \
    do {                                                                      \
        char b_[40];                                                          \
        size_t n_ = lic_rate_format_percent((r), b_, sizeof b_);              \
        assert_string_equal(b_, (want));                                      \
        assert_int_equal(n_, strlen(want));                                   \
    } while (0)

#define assert_decimal_text(r, want)                                          \
    do {                                                                      \
        char b_[40];                                                          \
        size_t n_ = lic_rate_format_decimal((r), b_, sizeof b_);              \
        assert_string_equal(b_, (want));                                      \
        assert_int_equal(n_, strlen(want));                                   \
    } while (0)

/* a x r, rounded with `mode`; fails the test on an error. */
static lic_amount mul(lic_amount a, lic_rate r, lic_rounding mode)
{
    lic_amount out = -999;
    assert_err(lic_amount_mul_rate(a, r, mode, &out), LIC_OK);
    return out;
}

static lic_amount muldiv(lic_amount a, int64_t num, int64_t den,
                         lic_rounding mode)
{
    lic_amount out = -999;
    assert_err(lic_amount_muldiv(a, num, den, mode, &out), LIC_OK);
    return out;
}

static lic_amount convert(lic_amount a, int from, lic_rate rate, int to,
                          lic_rounding mode)
{
    lic_amount out = -999;
    assert_err(lic_amount_convert(a, from, rate, to, mode, &out), LIC_OK);
    return out;
}

#define EVEN LIC_ROUND_HALF_EVEN
#define UP LIC_ROUND_HALF_UP
#define HALF (LIC_RATE_SCALE / 2) /* the rate 0.5 */
#define PCT(x) ((lic_rate)(x) * (LIC_RATE_SCALE / 100))

/* ------------------------------------------------------------------ */
/* ISO 4217 table                                                      */
/* ------------------------------------------------------------------ */

static void currency_table_has_at_least_150_codes(void **state)
{
    (void)state;
    assert_true(lic_currency_count() >= 150);
}

static void currency_table_is_sorted_strictly_by_code(void **state)
{
    (void)state;
    for (size_t i = 1; i < lic_currency_count(); i++) {
        const lic_currency *prev = lic_currency_at(i - 1);
        const lic_currency *cur = lic_currency_at(i);
        if (strcmp(prev->code, cur->code) >= 0)
            fail_msg("row %zu %s is not after %s", i, cur->code, prev->code);
    }
}

static void currency_rows_are_well_formed_with_unique_numbers(void **state)
{
    (void)state;
    size_t n = lic_currency_count();
    for (size_t i = 0; i < n; i++) {
        const lic_currency *c = lic_currency_at(i);
        assert_int_equal(strlen(c->code), 3);
        assert_non_null(c->name);
        assert_true(c->name[0] != '\0');
        assert_true(c->numeric > 0 && c->numeric < 1000);
        assert_true(c->digits == 0 || c->digits == 2 || c->digits == 3 ||
                    c->digits == 4);
        for (size_t j = i + 1; j < n; j++)
            if (lic_currency_at(j)->numeric == c->numeric)
                fail_msg("%s and %s share numeric %u", c->code,
                         lic_currency_at(j)->code, c->numeric);
    }
}

static void currency_find_returns_every_row_by_its_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < lic_currency_count(); i++) {
        const lic_currency *c = lic_currency_at(i);
        assert_ptr_equal(lic_currency_find(c->code), c);
    }
}

static void currency_at_past_the_end_is_null(void **state)
{
    (void)state;
    assert_null(lic_currency_at(lic_currency_count()));
    assert_null(lic_currency_at((size_t)-1));
}

static void currency_minor_digits_follow_iso_4217(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int digits;
        unsigned numeric;
    } want[] = {
        {"USD", 2, 840}, {"EUR", 2, 978}, {"GBP", 2, 826}, {"JPY", 0, 392},
        {"BHD", 3, 48},  {"KWD", 3, 414}, {"CLF", 4, 990}, {"UYW", 4, 927},
        {"ISK", 0, 352}, {"KRW", 0, 410}, {"VND", 0, 704}, {"XAF", 0, 950},
        {"XOF", 0, 952}, {"UGX", 0, 800}, {"CLP", 0, 152}, {"PYG", 0, 600},
        {"JOD", 3, 400}, {"LYD", 3, 434}, {"OMR", 3, 512}, {"TND", 3, 788},
        {"IQD", 3, 368}, {"CHF", 2, 756}, {"CNY", 2, 156}, {"INR", 2, 356},
        {"XPF", 0, 953}, {"UYI", 0, 940}, {"ALL", 2, 8},   {"ZWG", 2, 924},
        {"XCG", 2, 532}, {"SLE", 2, 925}, {"VES", 2, 928}, {"VED", 2, 926},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const lic_currency *c = lic_currency_find(want[i].code);
        if (!c)
            fail_msg("%s is missing", want[i].code);
        if (c->digits != want[i].digits || c->numeric != want[i].numeric)
            fail_msg("%s: digits %d numeric %u, expected %d %u",
                     want[i].code, c->digits, c->numeric, want[i].digits,
                     want[i].numeric);
    }
}

static void currency_find_rejects_lowercase_unknown_and_malformed(void **state)
{
    (void)state;
    static const char *bad[] = {"usd", "Usd", "ZZZ", "US", "USDX", "",
                                "U1D", " USD", "USD "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (lic_currency_find(bad[i]))
            fail_msg("\"%s\" was found", bad[i]);
    assert_null(lic_currency_find(NULL));
}

static void currency_table_omits_na_x_codes_and_withdrawn_codes(void **state)
{
    (void)state;
    static const char *absent[] = {"XAU", "XAG", "XPT", "XPD", "XDR", "XBA",
                                   "XSU", "XUA", "XTS", "XXX", "HRK", "ANG",
                                   "ZWL", "SLL", "BGN"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        if (lic_currency_find(absent[i]))
            fail_msg("%s should not be in the table", absent[i]);
    assert_non_null(lic_currency_find("XCD"));
}

/* ------------------------------------------------------------------ */
/* Amount parsing                                                      */
/* ------------------------------------------------------------------ */

static void parse_reads_cents_exactly(void **state)
{
    (void)state;
    assert_parses("1234.56", 2, 123456);
    assert_parses("0.01", 2, 1);
    assert_parses("0", 2, 0);
    assert_parses("007.50", 2, 750);
}

static void parse_scales_whole_numbers_and_short_fractions(void **state)
{
    (void)state;
    assert_parses("250000", 2, 25000000);
    assert_parses("1.5", 2, 150);
    assert_parses("1.5", 3, 1500);
}

static void parse_accepts_negatives_and_negative_zero(void **state)
{
    (void)state;
    assert_parses("-0.05", 2, -5);
    assert_parses("-1234.56", 2, -123456);
    assert_parses("-0", 2, 0);
    assert_parses("-0.00", 2, 0);
}

static void parse_zero_digit_currency_takes_whole_yen(void **state)
{
    (void)state;
    int jpy = lic_currency_find("JPY")->digits;
    lic_amount v;
    assert_parses("1500", jpy, 1500);
    assert_parses("1500.000", jpy, 1500);
    assert_err(parse("1500.5", jpy, &v), LIC_ERANGE);
    assert_err(parse("0.1", jpy, &v), LIC_ERANGE);
}

static void parse_three_digit_currency_takes_fils(void **state)
{
    (void)state;
    int bhd = lic_currency_find("BHD")->digits;
    lic_amount v;
    assert_parses("1.234", bhd, 1234);
    assert_parses("0.001", bhd, 1);
    assert_parses("1.2340", bhd, 1234);
    assert_parses("2", bhd, 2000);
    assert_err(parse("1.2345", bhd, &v), LIC_ERANGE);
}

static void parse_too_many_decimals_is_erange_unless_zeros(void **state)
{
    (void)state;
    lic_amount v;
    assert_err(parse("1.234", 2, &v), LIC_ERANGE);
    assert_err(parse("0.001", 2, &v), LIC_ERANGE);
    assert_err(parse("1.00000000000000000001", 2, &v), LIC_ERANGE);
    assert_parses("1.230", 2, 123);
    assert_parses("1.00000000000000000000", 2, 100);
}

static void parse_rejects_non_decimal_syntax_with_eparse(void **state)
{
    (void)state;
    static const char *bad[] = {
        "1e6", "+1",  " 1",    "1 ",   "1,000", "",    ".",    "-",
        "1.",  ".5",  "-.5",   "--1",  "1.2.3", "0x10", "1_000", "1-",
        "- 1", "abc", "1.5e2", "\t1",  "NaN",   "inf", "1..2", "1. 5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lic_amount v = 42;
        lic_err rc = parse(bad[i], 2, &v);
        if (rc != LIC_EPARSE)
            fail_msg("\"%s\": got %d (%s), expected LIC_EPARSE", bad[i],
                     (int)rc, lic_strerror(rc));
        assert_i64(v, 42); /* a failed parse leaves *out alone */
    }
}

static void parse_syntax_error_wins_over_overflow_and_range(void **state)
{
    (void)state;
    lic_amount v;
    assert_err(parse("99999999999999999999x", 2, &v), LIC_EPARSE);
    assert_err(parse("1.999x", 2, &v), LIC_EPARSE);
}

static void parse_overflow_at_2_pow_63_cents_is_eoverflow(void **state)
{
    (void)state;
    lic_amount v;
    assert_parses("92233720368547758.07", 2, INT64_MAX);
    assert_err(parse("92233720368547758.08", 2, &v), LIC_EOVERFLOW);
    assert_parses("9223372036854775807", 0, INT64_MAX);
    assert_err(parse("9223372036854775808", 0, &v), LIC_EOVERFLOW);
    assert_err(parse("99999999999999999999999999", 0, &v), LIC_EOVERFLOW);
    assert_err(parse("100000000000000000", 2, &v), LIC_EOVERFLOW);
}

static void parse_reaches_int64_min_but_not_below(void **state)
{
    (void)state;
    lic_amount v;
    assert_parses("-92233720368547758.08", 2, INT64_MIN);
    assert_parses("-9223372036854775808", 0, INT64_MIN);
    assert_err(parse("-92233720368547758.09", 2, &v), LIC_EOVERFLOW);
    assert_err(parse("-9223372036854775809", 0, &v), LIC_EOVERFLOW);
}

static void parse_reads_at_most_len_bytes_and_stops_at_nul(void **state)
{
    (void)state;
    lic_amount v = 0;
    assert_err(lic_amount_parse("12.34xyz", 5, 2, &v), LIC_OK);
    assert_i64(v, 1234);
    assert_err(lic_amount_parse("12\0.99", 6, 2, &v), LIC_OK);
    assert_i64(v, 1200);
    assert_err(lic_amount_parse("12.34", 0, 2, &v), LIC_EPARSE);
}

static void parse_rejects_digits_outside_0_to_18_with_einval(void **state)
{
    (void)state;
    lic_amount v;
    assert_err(parse("1", -1, &v), LIC_EINVAL);
    assert_err(parse("1", 19, &v), LIC_EINVAL);
    assert_parses("1", 18, INT64_C(1000000000000000000));
    assert_err(lic_amount_parse(NULL, 1, 2, &v), LIC_EINVAL);
}

/* ------------------------------------------------------------------ */
/* Rate parsing                                                        */
/* ------------------------------------------------------------------ */

static void rate_percent_and_fraction_forms_are_equal(void **state)
{
    (void)state;
    assert_rate_parses("4.5%", INT64_C(45000000000));
    assert_rate_parses("0.045", INT64_C(45000000000));
    assert_rate_parses("3%", INT64_C(30000000000));
    assert_rate_parses("0.03", INT64_C(30000000000));
    assert_rate_parses("100%", LIC_RATE_SCALE);
    assert_rate_parses("1", LIC_RATE_SCALE);
    assert_rate_parses("0.125%", INT64_C(1250000000));
    assert_rate_parses("0", 0);
    assert_rate_parses("0%", 0);
}

static void rate_negative_values_are_accepted(void **state)
{
    (void)state;
    assert_rate_parses("-1%", -INT64_C(10000000000));
    assert_rate_parses("-0.5", -HALF);
}

static void rate_twelve_fraction_digits_are_the_limit(void **state)
{
    (void)state;
    lic_rate r;
    assert_rate_parses("0.000000000001", 1);
    assert_rate_parses("0.0000000000010", 1);
    assert_rate_parses("0.0000000001%", 1);
    assert_rate_parses("0.00000000010%", 1);
    assert_err(parse_rate("0.0000000000001", &r), LIC_ERANGE);
    assert_err(parse_rate("0.00000000001%", &r), LIC_ERANGE);
    assert_err(parse_rate("4.50000000000000000001%", &r), LIC_ERANGE);
}

static void rate_rejects_malformed_text_with_eparse(void **state)
{
    (void)state;
    static const char *bad[] = {"%",     "4.5 %", "4.5%%", "%4.5", "4,5%",
                                "+1%",   "",      "4.5 ",  "1e-2", ".5%",
                                "4.5% ", "-%",    "4.%",   "0.045%x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lic_rate r;
        lic_err rc = parse_rate(bad[i], &r);
        if (rc != LIC_EPARSE)
            fail_msg("\"%s\": got %d (%s), expected LIC_EPARSE", bad[i],
                     (int)rc, lic_strerror(rc));
    }
}

static void rate_beyond_int64_is_eoverflow(void **state)
{
    (void)state;
    lic_rate r;
    assert_rate_parses("9223372.036854775807", INT64_MAX);
    assert_err(parse_rate("9223372.036854775808", &r), LIC_EOVERFLOW);
    assert_err(parse_rate("10000000", &r), LIC_EOVERFLOW);
    assert_err(parse_rate("1000000000%", &r), LIC_EOVERFLOW);
}

/* ------------------------------------------------------------------ */
/* Add and subtract                                                    */
/* ------------------------------------------------------------------ */

static void add_and_sub_are_exact_within_int64(void **state)
{
    (void)state;
    lic_amount v;
    assert_err(lic_amount_add(123456, -6, &v), LIC_OK);
    assert_i64(v, 123450);
    assert_err(lic_amount_sub(5, 12, &v), LIC_OK);
    assert_i64(v, -7);
    assert_err(lic_amount_add(INT64_MIN + 1, -1, &v), LIC_OK);
    assert_i64(v, INT64_MIN);
    assert_err(lic_amount_sub(-1, INT64_MAX, &v), LIC_OK);
    assert_i64(v, INT64_MIN);
}

static void add_and_sub_past_int64_are_eoverflow(void **state)
{
    (void)state;
    lic_amount v;
    assert_err(lic_amount_add(INT64_MAX, 1, &v), LIC_EOVERFLOW);
    assert_err(lic_amount_add(INT64_MIN, -1, &v), LIC_EOVERFLOW);
    assert_err(lic_amount_sub(INT64_MIN, 1, &v), LIC_EOVERFLOW);
    assert_err(lic_amount_sub(0, INT64_MIN, &v), LIC_EOVERFLOW);
    lic_rate r;
    assert_err(lic_rate_add(INT64_MAX, 1, &r), LIC_EOVERFLOW);
    assert_err(lic_rate_add(PCT(3), PCT(1), &r), LIC_OK);
    assert_i64(r, PCT(4));
}

/* ------------------------------------------------------------------ */
/* Rounding at exact halves (a x 0.5), both modes, both signs          */
/* ------------------------------------------------------------------ */

static void half_even_rounds_0_5_down_to_0(void **state)
{
    (void)state;
    assert_i64(mul(1, HALF, EVEN), 0);
}

static void half_up_rounds_0_5_up_to_1(void **state)
{
    (void)state;
    assert_i64(mul(1, HALF, UP), 1);
}

static void both_modes_round_1_5_to_2(void **state)
{
    (void)state;
    assert_i64(mul(3, HALF, EVEN), 2);
    assert_i64(mul(3, HALF, UP), 2);
}

static void half_even_rounds_2_5_down_to_2(void **state)
{
    (void)state;
    assert_i64(mul(5, HALF, EVEN), 2);
}

static void half_up_rounds_2_5_up_to_3(void **state)
{
    (void)state;
    assert_i64(mul(5, HALF, UP), 3);
}

static void half_even_rounds_minus_2_5_to_minus_2(void **state)
{
    (void)state;
    assert_i64(mul(-5, HALF, EVEN), -2);
}

static void half_up_rounds_minus_2_5_away_from_zero_to_minus_3(void **state)
{
    (void)state;
    assert_i64(mul(-5, HALF, UP), -3);
}

static void negative_halves_mirror_positive_halves(void **state)
{
    (void)state;
    assert_i64(mul(-1, HALF, EVEN), 0);
    assert_i64(mul(-1, HALF, UP), -1);
    assert_i64(mul(-3, HALF, EVEN), -2);
    assert_i64(mul(-3, HALF, UP), -2);
    assert_i64(mul(-7, HALF, EVEN), -4);
    assert_i64(mul(-7, HALF, UP), -4);
}

static void non_ties_round_to_nearest_in_both_modes(void **state)
{
    (void)state;
    for (int m = EVEN; m <= UP; m++) {
        lic_rounding mode = (lic_rounding)m;
        assert_i64(muldiv(24, 1, 10, mode), 2);
        assert_i64(muldiv(26, 1, 10, mode), 3);
        assert_i64(muldiv(-24, 1, 10, mode), -2);
        assert_i64(muldiv(-26, 1, 10, mode), -3);
        /* One 10^-12 off the half decides it. */
        assert_i64(mul(1, HALF + 1, mode), 1);
        assert_i64(mul(1, HALF - 1, mode), 0);
        assert_i64(mul(-1, HALF + 1, mode), -1);
    }
}

static void royalty_3_percent_of_150_cents_ties_to_4_even_5_up(void **state)
{
    (void)state;
    assert_i64(mul(150, PCT(3), EVEN), 4);
    assert_i64(mul(150, PCT(3), UP), 5);
    assert_i64(mul(250, PCT(3), EVEN), 8);
    assert_i64(mul(250, PCT(3), UP), 8);
}

static void mul_rate_rounds_once_from_the_exact_product(void **state)
{
    (void)state;
    /* 4.5% of 123456.78 = 5555.5551: one rounding gives 555556 cents. */
    assert_i64(mul(12345678, INT64_C(45000000000), EVEN), 555556);
    /* 0.125% of 1000.00 = 1.25 exactly. */
    assert_i64(mul(100000, INT64_C(1250000000), EVEN), 125);
    assert_i64(mul(0, PCT(5), EVEN), 0);
    assert_i64(mul(INT64_MIN, LIC_RATE_SCALE, EVEN), INT64_MIN);
    assert_i64(mul(INT64_MAX, LIC_RATE_SCALE, EVEN), INT64_MAX);
}

static void mul_rate_past_int64_is_eoverflow(void **state)
{
    (void)state;
    lic_amount v;
    assert_err(lic_amount_mul_rate(INT64_MAX, 2 * LIC_RATE_SCALE, EVEN, &v),
               LIC_EOVERFLOW);
    assert_err(lic_amount_mul_rate(INT64_MIN, -LIC_RATE_SCALE, EVEN, &v),
               LIC_EOVERFLOW);
    assert_err(lic_amount_mul_rate(INT64_MAX, INT64_MAX, UP, &v),
               LIC_EOVERFLOW);
    assert_err(lic_amount_mul_rate(INT64_MIN, INT64_MIN, UP, &v),
               LIC_EOVERFLOW);
}

static void unknown_rounding_mode_is_einval(void **state)
{
    (void)state;
    lic_amount v;
    assert_err(lic_amount_mul_rate(1, HALF, (lic_rounding)7, &v), LIC_EINVAL);
    assert_err(lic_amount_muldiv(1, 1, 2, (lic_rounding)-1, &v), LIC_EINVAL);
}

/* ------------------------------------------------------------------ */
/* muldiv                                                              */
/* ------------------------------------------------------------------ */

static void muldiv_by_zero_is_einval(void **state)
{
    (void)state;
    lic_amount v;
    assert_err(lic_amount_muldiv(100, 1, 0, EVEN, &v), LIC_EINVAL);
}

static void muldiv_ties_follow_mode_for_any_sign_of_den(void **state)
{
    (void)state;
    assert_i64(muldiv(5, 1, 2, EVEN), 2);
    assert_i64(muldiv(5, 1, 2, UP), 3);
    assert_i64(muldiv(-5, 1, 2, EVEN), -2);
    assert_i64(muldiv(-5, 1, 2, UP), -3);
    assert_i64(muldiv(5, 1, -2, EVEN), -2);
    assert_i64(muldiv(5, 1, -2, UP), -3);
    assert_i64(muldiv(-5, -1, -2, UP), -3);
    assert_i64(muldiv(7, 1, 2, EVEN), 4);
}

static void muldiv_thirds_round_to_nearest(void **state)
{
    (void)state;
    assert_i64(muldiv(100, 1, 3, EVEN), 33);
    assert_i64(muldiv(200, 1, 3, EVEN), 67);
    /* Interest: 1,000,000.00 at 8% for 30 days of 365 = 6575.34246... */
    assert_i64(muldiv(100000000, 8 * 30, 100 * 365, EVEN), 657534);
}

static void muldiv_keeps_a_128_bit_intermediate(void **state)
{
    (void)state;
    assert_i64(muldiv(INT64_MAX, INT64_MAX, INT64_MAX, EVEN), INT64_MAX);
    assert_i64(muldiv(INT64_MIN, INT64_MIN, INT64_MIN, EVEN), INT64_MIN);
    assert_i64(muldiv(INT64_MIN, 1, INT64_MIN, EVEN), 1);
    assert_i64(muldiv(INT64_MAX, 3, 4, EVEN), INT64_C(6917529027641081855));
}

static void muldiv_past_int64_is_eoverflow(void **state)
{
    (void)state;
    lic_amount v;
    assert_err(lic_amount_muldiv(INT64_MAX, 2, 1, EVEN, &v), LIC_EOVERFLOW);
    assert_err(lic_amount_muldiv(INT64_MIN, -1, 1, EVEN, &v), LIC_EOVERFLOW);
    assert_err(lic_amount_muldiv(INT64_MIN, 1, -1, EVEN, &v), LIC_EOVERFLOW);
}

/* ------------------------------------------------------------------ */
/* rate x rate                                                         */
/* ------------------------------------------------------------------ */

static void rate_mul_halves_a_rate_exactly(void **state)
{
    (void)state;
    lic_rate r;
    assert_err(lic_rate_mul(PCT(4), HALF, EVEN, &r), LIC_OK);
    assert_i64(r, PCT(2));
    assert_err(lic_rate_mul(INT64_C(45000000000), HALF, EVEN, &r), LIC_OK);
    assert_i64(r, INT64_C(22500000000));
}

static void rate_mul_rounds_at_10_pow_minus_12(void **state)
{
    (void)state;
    lic_rate r;
    assert_err(lic_rate_mul(1, HALF, EVEN, &r), LIC_OK);
    assert_i64(r, 0);
    assert_err(lic_rate_mul(1, HALF, UP, &r), LIC_OK);
    assert_i64(r, 1);
    assert_err(lic_rate_mul(-3, HALF, EVEN, &r), LIC_OK);
    assert_i64(r, -2);
}

static void rate_mul_past_int64_is_eoverflow(void **state)
{
    (void)state;
    lic_rate r;
    assert_err(lic_rate_mul(INT64_MAX, 2 * LIC_RATE_SCALE, EVEN, &r),
               LIC_EOVERFLOW);
}

/* ------------------------------------------------------------------ */
/* Currency conversion                                                 */
/* ------------------------------------------------------------------ */

static void convert_usd_cents_to_yen_drops_two_digits(void **state)
{
    (void)state;
    lic_rate usd_jpy = 150 * LIC_RATE_SCALE;
    assert_i64(convert(100, 2, usd_jpy, 0, EVEN), 150);
    /* 123.45 USD at 151.37 = 18686.6265 JPY. */
    lic_rate r;
    assert_err(parse_rate("151.37", &r), LIC_OK);
    assert_i64(convert(12345, 2, r, 0, EVEN), 18687);
    /* 0.01 USD at 150 = 1.5 JPY: a tie. */
    assert_i64(convert(1, 2, usd_jpy, 0, EVEN), 2);
    assert_i64(convert(3, 2, HALF * 100, 0, EVEN), 2);  /* 1.5 -> 2 */
    assert_i64(convert(5, 2, HALF * 100, 0, EVEN), 2);  /* 2.5 -> 2 */
    assert_i64(convert(5, 2, HALF * 100, 0, UP), 3);    /* 2.5 -> 3 */
    assert_i64(convert(-5, 2, HALF * 100, 0, UP), -3);
}

static void convert_yen_to_usd_cents_adds_two_digits(void **state)
{
    (void)state;
    lic_rate jpy_usd;
    assert_err(parse_rate("0.0067", &jpy_usd), LIC_OK);
    assert_i64(convert(1000, 0, jpy_usd, 2, EVEN), 670);
    /* 1 JPY at 0.005 = 0.5 cents: a tie. */
    assert_i64(convert(1, 0, LIC_RATE_SCALE / 200, 2, EVEN), 0);
    assert_i64(convert(1, 0, LIC_RATE_SCALE / 200, 2, UP), 1);
    assert_i64(convert(3, 0, LIC_RATE_SCALE / 200, 2, EVEN), 2);
}

static void convert_between_three_and_two_digit_currencies(void **state)
{
    (void)state;
    lic_rate bhd_usd;
    assert_err(parse_rate("2.65", &bhd_usd), LIC_OK);
    assert_i64(convert(1000, 3, bhd_usd, 2, EVEN), 265);
    assert_i64(convert(1, 3, bhd_usd, 2, EVEN), 0);
    assert_i64(convert(12345, 2, LIC_RATE_SCALE, 2, EVEN), 12345);
}

static void convert_extreme_digit_gaps_stay_exact(void **state)
{
    (void)state;
    /* 0 -> 18 digits multiplies by 10^18 after the rate. */
    assert_i64(convert(1, 0, LIC_RATE_SCALE, 18, EVEN),
               INT64_C(1000000000000000000));
    /* 18 -> 0: INT64_MAX^2 / 10^30 = 85070591.7302... */
    assert_i64(convert(INT64_MAX, 18, INT64_MAX, 0, EVEN), 85070592);
}

static void convert_past_int64_or_int128_is_eoverflow(void **state)
{
    (void)state;
    lic_amount v;
    /* INT64_MAX yen is more than INT64_MAX cents can hold. */
    assert_err(lic_amount_convert(INT64_MAX, 0, LIC_RATE_SCALE, 2, EVEN, &v),
               LIC_EOVERFLOW);
    assert_err(lic_amount_convert(10, 0, LIC_RATE_SCALE, 18, EVEN, &v),
               LIC_EOVERFLOW);
    /* 2^126 x 10^6 would wrap 128 bits if it were computed. */
    assert_err(lic_amount_convert(INT64_MAX, 0, INT64_MAX, 18, EVEN, &v),
               LIC_EOVERFLOW);
    assert_err(lic_amount_convert(INT64_MIN, 0, INT64_MAX, 18, UP, &v),
               LIC_EOVERFLOW);
}

static void convert_rejects_digits_outside_0_to_18(void **state)
{
    (void)state;
    lic_amount v;
    assert_err(lic_amount_convert(1, -1, LIC_RATE_SCALE, 2, EVEN, &v),
               LIC_EINVAL);
    assert_err(lic_amount_convert(1, 2, LIC_RATE_SCALE, 19, EVEN, &v),
               LIC_EINVAL);
}

/* ------------------------------------------------------------------ */
/* Formatting                                                          */
/* ------------------------------------------------------------------ */

static void format_writes_exactly_digits_fraction_digits(void **state)
{
    (void)state;
    assert_amount_text(123456, 2, "1234.56");
    assert_amount_text(-5, 2, "-0.05");
    assert_amount_text(0, 2, "0.00");
    assert_amount_text(100, 2, "1.00");
    assert_amount_text(1234, 0, "1234");
    assert_amount_text(-1234, 0, "-1234");
    assert_amount_text(1, 3, "0.001");
    assert_amount_text(-1234, 3, "-1.234");
    assert_amount_text(5, 4, "0.0005");
}

static void format_handles_int64_extremes(void **state)
{
    (void)state;
    assert_amount_text(INT64_MIN, 2, "-92233720368547758.08");
    assert_amount_text(INT64_MIN, 0, "-9223372036854775808");
    assert_amount_text(INT64_MAX, 2, "92233720368547758.07");
    assert_amount_text(INT64_MIN, 18, "-9.223372036854775808");
    assert_amount_text(5, 18, "0.000000000000000005");
}

static void format_truncates_and_returns_needed_length_like_snprintf(
    void **state)
{
    (void)state;
    char buf[4];
    assert_int_equal(lic_amount_format(123456, 2, buf, sizeof buf), 7);
    assert_string_equal(buf, "123");
    assert_int_equal(lic_amount_format(123456, 2, NULL, 0), 7);
    char pct[3];
    assert_int_equal(lic_rate_format_percent(PCT(45) / 10, pct, sizeof pct),
                     4);
    assert_string_equal(pct, "4.");
}

static void format_with_digits_outside_0_to_18_is_empty(void **state)
{
    (void)state;
    char buf[32] = "junk";
    assert_int_equal(lic_amount_format(1, -1, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_int_equal(lic_amount_format(1, 19, buf, sizeof buf), 0);
}

static void amounts_round_trip_through_parse_and_format(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int digits;
    } cases[] = {
        {"0.00", 2},   {"1234.56", 2}, {"-0.01", 2},  {"1500", 0},
        {"-7", 0},     {"1.234", 3},   {"0.0001", 4}, {"-92233720368547758.08", 2},
        {"92233720368547758.07", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lic_amount v;
        char buf[32];
        assert_err(parse(cases[i].text, cases[i].digits, &v), LIC_OK);
        lic_amount_format(v, cases[i].digits, buf, sizeof buf);
        assert_string_equal(buf, cases[i].text);
    }
}

static void rate_percent_format_drops_trailing_zeros(void **state)
{
    (void)state;
    assert_percent_text(INT64_C(45000000000), "4.5%");
    assert_percent_text(PCT(3), "3%");
    assert_percent_text(INT64_C(1250000000), "0.125%");
    assert_percent_text(-PCT(1), "-1%");
    assert_percent_text(0, "0%");
    assert_percent_text(LIC_RATE_SCALE, "100%");
    assert_percent_text(1, "0.0000000001%");
    assert_percent_text(INT64_MIN, "-922337203.6854775808%");
}

static void rate_decimal_format_drops_trailing_zeros(void **state)
{
    (void)state;
    assert_decimal_text(INT64_C(45000000000), "0.045");
    assert_decimal_text(LIC_RATE_SCALE, "1");
    assert_decimal_text(0, "0");
    assert_decimal_text(-HALF, "-0.5");
    assert_decimal_text(1, "0.000000000001");
    assert_decimal_text(25 * LIC_RATE_SCALE, "25");
    assert_decimal_text(INT64_MIN, "-9223372.036854775808");
}

static void rates_round_trip_through_parse_and_format(void **state)
{
    (void)state;
    static const char *percents[] = {"4.5%", "3%",   "0.125%", "-1%", "0%",
                                     "100%", "250%", "0.0000000001%"};
    static const char *decimals[] = {"0.045", "1",   "0",  "-0.5",
                                     "12.25", "0.000000000001"};
    char buf[40];
    lic_rate r;
    for (size_t i = 0; i < sizeof percents / sizeof percents[0]; i++) {
        assert_err(parse_rate(percents[i], &r), LIC_OK);
        lic_rate_format_percent(r, buf, sizeof buf);
        assert_string_equal(buf, percents[i]);
    }
    for (size_t i = 0; i < sizeof decimals / sizeof decimals[0]; i++) {
        assert_err(parse_rate(decimals[i], &r), LIC_OK);
        lic_rate_format_decimal(r, buf, sizeof buf);
        assert_string_equal(buf, decimals[i]);
    }
    /* Each form reads back as the other. */
    assert_err(parse_rate("4.5%", &r), LIC_OK);
    lic_rate_format_decimal(r, buf, sizeof buf);
    assert_string_equal(buf, "0.045");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(currency_table_has_at_least_150_codes),
        cmocka_unit_test(currency_table_is_sorted_strictly_by_code),
        cmocka_unit_test(currency_rows_are_well_formed_with_unique_numbers),
        cmocka_unit_test(currency_find_returns_every_row_by_its_code),
        cmocka_unit_test(currency_at_past_the_end_is_null),
        cmocka_unit_test(currency_minor_digits_follow_iso_4217),
        cmocka_unit_test(currency_find_rejects_lowercase_unknown_and_malformed),
        cmocka_unit_test(currency_table_omits_na_x_codes_and_withdrawn_codes),
        cmocka_unit_test(parse_reads_cents_exactly),
        cmocka_unit_test(parse_scales_whole_numbers_and_short_fractions),
        cmocka_unit_test(parse_accepts_negatives_and_negative_zero),
        cmocka_unit_test(parse_zero_digit_currency_takes_whole_yen),
        cmocka_unit_test(parse_three_digit_currency_takes_fils),
        cmocka_unit_test(parse_too_many_decimals_is_erange_unless_zeros),
        cmocka_unit_test(parse_rejects_non_decimal_syntax_with_eparse),
        cmocka_unit_test(parse_syntax_error_wins_over_overflow_and_range),
        cmocka_unit_test(parse_overflow_at_2_pow_63_cents_is_eoverflow),
        cmocka_unit_test(parse_reaches_int64_min_but_not_below),
        cmocka_unit_test(parse_reads_at_most_len_bytes_and_stops_at_nul),
        cmocka_unit_test(parse_rejects_digits_outside_0_to_18_with_einval),
        cmocka_unit_test(rate_percent_and_fraction_forms_are_equal),
        cmocka_unit_test(rate_negative_values_are_accepted),
        cmocka_unit_test(rate_twelve_fraction_digits_are_the_limit),
        cmocka_unit_test(rate_rejects_malformed_text_with_eparse),
        cmocka_unit_test(rate_beyond_int64_is_eoverflow),
        cmocka_unit_test(add_and_sub_are_exact_within_int64),
        cmocka_unit_test(add_and_sub_past_int64_are_eoverflow),
        cmocka_unit_test(half_even_rounds_0_5_down_to_0),
        cmocka_unit_test(half_up_rounds_0_5_up_to_1),
        cmocka_unit_test(both_modes_round_1_5_to_2),
        cmocka_unit_test(half_even_rounds_2_5_down_to_2),
        cmocka_unit_test(half_up_rounds_2_5_up_to_3),
        cmocka_unit_test(half_even_rounds_minus_2_5_to_minus_2),
        cmocka_unit_test(half_up_rounds_minus_2_5_away_from_zero_to_minus_3),
        cmocka_unit_test(negative_halves_mirror_positive_halves),
        cmocka_unit_test(non_ties_round_to_nearest_in_both_modes),
        cmocka_unit_test(royalty_3_percent_of_150_cents_ties_to_4_even_5_up),
        cmocka_unit_test(mul_rate_rounds_once_from_the_exact_product),
        cmocka_unit_test(mul_rate_past_int64_is_eoverflow),
        cmocka_unit_test(unknown_rounding_mode_is_einval),
        cmocka_unit_test(muldiv_by_zero_is_einval),
        cmocka_unit_test(muldiv_ties_follow_mode_for_any_sign_of_den),
        cmocka_unit_test(muldiv_thirds_round_to_nearest),
        cmocka_unit_test(muldiv_keeps_a_128_bit_intermediate),
        cmocka_unit_test(muldiv_past_int64_is_eoverflow),
        cmocka_unit_test(rate_mul_halves_a_rate_exactly),
        cmocka_unit_test(rate_mul_rounds_at_10_pow_minus_12),
        cmocka_unit_test(rate_mul_past_int64_is_eoverflow),
        cmocka_unit_test(convert_usd_cents_to_yen_drops_two_digits),
        cmocka_unit_test(convert_yen_to_usd_cents_adds_two_digits),
        cmocka_unit_test(convert_between_three_and_two_digit_currencies),
        cmocka_unit_test(convert_extreme_digit_gaps_stay_exact),
        cmocka_unit_test(convert_past_int64_or_int128_is_eoverflow),
        cmocka_unit_test(convert_rejects_digits_outside_0_to_18),
        cmocka_unit_test(format_writes_exactly_digits_fraction_digits),
        cmocka_unit_test(format_handles_int64_extremes),
        cmocka_unit_test(format_truncates_and_returns_needed_length_like_snprintf),
        cmocka_unit_test(format_with_digits_outside_0_to_18_is_empty),
        cmocka_unit_test(amounts_round_trip_through_parse_and_format),
        cmocka_unit_test(rate_percent_format_drops_trailing_zeros),
        cmocka_unit_test(rate_decimal_format_drops_trailing_zeros),
        cmocka_unit_test(rates_round_trip_through_parse_and_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
