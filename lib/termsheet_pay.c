/*
 * termsheet_pay.c - the term sheet's Payments section (FORMAT 2.3):
 * upfront, annual fee, royalties (tiers as tables, royalty term,
 * stacking, adjustments, minimum annual), the milestone cap, sublicense
 * income, late interest, event fees and currency conversion.
 */
#include "termsheet_int.h"

#include <string.h>

static const char *after_text(lic__ts *d, const lic_duration_v *v, const char *what)
{
    if (v->st == LIC_V_ABSENT)
        return NULL;
    if (v->st != LIC_V_KNOWN)
        return lic__ts_fmt(d, "%s after %s", lic__ts_state(v->st), what);
    return lic__ts_fmt(d, "%s after %s", lic__ts_dur(d, &v->v), what);
}

/* ------------------------------------------------------------------ */
/* Upfront and annual fee                                              */
/* ------------------------------------------------------------------ */

static void upfront(lic__ts *d)
{
    const lic_payments *p = &d->a->payments;
    if (!p->upfront.present)
        return;
    const char *amount = lic__ts_money_v(d, &p->upfront.amount);
    if (p->upfront.due.st == LIC_V_ABSENT)
        lic__ts_item(d, "Upfront", amount);
    else
        lic__ts_item(d, "Upfront", lic__ts_fmt(d, "%s, due %s", amount,
                                               lic__ts_dexpr_when(d, &p->upfront.due)));
}

static void annual_fee(lic__ts *d)
{
    const lic_payments *p = &d->a->payments;
    if (!p->annual_fee.present)
        return;
    lic__ts_heading(d, 3, "Annual fee");
    if (p->annual_fee.nschedule > 0) {
        static const char *const head[] = {"Agreement year", "Fee"};
        lic__ts_table(d, 2, head);
        for (size_t i = 0; i < p->annual_fee.nschedule; i++) {
            const struct lic_fee_step *s = &p->annual_fee.schedule[i];
            const char *row[] = {
                s->from_year > 0 ? lic__ts_fmt(d, "%d onwards", s->from_year)
                                 : lic__ts_fmt(d, "%d", s->year),
                lic__ts_money_v(d, &s->amount)};
            lic__ts_row(d, row);
        }
        lic__ts_list(d);
    } else {
        lic__ts_item(d, "Amount", lic__ts_fmt(d, "%s a year",
                                              lic__ts_money_v(d, &p->annual_fee.amount)));
    }
    if (p->annual_fee.first_due.st != LIC_V_ABSENT)
        lic__ts_item(d, "First due",
                     lic__ts_fmt(d, "%s; then on each anniversary",
                                 lic__ts_dexpr_when(d, &p->annual_fee.first_due)));
    const char *until = "the end of the term";
    if (p->annual_fee.until == LIC_UNTIL_FCS)
        until = "the first commercial sale";
    else if (p->annual_fee.until == LIC_UNTIL_DATE)
        until = lic__ts_date_v(d, &p->annual_fee.until_date);
    lic__ts_item(d, "Payable until", until);
    lic__ts_item(d, "Creditable", p->annual_fee.creditable
                     ? "yes: the fee paid for a year reduces that year's royalty invoices"
                     : "no");
}

/* ------------------------------------------------------------------ */
/* Royalties                                                           */
/* ------------------------------------------------------------------ */

static const char *band_limit(lic__ts *d, const lic_amount_v *v)
{
    if (d->a->payments.royalties.base_units)
        return lic__ts_fmt(d, "%s units", lic__ts_count_v(d, v));
    return lic__ts_money_v(d, v);
}

/* FORMAT 2.3 `upper`: inclusive puts a sum equal to a limit in the lower
 * band, exclusive in the upper one; the words say which. */
static const char *band_range(lic__ts *d, const lic_schedule *s, size_t i)
{
    const lic_band *b = &s->bands[i];
    bool top = b->up_to.st == LIC_V_ABSENT;
    const char *lo = i > 0 ? band_limit(d, &s->bands[i - 1].up_to) : NULL;
    const char *hi = top ? NULL : band_limit(d, &b->up_to);
    if (!lo && !hi)
        return "all sales";
    if (s->upper_exclusive) {
        if (!lo)
            return lic__ts_fmt(d, "below %s", hi);
        if (!hi)
            return lic__ts_fmt(d, "%s and above", lo);
        return lic__ts_fmt(d, "%s to below %s", lo, hi);
    }
    if (!lo)
        return lic__ts_fmt(d, "up to %s", hi);
    if (!hi)
        return lic__ts_fmt(d, "over %s", lo);
    return lic__ts_fmt(d, "over %s up to %s", lo, hi);
}

