/*
 * page_review.c - /review: the sales reports waiting for the licensor's
 * staff: every report not yet decided (or sent back for revision) and
 * every report with a red flag still open.
 *
 * The queue is the one GET /api/review-queue serves (api_review.c), run
 * through page_api, so the page and the API cannot disagree.  A manager
 * (or admin) gets buttons: approve, request a revision or reject the
 * report, with a note; and, per red flag, resolved, disputed or waived.
 * app.js posts them to POST /api/agreements/{id}/reviews, which appends
 * them to the ledger.  An auditor sees the same page without buttons.
 */
#include <string.h>

#include "page.h"

static const char *const decisions[][2] = {
    {"approved", "Approve"}, {"revision_requested", "Request revision"}, {"rejected", "Reject"}};
static const char *const resolutions[][2] = {{"resolved", "Resolved"}, {"disputed", "Disputed"}, {"waived", "Waived"}};

static void attr(srv_buf *b, const char *name, const char *value)
{
    srv_buf_printf(b, " %s=\"", name);
    srv_buf_html(b, value ? value : "");
    srv_buf_puts(b, "\"");
}

static void flag_row(srv_buf *b, json_t *f, bool manage)
{
    const char *res = page_str(f, "resolution");
    srv_buf_puts(b, "<tr class=\"flag\"");
    attr(b, "data-kind", page_str(f, "kind"));
    attr(b, "data-detail", page_str(f, "detail"));
    srv_buf_puts(b, "><td><span class=\"badge bad\">");
    srv_buf_html(b, page_str(f, "kind"));
    srv_buf_puts(b, "</span></td><td>");
    srv_buf_html(b, page_str(f, "detail"));
    srv_buf_puts(b, "</td><td class=\"resolution\">");
    page_badge(b, res);
    if (page_str(f, "resolved_by")) {
        srv_buf_puts(b, " <span class=\"dim\">by ");
        srv_buf_html(b, page_str(f, "resolved_by"));
        srv_buf_puts(b, "</span>");
    }
    srv_buf_puts(b, "</td>");
    if (manage) {
        srv_buf_puts(b, "<td class=\"actions\">");
        for (size_t i = 0; i < sizeof resolutions / sizeof resolutions[0]; i++)
            srv_buf_printf(b, "<button type=\"button\" class=\"btn btn-small\" data-resolve=\"%s\">%s</button>",
                           resolutions[i][0], resolutions[i][1]);
        srv_buf_puts(b, "</td>");
    }
    srv_buf_puts(b, "</tr>\n");
}

static void flags_table(srv_buf *b, json_t *flags, bool manage)
{
    if (!json_array_size(flags)) {
        srv_buf_puts(b, "<p class=\"dim\">No red flags in this report.</p>");
        return;
    }
    srv_buf_puts(b, "<table class=\"grid flags-table\"><thead><tr><th>Red flag</th><th>Detail</th>"
                    "<th>Resolution</th>");
    if (manage)
        srv_buf_puts(b, "<th>Mark as</th>");
    srv_buf_puts(b, "</tr></thead><tbody>\n");
    json_t *f;
    size_t i;
    json_array_foreach(flags, i, f) flag_row(b, f, manage);
    srv_buf_puts(b, "</tbody></table>\n");
}

static void decide_form(srv_buf *b)
{
    srv_buf_puts(b, "<div class=\"decide\"><label class=\"grow\">Note <input type=\"text\" class=\"note\" "
                    "maxlength=\"2000\" placeholder=\"optional: what the licensee should know\"></label>");
    for (size_t i = 0; i < sizeof decisions / sizeof decisions[0]; i++)
        srv_buf_printf(b, "<button type=\"button\" class=\"btn%s\" data-decide=\"%s\">%s</button>",
                       i == 0 ? " btn-primary" : i == 2 ? " btn-danger" : "", decisions[i][0], decisions[i][1]);
    srv_buf_puts(b, "</div>");
}

