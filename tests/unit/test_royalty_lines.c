/*
 * test_royalty_lines.c - lic_roy_add_lines (royalty.h): n lines added at
 * once must do what n calls of lic_roy_add do, line for line: the same
 * statement at the close (every line, band, flag and note), the same
 * error at the same line, and nothing at all for n == 0.  Each set of
 * lines is added both ways (and in slices of several sizes) to two
 * calculators and their statements are compared member by member; the
 * amounts are worked by hand in the comment above each test.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "licet/royalty.h"
#include "licet/territory.h"
#include "royalty_fixture.h"

static lic_agreement *A;

static int group_setup(void **state)
{
    (void)state;
    return roy_fixture_load(MARGINAL, &A) ? -1 : 0;
}

static int group_teardown(void **state)
{
    (void)state;
    lic_agreement_free(A);
    return 0;
}

/* A USD line in oncology without third-party royalties; cents. */
#define line4(p, cc, gross, ded) line(p, cc, gross, ded, 0)

static lic_roy *roy(void)
{
    lic_roy *r = NULL;
    assert_int_equal(lic_roy_new(A, NULL, &r), LIC_OK);
    return r;
}

/* Adds l[0..n) one at a time; the first error (the rest not added). */
static lic_err add_each(lic_roy *r, const lic_sale_line *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lic_err rc = lic_roy_add(r, &l[i]);
        if (rc)
            return rc;
    }
    return LIC_OK;
}

/* Adds l[0..n) by lic_roy_add_lines, `slice` lines a call; the first error. */
static lic_err add_sliced(lic_roy *r, const lic_sale_line *l, size_t n, size_t slice)
{
    for (size_t i = 0; i < n; i += slice) {
        lic_err rc = lic_roy_add_lines(r, l + i, n - i < slice ? n - i : slice);
        if (rc)
            return rc;
    }
    return LIC_OK;
}

static void same_str(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void same_notes(const lic_roy_note *a, const lic_roy_note *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        same_str(a[i].kind, b[i].kind);
        same_str(a[i].detail, b[i].detail);
    }
}

static void same_line(const lic_roy_line *a, const lic_roy_line *b)
{
    same_str(a->schedule, b->schedule);
    same_str(a->product, b->product);
    assert_int_equal(a->country, b->country);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->gross, b->gross);
    assert_int_equal(a->deductions_allowed, b->deductions_allowed);
    assert_int_equal(a->net_sales, b->net_sales);
    assert_int_equal(a->third_party, b->third_party);
    assert_int_equal(a->units, b->units);
    assert_int_equal(a->royalty, b->royalty);
    assert_int_equal(a->stacking_reduction, b->stacking_reduction);
    assert_int_equal(a->stacking_carried, b->stacking_carried);
    assert_int_equal(a->nbands, b->nbands);
    for (size_t i = 0; i < a->nbands; i++) {
        assert_int_equal(a->bands[i].base, b->bands[i].base);
        assert_int_equal(a->bands[i].royalty, b->bands[i].royalty);
        assert_memory_equal(&a->bands[i].rate, &b->bands[i].rate, sizeof a->bands[i].rate);
    }
}

/* Statements a and b are the same, member by member. */
static void same_statement(const lic_roy_statement *a, const lic_roy_statement *b)
{
    assert_memory_equal(&a->period, &b->period, sizeof a->period);
    assert_int_equal(a->year, b->year);
    assert_int_equal(a->known, b->known);
    assert_int_equal(a->royalty, b->royalty);
    assert_int_equal(a->net_sales, b->net_sales);
    assert_int_equal(a->third_party, b->third_party);
    assert_int_equal(a->deductions_claimed, b->deductions_claimed);
    assert_int_equal(a->gross, b->gross);
    assert_int_equal(a->nlines, b->nlines);
    for (size_t i = 0; i < a->nlines; i++)
        same_line(&a->lines[i], &b->lines[i]);
    assert_int_equal(a->ntrue_ups, b->ntrue_ups);
    for (size_t i = 0; i < a->ntrue_ups; i++) {
        same_str(a->true_ups[i].schedule, b->true_ups[i].schedule);
        assert_int_equal(a->true_ups[i].amount, b->true_ups[i].amount);
    }
    assert_int_equal(a->nflags, b->nflags);
    same_notes(a->flags, b->flags, a->nflags);
    assert_int_equal(a->nindeterminate, b->nindeterminate);
    same_notes(a->indeterminate, b->indeterminate, a->nindeterminate);
}

/* Closes p on both; both give rc, and when LIC_OK the same statement
 * (the one given, of `one`). */
static const lic_roy_statement *close_both(lic_roy *one, lic_roy *many, const char *p, lic_err rc)
{
    const lic_roy_statement *a = NULL, *b = NULL;
    assert_int_equal(lic_roy_close(one, period(p), &a), rc);
    assert_int_equal(lic_roy_close(many, period(p), &b), rc);
    if (rc) {
        assert_null(a);
        assert_null(b);
        return NULL;
    }
    same_statement(a, b);
    return a;
}

