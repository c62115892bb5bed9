/*
 * test_events.c - unit tests for events.h: lic_events_load_mem() against
 * a small agreement (FORMAT 3).
 *
 * - Every event type loads with the exact values of its members: dates
 *   (lic_date_from_ymd), amounts in minor units of their currency, rates
 *   in 1e-12 units, periods, parties, scopes and report lines.
 * - The same events as a YAML list and as JSON Lines; default ids
 *   "<date>.<n>"; `recorded` defaulting to `date`.
 * - Rejections: each rejected event is exactly one error diagnostic,
 *   checked as the formatted line, and the other events still load.
 * - Allocation-failure sweeps: every failure is LIC_ENOMEM with *out
 *   NULL, and nothing leaks (ASan's leak checker under SAN=1).
 *
 * The agreements are inline (AGR below, modelled on
 * examples/unix-beta-exclusive.yaml); one test loads the example itself,
 * by its path relative to the repository root, where the suite runs.
 */
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
static const char AGR[] =
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
static const char AGR_JPY[] =
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

static lic_agreement *load_agreement(const char *name, const char *text)
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

static const char *diag_line(size_t i)
{
    static char buf[1024];
    assert_true(i < D.n);
    lic_diag_format(&D.v[i], buf, sizeof buf);
    return buf;
}

static void print_diags(void)
{
    for (size_t i = 0; i < D.n; i++)
        fprintf(stderr, "  diag: %s\n", diag_line(i));
}

/* Loads `text` into EV with fresh diagnostics in D. */
static lic_err load_as(const lic_agreement *a, const char *name, const char *text)
{
    lic_diags_fini(&D);
    lic_diags_init(&D);
    lic_events_free(EV);
    EV = (lic_events *)1; /* must be set (or reset to NULL) by the loader */
    return lic_events_load_mem(name, text, strlen(text), a, &D, &EV);
}

/* Loads `text` against `a`; it must load with no diagnostic at all. */
static const lic_events *load_ok_as(const lic_agreement *a, const char *name, const char *text)
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

static const lic_events *load_ok(const char *text)
{
    return load_ok_as(agr, "ev.yaml", text);
}

/* Loads `text`, which must hold exactly n events, all accepted. */
static const lic_event *load_n(const char *text, size_t n)
{
    const lic_events *ev = load_ok(text);
    assert_int_equal(ev->n, n);
    return ev->v;
}

/* Loads `text` against `a`: the load succeeds, exactly one event is
 * rejected, and the only diagnostic is the error `want`. */
static void expect_rejected_as(const lic_agreement *a, const char *name, const char *text,
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

static void expect_rejected(const char *text, const char *want)
{
    expect_rejected_as(agr, "ev.yaml", text, want);
}

static int country(const char *cc)
{
    return lic_country_index(cc, strlen(cc));
}

static int field(const lic_agreement *a, const char *path)
{
    int f = lic_fieldtree_find(a->fields, path, strlen(path));
    assert_true(f >= 0);
    return f;
}

static void assert_period(lic_period p, lic_period_kind kind, int year, int index)
{
    assert_int_equal(p.kind, kind);
    assert_int_equal(p.year, year);
    assert_int_equal(p.index, index);
}

/* ---- every type of FORMAT 3 ---------------------------------------------- */

static void milestone_achieved_keeps_milestone_evidence_and_defaults(void **state)
{
    (void)state;
    const lic_event *e = load_n("- date: 2026-06-30\n"
                                "  type: milestone_achieved\n"
                                "  milestone: M1\n"
                                "  evidence: IND acceptance letter\n",
                                1);
    assert_int_equal(e->type, LIC_EV_MILESTONE_ACHIEVED);
    assert_int_equal(e->date, YMD(2026, 6, 30));
    assert_int_equal(e->recorded, YMD(2026, 6, 30));
    assert_string_equal(e->id, "2026-06-30.1");
    assert_false(e->id_given);
    assert_null(e->note);
    assert_int_equal(e->seq, 0);
    assert_int_equal(e->pos.line, 1);
    assert_int_equal(e->pos.col, 3);
    assert_string_equal(e->ref, "M1");
    assert_string_equal(e->text, "IND acceptance letter");
    assert_string_equal(EV->file, "ev.yaml");
}

static void milestone_accepted_and_rejected_keep_an_optional_reason(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2026-07-10, type: milestone_accepted, milestone: M1, reason: Meets spec }\n"
        "- { date: 2026-07-11, type: milestone_rejected, milestone: M2 }\n",
        2);
    assert_int_equal(v[0].type, LIC_EV_MILESTONE_ACCEPTED);
    assert_string_equal(v[0].ref, "M1");
    assert_string_equal(v[0].text, "Meets spec");
    assert_int_equal(v[1].type, LIC_EV_MILESTONE_REJECTED);
    assert_int_equal(v[1].date, YMD(2026, 7, 11));
    assert_string_equal(v[1].ref, "M2");
    assert_null(v[1].text);
}

static void extension_reads_by_as_a_duration_or_to_as_a_date(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2026-07-01, type: extension, milestone: M1, by: { months: 6, days: 5 } }\n"
        "- { date: 2026-07-02, type: extension, milestone: M1, to: 2027-03-31 }\n"
        "- { date: 2026-07-03, type: extension, milestone: M1 }\n",
        3);
    assert_int_equal(v[0].type, LIC_EV_EXTENSION);
    assert_string_equal(v[0].ref, "M1");
    assert_true(v[0].has_by);
    assert_int_equal(v[0].by_dur.months, 6);
    assert_int_equal(v[0].by_dur.days, 5);
    assert_int_equal(v[0].by_dur.years, 0);
    assert_int_equal(v[0].by_dur.business_days, 0);
    assert_int_equal(v[0].to_date, LIC_DATE_NONE);
    assert_false(v[1].has_by);
    assert_int_equal(v[1].to_date, YMD(2027, 3, 31));
    assert_false(v[2].has_by);
    assert_int_equal(v[2].to_date, LIC_DATE_NONE);
}

static void waiver_keeps_ref_and_by_defaults_to_the_licensor(void **state)
{
    (void)state;
    const lic_event *v = load_n("- { date: 2026-08-01, type: waiver, ref: \"breach:M1\" }\n"
                                "- { date: 2026-08-02, type: waiver, ref: INV-3, by: co }\n",
                                2);
    assert_int_equal(v[0].type, LIC_EV_WAIVER);
    assert_string_equal(v[0].ref, "breach:M1");
    assert_int_equal(v[0].party, LIC_PARTY_LICENSOR);
    assert_string_equal(v[1].ref, "INV-3");
    assert_int_equal(v[1].party, LIC_PARTY_LICENSEE);
}

static void force_majeure_reads_party_from_to_and_affects(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2026-09-01, type: force_majeure, party: licensee, from: 2026-08-20,"
        " to: 2026-10-31, affects: [M1, KH1] }\n"
        "- { date: 2026-09-02, type: force_majeure, party: lab, from: 2026-09-02 }\n",
        2);
    assert_int_equal(v[0].type, LIC_EV_FORCE_MAJEURE);
    assert_int_equal(v[0].party, LIC_PARTY_LICENSEE);
    assert_int_equal(v[0].from, YMD(2026, 8, 20));
    assert_int_equal(v[0].to, YMD(2026, 10, 31));
    assert_int_equal(v[0].affects.n, 2);
    assert_string_equal(v[0].affects.v[0], "M1");
    assert_string_equal(v[0].affects.v[1], "KH1");
    /* Still running: no end; the party by its id; affects all. */
    assert_int_equal(v[1].party, LIC_PARTY_LICENSOR);
    assert_int_equal(v[1].from, YMD(2026, 9, 2));
    assert_int_equal(v[1].to, LIC_DATE_NONE);
    assert_int_equal(v[1].affects.n, 0);
}

