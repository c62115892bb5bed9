/*
 * page_svg.c - the pieces of the server-drawn SVG charts: a time axis
 * with year (and quarter) ticks, the as-of line, bars and row labels.
 *
 * Charts are inline SVG written here in C: the Content-Security-Policy
 * allows no script to draw them and no style attributes, so every shape
 * carries presentation attributes (fill, stroke, x, width...) and text
 * takes its font from app.css by class.  Tooltips are <title> elements.
 */
#include <string.h>

#include "page.h"

double page_x(const page_axis *ax, lic_date d)
{
    if (d <= ax->from || ax->to <= ax->from)
        return ax->x0;
    if (d >= ax->to)
        return ax->x1;
    return ax->x0 + (double)(d - ax->from) * (ax->x1 - ax->x0) / (double)(ax->to - ax->from);
}

void page_svg_open(srv_buf *b, int width, int height, const char *label)
{
    srv_buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"100%%\" preserveAspectRatio=\"xMinYMin "
                      "meet\" role=\"img\" aria-label=\"",
                   width, height);
    srv_buf_html(b, label);
    srv_buf_puts(b, "\" xmlns=\"http://www.w3.org/2000/svg\">\n");
}

static void tick(srv_buf *b, const page_axis *ax, lic_date d, double top, double bottom, const char *text,
                 bool major)
{
    double x = page_x(ax, d);
    srv_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>", x,
                   top, x, bottom, major ? "#d0d5dd" : "#eef0f3");
    if (text)
        srv_buf_printf(b, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                       major ? "tick" : "tick minor", x, top - 6, text);
}

void page_svg_ticks(srv_buf *b, const page_axis *ax, double top, double bottom)
{
    int y0, y1, m, d;
    lic_date_to_ymd(ax->from, &y0, &m, &d);
    lic_date_to_ymd(ax->to, &y1, &m, &d);
    bool quarters = ax->to - ax->from < 3 * 366;
    int years = y1 - y0, step = years > 12 ? 5 : years > 6 ? 2 : 1; /* labels must not touch */
    for (int y = y0; y <= y1; y++) {
        lic_date jan = lic_date_from_ymd(y, 1, 1);
        char year[16];
        snprintf(year, sizeof year, "%d", y);
        if (jan >= ax->from && jan <= ax->to)
            tick(b, ax, jan, top, bottom, y % step ? NULL : year, y % step == 0);
        for (int q = 2; quarters && q <= 4; q++) {
            lic_date first = lic_date_from_ymd(y, 3 * q - 2, 1);
            char label[16];
            snprintf(label, sizeof label, "Q%d", q);
            if (first >= ax->from && first <= ax->to)
                tick(b, ax, first, top, bottom, label, false);
        }
    }
}

void page_svg_as_of(srv_buf *b, const page_axis *ax, lic_date as_of, double top, double bottom)
{
    if (as_of < ax->from || as_of > ax->to)
        return;
    char day[LIC_DATE_STRLEN];
    lic_date_str(as_of, day);
    double x = page_x(ax, as_of);
    srv_buf_printf(b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b42318\" stroke-width=\"1.5\" "
                   "stroke-dasharray=\"4 3\"><title>as of %s</title></line>"
                   "<text class=\"tick asof\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">as of "
                   "%s</text>\n",
                   x, top, x, bottom, day, x, bottom + 14, day);
}

void page_svg_bar(srv_buf *b, const page_axis *ax, lic_date a, lic_date z, double y, double h, const char *fill,
                  const char *tip)
{
    double xa = page_x(ax, a), xz = page_x(ax, z + 1);
    if (xz - xa < 2)
        xz = xa + 2; /* a one-day bar stays visible */
    srv_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" fill=\"%s\">", xa, y,
                   xz - xa, h, fill);
    if (tip) {
        srv_buf_puts(b, "<title>");
        srv_buf_html(b, tip);
        srv_buf_puts(b, "</title>");
    }
    srv_buf_puts(b, "</rect>");
    if (z > ax->to) /* it goes on past the chart: say so with an arrow */
        srv_buf_printf(b, "<path d=\"M%.1f %.1f l6 %.1f l-6 %.1f z\" fill=\"%s\"/>", ax->x1 + 2, y, h / 2, h / 2,
                       fill);
}

/* At most max bytes of s, cut on a UTF-8 character boundary, with an
 * ellipsis when cut: labels do not wrap in SVG. */
static void clipped(srv_buf *b, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) {
        srv_buf_html(b, s);
        return;
    }
    while (max && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    char part[128];
    snprintf(part, sizeof part, "%.*s", (int)(max < sizeof part ? max : sizeof part - 1), s);
    srv_buf_html(b, part);
    srv_buf_puts(b, "…");
}

void page_svg_label(srv_buf *b, double y, const char *text, const char *sub)
{
    srv_buf_printf(b, "<text class=\"lbl\" x=\"8\" y=\"%.1f\">", y);
    if (sub) {
        srv_buf_puts(b, "<title>");
        srv_buf_html(b, text);
        srv_buf_puts(b, " ");
        srv_buf_html(b, sub);
        srv_buf_puts(b, "</title>");
    }
    /* About 30 characters fit the label column at the chart's font size. */
    size_t room = 30, used = strlen(text) < 24 ? strlen(text) : 24;
    clipped(b, text, 24);
    if (sub) {
        srv_buf_puts(b, "<tspan class=\"lbl-sub\"> ");
        clipped(b, sub, room - used > 4 ? room - used : 4);
        srv_buf_puts(b, "</tspan>");
    }
    srv_buf_puts(b, "</text>\n");
}
