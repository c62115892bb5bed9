/*
 * statement.c - a period's royalty statement as the JSON object of
 * FORMAT 5 (`licet royalties --json`), from the state that computed it:
 * per statement line the schedule, country, gross, allowed deductions,
 * net sales, each band's rate, base and royalty, and the stacking
 * reduction; then the period's royalty, credits, total due and due date.
 * Extra keys are listed in docs/format.md ("Royalty statements").
 */
#include "engine_int.h"
#include "jsonout.h"
#include "sha256.h"

#include <string.h>

const lic_st_statement *lic_state_statement(const lic_state *s, lic_period p)
{
    for (size_t i = 0; i < s->nstatements; i++)
        if (!lic_period_cmp(s->statements[i].st->period, p))
            return &s->statements[i];
    return NULL;
}

static json_t *jrate(lic_rate r)
{
    char buf[48];
    lic_rate_format_percent(r, buf, sizeof buf);
    return json_string(buf);
}

/* base: net sales in minor units, or units when royalties count units. */
static json_t *band(const lic_roy_band *b, int digits, bool units)
{
    json_t *o = json_object();
    if (b->is_fixed)
        json_object_set_new(o, "amount", lic__jamount(b->fixed, digits, true));
    else if (b->is_per_unit)
        json_object_set_new(o, "per_unit", lic__jamount(b->per_unit, digits, true));
    else
        json_object_set_new(o, "rate", jrate(b->rate));
    json_object_set_new(o, "base", units ? json_integer(b->base) : lic__jamount(b->base, digits, true));
    json_object_set_new(o, "royalty", lic__jamount(b->royalty, digits, true));
    return o;
}

static json_t *line(const lic_roy_line *l, int digits, bool units)
{
    json_t *o = json_object(), *bands = json_array();
    json_object_set_new(o, "schedule", lic__jstr(l->schedule));
    json_object_set_new(o, "country", json_string(lic_country_code(l->country)));
    if (l->product)
        json_object_set_new(o, "product", json_string(l->product));
    json_object_set_new(o, "status", json_string(lic_roy_status_name(l->status)));
    json_object_set_new(o, "gross", lic__jamount(l->gross, digits, true));
    json_object_set_new(o, "deductions_allowed", lic__jamount(l->deductions_allowed, digits, true));
    json_object_set_new(o, "net_sales", lic__jamount(l->net_sales, digits, true));
    if (units || l->units)
        json_object_set_new(o, "units", json_integer(l->units));
    if (l->add)
        json_object_set_new(o, "rate_added", jrate(l->add));
    if (l->factor != 1000000000000LL)
        json_object_set_new(o, "rate_factor", jrate(l->factor));
    for (size_t i = 0; i < l->nbands; i++)
        json_array_append_new(bands, band(&l->bands[i], digits, units));
    json_object_set_new(o, "bands", bands);
    json_object_set_new(o, "royalty", lic__jamount(l->royalty, digits, true));
    json_object_set_new(o, "third_party_royalties", lic__jamount(l->third_party, digits, true));
    json_object_set_new(o, "stacking_reduction", lic__jamount(l->stacking_reduction, digits, true));
    if (l->stacking_carried)
        json_object_set_new(o, "stacking_carried", lic__jamount(l->stacking_carried, digits, true));
    return o;
}

static json_t *notes(const lic_state *s, const lic_st_statement *x, bool flags, const char *ps)
{
    json_t *a = json_array();
    if (flags) {
        for (size_t i = 0; i < s->nflags; i++)
            if (s->flags[i].period && !strcmp(s->flags[i].period, ps)) {
                json_t *o = json_object();
                json_object_set_new(o, "kind", json_string(s->flags[i].kind));
                json_object_set_new(o, "detail", json_string(s->flags[i].detail));
                json_array_append_new(a, o);
            }
        return a;
    }
    for (size_t i = 0; i < x->st->nindeterminate; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "what", json_string(x->st->indeterminate[i].kind));
        json_object_set_new(o, "term", json_string(x->st->indeterminate[i].detail));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *money(const lic_st_statement *x, int digits, json_t *o)
{
    const lic_roy_statement *st = x->st;
    json_t *ups = json_array(), *credits = json_array();
    for (size_t i = 0; i < st->ntrue_ups; i++) {
        json_t *u = json_object();
        json_object_set_new(u, "schedule", json_string(st->true_ups[i].schedule));
        json_object_set_new(u, "amount", lic__jamount(st->true_ups[i].amount, digits, true));
        json_array_append_new(ups, u);
    }
    for (size_t i = 0; i < x->ncredits; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "kind", json_string(x->credits[i].kind));
        json_object_set_new(c, "amount", lic__jamount(x->credits[i].amount, digits, true));
        json_object_set_new(c, "from", lic__jstr(x->credits[i].source));
        json_array_append_new(credits, c);
    }
    json_object_set_new(o, "true_ups", ups);
    json_object_set_new(o, "net_sales", lic__jamount(st->net_sales, digits, st->known));
    json_object_set_new(o, "royalty", lic__jamount(st->royalty, digits, st->known));
    json_object_set_new(o, "credits", credits);
    json_object_set_new(o, "total_due", lic__jamount(x->total_due, digits, st->known));
    json_object_set_new(o, "due", lic__jdate(x->due));
    json_object_set_new(o, "invoice", json_string(x->invoice));
    return o;
}

char *lic_statement_json(const lic_state *s, const lic_st_statement *x)
{
    const lic_agreement *a = s->agreement;
    int digits = a->currency->digits;
    char ps[LIC_PERIOD_STRLEN];
    lic_period_str(x->st->period, ps);
    json_t *o = json_object(), *lines = json_array();
    if (!o || !lines)
        return NULL;
    json_object_set_new(o, "agreement", json_string(a->id));
    json_object_set_new(o, "period", json_string(ps));
    json_object_set_new(o, "currency", json_string(a->currency->code));
    json_object_set_new(o, "as_of", lic__jdate(s->as_of));
    json_object_set_new(o, "royalty_year", json_integer(x->st->year));
    json_object_set_new(o, "reported", lic__jdate(x->report->date));
    for (size_t i = 0; i < x->st->nlines; i++)
        json_array_append_new(lines, line(&x->st->lines[i], digits, a->payments.royalties.base_units));
    json_object_set_new(o, "lines", lines);
    money(x, digits, o);
    json_object_set_new(o, "indeterminate", notes(s, x, false, ps));
    json_object_set_new(o, "flags", notes(s, x, true, ps));
    unsigned char sha[32];
    lic__sha256 h;
    lic__sha256_init(&h);
    lic__sha256_update(&h, s->inputs_sha256, sizeof s->inputs_sha256);
    lic__sha256_update(&h, ps, strlen(ps));
    lic__sha256_final(&h, sha);
    json_object_set_new(o, "receipt", lic__jreceipt(sha));
    return lic__jdump(o);
}
