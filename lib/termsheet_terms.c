/*
 * termsheet_terms.c - the term sheet's second half: reporting, licensor
 * obligations, governance, audit (FORMAT 2.4), breach and remedies
 * (2.5), exclusivity, options and renegotiation (2.6), improvements,
 * change of control, termination and disputes (2.7), and the closing
 * list of missing terms.
 */
#include "termsheet_int.h"

#include <string.h>

static const char *period_word(lic_period_kind k)
{
    return lic_period_kind_name(k);
}

/* ------------------------------------------------------------------ */
/* Reporting and obligations (FORMAT 2.4)                              */
/* ------------------------------------------------------------------ */

static const char *report_due(lic__ts *d, const lic_report_rule *r)
{
    if (r->ndue_on > 0) {
        lic__tsbuf b;
        lic__tsbuf_init(&b, LIC_TERMSHEET_MAX_BYTES);
        lic__tsbuf_add(&b, "due on the first of ");
        for (size_t i = 0; i < r->ndue_on; i++) {
            if (i > 0)
                lic__tsbuf_add(&b, i + 1 == r->ndue_on ? " or " : ", ");
            lic__tsbuf_add(&b, lic__ts_month_day(d, r->due_on[i].month, r->due_on[i].day));
        }
        lic__tsbuf_add(&b, " after the period ends");
        return lic__ts_take(d, &b);
    }
    if (r->due.st == LIC_V_ABSENT)
        return NULL;
    return lic__ts_fmt(d, "due %s after the %s ends", lic__ts_dur_v(d, &r->due),
                       period_word(r->every));
}

static void report_rule(lic__ts *d, const char *label, const lic_report_rule *r, bool payment)
{
    if (!r->present)
        return;
    lic__tsbuf b;
    lic__tsbuf_init(&b, LIC_TERMSHEET_MAX_BYTES);
    lic__tsbuf_addf(&b, "every %s", period_word(r->every));
    const char *due = report_due(d, r);
    if (due)
        lic__tsbuf_addf(&b, ", %s", due);
    if (r->from.st != LIC_V_ABSENT)
        lic__tsbuf_addf(&b, ", starting with the period containing %s",
                        lic__ts_dexpr_when(d, &r->from));
    if (r->payment_after_report)
        lic__tsbuf_addf(&b, "; payment due %s after the report is delivered",
                        lic__ts_dur_v(d, &r->payment_due));
    else if (payment)
        lic__tsbuf_add(&b, "; payment due with the report");
    lic__ts_item(d, label, lic__ts_take(d, &b));
}

void lic__ts_reporting(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (!a->reporting.royalty_report.present && !a->reporting.progress_report.present)
        return;
    lic__ts_heading(d, 2, "Reporting");
    lic__ts_list(d);
    report_rule(d, "Royalty reports", &a->reporting.royalty_report, true);
    report_rule(d, "Progress reports", &a->reporting.progress_report, false);
    lic__ts_item(d, "Note", "a report is required for every period, even one without sales");
}

void lic__ts_licensor_obligations(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (a->nlicensor_obligations == 0)
        return;
    lic__ts_heading(d, 2, "Licensor obligations");
    lic__ts_list(d);
    for (size_t i = 0; i < a->nlicensor_obligations; i++) {
        const lic_licensor_obligation *o = &a->licensor_obligations[i];
        const char *label = o->title ? lic__ts_fmt(d, "%s — %s", o->id, o->title) : o->id;
        const char *due = o->due.st == LIC_V_ABSENT ? "no deadline"
            : o->due.st == LIC_V_KNOWN ? lic__ts_fmt(d, "due %s", lic__ts_dexpr_when(d, &o->due))
                                       : lic__ts_fmt(d, "due date %s", lic__ts_state(o->due.st));
        lic__ts_item(d, label, o->extend_milestones
                                   ? lic__ts_fmt(d, "%s; if late, the licensee's later "
                                                    "deadlines move day for day", due)
                                   : due);
    }
}

void lic__ts_governance(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (!a->committee.present)
        return;
    lic__ts_heading(d, 2, "Governance");
    const char *from = a->committee.from.st == LIC_V_ABSENT
        ? "" : lic__ts_fmt(d, ", from %s", lic__ts_dexpr_when(d, &a->committee.from));
    lic__ts_para(d, lic__ts_fmt(d, "A joint committee meets every %s%s. A missed meeting "
                                   "is a governance breach.",
                                lic__ts_dur_v(d, &a->committee.every), from));
}

