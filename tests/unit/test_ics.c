/*
 * test_ics.c - unit tests for ics.h: the iCalendar of a state built by
 * hand (no engine), checked by exact component text, the order of items,
 * determinism, a round trip through libical's own parser and an
 * allocation-failure sweep.
 *
 * The fixture: agreement T-1 loaded from the YAML below, as of 2027-12-31,
 * with an achieved and a missed (shifted) milestone and one without a due
 * date, three obligations (a satisfied royalty report, an overdue licensor
 * obligation, a waived notice), a paid and an indeterminate invoice, a
 * noticed breach with a cure deadline and one without, and three windows
 * (an option, a renegotiation, a change-of-control window whose end is
 * not known).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include <libical/ical.h>

#include "alloc.h"
#include "licet/agreement.h"
#include "licet/engine.h"
#include "licet/ics.h"

static const char agreement_yaml[] =
    "licet: 1\n"
    "id: T-1\n"
    "title: Test license\n"
    "effective: 2025-01-15\n"
    "currency: USD\n"
    "parties:\n"
    "  licensor: { id: uni, name: University }\n"
    "  licensee: { id: co, name: Company }\n"
    "term:\n"
    "  ends: 2040-01-14\n"
    "grants:\n"
    "  - { id: G1, territories: [US], exclusivity: non_exclusive }\n"
    "milestones:\n"
    "  - { id: M1, title: First IND filing, kind: regulatory, due: 2026-07-15 }\n"
    "  - { id: M2, title: Phase I start, kind: development, due: 2027-01-15 }\n"
    "  - { id: M3, title: Approval, kind: regulatory, due: redacted }\n"
    "licensor_obligations:\n"
    "  - { id: KH1, title: Transfer know-how, due: { after: effective, days: 90 } }\n"
    "options:\n"
    "  - id: O1\n"
    "    title: Expand to Japan\n"
    "    grant: { territories: [JP], exclusivity: exclusive }\n"
    "    window: { from: 2027-03-01, until: 2027-08-28 }\n"
    "    fee: \"500000\"\n";

#define NONE LIC_DATE_NONE

/* The state and everything its lists point to. */
typedef struct fixture {
    lic_agreement *a;
    lic_state s;
    lic_st_milestone ms[3];
    lic_st_obligation obs[3];
    lic_st_invoice invs[2];
    lic_st_breach brs[2];
    lic_st_window wins[3];
} fixture;

static lic_date ymd(int y, int m, int d) { return lic_date_from_ymd(y, m, d); }

static void build_milestones(fixture *f)
{
    f->ms[0] = (lic_st_milestone){.id = "M1", .status = "achieved", .due = ymd(2026, 7, 15),
                                  .original_due = ymd(2026, 7, 15),
                                  .achieved_on = ymd(2026, 6, 30), .accepted_on = NONE};
    f->ms[1] = (lic_st_milestone){.id = "M2", .status = "missed", .due = ymd(2027, 1, 15),
                                  .original_due = ymd(2026, 12, 1), .achieved_on = NONE,
                                  .accepted_on = NONE, .shifted_days = 45};
    f->ms[2] = (lic_st_milestone){.id = "M3", .status = "pending", .due = NONE,
                                  .original_due = NONE, .achieved_on = NONE,
                                  .accepted_on = NONE, .indeterminate = "milestones[2].due"};
    f->s.milestones = f->ms;
    f->s.nmilestones = 3;
}

static void build_obligations(fixture *f)
{
    f->obs[0] = (lic_st_obligation){.id = "report:royalty:2027-Q1", .kind = "royalty_report",
                                    .party = LIC_PARTY_LICENSEE, .due = ymd(2027, 5, 30),
                                    .done_on = ymd(2027, 5, 2), .status = "satisfied"};
    f->obs[1] = (lic_st_obligation){.id = "licensor:KH1", .kind = "licensor",
                                    .party = LIC_PARTY_LICENSOR, .due = ymd(2025, 4, 15),
                                    .done_on = NONE, .status = "overdue"};
    f->obs[2] = (lic_st_obligation){.id = "notice:change_of_control", .kind = "notice",
                                    .party = LIC_PARTY_LICENSEE, .due = ymd(2027, 8, 1),
                                    .done_on = NONE, .status = "waived"};
    f->s.obligations = f->obs;
    f->s.nobligations = 3;
}

