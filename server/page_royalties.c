/*
 * page_royalties.c - the agreement page's royalties: one bar per reported
 * period (the total due after credits, the part paid drawn darker) and a
 * table of the statements with their downloads (CSV, XLSX, JSON from
 * GET /api/agreements/{id}/royalties/{period}, as of the page's date so
 * the file says what the page says).
 *
 * Amounts are exact integers in minor units everywhere else; only the
 * bars' heights are doubles.
 */
#include <string.h>

#include "page.h"

#define WIDTH 1000
#define HEIGHT 245
#define LEFT 80
#define RIGHT 980
#define TOP 34
#define BOTTOM 220

static const lic_st_invoice *invoice_of(const lic_state *st, const char *id)
{
    for (size_t i = 0; id && i < st->ninvoices; i++)
        if (!strcmp(st->invoices[i].id, id))
            return &st->invoices[i];
    return NULL;
}

static double major(lic_amount a, const lic_currency *c)
{
    double v = (double)a;
    for (int i = 0; c && i < c->digits; i++)
        v /= 10;
    return v;
}

/* "1.2M", "150k", "900": axis and bar labels, not accounts. */
static void compact(char *out, size_t n, double v)
{
    if (v >= 1e6 || v <= -1e6)
        snprintf(out, n, "%.1fM", v / 1e6);
    else if (v >= 1e3 || v <= -1e3)
        snprintf(out, n, "%.0fk", v / 1e3);
    else
        snprintf(out, n, "%.0f", v);
}

/* The top of the scale: 1, 2 or 5 times a power of ten, at least max. */
static double nice_top(double max)
{
    double p = 1;
    while (p * 10 <= max)
        p *= 10;
    for (int k = 0;; k++) {
        static const double m[] = {1, 2, 5, 10};
        if (p * m[k] >= max)
            return p * m[k];
    }
}

static void y_grid(srv_buf *b, double top)
{
    for (int i = 0; i <= 4; i++) {
        double y = BOTTOM - (BOTTOM - TOP) * i / 4.0;
        char label[32];
        compact(label, sizeof label, top * i / 4.0);
        srv_buf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>"
                          "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                       LEFT, y, RIGHT, y, i ? "#eef0f3" : "#98a2b3", LEFT - 8, y + 4, label);
    }
}

static void bar(srv_buf *b, const lic_state *st, const lic_st_statement *x, double xl, double w, double top)
{
    const lic_currency *c = st->agreement->currency;
    const lic_st_invoice *inv = invoice_of(st, x->invoice);
    double due = major(x->total_due, c), paid = inv ? major(inv->paid, c) : 0;
    if (paid > due)
        paid = due;
    double h = top > 0 ? (BOTTOM - TOP) * due / top : 0, hp = top > 0 ? (BOTTOM - TOP) * paid / top : 0;
    char per[LIC_PERIOD_STRLEN], amount[40], label[32];
    lic_period_str(x->st->period, per);
    lic_amount_format(x->total_due, c ? c->digits : 2, amount, sizeof amount);
    compact(label, sizeof label, due);
    srv_buf_printf(b, "<g><title>%s: %s %s due", per, amount, c ? c->code : "");
    if (inv) {
        srv_buf_puts(b, " · ");
        srv_buf_html(b, inv->status);
    }
    srv_buf_printf(b, "</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\" "
                      "fill=\"#b2ccff\"/>",
                   xl, BOTTOM - h, w, h);
    if (hp > 0)
        srv_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\" fill=\"#2e5aac\"/>",
                       xl, BOTTOM - hp, w, hp);
    srv_buf_printf(b, "<text class=\"tick val\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>"
                      "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text></g>\n",
                   xl + w / 2, BOTTOM - h - 5, x->st->known ? label : "?", xl + w / 2, BOTTOM + 16, per);
}