static const char *band_rate(lic__ts *d, const lic_band *b)
{
    if (b->rate.st != LIC_V_ABSENT)
        return lic__ts_rate_v(d, &b->rate);
    if (b->amount.st != LIC_V_ABSENT)
        return lic__ts_fmt(d, "%s a year (fixed)", lic__ts_money_v(d, &b->amount));
    if (b->per_unit.st != LIC_V_ABSENT)
        return lic__ts_fmt(d, "%s per unit", lic__ts_money_v(d, &b->per_unit));
    return "not stated";
}

static void schedule(lic__ts *d, const lic_schedule *s)
{
    lic__ts_heading(d, 4, lic__ts_fmt(d, "Royalty schedule: %s", s->name ? s->name : "(unnamed)"));
    lic__ts_list(d);
    const char *products = s->products.n > 0
        ? lic__ts_fmt(d, "; products %s", lic__ts_join(d, &s->products, ", ")) : "";
    lic__ts_item(d, "Applies to", lic__ts_fmt(d, "%s in %s%s", lic__ts_fields(d, &s->scope),
                                              lic__ts_territories(d, &s->scope), products));
    const char *method = s->method == LIC_TIERS_WHOLE
        ? "whole (the band reached sets the rate for all sales)"
        : "marginal (each rate applies to the part of sales within its band)";
    const char *over = s->over_lifetime ? "lifetime sales" : "sales in each royalty year";
    lic__ts_item(d, "Tiers", lic__ts_fmt(d, "%s, counted on %s", method, over));
    static const char *const head[] = {"Band", "Rate"};
    lic__ts_table(d, 2, head);
    for (size_t i = 0; i < s->nbands; i++) {
        const char *row[] = {band_range(d, s, i), band_rate(d, &s->bands[i])};
        lic__ts_row(d, row);
    }
}

/* "the last valid claim, regulatory exclusivity and 10 years after ...". */
static const char *term_items(lic__ts *d, unsigned bits, int years, const char *last_sep)
{
    const char *parts[3];
    size_t n = 0;
    if (bits & LIC_TERM_LAST_VALID_CLAIM)
        parts[n++] = "the expiry of the last valid claim";
    if (bits & LIC_TERM_REG_EXCLUSIVITY)
        parts[n++] = "the end of regulatory exclusivity";
    if (bits & LIC_TERM_YEARS_AFTER_FS)
        parts[n++] = lic__ts_fmt(d, "%d years after the first sale there", years);
    lic__tsbuf b;
    lic__tsbuf_init(&b, LIC_TERMSHEET_MAX_BYTES);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            lic__tsbuf_add(&b, i + 1 == n ? last_sep : ", ");
        lic__tsbuf_add(&b, parts[i]);
    }
    return lic__ts_take(d, &b);
}

static void royalty_term(lic__ts *d, const lic_royalties *r)
{
    if (!r->term.present)
        return;
    if (r->term.ends_date.st != LIC_V_ABSENT)
        lic__ts_item(d, "Royalty term",
                     lic__ts_fmt(d, "until %s", lic__ts_date_v(d, &r->term.ends_date)));
    else if (r->term.ends)
        lic__ts_item(d, "Royalty term",
                     lic__ts_fmt(d, "in each country, until the latest of %s",
                                 term_items(d, r->term.ends, r->term.years_after_first_sale,
                                            " and ")));
    if (r->term.step_down.present)
        lic__ts_item(d, "Step-down",
                     lic__ts_fmt(d, "the rate is multiplied by %s once %s %s passed",
                                 lic__ts_rate_v(d, &r->term.step_down.rate_factor),
                                 term_items(d, r->term.step_down.after,
                                            r->term.years_after_first_sale, " and "),
                                 r->term.step_down.after & (r->term.step_down.after - 1)
                                     ? "have" : "has"));
    lic__ts_item(d, "After the royalty term",
                 r->term.after_term_ends
                     ? "the licence ends in that country"
                     : "the licence is fully paid: it continues non-exclusive and royalty-free");
}

static void stacking(lic__ts *d, const lic_royalties *r)
{
    if (!r->stacking.present)
        return;
    const char *floor = "";
    if (r->stacking.floor.st != LIC_V_ABSENT)
        floor = r->stacking.floor_is_rate
            ? lic__ts_fmt(d, ", but never below a royalty of %s of net sales",
                          lic__ts_rate_v(d, &r->stacking.floor))
            : lic__ts_fmt(d, ", but never below %s of the royalty otherwise due",
                          lic__ts_rate_v(d, &r->stacking.floor));
    lic__ts_item(d, "Royalty stacking",
                 lic__ts_fmt(d, "%s of third-party royalties may be deducted%s; unused "
                                "offsets are %scarried forward",
                             lic__ts_rate_v(d, &r->stacking.offset), floor,
                             r->stacking.carry_forward ? "" : "not "));
}

