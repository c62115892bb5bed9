/*
 * events_lines.c - sales lines written inside an event (`lines:` of a
 * report, `findings:` of an audit).
 *
 * Each line is a mapping with the columns of the sales report CSV
 * (FORMAT 4): period, date, product, country, field, units, gross_sales,
 * deductions, currency, third_party_royalties.  `period` defaults to the
 * event's period and `currency` to the agreement's (inline lines are
 * written by hand; the CSV keeps currency required); `field` defaults to
 * the agreement's only field when it has exactly one.
 */
#include "events_int.h"

#include <string.h>

static const char *const line_keys[] = {
    "period", "date", "product", "country", "field", "units", "gross_sales",
    "deductions", "currency", "third_party_royalties", NULL};

/* The agreement's only field, or -1 when it has none or several. */
static int only_field(const lic_agreement *a)
{
    size_t n = lic_fieldtree_count(a->fields);
    int leaf = -1;
    for (size_t i = 0; i < n; i++) {
        bool has_child = false;
        for (size_t j = 0; j < n; j++)
            if (lic_fieldtree_parent(a->fields, (int)j) == (int)i)
                has_child = true;
        if (!has_child) {
            if (leaf >= 0)
                return -1;
            leaf = (int)i;
        }
    }
    return leaf;
}

static bool line_country(ld_ctx *c, const lic_ynode *n, int *out)
{
    if (!ld_is_scalar(c, n))
        return false;
    *out = lic_country_index(n->text, n->len);
    if (*out >= 0)
        return true;
    ld_error(c, n, "expected an ISO 3166-1 alpha-2 country code like US, got \"%.*s\"",
             n->len > 40 ? 40 : (int)n->len, n->text);
    return false;
}

static bool line_field(ld_ctx *c, const lic_ynode *n, int *out)
{
    if (!ld_is_scalar(c, n))
        return false;
    *out = lic_fieldtree_find(c->a->fields, n->text, n->len);
    if (*out >= 0)
        return true;
    ld_error(c, n, "unknown field \"%.*s\" (the agreement's fields: tree has no such path)",
             n->len > 60 ? 60 : (int)n->len, n->text);
    return false;
}

static bool line_units(ld_ctx *c, const lic_ynode *n, int64_t *out)
{
    long v;
    if (!ld_int(c, n, 0, 2000000000L, &v))
        return false;
    *out = v;
    return true;
}

static bool read_line(ld_ctx *c, const lic_ynode *n, const lic_period *period, lic_sale_line *l)
{
    bool ok = true;
    if (!ld_is_map(c, n))
        return false;
    ld_check_keys(c, n, line_keys);
    l->pos = ld_pos(n);
    l->period = *period;
    l->date = LIC_DATE_NONE;
    l->currency = c->a->currency;
    l->field = -1;
    LD_OPT(c, n, "period", ok &= ev_period(c, v_, &l->period));
    LD_OPT(c, n, "date", ok &= ld_date(c, v_, &l->date));
    LD_OPT(c, n, "product", ok &= ld_string(c, v_, &l->product));
    EV_REQ(c, n, "country", ok, line_country(c, v_, &l->country));
    LD_OPT(c, n, "currency", ok &= ev_currency(c, v_, &l->currency));
    LD_OPT(c, n, "units", ok &= line_units(c, v_, &l->units));
    lic_ynode *f = lic__ymap_get(n, "field");
    if (f)
        LD_OPT(c, n, "field", ok &= line_field(c, v_, &l->field));
    else if (lic_fieldtree_count(c->a->fields) > 0 && (l->field = only_field(c->a)) < 0) {
        ld_error(c, n, "missing key \"field\" (the agreement has several fields)");
        ok = false;
    }
    if (!ok)
        return false;
    int d = l->currency->digits;
    EV_REQ(c, n, "gross_sales", ok, ev_amount(c, v_, d, &l->gross));
    LD_OPT(c, n, "deductions", ok &= ev_amount(c, v_, d, &l->deductions));
    LD_OPT(c, n, "third_party_royalties", ok &= ev_amount(c, v_, d, &l->third_party_royalties));
    if (ok && l->date != LIC_DATE_NONE &&
        (l->date < lic_period_first(l->period) || l->date > lic_period_last(l->period))) {
        char day[LIC_DATE_STRLEN], per[LIC_PERIOD_STRLEN];
        lic_date_str(l->date, day);
        lic_period_str(l->period, per);
        size_t o = ld_push_key(c, "date");
        ld_error(c, lic__ymap_get(n, "date"), "%s is outside the line's period %s", day, per);
        ld_pop(c, o);
        ok = false;
    }
    return ok;
}

bool ev_lines(ld_ctx *c, const lic_ynode *n, const lic_period *period,
              lic_sale_line **out, size_t *nout)
{
    if (!ld_is_seq(c, n))
        return false;
    lic_sale_line *v = ld_array(c, n, sizeof *v, nout);
    if (!v)
        return n->n == 0;
    bool ok = true;
    for (size_t i = 0; i < n->n; i++) {
        size_t o = ld_push_index(c, i);
        ok &= read_line(c, n->items[i], period, &v[i]);
        ld_pop(c, o);
    }
    *out = v;
    return ok;
}