static void report_lines_are_exact_in_minor_units_with_defaults_from_the_event(void **state)
{
    (void)state;
    const lic_event *e = load_n(
        "- date: 2026-08-14\n"
        "  type: report\n"
        "  kind: royalty\n"
        "  period: 2026-Q2\n"
        "  lines:\n"
        "    - { country: US, field: therapeutics/oncology, product: BX-101, units: 1200,"
        " gross_sales: \"1500000.00\", deductions: \"45000.00\", third_party_royalties: \"1000\" }\n"
        "    - { period: 2026-05, date: 2026-05-20, country: DE, field: therapeutics/rare-disease,"
        " gross_sales: \"1000.5\", currency: EUR }\n"
        "    - { country: JP, field: therapeutics/rare-disease, gross_sales: 3000000, currency: JPY }\n",
        1);
    assert_int_equal(e->type, LIC_EV_REPORT);
    assert_int_equal(e->report_kind, LIC_REPORT_ROYALTY);
    assert_true(e->has_period);
    assert_period(e->period, LIC_PERIOD_QUARTER, 2026, 2);
    assert_null(e->file);
    assert_false(e->no_sales);
    assert_int_equal(e->nlines, 3);

    const lic_sale_line *l = &e->lines[0];
    assert_period(l->period, LIC_PERIOD_QUARTER, 2026, 2); /* the event's */
    assert_int_equal(l->date, LIC_DATE_NONE);
    assert_string_equal(l->product, "BX-101");
    assert_int_equal(l->country, country("US"));
    assert_int_equal(l->field, field(agr, "therapeutics/oncology"));
    assert_int_equal(l->units, 1200);
    assert_int_equal(l->gross, 150000000);
    assert_int_equal(l->deductions, 4500000);
    assert_int_equal(l->third_party_royalties, 100000);
    assert_ptr_equal(l->currency, agr->currency); /* the agreement's */
    assert_int_equal(l->pos.line, 6);
    assert_int_equal(l->pos.col, 7);

    l = &e->lines[1];
    assert_period(l->period, LIC_PERIOD_MONTH, 2026, 5);
    assert_int_equal(l->date, YMD(2026, 5, 20));
    assert_null(l->product);
    assert_int_equal(l->country, country("DE"));
    assert_int_equal(l->field, field(agr, "therapeutics/rare-disease"));
    assert_int_equal(l->units, 0);
    assert_int_equal(l->gross, 100050); /* EUR cents */
    assert_int_equal(l->deductions, 0);
    assert_int_equal(l->third_party_royalties, 0);
    assert_ptr_equal(l->currency, lic_currency_find("EUR"));

    l = &e->lines[2];
    assert_int_equal(l->gross, 3000000); /* JPY has no minor unit */
    assert_ptr_equal(l->currency, lic_currency_find("JPY"));
}

static void report_may_be_progress_no_sales_or_a_csv_file(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2026-01-30, type: report, kind: progress, period: \"2025\" }\n"
        "- { date: 2026-08-14, type: report, kind: royalty, period: 2026-H1, no_sales: true }\n"
        "- { date: 2026-08-15, type: report, kind: royalty, period: 2026-Q2, file: sales/2026-Q2.csv }\n",
        3);
    assert_int_equal(v[0].report_kind, LIC_REPORT_PROGRESS);
    assert_period(v[0].period, LIC_PERIOD_YEAR, 2025, 1);
    assert_int_equal(v[0].nlines, 0);
    assert_null(v[0].lines);
    assert_true(v[1].no_sales);
    assert_period(v[1].period, LIC_PERIOD_HALF, 2026, 1);
    assert_false(v[2].no_sales);
    assert_string_equal(v[2].file, "sales/2026-Q2.csv");
    assert_int_equal(v[2].nlines, 0);
}

static void payment_amount_is_in_minor_units_of_the_agreement_currency(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2026-02-10, type: payment, amount: \"250000.50\", currency: USD, invoice: INV-7 }\n"
        "- { date: 2026-02-11, type: payment, amount: 100, currency: USD }\n",
        2);
    assert_int_equal(v[0].type, LIC_EV_PAYMENT);
    assert_true(v[0].has_amount);
    assert_int_equal(v[0].amount, 25000050);
    assert_ptr_equal(v[0].currency, agr->currency);
    assert_string_equal(v[0].ref, "INV-7");
    assert_int_equal(v[1].amount, 10000);
    assert_null(v[1].ref);
}

static void payment_in_jpy_has_no_minor_digits(void **state)
{
    (void)state;
    const lic_events *ev =
        load_ok_as(agr_jpy, "jpy-ev.yaml",
                   "- { date: 2026-02-10, type: payment, amount: \"1500000\", currency: JPY }\n");
    assert_int_equal(ev->n, 1);
    assert_int_equal(ev->v[0].amount, 1500000);
    assert_ptr_equal(ev->v[0].currency, lic_currency_find("JPY"));
}

static void fx_reads_currencies_exact_rate_and_period_or_day(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2026-07-01, type: fx, from: EUR, to: USD, rate: \"1.0842\", period: 2026-Q2 }\n"
        "- { date: 2026-07-02, type: fx, from: JPY, to: USD, rate: \"0.0067\", on: 2026-06-30 }\n",
        2);
    assert_int_equal(v[0].type, LIC_EV_FX);
    assert_ptr_equal(v[0].fx_from, lic_currency_find("EUR"));
    assert_ptr_equal(v[0].fx_to, lic_currency_find("USD"));
    assert_int_equal(v[0].rate, 1084200000000);
    assert_true(v[0].has_period);
    assert_period(v[0].period, LIC_PERIOD_QUARTER, 2026, 2);
    assert_int_equal(v[0].on, LIC_DATE_NONE);
    assert_ptr_equal(v[1].fx_from, lic_currency_find("JPY"));
    assert_int_equal(v[1].rate, 6700000000);
    assert_false(v[1].has_period);
    assert_int_equal(v[1].on, YMD(2026, 6, 30));
}

static void notice_sent_and_received_default_to_its_date(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2026-03-01, type: notice, kind: breach, ref: M1, by: licensor }\n"
        "- { date: 2026-03-02, type: notice, kind: termination, by: co, sent: 2026-02-27,"
        " received: 2026-03-04 }\n"
        "- { date: 2026-03-03, type: notice, kind: change_of_control, by: licensee }\n"
        "- { date: 2026-03-04, type: notice, kind: renegotiation, by: lab }\n",
        4);
    assert_int_equal(v[0].type, LIC_EV_NOTICE);
    assert_int_equal(v[0].notice_kind, LIC_NOTICE_BREACH);
    assert_string_equal(v[0].ref, "M1");
    assert_int_equal(v[0].party, LIC_PARTY_LICENSOR);
    assert_int_equal(v[0].sent, YMD(2026, 3, 1));
    assert_int_equal(v[0].received, YMD(2026, 3, 1));
    assert_int_equal(v[1].notice_kind, LIC_NOTICE_TERMINATION);
    assert_null(v[1].ref);
    assert_int_equal(v[1].party, LIC_PARTY_LICENSEE);
    assert_int_equal(v[1].sent, YMD(2026, 2, 27));
    assert_int_equal(v[1].received, YMD(2026, 3, 4));
    assert_int_equal(v[2].notice_kind, LIC_NOTICE_CHANGE_OF_CONTROL);
    assert_int_equal(v[3].notice_kind, LIC_NOTICE_RENEGOTIATION);
    assert_int_equal(v[3].party, LIC_PARTY_LICENSOR);
}

static void cure_started_cure_and_delivered_keep_ref(void **state)
{
    (void)state;
    const lic_event *v = load_n("- { date: 2026-03-05, type: cure_started, ref: \"breach:M1\" }\n"
                                "- { date: 2026-03-06, type: cure, ref: \"breach:M1\" }\n"
                                "- { date: 2026-03-07, type: delivered, ref: KH1 }\n",
                                3);
    assert_int_equal(v[0].type, LIC_EV_CURE_STARTED);
    assert_string_equal(v[0].ref, "breach:M1");
    assert_int_equal(v[1].type, LIC_EV_CURE);
    assert_string_equal(v[1].ref, "breach:M1");
    assert_int_equal(v[2].type, LIC_EV_DELIVERED);
    assert_string_equal(v[2].ref, "KH1");
}

static void rate_reads_name_exact_rate_and_on_defaulting_to_date(void **state)
{
    (void)state;
    const lic_event *v = load_n("- { date: 2026-01-02, type: rate, name: prime, rate: \"7.5%\" }\n"
                                "- { date: 2026-01-03, type: rate, name: sofr, rate: \"0.0431\","
                                " on: 2026-01-01 }\n",
                                2);
    assert_int_equal(v[0].type, LIC_EV_RATE);
    assert_string_equal(v[0].ref, "prime");
    assert_int_equal(v[0].rate, 75000000000);
    assert_int_equal(v[0].on, YMD(2026, 1, 2));
    assert_string_equal(v[1].ref, "sofr");
    assert_int_equal(v[1].rate, 43100000000);
    assert_int_equal(v[1].on, YMD(2026, 1, 1));
}

static void liquidity_event_and_assignment_read_consideration_in_its_own_currency(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2026-04-01, type: liquidity_event, consideration: \"120000000\", currency: USD }\n"
        "- { date: 2026-04-02, type: assignment, consideration: \"5000000\", currency: JPY }\n",
        2);
    assert_int_equal(v[0].type, LIC_EV_LIQUIDITY_EVENT);
    assert_true(v[0].has_amount);
    assert_int_equal(v[0].amount, 12000000000);
    assert_ptr_equal(v[0].currency, lic_currency_find("USD"));
    assert_int_equal(v[1].type, LIC_EV_ASSIGNMENT);
    assert_int_equal(v[1].amount, 5000000);
    assert_ptr_equal(v[1].currency, lic_currency_find("JPY"));
}

