/*
 * page_portal.c - /portal: the licensee's own agreements (and, for the
 * licensor's staff, every agreement, to act for a licensee).
 *
 * Per agreement: where it stands (state, next deadline, money owed, the
 * reports due), the CSV template, a form to upload a quarterly sales
 * report, a form to report a milestone achieved with its evidence, and
 * the reports sent so far with the licensor's decision.  The forms are
 * posted by app.js (the upload as the CSV itself, text/csv, to POST
 * /api/agreements/{id}/reports; the milestone as one JSON Lines event to
 * POST /api/agreements/{id}/events), which shows the answer at once: the
 * validation errors with line and column, or the statement and its flags.
 *
 * Which agreements are listed is decided as GET /api/agreements decides
 * (a licensee sees only those whose licensee is its party); the page
 * calls that handler rather than repeating the rule.
 */
#include <string.h>

#include "page.h"

typedef struct portal {
    srv_req *r;
    srv_buf *b;
    lic_date as_of;
} portal;

static void attr_id(srv_buf *b, const char *id)
{
    srv_buf_puts(b, " data-agreement=\"");
    srv_buf_html(b, id);
    srv_buf_puts(b, "\"");
}

/* The royalty report to send next: the earliest overdue, else the next due. */
static const char *period_to_report(json_t *st)
{
    static const char prefix[] = "report:royalty:";
    json_t *o;
    size_t i;
    const char *due = NULL;
    json_array_foreach(json_object_get(st, "obligations"), i, o)
    {
        const char *id = page_str(o, "id"), *s = page_str(o, "status");
        if (!id || !s || strncmp(id, prefix, sizeof prefix - 1))
            continue;
        if (!strcmp(s, "overdue"))
            return id + sizeof prefix - 1;
        if (!strcmp(s, "due") && !due)
            due = id + sizeof prefix - 1;
    }
    return due;
}

static void standing(portal *p, json_t *st)
{
    srv_buf *b = p->b;
    json_t *sum = srv_summary(st, p->as_of);
    json_t *next = json_object_get(sum, "next_deadline"), *bal = json_object_get(sum, "balance");
    const char *ccy = p->r->ag && p->r->ag->currency ? p->r->ag->currency->code : NULL;
    srv_buf_puts(b, "<dl class=\"facts\"><div><dt>State</dt><dd>");
    page_badge(b, page_str(sum, "state"));
    srv_buf_puts(b, "</dd></div><div><dt>Next deadline</dt><dd>");
    if (json_is_object(next)) {
        srv_buf_html(b, page_str(next, "date"));
        srv_buf_puts(b, " · ");
        srv_buf_html(b, page_str(next, "what"));
    } else
        srv_buf_puts(b, "none");
    srv_buf_puts(b, "</dd></div><div><dt>Owed</dt><dd>");
    page_money(b, page_str(bal, "open"), ccy);
    const char *overdue = page_str(bal, "overdue");
    srv_buf_printf(b, "</dd></div><div><dt>Overdue</dt><dd%s>", page_nonzero(overdue) ? " class=\"over\"" : "");
    page_money(b, overdue, ccy);
    srv_buf_puts(b, "</dd></div></dl>\n");
    json_decref(sum);
}

static void upload_form(portal *p, const char *id, json_t *st)
{
    srv_buf *b = p->b;
    const char *period = period_to_report(st);
    char today[LIC_DATE_STRLEN];
    lic_date_str(p->r->today, today);
    srv_buf_puts(b, "<form class=\"upload-form stack\" method=\"post\" action=\"#\"");
    attr_id(b, id);
    srv_buf_puts(b, "><h3>Send a sales report</h3><p class=\"dim\">Fill in the <a download href=\"/api/agreements/");
    srv_buf_html(b, id);
    srv_buf_puts(b, "/template.csv\">CSV template</a> (one line per country, product and field), then upload "
                    "it here. It is checked at once.</p><div class=\"row\"><label>Period <input name=\"period\" "
                    "required placeholder=\"2027-Q4\" pattern=\"[0-9]{4}(-(Q[1-4]|H[12]|[0-9]{2}))?\" value=\"");
    srv_buf_html(b, period ? period : "");
    srv_buf_printf(b, "\"></label><label>Received on <input type=\"date\" name=\"date\" value=\"%s\" "
                      "required></label></div><label>CSV file <input type=\"file\" name=\"file\" "
                      "accept=\".csv,text/csv\" required></label><button type=\"submit\" class=\"btn btn-primary\">"
                      "Upload and check</button><div class=\"upload-result\" role=\"status\" aria-live=\"polite\">"
                      "</div></form>\n",
                   today);
}

