/*
 * test_events.c - unit tests for events.h: lic_events_load_mem() against
 * a small agreement (FORMAT 3): what loads.
 *
 * - Every event type loads with the exact values of its members: dates
 *   (lic_date_from_ymd), amounts in minor units of their currency, rates
 *   in 1e-12 units, periods, parties, scopes and report lines.
 * - The same events as a YAML list and as JSON Lines; default ids
 *   "<date>.<n>"; `recorded` defaulting to `date`.
 *
 * Rejections, files and allocation failures are in test_events_reject.c;
 * the shared fixture is in events_fixture.h.
 */
#include "events_fixture.h"

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

/* A report with file: reads a CSV (test_csv.c); from memory it cannot. */
static void report_may_be_progress_or_no_sales(void **state)
{
    (void)state;
    const lic_event *v = load_n(
        "- { date: 2026-01-30, type: report, kind: progress, period: \"2025\" }\n"
        "- { date: 2026-08-14, type: report, kind: royalty, period: 2026-H1, no_sales: true }\n",
        2);
    assert_int_equal(v[0].report_kind, LIC_REPORT_PROGRESS);
    assert_period(v[0].period, LIC_PERIOD_YEAR, 2025, 1);
    assert_int_equal(v[0].nlines, 0);
    assert_null(v[0].lines);
    assert_true(v[1].no_sales);
    assert_period(v[1].period, LIC_PERIOD_HALF, 2026, 1);
    assert_null(v[1].file);
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
        T(report_may_be_progress_or_no_sales),
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
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