static void chart(srv_buf *b, const lic_state *st)
{
    const lic_currency *c = st->agreement->currency;
    double max = 0;
    for (size_t i = 0; i < st->nstatements; i++)
        if (major(st->statements[i].total_due, c) > max)
            max = major(st->statements[i].total_due, c);
    double top = nice_top(max > 0 ? max : 1);
    page_svg_open(b, WIDTH, HEIGHT, "Royalties due by period");
    y_grid(b, top);
    double slot = (double)(RIGHT - LEFT) / (double)st->nstatements, w = slot * 0.6 > 70 ? 70 : slot * 0.6;
    for (size_t i = 0; i < st->nstatements; i++)
        bar(b, st, &st->statements[i], LEFT + slot * (double)i + (slot - w) / 2, w, top);
    srv_buf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text></svg>\n", LEFT - 8,
                   TOP - 18, c ? c->code : "");
    srv_buf_puts(b, "<p class=\"legend\"><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" "
                    "height=\"12\" fill=\"#b2ccff\"/></svg> due after credits &nbsp; <svg width=\"12\" "
                    "height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"#2e5aac\"/></svg> "
                    "paid</p>\n");
}

static void downloads(srv_buf *b, const char *id, const char *per, const char *day)
{
    static const char *const formats[] = {"csv", "xlsx", "json"};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        srv_buf_puts(b, i ? " · <a href=\"/api/agreements/" : "<a href=\"/api/agreements/");
        srv_buf_html(b, id);
        srv_buf_printf(b, "/royalties/%s?format=%s&amp;as_of=%s\"%s>%s</a>", per, formats[i], day,
                       strcmp(formats[i], "json") ? " download" : "", formats[i]);
    }
}

static void row(srv_buf *b, const lic_state *st, const lic_st_statement *x, const char *id, const char *day)
{
    const lic_currency *c = st->agreement->currency;
    const lic_st_invoice *inv = invoice_of(st, x->invoice);
    char per[LIC_PERIOD_STRLEN];
    lic_period_str(x->st->period, per);
    lic_amount credits = 0;
    for (size_t k = 0; k < x->ncredits; k++)
        if (lic_amount_add(credits, x->credits[k].amount, &credits))
            break;
    srv_buf_printf(b, "<tr><td><b>%s</b></td><td class=\"num\">", per);
    page_amount(b, x->st->net_sales, c);
    srv_buf_puts(b, "</td><td class=\"num\">");
    page_amount(b, x->st->royalty, c);
    srv_buf_puts(b, "</td><td class=\"num\">");
    page_amount(b, credits, c);
    srv_buf_puts(b, "</td><td class=\"num\"><b>");
    page_amount(b, x->total_due, c);
    srv_buf_puts(b, "</b></td><td>");
    page_date(b, x->due);
    srv_buf_puts(b, "</td><td>");
    page_badge(b, inv ? inv->status : "not invoiced");
    srv_buf_puts(b, "</td><td>");
    if (x->st->nflags)
        srv_buf_printf(b, "<span class=\"badge bad\">%zu flag%s</span>", x->st->nflags, x->st->nflags == 1 ? "" : "s");
    else
        srv_buf_puts(b, "<span class=\"dim\">none</span>");
    srv_buf_puts(b, "</td><td>");
    downloads(b, id, per, day);
    srv_buf_puts(b, "</td></tr>\n");
}

void page_royalties(srv_buf *b, const lic_state *st, const char *id)
{
    if (!st->nstatements) {
        srv_buf_puts(b, "<p class=\"dim\">No royalty report has been received by this date.</p>\n");
        return;
    }
    char day[LIC_DATE_STRLEN];
    lic_date_str(st->as_of, day);
    chart(b, st);
    srv_buf_puts(b, "<div class=\"tablewrap\"><table class=\"grid\" id=\"statements\"><thead><tr><th>Period</th>"
                    "<th class=\"num\">Net sales</th><th class=\"num\">Royalty</th><th class=\"num\">Credits</th>"
                    "<th class=\"num\">Total due</th><th>Due</th><th>Invoice</th><th>Red flags</th>"
                    "<th>Statement</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < st->nstatements; i++)
        row(b, st, &st->statements[i], id, day);
    srv_buf_puts(b, "</tbody></table></div>\n");
}