static void exercise_names_an_option_or_a_right_and_by_defaults_to_either(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2027-08-01, type: exercise, option: O1 }\n"
        "- { date: 2027-08-02, type: exercise, right: \"terminate:M1\", by: licensor }\n",
        2);
    assert_int_equal(v[0].type, LIC_EV_EXERCISE);
    assert_string_equal(v[0].option, "O1");
    assert_null(v[0].ref);
    assert_int_equal(v[0].party, LIC_PARTY_EITHER);
    assert_null(v[1].option);
    assert_string_equal(v[1].ref, "terminate:M1");
    assert_int_equal(v[1].party, LIC_PARTY_LICENSOR);
}

static void sublicense_reads_sublicensee_and_its_scope(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { id: SUB-1, date: 2026-05-01, type: sublicense, sublicensee: Gamma Bio,"
        " territories: [US, CA], fields: [therapeutics/oncology] }\n"
        "- { id: SUB-2, date: 2026-05-02, type: sublicense, sublicensee: Delta }\n",
        2);
    assert_int_equal(v[0].type, LIC_EV_SUBLICENSE);
    assert_string_equal(v[0].id, "SUB-1");
    assert_true(v[0].id_given);
    assert_string_equal(v[0].text, "Gamma Bio");
    assert_true(v[0].scope.has_territories);
    assert_int_equal(lic_tset_count(&v[0].scope.territories), 2);
    assert_true(lic_tset_has(&v[0].scope.territories, country("US")));
    assert_true(lic_tset_has(&v[0].scope.territories, country("CA")));
    assert_int_equal(v[0].scope.territory_names.n, 2);
    assert_true(v[0].scope.has_fields);
    assert_true(lic_fset_has(&v[0].scope.fields, field(agr, "therapeutics/oncology")));
    assert_false(lic_fset_has(&v[0].scope.fields, field(agr, "therapeutics/rare-disease")));
    assert_string_equal(v[0].scope.field_names.v[0], "therapeutics/oncology");
    assert_false(v[1].scope.has_territories);
    assert_false(v[1].scope.has_fields);
}

static void sublicense_income_reads_kind_bit_amount_and_currency(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { id: SUB-1, date: 2026-05-01, type: sublicense, sublicensee: Gamma Bio }\n"
        "- { date: 2026-06-01, type: sublicense_income, sublicense: SUB-1, kind: upfront,"
        " amount: \"1000000\", currency: USD }\n"
        "- { date: 2026-06-02, type: sublicense_income, sublicense: SUB-1, kind: equity,"
        " amount: \"300000.25\", currency: EUR }\n"
        "- { date: 2026-06-03, type: sublicense_income, sublicense: SUB-1, kind: milestone,"
        " amount: \"1\", currency: USD }\n"
        "- { date: 2026-06-04, type: sublicense_income, sublicense: SUB-1, kind: royalty,"
        " amount: \"1\", currency: USD }\n"
        "- { date: 2026-06-05, type: sublicense_income, sublicense: SUB-1, kind: other,"
        " amount: \"1\", currency: USD }\n",
        6);
    assert_int_equal(v[1].type, LIC_EV_SUBLICENSE_INCOME);
    assert_string_equal(v[1].ref, "SUB-1");
    assert_int_equal(v[1].income_kind, LIC_SUBINC_UPFRONT);
    assert_true(v[1].has_amount);
    assert_int_equal(v[1].amount, 100000000);
    assert_ptr_equal(v[1].currency, lic_currency_find("USD"));
    assert_int_equal(v[2].income_kind, LIC_SUBINC_EQUITY);
    assert_int_equal(v[2].amount, 30000025);
    assert_ptr_equal(v[2].currency, lic_currency_find("EUR"));
    assert_int_equal(v[3].income_kind, LIC_SUBINC_MILESTONE);
    assert_int_equal(v[4].income_kind, LIC_SUBINC_ROYALTY);
    assert_int_equal(v[5].income_kind, LIC_SUBINC_OTHER);
}

static void sublicense_income_may_come_before_its_sublicense_in_the_file(void **state)
{
    (void)state;
    /* FORMAT 3: order in the file does not matter. */
    const lic_event *v = load_n(
        "- { date: 2026-06-01, type: sublicense_income, sublicense: SUB-1, kind: upfront,"
        " amount: \"10\", currency: USD }\n"
        "- { id: SUB-1, date: 2026-05-01, type: sublicense, sublicensee: Gamma Bio }\n",
        2);
    assert_int_equal(v[0].type, LIC_EV_SUBLICENSE_INCOME);
    assert_int_equal(v[1].type, LIC_EV_SUBLICENSE);
}

static void patent_status_reads_patent_and_status(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2030-01-01, type: patent_status, patent: EP-2, status: invalidated }\n"
        "- { date: 2038-05-01, type: patent_status, patent: US-1, status: expired }\n"
        "- { date: 2031-01-01, type: patent_status, patent: US-1, status: abandoned }\n",
        3);
    assert_int_equal(v[0].type, LIC_EV_PATENT_STATUS);
    assert_string_equal(v[0].ref, "EP-2");
    assert_int_equal(v[0].patent_status, LIC_PATENT_INVALIDATED);
    assert_int_equal(v[1].patent_status, LIC_PATENT_EXPIRED);
    assert_int_equal(v[2].patent_status, LIC_PATENT_ABANDONED);
}

static void amendment_keeps_set_paths_and_values_and_effective_defaults_to_date(void **state)
{
    (void)state;
    const lic_event *v = load_n("- date: 2026-10-01\n"
                                "  type: amendment\n"
                                "  effective: 2026-01-01\n"
                                "  set:\n"
                                "    milestones.M2.due: 2027-12-31\n"
                                "    payments.upfront.amount: \"150000\"\n"
                                "- { date: 2026-10-02, type: amendment, set: { term.ends: 2046-01-14 } }\n",
                                2);
    assert_int_equal(v[0].type, LIC_EV_AMENDMENT);
    assert_int_equal(v[0].effective, YMD(2026, 1, 1));
    assert_int_equal(v[0].nset, 2);
    assert_string_equal(v[0].set[0].path, "milestones.M2.due");
    assert_int_equal(v[0].set[0].pos.line, 5);
    assert_int_equal(v[0].set[0].pos.col, 5);
    const lic_ynode *val = v[0].set[0].value;
    assert_non_null(val);
    assert_int_equal(val->type, LIC_Y_SCALAR);
    assert_string_equal(val->text, "2027-12-31");
    assert_string_equal(v[0].set[1].path, "payments.upfront.amount");
    val = v[0].set[1].value;
    assert_string_equal(val->text, "150000");
    assert_false(val->plain);
    assert_int_equal(v[1].effective, YMD(2026, 10, 2));
    assert_int_equal(v[1].nset, 1);
    assert_string_equal(v[1].set[0].path, "term.ends");
}

static void audit_reads_periods_findings_and_cost(void **state)
{
    (void)state;
    const lic_event *e = load_n(
        "- date: 2027-03-01\n"
        "  type: audit\n"
        "  periods: [2026-Q1, 2026-Q2]\n"
        "  findings:\n"
        "    - { country: US, field: therapeutics/oncology, gross_sales: \"2000000\" }\n"
        "    - { period: 2026-Q2, country: CA, field: therapeutics/oncology, gross_sales: \"500000\" }\n"
        "  cost: \"12500.00\"\n",
        1);
    assert_int_equal(e->type, LIC_EV_AUDIT);
    assert_int_equal(e->nperiods, 2);
    assert_period(e->periods[0], LIC_PERIOD_QUARTER, 2026, 1);
    assert_period(e->periods[1], LIC_PERIOD_QUARTER, 2026, 2);
    assert_int_equal(e->nlines, 2);
    assert_period(e->lines[0].period, LIC_PERIOD_QUARTER, 2026, 1); /* the first period */
    assert_int_equal(e->lines[0].gross, 200000000);
    assert_int_equal(e->lines[0].country, country("US"));
    assert_period(e->lines[1].period, LIC_PERIOD_QUARTER, 2026, 2);
    assert_int_equal(e->lines[1].gross, 50000000);
    assert_true(e->has_amount);
    assert_int_equal(e->amount, 1250000);
}

static void change_of_control_reads_party_and_acquirer(void **state)
{
    (void)state;
    const lic_event *e = load_n(
        "- { date: 2027-01-01, type: change_of_control, party: licensee, acquirer: Big Pharma plc }\n", 1);
    assert_int_equal(e->type, LIC_EV_CHANGE_OF_CONTROL);
    assert_int_equal(e->party, LIC_PARTY_LICENSEE);
    assert_string_equal(e->text, "Big Pharma plc");
}

