/*
 * page_calendar.c - /calendar: the coming 90 days across the portfolio,
 * week by week: every deadline of every deal (milestones, reports,
 * meetings, invoices, cure deadlines, the last day of a window or of a
 * right) and the windows that open, read off each deal's cached status
 * as of the first day.
 *
 * The status JSON gives a deadline's date, text and ref but not its
 * kind; the kind is read from the ref and the text by the table below,
 * which follows the engine's wording (lib/engine_*.c, eng_deadlinef).
 */
#include <stdlib.h>
#include <string.h>

#include "page.h"

#define DAYS 90
#define MAX_ITEMS 4096

typedef struct cal_item {
    lic_date date;
    char *agreement, *what;
    const char *kind;
} cal_item;

typedef struct cal_ctx {
    srv_req *r;
    lic_date from;
    cal_item *v;
    size_t n, cap;
    bool full;
} cal_ctx;

static const char *kind_of(const char *ref, const char *what)
{
    static const struct {
        const char *prefix; /* of the ref ("ref") or of the text ("what") */
        bool of_what;
        const char *kind;
    } rules[] = {
        {"breach:", false, "cure"},        {"cure deadline", true, "cure"},
        {"last day to exercise", true, "window"},
        {"inv:", false, "payment"},        {"milestone ", true, "milestone"},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const char *s = rules[i].of_what ? what : ref;
        if (s && !strncmp(s, rules[i].prefix, strlen(rules[i].prefix)))
            return rules[i].kind;
    }
    if (what && strstr(what, " window "))
        return "window";
    return "obligation";
}

static void add(cal_ctx *c, const char *id, const char *date, const char *what, const char *ref, const char *kind)
{
    lic_date d;
    if (!date || lic_date_parse(date, strlen(date), &d) || d < c->from || d >= c->from + DAYS)
        return;
    if (c->n == MAX_ITEMS) {
        c->full = true;
        return;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        cal_item *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return;
        c->v = v, c->cap = cap;
    }
    cal_item x = {.date = d, .agreement = strdup(id), .what = strdup(what ? what : ""),
                  .kind = kind ? kind : kind_of(ref, what)};
    if (!x.agreement || !x.what) {
        free(x.agreement), free(x.what);
        return;
    }
    c->v[c->n++] = x;
}

static int one_deal(void *ctx, const lic_store_agreement_info *i)
{
    cal_ctx *c = ctx;
    int version;
    unsigned status = 0;
    const lic_agreement *a = srv_agreement(c->r->store, i->id, &version, &status);
    json_t *st = a ? page_status(c->r, i->id, a, c->from) : NULL, *x;
    size_t k;
    json_array_foreach(json_object_get(st, "deadlines"), k, x)
        add(c, i->id, page_str(x, "date"), page_str(x, "what"), page_str(x, "ref"), NULL);
    json_array_foreach(json_object_get(st, "windows"), k, x)
    {
        char what[200];
        snprintf(what, sizeof what, "%s window %s opens", page_str(x, "kind"), page_str(x, "id"));
        add(c, i->id, page_str(x, "from"), what, page_str(x, "id"), "window");
    }
    json_decref(st);
    return 0;
}

static int by_date(const void *pa, const void *pb)
{
    const cal_item *a = pa, *b = pb;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    int c = strcmp(a->agreement, b->agreement);
    return c ? c : strcmp(a->what, b->what);
}

/* Weeks start on Monday; lic_date 0 is 1970-01-01, a Thursday. */
static lic_date monday_of(lic_date d)
{
    long long r = ((long long)d + 3) % 7;
    if (r < 0)
        r += 7;
    return d - (lic_date)r;
}

static void item_row(srv_buf *b, const cal_item *x, lic_date from, const char *q)
{
    srv_buf_printf(b, "<tr class=\"k-%s\"><td class=\"when\">", x->kind);
    page_date(b, x->date);
    srv_buf_puts(b, "<div class=\"sub dim\">");
    page_days(b, (int)(x->date - from));
    srv_buf_puts(b, "</div></td><td>");
    page_badge(b, x->kind);
    srv_buf_puts(b, "</td><td><a href=\"/agreements/");
    srv_buf_html(b, x->agreement);
    srv_buf_html(b, q);
    srv_buf_puts(b, "\">");
    srv_buf_html(b, x->agreement);
    srv_buf_puts(b, "</a></td><td>");
    srv_buf_html(b, x->what);
    srv_buf_puts(b, "</td></tr>\n");
}

static void weeks(srv_buf *b, const cal_ctx *c, const char *q)
{
    lic_date week = LIC_DATE_NONE;
    for (size_t i = 0; i < c->n; i++) {
        lic_date m = monday_of(c->v[i].date);
        if (m != week) {
            if (week != LIC_DATE_NONE)
                srv_buf_puts(b, "</tbody></table></section>\n");
            week = m;
            srv_buf_puts(b, "<section class=\"card week\"><h2>Week of ");
            page_date(b, m);
            srv_buf_puts(b, "</h2><table class=\"grid cal\"><tbody>\n");
        }
        item_row(b, &c->v[i], c->from, q);
    }
    if (week != LIC_DATE_NONE)
        srv_buf_puts(b, "</tbody></table></section>\n");
}

static void free_items(cal_ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].agreement);
        free(c->v[i].what);
    }
    free(c->v);
}

void page_calendar(srv_req *r, srv_resp *out)
{
    cal_ctx c = {.r = r};
    if (!page_as_of_or_respond(r, out, &c.from))
        return;
    if (lic_store_agreements(r->store, one_deal, &c)) {
        free_items(&c);
        page_fail(r, out, 503, "The portfolio store is not available.");
        return;
    }
    qsort(c.v, c.n, sizeof *c.v, by_date);
    char q[64], a[LIC_DATE_STRLEN], z[LIC_DATE_STRLEN];
    page_as_of_query(r, q, sizeof q);
    lic_date_str(c.from, a);
    lic_date_str(c.from + DAYS - 1, z);
    srv_buf b = {0};
    page_begin(r, &b, "The next 90 days", "calendar");
    srv_buf_printf(&b, "<div class=\"pagehead\"><h1>The next 90 days <span class=\"dim\">%s to %s</span></h1>", a,
                   z);
    page_as_of_form(&b, "/calendar", c.from, "From");
    srv_buf_printf(&b, "</div>\n<p class=\"dim\">%zu dates across the portfolio: deadlines, cure deadlines and "
                       "windows, as each deal stands on %s.%s</p>\n",
                   c.n, a, c.full ? " (The list is cut at 4,096 dates.)" : "");
    if (!c.n)
        srv_buf_puts(&b, "<section class=\"card\"><p class=\"dim\">Nothing falls due in these 90 days.</p>"
                         "</section>\n");
    weeks(&b, &c, q);
    page_end(&b);
    free_items(&c);
    page_send(out, 200, &b);
}
