/*
 * page_portfolio.c - /portfolio: every agreement on one page, as of a
 * date, for the licensor's staff.
 *
 * One row per deal, read off its cached status by srv_summary (the same
 * summary GET /api/agreements?summary=1 gives): its state, the next
 * deadline, what is overdue (late obligations, overdue invoices, missed
 * milestones), the breaches still open with the days left to cure, the
 * exclusive grants at risk (summary.c says when), and the money open and
 * overdue.  Above the table, the counts a manager scans first, and the
 * overdue money per currency (amounts of different currencies are never
 * added together).
 */
#include <stdlib.h>
#include <string.h>

#include "page.h"

#define MAX_CURRENCIES 16

typedef struct ccy_total {
    const lic_currency *c;
    lic_amount overdue;
} ccy_total;

typedef struct pf_ctx {
    srv_req *r;
    lic_date as_of;
    srv_buf rows;
    int deals, with_overdue, in_cure, at_risk, unreadable;
    ccy_total money[MAX_CURRENCIES];
    size_t nmoney;
} pf_ctx;

static void add_overdue(pf_ctx *c, const lic_currency *cur, const char *decimal)
{
    lic_amount v;
    if (!cur || !decimal || lic_amount_parse(decimal, strlen(decimal), cur->digits, &v) || v == 0)
        return;
    size_t i = 0;
    while (i < c->nmoney && c->money[i].c != cur)
        i++;
    if (i == c->nmoney) {
        if (c->nmoney == MAX_CURRENCIES)
            return;
        c->money[c->nmoney++] = (ccy_total){cur, 0};
    }
    lic_amount sum;
    if (!lic_amount_add(c->money[i].overdue, v, &sum))
        c->money[i].overdue = sum;
}

static void agreement_cell(pf_ctx *c, const char *id, const lic_agreement *a, const char *q)
{
    srv_buf *b = &c->rows;
    srv_buf_puts(b, "<td><a class=\"id\" href=\"/agreements/");
    srv_buf_html(b, id);
    srv_buf_html(b, q);
    srv_buf_puts(b, "\">");
    srv_buf_html(b, id);
    srv_buf_puts(b, "</a>");
    if (a) {
        srv_buf_puts(b, "<div class=\"sub\">");
        srv_buf_html(b, a->title);
        srv_buf_puts(b, "</div><div class=\"sub dim\">");
        srv_buf_html(b, a->licensee.name ? a->licensee.name : a->licensee.id);
        srv_buf_puts(b, "</div>");
    }
    srv_buf_puts(b, "</td>");
}

static void deadline_cell(srv_buf *b, json_t *next)
{
    srv_buf_puts(b, "<td>");
    if (!json_is_object(next)) {
        srv_buf_puts(b, "<span class=\"dim\">none</span></td>");
        return;
    }
    int days = (int)json_integer_value(json_object_get(next, "days"));
    srv_buf_printf(b, "<div class=\"%s\">", days <= 14 ? "soon" : "");
    srv_buf_html(b, page_str(next, "date"));
    srv_buf_puts(b, " <span class=\"dim\">(");
    page_days(b, days);
    srv_buf_puts(b, ")</span></div><div class=\"sub\">");
    srv_buf_html(b, page_str(next, "what"));
    srv_buf_puts(b, "</div></td>");
}

/* The ids of a list inside a <details>, so a long list stays one line. */
static void id_list(srv_buf *b, json_t *list, const char *label)
{
    size_t n = json_array_size(list), i;
    json_t *x;
    if (!n)
        return;
    srv_buf_printf(b, "<details class=\"mini\"><summary><span class=\"badge bad\">%zu</span> ", n);
    srv_buf_html(b, label);
    srv_buf_puts(b, "</summary><ul>");
    json_array_foreach(list, i, x)
    {
        srv_buf_puts(b, "<li>");
        srv_buf_html(b, json_string_value(x));
        srv_buf_puts(b, "</li>");
    }
    srv_buf_puts(b, "</ul></details>");
}

static bool overdue_cell(srv_buf *b, json_t *sum)
{
    json_t *inv = json_object_get(sum, "overdue_invoices"), *late = json_object_get(sum, "late");
    json_t *missed = json_object_get(sum, "missed_milestones");
    bool any = json_array_size(inv) || json_array_size(late) || json_array_size(missed);
    srv_buf_puts(b, "<td>");
    if (!any)
        srv_buf_puts(b, "<span class=\"dim\">nothing</span>");
    id_list(b, inv, "invoices overdue");
    id_list(b, late, "obligations late");
    id_list(b, missed, "milestones missed");
    srv_buf_puts(b, "</td>");
    return any;
}