static const char *minimum_start(lic__ts *d, const lic_royalties *r)
{
    if (r->minimum_annual.from_first_sale_year > 0)
        return lic__ts_fmt(d, " from the royalty year %d year%s after the year of the first sale",
                           r->minimum_annual.from_first_sale_year,
                           r->minimum_annual.from_first_sale_year == 1 ? "" : "s");
    if (r->minimum_annual.from_year > 0)
        return lic__ts_fmt(d, " from royalty year %d", r->minimum_annual.from_year);
    return "";
}

static void minimum_annual(lic__ts *d, const lic_royalties *r)
{
    if (!r->minimum_annual.present)
        return;
    bool advance = r->minimum_annual.advance;
    const char *when = advance ? "the year begins" : "the year ends";
    const char *due = "";
    if (r->minimum_annual.due_on_month > 0)
        due = lic__ts_fmt(d, ", due on %s", lic__ts_month_day(d, r->minimum_annual.due_on_month,
                                                     r->minimum_annual.due_on_day));
    else if (r->minimum_annual.due.st != LIC_V_ABSENT)
        due = lic__ts_fmt(d, ", due %s", after_text(d, &r->minimum_annual.due, when));
    const char *how = advance
        ? "invoiced in advance when the year begins and credited against that year's royalties"
        : "any shortfall is invoiced after the year ends";
    const char *credit = r->minimum_annual.credit_paid ? "paid" : "earned";
    const char *prorate = r->minimum_annual.prorate == LIC_PRORATE_DAYS ? "prorated by days"
        : r->minimum_annual.prorate == LIC_PRORATE_MONTHS ? "prorated by months"
        : "not prorated";
    lic__ts_item(d, "Minimum annual royalty",
                 lic__ts_fmt(d, "%s a year%s; %s%s; royalties %s in the year count "
                                "toward it; a partial first year is %s",
                             lic__ts_money_v(d, &r->minimum_annual.amount),
                             minimum_start(d, r), how, due, credit, prorate));
}

static void royalties(lic__ts *d)
{
    const lic_royalties *r = &d->a->payments.royalties;
    if (!r->present)
        return;
    lic__ts_heading(d, 3, "Royalties");
    lic__ts_list(d);
    lic__ts_item(d, "Royalty year", r->agreement_year
                     ? "agreement year (year 1 starts on the effective date)"
                     : "calendar year");
    lic__ts_item(d, "Base", r->base_units ? "units sold" : "net sales");
    if (r->deductions_cap.st != LIC_V_ABSENT)
        lic__ts_item(d, "Deductions", lic__ts_fmt(d, "capped at %s of gross sales",
                                                  lic__ts_rate_v(d, &r->deductions_cap)));
    royalty_term(d, r);
    stacking(d, r);
    for (size_t i = 0; i < r->nadjustments; i++)
        lic__ts_item(d, "Rate adjustment",
                     lic__ts_fmt(d, "plus %s once %s is achieved",
                                 lic__ts_rate_v(d, &r->adjustments[i].add),
                                 r->adjustments[i].after ? r->adjustments[i].after : "?"));
    minimum_annual(d, r);
    for (size_t i = 0; i < r->nschedules; i++)
        schedule(d, &r->schedules[i]);
}

/* ------------------------------------------------------------------ */
/* Sublicense income, interest, fees                                   */
/* ------------------------------------------------------------------ */

static const char *income_kinds(lic__ts *d, unsigned kinds)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        {LIC_SUBINC_UPFRONT, "upfront payments"},
        {LIC_SUBINC_MILESTONE, "milestone payments"},
        {LIC_SUBINC_ROYALTY, "royalties"},
        {LIC_SUBINC_EQUITY, "equity (at its cash value)"},
        {LIC_SUBINC_OTHER, "other receipts"},
    };
    lic__tsbuf b;
    lic__tsbuf_init(&b, LIC_TERMSHEET_MAX_BYTES);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(kinds & names[i].bit))
            continue;
        if (b.len > 0)
            lic__tsbuf_add(&b, ", ");
        lic__tsbuf_add(&b, names[i].name);
    }
    return lic__ts_take(d, &b);
}

static void sublicense_income(lic__ts *d)
{
    const lic_payments *p = &d->a->payments;
    if (!p->sublicense_income.present)
        return;
    lic__ts_heading(d, 3, "Sublicense income");
    lic__ts_list(d);
    if (p->sublicense_income.kinds)
        lic__ts_item(d, "Shared receipts", income_kinds(d, p->sublicense_income.kinds));
    const char *due = after_text(d, &p->sublicense_income.due, "receipt");
    if (due)
        lic__ts_item(d, "Due", due);
    if (p->sublicense_income.nshares == 0)
        return;
    static const char *const head[] = {"Sublicense signed", "Licensor's share"};
    lic__ts_table(d, 2, head);
    for (size_t i = 0; i < p->sublicense_income.nshares; i++) {
        const struct lic_share_step *s = &p->sublicense_income.shares[i];
        const char *when = s->before ? lic__ts_fmt(d, "before %s is achieved", s->before)
                           : i > 0   ? "later"
                                     : "at any time";
        const char *row[] = {when, lic__ts_rate_v(d, &s->share)};
        lic__ts_row(d, row);
    }
}