/* Q1, cap 10%: US 800.00 - min(100.00, 80.00) = 720.00 (flagged), DE
 * 500.00, DE 200.00 - 10.00, US 100.00 - min(5.00, 10.00) = 95.00, GB
 * 50.00 (outside G1: unlicensed, flagged, no royalty), US 100.00 - 10.00
 * = 90.00.  By country: DE net 690.00 over 0..690 at 3% = 20.70; US net
 * 905.00 over 690..1595: 310 at 3% + 595 at 5% = 9.30 + 29.75 = 39.05;
 * 59.75 in all; net sales 1645.00 with GB's, gross 1750.00.  Q2 (the
 * year at 1595.00, all at 5%): JP 300.00 = 15.00, DE 100.00 - 10.00 =
 * 4.50; 19.50. */
static const lic_sale_line *q1_lines(size_t *n)
{
    static lic_sale_line ls[6];
    ls[0] = line4("2026-Q1", "US", 80000, 10000), ls[1] = line4("2026-Q1", "DE", 50000, 0);
    ls[2] = line4("2026-Q1", "DE", 20000, 1000), ls[3] = line4("2026-Q1", "US", 10000, 500);
    ls[4] = line4("2026-Q1", "GB", 5000, 0), ls[5] = line4("2026-Q1", "US", 10000, 1000);
    *n = 6;
    return ls;
}

static void q1_statement_is_as_worked(const lic_roy_statement *st)
{
    assert_true(st->known);
    assert_int_equal(st->royalty, 5975);
    assert_int_equal(st->nlines, 3);
    assert_int_equal(st->gross, 175000);
    assert_int_equal(st->net_sales, 164500); /* GB's 50.00 too */
    assert_int_equal(st->third_party, 0);
    assert_int_equal(st->nflags, 2);
    assert_string_equal(st->flags[0].kind, "deductions_over_cap");
    assert_string_equal(st->flags[0].detail, "country US: deductions above the cap");
    assert_string_equal(st->flags[1].kind, "unlicensed_sale");
    static const struct {
        const char *cc;
        lic_roy_status status;
        lic_amount gross, allowed, net, royalty;
    } want[] = {{"DE", LIC_ROY_DUE, 70000, 1000, 69000, 2070},
                {"US", LIC_ROY_DUE, 100000, 9500, 90500, 3905},
                {"GB", LIC_ROY_UNLICENSED, 5000, 0, 5000, 0}};
    for (size_t i = 0; i < 3; i++) {
        const lic_roy_line *l = &st->lines[i];
        assert_string_equal(lic_country_code(l->country), want[i].cc);
        assert_int_equal(l->status, want[i].status);
        assert_int_equal(l->gross, want[i].gross);
        assert_int_equal(l->deductions_allowed, want[i].allowed);
        assert_int_equal(l->net_sales, want[i].net);
        assert_int_equal(l->royalty, want[i].royalty);
    }
}

static void lines_added_at_once_close_as_lines_added_one_at_a_time(void **state)
{
    (void)state;
    size_t n;
    const lic_sale_line *ls = q1_lines(&n);
    static const size_t slices[] = {1, 2, 3, 4, 6, 64};
    for (size_t s = 0; s < sizeof slices / sizeof *slices; s++) {
        lic_roy *one = roy(), *many = roy();
        assert_int_equal(add_each(one, ls, n), LIC_OK);
        assert_int_equal(add_sliced(many, ls, n, slices[s]), LIC_OK);
        q1_statement_is_as_worked(close_both(one, many, "2026-Q1", LIC_OK));
        lic_sale_line q2[] = {line4("2026-Q2", "JP", 30000, 0), line4("2026-Q2", "DE", 10000, 1000)};
        assert_int_equal(add_each(one, q2, 2), LIC_OK);
        assert_int_equal(add_sliced(many, q2, 2, slices[s]), LIC_OK);
        const lic_roy_statement *st = close_both(one, many, "2026-Q2", LIC_OK);
        assert_int_equal(st->royalty, 1950);
        assert_int_equal(st->nlines, 2);
        assert_int_equal(st->nflags, 0);
        lic_roy_free(one);
        lic_roy_free(many);
    }
}

/* n == 0 adds nothing, even with lines at l: the Q1 statement is that of
 * US 1000.00 alone (3% = 30.00), not of the lines passed with n 0. */