/* Milestones the licensee owns and has not achieved yet. */
static void evidence_form(portal *p, const char *id, const lic_agreement *a, json_t *st)
{
    srv_buf *b = p->b;
    json_t *m;
    size_t i, n = 0;
    char today[LIC_DATE_STRLEN];
    lic_date_str(p->r->today, today);
    srv_buf_puts(b, "<form class=\"evidence-form stack\" method=\"post\" action=\"#\"");
    attr_id(b, id);
    srv_buf_puts(b, "><h3>Report a milestone achieved</h3><label>Milestone <select name=\"milestone\" required>");
    json_array_foreach(json_object_get(st, "milestones"), i, m)
    {
        const char *mid = page_str(m, "id"), *s = page_str(m, "status");
        int k = mid ? lic_agreement_milestone_index(a, mid) : -1;
        if (k < 0 || a->milestones[k].owner != LIC_PARTY_LICENSEE || !s ||
            (strcmp(s, "pending") && strcmp(s, "missed") && strcmp(s, "extended") && strcmp(s, "rejected")))
            continue;
        srv_buf_puts(b, "<option value=\"");
        srv_buf_html(b, mid);
        srv_buf_puts(b, "\">");
        srv_buf_html(b, mid);
        if (a->milestones[k].title) {
            srv_buf_puts(b, " — ");
            srv_buf_html(b, a->milestones[k].title);
        }
        srv_buf_puts(b, "</option>");
        n++;
    }
    srv_buf_printf(b, "</select></label><label>Achieved on <input type=\"date\" name=\"date\" value=\"%s\" "
                      "required></label><label>Evidence <textarea name=\"evidence\" rows=\"2\" maxlength=\"2000\" "
                      "required placeholder=\"e.g. FDA acknowledgement letter of 2027-03-02, ref. IND 123456\">"
                      "</textarea></label><button type=\"submit\" class=\"btn\"%s>Submit evidence</button>"
                      "<div class=\"evidence-result\" role=\"status\" aria-live=\"polite\"></div></form>\n",
                   today, n ? "" : " disabled");
}

static void reports(portal *p, const char *id, const lic_agreement *a)
{
    srv_buf *b = p->b;
    json_t *v = page_api(p->r, api_reports, id, a), *x;
    json_t *list = json_object_get(v, "reports");
    size_t i;
    srv_buf_puts(b, "<h3>Reports sent</h3>");
    if (!json_array_size(list))
        srv_buf_puts(b, "<p class=\"dim\">None yet.</p>");
    else
        srv_buf_puts(b, "<table class=\"grid\"><thead><tr><th>Period</th><th>Revision</th><th>Received</th>"
                        "<th>Lines</th><th>Decision</th><th>Note</th></tr></thead><tbody>");
    json_array_foreach(list, i, x)
    {
        srv_buf_puts(b, "<tr><td>");
        srv_buf_html(b, page_str(x, "period"));
        srv_buf_printf(b, "</td><td>%lld</td><td>", (long long)json_integer_value(json_object_get(x, "revision")));
        srv_buf_html(b, page_str(x, "received"));
        srv_buf_printf(b, "</td><td>%lld</td><td>", (long long)json_integer_value(json_object_get(x, "lines")));
        page_badge(b, page_str(x, "decision"));
        srv_buf_puts(b, "</td><td>");
        srv_buf_html(b, page_str(x, "note"));
        srv_buf_puts(b, "</td></tr>");
    }
    if (json_array_size(list))
        srv_buf_puts(b, "</tbody></table>");
    json_decref(v);
}

static void deal(portal *p, json_t *item)
{
    const char *id = page_str(item, "id");
    int version;
    unsigned status = 0;
    const lic_agreement *a = id ? srv_agreement(p->r->store, id, &version, &status) : NULL;
    if (!a)
        return;
    srv_buf *b = p->b;
    const lic_agreement *saved = p->r->ag;
    p->r->ag = a;
    json_t *st = page_status(p->r, id, a, p->as_of);
    srv_buf_puts(b, "<section class=\"card deal\"");
    attr_id(b, id);
    srv_buf_puts(b, "><h2><a href=\"/agreements/");
    srv_buf_html(b, id);
    srv_buf_puts(b, "\">");
    srv_buf_html(b, a->title ? a->title : id);
    srv_buf_puts(b, "</a></h2><p class=\"sub\"><code>");
    srv_buf_html(b, id);
    srv_buf_puts(b, "</code> · licensed by ");
    srv_buf_html(b, a->licensor.name ? a->licensor.name : a->licensor.id);
    srv_buf_puts(b, "</p>\n");
    if (st) {
        standing(p, st);
        srv_buf_puts(b, "<div class=\"two\">");
        upload_form(p, id, st);
        evidence_form(p, id, a, st);
        srv_buf_puts(b, "</div>\n");
    } else
        srv_buf_puts(b, "<p class=\"err\">Where this agreement stands cannot be computed just now.</p>");
    reports(p, id, a);
    srv_buf_puts(b, "</section>\n");
    json_decref(st);
    p->r->ag = saved;
}

void page_portal(srv_req *r, srv_resp *out)
{
    portal p = {.r = r};
    if (!page_as_of_or_respond(r, out, &p.as_of))
        return;
    json_t *v = page_api(r, api_agreements, NULL, NULL), *x;
    json_t *list = json_object_get(v, "agreements");
    if (!json_is_array(list)) {
        json_decref(v);
        page_fail(r, out, 503, "Your agreements cannot be listed: the portfolio store is not available.");
        return;
    }
    srv_buf b = {0};
    p.b = &b;
    page_begin(r, &b, "My agreements", "portal");
    srv_buf_puts(&b, "<div class=\"pagehead\"><h1>");
    srv_buf_puts(&b, r->user.role == LIC_ROLE_LICENSEE ? "Your agreements" : "Agreements (acting for licensees)");
    srv_buf_puts(&b, "</h1></div>\n");
    size_t i;
    json_array_foreach(list, i, x) deal(&p, x);
    if (!json_array_size(list))
        srv_buf_puts(&b, "<section class=\"card\"><p class=\"dim\">No agreements are linked to your account.</p>"
                         "</section>\n");
    json_decref(v);
    page_end(&b);
    page_send(out, 200, &b);
}