static const char *interest_rate(lic__ts *d)
{
    const lic_payments *p = &d->a->payments;
    static const char *const bases[] = {"actual/365", "actual/360", "actual/actual"};
    unsigned bi = (unsigned)p->late_interest.basis;
    const char *basis = bi < 3 ? bases[bi] : "?";
    switch (p->late_interest.kind) {
    case LIC_INTEREST_ANNUAL:
        return lic__ts_fmt(d, "%s a year (%s)", lic__ts_rate_v(d, &p->late_interest.annual_rate),
                           basis);
    case LIC_INTEREST_REFERENCE:
        return lic__ts_fmt(d, "%s plus %s a year (%s)",
                           p->late_interest.reference ? p->late_interest.reference
                                                      : "the reference rate",
                           lic__ts_rate_v(d, &p->late_interest.margin), basis);
    case LIC_INTEREST_PENALTY:
        return lic__ts_fmt(d, "a penalty of %s a month",
                           lic__ts_rate_v(d, &p->late_interest.monthly_rate));
    }
    return "";
}

static void late_interest(lic__ts *d)
{
    const lic_payments *p = &d->a->payments;
    if (!p->late_interest.present)
        return;
    lic__ts_heading(d, 3, "Late payment");
    lic__ts_list(d);
    lic__ts_item(d, "Interest", interest_rate(d));
    const lic_duration_v *starts = &p->late_interest.starts;
    if (starts->st == LIC_V_ABSENT || (starts->st == LIC_V_KNOWN && lic_duration_is_zero(&starts->v)))
        lic__ts_item(d, "Accrues", "from the due date until the day before payment");
    else
        lic__ts_item(d, "Accrues", lic__ts_fmt(d, "from %s until the day before payment",
                                               after_text(d, starts, "the due date")));
    if (p->late_interest.kind == LIC_INTEREST_PENALTY) {
        if (p->late_interest.only_if_late_over.st != LIC_V_ABSENT)
            lic__ts_item(d, "Applies", lic__ts_fmt(d, "only if more than %s late",
                                                   lic__ts_dur_v(d, &p->late_interest.only_if_late_over)));
        if (p->late_interest.retroactive)
            lic__ts_item(d, "Retroactive", "yes: counted from the due date");
        if (p->late_interest.discretionary)
            lic__ts_item(d, "Discretionary", "yes: charged at the licensor's discretion");
        return;
    }
    static const char *const comp[] = {"none (simple interest)",
                                       "yearly (added to the principal each 31 December)",
                                       "monthly (added to the principal at each month end)"};
    unsigned ci = (unsigned)p->late_interest.compounding;
    lic__ts_item(d, "Compounding", ci < 3 ? comp[ci] : "?");
}

static void fee_rule(lic__ts *d, const char *label, const lic_fee_rule *f, const char *event)
{
    if (!f->present)
        return;
    const char *due = after_text(d, &f->due, event);
    lic__ts_item(d, label, lic__ts_fmt(d, "%s of the consideration%s%s",
                                       lic__ts_rate_v(d, &f->share), due ? ", due " : "",
                                       due ? due : ""));
}

void lic__ts_payments(lic__ts *d)
{
    const lic_payments *p = &d->a->payments;
    bool any = p->upfront.present || p->annual_fee.present || p->royalties.present ||
               p->milestone_cap.st != LIC_V_ABSENT || p->sublicense_income.present ||
               p->late_interest.present || p->liquidity_event.present ||
               p->assignment.present || p->fx.present;
    if (!any)
        return;
    lic__ts_heading(d, 2, "Payments");
    lic__ts_list(d);
    upfront(d);
    if (p->milestone_cap.st != LIC_V_ABSENT)
        lic__ts_item(d, "Milestone cap",
                     lic__ts_fmt(d, "milestone payments total at most %s",
                                 lic__ts_money_v(d, &p->milestone_cap)));
    fee_rule(d, "Liquidity event fee", &p->liquidity_event, "the event");
    fee_rule(d, "Assignment fee", &p->assignment, "the assignment");
    if (p->fx.present)
        lic__ts_item(d, "Currency conversion",
                     p->fx.period_end
                         ? "sales in other currencies are converted at the rate at the end of each period"
                         : "sales in other currencies are converted at each period's average rate");
    annual_fee(d);
    royalties(d);
    sublicense_income(d);
    late_interest(d);
}
