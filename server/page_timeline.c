/*
 * page_timeline.c - the agreement page's timeline: the term, every
 * milestone that has a date, cure periods, windows and the licensor's
 * rights, on one time axis with the as-of date marked.
 *
 * The axis runs from the effective date to a little past the as-of date
 * or the last dated item, whichever is later, but no more than three
 * years past the as-of date: a deal of twenty years would squeeze the
 * months that matter into a few pixels.  What lies beyond is drawn as an
 * arrow at the right edge and named in its tooltip.  Obligations
 * (quarterly reports, meetings) are left to the tables: there are dozens.
 */
#include <string.h>

#include "page.h"

#define WIDTH 1000
#define LEFT 230  /* the label column */
#define RIGHT 975
#define ROW 24
#define TOP 28

typedef struct tl {
    srv_buf *b;
    const lic_state *st;
    page_axis ax;
    int row;
} tl;

static const char *tone_of(const char *status)
{
    static const char *const tones[][2] = {
        {"achieved", "#12805c"}, {"missed", "#b42318"},  {"pending", "#5b6b86"}, {"extended", "#b54708"},
        {"waived", "#98a2b3"},   {"lapsed", "#98a2b3"},  {"rejected", "#b42318"}, {"suspended", "#98a2b3"},
        {"pending_verification", "#b54708"},
    };
    for (size_t i = 0; status && i < sizeof tones / sizeof tones[0]; i++)
        if (!strcmp(status, tones[i][0]))
            return tones[i][1];
    return "#5b6b86";
}

static double row_y(const tl *t)
{
    return TOP + t->row * ROW;
}

static void lane(tl *t, const char *label, const char *sub)
{
    page_svg_label(t->b, row_y(t) + 16, label, sub);
}

/* A diamond (the deadline) or a dot (what happened) at d, with a tooltip;
 * past the axis, an arrow at the edge. */
static void mark(tl *t, lic_date d, bool dot, bool hollow, const char *fill, const char *tip)
{
    double y = row_y(t) + ROW / 2.0, x = page_x(&t->ax, d);
    bool beyond = d > t->ax.to;
    if (beyond)
        srv_buf_printf(t->b, "<path d=\"M%.1f %.1f l8 5 l-8 5 z\" fill=\"%s\">", RIGHT + 4.0, y - 5, fill);
    else if (dot)
        srv_buf_printf(t->b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"1.5\">",
                       x, y, fill);
    else
        srv_buf_printf(t->b, "<path d=\"M%.1f %.1f l7 7 l-7 7 l-7 -7 z\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2\">",
                       x, y - 7, hollow ? "#fff" : fill, fill);
    srv_buf_puts(t->b, "<title>");
    srv_buf_html(t->b, tip);
    srv_buf_puts(t->b, "</title>");
    srv_buf_puts(t->b, beyond ? "</path>" : dot ? "</circle>" : "</path>");
}

static void tipf(char *tip, size_t n, const char *what, const char *id, lic_date d, const char *tail)
{
    char day[LIC_DATE_STRLEN];
    lic_date_str(d, day);
    snprintf(tip, n, "%s %s %s%s%s", id, what, day, tail ? " · " : "", tail ? tail : "");
}

static void milestone(tl *t, const lic_st_milestone *m)
{
    if (m->due == LIC_DATE_NONE && m->achieved_on == LIC_DATE_NONE)
        return;
    int i = lic_agreement_milestone_index(t->st->agreement, m->id);
    lane(t, m->id, i >= 0 ? t->st->agreement->milestones[i].title : NULL);
    const char *fill = tone_of(m->status);
    char tip[300];
    double y = row_y(t) + ROW / 2.0;
    if (m->original_due != LIC_DATE_NONE && m->due != LIC_DATE_NONE && m->original_due != m->due) {
        srv_buf_printf(t->b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                             "stroke-dasharray=\"3 3\"/>",
                       page_x(&t->ax, m->original_due), y, page_x(&t->ax, m->due), y, fill);
        tipf(tip, sizeof tip, "first due", m->id, m->original_due, "moved by extensions or force majeure");
        mark(t, m->original_due, false, true, fill, tip);
    }
    if (m->due != LIC_DATE_NONE) {
        tipf(tip, sizeof tip, "due", m->id, m->due, m->status);
        mark(t, m->due, false, false, fill, tip);
    }
    if (m->achieved_on != LIC_DATE_NONE) {
        tipf(tip, sizeof tip, "achieved", m->id, m->achieved_on, NULL);
        mark(t, m->achieved_on, true, false, "#12805c", tip);
    }
    t->row++;
}

