/*
 * test_agreement.c - unit tests for agreement.h (the loader) and
 * lic_check_portfolio (check.h).
 *
 * - The shipped examples (paths relative to the repository root: the
 *   suite is run from there by `make unit` / tests/run-unit.sh) load with
 *   the exact values of the file: ids, dates, money in minor units, rates
 *   in 1e-12 units, territory sets, date expressions and missing terms.
 * - Small inline agreements: defaults, JSON input, and errors with their
 *   exact diagnostic lines (and *out left NULL).
 * - The portfolio check on two inline agreements.
 * - An allocation-failure sweep over the loader: every failure is
 *   LIC_ENOMEM and nothing leaks (ASan's leak checker under SAN=1).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "licet/agreement.h"
#include "licet/check.h"

#define UNIX_BETA "examples/unix-beta-exclusive.yaml"
#define STARTUP "examples/startup-partnership.yaml"

/* ---- helpers ----------------------------------------------------------- */

static char *date_s(lic_date d, char buf[LIC_DATE_STRLEN])
{
    lic_date_str(d, buf);
    return buf;
}

#define assert_date(d, want)                                                  \
    do {                                                                      \
        char b_[LIC_DATE_STRLEN];                                             \
        assert_string_equal(date_s((d), b_), (want));                         \
    } while (0)

static char *tset_s(const lic_tset *s)
{
    static char buf[1024];
    lic_tset_format(s, buf, sizeof buf);
    return buf;
}

static const char *diag_line(const lic_diags *d, size_t i)
{
    static char buf[1024];
    assert_true(i < d->n);
    lic_diag_format(&d->v[i], buf, sizeof buf);
    return buf;
}

/* Loads a file that must load cleanly (no errors). */
static lic_agreement *load_ok(const char *path, lic_diags *d)
{
    lic_agreement *a = NULL;
    lic_err rc = lic_agreement_load(path, d, &a);
    if (rc != LIC_OK)
        for (size_t i = 0; i < d->n; i++)
            fprintf(stderr, "%s\n", diag_line(d, i));
    assert_int_equal(rc, LIC_OK);
    assert_non_null(a);
    assert_int_equal(d->nerrors, 0);
    return a;
}

static lic_agreement *load_mem_ok(const char *name, const char *text, lic_diags *d)
{
    lic_agreement *a = NULL;
    lic_err rc = lic_agreement_load_mem(name, text, strlen(text), d, &a);
    if (rc != LIC_OK)
        for (size_t i = 0; i < d->n; i++)
            fprintf(stderr, "%s\n", diag_line(d, i));
    assert_int_equal(rc, LIC_OK);
    assert_non_null(a);
    assert_int_equal(d->nerrors, 0);
    return a;
}

/* Loads `text`, which must fail with exactly one error whose formatted
 * line is `want`. */
static void expect_one_error(const char *text, const char *want)
{
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = (lic_agreement *)1; /* must be reset to NULL */
    lic_err rc = lic_agreement_load_mem("t.yaml", text, strlen(text), &d, &a);
    if (d.n != 1)
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "  diag: %s\n", diag_line(&d, i));
    assert_int_equal(rc, LIC_EINVALID);
    assert_null(a);
    assert_int_equal(d.nerrors, 1);
    assert_int_equal(d.n, 1);
    assert_string_equal(diag_line(&d, 0), want);
    lic_diags_fini(&d);
}

/* ---- examples/unix-beta-exclusive.yaml --------------------------------- */

