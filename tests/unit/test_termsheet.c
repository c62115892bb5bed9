/*
 * test_termsheet.c - unit tests for termsheet.h: the term sheet of an
 * agreement built by hand in C (no loader), checked by exact substrings of
 * the Markdown, HTML escaping, absent sections, determinism and an
 * allocation-failure sweep.
 *
 * The agreement: effective 2025-01-15, one grant, milestones anchored on
 * the effective date, on another milestone, on a fixed date, on the first
 * commercial sale and one redacted; a redacted upfront amount.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "licet/agreement.h"
#include "licet/termsheet.h"

/* Everything the fixture points to, so that one free undoes it. */
typedef struct fixture {
    lic_agreement a;
    lic_grant grants[1];
    lic_milestone ms[5];
    lic_schedule sched[1];
    lic_band bands[2];
    lic_breach_class classes[1];
    lic_ladder ladders[1];
    lic_remedy rungs[2];
    lic_missing missing[1];
} fixture;

static const char *g1_fields[] = {"therapeutics/oncology"};
static const char *g1_territories[] = {"US"};

static lic_date ymd(int y, int m, int d) { return lic_date_from_ymd(y, m, d); }

static lic_dexpr after(lic_anchor anchor, int months, const char *ref, int ref_index)
{
    lic_dexpr e = {.st = LIC_V_KNOWN, .anchor = anchor, .ref = ref, .ref_index = ref_index};
    e.dur.months = months;
    return e;
}

static void milestone(lic_milestone *m, const char *id, const char *title, lic_dexpr due)
{
    m->id = id;
    m->title = title;
    m->kind = LIC_MS_DEVELOPMENT;
    m->owner = LIC_PARTY_LICENSEE;
    m->due = due;
}

static void build_deal(fixture *f)
{
    lic_agreement *a = &f->a;
    a->id = "T-1";
    a->title = "Deal <A&B>";
    a->effective = (lic_date_v){.st = LIC_V_KNOWN, .v = ymd(2025, 1, 15)};
    a->currency = lic_currency_find("USD");
    a->calendar_name = "WEEKENDS";
    a->calendar = lic_calendar_builtin("WEEKENDS");
    a->licensor = (lic_party){.id = "unix", .name = "University of X"};
    a->licensee = (lic_party){.id = "beta", .name = "Beta Inc."};
    a->term.ends = (lic_date_v){.st = LIC_V_KNOWN, .v = ymd(2045, 1, 14)};

    lic_grant *g = &f->grants[0];
    g->id = "G1";
    g->scope.has_fields = g->scope.has_territories = true;
    g->scope.field_names = (lic_strlist){g1_fields, 1};
    g->scope.territory_names = (lic_strlist){g1_territories, 1};
    g->exclusivity = LIC_EXCL_EXCLUSIVE;
    g->sublicensable = true;
    g->until = (lic_date_v){.st = LIC_V_KNOWN, .v = ymd(2040, 12, 31)};
    a->grants = f->grants;
    a->ngrants = 1;
}

static void build_milestones(fixture *f)
{
    lic_milestone *ms = f->ms;
    milestone(&ms[0], "M1", "First IND filing", after(LIC_ANCHOR_EFFECTIVE, 18, NULL, -1));
    ms[0].payment.present = true;
    ms[0].payment.amount = (lic_amount_v){.st = LIC_V_KNOWN, .v = 25000000};
    ms[0].payment.due = (lic_duration_v){.st = LIC_V_KNOWN, .v = {.days = 30}};
    ms[0].extensions.present = true;
    ms[0].extensions.max = 2;
    ms[0].extensions.each = (lic_duration_v){.st = LIC_V_KNOWN, .v = {.months = 6}};
    ms[0].extensions.fee = (lic_amount_v){.st = LIC_V_KNOWN, .v = 99999};
    milestone(&ms[1], "M2", "Phase I start", after(LIC_ANCHOR_MILESTONE, 6, "M1", 0));
    lic_dexpr fixed = after(LIC_ANCHOR_DATE, 0, NULL, -1);
    fixed.date = ymd(2030, 6, 30);
    milestone(&ms[2], "M3", "Approval", fixed);
    milestone(&ms[3], "C1", "Launch", after(LIC_ANCHOR_FCS, 12, NULL, -1));
    lic_dexpr redacted = {.st = LIC_V_REDACTED};
    milestone(&ms[4], "S1", "Sales", redacted);
    ms[4].kind = LIC_MS_SALES;
    ms[4].when.cond = LIC_COND_NET_SALES_IN_YEAR;
    ms[4].when.threshold = (lic_amount_v){.st = LIC_V_KNOWN, .v = INT64_C(5000000000)};
    f->a.milestones = ms;
    f->a.nmilestones = 5;
}