static void cure(tl *t, const lic_st_breach *x)
{
    lic_date from = x->cure_from != LIC_DATE_NONE ? x->cure_from : x->notice;
    if (x->cure_by == LIC_DATE_NONE || from == LIC_DATE_NONE)
        return;
    lane(t, "cure", x->id);
    bool cured = !strcmp(x->status, "cured") || !strcmp(x->status, "waived");
    const char *fill = cured ? "#a6d8c4" : !strcmp(x->status, "uncured") ? "#f04438" : "#fdb022";
    char tip[300], a[LIC_DATE_STRLEN], z[LIC_DATE_STRLEN];
    lic_date_str(from, a);
    lic_date_str(x->cure_by, z);
    snprintf(tip, sizeof tip, "cure period of %s (%s): %s to %s · %s", x->id, x->cls, a, z, x->status);
    page_svg_bar(t->b, &t->ax, from, x->cure_by, row_y(t) + 6, ROW - 12, fill, tip);
    t->row++;
}

static void window(tl *t, const lic_st_window *w)
{
    lane(t, w->kind, w->id);
    char tip[300], a[LIC_DATE_STRLEN], z[LIC_DATE_STRLEN] = "open-ended";
    lic_date_str(w->from, a);
    if (w->until != LIC_DATE_NONE)
        lic_date_str(w->until, z);
    snprintf(tip, sizeof tip, "%s window %s: %s to %s", w->kind, w->id, a, z);
    page_svg_bar(t->b, &t->ax, w->from, w->until != LIC_DATE_NONE ? w->until : t->ax.to, row_y(t) + 6, ROW - 12,
                 "#7a5af8", tip);
    t->row++;
}

static void right(tl *t, const lic_st_right *x)
{
    lane(t, "right", x->id);
    char tip[300], day[LIC_DATE_STRLEN];
    lic_date_str(x->since, day);
    snprintf(tip, sizeof tip, "%s (%s, %s) since %s · %s", x->id, lic_party_role_name(x->holder),
             lic_action_name(x->remedy ? x->remedy->action : LIC_ACT_FEE), day, x->status);
    if (x->until != LIC_DATE_NONE && !x->applied)
        page_svg_bar(t->b, &t->ax, x->since, x->until, row_y(t) + 6, ROW - 12, "#c4b5fd", tip);
    else
        mark(t, x->applied ? x->applied_on : x->since, true, false, x->applied ? "#b54708" : "#7a5af8", tip);
    t->row++;
}

static lic_date later(lic_date a, lic_date b)
{
    return b != LIC_DATE_NONE && (a == LIC_DATE_NONE || b > a) ? b : a;
}

/* The axis: effective date to the last dated item, at least 90 days past
 * the as-of date and at most three years past it (file comment). */
