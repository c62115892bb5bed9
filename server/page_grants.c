/*
 * page_grants.c - the agreement page's grants: what is licensed, by field
 * and territory, with its exclusivity over time.
 *
 * The state lists the grants in force on the as-of date as pieces: a
 * step-down or reversion splits a grant, and the part it changed starts
 * on the day it took effect, carrying the right that changed it
 * (changed_by, changed_on); an exercised option is a piece named by the
 * option.  A piece that starts after its grant's first day was, before
 * that day, part of the grant with the grant's written exclusivity: that
 * is the "before" segment drawn for it.  Below the table, the changes in
 * words: every step-down or reversion applied, options exercised, and
 * the written sunset of exclusivity.
 */
#include <string.h>

#include "page.h"

#define WIDTH 1000
#define LEFT 230
#define RIGHT 975
#define ROW 26
#define TOP 28

static const char *excl_fill(lic_exclusivity e)
{
    switch (e) {
    case LIC_EXCL_EXCLUSIVE: return "#6941c6";
    case LIC_EXCL_SOLE: return "#2e90fa";
    case LIC_EXCL_CO_EXCLUSIVE: return "#53b1fd";
    case LIC_EXCL_NON_EXCLUSIVE: return "#98a2b3";
    }
    return "#98a2b3";
}

static const lic_grant *written(const lic_state *st, const char *id)
{
    int i = lic_agreement_grant_index(st->agreement, id);
    return i >= 0 ? &st->agreement->grants[i] : NULL;
}

static void change_cell(srv_buf *b, const lic_state *st, const lic_st_grant *g)
{
    const lic_grant *w = written(st, g->id);
    srv_buf_puts(b, "<td>");
    if (!w)
        srv_buf_puts(b, "granted by exercising option ");
    if (!w)
        srv_buf_html(b, g->id);
    if (g->changed_by) {
        srv_buf_puts(b, "from ");
        page_badge(b, w ? lic_exclusivity_name(w->exclusivity) : "?");
        srv_buf_puts(b, " to ");
        page_badge(b, lic_exclusivity_name(g->exclusivity));
        srv_buf_puts(b, " on ");
        page_date(b, g->changed_on);
        srv_buf_puts(b, " by <code>");
        srv_buf_html(b, g->changed_by);
        srv_buf_puts(b, "</code>");
    } else if (w)
        srv_buf_puts(b, "<span class=\"dim\">as written</span>");
    srv_buf_puts(b, "</td>");
}

static void table(srv_buf *b, const lic_state *st)
{
    srv_buf_puts(b, "<div class=\"tablewrap\"><table class=\"grid\" id=\"grants\"><thead><tr><th>Grant</th>"
                    "<th>Fields</th><th>Territories</th><th>Exclusivity</th><th>From</th><th>Until</th>"
                    "<th>How it changed</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < st->ngrants; i++) {
        const lic_st_grant *g = &st->grants[i];
        srv_buf_puts(b, "<tr><td><b>");
        srv_buf_html(b, g->id);
        srv_buf_puts(b, "</b></td><td>");
        page_fields(b, st->agreement->fields, &g->fields);
        srv_buf_puts(b, "</td><td class=\"terr\">");
        page_territories(b, &g->territories, st->agreement->regions);
        srv_buf_puts(b, "</td><td>");
        page_badge(b, lic_exclusivity_name(g->exclusivity));
        srv_buf_puts(b, "</td><td>");
        page_date(b, g->from);
        srv_buf_puts(b, "</td><td>");
        page_date(b, g->until);
        srv_buf_puts(b, "</td>");
        change_cell(b, st, g);
        srv_buf_puts(b, "</tr>\n");
    }
    /* Written grants with no piece in force: ended, reverted or not begun. */
    for (size_t i = 0; i < st->agreement->ngrants; i++) {
        const lic_grant *w = &st->agreement->grants[i];
        bool seen = false;
        for (size_t k = 0; k < st->ngrants && !seen; k++)
            seen = !strcmp(st->grants[k].id, w->id);
        if (seen)
            continue;
        srv_buf_puts(b, "<tr class=\"gone\"><td><b>");
        srv_buf_html(b, w->id);
        srv_buf_puts(b, "</b></td><td>");
        page_fields(b, st->agreement->fields, &w->scope.fields);
        srv_buf_puts(b, "</td><td class=\"terr\">");
        page_territories(b, &w->scope.territories, st->agreement->regions);
        srv_buf_puts(b, "</td><td>");
        page_badge(b, lic_exclusivity_name(w->exclusivity));
        srv_buf_puts(b, "</td><td>");
        page_date(b, lic_grant_first_day(st->agreement, w));
        srv_buf_puts(b, "</td><td>");
        page_date(b, lic_grant_last_day(st->agreement, w));
        srv_buf_puts(b, "</td><td><span class=\"badge muted\">not in force on the date</span></td></tr>\n");
    }
    if (!st->ngrants && !st->agreement->ngrants)
        srv_buf_puts(b, "<tr><td colspan=\"7\" class=\"dim\">No grants.</td></tr>\n");
    srv_buf_puts(b, "</tbody></table></div>\n");
}

