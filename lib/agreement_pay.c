/*
 * agreement_pay.c - the payments section (FORMAT 2.3): upfront, annual
 * fee, royalties (schedules and tiers, royalty term, stacking,
 * adjustments, minimum annual), milestone cap, sublicense income, late
 * interest, fees and fx.
 */
#include "load_int.h"

#include <string.h>

static void upfront(ld_ctx *c, const lic_ynode *n, lic_payments *p)
{
    static const char *const keys[] = {"amount", "due", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    p->upfront.present = true;
    p->upfront.pos = ld_pos(n);
    LD_REQ(c, n, "amount", ld_amount_v(c, v_, c->digits, &p->upfront.amount));
    LD_REQ(c, n, "due", ld_dexpr(c, v_, false, -1, &p->upfront.due));
}

static void annual_fee(ld_ctx *c, const lic_ynode *n, lic_payments *p)
{
    static const char *const keys[] = {"amount", "schedule", "first_due", "until", "creditable", NULL};
    static const char *const skeys[] = {"year", "from_year", "amount", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    p->annual_fee.present = true;
    p->annual_fee.pos = ld_pos(n);
    LD_OPT(c, n, "amount", ld_amount_v(c, v_, c->digits, &p->annual_fee.amount));
    lic_ynode *s = lic__ymap_get(n, "schedule");
    if (s) {
        size_t o = ld_push_key(c, "schedule");
        if (ld_is_seq(c, s)) {
            p->annual_fee.schedule = ld_array(c, s, sizeof *p->annual_fee.schedule, &p->annual_fee.nschedule);
            for (size_t i = 0; i < p->annual_fee.nschedule; i++) {
                struct lic_fee_step *st = &p->annual_fee.schedule[i];
                size_t o2 = ld_push_index(c, i);
                st->pos = ld_pos(s->items[i]);
                if (ld_is_map(c, s->items[i])) {
                    ld_check_keys(c, s->items[i], skeys);
                    long y = 0;
                    LD_OPT(c, s->items[i], "year", ld_int(c, v_, 1, 200, &y));
                    st->year = (int)y;
                    y = 0;
                    LD_OPT(c, s->items[i], "from_year", ld_int(c, v_, 1, 200, &y));
                    st->from_year = (int)y;
                    if (!st->year == !st->from_year)
                        ld_error(c, s->items[i], "expected exactly one of year or from_year");
                    LD_REQ(c, s->items[i], "amount", ld_amount_v(c, v_, c->digits, &st->amount));
                }
                ld_pop(c, o2);
            }
        }
        ld_pop(c, o);
    }
    if (!s == (p->annual_fee.amount.st == LIC_V_ABSENT))
        ld_error(c, n, "expected exactly one of amount or schedule");
    LD_REQ(c, n, "first_due", ld_dexpr(c, v_, false, -1, &p->annual_fee.first_due));
    lic_ynode *u = lic__ymap_get(n, "until");
    if (u) {
        size_t o = ld_push_key(c, "until");
        if (lic__yscalar_is(u, "first_commercial_sale"))
            p->annual_fee.until = LIC_UNTIL_FCS;
        else if (ld_date_v(c, u, &p->annual_fee.until_date))
            p->annual_fee.until = LIC_UNTIL_DATE;
        ld_pop(c, o);
    }
    LD_OPT(c, n, "creditable", ld_bool(c, v_, &p->annual_fee.creditable));
}

static void band(ld_ctx *c, const lic_ynode *n, lic_royalties *r, lic_band *b)
{
    static const char *const keys[] = {"up_to", "rate", "amount", "per_unit", NULL};
    b->pos = ld_pos(n);
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    LD_OPT(c, n, "up_to", ld_amount_v(c, v_, r->base_units ? 0 : c->digits, &b->up_to));
    LD_OPT(c, n, "rate", ld_rate_v(c, v_, &b->rate));
    LD_OPT(c, n, "amount", ld_amount_v(c, v_, c->digits, &b->amount));
    LD_OPT(c, n, "per_unit", ld_amount_v(c, v_, c->digits, &b->per_unit));
    /* Count keys written, not values read: a bad rate is one error. */
    int given = !!lic__ymap_get(n, "rate") + !!lic__ymap_get(n, "amount") +
                !!lic__ymap_get(n, "per_unit");
    if (given != 1)
        ld_error(c, n, "expected exactly one of rate, amount or per_unit");
}

static void tiers(ld_ctx *c, const lic_ynode *n, lic_royalties *r, lic_schedule *s)
{
    static const char *const keys[] = {"method", "over", "upper", "bands", NULL};
    static const char *const methods[] = {"marginal", "whole", NULL};
    static const char *const overs[] = {"royalty_year", "lifetime", NULL};
    static const char *const uppers[] = {"inclusive", "exclusive", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    int m = 0, o = 0, u = 0;
    LD_OPT(c, n, "method", ld_enum(c, v_, methods, &m));
    LD_OPT(c, n, "over", ld_enum(c, v_, overs, &o));
    LD_OPT(c, n, "upper", ld_enum(c, v_, uppers, &u));
    s->method = (lic_tier_method)m;
    s->over_lifetime = o == 1;
    s->upper_exclusive = u == 1;
    lic_ynode *bands = ld_require(c, n, "bands");
    if (!bands)
        return;
    size_t ob = ld_push_key(c, "bands");
    if (ld_is_seq(c, bands)) {
        if (bands->n == 0)
            ld_error(c, bands, "expected at least one band");
        s->bands = ld_array(c, bands, sizeof *s->bands, &s->nbands);
        for (size_t i = 0; i < s->nbands; i++) {
            size_t o2 = ld_push_index(c, i);
            band(c, bands->items[i], r, &s->bands[i]);
            ld_pop(c, o2);
        }
    }
    ld_pop(c, ob);
}

static void schedule(ld_ctx *c, const lic_ynode *n, lic_royalties *r, lic_schedule *s)
{
    static const char *const keys[] = {"name", "scope", "tiers", "rate", NULL};
    static const char *const scope_keys[] = {"fields", "territories", "products", NULL};
    s->pos = ld_pos(n);
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    LD_REQ(c, n, "name", ld_id(c, v_, &s->name));
    lic_ynode *sc = lic__ymap_get(n, "scope");
    if (sc) {
        size_t o = ld_push_key(c, "scope");
        if (ld_is_map(c, sc)) {
            ld_check_keys(c, sc, scope_keys);
            ld_scope(c, sc, &s->scope);
            LD_OPT(c, sc, "products", ld_strlist(c, v_, false, &s->products));
        }
        ld_pop(c, o);
    }
    lic_ynode *t = lic__ymap_get(n, "tiers"), *rate = lic__ymap_get(n, "rate");
    if (!!t == !!rate) {
        ld_error(c, n, "expected exactly one of tiers or rate");
        return;
    }
    if (t) {
        size_t o = ld_push_key(c, "tiers");
        tiers(c, t, r, s);
        ld_pop(c, o);
        return;
    }
    /* Extension: `rate: "3%"` is one open band. */
    s->bands = ld_alloc(c, sizeof *s->bands);
    if (!s->bands)
        return;
    s->nbands = 1;
    size_t o = ld_push_key(c, "rate");
    ld_rate_v(c, rate, &s->bands[0].rate);
    s->bands[0].pos = ld_pos(rate);
    ld_pop(c, o);
}

static unsigned term_items(ld_ctx *c, const lic_ynode *n, int *years)
{
    unsigned bits = 0;
    if (!ld_is_seq(c, n))
        return 0;
    for (size_t i = 0; i < n->n; i++) {
        const lic_ynode *it = n->items[i];
        size_t o = ld_push_index(c, i);
        if (lic__yscalar_is(it, "last_valid_claim"))
            bits |= LIC_TERM_LAST_VALID_CLAIM;
        else if (lic__yscalar_is(it, "regulatory_exclusivity"))
            bits |= LIC_TERM_REG_EXCLUSIVITY;
        else if (it->type == LIC_Y_MAP && years && lic__ymap_get(it, "years_after_first_sale")) {
            static const char *const k[] = {"years_after_first_sale", NULL};
            ld_check_keys(c, it, k);
            long y;
            size_t o2 = ld_push_key(c, "years_after_first_sale");
            if (ld_int(c, lic__ymap_get(it, "years_after_first_sale"), 1, 100, &y)) {
                *years = (int)y;
                bits |= LIC_TERM_YEARS_AFTER_FS;
            }
            ld_pop(c, o2);
        } else
            ld_error(c, it, "expected last_valid_claim, regulatory_exclusivity%s",
                     years ? " or {years_after_first_sale: N}" : "");
        ld_pop(c, o);
    }
    return bits;
}

static void royalty_term(ld_ctx *c, const lic_ynode *n, lic_royalties *r)
{
    static const char *const keys[] = {"ends", "step_down", "after_term", NULL};
    static const char *const sd_keys[] = {"after", "rate_factor", NULL};
    static const char *const after_terms[] = {"fully_paid", "ends", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    r->term.present = true;
    r->term.pos = ld_pos(n);
    lic_ynode *e = ld_require(c, n, "ends");
    if (e) {
        size_t o = ld_push_key(c, "ends");
        if (e->type == LIC_Y_SEQ)
            r->term.ends = term_items(c, e, &r->term.years_after_first_sale);
        else
            ld_date_v(c, e, &r->term.ends_date);
        ld_pop(c, o);
    }
    lic_ynode *sd = lic__ymap_get(n, "step_down");
    if (sd) {
        size_t o = ld_push_key(c, "step_down");
        if (ld_is_map(c, sd)) {
            ld_check_keys(c, sd, sd_keys);
            r->term.step_down.present = true;
            LD_REQ(c, sd, "after", r->term.step_down.after = term_items(c, v_, NULL));
            LD_REQ(c, sd, "rate_factor", ld_rate_v(c, v_, &r->term.step_down.rate_factor));
        }
        ld_pop(c, o);
    }
    int at = 0;
    LD_OPT(c, n, "after_term", ld_enum(c, v_, after_terms, &at));
    r->term.after_term_ends = at == 1;
}

static void stacking(ld_ctx *c, const lic_ynode *n, lic_royalties *r)
{
    static const char *const keys[] = {"offset", "floor", "carry_forward", NULL};
    static const char *const fkeys[] = {"share_of_royalty", "rate", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    r->stacking.present = true;
    LD_REQ(c, n, "offset", ld_rate_v(c, v_, &r->stacking.offset));
    lic_ynode *f = lic__ymap_get(n, "floor");
    if (f) {
        size_t o = ld_push_key(c, "floor");
        if (ld_is_map(c, f)) {
            ld_check_keys(c, f, fkeys);
            lic_ynode *sh = lic__ymap_get(f, "share_of_royalty"), *ra = lic__ymap_get(f, "rate");
            if (!!sh == !!ra)
                ld_error(c, f, "expected exactly one of share_of_royalty or rate");
            else {
                r->stacking.floor_is_rate = ra != NULL;
                size_t o2 = ld_push_key(c, ra ? "rate" : "share_of_royalty");
                ld_rate_v(c, ra ? ra : sh, &r->stacking.floor);
                ld_pop(c, o2);
            }
        }
        ld_pop(c, o);
    }
    LD_OPT(c, n, "carry_forward", ld_bool(c, v_, &r->stacking.carry_forward));
}

static void minimum(ld_ctx *c, const lic_ynode *n, lic_royalties *r)
{
    static const char *const keys[] = {"amount", "from", "mode", "due", "due_on", "credit", "prorate", NULL};
    static const char *const modes[] = {"true_up", "advance", NULL};
    static const char *const credits[] = {"earned", "paid", NULL};
    static const char *const prorates[] = {"none", "days", "months", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    r->minimum_annual.present = true;
    r->minimum_annual.pos = ld_pos(n);
    LD_REQ(c, n, "amount", ld_amount_v(c, v_, c->digits, &r->minimum_annual.amount));
    lic_ynode *f = lic__ymap_get(n, "from");
    if (f) {
        size_t o = ld_push_key(c, "from");
        long y;
        if (f->type == LIC_Y_MAP) {
            static const char *const fk[] = {"first_sale_year", NULL};
            ld_check_keys(c, f, fk);
            LD_REQ(c, f, "first_sale_year", ld_int(c, v_, 1, 100, &y) ? (r->minimum_annual.from_first_sale_year = (int)y) : 0);
        } else if (ld_int(c, f, 1900, 9999, &y))
            r->minimum_annual.from_year = (int)y;
        ld_pop(c, o);
    }
    int m = 0, cr = 0, pr = 0;
    LD_OPT(c, n, "mode", ld_enum(c, v_, modes, &m));
    LD_OPT(c, n, "credit", ld_enum(c, v_, credits, &cr));
    LD_OPT(c, n, "prorate", ld_enum(c, v_, prorates, &pr));
    r->minimum_annual.advance = m == 1;
    r->minimum_annual.credit_paid = cr == 1;
    r->minimum_annual.prorate = pr;
    LD_OPT(c, n, "due", ld_duration_v(c, v_, &r->minimum_annual.due));
    LD_OPT(c, n, "due_on", ld_month_day(c, v_, &r->minimum_annual.due_on_month, &r->minimum_annual.due_on_day));
    if (lic__ymap_get(n, "due") && lic__ymap_get(n, "due_on"))
        ld_error(c, n, "expected one of due or due_on, not both");
}

static void adjustments(ld_ctx *c, const lic_ynode *n, lic_royalties *r)
{
    static const char *const keys[] = {"after", "add", NULL};
    if (!ld_is_seq(c, n))
        return;
    r->adjustments = ld_array(c, n, sizeof *r->adjustments, &r->nadjustments);
    for (size_t i = 0; i < r->nadjustments; i++) {
        struct lic_adjustment *adj = &r->adjustments[i];
        size_t o = ld_push_index(c, i);
        adj->pos = ld_pos(n->items[i]);
        adj->ms_index = -1;
        if (ld_is_map(c, n->items[i])) {
            ld_check_keys(c, n->items[i], keys);
            LD_REQ(c, n->items[i], "after", ld_id(c, v_, &adj->after));
            LD_REQ(c, n->items[i], "add", ld_rate_v(c, v_, &adj->add));
            adj->ms_index = lic_agreement_milestone_index(c->a, adj->after);
            if (adj->after && adj->ms_index < 0)
                ld_error(c, lic__ymap_get(n->items[i], "after"), "unknown milestone \"%s\"", adj->after);
        }
        ld_pop(c, o);
    }
}

static void royalties(ld_ctx *c, const lic_ynode *n, lic_royalties *r)
{
    static const char *const keys[] = {"year", "base", "deductions", "schedules", "royalty_term",
                                       "stacking", "adjustments", "minimum_annual", NULL};
    static const char *const years[] = {"calendar", "agreement", NULL};
    static const char *const bases[] = {"net_sales", "units", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    r->present = true;
    r->pos = ld_pos(n);
    int y = 0, b = 0;
    LD_OPT(c, n, "year", ld_enum(c, v_, years, &y));
    LD_OPT(c, n, "base", ld_enum(c, v_, bases, &b));
    r->agreement_year = y == 1;
    r->base_units = b == 1;
    lic_ynode *d = lic__ymap_get(n, "deductions");
    if (d) {
        size_t o = ld_push_key(c, "deductions");
        static const char *const dk[] = {"cap", NULL};
        if (ld_is_map(c, d)) {
            ld_check_keys(c, d, dk);
            LD_REQ(c, d, "cap", ld_rate_v(c, v_, &r->deductions_cap));
        }
        ld_pop(c, o);
    }
    lic_ynode *s = ld_require(c, n, "schedules");
    if (s) {
        size_t o = ld_push_key(c, "schedules");
        if (ld_is_seq(c, s)) {
            r->schedules = ld_array(c, s, sizeof *r->schedules, &r->nschedules);
            for (size_t i = 0; i < r->nschedules; i++) {
                size_t o2 = ld_push_index(c, i);
                schedule(c, s->items[i], r, &r->schedules[i]);
                for (size_t j = 0; j < i; j++)
                    ld_dup(c, s->items[i], r->schedules[i].name, r->schedules[j].name, r->schedules[j].pos);
                ld_pop(c, o2);
            }
        }
        ld_pop(c, o);
    }
    LD_OPT(c, n, "royalty_term", (royalty_term(c, v_, r), 0));
    LD_OPT(c, n, "stacking", (stacking(c, v_, r), 0));
    LD_OPT(c, n, "adjustments", (adjustments(c, v_, r), 0));
    LD_OPT(c, n, "minimum_annual", (minimum(c, v_, r), 0));
}

static void sublicense_income(ld_ctx *c, const lic_ynode *n, lic_payments *p)
{
    static const char *const keys[] = {"kinds", "shares", "due", NULL};
    static const char *const kinds[] = {"upfront", "milestone", "royalty", "equity", "other", NULL};
    static const char *const skeys[] = {"before", "share", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    p->sublicense_income.present = true;
    p->sublicense_income.pos = ld_pos(n);
    lic_ynode *k = lic__ymap_get(n, "kinds");
    if (k) {
        size_t o = ld_push_key(c, "kinds");
        if (ld_is_seq(c, k))
            for (size_t i = 0; i < k->n; i++) {
                size_t o2 = ld_push_index(c, i);
                int e;
                if (ld_enum(c, k->items[i], kinds, &e))
                    p->sublicense_income.kinds |= 1u << e;
                ld_pop(c, o2);
            }
        ld_pop(c, o);
    } else
        p->sublicense_income.kinds = LIC_SUBINC_UPFRONT | LIC_SUBINC_MILESTONE | LIC_SUBINC_OTHER;
    lic_ynode *s = ld_require(c, n, "shares");
    if (s) {
        size_t o = ld_push_key(c, "shares");
        if (ld_is_seq(c, s)) {
            p->sublicense_income.shares = ld_array(c, s, sizeof *p->sublicense_income.shares, &p->sublicense_income.nshares);
            for (size_t i = 0; i < p->sublicense_income.nshares; i++) {
                struct lic_share_step *st = &p->sublicense_income.shares[i];
                size_t o2 = ld_push_index(c, i);
                st->pos = ld_pos(s->items[i]);
                st->ms_index = -1;
                if (ld_is_map(c, s->items[i])) {
                    ld_check_keys(c, s->items[i], skeys);
                    LD_OPT(c, s->items[i], "before", ld_id(c, v_, &st->before));
                    LD_REQ(c, s->items[i], "share", ld_rate_v(c, v_, &st->share));
                    if (st->before && (st->ms_index = lic_agreement_milestone_index(c->a, st->before)) < 0)
                        ld_error(c, lic__ymap_get(s->items[i], "before"), "unknown milestone \"%s\"", st->before);
                }
                ld_pop(c, o2);
            }
        }
        ld_pop(c, o);
    }
    LD_OPT(c, n, "due", ld_duration_v(c, v_, &p->sublicense_income.due));
}

static void late_interest(ld_ctx *c, const lic_ynode *n, lic_payments *p)
{
    static const char *const keys[] = {"annual_rate", "reference", "margin", "basis", "starts",
                                       "compounding", "monthly_rate", "only_if_late_over",
                                       "retroactive", "discretionary", NULL};
    static const char *const bases[] = {"actual_365", "actual_360", "actual_actual", NULL};
    static const char *const comps[] = {"none", "yearly", "monthly", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    __typeof__(p->late_interest) *li = &p->late_interest;
    li->present = true;
    li->pos = ld_pos(n);
    LD_OPT(c, n, "annual_rate", ld_rate_v(c, v_, &li->annual_rate));
    LD_OPT(c, n, "reference", ld_id(c, v_, &li->reference));
    LD_OPT(c, n, "margin", ld_rate_v(c, v_, &li->margin));
    LD_OPT(c, n, "monthly_rate", ld_rate_v(c, v_, &li->monthly_rate));
    int kinds = (li->annual_rate.st != LIC_V_ABSENT) + (li->reference != NULL) +
                (li->monthly_rate.st != LIC_V_ABSENT);
    if (kinds != 1)
        ld_error(c, n, "expected exactly one of annual_rate, reference or monthly_rate");
    li->kind = li->reference ? LIC_INTEREST_REFERENCE
               : li->monthly_rate.st != LIC_V_ABSENT ? LIC_INTEREST_PENALTY : LIC_INTEREST_ANNUAL;
    int b = 0, cp = 0;
    LD_OPT(c, n, "basis", ld_enum(c, v_, bases, &b));
    LD_OPT(c, n, "compounding", ld_enum(c, v_, comps, &cp));
    li->basis = b;
    li->compounding = cp;
    LD_OPT(c, n, "starts", ld_duration_v(c, v_, &li->starts));
    LD_OPT(c, n, "only_if_late_over", ld_duration_v(c, v_, &li->only_if_late_over));
    LD_OPT(c, n, "retroactive", ld_bool(c, v_, &li->retroactive));
    LD_OPT(c, n, "discretionary", ld_bool(c, v_, &li->discretionary));
}

static void fee_rule(ld_ctx *c, const lic_ynode *n, lic_fee_rule *f)
{
    static const char *const keys[] = {"share", "due", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    f->present = true;
    LD_REQ(c, n, "share", ld_rate_v(c, v_, &f->share));
    LD_OPT(c, n, "due", ld_duration_v(c, v_, &f->due));
}

void ld_payments(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"upfront", "annual_fee", "royalties", "milestone_cap",
                                       "sublicense_income", "late_interest", "fees", "fx", NULL};
    lic_payments *p = &c->a->payments;
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    LD_OPT(c, n, "upfront", (upfront(c, v_, p), 0));
    LD_OPT(c, n, "annual_fee", (annual_fee(c, v_, p), 0));
    LD_OPT(c, n, "royalties", (royalties(c, v_, &p->royalties), 0));
    LD_OPT(c, n, "milestone_cap", ld_amount_v(c, v_, c->digits, &p->milestone_cap));
    LD_OPT(c, n, "sublicense_income", (sublicense_income(c, v_, p), 0));
    LD_OPT(c, n, "late_interest", (late_interest(c, v_, p), 0));
    lic_ynode *f = lic__ymap_get(n, "fees");
    if (f) {
        size_t o = ld_push_key(c, "fees");
        static const char *const fk[] = {"liquidity_event", "assignment", NULL};
        if (ld_is_map(c, f)) {
            ld_check_keys(c, f, fk);
            LD_OPT(c, f, "liquidity_event", (fee_rule(c, v_, &p->liquidity_event), 0));
            LD_OPT(c, f, "assignment", (fee_rule(c, v_, &p->assignment), 0));
        }
        ld_pop(c, o);
    }
    lic_ynode *fx = lic__ymap_get(n, "fx");
    if (fx) {
        size_t o = ld_push_key(c, "fx");
        static const char *const xk[] = {"method", NULL};
        static const char *const methods[] = {"period_average", "period_end", NULL};
        if (ld_is_map(c, fx)) {
            ld_check_keys(c, fx, xk);
            int m = 0;
            LD_OPT(c, fx, "method", ld_enum(c, v_, methods, &m));
            p->fx.present = true;
            p->fx.period_end = m == 1;
        }
        ld_pop(c, o);
    }
}