static void build_payments(fixture *f)
{
    lic_payments *p = &f->a.payments;
    p->upfront.present = true;
    p->upfront.amount.st = LIC_V_REDACTED;
    p->upfront.due = (lic_dexpr){.st = LIC_V_KNOWN, .anchor = LIC_ANCHOR_EFFECTIVE,
                                 .dur = {.days = 30}};
    p->royalties.present = true;
    f->bands[0].up_to = (lic_amount_v){.st = LIC_V_KNOWN, .v = INT64_C(1000000000)};
    f->bands[0].rate = (lic_rate_v){.st = LIC_V_KNOWN, .v = 3 * LIC_RATE_SCALE / 100};
    f->bands[1].rate = (lic_rate_v){.st = LIC_V_KNOWN, .v = 45 * LIC_RATE_SCALE / 1000};
    f->sched[0].name = "oncology";
    f->sched[0].bands = f->bands;
    f->sched[0].nbands = 2;
    p->royalties.schedules = f->sched;
    p->royalties.nschedules = 1;
    f->missing[0] = (lic_missing){.path = "payments.upfront.amount", .st = LIC_V_REDACTED,
                                  .pos = {.line = 42, .col = 5}};
    f->a.missing = f->missing;
    f->a.nmissing = 1;
}

static void build_breach(fixture *f)
{
    f->classes[0] = (lic_breach_class){.name = "diligence", .notice_required = true,
                                       .cure = {.st = LIC_V_KNOWN, .v = {.days = 90}}};
    f->rungs[0] = (lic_remedy){.action = LIC_ACT_ROYALTY_INCREASE, .automatic = true,
                               .add = {.st = LIC_V_KNOWN, .v = LIC_RATE_SCALE / 100}};
    f->rungs[1] = (lic_remedy){.action = LIC_ACT_TERMINATE,
                               .notice = {.st = LIC_V_KNOWN, .v = {.days = 90}}};
    f->ladders[0] = (lic_ladder){.cls = "diligence", .rungs = f->rungs, .nrungs = 2};
    f->a.breach.classes = f->classes;
    f->a.breach.nclasses = 1;
    f->a.breach.ladders = f->ladders;
    f->a.breach.nladders = 1;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->a.fields = lic_fieldtree_new();
    if (!f->a.fields ||
        lic_fieldtree_add(f->a.fields, "therapeutics/oncology", 21, NULL) != LIC_OK)
        return -1;
    int node = lic_fieldtree_find(f->a.fields, "therapeutics/oncology", 21);
    lic_fset_add(f->a.fields, &f->grants[0].scope.fields, node);
    build_deal(f);
    build_milestones(f);
    build_payments(f);
    build_breach(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    lic_fieldtree_free(f->a.fields);
    free(f);
    return 0;
}

/* Renders, asserting success and that *len matches the string. */
static char *render(const lic_agreement *a, bool html)
{
    char *out = NULL;
    size_t len = 0;
    lic_err rc = lic_termsheet_render(a, html, &out, &len);
    if (rc != LIC_OK)
        print_error("render returned %d (%s)\n", (int)rc, lic_strerror(rc));
    assert_int_equal(rc, LIC_OK);
    assert_non_null(out);
    assert_int_equal(strlen(out), len);
    return out;
}

/* A substring assert that prints the whole document when it fails. */
static void check_has(const char *doc, const char *want, bool present, const char *file,
                      int line)
{
    if ((strstr(doc, want) != NULL) == present)
        return;
    print_error("%s \"%s\" in:\n%s\n", present ? "expected" : "did not expect", want, doc);
    _fail(file, line);
}
#define assert_has(doc, want) check_has((doc), (want), true, __FILE__, __LINE__)
#define assert_lacks(doc, want) check_has((doc), (want), false, __FILE__, __LINE__)

static void deadline_from_effective_date_is_worked_out(void **state)
{
    fixture *f = *state;
    char *md = render(&f->a, false);
    assert_has(md, "- **Deadline:** due 2026-07-15: 18 months after the effective date\n");
    lic_termsheet_free(md);
}

static void milestone_anchor_assumes_on_time_achievement(void **state)
{
    fixture *f = *state;
    char *md = render(&f->a, false);
    assert_has(md, "due 2027-01-15 if M1 is achieved on its deadline: 6 months after M1");
    lic_termsheet_free(md);
}

static void fixed_first_sale_and_redacted_deadlines(void **state)
{
    fixture *f = *state;
    char *md = render(&f->a, false);
    assert_has(md, "- **Deadline:** due 2030-06-30\n");
    assert_has(md, "due 12 months after the first commercial sale (date not yet known)");
    assert_has(md, "- **Deadline:** due date redacted\n");
    lic_termsheet_free(md);
}

static void header_and_grants_table_resolve_defaults(void **state)
{
    fixture *f = *state;
    char *md = render(&f->a, false);
    assert_has(md, "# Term sheet: Deal <A&B>\n");
    assert_has(md, "- **Effective date:** 2025-01-15\n");
    assert_has(md, "- **Licensee:** Beta Inc. (beta)\n");
    assert_has(md, "| Grant | Fields | Territories | Exclusivity | Sublicensable | From | Until |\n");
    assert_has(md, "| G1 | therapeutics/oncology | US | exclusive | yes | "
                   "2025-01-15 (effective date) | 2040-12-31 |\n");
    lic_termsheet_free(md);
}

static void money_has_thousands_separators_and_redactions_show(void **state)
{
    fixture *f = *state;
    char *md = render(&f->a, false);
    assert_has(md, "- **Payment:** USD 250,000.00, due 30 days after achievement\n");
    assert_has(md, "for a fee of USD 999.99 each");
    assert_has(md, "- **Condition:** when annual net sales exceed USD 50,000,000.00\n");
    assert_has(md, "- **Upfront:** redacted, due 2025-02-14: 30 days after the effective date\n");
    lic_termsheet_free(md);
}

static void royalty_tiers_are_a_table(void **state)
{
    fixture *f = *state;
    char *md = render(&f->a, false);
    assert_has(md, "| Band | Rate |\n|---|---|\n"
                   "| up to USD 10,000,000.00 | 3% |\n"
                   "| over USD 10,000,000.00 | 4.5% |\n");
    lic_termsheet_free(md);
}

static void breach_classes_and_ladder(void **state)
{
    fixture *f = *state;
    char *md = render(&f->a, false);
    assert_has(md, "| diligence | 90 days | yes | — |\n");
    assert_has(md, "- 1st uncured breach: royalty increase of 1% (automatic)\n");
    assert_has(md, "- 2nd and later uncured breaches: termination on 90 days' notice\n");
    lic_termsheet_free(md);
}

static void missing_terms_close_and_absent_sections_are_omitted(void **state)
{
    fixture *f = *state;
    char *md = render(&f->a, false);
    assert_has(md, "## Missing terms\n");
    assert_has(md, "- **payments.upfront.amount:** redacted (line 42)\n");
    assert_lacks(md, "## Options");
    assert_lacks(md, "## Termination");
    assert_lacks(md, "## Reporting");
    lic_termsheet_free(md);
}

static void html_escapes_text_and_is_a_whole_page(void **state)
{
    fixture *f = *state;
    char *html = render(&f->a, true);
    assert_true(strncmp(html, "<!DOCTYPE html>\n", 16) == 0);
    assert_has(html, "<title>Term sheet: Deal &lt;A&amp;B&gt;</title>");
    assert_has(html, "<h1>Term sheet: Deal &lt;A&amp;B&gt;</h1>");
    assert_lacks(html, "<A&B>");
    assert_has(html, "<td>G1</td><td>therapeutics/oncology</td>");
    assert_has(html, "</body>\n</html>\n");
    lic_termsheet_free(html);
}

static void markdown_table_cells_escape_pipes(void **state)
{
    fixture *f = *state;
    f->grants[0].id = "G|1";
    char *md = render(&f->a, false);
    f->grants[0].id = "G1";
    assert_has(md, "| G\\|1 | therapeutics/oncology |");
    lic_termsheet_free(md);
}

static void rendering_is_deterministic(void **state)
{
    fixture *f = *state;
    char *one = render(&f->a, false);
    char *two = render(&f->a, false);
    assert_string_equal(one, two);
    lic_termsheet_free(one);
    lic_termsheet_free(two);
}

static void null_arguments_are_einval(void **state)
{
    fixture *f = *state;
    char *out = (char *)"x";
    assert_int_equal(lic_termsheet_render(NULL, false, &out, NULL), LIC_EINVAL);
    assert_null(out);
    assert_int_equal(lic_termsheet_render(&f->a, false, NULL, NULL), LIC_EINVAL);
    lic_termsheet_free(NULL);
}

/* Every allocation in turn fails: the result is LIC_ENOMEM with nothing
 * returned (ASan reports any leak), until enough succeed to finish. */
static void out_of_memory_at_every_allocation(void **state)
{
    fixture *f = *state;
    for (int html = 0; html <= 1; html++) {
        char *want = render(&f->a, html);
        for (long n = 0;; n++) {
            char *out = NULL;
            lic__alloc_fail_after(n);
            lic_err rc = lic_termsheet_render(&f->a, html, &out, NULL);
            lic__alloc_fail_after(-1);
            if (rc == LIC_OK) {
                assert_string_equal(out, want);
                lic_termsheet_free(out);
                break;
            }
            assert_int_equal(rc, LIC_ENOMEM);
            assert_null(out);
        }
        lic_termsheet_free(want);
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(deadline_from_effective_date_is_worked_out),
        T(milestone_anchor_assumes_on_time_achievement),
        T(fixed_first_sale_and_redacted_deadlines),
        T(header_and_grants_table_resolve_defaults),
        T(money_has_thousands_separators_and_redactions_show),
        T(royalty_tiers_are_a_table),
        T(breach_classes_and_ladder),
        T(missing_terms_close_and_absent_sections_are_omitted),
        T(html_escapes_text_and_is_a_whole_page),
        T(markdown_table_cells_escape_pipes),
        T(rendering_is_deterministic),
        T(null_arguments_are_einval),
        T(out_of_memory_at_every_allocation),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
