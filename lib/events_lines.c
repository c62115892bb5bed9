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
 *
 * lic__sale_line_read() checks one line given its values by column; the
 * sales report CSV reader (sales_csv.c) calls it too, so a line says the
 * same thing wherever it was written.
 */
#include "events_int.h"

#include <stdint.h>
#include <string.h>

const char *const lic__sale_cols[LIC__SALE_NCOLS + 1] = {
#define LIC__SALE_COL_NAME(e, name) name,
    LIC__SALE_COLS(LIC__SALE_COL_NAME)
#undef LIC__SALE_COL_NAME
    NULL};

int lic__only_field(const lic_agreement *a)
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

/* Reads the value of column k with `call`, which sees it as v_, under
 * the column's name in the key path; nothing when the column is absent. */
#define CELL(k, call)                                          \
    do {                                                       \
        const lic_ynode *v_ = cells[k];                        \
        if (v_) {                                              \
            size_t o_ = ld_push_key(c, lic__sale_cols[k]);     \
            call;                                              \
            ld_pop(c, o_);                                     \
        }                                                      \
    } while (0)

/* The field of a line without one: the agreement's only field. */
static bool default_field(ld_ctx *c, const lic_ynode *where, lic__sale_memo *m, lic_sale_line *l)
{
    if (lic_fieldtree_count(c->a->fields) == 0)
        return true;
    if (m->only_field == LIC__ONLY_FIELD_UNKNOWN)
        m->only_field = lic__only_field(c->a);
    if ((l->field = m->only_field) >= 0)
        return true;
    ld_error(c, where, "missing key \"field\" (the agreement has several fields)");
    return false;
}

/* The line's date must fall inside its period. */
static bool date_in_period(ld_ctx *c, const lic_ynode *date, const lic_sale_line *l)
{
    if (l->date == LIC_DATE_NONE ||
        (l->date >= lic_period_first(l->period) && l->date <= lic_period_last(l->period)))
        return true;
    char day[LIC_DATE_STRLEN], per[LIC_PERIOD_STRLEN];
    lic_date_str(l->date, day);
    lic_period_str(l->period, per);
    size_t o = ld_push_key(c, "date");
    ld_error(c, date, "%s is outside the line's period %s", day, per);
    ld_pop(c, o);
    return false;
}

/* ---- values remembered from earlier lines ----
 * The period, date, country, field and currency of a line depend only on
 * their text and the agreement, and the lines of a report repeat a few
 * of each; a text that read well before is taken as it was read then.
 * Each column keeps a few texts, in slots picked by a cheap hash. */

void lic__sale_memo_init(lic__sale_memo *m, bool remember)
{
    memset(m, 0, sizeof *m);
    m->only_field = LIC__ONLY_FIELD_UNKNOWN;
    m->remember = remember;
}

/* The value of column k in *l, and back. */
static void get_value(int k, const lic_sale_line *l, lic__sale_value *v)
{
    switch (k) {
    case LIC__COL_PERIOD: v->period = l->period; break;
    case LIC__COL_DATE: v->date = l->date; break;
    case LIC__COL_COUNTRY: v->country = l->country; break;
    case LIC__COL_FIELD: v->field = l->field; break;
    default: v->currency = l->currency; break;
    }
}

static void set_value(int k, const lic__sale_value *v, lic_sale_line *l)
{
    switch (k) {
    case LIC__COL_PERIOD: l->period = v->period; break;
    case LIC__COL_DATE: l->date = v->date; break;
    case LIC__COL_COUNTRY: l->country = v->country; break;
    case LIC__COL_FIELD: l->field = v->field; break;
    default: l->currency = v->currency; break;
    }
}

/* A text's slot: its length and last two bytes tell most values apart
 * (countries, dates, quarters, field paths). */
static size_t slot_of(const lic_ynode *n)
{
    unsigned h = (unsigned)n->len;
    if (n->len >= 2)
        h += (unsigned char)n->text[n->len - 1] * 3u + (unsigned char)n->text[n->len - 2] * 5u;
    return h & (LIC__SALE_MEMO_SLOTS - 1);
}