static void statement_links(srv_buf *b, const char *id, const char *period, const char *as_of)
{
    static const char *const formats[] = {"csv", "xlsx", "json"};
    srv_buf_puts(b, "<span class=\"dim\">statement:</span> ");
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        srv_buf_puts(b, i ? " · <a href=\"/api/agreements/" : "<a href=\"/api/agreements/");
        srv_buf_html(b, id);
        srv_buf_puts(b, "/royalties/");
        srv_buf_html(b, period);
        srv_buf_printf(b, "?format=%s&amp;as_of=", formats[i]);
        srv_buf_html(b, as_of);
        srv_buf_printf(b, "\">%s</a>", formats[i]);
    }
}

static void item(srv_buf *b, const srv_req *r, json_t *x, bool manage)
{
    const char *id = page_str(x, "agreement"), *period = page_str(x, "period");
    const char *received = page_str(x, "received");
    char today[LIC_DATE_STRLEN];
    lic_date_str(r->today, today);
    const char *as_of = received && strcmp(received, today) > 0 ? received : today;
    srv_buf_puts(b, "<article class=\"card review\" data-testid=\"review-item\"");
    attr(b, "data-agreement", id);
    attr(b, "data-period", period);
    srv_buf_puts(b, "><div class=\"review-head\"><h2><a href=\"/agreements/");
    srv_buf_html(b, id);
    srv_buf_puts(b, "?as_of=");
    srv_buf_html(b, as_of);
    srv_buf_puts(b, "\">");
    srv_buf_html(b, id);
    srv_buf_puts(b, "</a> · ");
    srv_buf_html(b, period);
    srv_buf_printf(b, "</h2><div class=\"decision\">");
    page_badge(b, page_str(x, "decision"));
    srv_buf_printf(b, "</div></div><p class=\"sub\">revision %lld · received ",
                   (long long)json_integer_value(json_object_get(x, "revision")));
    srv_buf_html(b, received ? received : "?");
    srv_buf_printf(b, " · %lld sales lines · %lld open flag%s · ",
                   (long long)json_integer_value(json_object_get(x, "lines")),
                   (long long)json_integer_value(json_object_get(x, "open_flags")),
                   json_integer_value(json_object_get(x, "open_flags")) == 1 ? "" : "s");
    statement_links(b, id, period, as_of);
    srv_buf_puts(b, "</p>");
    if (page_str(x, "note")) {
        srv_buf_puts(b, "<p class=\"note\">Last note: ");
        srv_buf_html(b, page_str(x, "note"));
        srv_buf_puts(b, "</p>");
    }
    flags_table(b, json_object_get(x, "flags"), manage);
    if (manage)
        decide_form(b);
    srv_buf_puts(b, "<p class=\"result\" role=\"status\" aria-live=\"polite\"></p></article>\n");
}

void page_review(srv_req *r, srv_resp *out)
{
    json_t *q = page_api(r, api_review_queue, NULL, NULL);
    json_t *list = json_object_get(q, "queue");
    if (!json_is_array(list)) {
        json_decref(q);
        page_fail(r, out, 503, "The review queue cannot be read: the portfolio store is not available.");
        return;
    }
    bool manage = r->user.role == LIC_ROLE_ADMIN || r->user.role == LIC_ROLE_MANAGER;
    srv_buf b = {0};
    page_begin(r, &b, "Review queue", "review");
    srv_buf_printf(&b, "<div class=\"pagehead\"><h1>Review queue <span class=\"dim\">%zu report%s</span></h1></div>\n",
                   json_array_size(list), json_array_size(list) == 1 ? "" : "s");
    srv_buf_puts(&b, "<p class=\"dim\">Sales reports not yet approved, and reports with red flags not yet "
                     "resolved or waived. Every decision is recorded in the agreement's ledger.");
    if (!manage)
        srv_buf_puts(&b, " <b>You can read this queue; only a manager can decide.</b>");
    srv_buf_puts(&b, "</p>\n");
    json_t *x;
    size_t i;
    json_array_foreach(list, i, x) item(&b, r, x, manage);
    if (!json_array_size(list))
        srv_buf_puts(&b, "<section class=\"card\"><p class=\"dim\">Nothing to review.</p></section>\n");
    json_decref(q);
    page_end(&b);
    page_send(out, 200, &b);
}