/* One line of a breach list: its id, class and, when it has one, the
 * cure deadline. */
static void breach_line(srv_buf *b, json_t *x)
{
    srv_buf_puts(b, "<li>");
    srv_buf_html(b, page_str(x, "id"));
    srv_buf_puts(b, " <span class=\"dim\">");
    srv_buf_html(b, page_str(x, "class"));
    if (page_str(x, "cure_by")) {
        srv_buf_puts(b, ", cure ended ");
        srv_buf_html(b, page_str(x, "cure_by"));
    }
    srv_buf_puts(b, "</span></li>");
}

/* The breaches of one group (0: in cure, 1: cure over, 2: not noticed). */
static int group_of(json_t *x)
{
    json_t *left = json_object_get(x, "days_left");
    if (!json_is_integer(left))
        return 2;
    return json_integer_value(left) >= 0 ? 0 : 1;
}

static void breach_group(srv_buf *b, json_t *list, int group, const char *label, const char *tone)
{
    json_t *x;
    size_t i, n = 0;
    json_array_foreach(list, i, x) n += group_of(x) == group;
    if (!n)
        return;
    srv_buf_printf(b, "<details class=\"mini\"><summary><span class=\"badge %s\">%zu</span> ", tone, n);
    srv_buf_html(b, label);
    srv_buf_puts(b, "</summary><ul>");
    json_array_foreach(list, i, x) if (group_of(x) == group) breach_line(b, x);
    srv_buf_puts(b, "</ul></details>");
}

/* Breaches in cure one by one, with their countdown (what a manager can
 * still act on); those whose cure period is over, and those not yet
 * noticed, as counts that open into lists. */
static bool breach_cell(srv_buf *b, json_t *sum)
{
    json_t *list = json_object_get(sum, "open_breaches"), *x;
    size_t i;
    bool curing = false;
    srv_buf_puts(b, "<td>");
    json_array_foreach(list, i, x)
    {
        if (group_of(x) != 0)
            continue;
        int days = (int)json_integer_value(json_object_get(x, "days_left"));
        curing = true;
        srv_buf_puts(b, "<div class=\"breach\">");
        srv_buf_html(b, page_str(x, "id"));
        srv_buf_puts(b, " <span class=\"dim\">");
        srv_buf_html(b, page_str(x, "class"));
        srv_buf_printf(b, "</span><br><span class=\"badge %s\">%d day%s left to cure</span> <span class=\"dim\">by ",
                       days <= 14 ? "bad" : "warn", days, days == 1 ? "" : "s");
        srv_buf_html(b, page_str(x, "cure_by"));
        srv_buf_puts(b, "</span></div>");
    }
    breach_group(b, list, 1, "cure period over", "bad");
    breach_group(b, list, 2, "open, not noticed", "warn");
    if (!json_array_size(list))
        srv_buf_puts(b, "<span class=\"dim\">none</span>");
    srv_buf_puts(b, "</td>");
    return curing;
}

static bool risk_cell(srv_buf *b, json_t *sum)
{
    json_t *list = json_object_get(sum, "exclusivity_at_risk"), *x;
    size_t i;
    srv_buf_puts(b, "<td>");
    json_array_foreach(list, i, x)
    {
        srv_buf_puts(b, "<span class=\"badge bad\" title=\"exclusive grant while a breach or a right against "
                        "it is open\">");
        srv_buf_html(b, json_string_value(x));
        srv_buf_puts(b, " at risk</span> ");
    }
    if (!json_array_size(list))
        srv_buf_puts(b, "<span class=\"dim\">no</span>");
    srv_buf_puts(b, "</td>");
    return json_array_size(list) > 0;
}

static void money_cell(srv_buf *b, json_t *sum, const char *ccy)
{
    json_t *bal = json_object_get(sum, "balance");
    const char *open = page_str(bal, "open"), *overdue = page_str(bal, "overdue");
    srv_buf_puts(b, "<td class=\"num\"><div>open ");
    page_money(b, open, ccy);
    srv_buf_printf(b, "</div><div class=\"%s\">overdue ", page_nonzero(overdue) ? "over" : "dim");
    page_money(b, overdue, ccy);
    srv_buf_puts(b, "</div></td>");
}

