/*
 * events_fixture.h - what the events loader's two test files share: the
 * inline agreements, the per-test fixture and the assertion helpers, and
 * ALL_TYPES (one event of every type).  Functions are static inline and
 * data marked unused so that each file may use only some of them.
 */
#ifndef LIC_TEST_EVENTS_FIXTURE_H
#define LIC_TEST_EVENTS_FIXTURE_H
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "alloc.h"
#include "licet/events.h"
#include "yaml.h"

#define UNIX_BETA "examples/unix-beta-exclusive.yaml"
#define YMD(y, m, d) lic_date_from_ymd((y), (m), (d))

/* USD, two leaf fields, two patents, M1 with an extensions rule, M2
 * without, option O1.  Parties lab (licensor) and co (licensee). */
static const char AGR[] __attribute__((unused)) =
    "licet: 1\n"
    "id: EV-1\n"
    "effective: 2025-01-15\n"
    "currency: USD\n"
    "parties:\n"
    "  licensor: { id: lab, name: Lab }\n"
    "  licensee: { id: co, name: Co }\n"
    "fields:\n"
    "  therapeutics: [oncology, rare-disease]\n"
    "technology:\n"
    "  patents:\n"
    "    - { id: US-1, countries: [US], expires: 2038-05-01 }\n"
    "    - { id: EP-2, countries: [DE, FR], expires: 2039-02-11 }\n"
    "grants:\n"
    "  - { id: G1, territories: [US, EU], exclusivity: exclusive, sublicensable: true }\n"
    "milestones:\n"
    "  - id: M1\n"
    "    kind: regulatory\n"
    "    due: { after: effective, months: 18 }\n"
    "    payment: { amount: \"250000\", due: { days: 30 } }\n"
    "    extensions: { max: 2, each: { months: 6 }, fee: \"50000\" }\n"
    "  - { id: M2, kind: development, due: { after: M1, months: 12 } }\n"
    "options:\n"
    "  - id: O1\n"
    "    grant: { fields: [therapeutics/oncology], territories: [JP], exclusivity: exclusive }\n"
    "    window: { from: { after: M1, days: 0 }, until: { after: M1, days: 180 } }\n"
    "    fee: \"500000\"\n";

/* JPY (no minor digits) and a single leaf field. */
static const char AGR_JPY[] __attribute__((unused)) =
    "licet: 1\n"
    "id: EV-2\n"
    "effective: 2025-01-15\n"
    "currency: JPY\n"
    "parties:\n"
    "  licensor: { id: lab, name: Lab }\n"
    "  licensee: { id: co, name: Co }\n"
    "fields:\n"
    "  diagnostics: [companion]\n"
    "grants:\n"
    "  - { id: G1, territories: [JP], exclusivity: exclusive }\n";

/* ---- fixture ------------------------------------------------------------ */

static lic_agreement *agr, *agr_jpy;
static lic_diags D;      /* the current test's diagnostics */
static lic_events *EV;   /* the current test's events (freed in teardown) */