static void termination_reads_by_reason_right_and_effective(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2028-01-01, type: termination, by: co, reason: convenience, effective: 2028-04-01 }\n"
        "- { date: 2028-01-02, type: termination, by: lab, reason: breach, right: \"terminate:diligence\" }\n"
        "- { date: 2028-01-03, type: termination, by: lab, reason: expiry }\n"
        "- { date: 2028-01-04, type: termination, by: lab, reason: mutual }\n"
        "- { date: 2028-01-05, type: termination, by: lab, reason: change_of_control,"
        " right: \"terminate:change_of_control\" }\n",
        5);
    assert_int_equal(v[0].type, LIC_EV_TERMINATION);
    assert_int_equal(v[0].party, LIC_PARTY_LICENSEE);
    assert_int_equal(v[0].reason, LIC_TERM_CONVENIENCE);
    assert_null(v[0].ref);
    assert_int_equal(v[0].effective, YMD(2028, 4, 1));
    assert_int_equal(v[1].party, LIC_PARTY_LICENSOR);
    assert_int_equal(v[1].reason, LIC_TERM_BREACH);
    assert_string_equal(v[1].ref, "terminate:diligence");
    assert_int_equal(v[1].effective, LIC_DATE_NONE);
    assert_int_equal(v[2].reason, LIC_TERM_EXPIRY);
    assert_int_equal(v[3].reason, LIC_TERM_MUTUAL);
    assert_int_equal(v[4].reason, LIC_TERM_CHANGE_OF_CONTROL);
}

static void committee_meeting_keeps_optional_minutes(void **state)
{
    (void)state;
    const lic_event *v = load_n("- { date: 2025-07-15, type: committee_meeting, minutes: minutes/2025-07.pdf }\n"
                                "- { date: 2026-01-15, type: committee_meeting }\n",
                                2);
    assert_int_equal(v[0].type, LIC_EV_COMMITTEE_MEETING);
    assert_string_equal(v[0].text, "minutes/2025-07.pdf");
    assert_null(v[1].text);
}

static void improvement_reads_id_owner_and_title(void **state)
{
    (void)state;
    const lic_event *e = load_n(
        "- { id: IMP-1, date: 2026-11-01, type: improvement, owner: licensee, title: Faster mixing }\n", 1);
    assert_int_equal(e->type, LIC_EV_IMPROVEMENT);
    assert_string_equal(e->id, "IMP-1");
    assert_true(e->id_given);
    assert_int_equal(e->party, LIC_PARTY_LICENSEE);
    assert_string_equal(e->text, "Faster mixing");
}

/* One event of each of the 26 types, in table order. */
static const char ALL_TYPES[] =
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

static void a_file_with_every_type_loads_each_in_file_order(void **state)
{
    (void)state;
    const lic_event *v = load_n(ALL_TYPES, LIC_EV_COUNT);
    for (int t = 0; t < LIC_EV_COUNT; t++) {
        assert_int_equal(v[t].type, t);
        assert_int_equal(v[t].seq, (size_t)t);
        assert_int_equal(v[t].pos.line, t + 1);
    }
}

static void type_names_are_the_format_names(void **state)
{
    (void)state;
    assert_string_equal(lic_event_type_name(LIC_EV_MILESTONE_ACHIEVED), "milestone_achieved");
    assert_string_equal(lic_event_type_name(LIC_EV_SUBLICENSE_INCOME), "sublicense_income");
    assert_string_equal(lic_event_type_name(LIC_EV_IMPROVEMENT), "improvement");
    assert_string_equal(lic_event_type_name(LIC_EV_COUNT), "?");
    assert_string_equal(lic_event_type_name((lic_event_type)-1), "?");
}

static void events_load_against_the_unix_beta_example(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = NULL;
    assert_int_equal(lic_agreement_load(UNIX_BETA, &d, &a), LIC_OK);
    lic_diags_fini(&d);
    lic_err rc = load_as(a, "beta-events.yaml",
                         "- { date: 2026-06-30, type: milestone_achieved, milestone: M1 }\n"
                         "- { date: 2026-07-01, type: extension, milestone: M1, by: { months: 6 } }\n"
                         "- { date: 2028-01-10, type: exercise, option: O2 }\n"
                         "- { date: 2030-01-01, type: patent_status, patent: JP-7000001, status: abandoned }\n"
                         "- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q2,"
                         " lines: [{ country: JP, field: therapeutics/rare-disease, gross_sales: \"5\" }] }\n"
                         "- { date: 2026-09-01, type: waiver, ref: M2, by: unix }\n"
                         "- { date: 2026-09-02, type: extension, milestone: M2 }\n");
    if (D.n != 1)
        print_diags();
    assert_int_equal(rc, LIC_OK);
    assert_int_equal(EV->n, 6);
    assert_int_equal(EV->nrejected, 1);
    assert_string_equal(diag_line(0), "beta-events.yaml:7:3: events[6]: milestone M2 allows no "
                                      "extensions (it has no extensions: rule)");
    assert_string_equal(EV->v[2].option, "O2");
    assert_string_equal(EV->v[3].ref, "JP-7000001");
    assert_int_equal(EV->v[4].lines[0].field, field(a, "therapeutics/rare-disease"));
    assert_int_equal(EV->v[5].party, LIC_PARTY_LICENSOR);
    /* The events outlive nothing of the agreement but its own strings:
     * free the events first (teardown) and the agreement now is also fine. */
    lic_events_free(EV);
    EV = NULL;
    lic_agreement_free(a);
}

/* ---- what every event has ---------------------------------------------- */

static void default_ids_are_date_and_rank_among_that_dates_events_in_file_order(void **state)
{
    (void)state;
    const lic_event *v = load_n("- { date: 2026-03-01, type: cure, ref: A }\n"
                                "- { date: 2026-03-02, type: cure, ref: B }\n"
                                "- { date: 2026-03-01, type: cure, ref: C, id: X-1 }\n"
                                "- { date: 2026-03-01, type: cure, ref: D }\n"
                                "- { date: 2026-02-28, type: cure, ref: E }\n",
                                5);
    assert_string_equal(v[0].id, "2026-03-01.1");
    assert_false(v[0].id_given);
    assert_string_equal(v[1].id, "2026-03-02.1");
    assert_string_equal(v[2].id, "X-1");
    assert_true(v[2].id_given);
    assert_string_equal(v[3].id, "2026-03-01.3"); /* the given-id event counts */
    assert_string_equal(v[4].id, "2026-02-28.1");
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(v[i].seq, i);
}

static void recorded_defaults_to_date_and_note_is_kept(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2026-03-01, type: cure, ref: A }\n"
        "- { date: 2026-03-01, recorded: 2026-03-09, type: cure, ref: B, note: \"entered late\" }\n",
        2);
    assert_int_equal(v[0].recorded, YMD(2026, 3, 1));
    assert_null(v[0].note);
    assert_int_equal(v[1].date, YMD(2026, 3, 1));
    assert_int_equal(v[1].recorded, YMD(2026, 3, 9));
    assert_string_equal(v[1].note, "entered late");
}

static void sha256_is_of_the_files_bytes(void **state)
{
    (void)state;
    static const char text[] = "- { date: 2026-03-01, type: cure, ref: A }\n";
    unsigned char want[32];
    crypto_hash_sha256(want, (const unsigned char *)text, strlen(text));
    load_n(text, 1);
    assert_memory_equal(EV->sha256, want, 32);
}

static void json_lines_load_like_the_yaml_list(void **state)
{
    (void)state;
    static const char yaml[] =
        "- { date: 2026-06-30, type: milestone_achieved, milestone: M1, evidence: letter }\n"
        "- { date: 2026-02-10, type: payment, amount: \"250000.50\", currency: USD, invoice: INV-1 }\n"
        "- { date: 2026-06-30, type: report, kind: royalty, period: 2026-Q2,"
        " lines: [{ country: US, field: therapeutics/oncology, gross_sales: \"10.00\" }] }\n"
        "- { id: E-9, date: 2026-07-01, type: fx, from: EUR, to: USD, rate: \"1.08\", on: 2026-06-30 }\n";
    static const char jsonl[] =
        "{\"date\": \"2026-06-30\", \"type\": \"milestone_achieved\", \"milestone\": \"M1\", \"evidence\": \"letter\"}\n"
        "{\"date\": \"2026-02-10\", \"type\": \"payment\", \"amount\": \"250000.50\", \"currency\": \"USD\", \"invoice\": \"INV-1\"}\n"
        "\n"
        "{\"date\": \"2026-06-30\", \"type\": \"report\", \"kind\": \"royalty\", \"period\": \"2026-Q2\","
        " \"lines\": [{\"country\": \"US\", \"field\": \"therapeutics/oncology\", \"gross_sales\": \"10.00\"}]}\n"
        "{\"id\": \"E-9\", \"date\": \"2026-07-01\", \"type\": \"fx\", \"from\": \"EUR\", \"to\": \"USD\","
        " \"rate\": \"1.08\", \"on\": \"2026-06-30\"}";
    lic_event a[4];
    memcpy(a, load_n(yaml, 4), sizeof a);
    lic_events *keep = EV;
    EV = NULL;
    const lic_events *ev = load_ok_as(agr, "ev.jsonl", jsonl);
    assert_int_equal(ev->n, 4);
    const lic_event *b = ev->v;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(b[i].type, a[i].type);
        assert_int_equal(b[i].date, a[i].date);
        assert_int_equal(b[i].recorded, a[i].recorded);
        assert_string_equal(b[i].id, a[i].id);
        assert_int_equal(b[i].id_given, a[i].id_given);
        assert_int_equal(b[i].seq, i);
        assert_int_equal(b[i].pos.col, 1);
    }
    /* Positions are the lines of the file, blank lines counted. */
    assert_int_equal(b[0].pos.line, 1);
    assert_int_equal(b[1].pos.line, 2);
    assert_int_equal(b[2].pos.line, 4);
    assert_int_equal(b[3].pos.line, 5);
    assert_string_equal(b[0].id, "2026-06-30.1");
    assert_string_equal(b[0].ref, "M1");
    assert_string_equal(b[0].text, "letter");
    assert_int_equal(b[1].amount, 25000050);
    assert_string_equal(b[1].ref, "INV-1");
    assert_string_equal(b[2].id, "2026-06-30.2");
    assert_int_equal(b[2].nlines, 1);
    assert_int_equal(b[2].lines[0].gross, 1000);
    assert_int_equal(b[2].lines[0].pos.line, 4);
    assert_string_equal(b[3].id, "E-9");
    assert_int_equal(b[3].rate, 1080000000000);
    assert_int_equal(b[3].on, YMD(2026, 6, 30));
    lic_events_free(keep);
}

