/*
 * termsheet_deal.c - the term sheet's first half: the deal itself
 * (title and basics, parties, technology, term, grants) and the
 * milestones with their deadlines worked out (FORMAT 2, 2.2).
 */
#include "termsheet_int.h"

#include <string.h>

void lic__ts_header(lic__ts *d)
{
    const lic_agreement *a = d->a;
    const char *title = a->title ? a->title : a->id ? a->id : "Agreement";
    lic__ts_heading(d, 1, lic__ts_fmt(d, "Term sheet: %s", title));
    lic__ts_list(d);
    if (a->id)
        lic__ts_item(d, "Agreement", a->id);
    if (a->effective.st != LIC_V_ABSENT)
        lic__ts_item(d, "Effective date", lic__ts_date_v(d, &a->effective));
    if (a->currency)
        lic__ts_item(d, "Currency",
                     a->currency->name
                         ? lic__ts_fmt(d, "%s (%s)", a->currency->code, a->currency->name)
                         : a->currency->code);
    lic__ts_item(d, "Rounding",
                 a->rounding == LIC_ROUND_HALF_UP ? "half up" : "half to even");
    lic__ts_item(d, "Business-day calendar",
                 a->calendar_name ? a->calendar_name : "WEEKENDS");
    size_t nregions = a->regions ? lic_regions_count(a->regions) : 0;
    for (size_t i = 0; i < nregions; i++) {
        char set[1024];
        lic_tset_format(lic_regions_set(a->regions, i), set, sizeof set);
        lic__ts_item(d, lic__ts_fmt(d, "Territory %s", lic_regions_name(a->regions, i)),
                     lic__ts_fmt(d, "%s", set));
    }
}

static const char *party_text(lic__ts *d, const lic_party *p)
{
    if (p->name && p->id)
        return lic__ts_fmt(d, "%s (%s)", p->name, p->id);
    return p->name ? p->name : p->id;
}

void lic__ts_parties(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (!a->licensor.id && !a->licensor.name && !a->licensee.id && !a->licensee.name)
        return;
    lic__ts_heading(d, 2, "Parties");
    if (a->licensor.id || a->licensor.name)
        lic__ts_item(d, "Licensor", party_text(d, &a->licensor));
    if (a->licensee.id || a->licensee.name)
        lic__ts_item(d, "Licensee", party_text(d, &a->licensee));
}

static void patents_table(lic__ts *d)
{
    const lic_agreement *a = d->a;
    static const char *const head[] = {"Patent", "Countries", "Expires"};
    lic__ts_table(d, 3, head);
    for (size_t i = 0; i < a->technology.npatents; i++) {
        const lic_patent *p = &a->technology.patents[i];
        const char *countries;
        if (p->country_names.n > 0) {
            countries = lic__ts_join(d, &p->country_names, ", ");
        } else {
            char set[1024];
            lic_tset_format(&p->countries, set, sizeof set);
            countries = lic__ts_fmt(d, "%s", set);
        }
        const char *row[] = {p->id, countries, lic__ts_date_v(d, &p->expires)};
        lic__ts_row(d, row);
    }
}

void lic__ts_technology(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (!a->technology.description && a->technology.npatents == 0 &&
        a->technology.nexclusivities == 0 && a->technology.know_how.n == 0)
        return;
    lic__ts_heading(d, 2, "Technology");
    if (a->technology.description)
        lic__ts_para(d, a->technology.description);
    if (a->technology.npatents > 0)
        patents_table(d);
    lic__ts_list(d);
    for (size_t i = 0; i < a->technology.nexclusivities; i++) {
        const lic_reg_exclusivity *x = &a->technology.exclusivities[i];
        const char *cc = lic_country_code(x->country);
        lic__ts_item(d, "Regulatory exclusivity",
                     lic__ts_fmt(d, "%s until %s", cc ? cc : "?",
                                 lic__ts_date_v(d, &x->expires)));
    }
    if (a->technology.know_how.n > 0)
        lic__ts_item(d, "Know-how", lic__ts_join(d, &a->technology.know_how, "; "));
}