static page_axis axis_of(const lic_state *st)
{
    lic_date from = st->as_of, to = st->as_of;
    for (size_t i = 0; i < st->agreement->ngrants; i++) {
        lic_date a = lic_grant_first_day(st->agreement, &st->agreement->grants[i]);
        lic_date z = lic_grant_last_day(st->agreement, &st->agreement->grants[i]);
        if (a != LIC_DATE_NONE && a < from)
            from = a;
        if (z != LIC_DATE_NONE && z > to)
            to = z;
    }
    for (size_t i = 0; i < st->ngrants; i++)
        if (st->grants[i].until != LIC_DATE_NONE && st->grants[i].until > to)
            to = st->grants[i].until;
    if (to - from < 365)
        to = from + 365;
    return (page_axis){from - 30, to + 30, LEFT, RIGHT};
}

/* The written sunset of an exclusive piece still ahead: the day it
 * becomes non-exclusive, or 0. */
static lic_date sunset_of(const lic_state *st, const lic_st_grant *g)
{
    const lic_agreement *a = st->agreement;
    if (!a->exclusivity.sunset.present || a->exclusivity.sunset.on.st != LIC_V_KNOWN ||
        g->exclusivity == LIC_EXCL_NON_EXCLUSIVE)
        return 0;
    lic_date on = a->exclusivity.sunset.on.v;
    if (a->exclusivity.sunset.grant && strcmp(a->exclusivity.sunset.grant, g->id))
        return 0;
    return on > st->as_of && on > g->from && (g->until == LIC_DATE_NONE || on <= g->until) ? on : 0;
}

static void lane(srv_buf *b, const page_axis *ax, const lic_state *st, const lic_st_grant *g, int row)
{
    double y = TOP + row * ROW;
    const lic_grant *w = written(st, g->id);
    char sub[128] = "all fields", tip[400], a[LIC_DATE_STRLEN], z[LIC_DATE_STRLEN] = "the end";
    if (!lic_fset_is_empty(&g->fields))
        lic_fset_format(st->agreement->fields, &g->fields, sub, sizeof sub);
    page_svg_label(b, y + 17, g->id, sub);
    lic_date first = w ? lic_grant_first_day(st->agreement, w) : LIC_DATE_NONE;
    lic_date until = g->until != LIC_DATE_NONE ? g->until : ax->to;
    if (w && first != LIC_DATE_NONE && first < g->from) {
        lic_date_str(first, a);
        lic_date_str(g->from - 1, z);
        snprintf(tip, sizeof tip, "%s: %s from %s to %s (before the change)", g->id,
                 lic_exclusivity_name(w->exclusivity), a, z);
        page_svg_bar(b, ax, first, g->from - 1, y + 6, ROW - 12, excl_fill(w->exclusivity), tip);
    }
    lic_date_str(g->from, a);
    if (g->until != LIC_DATE_NONE)
        lic_date_str(g->until, z);
    snprintf(tip, sizeof tip, "%s: %s from %s to %s%s%s", g->id, lic_exclusivity_name(g->exclusivity), a, z,
             g->changed_by ? " · changed by " : "", g->changed_by ? g->changed_by : "");
    lic_date sunset = sunset_of(st, g);
    page_svg_bar(b, ax, g->from, sunset ? sunset - 1 : until, y + 6, ROW - 12, excl_fill(g->exclusivity), tip);
    if (sunset) {
        lic_date_str(sunset, a);
        snprintf(tip, sizeof tip, "%s: non_exclusive from %s (the sunset written in the agreement)", g->id, a);
        page_svg_bar(b, ax, sunset, until, y + 6, ROW - 12, excl_fill(LIC_EXCL_NON_EXCLUSIVE), tip);
    }
}