static void json_lines_allow_comments_blank_lines_and_crlf(void **state)
{
    (void)state;
    const lic_events *ev = load_ok_as(agr, "ev.jsonl",
                                      "# events of EV-1\r\n"
                                      "  \r\n"
                                      "{\"date\": \"2026-03-01\", \"type\": \"cure\", \"ref\": \"A\"}\r\n"
                                      "# a comment between events\r\n"
                                      "\t{\"date\": \"2026-03-01\", \"type\": \"cure\", \"ref\": \"B\"}\r\n");
    assert_int_equal(ev->n, 2);
    assert_int_equal(ev->v[0].pos.line, 3);
    assert_string_equal(ev->v[0].ref, "A");
    assert_string_equal(ev->v[1].id, "2026-03-01.2");
    assert_int_equal(ev->v[1].pos.line, 5);
}

static void a_json_array_is_a_yaml_list(void **state)
{
    (void)state;
    const lic_events *ev = load_ok_as(agr, "ev.json",
                                      "[{\"date\": \"2026-03-01\", \"type\": \"cure\", \"ref\": \"A\"},\n"
                                      " {\"date\": \"2026-03-02\", \"type\": \"cure\", \"ref\": \"B\"}]\n");
    assert_int_equal(ev->n, 2);
    assert_string_equal(ev->v[1].ref, "B");
}

static void empty_and_comment_only_files_hold_no_events(void **state)
{
    (void)state;
    static const char *const texts[] = {"", "\n\n", "# nothing yet\n", "[]\n", "---\n"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        const lic_events *ev = load_ok(texts[i]);
        assert_int_equal(ev->n, 0);
        assert_int_equal(ev->nrejected, 0);
    }
}

static void line_field_defaults_to_the_agreements_only_field(void **state)
{
    (void)state;
    const lic_events *ev = load_ok_as(agr_jpy, "jpy-ev.yaml",
                                      "- { date: 2026-04-30, type: report, kind: royalty, period: 2026-Q1,"
                                      " lines: [{ country: JP, gross_sales: \"1200\" }] }\n");
    assert_int_equal(ev->n, 1);
    assert_int_equal(ev->v[0].lines[0].field, field(agr_jpy, "diagnostics/companion"));
    assert_int_equal(ev->v[0].lines[0].gross, 1200);
    assert_ptr_equal(ev->v[0].lines[0].currency, lic_currency_find("JPY"));
}

/* ---- rejections, with the exact diagnostic ------------------------------- */

static void unknown_milestone_is_rejected_listing_the_known_ones(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-06-30, type: milestone_achieved, milestone: M9 }\n",
                    "ev.yaml:1:60: events[0].milestone: unknown milestone \"M9\" (known: M1, M2)");
    assert_int_equal(EV->n, 0);
}

static void payment_in_another_currency_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-02-10, type: payment, amount: \"100\", currency: EUR }\n",
                    "ev.yaml:1:63: events[0].currency: payment in EUR, but the agreement's "
                    "currency is USD");
}

static void payment_of_zero_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-02-10, type: payment, amount: \"0.00\", currency: USD }\n",
                    "ev.yaml:1:46: events[0].amount: expected an amount above zero, got \"0.00\"");
}

static void payment_without_currency_is_rejected_not_dereferenced(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-02-10, type: payment, amount: \"100\" }\n",
                    "ev.yaml:1:3: events[0]: missing required key \"currency\"");
}

static void consideration_and_income_without_currency_are_rejected(void **state)
{
    (void)state;
    lic_err rc = load_as(agr, "ev.yaml",
                         "- { date: 2026-04-01, type: liquidity_event, consideration: \"1\" }\n"
                         "- { id: S, date: 2026-05-01, type: sublicense, sublicensee: G }\n"
                         "- { date: 2026-06-01, type: sublicense_income, sublicense: S, kind: other, amount: \"1\" }\n");
    assert_int_equal(rc, LIC_OK);
    assert_int_equal(EV->n, 1);
    assert_int_equal(EV->nrejected, 2);
    assert_int_equal(D.n, 2);
    assert_string_equal(diag_line(0), "ev.yaml:1:3: events[0]: missing required key \"currency\"");
    assert_string_equal(diag_line(1), "ev.yaml:3:3: events[2]: missing required key \"currency\"");
}

static void unknown_type_is_rejected_with_the_nearest_type(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-06-30, type: milestone_achived, milestone: M1 }\n",
                    "ev.yaml:1:29: events[0].type: unknown event type \"milestone_achived\" "
                    "(did you mean \"milestone_achieved\"?)");
}

static void unknown_type_near_the_end_of_the_table_is_suggested_too(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-06-30, type: improvment }\n",
                    "ev.yaml:1:29: events[0].type: unknown event type \"improvment\" "
                    "(did you mean \"improvement\"?)");
}

static void unknown_type_far_from_any_is_rejected_with_examples(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-06-30, type: party }\n",
                    "ev.yaml:1:29: events[0].type: unknown event type \"party\" (expected a type "
                    "of FORMAT 3 such as milestone_achieved, report or payment)");
}

static void missing_date_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-03-01, type: cure, ref: A }\n"
                    "- { type: cure, ref: B }\n",
                    "ev.yaml:2:3: events[1]: missing required key \"date\"");
    assert_int_equal(EV->n, 1);
    assert_string_equal(EV->v[0].ref, "A");
}

static void missing_type_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-03-01, ref: A }\n",
                    "ev.yaml:1:3: events[0]: missing required key \"type\"");
}

static void bad_date_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-02-30, type: cure, ref: A }\n",
                    "ev.yaml:1:11: events[0].date: no such day \"2026-02-30\"");
}

static void unknown_key_is_rejected_with_a_did_you_mean_hint(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-06-30, type: milestone_achieved, milestone: M1, evidense: x }\n",
                    "ev.yaml:1:64: events[0]: unknown key \"evidense\" (did you mean \"evidence\"?)");
}

static void a_key_of_another_type_is_unknown(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-06-30, type: milestone_achieved, milestone: M1, reason: x }\n",
                    "ev.yaml:1:64: events[0]: unknown key \"reason\"");
}

static void unknown_option_is_rejected_listing_the_known_ones(void **state)
{
    (void)state;
    expect_rejected("- { date: 2027-08-01, type: exercise, option: O7 }\n",
                    "ev.yaml:1:47: events[0].option: unknown option \"O7\" (known: O1)");
}

static void exercise_names_exactly_one_of_right_and_option(void **state)
{
    (void)state;
    expect_rejected("- { date: 2027-08-01, type: exercise, option: O1, right: \"terminate:M1\" }\n",
                    "ev.yaml:1:3: events[0]: an exercise names either a right (from status "
                    "rights[]) or an option");
}

static void unknown_patent_is_rejected_listing_the_known_ones(void **state)
{
    (void)state;
    expect_rejected("- { date: 2030-01-01, type: patent_status, patent: JP-1, status: expired }\n",
                    "ev.yaml:1:52: events[0].patent: unknown patent \"JP-1\" (known: US-1, EP-2)");
}

static void patent_status_without_patent_is_rejected_not_dereferenced(void **state)
{
    (void)state;
    expect_rejected("- { date: 2030-01-01, type: patent_status, status: expired }\n",
                    "ev.yaml:1:3: events[0]: missing required key \"patent\"");
}

static void sublicense_income_naming_an_unknown_sublicense_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { id: SUB-1, date: 2026-05-01, type: sublicense, sublicensee: Gamma }\n"
                    "- { date: 2026-06-01, type: sublicense_income, sublicense: SUB-2, kind: upfront,"
                    " amount: \"10\", currency: USD }\n",
                    "ev.yaml:2:3: events[1]: unknown sublicense \"SUB-2\" (no sublicense event has "
                    "this id)");
    assert_int_equal(EV->n, 1);
}