static void build_invoices(fixture *f)
{
    f->invs[0] = (lic_st_invoice){.id = "inv:milestone:M1", .kind = "milestone",
                                  .amount = 25000000, .paid = 25000000, .known = true,
                                  .interest_known = true, .due = ymd(2026, 7, 30),
                                  .paid_on = ymd(2026, 7, 20), .status = "paid"};
    f->invs[1] = (lic_st_invoice){.id = "inv:upfront", .kind = "upfront", .known = false,
                                  .due = ymd(2025, 2, 14), .paid_on = NONE, .status = "open",
                                  .indeterminate = "payments.upfront.amount"};
    f->s.invoices = f->invs;
    f->s.ninvoices = 2;
}

static void build_breaches(fixture *f)
{
    f->brs[0] = (lic_st_breach){.id = "breach:M2", .cls = "diligence", .ref = "M2",
                                .party = LIC_PARTY_LICENSEE, .since = ymd(2027, 1, 16),
                                .notice = ymd(2027, 2, 1), .cure_from = ymd(2027, 2, 1),
                                .cure_by = ymd(2027, 5, 2), .resolved_on = NONE,
                                .status = "noticed"};
    f->brs[1] = (lic_st_breach){.id = "breach:licensor:KH1", .cls = "payment",
                                .ref = "licensor:KH1", .party = LIC_PARTY_LICENSOR,
                                .since = ymd(2025, 4, 16), .notice = NONE, .cure_from = NONE,
                                .cure_by = NONE, .resolved_on = NONE, .status = "detected"};
    f->s.breaches = f->brs;
    f->s.nbreaches = 2;
}