void lic__ts_audit(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (!a->audit.present)
        return;
    lic__ts_heading(d, 2, "Audit");
    lic__ts_list(d);
    if (a->audit.lookback_years > 0)
        lic__ts_item(d, "Look-back", lic__ts_fmt(d, "%d years", a->audit.lookback_years));
    if (a->audit.notice.st != LIC_V_ABSENT)
        lic__ts_item(d, "Notice", lic__ts_dur_v(d, &a->audit.notice));
    if (a->audit.cost_shift.present) {
        static const char *const windows[] = {"the audited period", "the year",
                                              "any 12 months"};
        unsigned w = (unsigned)a->audit.cost_shift.window;
        lic__ts_item(d, "Audit costs",
                     lic__ts_fmt(d, "borne by the licensee if the underpayment is %s %s of "
                                    "the royalties %s for %s",
                                 a->audit.cost_shift.inclusive ? "at least" : "more than",
                                 lic__ts_rate_v(d, &a->audit.cost_shift.threshold),
                                 a->audit.cost_shift.base_paid ? "paid" : "due",
                                 w < 3 ? windows[w] : "the period"));
    }
}

/* ------------------------------------------------------------------ */
/* Breach and remedies (FORMAT 2.5)                                    */
/* ------------------------------------------------------------------ */

static void breach_classes(lic__ts *d)
{
    const lic_agreement *a = d->a;
    static const char *const head[] = {"Class", "Cure period", "Notice required",
                                       "Extendable to"};
    lic__ts_table(d, 4, head);
    for (size_t i = 0; i < a->breach.nclasses; i++) {
        const lic_breach_class *c = &a->breach.classes[i];
        const char *row[] = {
            c->name,
            c->cure.st == LIC_V_ABSENT ? "none" : lic__ts_dur_v(d, &c->cure),
            c->notice_required ? "yes" : "no",
            c->extendable_to.st == LIC_V_ABSENT ? "—" : lic__ts_dur_v(d, &c->extendable_to),
        };
        lic__ts_row(d, row);
    }
    static const char *const from[] = {"the day the notice is received",
                                       "the day the notice is sent",
                                       "the date written on the notice"};
    unsigned f = (unsigned)a->breach.cure_from;
    lic__ts_para(d, lic__ts_fmt(d, "The cure period runs from %s (or from the day after "
                                   "the default where no notice is required).",
                                f < 3 ? from[f] : from[0]));
}

/* FORMAT 2.5: the k-th uncured breach gives rung k; the last rung repeats. */
static void ladder(lic__ts *d, const lic_ladder *l)
{
    lic__ts_heading(d, 3, lic__ts_fmt(d, "Remedies for %s breaches", l->cls ? l->cls : "?"));
    lic__ts_list(d);
    for (size_t k = 0; k < l->nrungs; k++) {
        bool last = k + 1 == l->nrungs;
        const char *which = last && k > 0
            ? lic__ts_fmt(d, "%s and later uncured breaches", lic__ts_ordinal(d, (long)k + 1))
            : last ? "every uncured breach"
                   : lic__ts_fmt(d, "%s uncured breach", lic__ts_ordinal(d, (long)k + 1));
        lic__ts_item(d, NULL, lic__ts_fmt(d, "%s: %s", which, lic__ts_remedy(d, &l->rungs[k])));
    }
}

void lic__ts_breach(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (a->breach.nclasses == 0 && a->breach.nladders == 0 && a->breach.nrepeated == 0)
        return;
    lic__ts_heading(d, 2, "Breach and remedies");
    if (a->breach.nclasses > 0)
        breach_classes(d);
    for (size_t i = 0; i < a->breach.nladders; i++)
        ladder(d, &a->breach.ladders[i]);
    if (a->breach.nrepeated > 0) {
        lic__ts_heading(d, 3, "Repeated breaches");
        lic__ts_list(d);
        for (size_t i = 0; i < a->breach.nrepeated; i++) {
            const lic_repeated *r = &a->breach.repeated[i];
            lic__ts_item(d, NULL,
                         lic__ts_fmt(d, "%d %s breaches within %s, cured or not: %s", r->count,
                                     r->cls ? r->cls : "?", lic__ts_dur_v(d, &r->within),
                                     lic__ts_remedy(d, &r->remedy)));
        }
    }
    lic__ts_para(d, "Rights from an automatic remedy apply at once; any other applies "
                    "when its holder exercises it.");
}

void lic__ts_force_majeure(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (!a->force_majeure.present)
        return;
    lic__ts_heading(d, 2, "Force majeure");
    const char *cap = a->force_majeure.max.st == LIC_V_ABSENT
        ? "" : lic__ts_fmt(d, ", up to %s", lic__ts_dur_v(d, &a->force_majeure.max));
    lic__ts_para(d, lic__ts_fmt(d, "Deadlines of the affected party that had not passed "
                                   "when the event began move by the days it lasted%s.", cap));
}

/* ------------------------------------------------------------------ */
/* Exclusivity, options, renegotiation (FORMAT 2.6)                    */
/* ------------------------------------------------------------------ */