static void sublicense_income_naming_another_events_id_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { id: PAY-1, date: 2026-05-01, type: cure, ref: A }\n"
                    "- { date: 2026-06-01, type: sublicense_income, sublicense: PAY-1, kind: upfront,"
                    " amount: \"10\", currency: USD }\n",
                    "ev.yaml:2:3: events[1]: unknown sublicense \"PAY-1\" (no sublicense event has "
                    "this id)");
}

static void sublicense_needs_an_id(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-05-01, type: sublicense, sublicensee: Gamma }\n",
                    "ev.yaml:1:3: events[0]: a sublicense needs an id (used by sublicense_income "
                    "events)");
}

static void duplicate_event_id_rejects_the_later_event(void **state)
{
    (void)state;
    expect_rejected("- { id: P1, date: 2026-02-10, type: payment, amount: \"1\", currency: USD }\n"
                    "- { id: P2, date: 2026-02-10, type: payment, amount: \"2\", currency: USD }\n"
                    "- { id: P1, date: 2026-02-11, type: payment, amount: \"3\", currency: USD }\n",
                    "ev.yaml:3:3: events[2]: duplicate id \"P1\" (first used at line 1)");
    assert_int_equal(EV->n, 2);
    assert_int_equal(EV->v[0].amount, 100);
    assert_int_equal(EV->v[1].amount, 200);
    assert_int_equal(EV->v[1].seq, 1);
}

static void given_id_of_the_default_form_is_rejected(void **state)
{
    (void)state;
    /* It could equal the default id of another event: here the second. */
    expect_rejected("- { id: 2026-03-01.2, date: 2026-03-05, type: cure, ref: A }\n"
                    "- { date: 2026-03-01, type: cure, ref: B }\n"
                    "- { date: 2026-03-01, type: cure, ref: C }\n",
                    "ev.yaml:1:9: events[0].id: \"2026-03-01.2\" has the form of a default id "
                    "(<date>.<n>, given to events without an id); choose another id");
    assert_int_equal(EV->n, 2);
    assert_string_equal(EV->v[1].id, "2026-03-01.2");
    /* Ids that only look a little like dates are fine. */
    const lic_event *v = load_n("- { id: 2026-03-01.2a, date: 2026-03-01, type: cure, ref: A }\n"
                                "- { id: 2026-13-01.2, date: 2026-03-01, type: cure, ref: B }\n"
                                "- { id: 2026-03-01., date: 2026-03-01, type: cure, ref: C }\n",
                                3);
    assert_string_equal(v[0].id, "2026-03-01.2a");
    assert_string_equal(v[1].id, "2026-13-01.2");
    assert_string_equal(v[2].id, "2026-03-01.");
}

static void sublicense_with_a_bad_id_is_rejected_once(void **state)
{
    (void)state;
    expect_rejected("- { id: \"-S\", date: 2026-05-01, type: sublicense, sublicensee: Gamma }\n",
                    "ev.yaml:1:9: events[0].id: expected an id (letters, digits, '.', '_', '-'; "
                    "starting with a letter or digit), got \"-S\"");
}

static void a_third_use_of_an_id_names_the_first(void **state)
{
    (void)state;
    lic_err rc = load_as(agr, "ev.yaml",
                         "- { id: P1, date: 2026-03-01, type: cure, ref: A }\n"
                         "- { id: P1, date: 2026-03-02, type: cure, ref: B }\n"
                         "- { id: P1, date: 2026-03-03, type: cure, ref: C }\n");
    assert_int_equal(rc, LIC_OK);
    assert_int_equal(EV->n, 1);
    assert_int_equal(EV->nrejected, 2);
    assert_int_equal(D.n, 2);
    assert_string_equal(diag_line(0), "ev.yaml:2:3: events[1]: duplicate id \"P1\" (first used at line 1)");
    assert_string_equal(diag_line(1), "ev.yaml:3:3: events[2]: duplicate id \"P1\" (first used at line 1)");
}

static void malformed_json_line_rejects_only_that_line(void **state)
{
    (void)state;
    lic_err rc = load_as(agr, "ev.jsonl",
                         "{\"date\": \"2026-01-01\", \"type\": \"cure\", \"ref\": \"A\"}\n"
                         "{\"date\": \"2026-01-02\", \"type\": \"cure\", \"ref\": \n"
                         "{\"date\": \"2026-01-03\", \"type\": \"cure\", \"ref\": \"C\"}\n");
    if (D.n != 1)
        print_diags();
    assert_int_equal(rc, LIC_OK);
    assert_int_equal(EV->n, 2);
    assert_int_equal(EV->nrejected, 1);
    assert_int_equal(D.nerrors, 1);
    assert_int_equal(D.n, 1);
    assert_int_equal(D.v[0].line, 2);
    assert_string_equal(diag_line(0), "ev.jsonl:2:47: YAML syntax error: did not find expected node content");
    assert_string_equal(EV->v[0].ref, "A");
    assert_string_equal(EV->v[1].ref, "C");
    assert_int_equal(EV->v[1].pos.line, 3);
    assert_string_equal(EV->v[1].id, "2026-01-03.1");
}

static void json_line_that_is_not_an_object_is_rejected(void **state)
{
    (void)state;
    expect_rejected_as(agr, "ev.jsonl",
                       "{\"date\": \"2026-01-01\", \"type\": \"cure\", \"ref\": \"A\"}\n"
                       "[1, 2]\n",
                       "ev.jsonl:2:1: events[1]: expected a mapping, got a list");
    assert_int_equal(EV->n, 1);
}

static void yaml_file_that_is_not_a_list_is_invalid(void **state)
{
    (void)state;
    lic_err rc = load_as(agr, "ev.yaml", "date: 2026-01-01\ntype: cure\nref: A\n");
    assert_int_equal(rc, LIC_EINVALID);
    assert_null(EV);
    assert_int_equal(D.n, 1);
    assert_string_equal(diag_line(0), "ev.yaml:1:1: expected a list of events (- date: ..., type: ...) "
                                      "or JSON Lines, got a mapping");
}

static void yaml_syntax_error_makes_the_file_invalid(void **state)
{
    (void)state;
    lic_err rc = load_as(agr, "ev.yaml", "- { date: 2026-01-01, type: cure\n- x\n");
    assert_int_equal(rc, LIC_EINVALID);
    assert_null(EV);
    assert_int_equal(D.nerrors, 1);
}

static void list_item_that_is_not_a_mapping_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-03-01, type: cure, ref: A }\n- just text\n",
                    "ev.yaml:2:3: events[1]: expected a mapping, got \"just text\"");
    assert_int_equal(EV->n, 1);
}

static void report_line_with_a_bad_country_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q2,"
                    " lines: [{ country: XX, field: therapeutics/oncology, gross_sales: \"1\" }] }\n",
                    "ev.yaml:1:88: events[0].lines[0].country: expected an ISO 3166-1 alpha-2 "
                    "country code like US, got \"XX\"");
}

static void report_line_with_an_unknown_field_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q2,"
                    " lines: [{ country: US, field: therapeutics/cardio, gross_sales: \"1\" }] }\n",
                    "ev.yaml:1:99: events[0].lines[0].field: unknown field \"therapeutics/cardio\" "
                    "(the agreement's fields: tree has no such path)");
}

static void report_line_without_field_is_rejected_when_there_are_several(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q2,"
                    " lines: [{ country: US, gross_sales: \"1\" }] }\n",
                    "ev.yaml:1:77: events[0].lines[0]: missing key \"field\" (the agreement has "
                    "several fields)");
}

static void report_line_with_a_bad_amount_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q2,"
                    " lines: [{ country: US, field: therapeutics/oncology, gross_sales: \"12.345\" }] }\n",
                    "ev.yaml:1:135: events[0].lines[0].gross_sales: expected an amount with at most 2 "
                    "decimals like \"1234.56\", got \"12.345\"");
}

static void report_line_amount_follows_the_lines_currency(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q2,"
                    " lines: [{ country: JP, field: therapeutics/oncology, currency: JPY,"
                    " gross_sales: \"1.5\" }] }\n",
                    "ev.yaml:1:150: events[0].lines[0].gross_sales: expected an amount with at most 0 "
                    "decimals like \"1234.56\", got \"1.5\"");
}

static void report_line_date_outside_its_period_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q2,"
                    " lines: [{ date: 2026-07-01, country: US, field: therapeutics/oncology,"
                    " gross_sales: \"1\" }] }\n",
                    "ev.yaml:1:85: events[0].lines[0].date: 2026-07-01 is outside the line's "
                    "period 2026-Q2");
}

static void report_with_no_sales_and_lines_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q2, no_sales: true,"
                    " lines: [{ country: US, field: therapeutics/oncology, gross_sales: \"1\" }] }\n",
                    "ev.yaml:1:3: events[0]: a report with no_sales: true has no lines or file");
}