static int one_deal(void *ctx, const lic_store_agreement_info *i)
{
    pf_ctx *c = ctx;
    int version;
    unsigned status = 0;
    const lic_agreement *a = srv_agreement(c->r->store, i->id, &version, &status);
    if (!a && status != 500)
        return status == 404 ? 0 : LIC_EIO;
    char q[64];
    page_as_of_query(c->r, q, sizeof q);
    json_t *st = a ? page_status(c->r, i->id, a, c->as_of) : NULL;
    srv_buf *b = &c->rows;
    c->deals++;
    srv_buf_puts(b, "<tr>");
    agreement_cell(c, i->id, a, q);
    if (!st) {
        c->unreadable++;
        srv_buf_puts(b, "<td colspan=\"6\" class=\"err\">the status cannot be computed: the stored text or its "
                        "ledger no longer loads</td></tr>\n");
        return 0;
    }
    json_t *sum = srv_summary(st, c->as_of);
    const char *ccy = a->currency ? a->currency->code : NULL;
    srv_buf_puts(b, "<td>");
    page_badge(b, page_str(sum, "state"));
    srv_buf_puts(b, "</td>");
    deadline_cell(b, json_object_get(sum, "next_deadline"));
    c->with_overdue += overdue_cell(b, sum);
    c->in_cure += breach_cell(b, sum);
    c->at_risk += risk_cell(b, sum);
    money_cell(b, sum, ccy);
    srv_buf_puts(b, "</tr>\n");
    add_overdue(c, a->currency, page_str(json_object_get(sum, "balance"), "overdue"));
    json_decref(sum);
    json_decref(st);
    return 0;
}

static void stat_card(srv_buf *b, const char *label, int n, bool alarm, const char *testid)
{
    srv_buf_printf(b, "<div class=\"stat%s\" data-testid=\"%s\"><div class=\"stat-n\">%d</div><div "
                      "class=\"stat-l\">",
                   alarm && n ? " alarm" : "", testid, n);
    srv_buf_html(b, label);
    srv_buf_puts(b, "</div></div>");
}

static void cards(srv_buf *b, const pf_ctx *c)
{
    srv_buf_puts(b, "<div class=\"stats\">");
    stat_card(b, "agreements", c->deals, false, "stat-deals");
    stat_card(b, "with something overdue", c->with_overdue, true, "stat-overdue");
    stat_card(b, "with a breach in cure", c->in_cure, true, "stat-cure");
    stat_card(b, "with exclusivity at risk", c->at_risk, true, "stat-risk");
    srv_buf_puts(b, "<div class=\"stat money\"><div class=\"stat-l\">overdue money</div>");
    for (size_t i = 0; i < c->nmoney; i++) {
        srv_buf_puts(b, "<div class=\"over\">");
        page_amount(b, c->money[i].overdue, c->money[i].c);
        srv_buf_puts(b, "</div>");
    }
    if (!c->nmoney)
        srv_buf_puts(b, "<div class=\"dim\">none</div>");
    srv_buf_puts(b, "</div></div>\n");
}

void page_portfolio(srv_req *r, srv_resp *out)
{
    pf_ctx c = {.r = r};
    if (!page_as_of_or_respond(r, out, &c.as_of))
        return;
    if (lic_store_agreements(r->store, one_deal, &c)) {
        srv_buf_free(&c.rows);
        page_fail(r, out, 503, "The portfolio store is not available.");
        return;
    }
    char day[LIC_DATE_STRLEN];
    lic_date_str(c.as_of, day);
    srv_buf b = {0};
    page_begin(r, &b, "Portfolio", "portfolio");
    srv_buf_printf(&b, "<div class=\"pagehead\"><h1>Portfolio <span class=\"dim\">as of %s</span></h1>", day);
    page_as_of_form(&b, "/portfolio", c.as_of, "As of");
    srv_buf_puts(&b, "</div>\n");
    cards(&b, &c);
    srv_buf_puts(&b, "<div class=\"tablewrap\"><table class=\"grid\" id=\"portfolio\">\n<thead><tr>"
                     "<th>Agreement</th><th>State</th><th>Next deadline</th><th>Overdue</th>"
                     "<th>Open breaches</th><th>Exclusivity</th><th class=\"num\">Money</th></tr></thead>\n<tbody>\n");
    if (c.rows.n)
        srv_buf_put(&b, c.rows.v, c.rows.n);
    else
        srv_buf_puts(&b, "<tr><td colspan=\"7\" class=\"dim\">No agreements yet: add one with "
                         "<code>licet add</code> or POST /api/agreements.</td></tr>\n");
    b.oom |= c.rows.oom;
    srv_buf_free(&c.rows);
    srv_buf_puts(&b, "</tbody></table></div>\n<p class=\"note\">Exclusivity is <b>at risk</b> when an "
                     "exclusive or sole grant is in force while a breach of the licensee is open (its remedies "
                     "may step the grant down or revert it) or while a right of the licensor has arisen and "
                     "is not yet applied.</p>\n");
    page_end(&b);
    page_send(out, 200, &b);
}