static void legend(srv_buf *b)
{
    static const lic_exclusivity all[] = {LIC_EXCL_EXCLUSIVE, LIC_EXCL_SOLE, LIC_EXCL_CO_EXCLUSIVE,
                                          LIC_EXCL_NON_EXCLUSIVE};
    srv_buf_puts(b, "<p class=\"legend\">");
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        srv_buf_printf(b, "<svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" "
                          "rx=\"2\" fill=\"%s\"/></svg> ",
                       excl_fill(all[i]));
        srv_buf_html(b, lic_exclusivity_name(all[i]));
        srv_buf_puts(b, " &nbsp; ");
    }
    srv_buf_puts(b, "</p>\n");
}

static void chart(srv_buf *b, const lic_state *st)
{
    if (!st->ngrants)
        return;
    page_axis ax = axis_of(st);
    int rows = (int)st->ngrants;
    page_svg_open(b, WIDTH, TOP + rows * ROW + 24, "Exclusivity of each grant over time");
    page_svg_ticks(b, &ax, TOP, TOP + rows * ROW);
    for (int i = 0; i < rows; i++)
        lane(b, &ax, st, &st->grants[i], i);
    page_svg_as_of(b, &ax, st->as_of, TOP - 4, TOP + rows * ROW);
    srv_buf_puts(b, "</svg>\n");
    legend(b);
}

/* The changes in words: applied step-downs and reversions, the sunset. */
static void changes(srv_buf *b, const lic_state *st)
{
    srv_buf_puts(b, "<ul class=\"changes\">");
    int n = 0;
    for (size_t i = 0; i < st->nrights; i++) {
        const lic_st_right *x = &st->rights[i];
        if (!x->applied || !x->remedy ||
            (x->remedy->action != LIC_ACT_STEP_DOWN && x->remedy->action != LIC_ACT_REVERT))
            continue;
        srv_buf_puts(b, "<li>");
        page_date(b, x->applied_on);
        srv_buf_puts(b, ": <code>");
        srv_buf_html(b, x->id);
        srv_buf_puts(b, "</code>");
        if (x->breach) {
            srv_buf_puts(b, " (after ");
            srv_buf_html(b, x->breach);
            srv_buf_puts(b, ")");
        }
        srv_buf_puts(b, x->remedy->action == LIC_ACT_REVERT ? " reverted " : " stepped down ");
        srv_buf_html(b, x->remedy->grant ? x->remedy->grant : "every grant");
        if (x->remedy->action == LIC_ACT_STEP_DOWN) {
            srv_buf_puts(b, " to ");
            page_badge(b, lic_exclusivity_name(x->remedy->to));
        }
        srv_buf_puts(b, "</li>");
        n++;
    }
    const lic_agreement *a = st->agreement;
    if (a->exclusivity.sunset.present && a->exclusivity.sunset.on.st == LIC_V_KNOWN) {
        srv_buf_puts(b, "<li>Sunset: ");
        srv_buf_html(b, a->exclusivity.sunset.grant ? a->exclusivity.sunset.grant : "every grant");
        srv_buf_puts(b, " becomes non-exclusive on ");
        page_date(b, a->exclusivity.sunset.on.v);
        srv_buf_puts(b, "</li>");
        n++;
    }
    if (!n)
        srv_buf_puts(b, "<li class=\"dim\">No right or option has changed a grant by this date.</li>");
    srv_buf_puts(b, "</ul>\n");
}

void page_grants(srv_buf *b, const lic_state *st)
{
    table(b, st);
    chart(b, st);
    changes(b, st);
}
