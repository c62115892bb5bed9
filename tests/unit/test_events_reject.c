/*
 * test_events_reject.c - unit tests for events.h: what the loader
 * rejects, each with its exact diagnostic (and the other events still
 * load), files, and allocation-failure sweeps (every failure is
 * LIC_ENOMEM with *out NULL, and nothing leaks under SAN=1).
 */
#include "events_fixture.h"

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

/* An empty list in a JSON line is a node with no items (the JSON Lines
 * reader once copied zero items from a NULL pointer: UBSan found it). */
static void json_line_with_an_empty_list_is_rejected_where_a_date_is_expected(void **state)
{
    (void)state;
    expect_rejected_as(agr, "ev.jsonl", "{\"date\": [], \"type\": \"cure\", \"ref\": \"A\"}\n",
                       "ev.jsonl:1:10: events[0].date: expected a date YYYY-MM-DD, got a list");
    assert_int_equal(EV->n, 0);
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
        T(json_line_with_an_empty_list_is_rejected_where_a_date_is_expected),
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