/* Equal texts of n bytes, eight bytes at a time (n is small: no call). */
static bool same_text(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return false;
    }
    for (; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static bool recall(const lic__sale_memo *m, int k, const lic_ynode *v, lic_sale_line *l)
{
    if (!m->remember)
        return false;
    size_t s = slot_of(v);
    if (m->slot[k][s].len == 0 || m->slot[k][s].len != v->len ||
        !same_text(m->slot[k][s].text, v->text, v->len))
        return false;
    set_value(k, &m->slot[k][s].v, l);
    return true;
}

static void keep(lic__sale_memo *m, int k, const lic_ynode *v, const lic_sale_line *l)
{
    if (!m->remember || v->len == 0 || v->len > sizeof m->slot[k][0].text)
        return;
    size_t s = slot_of(v);
    memcpy(m->slot[k][s].text, v->text, v->len);
    m->slot[k][s].len = (unsigned char)v->len;
    get_value(k, l, &m->slot[k][s].v);
}

static bool read_value(ld_ctx *c, int k, const lic_ynode *v, lic_sale_line *l)
{
    switch (k) {
    case LIC__COL_PERIOD: return ev_period(c, v, &l->period);
    case LIC__COL_DATE: return ld_date(c, v, &l->date);
    case LIC__COL_COUNTRY: return line_country(c, v, &l->country);
    case LIC__COL_FIELD: return line_field(c, v, &l->field);
    default: return ev_currency(c, v, &l->currency);
    }
}

/* Column k (period, date, country, field or currency), given: recalled,
 * or read under the column's name in the key path. */
static bool value(ld_ctx *c, lic__sale_memo *m, int k, const lic_ynode *v, lic_sale_line *l)
{
    if (recall(m, k, v, l))
        return true;
    size_t o = ld_push_key(c, lic__sale_cols[k]);
    bool ok = read_value(c, k, v, l);
    ld_pop(c, o);
    if (ok)
        keep(m, k, v, l);
    return ok;
}

/* Amount column k: parsed quietly first (most amounts are fine), else
 * read by ev_amount under the column's name, which reports the problem. */
static bool amount(ld_ctx *c, int k, const lic_ynode *v, int digits, lic_amount *out)
{
    if (v->type == LIC_Y_SCALAR && v->len > 0 && lic_amount_parse(v->text, v->len, digits, out) == LIC_OK)
        return true;
    size_t o = ld_push_key(c, lic__sale_cols[k]);
    bool ok = ev_amount(c, v, digits, out);
    ld_pop(c, o);
    return ok;
}

/* A required column that is missing, reported at `where` as ld_require does. */
static bool missing(ld_ctx *c, const lic_ynode *where, int k)
{
    ld_error(c, where, "missing required key \"%s\"", lic__sale_cols[k]);
    return false;
}

bool lic__sale_line_read(ld_ctx *c, const lic_ynode *const cells[LIC__SALE_NCOLS],
                         const lic_ynode *where, const lic_period *period, lic__sale_memo *m,
                         lic_sale_line *l)
{
    bool ok = true;
    l->pos = ld_pos(where);
    l->date = LIC_DATE_NONE;
    l->currency = c->a->currency;
    l->field = -1;
    if (period)
        l->period = *period;
    if (cells[LIC__COL_PERIOD])
        ok &= value(c, m, LIC__COL_PERIOD, cells[LIC__COL_PERIOD], l);
    else if (!period)
        ok &= missing(c, where, LIC__COL_PERIOD);
    if (cells[LIC__COL_DATE])
        ok &= value(c, m, LIC__COL_DATE, cells[LIC__COL_DATE], l);
    CELL(LIC__COL_PRODUCT, ok &= ld_string(c, v_, &l->product));
    if (cells[LIC__COL_COUNTRY])
        ok &= value(c, m, LIC__COL_COUNTRY, cells[LIC__COL_COUNTRY], l);
    else
        ok &= missing(c, where, LIC__COL_COUNTRY);
    if (cells[LIC__COL_CURRENCY])
        ok &= value(c, m, LIC__COL_CURRENCY, cells[LIC__COL_CURRENCY], l);
    CELL(LIC__COL_UNITS, ok &= line_units(c, v_, &l->units));
    if (cells[LIC__COL_FIELD])
        ok &= value(c, m, LIC__COL_FIELD, cells[LIC__COL_FIELD], l);
    else
        ok &= default_field(c, where, m, l);
    if (!ok)
        return false;
    int d = l->currency->digits;
    if (cells[LIC__COL_GROSS])
        ok &= amount(c, LIC__COL_GROSS, cells[LIC__COL_GROSS], d, &l->gross);
    else
        ok &= missing(c, where, LIC__COL_GROSS);
    if (cells[LIC__COL_DEDUCTIONS])
        ok &= amount(c, LIC__COL_DEDUCTIONS, cells[LIC__COL_DEDUCTIONS], d, &l->deductions);
    if (cells[LIC__COL_TPR])
        ok &= amount(c, LIC__COL_TPR, cells[LIC__COL_TPR], d, &l->third_party_royalties);
    CELL(LIC__COL_FX_RATE, ok &= ev_rate(c, v_, &l->fx_rate));
    return ok && date_in_period(c, cells[LIC__COL_DATE], l);
}

static bool read_line(ld_ctx *c, const lic_ynode *n, const lic_period *period, lic__sale_memo *m,
                      lic_sale_line *l)
{
    if (!ld_is_map(c, n))
        return false;
    ld_check_keys(c, n, lic__sale_cols);
    const lic_ynode *cells[LIC__SALE_NCOLS];
    for (int k = 0; k < LIC__SALE_NCOLS; k++)
        cells[k] = lic__ymap_get(n, lic__sale_cols[k]);
    return lic__sale_line_read(c, cells, n, period, m, l);
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
    lic__sale_memo m;
    lic__sale_memo_init(&m, false);
    for (size_t i = 0; i < n->n; i++) {
        size_t o = ld_push_index(c, i);
        ok &= read_line(c, n->items[i], period, &m, &v[i]);
        ld_pop(c, o);
    }
    *out = v;
    return ok;
}