void lic__ts_exclusivity(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (a->exclusivity.nperformance == 0 && !a->exclusivity.sunset.present)
        return;
    lic__ts_heading(d, 2, "Exclusivity");
    lic__ts_list(d);
    for (size_t i = 0; i < a->exclusivity.nperformance; i++) {
        const lic_perf_rule *p = &a->exclusivity.performance[i];
        const char *from = p->from_year > 0 ? lic__ts_fmt(d, " from %d", p->from_year) : "";
        lic__ts_item(d, "Performance",
                     lic__ts_fmt(d, "%s keeps its exclusivity while net sales reach %s each "
                                    "%s%s; otherwise %s",
                                 lic__ts_grant_part(d, p->grant, &p->part),
                                 lic__ts_money_v(d, &p->min_net_sales),
                                 lic_period_kind_name(p->every), from,
                                 lic__ts_remedy(d, &p->on_miss)));
    }
    if (a->exclusivity.sunset.present)
        lic__ts_item(d, "Sunset",
                     lic__ts_fmt(d, "on %s a renegotiation window opens for the "
                                    "exclusivity of %s",
                                 lic__ts_date_v(d, &a->exclusivity.sunset.on),
                                 a->exclusivity.sunset.grant ? a->exclusivity.sunset.grant
                                                             : "every grant"));
}

static void option(lic__ts *d, const lic_option *o)
{
    lic__ts_heading(d, 3, o->title ? lic__ts_fmt(d, "%s — %s", o->id, o->title) : o->id);
    lic__ts_list(d);
    lic__ts_item(d, "Rights", lic__ts_fmt(d, "%s, %ssublicensable: %s in %s",
                                          lic__ts_word(d, lic_exclusivity_name(o->exclusivity)),
                                          o->sublicensable ? "" : "not ",
                                          lic__ts_fields(d, &o->scope),
                                          lic__ts_territories(d, &o->scope)));
    if (o->window_from.st != LIC_V_ABSENT)
        lic__ts_item(d, "Window opens", lic__ts_dexpr_when(d, &o->window_from));
    if (o->window_until.st != LIC_V_ABSENT)
        lic__ts_item(d, "Window closes", lic__ts_dexpr_when(d, &o->window_until));
    if (o->fee.st != LIC_V_ABSENT)
        lic__ts_item(d, "Exercise fee", lic__ts_money_v(d, &o->fee));
}

void lic__ts_options(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (a->noptions == 0)
        return;
    lic__ts_heading(d, 2, "Options");
    for (size_t i = 0; i < a->noptions; i++)
        option(d, &a->options[i]);
}

void lic__ts_renegotiation(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (a->nrenegotiation == 0)
        return;
    lic__ts_heading(d, 2, "Renegotiation");
    lic__ts_list(d);
    for (size_t i = 0; i < a->nrenegotiation; i++) {
        const lic_renegotiation *r = &a->renegotiation[i];
        const char *when = r->recurring
            ? lic__ts_fmt(d, "every %s from %s", lic__ts_dur_v(d, &r->every),
                          lic__ts_date_v(d, &r->from))
            : lic__ts_fmt(d, "once %s is achieved", r->after ? r->after : "?");
        lic__ts_item(d, NULL, lic__ts_fmt(d, "A window of %s opens %s.",
                                          lic__ts_dur_v(d, &r->length), when));
    }
}

/* ------------------------------------------------------------------ */
/* Improvements, change of control, termination (FORMAT 2.7)           */
/* ------------------------------------------------------------------ */

void lic__ts_improvements(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (!a->improvements.licensee.present && !a->improvements.licensor.present)
        return;
    lic__ts_heading(d, 2, "Improvements");
    lic__ts_list(d);
    if (a->improvements.licensee.present) {
        lic__tsbuf b;
        lic__tsbuf_init(&b, LIC_TERMSHEET_MAX_BYTES);
        lic__tsbuf_addf(&b, "owned by %s", lic__ts_party(a->improvements.licensee.owner));
        if (a->improvements.licensee.disclose.st != LIC_V_ABSENT)
            lic__tsbuf_addf(&b, "; disclosed to the licensor within %s",
                            lic__ts_dur_v(d, &a->improvements.licensee.disclose));
        if (a->improvements.licensee.grant_back)
            lic__tsbuf_addf(&b, "; grant-back: %s", a->improvements.licensee.grant_back);
        lic__ts_item(d, "Licensee improvements", lic__ts_take(d, &b));
    }
    if (a->improvements.licensor.present)
        lic__ts_item(d, "Licensor improvements", a->improvements.licensor.included
                                                     ? "included in the licence"
                                                     : "not included in the licence");
}