static void no_lines_is_ok_and_adds_nothing(void **state)
{
    (void)state;
    size_t n;
    const lic_sale_line *ls = q1_lines(&n);
    lic_roy *one = roy(), *many = roy();
    assert_int_equal(lic_roy_add_lines(many, ls, 0), LIC_OK);
    assert_int_equal(lic_roy_add_lines(many, NULL, 0), LIC_OK);
    lic_sale_line us = line4("2026-Q1", "US", 100000, 0);
    assert_int_equal(lic_roy_add(one, &us), LIC_OK);
    assert_int_equal(lic_roy_add_lines(many, &us, 1), LIC_OK);
    assert_int_equal(lic_roy_add_lines(many, ls, 0), LIC_OK);
    const lic_roy_statement *st = close_both(one, many, "2026-Q1", LIC_OK);
    assert_int_equal(st->royalty, 3000);
    assert_int_equal(st->nlines, 1);
    assert_int_equal(st->net_sales, 100000);
    assert_int_equal(st->nflags, 0);
    lic_roy_free(one);
    lic_roy_free(many);
}

/* A period with no line added closes empty either way. */
static void an_empty_period_closes_empty_either_way(void **state)
{
    (void)state;
    lic_roy *one = roy(), *many = roy();
    assert_int_equal(lic_roy_add_lines(many, NULL, 0), LIC_OK);
    const lic_roy_statement *st = close_both(one, many, "2026-Q1", LIC_OK);
    assert_int_equal(st->nlines, 0);
    assert_int_equal(st->royalty, 0);
    assert_int_equal(st->net_sales, 0);
    lic_roy_free(one);
    lic_roy_free(many);
}

/* US 100.00, then two US lines of INT64_MAX / 2 + 1 cents: the second
 * overflows the bucket's sums (LIC_EOVERFLOW), both ways, at the same
 * line; the close of the period fails the same way, and the next
 * period (US 100.00 at 3% = 3.00, DE 50.00 = 1.50) is clean and the same. */
static void an_overflow_in_the_middle_is_the_error_of_the_one_at_a_time_calls(void **state)
{
    (void)state;
    lic_sale_line ls[] = {line4("2026-Q1", "US", 10000, 0), line4("2026-Q1", "US", INT64_MAX / 2 + 1, 0),
                          line4("2026-Q1", "US", INT64_MAX / 2 + 1, 0), line4("2026-Q1", "DE", 10000, 0)};
    static const size_t slices[] = {1, 2, 3, 4};
    for (size_t s = 0; s < sizeof slices / sizeof *slices; s++) {
        lic_roy *one = roy(), *many = roy();
        assert_int_equal(lic_roy_add(one, &ls[0]), LIC_OK);
        assert_int_equal(lic_roy_add(one, &ls[1]), LIC_OK);
        assert_int_equal(lic_roy_add(one, &ls[2]), LIC_EOVERFLOW);
        assert_int_equal(add_each(one, ls + 3, 1), LIC_EOVERFLOW); /* sticky, one at a time too */
        assert_int_equal(add_sliced(many, ls, 4, slices[s]), LIC_EOVERFLOW);
        close_both(one, many, "2026-Q1", LIC_EOVERFLOW);
        lic_sale_line q2[] = {line4("2026-Q2", "US", 10000, 0), line4("2026-Q2", "DE", 5000, 0)};
        assert_int_equal(add_each(one, q2, 2), LIC_OK);
        assert_int_equal(add_sliced(many, q2, 2, slices[s]), LIC_OK);
        const lic_roy_statement *st = close_both(one, many, "2026-Q2", LIC_OK);
        assert_int_equal(st->royalty, 450);
        assert_int_equal(st->nlines, 2);
        lic_roy_free(one);
        lic_roy_free(many);
    }
}

/* The error stops the call at its line: lines before it are added (the
 * period then fails at the close), the ones after not looked at; the
 * return is the line's error, not LIC_OK for the lines after. */
static void the_first_error_is_returned_though_later_lines_would_add_well(void **state)
{
    (void)state;
    lic_sale_line ls[] = {line4("2026-Q1", "US", INT64_MAX, 0), line4("2026-Q1", "US", 1, 0),
                          line4("2026-Q1", "DE", 10000, 0), line4("2026-Q1", "JP", 10000, 0)};
    lic_roy *one = roy(), *many = roy();
    assert_int_equal(lic_roy_add(one, &ls[0]), LIC_OK);
    assert_int_equal(lic_roy_add(one, &ls[1]), LIC_EOVERFLOW);
    assert_int_equal(lic_roy_add_lines(many, ls, 4), LIC_EOVERFLOW);
    close_both(one, many, "2026-Q1", LIC_EOVERFLOW);
    lic_roy_free(one);
    lic_roy_free(many);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_added_at_once_close_as_lines_added_one_at_a_time),
        cmocka_unit_test(no_lines_is_ok_and_adds_nothing),
        cmocka_unit_test(an_empty_period_closes_empty_either_way),
        cmocka_unit_test(an_overflow_in_the_middle_is_the_error_of_the_one_at_a_time_calls),
        cmocka_unit_test(the_first_error_is_returned_though_later_lines_would_add_well),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