static void report_with_a_bad_period_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q5 }\n",
                    "ev.yaml:1:60: events[0].period: expected a period like 2026-Q2, 2026-H1, "
                    "2026-05 or 2026, got \"2026-Q5\"");
}

static void extension_on_a_milestone_without_extensions_rule_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-07-01, type: extension, milestone: M2, by: { months: 6 } }\n",
                    "ev.yaml:1:3: events[0]: milestone M2 allows no extensions (it has no "
                    "extensions: rule)");
}

static void extension_with_both_by_and_to_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-07-01, type: extension, milestone: M1, by: { months: 6 }, to: 2027-01-01 }\n",
                    "ev.yaml:1:78: events[0]: give either by (a duration) or to (a date), not both");
}

static void extension_by_with_a_misspelt_unit_is_rejected_once(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-07-01, type: extension, milestone: M1, by: { month: 6 } }\n",
                    "ev.yaml:1:61: events[0].by: unknown key \"month\" (did you mean \"months\"?)");
}

static void fx_without_period_or_on_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-07-01, type: fx, from: EUR, to: USD, rate: \"1.08\" }\n",
                    "ev.yaml:1:3: events[0]: missing period (an average rate, like 2026-Q2) or on "
                    "(a day's rate)");
}

static void fx_with_both_period_and_on_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-07-01, type: fx, from: EUR, to: USD, rate: \"1.08\","
                    " period: 2026-Q2, on: 2026-06-30 }\n",
                    "ev.yaml:1:3: events[0]: give either period (an average rate) or on (a day's "
                    "rate), not both");
}

static void fx_rate_must_be_positive(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-07-01, type: fx, from: EUR, to: USD, rate: \"-1\", on: 2026-06-30 }\n",
                    "ev.yaml:1:59: events[0].rate: expected a positive rate like \"1.0842\" or "
                    "\"4.5%\", got \"-1\"");
}

static void force_majeure_ending_before_it_begins_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-09-01, type: force_majeure, party: co, from: 2026-09-01, to: 2026-08-01 }\n",
                    "ev.yaml:1:77: events[0].to: force majeure ends before it begins (from is later)");
}

static void unknown_party_is_rejected_naming_the_parties(void **state)
{
    (void)state;
    expect_rejected("- { date: 2027-01-01, type: change_of_control, party: beta, acquirer: Big }\n",
                    "ev.yaml:1:55: events[0].party: expected licensor, licensee, lab or co, got \"beta\"");
}

static void breach_notice_names_the_breach(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-03-01, type: notice, kind: breach, by: licensor }\n",
                    "ev.yaml:1:3: events[0]: a breach notice names the breach: ref (e.g. M2 or "
                    "breach:M2)");
}

static void termination_for_breach_names_its_right(void **state)
{
    (void)state;
    expect_rejected("- { date: 2028-01-02, type: termination, by: lab, reason: breach }\n",
                    "ev.yaml:1:3: events[0]: a termination for breach names the right it exercises: "
                    "right (from status rights[])");
}

static void improvement_needs_an_id(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-11-01, type: improvement, owner: co, title: T }\n",
                    "ev.yaml:1:3: events[0]: an improvement needs an id (its disclosure is "
                    "disclose:<id>)");
}

static void amendment_with_an_empty_set_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-10-01, type: amendment, set: {} }\n",
                    "ev.yaml:1:45: events[0].set: expected at least one path: value");
}

static void audit_without_periods_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2027-03-01, type: audit, periods: [],"
                    " findings: [{ country: US, field: therapeutics/oncology, gross_sales: \"1\" }] }\n",
                    "ev.yaml:1:45: events[0].periods: expected at least one audited period like 2026-Q2");
}

static void evidence_that_is_not_text_is_rejected(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-06-30, type: milestone_achieved, milestone: M1, evidence: [a, b] }\n",
                    "ev.yaml:1:74: events[0].evidence: expected a value, got a list");
}

static void every_problem_of_one_event_is_reported_and_counted_once(void **state)
{
    (void)state;
    lic_err rc = load_as(agr, "ev.yaml",
                         "- { type: payment, amount: \"-5\", currency: USD, invoice: [x] }\n"
                         "- { date: 2026-03-01, type: cure, ref: A }\n");
    assert_int_equal(rc, LIC_OK);
    if (D.n != 3)
        print_diags();
    assert_int_equal(EV->n, 1);
    assert_int_equal(EV->nrejected, 1);
    assert_int_equal(D.n, 3);
    assert_string_equal(diag_line(0), "ev.yaml:1:3: events[0]: missing required key \"date\"");
    assert_string_equal(diag_line(1), "ev.yaml:1:28: events[0].amount: expected an amount above zero, got \"-5\"");
    assert_string_equal(diag_line(2), "ev.yaml:1:58: events[0].invoice: expected a value, got a list");
}

static void events_file_larger_than_16_mib_is_too_big(void **state)
{
    (void)state;
    size_t len = (16u << 20) + 1;
    char *big = malloc(len);
    assert_non_null(big);
    memset(big, '\n', len);
    big[0] = '{';
    EV = (lic_events *)1;
    lic_err rc = lic_events_load_mem("big.jsonl", big, len, agr, &D, &EV);
    free(big);
    assert_int_equal(rc, LIC_ETOOBIG);
    assert_null(EV);
    assert_int_equal(D.n, 1);
    assert_string_equal(diag_line(0), "big.jsonl: file larger than 16 MiB");
}

static void many_events_load_in_reasonable_time(void **state)
{
    (void)state;
    /* Ids and default ids are checked by sorting: 50,000 events on the
     * same day must not take quadratic time. */
    size_t n = 50000, cap = n * 64;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "{\"date\":\"2026-03-01\",\"type\":\"cure\",\"ref\":\"R%zu\"}\n", i);
    EV = NULL;
    lic_err rc = lic_events_load_mem("many.jsonl", text, len, agr, &D, &EV);
    free(text);
    assert_int_equal(rc, LIC_OK);
    assert_int_equal(EV->n, n);
    assert_string_equal(EV->v[n - 1].id, "2026-03-01.50000");
}

/* ---- lic_events_load: files ---------------------------------------------- */

static void events_load_reads_a_file_and_keeps_its_path(void **state)
{
    (void)state;
    char path[] = "/tmp/licet-test-events-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(ALL_TYPES, 1, strlen(ALL_TYPES), f), strlen(ALL_TYPES));
    assert_int_equal(fclose(f), 0);
    lic_err rc = lic_events_load(path, agr, &D, &EV);
    remove(path);
    if (rc)
        print_diags();
    assert_int_equal(rc, LIC_OK);
    assert_string_equal(EV->file, path);
    assert_int_equal(EV->n, LIC_EV_COUNT);
    assert_int_equal(D.n, 0);
}

static void events_load_of_a_missing_file_is_eio_with_a_diagnostic(void **state)
{
    (void)state;
    EV = (lic_events *)1;
    lic_err rc = lic_events_load("tests/no-such-events.yaml", agr, &D, &EV);
    assert_int_equal(rc, LIC_EIO);
    assert_null(EV);
    assert_int_equal(D.n, 1);
    assert_string_equal(diag_line(0), "tests/no-such-events.yaml: cannot read the file");
}

/* ---- allocation failures ------------------------------------------------- */

/* Fails the n-th allocation for n = 0, 1, 2, ... until a load succeeds.
 * Every failed load must be LIC_ENOMEM with *out NULL; a successful one
 * has `want_n` events and no diagnostic. */
static void sweep(const lic_agreement *a, const char *name, const char *text, size_t want_n)
{
    long n;
    for (n = 0; n < 100000; n++) {
        lic_diags d;
        lic_diags_init(&d);
        lic_events *ev = (lic_events *)1;
        lic__alloc_fail_after(n);
        lic_err rc = lic_events_load_mem(name, text, strlen(text), a, &d, &ev);
        lic__alloc_fail_after(-1);
        if (rc != LIC_OK && rc != LIC_ENOMEM)
            fail_msg("allocation %ld failing gave %s (%d)", n, lic_strerror(rc), (int)rc);
        if (rc == LIC_OK) {
            assert_non_null(ev);
            assert_int_equal(d.n, 0);
            assert_int_equal(ev->n, want_n);
            assert_int_equal(ev->nrejected, 0);
            lic_events_free(ev);
            lic_diags_fini(&d);
            break;
        }
        assert_null(ev);
        lic_diags_fini(&d);
    }
    assert_true(n > 0);
    assert_true(n < 100000);
}

static void every_allocation_failure_in_a_yaml_list_of_every_type_is_enomem(void **state)
{
    (void)state;
    sweep(agr, "ev.yaml", ALL_TYPES, LIC_EV_COUNT);
}

