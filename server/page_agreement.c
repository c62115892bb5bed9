/*
 * page_agreement.c - /agreements/{id}: one deal as of a date.
 *
 * The deal is evaluated here (srv_deal_eval, not the cached JSON) because
 * the page needs what the JSON leaves out: the royalty statements of the
 * reported periods, grant pieces as sets (to name them by region), and
 * the remedies behind the rights.  The page reads, top to bottom: where
 * the deal stands (state, money, next deadline), the timeline, the
 * grants with their exclusivity over time, breaches and rights, invoices,
 * royalties by period, red flags, downloads, and the term sheet of the
 * terms in force (amendments applied), as `licet show --html` renders
 * it, without its own page frame.
 */
#include <string.h>

#include "licet/termsheet.h"
#include "page.h"

static void head(srv_buf *b, const srv_req *r, const lic_state *st)
{
    const lic_agreement *a = st->agreement;
    char action[300];
    snprintf(action, sizeof action, "/agreements/%s", r->params[0]);
    srv_buf_puts(b, "<div class=\"pagehead\"><div><div class=\"crumb\"><a href=\"");
    srv_buf_puts(b, r->user.role == LIC_ROLE_LICENSEE ? "/portal" : "/portfolio");
    srv_buf_puts(b, "\">← all agreements</a></div><h1>");
    srv_buf_html(b, a->title ? a->title : r->params[0]);
    srv_buf_puts(b, "</h1><div class=\"sub\"><code>");
    srv_buf_html(b, r->params[0]);
    srv_buf_printf(b, "</code> · version %d · ", r->ag_version);
    srv_buf_html(b, a->licensor.name ? a->licensor.name : a->licensor.id);
    srv_buf_puts(b, " → ");
    srv_buf_html(b, a->licensee.name ? a->licensee.name : a->licensee.id);
    srv_buf_puts(b, "</div></div>");
    page_as_of_form(b, action, st->as_of, "As of");
    srv_buf_puts(b, "</div>\n");
}

static const lic_st_deadline *next_deadline(const lic_state *st)
{
    for (size_t i = 0; i < st->ndeadlines; i++)
        if (st->deadlines[i].date >= st->as_of)
            return &st->deadlines[i];
    return NULL;
}

static size_t open_breaches(const lic_state *st)
{
    size_t n = 0;
    for (size_t i = 0; i < st->nbreaches; i++)
        n += strcmp(st->breaches[i].status, "cured") && strcmp(st->breaches[i].status, "waived");
    return n;
}

static void figures(srv_buf *b, const lic_state *st)
{
    const lic_currency *c = st->agreement->currency;
    srv_buf_puts(b, "<div class=\"stats\"><div class=\"stat\"><div class=\"stat-l\">state</div><div "
                    "class=\"stat-n small\">");
    page_badge(b, lic_deal_state_name(st->state));
    srv_buf_puts(b, "</div></div><div class=\"stat\"><div class=\"stat-l\">next deadline</div>");
    const lic_st_deadline *d = next_deadline(st);
    if (d) {
        srv_buf_puts(b, "<div class=\"stat-n small\">");
        page_date(b, d->date);
        srv_buf_puts(b, "</div><div class=\"sub\">");
        srv_buf_html(b, d->what);
        srv_buf_puts(b, " (");
        page_days(b, (int)(d->date - st->as_of));
        srv_buf_puts(b, ")</div>");
    } else
        srv_buf_puts(b, "<div class=\"dim\">none</div>");
    srv_buf_printf(b, "</div><div class=\"stat%s\"><div class=\"stat-n\">%zu</div><div class=\"stat-l\">open "
                      "breaches</div></div>",
                   open_breaches(st) ? " alarm" : "", open_breaches(st));
    srv_buf_printf(b, "<div class=\"stat%s\"><div class=\"stat-l\">overdue</div><div class=\"stat-n small\">",
                   st->balance.overdue ? " alarm" : "");
    page_amount(b, st->balance.overdue, c);
    srv_buf_puts(b, "</div><div class=\"sub\">open ");
    page_amount(b, st->balance.open, c);
    srv_buf_printf(b, "</div></div><div class=\"stat%s\"><div class=\"stat-n\">%zu</div><div class=\"stat-l\">red "
                      "flags</div></div></div>\n",
                   st->nflags ? " alarm" : "", st->nflags);
}

static void section(srv_buf *b, const char *id, const char *title)
{
    srv_buf_printf(b, "<section class=\"card\" id=\"%s\"><h2>", id);
    srv_buf_html(b, title);
    srv_buf_puts(b, "</h2>\n");
}

static void toc(srv_buf *b)
{
    static const char *const items[][2] = {
        {"timeline", "Timeline"}, {"grants", "Grants"},       {"breaches", "Breaches & rights"},
        {"invoices", "Invoices"}, {"royalties", "Royalties"}, {"red-flags", "Red flags"},
        {"downloads", "Downloads"}, {"termsheet", "Term sheet"},
    };
    srv_buf_puts(b, "<nav class=\"toc\" aria-label=\"On this page\">");
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        srv_buf_printf(b, "<a href=\"#%s\">%s</a>", items[i][0], items[i][1]);
    srv_buf_puts(b, "</nav>\n");
}