static void build_windows(fixture *f)
{
    f->wins[0] = (lic_st_window){.kind = "option", .id = "O1", .from = ymd(2027, 3, 1),
                                 .until = ymd(2027, 8, 28)};
    f->wins[1] = (lic_st_window){.kind = "renegotiation", .id = "renegotiation:1",
                                 .from = ymd(2027, 1, 15), .until = ymd(2027, 2, 13)};
    f->wins[2] = (lic_st_window){.kind = "change_of_control", .id = "right:change_of_control",
                                 .from = ymd(2027, 9, 1), .until = NONE};
    f->s.windows = f->wins;
    f->s.nwindows = 3;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    lic_diags d;
    lic_diags_init(&d);
    lic_err rc = lic_agreement_load_mem("t.yaml", agreement_yaml, sizeof agreement_yaml - 1, &d,
                                        &f->a);
    lic_diags_fini(&d);
    if (rc) {
        free(f);
        return -1;
    }
    f->s.agreement = f->a;
    f->s.as_of = ymd(2027, 12, 31);
    f->s.known_at = NONE;
    build_milestones(f);
    build_obligations(f);
    build_invoices(f);
    build_breaches(f);
    build_windows(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    lic_agreement_free(f->a);
    free(f);
    return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static char *render(const lic_state *s)
{
    size_t len = 0;
    char *out = lic_ics_render(s, &len);
    assert_non_null(out);
    assert_int_equal(strlen(out), len);
    return out;
}

/* The text of the component whose UID line is "UID:<uid>", from its BEGIN
 * line to its END line; the caller frees it.  Fails the test when absent. */
static char *component(const char *doc, const char *uid)
{
    char line[256];
    snprintf(line, sizeof line, "\r\nUID:%s\r\n", uid);
    const char *at = strstr(doc, line);
    if (!at)
        print_error("no UID %s in:\n%s\n", uid, doc);
    assert_non_null(at);
    const char *begin = at;
    while (begin > doc && strncmp(begin, "\r\nBEGIN:V", 9))
        begin--;
    begin += 2;
    const char *kind = begin + strlen("BEGIN:");
    size_t klen = strcspn(kind, "\r");
    char endline[64];
    snprintf(endline, sizeof endline, "END:%.*s\r\n", (int)klen, kind);
    const char *end = strstr(begin, endline);
    assert_non_null(end);
    end += strlen(endline);
    char *out = malloc((size_t)(end - begin) + 1);
    assert_non_null(out);
    memcpy(out, begin, (size_t)(end - begin));
    out[end - begin] = '\0';
    return out;
}

/* Asserts the component with `uid` is exactly `want`. */
static void check_component(const lic_state *s, const char *uid, const char *want)
{
    char *doc = render(s);
    char *got = component(doc, uid);
    assert_string_equal(got, want);
    free(got);
    free(doc);
}

/* Every "UID:" value in document order, joined by spaces. */
static void uid_order(const char *doc, char *buf, size_t n)
{
    buf[0] = '\0';
    size_t used = 0;
    for (const char *p = strstr(doc, "\nUID:"); p; p = strstr(p + 1, "\nUID:")) {
        size_t len = strcspn(p + 5, "\r");
        int w = snprintf(buf + used, n - used, "%s%.*s", used ? " " : "", (int)len, p + 5);
        assert_true(w > 0 && (size_t)w < n - used);
        used += (size_t)w;
    }
}

static size_t count(const char *doc, const char *what)
{
    size_t k = 0;
    for (const char *p = strstr(doc, what); p; p = strstr(p + 1, what))
        k++;
    return k;
}

/* ---- tests ---------------------------------------------------------------- */

static void calendar_header_names_prodid_version_and_agreement(void **state)
{
    fixture *f = *state;
    char *doc = render(&f->s);
    const char *want = "BEGIN:VCALENDAR\r\n"
                       "PRODID:-//licet//licet 0.1.0//EN\r\n"
                       "VERSION:2.0\r\n"
                       "CALSCALE:GREGORIAN\r\n"
                       "METHOD:PUBLISH\r\n"
                       "X-WR-CALNAME:T-1 \xe2\x80\x94 Test license\r\n"
                       "BEGIN:";
    assert_true(strlen(doc) > strlen(want));
    doc[strlen(want)] = '\0';
    assert_string_equal(doc, want);
    free(doc);
}

static void document_ends_with_end_vcalendar_crlf(void **state)
{
    fixture *f = *state;
    char *doc = render(&f->s);
    const char *tail = "END:VCALENDAR\r\n";
    size_t n = strlen(doc);
    assert_true(n > strlen(tail));
    assert_string_equal(doc + n - strlen(tail), tail);
    free(doc);
}

static void achieved_milestone_is_completed_vtodo_with_date_due_and_alarm(void **state)
{
    fixture *f = *state;
    check_component(&f->s, "milestone:M1@T-1.licet",
                    "BEGIN:VTODO\r\n"
                    "UID:milestone:M1@T-1.licet\r\n"
                    "DTSTAMP:20271231T000000Z\r\n"
                    "DUE;VALUE=DATE:20260715\r\n"
                    "SUMMARY:Milestone M1 due: First IND filing\r\n"
                    "DESCRIPTION:Status on 2027-12-31: achieved (2026-06-30).\r\n"
                    "CATEGORIES:Milestone\r\n"
                    "STATUS:COMPLETED\r\n"
                    "COMPLETED:20260630T000000Z\r\n"
                    "BEGIN:VALARM\r\n"
                    "ACTION:DISPLAY\r\n"
                    "TRIGGER;RELATED=END:-P14D\r\n"
                    "DESCRIPTION:In 14 days (2026-07-15): Milestone M1 due: First IND filing\r\n"
                    "END:VALARM\r\n"
                    "END:VTODO\r\n");
}

static void missed_milestone_needs_action_and_names_its_original_due_date(void **state)
{
    fixture *f = *state;
    check_component(&f->s, "milestone:M2@T-1.licet",
                    "BEGIN:VTODO\r\n"
                    "UID:milestone:M2@T-1.licet\r\n"
                    "DTSTAMP:20271231T000000Z\r\n"
                    "DUE;VALUE=DATE:20270115\r\n"
                    "SUMMARY:Milestone M2 due: Phase I start\r\n"
                    "DESCRIPTION:Status on 2027-12-31: missed. Originally due 2026-12-01.\r\n"
                    "CATEGORIES:Milestone\r\n"
                    "STATUS:NEEDS-ACTION\r\n"
                    "BEGIN:VALARM\r\n"
                    "ACTION:DISPLAY\r\n"
                    "TRIGGER;RELATED=END:-P14D\r\n"
                    "DESCRIPTION:In 14 days (2027-01-15): Milestone M2 due: Phase I start\r\n"
                    "END:VALARM\r\n"
                    "END:VTODO\r\n");
}

static void satisfied_report_is_completed_on_the_day_it_was_filed(void **state)
{
    fixture *f = *state;
    check_component(&f->s, "report:royalty:2027-Q1@T-1.licet",
                    "BEGIN:VTODO\r\n"
                    "UID:report:royalty:2027-Q1@T-1.licet\r\n"
                    "DTSTAMP:20271231T000000Z\r\n"
                    "DUE;VALUE=DATE:20270530\r\n"
                    "SUMMARY:Royalty report 2027-Q1 due\r\n"
                    "DESCRIPTION:Status on 2027-12-31: satisfied (2027-05-02). Owed by the \r\n"
                    " licensee.\r\n"
                    "CATEGORIES:Royalty report\r\n"
                    "STATUS:COMPLETED\r\n"
                    "COMPLETED:20270502T000000Z\r\n"
                    "BEGIN:VALARM\r\n"
                    "ACTION:DISPLAY\r\n"
                    "TRIGGER;RELATED=END:-P14D\r\n"
                    "DESCRIPTION:In 14 days (2027-05-30): Royalty report 2027-Q1 due\r\n"
                    "END:VALARM\r\n"
                    "END:VTODO\r\n");
}

static void licensor_obligation_summary_carries_its_title(void **state)
{
    fixture *f = *state;
    check_component(&f->s, "licensor:KH1@T-1.licet",
                    "BEGIN:VTODO\r\n"
                    "UID:licensor:KH1@T-1.licet\r\n"
                    "DTSTAMP:20271231T000000Z\r\n"
                    "DUE;VALUE=DATE:20250415\r\n"
                    "SUMMARY:Licensor obligation KH1 due: Transfer know-how\r\n"
                    "DESCRIPTION:Status on 2027-12-31: overdue. Owed by the licensor.\r\n"
                    "CATEGORIES:Licensor obligation\r\n"
                    "STATUS:NEEDS-ACTION\r\n"
                    "BEGIN:VALARM\r\n"
                    "ACTION:DISPLAY\r\n"
                    "TRIGGER;RELATED=END:-P14D\r\n"
                    "DESCRIPTION:In 14 days (2025-04-15): Licensor obligation KH1 due: \r\n"
                    " Transfer know-how\r\n"
                    "END:VALARM\r\n"
                    "END:VTODO\r\n");
}

static void waived_obligation_is_cancelled_not_completed(void **state)
{
    fixture *f = *state;
    check_component(&f->s, "notice:change_of_control@T-1.licet",
                    "BEGIN:VTODO\r\n"
                    "UID:notice:change_of_control@T-1.licet\r\n"
                    "DTSTAMP:20271231T000000Z\r\n"
                    "DUE;VALUE=DATE:20270801\r\n"
                    "SUMMARY:Notice of change of control due\r\n"
                    "DESCRIPTION:Status on 2027-12-31: waived. Owed by the licensee.\r\n"
                    "CATEGORIES:Notice\r\n"
                    "STATUS:CANCELLED\r\n"
                    "BEGIN:VALARM\r\n"
                    "ACTION:DISPLAY\r\n"
                    "TRIGGER;RELATED=END:-P14D\r\n"
                    "DESCRIPTION:In 14 days (2027-08-01): Notice of change of control due\r\n"
                    "END:VALARM\r\n"
                    "END:VTODO\r\n");
}

static void invoice_summary_has_amount_in_the_agreement_currency(void **state)
{
    fixture *f = *state;
    check_component(&f->s, "inv:milestone:M1@T-1.licet",
                    "BEGIN:VTODO\r\n"
                    "UID:inv:milestone:M1@T-1.licet\r\n"
                    "DTSTAMP:20271231T000000Z\r\n"
                    "DUE;VALUE=DATE:20260730\r\n"
                    "SUMMARY:Invoice inv:milestone:M1 due: 250000.00 USD\r\n"
                    "DESCRIPTION:Status on 2027-12-31: paid (2026-07-20). Paid 250000.00 of \r\n"
                    " 250000.00 USD.\r\n"
                    "CATEGORIES:Invoice\r\n"
                    "STATUS:COMPLETED\r\n"
                    "COMPLETED:20260720T000000Z\r\n"
                    "BEGIN:VALARM\r\n"
                    "ACTION:DISPLAY\r\n"
                    "TRIGGER;RELATED=END:-P14D\r\n"
                    "DESCRIPTION:In 14 days (2026-07-30): Invoice inv:milestone:M1 due: \r\n"
                    " 250000.00 USD\r\n"
                    "END:VALARM\r\n"
                    "END:VTODO\r\n");
}

static void invoice_of_unknown_amount_says_so(void **state)
{
    fixture *f = *state;
    char *doc = render(&f->s);
    char *got = component(doc, "inv:upfront@T-1.licet");
    const char *want_start = "BEGIN:VTODO\r\n"
                             "UID:inv:upfront@T-1.licet\r\n"
                             "DTSTAMP:20271231T000000Z\r\n"
                             "DUE;VALUE=DATE:20250214\r\n"
                             "SUMMARY:Invoice inv:upfront due: amount not known\r\n"
                             "DESCRIPTION:Status on 2027-12-31: open.\r\n"
                             "CATEGORIES:Invoice\r\n"
                             "STATUS:NEEDS-ACTION\r\n"
                             "BEGIN:VALARM\r\n";
    got[strlen(want_start) < strlen(got) ? strlen(want_start) : strlen(got)] = '\0';
    assert_string_equal(got, want_start);
    free(got);
    free(doc);
}

static void cure_deadline_uid_is_breach_id_colon_cure_due_on_cure_by(void **state)
{
    fixture *f = *state;
    check_component(&f->s, "breach:M2:cure@T-1.licet",
                    "BEGIN:VTODO\r\n"
                    "UID:breach:M2:cure@T-1.licet\r\n"
                    "DTSTAMP:20271231T000000Z\r\n"
                    "DUE;VALUE=DATE:20270502\r\n"
                    "SUMMARY:Cure deadline for breach:M2 (diligence)\r\n"
                    "DESCRIPTION:Status on 2027-12-31: noticed. The licensee has been in \r\n"
                    " breach since 2027-01-16.\r\n"
                    "CATEGORIES:Cure deadline\r\n"
                    "STATUS:NEEDS-ACTION\r\n"
                    "BEGIN:VALARM\r\n"
                    "ACTION:DISPLAY\r\n"
                    "TRIGGER;RELATED=END:-P14D\r\n"
                    "DESCRIPTION:In 14 days (2027-05-02): Cure deadline for breach:M2 \r\n"
                    " (diligence)\r\n"
                    "END:VALARM\r\n"
                    "END:VTODO\r\n");
}

static void option_window_is_all_day_vevent_with_exclusive_dtend(void **state)
{
    fixture *f = *state;
    /* Open 2027-03-01 to 2027-08-28 inclusive: DTEND is 2027-08-29. */
    check_component(&f->s, "window:option:O1@T-1.licet",
                    "BEGIN:VEVENT\r\n"
                    "UID:window:option:O1@T-1.licet\r\n"
                    "DTSTAMP:20271231T000000Z\r\n"
                    "DTSTART;VALUE=DATE:20270301\r\n"
                    "DTEND;VALUE=DATE:20270829\r\n"
                    "SUMMARY:Option window O1: Expand to Japan\r\n"
                    "DESCRIPTION:Open from 2027-03-01 to 2027-08-28 inclusive.\r\n"
                    "CATEGORIES:Option window\r\n"
                    "TRANSP:TRANSPARENT\r\n"
                    "END:VEVENT\r\n");
}

static void window_id_that_starts_with_its_kind_is_not_prefixed_twice(void **state)
{
    fixture *f = *state;
    check_component(&f->s, "window:renegotiation:1@T-1.licet",
                    "BEGIN:VEVENT\r\n"
                    "UID:window:renegotiation:1@T-1.licet\r\n"
                    "DTSTAMP:20271231T000000Z\r\n"
                    "DTSTART;VALUE=DATE:20270115\r\n"
                    "DTEND;VALUE=DATE:20270214\r\n"
                    "SUMMARY:Renegotiation window 1\r\n"
                    "DESCRIPTION:Open from 2027-01-15 to 2027-02-13 inclusive.\r\n"
                    "CATEGORIES:Renegotiation window\r\n"
                    "TRANSP:TRANSPARENT\r\n"
                    "END:VEVENT\r\n");
}

static void window_without_a_last_day_has_no_dtend_and_one_of_a_kind_no_id(void **state)
{
    fixture *f = *state;
    check_component(&f->s, "window:change_of_control@T-1.licet",
                    "BEGIN:VEVENT\r\n"
                    "UID:window:change_of_control@T-1.licet\r\n"
                    "DTSTAMP:20271231T000000Z\r\n"
                    "DTSTART;VALUE=DATE:20270901\r\n"
                    "SUMMARY:Change-of-control termination window\r\n"
                    "DESCRIPTION:Opens 2027-09-01. The closing day is not known.\r\n"
                    "CATEGORIES:Change-of-control termination window\r\n"
                    "TRANSP:TRANSPARENT\r\n"
                    "END:VEVENT\r\n");
}

static void sunset_window_uid_is_kind_then_grant(void **state)
{
    fixture *f = *state;
    f->wins[2] = (lic_st_window){.kind = "sunset", .id = "G1", .from = ymd(2040, 1, 15),
                                 .until = ymd(2040, 2, 13)};
    check_component(&f->s, "window:sunset:G1@T-1.licet",
                    "BEGIN:VEVENT\r\n"
                    "UID:window:sunset:G1@T-1.licet\r\n"
                    "DTSTAMP:20271231T000000Z\r\n"
                    "DTSTART;VALUE=DATE:20400115\r\n"
                    "DTEND;VALUE=DATE:20400214\r\n"
                    "SUMMARY:Exclusivity sunset window G1\r\n"
                    "DESCRIPTION:Open from 2040-01-15 to 2040-02-13 inclusive.\r\n"
                    "CATEGORIES:Exclusivity sunset window\r\n"
                    "TRANSP:TRANSPARENT\r\n"
                    "END:VEVENT\r\n");
}

static void items_are_sorted_by_date_then_uid_and_undated_ones_left_out(void **state)
{
    fixture *f = *state;
    /* milestone:M2 and window:renegotiation:1 share 2027-01-15: by UID. */
    char *doc = render(&f->s);
    char got[1024];
    uid_order(doc, got, sizeof got);
    assert_string_equal(got, "inv:upfront@T-1.licet "
                             "licensor:KH1@T-1.licet "
                             "milestone:M1@T-1.licet "
                             "inv:milestone:M1@T-1.licet "
                             "milestone:M2@T-1.licet "
                             "window:renegotiation:1@T-1.licet "
                             "window:option:O1@T-1.licet "
                             "breach:M2:cure@T-1.licet "
                             "report:royalty:2027-Q1@T-1.licet "
                             "notice:change_of_control@T-1.licet "
                             "window:change_of_control@T-1.licet");
    free(doc);
}

/* RFC 5545 3.1: lines end in CRLF and are folded at 75 octets. */
static void lines_end_in_crlf_and_are_at_most_75_octets(void **state)
{
    fixture *f = *state;
    char *doc = render(&f->s);
    size_t lines = 0;
    for (const char *p = doc; *p; lines++) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        assert_true(nl > p && nl[-1] == '\r');
        if (nl - p - 1 > 75)
            print_error("line of %d octets: %.*s\n", (int)(nl - p - 1), (int)(nl - p - 1), p);
        assert_true(nl - p - 1 <= 75);
        p = nl + 1;
    }
    assert_int_equal(lines, count(doc, "\r\n"));
    free(doc);
}

static void dtstamp_is_the_as_of_date_at_midnight_utc(void **state)
{
    fixture *f = *state;
    f->s.as_of = ymd(2030, 2, 28);
    char *doc = render(&f->s);
    assert_int_equal(count(doc, "\r\nDTSTAMP:"), 11);
    assert_int_equal(count(doc, "\r\nDTSTAMP:20300228T000000Z\r\n"), 11);
    free(doc);
}

static void rendering_is_byte_identical_and_ignores_list_order(void **state)
{
    fixture *f = *state;
    char *one = render(&f->s);
    char *two = render(&f->s);
    assert_string_equal(one, two);
    lic_st_window w = f->wins[0];
    f->wins[0] = f->wins[2];
    f->wins[2] = w;
    lic_st_obligation o = f->obs[0];
    f->obs[0] = f->obs[1];
    f->obs[1] = o;
    char *three = render(&f->s);
    assert_string_equal(one, three);
    free(one);
    free(two);
    free(three);
}

/* Counts the components of `kind` directly inside `cal`. */
static int count_components(icalcomponent *cal, icalcomponent_kind kind)
{
    return icalcomponent_count_components(cal, kind);
}

static void libical_parses_the_output_back_with_every_component(void **state)
{
    fixture *f = *state;
    char *doc = render(&f->s);
    icalcomponent *cal = icalparser_parse_string(doc);
    assert_non_null(cal);
    assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
    assert_int_equal(count_components(cal, ICAL_VTODO_COMPONENT), 8);
    assert_int_equal(count_components(cal, ICAL_VEVENT_COMPONENT), 3);
    int alarms = 0;
    for (icalcomponent *t = icalcomponent_get_first_component(cal, ICAL_VTODO_COMPONENT); t;
         t = icalcomponent_get_next_component(cal, ICAL_VTODO_COMPONENT)) {
        icalcomponent *al = icalcomponent_get_first_component(t, ICAL_VALARM_COMPONENT);
        assert_non_null(al);
        icalproperty *p = icalcomponent_get_first_property(al, ICAL_TRIGGER_PROPERTY);
        assert_non_null(p);
        struct icaltriggertype tr = icalproperty_get_trigger(p);
        assert_int_equal(icaldurationtype_as_int(tr.duration), -14 * 86400);
        icalparameter *rel = icalproperty_get_first_parameter(p, ICAL_RELATED_PARAMETER);
        assert_non_null(rel);
        assert_int_equal(icalparameter_get_related(rel), ICAL_RELATED_END);
        assert_true(icalcomponent_get_due(t).is_date);
        alarms++;
    }
    assert_int_equal(alarms, 8);
    icalcomponent *o1 = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    assert_string_equal(icalcomponent_get_uid(o1), "window:renegotiation:1@T-1.licet");
    icalcomponent_free(cal);
    free(doc);
}

static void empty_state_is_a_calendar_with_no_items(void **state)
{
    fixture *f = *state;
    lic_state empty = {.agreement = f->a, .as_of = ymd(2025, 1, 15), .known_at = NONE};
    char *doc = render(&empty);
    assert_string_equal(doc, "BEGIN:VCALENDAR\r\n"
                             "PRODID:-//licet//licet 0.1.0//EN\r\n"
                             "VERSION:2.0\r\n"
                             "CALSCALE:GREGORIAN\r\n"
                             "METHOD:PUBLISH\r\n"
                             "X-WR-CALNAME:T-1 \xe2\x80\x94 Test license\r\n"
                             "END:VCALENDAR\r\n");
    free(doc);
}

static void null_state_or_agreement_gives_null(void **state)
{
    (void)state;
    size_t len = 99;
    assert_null(lic_ics_render(NULL, &len));
    assert_int_equal(len, 0);
    lic_state s = {.as_of = NONE};
    assert_null(lic_ics_render(&s, NULL));
}

/* Every one of our allocations fails in turn: NULL and nothing leaked
 * (ASan checks under SAN=1), until enough succeed to finish. */
static void out_of_memory_at_every_allocation(void **state)
{
    fixture *f = *state;
    char *want = render(&f->s);
    for (long n = 0;; n++) {
        lic__alloc_fail_after(n);
        char *out = lic_ics_render(&f->s, NULL);
        lic__alloc_fail_after(-1);
        if (out) {
            assert_string_equal(out, want);
            free(out);
            break;
        }
    }
    free(want);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(calendar_header_names_prodid_version_and_agreement),
        T(document_ends_with_end_vcalendar_crlf),
        T(achieved_milestone_is_completed_vtodo_with_date_due_and_alarm),
        T(missed_milestone_needs_action_and_names_its_original_due_date),
        T(satisfied_report_is_completed_on_the_day_it_was_filed),
        T(licensor_obligation_summary_carries_its_title),
        T(waived_obligation_is_cancelled_not_completed),
        T(invoice_summary_has_amount_in_the_agreement_currency),
        T(invoice_of_unknown_amount_says_so),
        T(cure_deadline_uid_is_breach_id_colon_cure_due_on_cure_by),
        T(option_window_is_all_day_vevent_with_exclusive_dtend),
        T(window_id_that_starts_with_its_kind_is_not_prefixed_twice),
        T(window_without_a_last_day_has_no_dtend_and_one_of_a_kind_no_id),
        T(sunset_window_uid_is_kind_then_grant),
        T(items_are_sorted_by_date_then_uid_and_undated_ones_left_out),
        T(lines_end_in_crlf_and_are_at_most_75_octets),
        T(dtstamp_is_the_as_of_date_at_midnight_utc),
        T(rendering_is_byte_identical_and_ignores_list_order),
        T(libical_parses_the_output_back_with_every_component),
        T(empty_state_is_a_calendar_with_no_items),
        T(null_state_or_agreement_gives_null),
        T(out_of_memory_at_every_allocation),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