static void every_allocation_failure_in_json_lines_is_enomem(void **state)
{
    (void)state;
    sweep(agr, "ev.jsonl",
          "# a comment\n"
          "{\"date\": \"2026-06-30\", \"type\": \"milestone_achieved\", \"milestone\": \"M1\"}\n"
          "{\"id\": \"S\", \"date\": \"2026-05-01\", \"type\": \"sublicense\", \"sublicensee\": \"G\","
          " \"territories\": [\"US\"]}\n"
          "{\"date\": \"2026-06-01\", \"type\": \"sublicense_income\", \"sublicense\": \"S\","
          " \"kind\": \"upfront\", \"amount\": \"10\", \"currency\": \"USD\"}\n"
          "{\"date\": \"2026-08-14\", \"type\": \"report\", \"kind\": \"royalty\", \"period\": \"2026-Q2\","
          " \"lines\": [{\"country\": \"US\", \"field\": \"therapeutics/oncology\", \"gross_sales\": \"10\"}]}\n",
          4);
}

/* An input with rejected events: while memory lasts the result is
 * LIC_ENOMEM (a dropped diagnostic is out of memory, never a silently
 * shorter list), and LIC_OK comes only with every diagnostic present. */
static void allocation_failures_never_drop_rejections_silently(void **state)
{
    (void)state;
    static const char text[] =
        "- { date: 2026-06-30, type: milestone_achieved, milestone: M9 }\n"
        "- { id: P1, date: 2026-02-10, type: payment, amount: \"1\", currency: USD }\n"
        "- { id: P1, date: 2026-02-11, type: payment, amount: \"2\", currency: USD }\n"
        "- { date: 2026-06-01, type: sublicense_income, sublicense: S9, kind: upfront,"
        " amount: \"10\", currency: USD }\n"
        "- { date: 2026-03-01, type: cure, ref: A }\n";
    long n;
    for (n = 0; n < 100000; n++) {
        lic_diags d;
        lic_diags_init(&d);
        lic_events *ev = (lic_events *)1;
        lic__alloc_fail_after(n);
        lic_err rc = lic_events_load_mem("ev.yaml", text, strlen(text), agr, &d, &ev);
        lic__alloc_fail_after(-1);
        if (rc != LIC_OK && rc != LIC_ENOMEM)
            fail_msg("allocation %ld failing gave %s (%d)", n, lic_strerror(rc), (int)rc);
        if (rc == LIC_ENOMEM) {
            assert_null(ev);
            lic_diags_fini(&d);
            continue;
        }
        assert_int_equal(ev->n, 2);
        assert_int_equal(ev->nrejected, 3);
        assert_int_equal(d.n, 3);
        char buf[512];
        lic_diag_format(&d.v[0], buf, sizeof buf);
        assert_string_equal(buf, "ev.yaml:1:60: events[0].milestone: unknown milestone \"M9\" (known: M1, M2)");
        lic_diag_format(&d.v[1], buf, sizeof buf);
        assert_string_equal(buf, "ev.yaml:3:3: events[2]: duplicate id \"P1\" (first used at line 2)");
        lic_diag_format(&d.v[2], buf, sizeof buf);
        assert_string_equal(buf, "ev.yaml:4:3: events[3]: unknown sublicense \"S9\" (no sublicense "
                                 "event has this id)");
        lic_events_free(ev);
        lic_diags_fini(&d);
        break;
    }
    assert_true(n > 0);
    assert_true(n < 100000);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(milestone_achieved_keeps_milestone_evidence_and_defaults),
        T(milestone_accepted_and_rejected_keep_an_optional_reason),
        T(extension_reads_by_as_a_duration_or_to_as_a_date),
        T(waiver_keeps_ref_and_by_defaults_to_the_licensor),
        T(force_majeure_reads_party_from_to_and_affects),
        T(report_lines_are_exact_in_minor_units_with_defaults_from_the_event),
        T(report_may_be_progress_no_sales_or_a_csv_file),
        T(payment_amount_is_in_minor_units_of_the_agreement_currency),
        T(payment_in_jpy_has_no_minor_digits),
        T(fx_reads_currencies_exact_rate_and_period_or_day),
        T(notice_sent_and_received_default_to_its_date),
        T(cure_started_cure_and_delivered_keep_ref),
        T(rate_reads_name_exact_rate_and_on_defaulting_to_date),
        T(liquidity_event_and_assignment_read_consideration_in_its_own_currency),
        T(exercise_names_an_option_or_a_right_and_by_defaults_to_either),
        T(sublicense_reads_sublicensee_and_its_scope),
        T(sublicense_income_reads_kind_bit_amount_and_currency),
        T(sublicense_income_may_come_before_its_sublicense_in_the_file),
        T(patent_status_reads_patent_and_status),
        T(amendment_keeps_set_paths_and_values_and_effective_defaults_to_date),
        T(audit_reads_periods_findings_and_cost),
        T(change_of_control_reads_party_and_acquirer),
        T(termination_reads_by_reason_right_and_effective),
        T(committee_meeting_keeps_optional_minutes),
        T(improvement_reads_id_owner_and_title),
        T(a_file_with_every_type_loads_each_in_file_order),
        T(type_names_are_the_format_names),
        T(events_load_against_the_unix_beta_example),
        T(default_ids_are_date_and_rank_among_that_dates_events_in_file_order),
        T(recorded_defaults_to_date_and_note_is_kept),
        T(sha256_is_of_the_files_bytes),
        T(json_lines_load_like_the_yaml_list),
        T(json_lines_allow_comments_blank_lines_and_crlf),
        T(a_json_array_is_a_yaml_list),
        T(empty_and_comment_only_files_hold_no_events),
        T(line_field_defaults_to_the_agreements_only_field),
        T(unknown_milestone_is_rejected_listing_the_known_ones),
        T(payment_in_another_currency_is_rejected),
        T(payment_of_zero_is_rejected),
        T(payment_without_currency_is_rejected_not_dereferenced),
        T(consideration_and_income_without_currency_are_rejected),
        T(unknown_type_is_rejected_with_the_nearest_type),
        T(unknown_type_near_the_end_of_the_table_is_suggested_too),
        T(unknown_type_far_from_any_is_rejected_with_examples),
        T(missing_date_is_rejected),
        T(missing_type_is_rejected),
        T(bad_date_is_rejected),
        T(unknown_key_is_rejected_with_a_did_you_mean_hint),
        T(a_key_of_another_type_is_unknown),
        T(unknown_option_is_rejected_listing_the_known_ones),
        T(exercise_names_exactly_one_of_right_and_option),
        T(unknown_patent_is_rejected_listing_the_known_ones),
        T(patent_status_without_patent_is_rejected_not_dereferenced),
        T(sublicense_income_naming_an_unknown_sublicense_is_rejected),
        T(sublicense_income_naming_another_events_id_is_rejected),
        T(sublicense_needs_an_id),
        T(duplicate_event_id_rejects_the_later_event),
        T(a_third_use_of_an_id_names_the_first),
        T(given_id_of_the_default_form_is_rejected),
        T(sublicense_with_a_bad_id_is_rejected_once),
        T(malformed_json_line_rejects_only_that_line),
        T(json_line_that_is_not_an_object_is_rejected),
        T(yaml_file_that_is_not_a_list_is_invalid),
        T(yaml_syntax_error_makes_the_file_invalid),
        T(list_item_that_is_not_a_mapping_is_rejected),
        T(report_line_with_a_bad_country_is_rejected),
        T(report_line_with_an_unknown_field_is_rejected),
        T(report_line_without_field_is_rejected_when_there_are_several),
        T(report_line_with_a_bad_amount_is_rejected),
        T(report_line_amount_follows_the_lines_currency),
        T(report_line_date_outside_its_period_is_rejected),
        T(report_with_no_sales_and_lines_is_rejected),
        T(report_with_a_bad_period_is_rejected),
        T(extension_on_a_milestone_without_extensions_rule_is_rejected),
        T(extension_with_both_by_and_to_is_rejected),
        T(extension_by_with_a_misspelt_unit_is_rejected_once),
        T(fx_without_period_or_on_is_rejected),
        T(fx_with_both_period_and_on_is_rejected),
        T(fx_rate_must_be_positive),
        T(force_majeure_ending_before_it_begins_is_rejected),
        T(unknown_party_is_rejected_naming_the_parties),
        T(breach_notice_names_the_breach),
        T(termination_for_breach_names_its_right),
        T(improvement_needs_an_id),
        T(amendment_with_an_empty_set_is_rejected),
        T(audit_without_periods_is_rejected),
        T(evidence_that_is_not_text_is_rejected),
        T(every_problem_of_one_event_is_reported_and_counted_once),
        T(events_file_larger_than_16_mib_is_too_big),
        T(many_events_load_in_reasonable_time),
        T(events_load_reads_a_file_and_keeps_its_path),
        T(events_load_of_a_missing_file_is_eio_with_a_diagnostic),
        T(every_allocation_failure_in_a_yaml_list_of_every_type_is_enomem),
        T(every_allocation_failure_in_json_lines_is_enomem),
        T(allocation_failures_never_drop_rejections_silently),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
