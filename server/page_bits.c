/*
 * page_bits.c - the small pieces every page writes: badges for states,
 * dates and day counts, amounts with thousands separators, the "as of"
 * form, territories and fields by name; and the two ways pages read
 * data: a deal's status from the server's cache, and an API handler's
 * answer (so a page shows exactly what the API serves).
 */
#include <stdlib.h>
#include <string.h>

#include "page.h"

/* What a word means to the reader, as the badge's colour.  One row per
 * word; a word not listed is shown neutral. */
static const char *const badge_tones[][2] = {
    {"achieved", "good"},   {"paid", "good"},        {"satisfied", "good"},  {"cured", "good"},
    {"active", "good"},     {"approved", "good"},    {"resolved", "good"},   {"applied", "info"},
    {"pending", "warn"},    {"due", "warn"},         {"detected", "warn"},   {"noticed", "warn"},
    {"open", "warn"},       {"terminating", "warn"}, {"sell_off", "warn"},   {"revision_requested", "warn"},
    {"disputed", "warn"},   {"pending_verification", "warn"},                {"extended", "warn"},
    {"upcoming", "muted"},  {"missed", "bad"},       {"overdue", "bad"},     {"uncured", "bad"},
    {"late", "bad"},        {"terminated", "bad"},   {"rejected", "bad"},    {"at_risk", "bad"},
    {"unlicensed", "bad"},  {"waived", "muted"},     {"lapsed", "muted"},    {"expired", "muted"},
    {"suspended", "muted"}, {"exclusive", "excl"},   {"sole", "excl"},       {"co_exclusive", "coex"},
    {"non_exclusive", "nonex"},
    {"cure", "bad"},        {"payment", "info"},     {"milestone", "warn"},  {"window", "coex"},
    {"obligation", "plain"},    {"disabled", "bad"},
};

void page_badge(srv_buf *b, const char *word)
{
    if (!word)
        word = "unknown";
    const char *tone = "plain";
    for (size_t i = 0; i < sizeof badge_tones / sizeof badge_tones[0]; i++)
        if (!strcmp(word, badge_tones[i][0]))
            tone = badge_tones[i][1];
    srv_buf_printf(b, "<span class=\"badge %s\">", tone);
    for (const char *p = word; *p; p++) {
        char c[2] = {*p == '_' ? ' ' : *p, '\0'};
        srv_buf_html(b, c);
    }
    srv_buf_puts(b, "</span>");
}

void page_date(srv_buf *b, lic_date d)
{
    if (d == LIC_DATE_NONE) {
        srv_buf_puts(b, "<span class=\"dim\">—</span>");
        return;
    }
    char s[LIC_DATE_STRLEN];
    lic_date_str(d, s);
    srv_buf_puts(b, s);
}

void page_money(srv_buf *b, const char *decimal, const char *currency)
{
    if (!decimal) {
        srv_buf_puts(b, "<span class=\"dim\" title=\"indeterminate: a term is redacted or unknown\">?</span>");
        return;
    }
    const char *p = decimal;
    if (*p == '-')
        srv_buf_puts(b, "−"), p++;
    size_t whole = strcspn(p, ".");
    for (size_t i = 0; i < whole; i++) {
        if (i && (whole - i) % 3 == 0)
            srv_buf_puts(b, ",");
        char c[2] = {p[i], '\0'};
        srv_buf_html(b, c);
    }
    srv_buf_html(b, p + whole);
    if (currency) {
        srv_buf_puts(b, "<span class=\"ccy\"> ");
        srv_buf_html(b, currency);
        srv_buf_puts(b, "</span>");
    }
}

bool page_nonzero(const char *decimal)
{
    for (const char *p = decimal; p && *p; p++)
        if (*p >= '1' && *p <= '9')
            return true;
    return false;
}

void page_amount(srv_buf *b, lic_amount a, const lic_currency *c)
{
    char s[40];
    lic_amount_format(a, c ? c->digits : 2, s, sizeof s);
    page_money(b, s, c ? c->code : NULL);
}