void lic__ts_term(lic__ts *d)
{
    const lic_agreement *a = d->a;
    const char *start = a->effective.st == LIC_V_KNOWN
        ? lic__ts_fmt(d, "the effective date (%s)", lic__ts_date(d, a->effective.v))
        : "the effective date";
    const char *end;
    /* The loader resolves last_patent_expiry into term.ends when it can. */
    if (a->term.last_patent_expiry)
        end = a->term.ends.st == LIC_V_KNOWN
            ? lic__ts_fmt(d, "when the last licensed patent expires (%s)", lic__ts_date(d, a->term.ends.v))
            : "when the last licensed patent expires";
    else if (a->term.ends.st == LIC_V_KNOWN)
        end = lic__ts_fmt(d, "on %s", lic__ts_date(d, a->term.ends.v));
    else if (a->term.ends.st != LIC_V_ABSENT)
        end = lic__ts_fmt(d, "on a date that is %s", lic__ts_state(a->term.ends.st));
    else
        return;
    lic__ts_heading(d, 2, "Term");
    lic__ts_para(d, lic__ts_fmt(d, "The agreement runs from %s and ends %s.", start, end));
}

/* ------------------------------------------------------------------ */
/* Grants                                                              */
/* ------------------------------------------------------------------ */

/* FORMAT 2: `from` defaults to the effective date, `until` to the end of
 * the term; say which default applied so the reader can check it. */
static const char *grant_from(lic__ts *d, const lic_grant *g)
{
    if (g->from.st != LIC_V_ABSENT)
        return lic__ts_date_v(d, &g->from);
    lic_date day = lic_grant_first_day(d->a, g);
    if (day == LIC_DATE_NONE)
        return "the effective date";
    return lic__ts_fmt(d, "%s (effective date)", lic__ts_date(d, day));
}

static const char *grant_until(lic__ts *d, const lic_grant *g)
{
    if (g->until.st != LIC_V_ABSENT)
        return lic__ts_date_v(d, &g->until);
    lic_date day = lic_grant_last_day(d->a, g);
    if (day == LIC_DATE_NONE)
        return "the end of the term";
    return lic__ts_fmt(d, "%s (end of term)", lic__ts_date(d, day));
}

void lic__ts_grants(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (a->ngrants == 0)
        return;
    static const char *const head[] = {"Grant", "Fields", "Territories", "Exclusivity",
                                       "Sublicensable", "From", "Until"};
    lic__ts_heading(d, 2, "Grants");
    lic__ts_table(d, 7, head);
    for (size_t i = 0; i < a->ngrants; i++) {
        const lic_grant *g = &a->grants[i];
        const char *row[] = {
            g->id,
            lic__ts_fields(d, &g->scope),
            lic__ts_territories(d, &g->scope),
            lic__ts_word(d, lic_exclusivity_name(g->exclusivity)),
            g->sublicensable ? "yes" : "no",
            grant_from(d, g),
            grant_until(d, g),
        };
        lic__ts_row(d, row);
    }
}

/* ------------------------------------------------------------------ */
/* Milestones (FORMAT 2.2)                                             */
/* ------------------------------------------------------------------ */

static const char *deadline_text(lic__ts *d, const lic_dexpr *due)
{
    if (due->st == LIC_V_REDACTED || due->st == LIC_V_UNKNOWN)
        return lic__ts_fmt(d, "due date %s", lic__ts_state(due->st));
    return lic__ts_fmt(d, "due %s", lic__ts_dexpr_when(d, due));
}

/* "when annual net sales exceed USD 50,000,000.00". */
static const char *condition_text(lic__ts *d, const lic_milestone *m)
{
    const char *verb = m->when.reaches ? "reach" : "exceed";
    switch (m->when.cond) {
    case LIC_COND_NONE:
        return NULL;
    case LIC_COND_NET_SALES_IN_YEAR:
        return lic__ts_fmt(d, "when annual net sales %s %s", verb,
                           lic__ts_money_v(d, &m->when.threshold));
    case LIC_COND_CUMULATIVE_NET_SALES:
        return lic__ts_fmt(d, "when cumulative net sales %s %s", verb,
                           lic__ts_money_v(d, &m->when.threshold));
    case LIC_COND_CUMULATIVE_UNITS:
        return lic__ts_fmt(d, "when cumulative units sold %s %s", verb,
                           lic__ts_count_v(d, &m->when.threshold));
    case LIC_COND_FIRST_SALE_IN:
        return lic__ts_fmt(d, "on the first commercial sale in %s",
                           lic__ts_territories(d, &m->when.where));
    }
    return NULL;
}

