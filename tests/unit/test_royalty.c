/*
 * test_royalty.c - the royalty calculator (royalty.h) through its own
 * API: lines in, periods closed in order, statements out.  Every amount is
 * worked by hand in the comment above its test.  Agreement-level cases
 * (invoices, credits, minimums) are in tests/royalties and tests/status.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "licet/royalty.h"
#include "licet/territory.h"
#include "royalty_int.h" /* roy_mul_rate */
#include "royalty_fixture.h"

void lic__alloc_fail_after(long n);

static lic_agreement *load(const char *payments)
{
    lic_agreement *a;
    assert_int_equal(roy_fixture_load(payments, &a), LIC_OK);
    return a;
}

static const lic_roy_statement *close_p(lic_roy *r, const char *p)
{
    const lic_roy_statement *st = NULL;
    assert_int_equal(lic_roy_close(r, period(p), &st), LIC_OK);
    return st;
}

/* DE 500.00 then US 720.00 (800 - min(100, 80)) over 0..1220: DE 3% x 500
 * = 15.00; US 3% x 500 + 5% x 220 = 15.00 + 11.00 = 26.00; 41.00. */
static void marginal_lines_take_consecutive_slices_in_country_order(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    lic_sale_line us = line("2026-Q1", "US", 80000, 10000, 0), de = line("2026-Q1", "DE", 50000, 0, 0);
    assert_int_equal(lic_roy_add(r, &us), LIC_OK);
    assert_int_equal(lic_roy_add(r, &de), LIC_OK);
    const lic_roy_statement *st = close_p(r, "2026-Q1");
    assert_int_equal(st->nlines, 2);
    assert_string_equal(lic_country_code(st->lines[0].country), "DE");
    assert_int_equal(st->lines[0].royalty, 1500);
    assert_int_equal(st->lines[1].net_sales, 72000);
    assert_int_equal(st->lines[1].deductions_allowed, 8000);
    assert_int_equal(st->lines[1].nbands, 2);
    assert_int_equal(st->lines[1].bands[0].base, 50000);
    assert_int_equal(st->lines[1].bands[1].base, 22000);
    assert_int_equal(st->lines[1].royalty, 2600);
    assert_int_equal(st->royalty, 4100);
    assert_int_equal(st->nflags, 1);
    assert_string_equal(st->flags[0].kind, "deductions_over_cap");
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* Q1 600 at 3% = 18.00; Q2 600 more: 400 at 3% + 200 at 5% = 22.00;
 * 2027-Q1 starts a new royalty year: 600 at 3% = 18.00. */
static void marginal_total_carries_over_quarters_and_restarts_each_year(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    const char *ps[] = {"2026-Q1", "2026-Q2", "2027-Q1"};
    lic_amount want[] = {1800, 2200, 1800};
    for (int i = 0; i < 3; i++) {
        lic_sale_line l = line(ps[i], "US", 60000, 0, 0);
        assert_int_equal(lic_roy_add(r, &l), LIC_OK);
        assert_int_equal(close_p(r, ps[i])->royalty, want[i]);
    }
    lic_roy_free(r);
    lic_agreement_free(a);
}

#define WHOLE(upper)                                                                     \
    "  royalties:\n    schedules:\n      - name: w\n        tiers: { method: whole, upper: " upper \
    ", bands: [{ up_to: \"1000\", rate: \"3%\" }, { rate: \"5%\" }] }\n"

/* Q1 600 at 3% = 18.00.  Q2 +600: total 1200 is in the 5% band: Q2's line
 * 5% x 600 = 30.00, and Q1 recomputed at 5% = 30.00, 12.00 more: true-up
 * 12.00, Q2 royalty 42.00 (= 5% x 1200 - 18.00). */
static void whole_tier_crossing_trues_up_earlier_quarters(void **st_)
{
    (void)st_;
    lic_agreement *a = load(WHOLE("inclusive"));
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    lic_sale_line q1 = line("2026-Q1", "US", 60000, 0, 0), q2 = line("2026-Q2", "US", 60000, 0, 0);
    assert_int_equal(lic_roy_add(r, &q1), LIC_OK);
    assert_int_equal(close_p(r, "2026-Q1")->royalty, 1800);
    assert_int_equal(lic_roy_add(r, &q2), LIC_OK);
    const lic_roy_statement *st = close_p(r, "2026-Q2");
    assert_int_equal(st->lines[0].royalty, 3000);
    assert_int_equal(st->ntrue_ups, 1);
    assert_int_equal(st->true_ups[0].amount, 1200);
    assert_int_equal(st->royalty, 4200);
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* A total of exactly 1000.00: inclusive keeps it in the 3% band (30.00),
 * exclusive puts it in the 5% band (50.00). */
static void whole_tier_upper_bound_inclusive_or_exclusive_at_the_threshold(void **st_)
{
    (void)st_;
    const char *uppers[] = {WHOLE("inclusive"), WHOLE("exclusive")};
    lic_amount want[] = {3000, 5000};
    for (int i = 0; i < 2; i++) {
        lic_agreement *a = load(uppers[i]);
        lic_roy *r;
        assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
        lic_sale_line l = line("2026-Q1", "US", 100000, 0, 0);
        assert_int_equal(lic_roy_add(r, &l), LIC_OK);
        assert_int_equal(close_p(r, "2026-Q1")->royalty, want[i]);
        lic_roy_free(r);
        lic_agreement_free(a);
    }
}

#define STACKING                                                                          \
    "  royalties:\n    schedules:\n      - name: s\n        tiers: { method: marginal, bands: [{ rate: \"5%\" }] }\n" \
    "    stacking: { offset: \"50%\", floor: { share_of_royalty: \"50%\" }, carry_forward: true }\n"

/* Q1: royalty 5% x 1000 = 50.00, floor 25.00; offset 50% x 80.00 = 40.00:
 * reduction 25.00, 15.00 carried.  Q2: royalty 50.00, offset 0 + 15.00
 * carried: reduction 15.00, nothing left. */
static void stacking_stops_at_the_floor_and_carries_the_rest_forward(void **st_)
{
    (void)st_;
    lic_agreement *a = load(STACKING);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    lic_sale_line q1 = line("2026-Q1", "US", 100000, 0, 8000), q2 = line("2026-Q2", "US", 100000, 0, 0);
    assert_int_equal(lic_roy_add(r, &q1), LIC_OK);
    const lic_roy_statement *st = close_p(r, "2026-Q1");
    assert_int_equal(st->lines[0].stacking_reduction, 2500);
    assert_int_equal(st->lines[0].stacking_carried, 1500);
    assert_int_equal(st->royalty, 2500);
    assert_int_equal(lic_roy_add(r, &q2), LIC_OK);
    st = close_p(r, "2026-Q2");
    assert_int_equal(st->lines[0].stacking_reduction, 1500);
    assert_int_equal(st->lines[0].stacking_carried, 0);
    assert_int_equal(st->royalty, 3500);
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* A sale in GB is outside G1: unlicensed, no royalty, flagged. */
static void sale_outside_the_grants_is_unlicensed_and_bears_nothing(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    lic_sale_line l = line("2026-Q1", "GB", 50000, 0, 0);
    assert_int_equal(lic_roy_add(r, &l), LIC_OK);
    const lic_roy_statement *st = close_p(r, "2026-Q1");
    assert_int_equal(st->lines[0].status, LIC_ROY_UNLICENSED);
    assert_null(st->lines[0].schedule);
    assert_int_equal(st->royalty, 0);
    assert_string_equal(st->flags[0].kind, "unlicensed_sale");
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* A EUR line with no fx rate: the statement is indeterminate. */
static void line_without_an_fx_rate_makes_the_period_indeterminate(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    lic_sale_line l = line("2026-Q1", "DE", 50000, 0, 0);
    l.currency = lic_currency_find("EUR");
    assert_int_equal(lic_roy_add(r, &l), LIC_OK);
    const lic_roy_statement *st = close_p(r, "2026-Q1");
    assert_false(st->known);
    assert_string_equal(st->indeterminate[0].detail, "fx:EUR/USD:2026-Q1");
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* Two lines near INT64_MAX overflow the bucket: an error, not a wrap; the
 * next period starts clean. */
static void sum_that_overflows_is_an_error_and_the_next_period_is_clean(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    lic_sale_line big = line("2026-Q1", "US", INT64_MAX / 2 + 1, 0, 0);
    assert_int_equal(lic_roy_add(r, &big), LIC_OK);
    assert_int_equal(lic_roy_add(r, &big), LIC_EOVERFLOW);
    const lic_roy_statement *st = NULL;
    assert_int_equal(lic_roy_close(r, period("2026-Q1"), &st), LIC_EOVERFLOW);
    assert_null(st);
    lic_sale_line ok = line("2026-Q2", "US", 10000, 0, 0);
    assert_int_equal(lic_roy_add(r, &ok), LIC_OK);
    assert_int_equal(close_p(r, "2026-Q2")->royalty, 300);
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* Cap 10%: US 1000.00 deducting exactly 100.00 is within it (allowed
 * 100.00), and a zero-gross US line deducting 0.50 is not capped (nothing
 * to cap): US allowed 100.50.  DE 1000.00 deducting 100.01 is capped to
 * 100.00, then DE 333.33 deducting 50.00 to 33.33 (10% of 333.33 =
 * 33.333, rounded): DE allowed 133.33, net 1200.00, one flag for DE.  A
 * JP return of -50.00 deducting 1.00 is not capped: net -51.00. */
static void deductions_at_the_cap_are_allowed_and_a_cent_over_is_capped_once_per_country(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    lic_sale_line ls[] = {
        line("2026-Q1", "US", 100000, 10000, 0), line("2026-Q1", "US", 0, 50, 0),
        line("2026-Q1", "DE", 100000, 10001, 0), line("2026-Q1", "DE", 33333, 5000, 0),
        line("2026-Q1", "JP", -5000, 100, 0),
    };
    for (size_t i = 0; i < sizeof ls / sizeof *ls; i++)
        assert_int_equal(lic_roy_add(r, &ls[i]), LIC_OK);
    const lic_roy_statement *st = close_p(r, "2026-Q1");
    assert_int_equal(st->nlines, 3);
    static const struct {
        const char *cc;
        lic_amount gross, allowed, net;
    } want[] = {{"DE", 133333, 13333, 120000}, {"JP", -5000, 100, -5100}, {"US", 100000, 10050, 89950}};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(lic_country_code(st->lines[i].country), want[i].cc);
        assert_int_equal(st->lines[i].gross, want[i].gross);
        assert_int_equal(st->lines[i].deductions_allowed, want[i].allowed);
        assert_int_equal(st->lines[i].net_sales, want[i].net);
    }
    size_t over = 0;
    for (size_t i = 0; i < st->nflags; i++)
        if (!strcmp(st->flags[i].kind, "deductions_over_cap")) {
            assert_string_equal(st->flags[i].detail, "country DE: deductions above the cap");
            over++;
        }
    assert_int_equal(over, 1);
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* The period's day, dateless (the quick paths: a country's first line of
 * a later period on its kept classification, the first line over the cap
 * in a country flagged in an earlier period) or dated (every line the
 * whole way), adds up the same.  Cap 10%.  Q1: US 1000.00 - 50.00, DE
 * 500.00 - min(60.00, 50.00), US 200.00 - min(30.00, 20.00), DE 100.00 -
 * min(20.00, 10.00): DE net 540.00 at 3% = 16.20; US net 1130.00 over
 * 540..1670: 460 at 3% + 670 at 5% = 13.80 + 33.50 = 47.30; flags DE, US.
 * Q2 (the year's total at 1670.00, all at 5%): JP 100.00 first, then DE
 * 400.00 - min(50.00, 40.00), US 300.00, US 100.00 - min(11.00, 10.00):
 * DE 360.00 = 18.00, JP 100.00 = 5.00, US 390.00 = 19.50; flags DE, US. */
static void first_lines_of_a_period_and_over_the_cap_sum_alike_by_the_quick_paths_or_the_whole_way(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    static const struct {
        const char *p, *cc;
        lic_amount gross, ded;
    } in[] = {{"2026-Q1", "US", 100000, 5000}, {"2026-Q1", "DE", 50000, 6000}, {"2026-Q1", "US", 20000, 3000},
              {"2026-Q1", "DE", 10000, 2000}, {"2026-Q2", "JP", 10000, 0},    {"2026-Q2", "DE", 40000, 5000},
              {"2026-Q2", "US", 30000, 0},    {"2026-Q2", "US", 10000, 1100}};
    static const struct {
        const char *cc;
        lic_amount gross, net, royalty;
    } want[2][3] = {{{"DE", 60000, 54000, 1620}, {"US", 120000, 113000, 4730}},
                    {{"DE", 40000, 36000, 1800}, {"JP", 10000, 10000, 500}, {"US", 40000, 39000, 1950}}};
    static const char *const flags[2] = {"country DE: deductions above the cap",
                                         "country US: deductions above the cap"};
    static const lic_amount total[2] = {6350, 4250};
    for (int dated = 0; dated < 2; dated++) {
        lic_roy *r;
        assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
        for (size_t q = 0, i = 0; q < 2; q++) {
            const char *p = q ? "2026-Q2" : "2026-Q1";
            for (; i < sizeof in / sizeof *in && !strcmp(in[i].p, p); i++) {
                lic_sale_line l = line(p, in[i].cc, in[i].gross, in[i].ded, 0);
                l.date = dated ? lic_period_last(l.period) : LIC_DATE_NONE;
                assert_int_equal(lic_roy_add(r, &l), LIC_OK);
            }
            const lic_roy_statement *st = close_p(r, p);
            assert_int_equal(st->nlines, q ? 3 : 2);
            for (size_t k = 0; k < st->nlines; k++) {
                assert_string_equal(lic_country_code(st->lines[k].country), want[q][k].cc);
                assert_int_equal(st->lines[k].gross, want[q][k].gross);
                assert_int_equal(st->lines[k].net_sales, want[q][k].net);
                assert_int_equal(st->lines[k].royalty, want[q][k].royalty);
            }
            assert_int_equal(st->nflags, 2);
            for (size_t k = 0; k < 2; k++) {
                assert_string_equal(st->flags[k].kind, "deductions_over_cap");
                assert_string_equal(st->flags[k].detail, flags[k]);
            }
            assert_int_equal(st->royalty, total[q]);
        }
        lic_roy_free(r);
    }
    lic_agreement_free(a);
}

/* One schedule and status, each country once (royalty_close.c's
 * sort_by_country, from a bitmap) or not (an unlicensed FR line: the
 * general sort): JP 3.00, US 1.00, DE 2.00 come out DE, JP, US either
 * way, FR (no schedule) last. */
static void each_country_once_sorts_as_the_general_order_does(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    for (int with_fr = 0; with_fr < 2; with_fr++) {
        lic_roy *r;
        assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
        static const struct {
            const char *cc;
            lic_amount gross;
        } in[] = {{"JP", 300}, {"US", 100}, {"DE", 200}, {"FR", 400}};
        for (int i = 0; i < 3 + with_fr; i++) {
            lic_sale_line l = line("2026-Q1", in[i].cc, in[i].gross, 0, 0);
            assert_int_equal(lic_roy_add(r, &l), LIC_OK);
        }
        const lic_roy_statement *st = close_p(r, "2026-Q1");
        static const char *const cc[] = {"DE", "JP", "US", "FR"};
        static const lic_amount gross[] = {200, 300, 100, 400};
        assert_int_equal(st->nlines, 3 + with_fr);
        for (size_t k = 0; k < st->nlines; k++) {
            assert_string_equal(lic_country_code(st->lines[k].country), cc[k]);
            assert_int_equal(st->lines[k].gross, gross[k]);
        }
        assert_int_equal(st->royalty, 18); /* 3% x 6.00 */
        lic_roy_free(r);
    }
    lic_agreement_free(a);
}

/* No deductions cap: add_quick takes the lines (its cap test finds none
 * over) and every deduction is allowed, dateless or dated alike.  US
 * 100.00 - 90.00 twice, in Q1 and Q2: net 20.00 a quarter, 3% = 0.60. */
static void with_no_cap_every_deduction_is_allowed_by_the_quick_path_or_the_whole_way(void **st_)
{
    (void)st_;
    lic_agreement *a = load("  royalties:\n    schedules:\n      - { name: s, rate: \"3%\" }\n");
    for (int dated = 0; dated < 2; dated++) {
        lic_roy *r;
        assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
        for (int q = 0; q < 2; q++) {
            const char *p = q ? "2026-Q2" : "2026-Q1";
            lic_sale_line l = line(p, "US", 10000, 9000, 0);
            l.date = dated ? lic_period_last(l.period) : LIC_DATE_NONE;
            for (int i = 0; i < 2; i++)
                assert_int_equal(lic_roy_add(r, &l), LIC_OK);
            const lic_roy_statement *st = close_p(r, p);
            assert_int_equal(st->nlines, 1);
            assert_int_equal(st->lines[0].deductions_allowed, 18000);
            assert_int_equal(st->lines[0].net_sales, 2000);
            assert_int_equal(st->royalty, 60);
            assert_int_equal(st->nflags, 0);
        }
        lic_roy_free(r);
    }
    lic_agreement_free(a);
}

/* Flags come in the order of the lines that raise them, whether the
 * quick paths note the country for later (US's second line) or the
 * whole way notes it at once (DE's first line, its first sale): US, DE.
 * US 1000.00 - 10.00, US 100.00 - 20.00 (cap 10.00), DE 100.00 - 30.00
 * (cap 10.00): US net 1080.00, DE 90.00. */
static void over_the_cap_flags_keep_the_order_of_their_lines_on_any_path(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    for (int dated = 0; dated < 2; dated++) {
        lic_roy *r;
        assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
        lic_sale_line ls[] = {line("2026-Q1", "US", 100000, 1000, 0), line("2026-Q1", "US", 10000, 2000, 0),
                              line("2026-Q1", "DE", 10000, 3000, 0)};
        for (size_t i = 0; i < 3; i++) {
            ls[i].date = dated ? lic_period_last(ls[i].period) : LIC_DATE_NONE;
            assert_int_equal(lic_roy_add(r, &ls[i]), LIC_OK);
        }
        const lic_roy_statement *st = close_p(r, "2026-Q1");
        assert_int_equal(st->nlines, 2);
        assert_int_equal(st->lines[0].net_sales, 9000);
        assert_int_equal(st->lines[1].net_sales, 108000);
        assert_int_equal(st->nflags, 2);
        assert_string_equal(st->flags[0].detail, "country US: deductions above the cap");
        assert_string_equal(st->flags[1].detail, "country DE: deductions above the cap");
        lic_roy_free(r);
    }
    lic_agreement_free(a);
}

/* Marginal bands from the previous line's band, and from band 0 again
 * after a return: DE 1500.00 over 0..1500 = 1000 at 3% + 500 at 5% =
 * 55.00; JP -600.00 gives back 900..1500 = -(100 at 3% + 500 at 5%) =
 * -28.00; US 300.00 over 900..1200 = 100 at 3% + 200 at 5% = 13.00.
 * Total 40.00. */
static void marginal_slices_after_a_return_start_again_from_the_first_band(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    lic_sale_line ls[] = {line("2026-Q1", "DE", 150000, 0, 0), line("2026-Q1", "JP", -60000, 0, 0),
                          line("2026-Q1", "US", 30000, 0, 0)};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(lic_roy_add(r, &ls[i]), LIC_OK);
    const lic_roy_statement *st = close_p(r, "2026-Q1");
    static const lic_amount royalty[] = {5500, -2800, 1300};
    static const size_t nbands[] = {2, 2, 2};
    assert_int_equal(st->nlines, 3);
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(st->lines[k].royalty, royalty[k]);
        assert_int_equal(st->lines[k].nbands, nbands[k]);
    }
    assert_int_equal(st->lines[1].bands[0].base, -10000);
    assert_int_equal(st->lines[1].bands[1].base, -50000);
    assert_int_equal(st->royalty, 4000);
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* Two US lines of 2026-03-15 share a key, so a bucket: one statement
 * line of 600.00, 3% = 18.00.  After the close, a line of the very same
 * key (a late 2026-03-15 sale reported in Q2) gets a bucket of its own in
 * Q2: the memo of Q1's keys is forgotten with Q1's buckets.  600.00 more
 * in the year: 400 at 3% + 200 at 5% = 22.00. */
static void a_key_seen_before_a_period_close_gets_a_new_bucket_after_it(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    lic_sale_line l = line("2026-Q1", "US", 30000, 0, 0);
    l.date = lic_date_from_ymd(2026, 3, 15);
    assert_int_equal(lic_roy_add(r, &l), LIC_OK);
    assert_int_equal(lic_roy_add(r, &l), LIC_OK);
    const lic_roy_statement *st = close_p(r, "2026-Q1");
    assert_int_equal(st->nlines, 1);
    assert_int_equal(st->lines[0].gross, 60000);
    assert_int_equal(st->royalty, 1800);
    l.period = period("2026-Q2");
    l.gross = 60000;
    assert_int_equal(lic_roy_add(r, &l), LIC_OK);
    st = close_p(r, "2026-Q2");
    assert_int_equal(st->nlines, 1);
    assert_int_equal(st->lines[0].gross, 60000);
    assert_int_equal(st->royalty, 2200);
    lic_roy_free(r);
    lic_agreement_free(a);
}

#define SCOPED                                                                          \
    "  royalties:\n    schedules:\n"                                                     \
    "      - { name: product-x, scope: { products: [PX] }, rate: \"6%\" }\n"              \
    "      - { name: japan, scope: { territories: [JP] }, rate: \"2%\" }\n"               \
    "      - { name: oncology, scope: { fields: [therapeutics/oncology] }, rate: \"4%\" }\n"

/* Ten keys added in a scrambled order come out by schedule (product-x,
 * japan, oncology, then none), status, country code, product (none
 * first): each line's gross (i x 1.00) says which line it is.  FR and GB
 * are outside the grants (unlicensed, no schedule: last). */
static void statement_lines_come_by_schedule_status_country_and_product_whatever_the_adding_order(void **st_)
{
    (void)st_;
    lic_agreement *a = load(SCOPED);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    static const struct { const char *cc, *product; } in[] = {
        {"US", "PA"}, {"JP", NULL}, {"FR", "PX"}, {"DE", "PX"}, {"US", "PX"},
        {"DE", "PB"}, {"DE", "PA"}, {"JP", "PB"}, {"GB", NULL}, {"US", NULL}};
    for (int i = 0; i < 10; i++) {
        lic_sale_line l = line("2026-Q1", in[i].cc, 100 * (i + 1), 0, 0);
        l.product = in[i].product;
        assert_int_equal(lic_roy_add(r, &l), LIC_OK);
    }
    const lic_roy_statement *st = close_p(r, "2026-Q1");
    /* by input index: DE PX, US PX | JP -, JP PB | DE PA, DE PB, US -, US PA | FR PX, GB - */
    static const int order[] = {3, 4, 1, 7, 6, 5, 9, 0, 2, 8};
    static const char *const sched[] = {"product-x", "product-x", "japan", "japan", "oncology",
                                        "oncology", "oncology", "oncology", NULL, NULL};
    assert_int_equal(st->nlines, 10);
    for (int k = 0; k < 10; k++) {
        const lic_roy_line *ln = &st->lines[k];
        assert_int_equal(ln->gross, 100 * (order[k] + 1));
        assert_string_equal(lic_country_code(ln->country), in[order[k]].cc);
        if (in[order[k]].product)
            assert_string_equal(ln->product, in[order[k]].product);
        else
            assert_null(ln->product);
        if (sched[k])
            assert_string_equal(ln->schedule, sched[k]);
        else
            assert_null(ln->schedule);
        assert_int_equal(ln->status, k < 8 ? LIC_ROY_DUE : LIC_ROY_UNLICENSED);
    }
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* 70 products (more buckets than the insertion sort takes: qsort's path)
 * added from P69 down to P00, twice over two periods: each statement
 * lists them P00 to P69, each 4% of its own gross. */
static void many_lines_sort_the_same_as_a_few(void **st_)
{
    (void)st_;
    lic_agreement *a = load(SCOPED);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    static char names[70][12];
    const char *ps[] = {"2026-Q1", "2026-Q2"};
    for (int p = 0; p < 2; p++) {
        for (int i = 69; i >= 0; i--) {
            snprintf(names[i], sizeof names[i], "P%02d", i);
            lic_sale_line l = line(ps[p], "US", 10000 + 100 * i, 0, 0);
            l.product = names[i];
            assert_int_equal(lic_roy_add(r, &l), LIC_OK);
        }
        const lic_roy_statement *st = close_p(r, ps[p]);
        assert_int_equal(st->nlines, 70);
        for (int i = 0; i < 70; i++) {
            assert_string_equal(st->lines[i].product, names[i]);
            assert_int_equal(st->lines[i].royalty, (10000 + 100 * i) * 4 / 100);
        }
    }
    lic_roy_free(r);
    lic_agreement_free(a);
}

#define FIRST_SALE                                                                      \
    "  royalties:\n    schedules:\n      - { name: main, rate: \"4%\" }\n"               \
    "    royalty_term:\n      ends: [{ years_after_first_sale: 1 }]\n"                  \
    "      after_term: fully_paid\n"

/* US first sold on 2026-09-30 (2026-Q3's day): the term runs to
 * 2027-09-29, so 2027-Q2's first line (day 2027-06-30) is due, on the
 * classification kept from 2026-Q3.  A line dated 2026-05-01 then moves
 * the first sale back: the term now ends 2027-04-30, and the next line of
 * day 2027-06-30 is fully paid.  Due: 100.00 + 50.00 at 4% = 6.00. */
static void a_first_sale_moved_back_reclassifies_a_key_kept_from_an_earlier_period(void **st_)
{
    (void)st_;
    lic_agreement *a = load(FIRST_SALE);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    lic_sale_line l = line("2026-Q3", "US", 20000, 0, 0);
    assert_int_equal(lic_roy_add(r, &l), LIC_OK);
    const lic_roy_statement *st = close_p(r, "2026-Q3");
    assert_int_equal(st->royalty, 800);
    lic_sale_line a1 = line("2027-Q2", "US", 10000, 0, 0), a2 = a1, a3 = line("2027-Q2", "US", 30000, 0, 0);
    a2.gross = 5000;
    a2.date = lic_date_from_ymd(2026, 5, 1);
    assert_int_equal(lic_roy_add(r, &a1), LIC_OK);
    assert_int_equal(lic_roy_add(r, &a2), LIC_OK);
    assert_int_equal(lic_roy_add(r, &a3), LIC_OK);
    st = close_p(r, "2027-Q2");
    assert_int_equal(st->nlines, 2);
    assert_int_equal(st->lines[0].status, LIC_ROY_DUE);
    assert_int_equal(st->lines[0].gross, 15000);
    assert_int_equal(st->lines[1].status, LIC_ROY_FULLY_PAID);
    assert_int_equal(st->lines[1].gross, 30000);
    assert_int_equal(st->royalty, 600);
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* A key's classification kept from 2026-Q1 holds only up to the day
 * before the next adjustment: from 2026-06-01 a milestone-free remedy
 * increase (env adj) of 1% applies, so 2026-Q2's line (day 2026-06-30)
 * bears 5%: 100.00 x 4% = 4.00, then 100.00 x 5% = 5.00. */
static void a_kept_classification_stops_at_the_next_adjustment(void **st_)
{
    (void)st_;
    lic_agreement *a = load(FIRST_SALE);
    lic_roy_adj adj = {lic_date_from_ymd(2026, 6, 1), LIC_RATE_SCALE / 100};
    lic_roy_env env = {.adj = &adj, .nadj = 1};
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, &env, &r), LIC_OK);
    lic_sale_line l = line("2026-Q1", "US", 10000, 0, 0);
    assert_int_equal(lic_roy_add(r, &l), LIC_OK);
    assert_int_equal(close_p(r, "2026-Q1")->royalty, 400);
    l.period = period("2026-Q2");
    assert_int_equal(lic_roy_add(r, &l), LIC_OK);
    assert_int_equal(close_p(r, "2026-Q2")->royalty, 500);
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* Statement order compares country indices: they must rise with the
 * codes (iso3166.c's table is sorted by code). */
static void country_indices_rise_with_their_codes(void **st_)
{
    (void)st_;
    for (size_t i = 1; i < lic_country_count(); i++)
        assert_true(strcmp(lic_country_code((int)i - 1), lic_country_code((int)i)) < 0);
}

/* roy_mul_rate past 64 bits (its split product), and roy_mul_rate_cut
 * (the rate's reduced fraction), round as money.c does: halves both ways,
 * either sign, both modes, up to the largest amounts. */
static void a_product_past_64_bits_rounds_as_money_does(void **st_)
{
    (void)st_;
    static const int64_t amounts[] = {1, 999999, 1000000, 1000001, 123456789012, 500000000000,
                                      1500000000000, 2500000000000, 9223372036854775807LL / 3,
                                      9223372036854775807LL, 4611686018427387904LL, 987654321987654321LL};
    static const lic_rate rates[] = {1, 50000000000, 500000000000, 1000000000000, 1500000000000,
                                     123456789012, 999999999999, 10000000000000, 2000000000000000,
                                     30000000000, 10000000000, 5000000000, 125000000000};
    lic_rounding modes[] = {LIC_ROUND_HALF_EVEN, LIC_ROUND_HALF_UP};
    for (size_t m = 0; m < 2; m++)
        for (size_t i = 0; i < sizeof amounts / sizeof *amounts; i++)
            for (size_t j = 0; j < sizeof rates / sizeof *rates; j++)
                for (int sa = -1; sa <= 1; sa += 2)
                    for (int sr = -1; sr <= 1; sr += 2) {
                        int64_t a = sa * amounts[i], want = 0, got = 0;
                        lic_rate rt = sr * rates[j];
                        lic_err we = lic_amount_mul_rate(a, rt, modes[m], &want);
                        lic_err ge = roy_mul_rate(a, rt, modes[m], &got);
                        assert_int_equal(ge, we);
                        if (!we)
                            assert_int_equal(got, want);
                        struct roy_cut cut[4] = {{0}};
                        for (int twice = 0; twice < 2; twice++) { /* the fraction made, then kept */
                            got = 0;
                            assert_int_equal(roy_mul_rate_cut(cut, a, rt, modes[m], &got), we);
                            if (!we)
                                assert_int_equal(got, want);
                        }
                    }
}

/* Cap 10%, rounded half even: the first US line (100.00, 50.00 claimed)
 * is capped at 10.00 and flags the country; the next lines of the key
 * are capped at 1.5 -> 2 and 2.5 -> 2 cents (halves to even), with no
 * second flag: net 90.00 + 0.13 + 0.23 = 90.36, allowed 10.04. */
static void lines_over_the_cap_after_the_first_round_the_cap_half_even_without_a_second_flag(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    lic_roy *r;
    assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
    lic_sale_line l1 = line("2026-Q1", "US", 10000, 5000, 0), l2 = line("2026-Q1", "US", 15, 10, 0),
                  l3 = line("2026-Q1", "US", 25, 10, 0);
    assert_int_equal(lic_roy_add(r, &l1), LIC_OK);
    assert_int_equal(lic_roy_add(r, &l2), LIC_OK);
    assert_int_equal(lic_roy_add(r, &l3), LIC_OK);
    const lic_roy_statement *st = close_p(r, "2026-Q1");
    assert_int_equal(st->nlines, 1);
    assert_int_equal(st->lines[0].net_sales, 9036);
    assert_int_equal(st->lines[0].deductions_allowed, 1004);
    assert_int_equal(st->nflags, 1);
    lic_roy_free(r);
    lic_agreement_free(a);
}

/* The rule: a line's allowed deductions are at most gross x cap, rounded
 * to the cent as the agreement rounds (half even, or half up), whatever
 * the cap: reduced to cap_num / cap_den, cap_den is 10, 8, 2, 16, 200,
 * 10^12 or 1 (100%) here, and 0% has none.  Every line claims its whole gross, so
 * each is over the cap but at 100%; the allowed sum is checked against
 * the products worked in 128 bits and divided by 10^12 here.  The
 * grosses give exact halves (odd cents at 50%, 8 cents at 6.25%), the
 * largest values whose products fit 64 bits and some that do not. */
static void a_line_over_the_cap_is_allowed_gross_times_cap_rounded_as_the_agreement_rounds(void **st_)
{
    (void)st_;
    static const char *const caps[] = {"10%", "12.5%", "50%", "6.25%", "0.5%", "33.3333333333%",
                                       "0.0000000001%", "99.9999999999%", "100%", "0%"};
    static const int64_t caps_e12[] = {100000000000, 125000000000, 500000000000, 62500000000,
                                       5000000000, 333333333333, 1, 999999999999, 1000000000000, 0};
    static const lic_amount gross[] = {1, 2, 3, 5, 7, 8, 15, 24, 25, 99, 1001, 123457, 1999999, 80000001,
                                       4611686018427, 9223372036854, 9223372036855, 123456789012345,
                                       999999999999999};
    for (int half_up = 0; half_up < 2; half_up++)
        for (size_t c = 0; c < sizeof caps / sizeof *caps; c++) {
            char pay[512];
            snprintf(pay, sizeof pay,
                     "  royalties:\n    deductions: { cap: \"%s\" }\n    schedules:\n      - name: s\n"
                     "        tiers: { method: marginal, bands: [{ up_to: \"1000\", rate: \"3%%\" }, "
                     "{ rate: \"5%%\" }] }\n%s",
                     caps[c], half_up ? "rounding: half_up\n" : "");
            lic_agreement *a = load(pay);
            lic_roy *r;
            assert_int_equal(lic_roy_new(a, NULL, &r), LIC_OK);
            lic_amount want = 0, sum = 0;
            for (size_t i = 0; i < sizeof gross / sizeof *gross; i++) {
                __int128 n = (__int128)gross[i] * caps_e12[c], d = 1000000000000;
                int64_t q = (int64_t)(n / d), twice = (int64_t)(n % d) * 2;
                q += twice > d || (twice == d && (half_up || q % 2));
                want += q < gross[i] ? q : gross[i];
                sum += gross[i];
                lic_sale_line l = line("2026-Q1", "US", gross[i], gross[i], 0);
                assert_int_equal(lic_roy_add(r, &l), LIC_OK);
            }
            const lic_roy_statement *st = close_p(r, "2026-Q1");
            assert_int_equal(st->nlines, 1);
            if (st->lines[0].deductions_allowed != want)
                fprintf(stderr, "cap %s, %s: allowed %lld, want %lld\n", caps[c], half_up ? "half up" : "half even",
                        (long long)st->lines[0].deductions_allowed, (long long)want);
            assert_int_equal(st->lines[0].deductions_allowed, want);
            assert_int_equal(st->lines[0].net_sales, sum - want);
            lic_roy_free(r);
            lic_agreement_free(a);
        }
}

static void out_of_memory_at_every_allocation_is_reported_and_leaks_nothing(void **st_)
{
    (void)st_;
    lic_agreement *a = load(MARGINAL);
    for (long n = 0; n < 200; n++) {
        lic__alloc_fail_after(n);
        lic_roy *r = NULL;
        lic_err rc = lic_roy_new(a, NULL, &r);
        lic_sale_line l = line("2026-Q1", "US", 80000, 10000, 0);
        if (!rc)
            rc = lic_roy_add(r, &l);
        const lic_roy_statement *st = NULL;
        if (!rc)
            rc = lic_roy_close(r, period("2026-Q1"), &st);
        lic__alloc_fail_after(-1);
        lic_amount royalty = rc ? 0 : st->royalty; /* the statement goes with r */
        lic_roy_free(r);
        if (!rc) {
            assert_int_equal(royalty, 2160); /* 3% x (800 - min(100, 80)) */
            break;
        }
        assert_int_equal(rc, LIC_ENOMEM);
    }
    lic_agreement_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(marginal_lines_take_consecutive_slices_in_country_order),
        cmocka_unit_test(marginal_total_carries_over_quarters_and_restarts_each_year),
        cmocka_unit_test(whole_tier_crossing_trues_up_earlier_quarters),
        cmocka_unit_test(whole_tier_upper_bound_inclusive_or_exclusive_at_the_threshold),
        cmocka_unit_test(stacking_stops_at_the_floor_and_carries_the_rest_forward),
        cmocka_unit_test(sale_outside_the_grants_is_unlicensed_and_bears_nothing),
        cmocka_unit_test(line_without_an_fx_rate_makes_the_period_indeterminate),
        cmocka_unit_test(sum_that_overflows_is_an_error_and_the_next_period_is_clean),
        cmocka_unit_test(deductions_at_the_cap_are_allowed_and_a_cent_over_is_capped_once_per_country),
        cmocka_unit_test(first_lines_of_a_period_and_over_the_cap_sum_alike_by_the_quick_paths_or_the_whole_way),
        cmocka_unit_test(each_country_once_sorts_as_the_general_order_does),
        cmocka_unit_test(with_no_cap_every_deduction_is_allowed_by_the_quick_path_or_the_whole_way),
        cmocka_unit_test(over_the_cap_flags_keep_the_order_of_their_lines_on_any_path),
        cmocka_unit_test(marginal_slices_after_a_return_start_again_from_the_first_band),
        cmocka_unit_test(a_key_seen_before_a_period_close_gets_a_new_bucket_after_it),
        cmocka_unit_test(statement_lines_come_by_schedule_status_country_and_product_whatever_the_adding_order),
        cmocka_unit_test(many_lines_sort_the_same_as_a_few),
        cmocka_unit_test(a_first_sale_moved_back_reclassifies_a_key_kept_from_an_earlier_period),
        cmocka_unit_test(a_kept_classification_stops_at_the_next_adjustment),
        cmocka_unit_test(country_indices_rise_with_their_codes),
        cmocka_unit_test(a_product_past_64_bits_rounds_as_money_does),
        cmocka_unit_test(lines_over_the_cap_after_the_first_round_the_cap_half_even_without_a_second_flag),
        cmocka_unit_test(a_line_over_the_cap_is_allowed_gross_times_cap_rounded_as_the_agreement_rounds),
        cmocka_unit_test(out_of_memory_at_every_allocation_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