void lic__ts_change_of_control(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (!a->change_of_control.present)
        return;
    lic__ts_heading(d, 2, "Change of control");
    lic__ts_list(d);
    if (a->change_of_control.notice.st != LIC_V_ABSENT)
        lic__ts_item(d, "Notice", lic__ts_fmt(d, "the licensee notifies the licensor within %s",
                                              lic__ts_dur_v(d, &a->change_of_control.notice)));
    if (a->change_of_control.may_terminate)
        lic__ts_item(d, "Licensor's right",
                     a->change_of_control.immediately
                         ? "the licensor may terminate immediately"
                         : lic__ts_fmt(d, "the licensor may terminate within %s",
                                       lic__ts_dur_v(d, &a->change_of_control.within)));
}

static void convenience(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (!a->termination.convenience.present)
        return;
    const char *not_before = a->termination.convenience.not_before.st == LIC_V_ABSENT
        ? "" : lic__ts_fmt(d, ", not before %s",
                           lic__ts_dexpr_when(d, &a->termination.convenience.not_before));
    lic__ts_item(d, "For convenience",
                 lic__ts_fmt(d, "by %s on %s notice%s",
                             lic__ts_party(a->termination.convenience.by),
                             lic__ts_notice(d, &a->termination.convenience.notice), not_before));
}

void lic__ts_termination(lic__ts *d)
{
    const lic_agreement *a = d->a;
    bool any = a->termination.convenience.present || a->termination.no_sales.present ||
               a->termination.post_termination_royalty.st != LIC_V_ABSENT ||
               a->termination.sell_off.st != LIC_V_ABSENT || a->termination.nwind_down > 0;
    if (!any)
        return;
    lic__ts_heading(d, 2, "Termination");
    lic__ts_list(d);
    convenience(d);
    if (a->termination.no_sales.present)
        lic__ts_item(d, "No sales",
                     lic__ts_fmt(d, "the licensor may terminate after %d consecutive %ss "
                                    "without sales following the first sale",
                                 a->termination.no_sales.consecutive,
                                 lic_period_kind_name(a->termination.no_sales.every)));
    if (a->termination.post_termination_royalty.st != LIC_V_ABSENT)
        lic__ts_item(d, "Post-termination royalty",
                     lic__ts_fmt(d, "%s on sales after termination",
                                 lic__ts_rate_v(d, &a->termination.post_termination_royalty)));
    if (a->termination.sell_off.st != LIC_V_ABSENT)
        lic__ts_item(d, "Sell-off period",
                     lic__ts_fmt(d, "%s after termination to sell existing stock",
                                 lic__ts_dur_v(d, &a->termination.sell_off)));
    for (size_t i = 0; i < a->termination.nwind_down; i++) {
        const lic_wind_down *w = &a->termination.wind_down[i];
        lic__ts_item(d, lic__ts_fmt(d, "Wind-down %s", w->id),
                     lic__ts_fmt(d, "%s, within %s after termination takes effect",
                                 w->title ? w->title : w->id, lic__ts_dur_v(d, &w->due)));
    }
}

void lic__ts_disputes(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (!a->disputes.present)
        return;
    lic__ts_heading(d, 2, "Disputes");
    lic__tsbuf b;
    lic__tsbuf_init(&b, LIC_TERMSHEET_MAX_BYTES);
    if (a->disputes.negotiation.st != LIC_V_ABSENT)
        lic__tsbuf_addf(&b, "negotiation for %s", lic__ts_dur_v(d, &a->disputes.negotiation));
    if (a->disputes.mediation.st != LIC_V_ABSENT)
        lic__tsbuf_addf(&b, "%smediation for %s", b.len ? ", then " : "",
                        lic__ts_dur_v(d, &a->disputes.mediation));
    if (a->disputes.then)
        lic__tsbuf_addf(&b, "%s%s", b.len ? ", then " : "", lic__ts_word(d, a->disputes.then));
    const char *steps = lic__ts_take(d, &b);
    if (*steps)
        lic__ts_para(d, lic__ts_fmt(d, "Disputes go to %s.", steps));
}

void lic__ts_missing(lic__ts *d)
{
    const lic_agreement *a = d->a;
    if (a->nmissing == 0)
        return;
    lic__ts_heading(d, 2, "Missing terms");
    lic__ts_para(d, "These terms are redacted or unknown; anything that depends on them "
                    "cannot be worked out from the agreement alone.");
    lic__ts_list(d);
    for (size_t i = 0; i < a->nmissing; i++) {
        const lic_missing *m = &a->missing[i];
        const char *where = m->pos.line > 0 ? lic__ts_fmt(d, " (line %d)", m->pos.line) : "";
        lic__ts_item(d, m->path ? m->path : "?",
                     lic__ts_fmt(d, "%s%s", lic__ts_state(m->st), where));
    }
}