static void unix_beta_loads_with_no_errors_and_no_missing_terms(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(UNIX_BETA, &d);
    assert_int_equal(d.n, 0);
    assert_int_equal(a->nmissing, 0);
    assert_string_equal(a->file, UNIX_BETA);
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void unix_beta_header_values_are_exact(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(UNIX_BETA, &d);
    assert_int_equal(a->version, 1);
    assert_string_equal(a->id, "UNIX-BETA-2025-01");
    assert_int_equal(a->effective.st, LIC_V_KNOWN);
    assert_date(a->effective.v, "2025-01-15");
    assert_int_equal(a->effective.pos.line, 8);
    assert_int_equal(a->effective.pos.col, 12);
    assert_non_null(a->currency);
    assert_string_equal(a->currency->code, "USD");
    assert_int_equal(a->currency->digits, 2);
    assert_int_equal(a->rounding, LIC_ROUND_HALF_EVEN);
    assert_string_equal(a->calendar_name, "US");
    assert_ptr_equal(a->calendar, lic_calendar_builtin("US"));
    assert_string_equal(a->licensor.id, "unix");
    assert_string_equal(a->licensee.id, "beta");
    assert_string_equal(a->licensee.name, "Beta Therapeutics, Inc.");
    assert_true(a->has_fields);
    assert_int_equal(a->technology.npatents, 5);
    assert_int_equal(a->technology.nexclusivities, 2);
    assert_int_equal(a->term.ends.st, LIC_V_KNOWN);
    assert_date(a->term.ends.v, "2045-01-14");
    assert_false(a->term.last_patent_expiry);
    assert_int_equal(a->ngrants, 2);
    assert_int_equal(a->nmilestones, 13);
    assert_int_equal(a->noptions, 2);
    assert_int_equal(a->breach.nclasses, 6);
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void unix_beta_grant_g1_is_exclusive_in_us_ca_eu_gb_ch(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(UNIX_BETA, &d);
    assert_int_equal(lic_agreement_grant_index(a, "G1"), 0);
    assert_int_equal(lic_agreement_grant_index(a, "G3"), -1);
    const lic_grant *g = &a->grants[0];
    assert_string_equal(g->id, "G1");
    assert_int_equal(g->exclusivity, LIC_EXCL_EXCLUSIVE);
    assert_string_equal(lic_exclusivity_name(g->exclusivity), "exclusive");
    assert_true(g->sublicensable);
    assert_true(g->scope.has_territories);
    /* EU's 27 members plus CA, CH, GB and US, alphabetically. */
    assert_string_equal(tset_s(&g->scope.territories),
                        "AT, BE, BG, CA, CH, CY, CZ, DE, DK, EE, ES, FI, FR, GB, GR, HR, "
                        "HU, IE, IT, LT, LU, LV, MT, NL, PL, PT, RO, SE, SI, SK, US");
    assert_int_equal(lic_tset_count(&g->scope.territories), 31);
    assert_int_equal(g->scope.territory_names.n, 5);
    assert_string_equal(g->scope.territory_names.v[2], "EU");
    assert_int_equal(g->scope.field_names.n, 1);
    assert_string_equal(g->scope.field_names.v[0], "therapeutics/oncology");
    assert_int_equal(g->from.st, LIC_V_KNOWN);
    assert_date(lic_grant_first_day(a, g), "2025-01-15");
    assert_date(lic_grant_last_day(a, g), "2045-01-14");
    assert_int_equal(g->pos.line, 41); /* the "id: G1" line of the block item */
    assert_int_equal(g->pos.col, 5);
    /* G2: WORLD, rare disease, no from: starts on the effective date. */
    const lic_grant *g2 = &a->grants[1];
    assert_string_equal(g2->id, "G2");
    assert_int_equal(g2->exclusivity, LIC_EXCL_EXCLUSIVE);
    assert_int_equal(lic_tset_count(&g2->scope.territories), lic_country_count());
    assert_int_equal(g2->from.st, LIC_V_ABSENT);
    assert_date(lic_grant_first_day(a, g2), "2025-01-15");
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void unix_beta_m1_is_due_18_months_after_effective_on_2026_07_15(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(UNIX_BETA, &d);
    int i = lic_agreement_milestone_index(a, "M1");
    assert_int_equal(i, 1);
    const lic_milestone *m = &a->milestones[i];
    assert_string_equal(m->title, "First IND filing (oncology)");
    assert_int_equal(m->kind, LIC_MS_REGULATORY);
    assert_int_equal(m->owner, LIC_PARTY_LICENSEE);
    assert_int_equal(m->verification, LIC_VERIFY_EVIDENCE);
    assert_int_equal(m->due.st, LIC_V_KNOWN);
    assert_int_equal(m->due.anchor, LIC_ANCHOR_EFFECTIVE);
    assert_int_equal(m->due.dur.years, 0);
    assert_int_equal(m->due.dur.months, 18);
    assert_int_equal(m->due.dur.days, 0);
    assert_int_equal(m->due.dur.business_days, 0);
    assert_int_equal(m->due.ref_index, -1);
    lic_date when = LIC_DATE_NONE;
    assert_int_equal(lic_dexpr_resolve(a, &m->due, false, &when), LIC_OK);
    assert_date(when, "2026-07-15");
    assert_int_equal(m->deliverables.n, 1);
    assert_string_equal(m->deliverables.v[0], "IND acceptance letter");
    assert_string_equal(m->acceptance, "FDA acknowledges the IND as filed");
    assert_string_equal(m->breach_class, "diligence");
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void unix_beta_m1_payment_and_extensions_are_in_minor_units(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(UNIX_BETA, &d);
    const lic_milestone *m = &a->milestones[1];
    assert_true(m->payment.present);
    assert_int_equal(m->payment.amount.st, LIC_V_KNOWN);
    assert_int_equal(m->payment.amount.v, 25000000); /* "250000" USD */
    assert_int_equal(m->payment.amount.pos.line, 71);
    assert_int_equal(m->payment.amount.pos.col, 24); /* the opening quote */
    assert_int_equal(m->payment.due.st, LIC_V_KNOWN);
    assert_int_equal(m->payment.due.v.days, 30);
    assert_true(m->extensions.present);
    assert_int_equal(m->extensions.max, 2);
    assert_int_equal(m->extensions.each.v.months, 6);
    assert_int_equal(m->extensions.fee.v, 5000000); /* "50000" */
    /* The upfront payment and the milestone cap. */
    assert_true(a->payments.upfront.present);
    assert_int_equal(a->payments.upfront.amount.v, 10000000);
    lic_date when;
    assert_int_equal(lic_dexpr_resolve(a, &a->payments.upfront.due, false, &when), LIC_OK);
    assert_date(when, "2025-02-14");
    assert_int_equal(a->payments.milestone_cap.st, LIC_V_KNOWN);
    assert_int_equal(a->payments.milestone_cap.v, 1500000000);
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void unix_beta_milestone_anchors_resolve_only_when_assuming_on_time(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(UNIX_BETA, &d);
    const lic_milestone *m2 = &a->milestones[2];
    assert_string_equal(m2->id, "M2");
    assert_int_equal(m2->due.anchor, LIC_ANCHOR_MILESTONE);
    assert_string_equal(m2->due.ref, "M1");
    assert_int_equal(m2->due.ref_index, 1);
    assert_int_equal(m2->due.dur.months, 12);
    lic_date when = LIC_DATE_NONE;
    assert_int_equal(lic_dexpr_resolve(a, &m2->due, true, &when), LIC_OK);
    assert_date(when, "2027-07-15");
    when = LIC_DATE_NONE;
    assert_int_equal(lic_dexpr_resolve(a, &m2->due, false, &when), LIC_ENOTFOUND);
    assert_int_equal(when, LIC_DATE_NONE); /* untouched */
    /* Chains: M2a = M2 + 24 months, M2b = M2a + 30 months. */
    int i2a = lic_agreement_milestone_index(a, "M2a");
    int i2b = lic_agreement_milestone_index(a, "M2b");
    assert_int_equal(i2a, 3);
    assert_int_equal(i2b, 4);
    assert_int_equal(a->milestones[i2a].due.ref_index, 2);
    assert_int_equal(lic_dexpr_resolve(a, &a->milestones[i2a].due, true, &when), LIC_OK);
    assert_date(when, "2029-07-15");
    assert_int_equal(lic_dexpr_resolve(a, &a->milestones[i2b].due, true, &when), LIC_OK);
    assert_date(when, "2032-01-15");
    /* M2b's catch-up list is resolved to indices. */
    assert_int_equal(a->milestones[i2b].catch_up.n, 2);
    assert_int_equal(a->milestones[i2b].catch_up_index[0], 2);
    assert_int_equal(a->milestones[i2b].catch_up_index[1], 3);
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void unix_beta_fixed_dates_and_event_anchors_resolve_as_documented(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(UNIX_BETA, &d);
    lic_date when;
    const lic_milestone *m3 = &a->milestones[lic_agreement_milestone_index(a, "M3")];
    assert_int_equal(m3->due.anchor, LIC_ANCHOR_DATE);
    assert_date(m3->due.date, "2033-06-30");
    assert_int_equal(lic_dexpr_resolve(a, &m3->due, false, &when), LIC_OK);
    assert_date(when, "2033-06-30");
    /* C2: 24 months after the first commercial sale in the US. */
    const lic_milestone *c2 = &a->milestones[lic_agreement_milestone_index(a, "C2")];
    assert_int_equal(c2->due.anchor, LIC_ANCHOR_FCS_IN);
    assert_string_equal(lic_country_code(c2->due.country), "US");
    assert_int_equal(c2->due.dur.months, 24);
    assert_int_equal(lic_dexpr_resolve(a, &c2->due, true, &when), LIC_ENOTFOUND);
    assert_true(c2->has_on_miss);
    assert_int_equal(c2->on_miss.action, LIC_ACT_STEP_DOWN);
    assert_string_equal(c2->on_miss.grant, "G1");
    assert_int_equal(c2->on_miss.grant_index, 0);
    assert_int_equal(c2->on_miss.to, LIC_EXCL_NON_EXCLUSIVE);
    assert_int_equal(c2->on_miss.notice.v.days, 60);
    /* C3: 3 years after the first commercial sale anywhere. */
    const lic_milestone *c3 = &a->milestones[lic_agreement_milestone_index(a, "C3")];
    assert_int_equal(c3->due.anchor, LIC_ANCHOR_FCS);
    assert_int_equal(c3->due.dur.years, 3);
    assert_int_equal(lic_dexpr_resolve(a, &c3->due, true, &when), LIC_ENOTFOUND);
    /* J1 has no deadline. */
    const lic_milestone *j1 = &a->milestones[lic_agreement_milestone_index(a, "J1")];
    assert_int_equal(j1->due.st, LIC_V_ABSENT);
    assert_int_equal(j1->owner, LIC_PARTY_JOINT);
    assert_int_equal(lic_dexpr_resolve(a, &j1->due, true, &when), LIC_ENOTFOUND);
    /* L1: 60 business days, licensor's own breach class. */
    const lic_milestone *l1 = &a->milestones[0];
    assert_string_equal(l1->id, "L1");
    assert_int_equal(l1->owner, LIC_PARTY_LICENSOR);
    assert_int_equal(l1->due.dur.business_days, 60);
    assert_int_equal(l1->verification, LIC_VERIFY_THIRD_PARTY);
    assert_string_equal(l1->breach_class, "licensor_support");
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void unix_beta_sales_milestones_read_thresholds_and_comparison(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(UNIX_BETA, &d);
    const lic_milestone *s1 = &a->milestones[lic_agreement_milestone_index(a, "S1")];
    const lic_milestone *s2 = &a->milestones[lic_agreement_milestone_index(a, "S2")];
    assert_int_equal(s1->kind, LIC_MS_SALES);
    assert_int_equal(s1->when.cond, LIC_COND_NET_SALES_IN_YEAR);
    assert_false(s1->when.reaches);
    assert_int_equal(s1->when.threshold.v, INT64_C(5000000000));
    assert_int_equal(s1->payment.amount.v, 200000000);
    assert_false(s1->repeat_every_year);
    assert_int_equal(s2->when.cond, LIC_COND_CUMULATIVE_NET_SALES);
    assert_true(s2->when.reaches);
    assert_int_equal(s2->when.threshold.v, INT64_C(25000000000));
    const lic_milestone *c1 = &a->milestones[lic_agreement_milestone_index(a, "C1")];
    assert_int_equal(c1->when.cond, LIC_COND_FIRST_SALE_IN);
    assert_string_equal(tset_s(&c1->when.where.territories), "US");
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void unix_beta_royalty_bands_are_exact_rates_in_1e12_units(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(UNIX_BETA, &d);
    const lic_royalties *r = &a->payments.royalties;
    assert_true(r->present);
    assert_false(r->agreement_year);
    assert_false(r->base_units);
    assert_int_equal(r->deductions_cap.v, INT64_C(100000000000)); /* 10% */
    assert_int_equal(r->nschedules, 2);
    const lic_schedule *onc = &r->schedules[0];
    assert_string_equal(onc->name, "oncology");
    assert_int_equal(onc->method, LIC_TIERS_MARGINAL);
    assert_false(onc->over_lifetime);
    assert_false(onc->upper_exclusive);
    assert_int_equal(onc->nbands, 3);
    assert_int_equal(onc->bands[0].up_to.st, LIC_V_KNOWN);
    assert_int_equal(onc->bands[0].up_to.v, INT64_C(1000000000));   /* 10M USD */
    assert_int_equal(onc->bands[0].rate.v, INT64_C(30000000000));   /* 3% */
    assert_int_equal(onc->bands[1].up_to.v, INT64_C(5000000000));   /* 50M USD */
    assert_int_equal(onc->bands[1].rate.v, INT64_C(40000000000));   /* 4% */
    assert_int_equal(onc->bands[2].up_to.st, LIC_V_ABSENT);
    assert_int_equal(onc->bands[2].rate.v, INT64_C(50000000000));   /* 5% */
    const lic_schedule *rd = &r->schedules[1];
    assert_string_equal(rd->name, "rare-disease");
    assert_true(rd->over_lifetime);
    assert_true(rd->upper_exclusive);
    assert_int_equal(rd->nbands, 2);
    assert_int_equal(rd->bands[0].up_to.v, INT64_C(10000000000));   /* 100M USD */
    assert_int_equal(rd->bands[0].rate.v, INT64_C(40000000000));
    assert_int_equal(rd->bands[1].rate.v, INT64_C(55000000000));    /* 5.5% */
    /* Royalty term and step-down, stacking, adjustments, minimum. */
    assert_int_equal(r->term.ends, LIC_TERM_LAST_VALID_CLAIM | LIC_TERM_REG_EXCLUSIVITY |
                                       LIC_TERM_YEARS_AFTER_FS);
    assert_int_equal(r->term.years_after_first_sale, 10);
    assert_int_equal(r->term.step_down.after, LIC_TERM_LAST_VALID_CLAIM | LIC_TERM_REG_EXCLUSIVITY);
    assert_int_equal(r->term.step_down.rate_factor.v, INT64_C(500000000000)); /* 50% */
    assert_int_equal(r->stacking.offset.v, INT64_C(500000000000));
    assert_false(r->stacking.floor_is_rate);
    assert_false(r->stacking.carry_forward);
    assert_int_equal(r->nadjustments, 1);
    assert_string_equal(r->adjustments[0].after, "J1");
    assert_int_equal(r->adjustments[0].ms_index, 10);
    assert_int_equal(r->adjustments[0].add.v, INT64_C(5000000000)); /* 0.5% */
    assert_int_equal(r->minimum_annual.amount.v, 7500000);
    assert_int_equal(r->minimum_annual.from_first_sale_year, 2);
    assert_false(r->minimum_annual.advance);
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void unix_beta_option_windows_rest_on_milestones(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(UNIX_BETA, &d);
    const lic_option *o1 = &a->options[0];
    assert_string_equal(o1->id, "O1");
    assert_int_equal(o1->exclusivity, LIC_EXCL_EXCLUSIVE);
    assert_string_equal(tset_s(&o1->scope.territories), "JP");
    assert_int_equal(o1->fee.v, 50000000);
    lic_date when;
    assert_int_equal(lic_dexpr_resolve(a, &o1->window_until, true, &when), LIC_OK);
    assert_date(when, "2028-01-11"); /* M2 (2027-07-15) + 180 days */
    assert_int_equal(a->options[1].exclusivity, LIC_EXCL_NON_EXCLUSIVE);
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

/* ---- examples/startup-partnership.yaml --------------------------------- */

static void startup_records_three_missing_terms_with_paths_and_states(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(STARTUP, &d);
    assert_int_equal(d.n, 0); /* missing terms are warned about by check, not the loader */
    assert_int_equal(a->nmissing, 3);
    assert_string_equal(a->missing[0].path, "milestones[2].due");
    assert_int_equal(a->missing[0].st, LIC_V_REDACTED);
    assert_int_equal(a->missing[0].pos.line, 69);
    assert_int_equal(a->missing[0].pos.col, 10);
    assert_string_equal(a->missing[1].path, "milestones[3].payment.amount");
    assert_int_equal(a->missing[1].st, LIC_V_UNKNOWN);
    assert_int_equal(a->missing[1].pos.line, 80);
    assert_int_equal(a->missing[1].pos.col, 24);
    assert_string_equal(a->missing[2].path, "milestones[4].payment.amount");
    assert_int_equal(a->missing[2].st, LIC_V_REDACTED);
    assert_int_equal(a->missing[2].pos.line, 88);
    assert_int_equal(a->missing[2].pos.col, 24);
    /* The values themselves carry the state. */
    assert_int_equal(a->milestones[2].due.st, LIC_V_REDACTED);
    assert_int_equal(a->milestones[3].payment.amount.st, LIC_V_UNKNOWN);
    assert_int_equal(a->milestones[4].payment.amount.st, LIC_V_REDACTED);
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void startup_deadline_on_a_redacted_deadline_is_indeterminate(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(STARTUP, &d);
    lic_date when = LIC_DATE_NONE;
    assert_int_equal(lic_dexpr_resolve(a, &a->milestones[2].due, true, &when),
                     LIC_EINDETERMINATE);
    /* M3 = M2 + 30 months, and M2's deadline is redacted. */
    assert_string_equal(a->milestones[3].due.ref, "M2");
    assert_int_equal(lic_dexpr_resolve(a, &a->milestones[3].due, true, &when),
                     LIC_EINDETERMINATE);
    assert_int_equal(lic_dexpr_resolve(a, &a->milestones[3].due, false, &when),
                     LIC_ENOTFOUND);
    assert_int_equal(when, LIC_DATE_NONE);
    /* M1 = R1 + 15 months = effective + 9 + 15 months. */
    assert_int_equal(lic_dexpr_resolve(a, &a->milestones[1].due, true, &when), LIC_OK);
    assert_date(when, "2027-07-01");
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void startup_term_ends_at_the_last_patent_expiry(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_ok(STARTUP, &d);
    assert_true(a->term.last_patent_expiry);
    assert_int_equal(a->term.ends.st, LIC_V_KNOWN);
    assert_date(a->term.ends.v, "2042-03-14");
    assert_int_equal(a->grants[0].exclusivity, LIC_EXCL_SOLE);
    assert_int_equal(a->grants[1].exclusivity, LIC_EXCL_CO_EXCLUSIVE);
    assert_date(lic_grant_first_day(a, &a->grants[1]), "2026-01-01");
    assert_date(lic_grant_last_day(a, &a->grants[1]), "2042-03-14");
    assert_true(a->payments.royalties.agreement_year);
    assert_true(a->payments.royalties.stacking.floor_is_rate);
    assert_int_equal(a->payments.royalties.stacking.floor.v, INT64_C(10000000000)); /* 1% */
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

/* ---- inline agreements: defaults and JSON ------------------------------- */

static const char minimal[] =
    "licet: 1\n"
    "id: T-1\n"
    "effective: 2025-01-15\n"
    "currency: USD\n"
    "parties:\n"
    "  licensor: { id: lab, name: Lab }\n"
    "  licensee: { id: co, name: Co }\n"
    "fields:\n"
    "  therapeutics: [oncology, cardiology]\n"
    "grants:\n"
    "  - { id: G1, territories: [US], exclusivity: exclusive }\n"
    "milestones:\n"
    "  - { id: M1, kind: development, due: { after: effective, months: 6 } }\n"
    "options:\n"
    "  - id: O1\n"
    "    grant: { territories: [JP] }\n"
    "    window: { from: effective, until: { after: effective, years: 1 } }\n";

static void absent_keys_take_the_documented_defaults(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_mem_ok("min.yaml", minimal, &d);
    assert_int_equal(d.n, 0);
    assert_string_equal(a->file, "min.yaml");
    assert_int_equal(a->rounding, LIC_ROUND_HALF_EVEN);
    assert_string_equal(a->calendar_name, "WEEKENDS");
    assert_ptr_equal(a->calendar, lic_calendar_builtin("WEEKENDS"));
    assert_null(a->title);
    assert_int_equal(a->term.ends.st, LIC_V_ABSENT);
    assert_int_equal(a->nmissing, 0);
    /* A grant without fields covers every field. */
    const lic_grant *g = &a->grants[0];
    assert_true(g->scope.has_fields);
    lic_fset all = lic_fieldtree_all(a->fields);
    assert_true(lic_fset_equal(&g->scope.fields, &all));
    assert_int_equal(lic_fset_count(&g->scope.fields), 3); /* therapeutics + 2 leaves */
    assert_int_equal(g->scope.field_names.n, 0);
    assert_false(g->sublicensable);
    assert_int_equal(g->from.st, LIC_V_ABSENT);
    assert_int_equal(g->until.st, LIC_V_ABSENT);
    assert_date(lic_grant_first_day(a, g), "2025-01-15");
    assert_int_equal(lic_grant_last_day(a, g), LIC_DATE_NONE);
    /* A milestone's defaults. */
    const lic_milestone *m = &a->milestones[0];
    assert_string_equal(m->breach_class, "diligence");
    assert_int_equal(m->owner, LIC_PARTY_LICENSEE);
    assert_int_equal(m->verification, LIC_VERIFY_NONE);
    assert_false(m->payment.present);
    assert_null(m->acceptance);
    lic_date when;
    assert_int_equal(lic_dexpr_resolve(a, &m->due, false, &when), LIC_OK);
    assert_date(when, "2025-07-15");
    /* An option's grant defaults to non-exclusive, all fields. */
    const lic_option *o = &a->options[0];
    assert_int_equal(o->exclusivity, LIC_EXCL_NON_EXCLUSIVE);
    assert_false(o->sublicensable);
    assert_true(lic_fset_equal(&o->scope.fields, &all));
    assert_int_equal(o->window_from.anchor, LIC_ANCHOR_EFFECTIVE);
    assert_int_equal(lic_dexpr_resolve(a, &o->window_until, false, &when), LIC_OK);
    assert_date(when, "2026-01-15");
    assert_int_equal(o->fee.st, LIC_V_ABSENT);
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void agreement_without_fields_section_gets_an_empty_field_tree(void **state)
{
    (void)state;
    static const char text[] =
        "licet: 1\nid: T-2\neffective: 2025-01-15\ncurrency: JPY\nrounding: half_up\n"
        "parties: { licensor: { id: lab }, licensee: { id: co } }\n"
        "grants: [{ id: G1, territories: [JP], exclusivity: sole }]\n"
        "payments: { upfront: { amount: \"1000000\", due: 2025-02-01 } }\n";
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_mem_ok("t2.yaml", text, &d);
    assert_false(a->has_fields);
    assert_non_null(a->fields);
    assert_string_equal(a->currency->code, "JPY");
    assert_int_equal(a->currency->digits, 0);
    assert_int_equal(a->rounding, LIC_ROUND_HALF_UP);
    assert_int_equal(a->payments.upfront.amount.v, 1000000); /* yen have no minor unit */
    assert_int_equal(a->grants[0].exclusivity, LIC_EXCL_SOLE);
    assert_true(a->grants[0].scope.has_fields);
    assert_int_equal(a->nmilestones, 0);
    assert_null(a->milestones);
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

static void json_document_loads_like_yaml(void **state)
{
    (void)state;
    static const char json[] =
        "{\n"
        "  \"licet\": 1,\n"
        "  \"id\": \"J-1\",\n"
        "  \"effective\": \"2025-03-01\",\n"
        "  \"currency\": \"EUR\",\n"
        "  \"parties\": {\"licensor\": {\"id\": \"lab\"}, \"licensee\": {\"id\": \"co\"}},\n"
        "  \"grants\": [{\"id\": \"G1\", \"territories\": [\"DE\", \"FR\"], \"exclusivity\": \"exclusive\","
        " \"sublicensable\": true}],\n"
        "  \"milestones\": [{\"id\": \"M1\", \"kind\": \"regulatory\","
        " \"due\": {\"after\": \"effective\", \"months\": 12},"
        " \"payment\": {\"amount\": \"1234.56\"}}]\n"
        "}\n";
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_mem_ok("j.json", json, &d);
    assert_int_equal(d.n, 0);
    assert_int_equal(a->version, 1);
    assert_string_equal(a->id, "J-1");
    assert_date(a->effective.v, "2025-03-01");
    assert_string_equal(a->currency->code, "EUR");
    assert_int_equal(a->ngrants, 1);
    assert_string_equal(tset_s(&a->grants[0].scope.territories), "DE, FR");
    assert_true(a->grants[0].sublicensable);
    assert_int_equal(a->milestones[0].kind, LIC_MS_REGULATORY);
    assert_int_equal(a->milestones[0].payment.amount.v, 123456);
    lic_date when;
    assert_int_equal(lic_dexpr_resolve(a, &a->milestones[0].due, false, &when), LIC_OK);
    assert_date(when, "2026-03-01");
    lic_agreement_free(a);
    lic_diags_fini(&d);
}

/* ---- inline agreements: errors ------------------------------------------ */

#define HEAD                                                                  \
    "licet: 1\n"                                                              \
    "id: E-1\n"                                                               \
    "effective: 2025-01-15\n"                                                 \
    "currency: USD\n"                                                         \
    "parties: { licensor: { id: lab }, licensee: { id: co } }\n"

static void unknown_key_is_an_error_with_a_did_you_mean_hint(void **state)
{
    (void)state;
    expect_one_error(HEAD
                     "grants:\n"
                     "  - { id: G1, territories: [US], exclusivity: exclusive, sublicensible: true }\n",
                     "t.yaml:7:58: grants[0]: unknown key \"sublicensible\" (did you mean \"sublicensable\"?)");
}

static void unknown_top_level_key_far_from_any_has_no_hint(void **state)
{
    (void)state;
    expect_one_error(HEAD
                     "grants: [{ id: G1, territories: [US], exclusivity: exclusive }]\n"
                     "zzzzzz: 1\n",
                     "t.yaml:7:1: unknown key \"zzzzzz\"");
}

static void unknown_anchor_lists_the_known_anchors(void **state)
{
    (void)state;
    expect_one_error(HEAD
                     "grants: [{ id: G1, territories: [US], exclusivity: exclusive }]\n"
                     "milestones:\n"
                     "  - { id: M1, kind: development, due: 2026-01-01 }\n"
                     "  - { id: M2, kind: development, due: { after: M9, months: 3 } }\n",
                     "t.yaml:9:48: milestones[1].due.after: unknown anchor \"M9\" "
                     "(known: effective, first_commercial_sale, M1, M2)");
}

/* The UTF-8 check reads ASCII eight bytes at a time and places an error
 * afterwards: the column still counts characters, not bytes. */
static void invalid_utf8_is_placed_by_line_and_character(void **state)
{
    (void)state;
    expect_one_error("licet: 1\ntitle: caf\xC3\xA9 \xE2\x82\xAC and a longer tail \xFF here\n",
                     "t.yaml:2:33: invalid UTF-8 (byte 0xFF); save the file as UTF-8");
    expect_one_error("licet: 1 # 0123456789abcdef\n\xC3\x28\n",
                     "t.yaml:2:1: invalid UTF-8 (byte 0xC3); save the file as UTF-8");
}

static void milestones_anchored_on_each_other_are_a_cycle_error(void **state)
{
    (void)state;
    expect_one_error(HEAD
                     "grants: [{ id: G1, territories: [US], exclusivity: exclusive }]\n"
                     "milestones:\n"
                     "  - { id: M1, kind: development, due: { after: M2, months: 1 } }\n"
                     "  - { id: M2, kind: development, due: { after: M1, months: 1 } }\n",
                     "t.yaml:8:39: milestones[0].due: deadlines depend on each other in a cycle: M1 -> M2 -> M1");
}

static void milestone_anchored_on_itself_is_an_error(void **state)
{
    (void)state;
    expect_one_error(HEAD
                     "grants: [{ id: G1, territories: [US], exclusivity: exclusive }]\n"
                     "milestones:\n"
                     "  - { id: M1, kind: development, due: { after: M1, months: 1 } }\n",
                     "t.yaml:8:48: milestones[0].due.after: a milestone's deadline cannot be anchored "
                     "to itself (\"M1\")");
}

static void bad_currency_and_wrong_decimals_report_each_error(void **state)
{
    (void)state;
    expect_one_error("licet: 1\nid: E-2\neffective: 2025-01-15\ncurrency: usd\n"
                     "parties: { licensor: { id: lab }, licensee: { id: co } }\n"
                     "grants: [{ id: G1, territories: [US], exclusivity: exclusive }]\n",
                     "t.yaml:4:11: currency: expected an ISO 4217 currency code like USD or EUR, got \"usd\"");
    expect_one_error(HEAD
                     "grants: [{ id: G1, territories: [US], exclusivity: exclusive }]\n"
                     "payments: { upfront: { amount: \"10.001\", due: 2025-02-01 } }\n",
                     /* A quoted scalar's column is its opening quote. */
                     "t.yaml:7:32: payments.upfront.amount: \"10.001\" has more decimal places than USD allows (2)");
}

static void several_errors_are_all_reported_and_nothing_is_returned(void **state)
{
    (void)state;
    static const char text[] =
        "licet: 2\n"
        "id: E-3\n"
        "effective: 2025-02-30\n"
        "currency: USD\n"
        "parties: { licensor: { id: lab }, licensee: { id: co } }\n"
        "grants: [{ id: G1, territories: [XX], exclusivity: exclusive }]\n";
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = NULL;
    assert_int_equal(lic_agreement_load_mem("t.yaml", text, strlen(text), &d, &a), LIC_EINVALID);
    assert_null(a);
    assert_int_equal(d.nerrors, 3);
    assert_string_equal(diag_line(&d, 0), "t.yaml:1:8: licet: expected a whole number from 1 to 1, got \"2\"");
    assert_string_equal(diag_line(&d, 1), "t.yaml:3:12: effective: no such day \"2025-02-30\"");
    assert_string_equal(diag_line(&d, 2),
                        "t.yaml:6:34: grants[0].territories[0]: unknown territory \"XX\" (expected an "
                        "ISO 3166-1 alpha-2 code, a built-in region such as EU or WORLD, or a region "
                        "under territories:)");
    lic_diags_fini(&d);
}

static void malformed_yaml_is_invalid_and_missing_file_is_eio(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = (lic_agreement *)1;
    static const char bad[] = "licet: 1\nid: [unclosed\n";
    assert_int_equal(lic_agreement_load_mem("bad.yaml", bad, strlen(bad), &d, &a), LIC_EINVALID);
    assert_null(a);
    assert_true(d.nerrors >= 1);
    lic_diags_fini(&d);

    lic_diags_init(&d);
    a = (lic_agreement *)1;
    assert_int_equal(lic_agreement_load("examples/no-such-file.yaml", &d, &a), LIC_EIO);
    assert_null(a);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(diag_line(&d, 0), "examples/no-such-file.yaml: cannot read the file");
    lic_diags_fini(&d);
}

/* ---- lic_check_portfolio ------------------------------------------------- */

static const char port_a[] =
    "licet: 1\n"
    "id: A-1\n"
    "effective: 2025-01-15\n"
    "currency: USD\n"
    "parties: { licensor: { id: lab }, licensee: { id: alpha } }\n"
    "grants:\n"
    "  - { id: GA, territories: [US, CA], exclusivity: exclusive, until: 2025-12-31 }\n";

static lic_agreement *port_load(const char *name, const char *text)
{
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = load_mem_ok(name, text, &d);
    lic_diags_fini(&d);
    return a;
}

static void portfolio_overlapping_exclusive_grants_of_one_licensor_conflict(void **state)
{
    (void)state;
    static const char b[] =
        "licet: 1\n"
        "id: B-1\n"
        "effective: 2025-06-01\n"
        "currency: USD\n"
        "parties: { licensor: { id: lab }, licensee: { id: beta } }\n"
        "grants:\n"
        "  - { id: GX, territories: [JP], exclusivity: exclusive }\n"
        "  - { id: GB, territories: [US, MX], exclusivity: exclusive }\n";
    lic_agreement *as[3] = {port_load("a.yaml", port_a), NULL, port_load("b.yaml", b)};
    lic_diags d;
    lic_diags_init(&d);
    assert_int_equal(lic_check_portfolio(as, 3, &d), LIC_OK);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "conflict");
    assert_string_equal(diag_line(&d, 0),
                        "b.yaml:8:5: grants[1]: exclusive grant GB of B-1 overlaps exclusive "
                        "grant GA of A-1 (a.yaml:7) for licensor lab: fields all fields; countries US; "
                        "from 2025-06-01 to 2025-12-31");
    lic_diags_fini(&d);
    lic_agreement_free(as[0]);
    lic_agreement_free(as[2]);
}

static void portfolio_grants_of_different_licensors_never_conflict(void **state)
{
    (void)state;
    static const char b[] =
        "licet: 1\n"
        "id: B-2\n"
        "effective: 2025-06-01\n"
        "currency: USD\n"
        "parties: { licensor: { id: other-lab }, licensee: { id: beta } }\n"
        "grants: [{ id: GB, territories: [US], exclusivity: exclusive }]\n";
    lic_agreement *as[2] = {port_load("a.yaml", port_a), port_load("b.yaml", b)};
    lic_diags d;
    lic_diags_init(&d);
    assert_int_equal(lic_check_portfolio(as, 2, &d), LIC_OK);
    assert_int_equal(d.n, 0);
    lic_diags_fini(&d);
    lic_agreement_free(as[0]);
    lic_agreement_free(as[1]);
}

static void portfolio_grants_that_do_not_overlap_in_time_never_conflict(void **state)
{
    (void)state;
    static const char b[] =
        "licet: 1\n"
        "id: B-3\n"
        "effective: 2025-06-01\n"
        "currency: USD\n"
        "parties: { licensor: { id: lab }, licensee: { id: beta } }\n"
        "grants: [{ id: GB, territories: [US], exclusivity: exclusive, from: 2026-01-01 }]\n";
    lic_agreement *as[2] = {port_load("a.yaml", port_a), port_load("b.yaml", b)};
    lic_diags d;
    lic_diags_init(&d);
    assert_int_equal(lic_check_portfolio(as, 2, &d), LIC_OK);
    assert_int_equal(d.n, 0);
    lic_diags_fini(&d);
    lic_agreement_free(as[0]);
    lic_agreement_free(as[1]);
}

/* ---- allocation-failure sweep -------------------------------------------- */

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* Fails the n-th allocation for n = 0, 1, 2, ... until a load succeeds.
 * Every failed load must be LIC_ENOMEM with *out NULL. */
static void sweep(const char *name, const char *text, size_t len, size_t want_ms)
{
    long n;
    for (n = 0; n < 100000; n++) {
        lic_diags d;
        lic_diags_init(&d);
        lic_agreement *a = (lic_agreement *)1;
        lic__alloc_fail_after(n);
        lic_err rc = lic_agreement_load_mem(name, text, len, &d, &a);
        lic__alloc_fail_after(-1);
        if (rc != LIC_OK && rc != LIC_ENOMEM)
            fail_msg("allocation %ld failing gave %s (%d)", n, lic_strerror(rc), (int)rc);
        if (rc == LIC_OK) {
            assert_non_null(a);
            assert_int_equal(d.nerrors, 0);
            assert_int_equal(a->nmilestones, want_ms);
            lic_agreement_free(a);
            lic_diags_fini(&d);
            break;
        }
        assert_null(a);
        lic_diags_fini(&d);
    }
    assert_true(n > 0); /* at least one allocation was exercised */
    assert_true(n < 100000);
}

static void every_allocation_failure_in_loading_unix_beta_is_enomem(void **state)
{
    (void)state;
    size_t len;
    char *text = read_text(UNIX_BETA, &len);
    sweep(UNIX_BETA, text, len, 13);
    free(text);
}

static void every_allocation_failure_in_loading_startup_is_enomem(void **state)
{
    (void)state;
    size_t len;
    char *text = read_text(STARTUP, &len);
    sweep(STARTUP, text, len, 6);
    free(text);
}

static void every_allocation_failure_in_loading_a_small_agreement_is_enomem(void **state)
{
    (void)state;
    sweep("min.yaml", minimal, strlen(minimal), 1);
}

/* An input with three errors: while memory lasts the result is LIC_ENOMEM
 * (a dropped diagnostic is out of memory, never a shorter LIC_EINVALID),
 * and LIC_EINVALID comes only with every diagnostic present. */
static void allocation_failures_never_drop_diagnostics_silently(void **state)
{
    (void)state;
    static const char text[] =
        HEAD
        "grants: [{ id: G1, territories: [XX], exclusivity: exclusve }]\n"
        "milestones:\n"
        "  - { id: M1, kind: development, due: { after: M9, months: 1 } }\n";
    long n;
    for (n = 0; n < 100000; n++) {
        lic_diags d;
        lic_diags_init(&d);
        lic_agreement *a = (lic_agreement *)1;
        lic__alloc_fail_after(n);
        lic_err rc = lic_agreement_load_mem("t.yaml", text, strlen(text), &d, &a);
        lic__alloc_fail_after(-1);
        assert_null(a);
        if (rc != LIC_ENOMEM && rc != LIC_EINVALID)
            fail_msg("allocation %ld failing gave %s (%d)", n, lic_strerror(rc), (int)rc);
        if (rc == LIC_EINVALID) {
            assert_int_equal(d.nerrors, 3);
            assert_string_equal(diag_line(&d, 0),
                                "t.yaml:6:34: grants[0].territories[0]: unknown territory \"XX\" "
                                "(expected an ISO 3166-1 alpha-2 code, a built-in region such as EU "
                                "or WORLD, or a region under territories:)");
            assert_string_equal(diag_line(&d, 1),
                                "t.yaml:6:52: grants[0].exclusivity: expected one of exclusive, sole, "
                                "co_exclusive, non_exclusive, got \"exclusve\"");
            assert_string_equal(diag_line(&d, 2),
                                "t.yaml:8:48: milestones[0].due.after: unknown anchor \"M9\" "
                                "(known: effective, first_commercial_sale, M1)");
            lic_diags_fini(&d);
            break;
        }
        lic_diags_fini(&d);
    }
    assert_true(n > 0);
    assert_true(n < 100000);
}

static void every_allocation_failure_in_loading_from_a_file_is_enomem(void **state)
{
    (void)state;
    long n;
    for (n = 0; n < 100000; n++) {
        lic_diags d;
        lic_diags_init(&d);
        lic_agreement *a = (lic_agreement *)1;
        lic__alloc_fail_after(n);
        lic_err rc = lic_agreement_load(STARTUP, &d, &a);
        lic__alloc_fail_after(-1);
        if (rc != LIC_OK && rc != LIC_ENOMEM)
            fail_msg("allocation %ld failing gave %s (%d)", n, lic_strerror(rc), (int)rc);
        if (rc == LIC_OK) {
            assert_int_equal(a->nmissing, 3);
            lic_agreement_free(a);
            lic_diags_fini(&d);
            break;
        }
        assert_null(a);
        lic_diags_fini(&d);
    }
    assert_true(n > 0);
    assert_true(n < 100000);
}

static void every_allocation_failure_in_the_portfolio_check_is_enomem(void **state)
{
    (void)state;
    static const char b[] =
        "licet: 1\n"
        "id: B-1\n"
        "effective: 2025-06-01\n"
        "currency: USD\n"
        "parties: { licensor: { id: lab }, licensee: { id: beta } }\n"
        "grants: [{ id: GB, territories: [US], exclusivity: exclusive }]\n";
    lic_agreement *as[2] = {port_load("a.yaml", port_a), port_load("b.yaml", b)};
    long n;
    for (n = 0; n < 1000; n++) {
        lic_diags d;
        lic_diags_init(&d);
        lic__alloc_fail_after(n);
        lic_err rc = lic_check_portfolio(as, 2, &d);
        lic__alloc_fail_after(-1);
        if (rc == LIC_OK) {
            assert_int_equal(d.nerrors, 1);
            lic_diags_fini(&d);
            break;
        }
        assert_int_equal(rc, LIC_ENOMEM);
        assert_int_equal(d.n, 0);
        lic_diags_fini(&d);
    }
    assert_true(n > 0);
    assert_true(n < 1000);
    lic_agreement_free(as[0]);
    lic_agreement_free(as[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unix_beta_loads_with_no_errors_and_no_missing_terms),
        cmocka_unit_test(unix_beta_header_values_are_exact),
        cmocka_unit_test(unix_beta_grant_g1_is_exclusive_in_us_ca_eu_gb_ch),
        cmocka_unit_test(unix_beta_m1_is_due_18_months_after_effective_on_2026_07_15),
        cmocka_unit_test(unix_beta_m1_payment_and_extensions_are_in_minor_units),
        cmocka_unit_test(unix_beta_milestone_anchors_resolve_only_when_assuming_on_time),
        cmocka_unit_test(unix_beta_fixed_dates_and_event_anchors_resolve_as_documented),
        cmocka_unit_test(unix_beta_sales_milestones_read_thresholds_and_comparison),
        cmocka_unit_test(unix_beta_royalty_bands_are_exact_rates_in_1e12_units),
        cmocka_unit_test(unix_beta_option_windows_rest_on_milestones),
        cmocka_unit_test(startup_records_three_missing_terms_with_paths_and_states),
        cmocka_unit_test(startup_deadline_on_a_redacted_deadline_is_indeterminate),
        cmocka_unit_test(startup_term_ends_at_the_last_patent_expiry),
        cmocka_unit_test(absent_keys_take_the_documented_defaults),
        cmocka_unit_test(agreement_without_fields_section_gets_an_empty_field_tree),
        cmocka_unit_test(json_document_loads_like_yaml),
        cmocka_unit_test(unknown_key_is_an_error_with_a_did_you_mean_hint),
        cmocka_unit_test(unknown_top_level_key_far_from_any_has_no_hint),
        cmocka_unit_test(unknown_anchor_lists_the_known_anchors),
        cmocka_unit_test(invalid_utf8_is_placed_by_line_and_character),
        cmocka_unit_test(milestones_anchored_on_each_other_are_a_cycle_error),
        cmocka_unit_test(milestone_anchored_on_itself_is_an_error),
        cmocka_unit_test(bad_currency_and_wrong_decimals_report_each_error),
        cmocka_unit_test(several_errors_are_all_reported_and_nothing_is_returned),
        cmocka_unit_test(malformed_yaml_is_invalid_and_missing_file_is_eio),
        cmocka_unit_test(portfolio_overlapping_exclusive_grants_of_one_licensor_conflict),
        cmocka_unit_test(portfolio_grants_of_different_licensors_never_conflict),
        cmocka_unit_test(portfolio_grants_that_do_not_overlap_in_time_never_conflict),
        cmocka_unit_test(every_allocation_failure_in_loading_unix_beta_is_enomem),
        cmocka_unit_test(every_allocation_failure_in_loading_startup_is_enomem),
        cmocka_unit_test(every_allocation_failure_in_loading_a_small_agreement_is_enomem),
        cmocka_unit_test(allocation_failures_never_drop_diagnostics_silently),
        cmocka_unit_test(every_allocation_failure_in_loading_from_a_file_is_enomem),
        cmocka_unit_test(every_allocation_failure_in_the_portfolio_check_is_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