static page_axis axis_of(const lic_state *st)
{
    const lic_agreement *a = st->agreement;
    lic_date from = a->effective.st == LIC_V_KNOWN ? a->effective.v : st->as_of - 365;
    lic_date cap = st->as_of + 3 * 365, to = st->as_of + 90;
    for (size_t i = 0; i < st->nmilestones; i++)
        if (st->milestones[i].due <= cap)
            to = later(to, st->milestones[i].due);
    for (size_t i = 0; i < st->nbreaches; i++)
        if (st->breaches[i].cure_by <= cap)
            to = later(to, st->breaches[i].cure_by);
    for (size_t i = 0; i < st->nwindows; i++)
        if (st->windows[i].from <= cap)
            to = later(to, st->windows[i].until <= cap ? st->windows[i].until : st->windows[i].from);
    if (from > st->as_of)
        from = st->as_of - 30;
    return (page_axis){from - 15, to + 30, LEFT, RIGHT};
}

static int rows_needed(const lic_state *st)
{
    int n = 1;
    for (size_t i = 0; i < st->nmilestones; i++)
        n += st->milestones[i].due != LIC_DATE_NONE || st->milestones[i].achieved_on != LIC_DATE_NONE;
    for (size_t i = 0; i < st->nbreaches; i++)
        n += st->breaches[i].cure_by != LIC_DATE_NONE &&
             (st->breaches[i].cure_from != LIC_DATE_NONE || st->breaches[i].notice != LIC_DATE_NONE);
    return n + (int)st->nwindows + (int)st->nrights;
}

static void term(tl *t)
{
    const lic_agreement *a = t->st->agreement;
    lane(t, "term", NULL);
    lic_date end = a->term.ends.st == LIC_V_KNOWN ? a->term.ends.v : t->ax.to + 1;
    if (t->st->termination_effective != LIC_DATE_NONE)
        end = t->st->termination_effective - 1;
    page_svg_bar(t->b, &t->ax, t->ax.from + 15, end, row_y(t) + 8, ROW - 16, "#d0d5dd", "the term of the agreement");
    t->row++;
}

static void legend(srv_buf *b)
{
    static const char *const keys[][3] = {
        {"M0 0 l6 6 l-6 6 l-6 -6 z", "#5b6b86", "deadline (coloured by status)"},
        {"M-5 6 a5 5 0 1 0 10 0 a5 5 0 1 0 -10 0", "#12805c", "achieved / applied"},
        {"M-6 2 h12 v8 h-12 z", "#fdb022", "cure period"},
        {"M-6 2 h12 v8 h-12 z", "#7a5af8", "window"},
        {"M-4 1 l8 5 l-8 5 z", "#98a2b3", "later than the chart"},
    };
    srv_buf_puts(b, "<p class=\"legend\">");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        srv_buf_printf(b, "<svg width=\"14\" height=\"12\" viewBox=\"-7 0 14 12\" aria-hidden=\"true\"><path "
                          "d=\"%s\" fill=\"%s\"/></svg> %s &nbsp; ",
                       keys[i][0], keys[i][1], keys[i][2]);
    srv_buf_puts(b, "</p>\n");
}

void page_timeline(srv_buf *b, const lic_state *st)
{
    int rows = rows_needed(st);
    tl t = {.b = b, .st = st, .ax = axis_of(st)};
    int height = TOP + rows * ROW + 24;
    page_svg_open(b, WIDTH, height, "Timeline of milestones, cure periods and windows");
    for (int i = 1; i < rows; i += 2) /* zebra rows, under the grid */
        srv_buf_printf(b, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f7f8fa\"/>", TOP + i * ROW,
                       WIDTH, ROW);
    page_svg_ticks(b, &t.ax, TOP, TOP + rows * ROW);
    term(&t);
    for (size_t i = 0; i < st->nmilestones; i++)
        milestone(&t, &st->milestones[i]);
    for (size_t i = 0; i < st->nbreaches; i++)
        cure(&t, &st->breaches[i]);
    for (size_t i = 0; i < st->nwindows; i++)
        window(&t, &st->windows[i]);
    for (size_t i = 0; i < st->nrights; i++)
        right(&t, &st->rights[i]);
    page_svg_as_of(b, &t.ax, st->as_of, TOP - 4, TOP + rows * ROW);
    srv_buf_puts(b, "</svg>\n");
    legend(b);
}
