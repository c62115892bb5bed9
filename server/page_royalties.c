/*
 * page_royalties.c - the agreement page's royalties: one bar per reported
 * period (the total due after credits, the part paid drawn darker) and a
 * table of the statements with their downloads (CSV, XLSX, JSON from
 * GET /api/agreements/{id}/royalties/{period}, as of the page's date so
 * the file says what the page says).
 *
 * The chart is drawn in whole currency units and integer pixels, with
 * 128-bit products: no floating point near money, even for a picture.
 */
#include <stdint.h>
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

/* An amount in whole units of its currency, rounded down: the scale of
 * the chart, which needs no cents (the exact figures are in the title
 * and the table). */
static int64_t major(lic_amount a, const lic_currency *c)
{
    int64_t v = a;
    for (int i = 0; c && i < c->digits; i++)
        v /= 10;
    return v;
}

/* "1.2M", "150k", "900": axis and bar labels, not accounts. */
static void compact(char *out, size_t n, int64_t v)
{
    int64_t m = v < 0 ? -v : v;
    const char *sign = v < 0 ? "-" : "";
    if (m >= 1000000)
        snprintf(out, n, "%s%lld.%lldM", sign, (long long)(m / 1000000), (long long)(m / 100000 % 10));
    else if (m >= 1000)
        snprintf(out, n, "%s%lldk", sign, (long long)((m + 500) / 1000));
    else
        snprintf(out, n, "%s%lld", sign, (long long)m);
}

/* The top of the scale: 1, 2 or 5 times a power of ten, at least max. */
static int64_t nice_top(int64_t max)
{
    int64_t p = 1;
    while (p <= INT64_MAX / 10 && p * 10 <= max)
        p *= 10;
    static const int64_t m[] = {1, 2, 5, 10};
    for (size_t k = 0; k < 3; k++)
        if (p <= INT64_MAX / m[k] && p * m[k] >= max)
            return p * m[k];
    return p <= INT64_MAX / 10 ? p * 10 : INT64_MAX;
}

/* The height in pixels of v on a scale of top (128-bit: no overflow). */
static int height(int64_t v, int64_t top)
{
    if (top <= 0 || v <= 0)
        return 0;
    __int128 h = (__int128)(BOTTOM - TOP) * v / top;
    return h > BOTTOM - TOP ? BOTTOM - TOP : (int)h;
}

static void y_grid(srv_buf *b, int64_t top)
{
    for (int i = 0; i <= 4; i++) {
        int y = BOTTOM - (BOTTOM - TOP) * i / 4;
        char label[32];
        compact(label, sizeof label, (int64_t)((__int128)top * i / 4));
        srv_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>"
                          "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                       LEFT, y, RIGHT, y, i ? "#eef0f3" : "#98a2b3", LEFT - 8, y + 4, label);
    }
}

/* One bar; xl and w are layout (pixels), not money. */
static void bar(srv_buf *b, const lic_state *st, const lic_st_statement *x, int xl, int w, int64_t top)
{
    const lic_currency *c = st->agreement->currency;
    const lic_st_invoice *inv = invoice_of(st, x->invoice);
    int64_t due = major(x->total_due, c), paid = inv ? major(inv->paid, c) : 0;
    if (paid > due)
        paid = due;
    int h = height(due, top), hp = height(paid, top);
    char per[LIC_PERIOD_STRLEN], amount[40], label[32];
    lic_period_str(x->st->period, per);
    lic_amount_format(x->total_due, c ? c->digits : 2, amount, sizeof amount);
    compact(label, sizeof label, due);
    srv_buf_printf(b, "<g><title>%s: %s %s due", per, amount, c ? c->code : "");
    if (inv) {
        srv_buf_puts(b, " · ");
        srv_buf_html(b, inv->status);
    }
    srv_buf_printf(b, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\" "
                      "fill=\"#b2ccff\"/>",
                   xl, BOTTOM - h, w, h);
    if (hp > 0)
        srv_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\" fill=\"#2e5aac\"/>",
                       xl, BOTTOM - hp, w, hp);
    srv_buf_printf(b, "<text class=\"tick val\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>"
                      "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text></g>\n",
                   xl + w / 2, BOTTOM - h - 5, x->st->known ? label : "?", xl + w / 2, BOTTOM + 16, per);
}

static void chart(srv_buf *b, const lic_state *st)
{
    const lic_currency *c = st->agreement->currency;
    int64_t max = 0;
    for (size_t i = 0; i < st->nstatements; i++)
        if (major(st->statements[i].total_due, c) > max)
            max = major(st->statements[i].total_due, c);
    int64_t top = nice_top(max > 0 ? max : 1);
    page_svg_open(b, WIDTH, HEIGHT, "Royalties due by period");
    y_grid(b, top);
    int n = (int)st->nstatements, slot = (RIGHT - LEFT) / (n ? n : 1), w = slot * 6 / 10 > 70 ? 70 : slot * 6 / 10;
    for (int i = 0; i < n; i++)
        bar(b, st, &st->statements[i], LEFT + slot * i + (slot - w) / 2, w, top);
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