void page_days(srv_buf *b, int days)
{
    if (days == 0)
        srv_buf_puts(b, "today");
    else if (days == 1)
        srv_buf_puts(b, "tomorrow");
    else if (days > 0)
        srv_buf_printf(b, "in %d days", days);
    else if (days == -1)
        srv_buf_puts(b, "yesterday");
    else
        srv_buf_printf(b, "%d days ago", -days);
}

void page_as_of_form(srv_buf *b, const char *action, lic_date as_of, const char *label)
{
    char d[LIC_DATE_STRLEN];
    lic_date_str(as_of, d);
    srv_buf_puts(b, "<form class=\"asof\" method=\"get\" action=\"");
    srv_buf_html(b, action);
    srv_buf_puts(b, "\"><label>");
    srv_buf_html(b, label);
    srv_buf_printf(b, " <input type=\"date\" name=\"as_of\" value=\"%s\" required></label>"
                      "<button type=\"submit\" class=\"btn\">Show</button></form>",
                   d);
}

void page_as_of_query(const srv_req *r, char *out, size_t n)
{
    const char *a = srv_arg(r, "as_of");
    lic_date d;
    out[0] = '\0';
    if (a && !lic_date_parse(a, strlen(a), &d)) {
        char s[LIC_DATE_STRLEN];
        lic_date_str(d, s);
        snprintf(out, n, "?as_of=%s", s);
    }
}

bool page_as_of_or_respond(const srv_req *r, srv_resp *out, lic_date *as_of)
{
    lic_date known_at;
    srv_resp scratch = {0};
    if (srv_dates(r, &scratch, as_of, &known_at))
        return true;
    srv_buf_free(&scratch.body);
    page_fail(r, out, 400, "The date is not a date like 2027-12-31 (as_of=YYYY-MM-DD).");
    return false;
}

const char *page_str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

int page_days_until(lic_date from, const char *to)
{
    lic_date d;
    if (!to || lic_date_parse(to, strlen(to), &d))
        return 0;
    return (int)(d - from);
}

/* Both describe functions return the length they need, as snprintf. */
typedef size_t (*describe_fn)(const void *set, const void *ctx, char *buf, size_t n);

static void described(srv_buf *b, describe_fn f, const void *set, const void *ctx)
{
    char small[1024];
    size_t need = f(set, ctx, small, sizeof small);
    if (need < sizeof small) {
        srv_buf_html(b, small);
        return;
    }
    char *big = malloc(need + 1);
    if (!big) {
        b->oom = true;
        return;
    }
    f(set, ctx, big, need + 1);
    srv_buf_html(b, big);
    free(big);
}

static size_t tset_describe(const void *set, const void *ctx, char *buf, size_t n)
{
    return lic_tset_describe(set, ctx, buf, n);
}

static size_t fset_format(const void *set, const void *ctx, char *buf, size_t n)
{
    return lic_fset_format(ctx, set, buf, n);
}

void page_territories(srv_buf *b, const lic_tset *t, const lic_regions *custom)
{
    described(b, tset_describe, t, custom);
}

void page_fields(srv_buf *b, const lic_fieldtree *tree, const lic_fset *f)
{
    if (lic_fset_is_empty(f)) {
        srv_buf_puts(b, "all fields");
        return;
    }
    described(b, fset_format, f, tree);
}

json_t *page_status(const srv_req *r, const char *id, const lic_agreement *a, lic_date as_of)
{
    srv_req sub = *r;
    sub.ag = a;
    unsigned status = 0;
    char *text = srv_status_json(&sub, id, as_of, LIC_DATE_NONE, &status);
    json_t *st = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return st;
}

json_t *page_api(const srv_req *r, srv_handler h, const char *id, const lic_agreement *a)
{
    srv_req sub = *r;
    srv_resp scratch = {0};
    char *param = id ? strdup(id) : NULL;
    if (id && !param)
        return NULL;
    sub.params[0] = param;
    sub.nparams = id ? 1 : 0;
    if (a)
        sub.ag = a;
    h(&sub, &scratch);
    free(param);
    for (int i = 0; i < scratch.nhdr; i++)
        free(scratch.hdr[i].value);
    json_t *v = NULL;
    if (scratch.status == 200 && scratch.body.v)
        v = json_loadb(scratch.body.v, scratch.body.n, 0, NULL);
    srv_buf_free(&scratch.body);
    return v;
}