static void download_links(srv_buf *b, const char *id, lic_date as_of)
{
    char day[LIC_DATE_STRLEN];
    lic_date_str(as_of, day);
    static const char *const links[][2] = {
        {"/calendar.ics", "Calendar feed (.ics) of deadlines and windows"},
        {"/status?as_of=", "Status as JSON (FORMAT 5), as of this date"},
        {"/invoices?as_of=", "Invoices and balance as JSON"},
        {"?format=yaml", "The agreement file (YAML), latest version"},
        {"/reports", "Sales reports received, with their review state (JSON)"},
    };
    srv_buf_puts(b, "<ul class=\"links\">");
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        srv_buf_puts(b, "<li><a href=\"/api/agreements/");
        srv_buf_html(b, id);
        srv_buf_puts(b, links[i][0]);
        if (strstr(links[i][0], "as_of="))
            srv_buf_puts(b, day);
        srv_buf_printf(b, "\">%s</a></li>", links[i][1]);
    }
    srv_buf_puts(b, "</ul>\n<p class=\"dim\">Royalty statements as CSV or XLSX: see each period under "
                    "Royalties.</p>\n");
}

/* The term sheet's <body> content: the page has its own frame, and the
 * term sheet's <style> would be refused by the CSP anyway. */
static void termsheet(srv_buf *b, const lic_agreement *a)
{
    char *html = NULL;
    size_t len = 0;
    if (lic_termsheet_render(a, true, &html, &len) || !html) {
        srv_buf_puts(b, "<p class=\"err\">The term sheet could not be rendered.</p>\n");
        return;
    }
    const char *start = strstr(html, "<body>"), *end = start ? strstr(start, "</body>") : NULL;
    if (start && end) {
        start += strlen("<body>");
        srv_buf_puts(b, "<details class=\"termsheet\"><summary>Show the term sheet (the terms in force on this "
                        "date, amendments applied)</summary><div class=\"termsheet-body\">");
        srv_buf_put(b, start, (size_t)(end - start));
        srv_buf_puts(b, "</div></details>\n");
    } else
        srv_buf_puts(b, "<p class=\"err\">The term sheet could not be rendered.</p>\n");
    lic_termsheet_free(html);
}

static void body(srv_buf *b, const srv_req *r, const lic_state *st)
{
    const char *id = r->params[0];
    head(b, r, st);
    figures(b, st);
    toc(b);
    section(b, "timeline", "Timeline");
    page_timeline(b, st);
    srv_buf_puts(b, "<details class=\"more\"><summary>All milestones</summary>");
    page_milestones_table(b, st);
    srv_buf_puts(b, "</details></section>\n");
    section(b, "grants", "Grants by field and territory");
    page_grants(b, st);
    srv_buf_puts(b, "</section>\n");
    section(b, "breaches", "Breaches and rights");
    page_breaches_table(b, st);
    srv_buf_puts(b, "</section>\n");
    section(b, "invoices", "Invoices");
    page_invoices_table(b, st);
    srv_buf_puts(b, "</section>\n");
    section(b, "royalties", "Royalties by period");
    page_royalties(b, st, id);
    srv_buf_puts(b, "</section>\n");
    section(b, "red-flags", "Red flags");
    page_flags_list(b, st);
    srv_buf_puts(b, "</section>\n");
    section(b, "downloads", "Downloads");
    download_links(b, id, st->as_of);
    srv_buf_puts(b, "</section>\n");
    section(b, "termsheet", "Term sheet");
    termsheet(b, st->agreement);
    srv_buf_puts(b, "</section>\n");
}

void page_agreement(srv_req *r, srv_resp *out)
{
    lic_date as_of;
    if (!page_as_of_or_respond(r, out, &as_of))
        return;
    srv_deal d;
    srv_resp scratch = {0};
    if (!srv_deal_eval(r, r->ag, r->params[0], as_of, LIC_DATE_NONE, &d, &scratch)) {
        unsigned status = scratch.status ? scratch.status : 500;
        srv_buf_free(&scratch.body);
        page_fail(r, out, status,
                  status == 503 ? "The portfolio store is not available."
                                : "The deal cannot be evaluated: its ledger does not load against the "
                                  "agreement's latest version (GET /api/agreements/ID/events shows it).");
        return;
    }
    srv_buf b = {0};
    page_begin(r, &b, r->ag->title ? r->ag->title : r->params[0], r->user.role == LIC_ROLE_LICENSEE ? "portal"
                                                                                                    : "portfolio");
    body(&b, r, d.st);
    page_end(&b);
    srv_deal_free(&d);
    page_send(out, 200, &b);
}