static inline lic_agreement *load_agreement(const char *name, const char *text)
{
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = NULL;
    lic_err rc = lic_agreement_load_mem(name, text, strlen(text), &d, &a);
    for (size_t i = 0; rc && i < d.n; i++) {
        char buf[512];
        lic_diag_format(&d.v[i], buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
    lic_diags_fini(&d);
    return rc ? NULL : a;
}

static int group_setup(void **state)
{
    (void)state;
    agr = load_agreement("agr.yaml", AGR);
    agr_jpy = load_agreement("jpy.yaml", AGR_JPY);
    return agr && agr_jpy ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    lic_agreement_free(agr);
    lic_agreement_free(agr_jpy);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    lic_diags_init(&D);
    EV = NULL;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lic_events_free(EV);
    EV = NULL;
    lic_diags_fini(&D);
    return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static inline const char *diag_line(size_t i)
{
    static char buf[1024];
    assert_true(i < D.n);
    lic_diag_format(&D.v[i], buf, sizeof buf);
    return buf;
}

static inline void print_diags(void)
{
    for (size_t i = 0; i < D.n; i++)
        fprintf(stderr, "  diag: %s\n", diag_line(i));
}

/* Loads `text` into EV with fresh diagnostics in D. */
static inline lic_err load_as(const lic_agreement *a, const char *name, const char *text)
{
    lic_diags_fini(&D);
    lic_diags_init(&D);
    lic_events_free(EV);
    EV = (lic_events *)1; /* must be set (or reset to NULL) by the loader */
    return lic_events_load_mem(name, text, strlen(text), a, &D, &EV);
}

/* Loads `text` against `a`; it must load with no diagnostic at all. */
static inline const lic_events *load_ok_as(const lic_agreement *a, const char *name, const char *text)
{
    lic_err rc = load_as(a, name, text);
    if (rc != LIC_OK || D.n != 0)
        print_diags();
    assert_int_equal(rc, LIC_OK);
    assert_non_null(EV);
    assert_int_equal(D.n, 0);
    assert_int_equal(EV->nrejected, 0);
    return EV;
}

static inline const lic_events *load_ok(const char *text)
{
    return load_ok_as(agr, "ev.yaml", text);
}

/* Loads `text`, which must hold exactly n events, all accepted. */
static inline const lic_event *load_n(const char *text, size_t n)
{
    const lic_events *ev = load_ok(text);
    assert_int_equal(ev->n, n);
    return ev->v;
}

/* Loads `text` against `a`: the load succeeds, exactly one event is
 * rejected, and the only diagnostic is the error `want`. */
static inline void expect_rejected_as(const lic_agreement *a, const char *name, const char *text,
                               const char *want)
{
    lic_err rc = load_as(a, name, text);
    if (D.n != 1)
        print_diags();
    assert_int_equal(rc, LIC_OK);
    assert_non_null(EV);
    assert_int_equal(D.n, 1);
    assert_int_equal(D.nerrors, 1);
    assert_int_equal(EV->nrejected, 1);
    assert_string_equal(diag_line(0), want);
}

static inline void expect_rejected(const char *text, const char *want)
{
    expect_rejected_as(agr, "ev.yaml", text, want);
}

static inline int country(const char *cc)
{
    return lic_country_index(cc, strlen(cc));
}

static inline int field(const lic_agreement *a, const char *path)
{
    int f = lic_fieldtree_find(a->fields, path, strlen(path));
    assert_true(f >= 0);
    return f;
}

static inline void assert_period(lic_period p, lic_period_kind kind, int year, int index)
{
    assert_int_equal(p.kind, kind);
    assert_int_equal(p.year, year);
    assert_int_equal(p.index, index);
}


static const char ALL_TYPES[] __attribute__((unused)) =
    "- { date: 2026-06-30, type: milestone_achieved, milestone: M1 }\n"
    "- { date: 2026-07-10, type: milestone_accepted, milestone: M1 }\n"
    "- { date: 2026-07-11, type: milestone_rejected, milestone: M2, reason: x }\n"
    "- { date: 2026-07-01, type: extension, milestone: M1, by: { months: 6 } }\n"
    "- { date: 2026-08-01, type: waiver, ref: M2 }\n"
    "- { date: 2026-09-01, type: force_majeure, party: licensee, from: 2026-08-20 }\n"
    "- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q2,"
    " lines: [{ country: US, field: therapeutics/oncology, gross_sales: \"10\" }] }\n"
    "- { date: 2026-02-10, type: payment, amount: \"250000\", currency: USD }\n"
    "- { date: 2026-07-01, type: fx, from: EUR, to: USD, rate: \"1.08\", period: 2026-Q2 }\n"
    "- { date: 2026-03-01, type: notice, kind: breach, ref: M1, by: licensor }\n"
    "- { date: 2026-03-05, type: cure_started, ref: \"breach:M1\" }\n"
    "- { date: 2026-01-02, type: rate, name: prime, rate: \"7.5%\" }\n"
    "- { date: 2026-04-01, type: liquidity_event, consideration: \"1000\", currency: USD }\n"
    "- { date: 2026-04-02, type: assignment, consideration: \"1000\", currency: USD }\n"
    "- { date: 2026-03-06, type: cure, ref: \"breach:M1\" }\n"
    "- { date: 2027-08-01, type: exercise, option: O1 }\n"
    "- { id: SUB-1, date: 2026-05-01, type: sublicense, sublicensee: Gamma }\n"
    "- { date: 2026-06-01, type: sublicense_income, sublicense: SUB-1, kind: upfront,"
    " amount: \"10\", currency: USD }\n"
    "- { date: 2030-01-01, type: patent_status, patent: US-1, status: expired }\n"
    "- { date: 2026-10-01, type: amendment, set: { milestones.M2.due: 2027-12-31 } }\n"
    "- { date: 2027-03-01, type: audit, periods: [2026-Q1],"
    " findings: [{ country: US, field: therapeutics/oncology, gross_sales: \"1\" }] }\n"
    "- { date: 2027-01-01, type: change_of_control, party: licensee, acquirer: Big }\n"
    "- { date: 2028-01-01, type: termination, by: co, reason: convenience }\n"
    "- { date: 2025-07-15, type: committee_meeting }\n"
    "- { date: 2026-03-07, type: delivered, ref: KH1 }\n"
    "- { id: IMP-1, date: 2026-11-01, type: improvement, owner: co, title: T }\n";


#endif