static const char *payment_text(lic__ts *d, const lic_milestone *m)
{
    const char *amount = m->payment.amount.st == LIC_V_KNOWN
        ? lic__ts_money(d, m->payment.amount.v)
        : lic__ts_fmt(d, "amount %s", lic__ts_state(m->payment.amount.st));
    if (m->payment.due.st == LIC_V_ABSENT)
        return amount;
    /* FORMAT 2.2: a sales milestone's payment runs from the end of the
     * period in which it is reached, any other from achievement. */
    const char *from = m->kind == LIC_MS_SALES
        ? "the end of the period in which it is reached" : "achievement";
    if (m->payment.due.st != LIC_V_KNOWN)
        return lic__ts_fmt(d, "%s, due date %s", amount,
                           lic__ts_state(m->payment.due.st));
    return lic__ts_fmt(d, "%s, due %s after %s", amount,
                       lic__ts_dur(d, &m->payment.due.v), from);
}

static const char *extensions_text(lic__ts *d, const lic_milestone *m)
{
    const char *each = lic__ts_dur_v(d, &m->extensions.each);
    const char *fee = m->extensions.fee.st == LIC_V_ABSENT
        ? "no fee"
        : lic__ts_fmt(d, "a fee of %s each", lic__ts_money_v(d, &m->extensions.fee));
    return lic__ts_fmt(d, "up to %d of %s each, for %s", m->extensions.max, each, fee);
}

static void milestone(lic__ts *d, const lic_milestone *m)
{
    lic__ts_heading(d, 3, m->title ? lic__ts_fmt(d, "%s — %s", m->id, m->title) : m->id);
    lic__ts_list(d);
    lic__ts_item(d, "Kind", lic_ms_kind_name(m->kind));
    lic__ts_item(d, "Owner", lic__ts_party(m->owner));
    const char *cond = condition_text(d, m);
    if (cond)
        lic__ts_item(d, "Condition",
                     lic__ts_fmt(d, "%s%s", cond,
                                 m->repeat_every_year ? ", every year it happens" : ""));
    lic__ts_item(d, "Deadline", m->due.st == LIC_V_ABSENT ? "no deadline"
                                                          : deadline_text(d, &m->due));
    if (m->deliverables.n > 0)
        lic__ts_item(d, "Deliverables", lic__ts_join(d, &m->deliverables, "; "));
    if (m->acceptance)
        lic__ts_item(d, "Acceptance", m->acceptance);
    if (m->verification != LIC_VERIFY_NONE)
        lic__ts_item(d, "Verification",
                     lic__ts_word(d, lic_verification_name(m->verification)));
    if (m->payment.present)
        lic__ts_item(d, "Payment", payment_text(d, m));
    if (m->extensions.present)
        lic__ts_item(d, "Extensions", extensions_text(d, m));
    if (m->catch_up.n > 0)
        lic__ts_item(d, "Catch-up",
                     lic__ts_fmt(d, "achieving it makes %s payable too, if never paid",
                                 lic__ts_join(d, &m->catch_up, ", ")));
    const char *cls = m->breach_class ? m->breach_class : "diligence";
    if (m->has_on_miss)
        lic__ts_item(d, "If missed",
                     lic__ts_fmt(d, "%s (instead of the %s remedies)",
                                 lic__ts_remedy(d, &m->on_miss), cls));
    else if (m->due.st != LIC_V_ABSENT)
        lic__ts_item(d, "If missed", lic__ts_fmt(d, "a %s breach", cls));
}

void lic__ts_milestones(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (a->nmilestones == 0)
        return;
    lic__ts_heading(d, 2, "Milestones");
    for (size_t i = 0; i < a->nmilestones; i++)
        milestone(d, &a->milestones[i]);
}
