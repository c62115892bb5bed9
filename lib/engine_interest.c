/*
 * engine_interest.c - simple late interest on an invoice (FORMAT 2.3,
 * late_interest): a fixed annual rate, no compounding, day basis
 * actual/365, actual/360 or actual/actual.
 *
 * Interest accrues on each day from (due date + starts) inclusive to the
 * day a payment reduces the principal, exclusive; while unpaid, up to the
 * as-of date, exclusive.  The sum of principal x days is exact (128-bit);
 * it is multiplied by the rate and divided by the basis once, rounded once
 * per invoice.  For actual/actual each day is over the length of its own
 * year (365 or 366), kept as two sums over a common denominator.
 * Reference rates, compounding and the monthly penalty are the money
 * engine's: the interest of such an agreement is reported indeterminate.
 */
#include "engine_int.h"

static bool simple_terms(eng *g)
{
    const __typeof__(g->a->payments.late_interest) *li = &g->a->payments.late_interest;
    if (!li->present)
        return true;
    if (li->kind != LIC_INTEREST_ANNUAL || li->compounding != LIC_COMPOUND_NONE) {
        eng_not_computed(g, "late interest (reference rates, compounding and penalties come with the money engine)",
                         "payments.late_interest");
        return false;
    }
    if (li->annual_rate.st != LIC_V_KNOWN) {
        eng_indet(g, "late interest", li->annual_rate.pos);
        return false;
    }
    if (li->starts.st == LIC_V_REDACTED || li->starts.st == LIC_V_UNKNOWN) {
        eng_indet(g, "late interest", li->starts.pos);
        return false;
    }
    return true;
}

/* Adds principal x days over [from, to) to the two sums (365 and 366-day years). */
static void accrue(__int128 *s365, __int128 *s366, lic_amount principal, lic_date from, lic_date to)
{
    while (from < to) {
        int y, m, d;
        lic_date_to_ymd(from, &y, &m, &d);
        lic_date next_year = lic_date_from_ymd(y + 1, 1, 1);
        lic_date end = to < next_year ? to : next_year;
        __int128 part = (__int128)principal * (end - from);
        if (lic_date_is_leap(y))
            *s366 += part;
        else
            *s365 += part;
        from = end;
    }
}

static lic_amount round_div(__int128 num, __int128 den, lic_rounding mode)
{
    __int128 q = num / den, r = num % den;
    __int128 twice = 2 * r;
    if (twice > den || (twice == den && (mode == LIC_ROUND_HALF_UP || (q & 1))))
        q++;
    return (lic_amount)q;
}

void eng_interest(eng *g, lic_st_invoice *v)
{
    const __typeof__(g->a->payments.late_interest) *li = &g->a->payments.late_interest;
    v->interest = 0;
    if (!li->present)
        return;
    if (!simple_terms(g)) {
        v->interest_known = false;
        return;
    }
    lic_date start = li->starts.st == LIC_V_KNOWN ? eng_add(g, v->due, &li->starts.v) : v->due;
    lic_amount principal = v->amount;
    __int128 s365 = 0, s366 = 0;
    lic_date t = start;
    for (size_t i = 0; i < g->napps; i++) {
        const struct eng_app *a = &g->apps[i];
        if (a->inv != v)
            continue;
        if (a->on > t) {
            accrue(&s365, &s366, principal, t, a->on);
            t = a->on;
        }
        principal -= a->amount;
    }
    if (principal > 0 && g->as_of > t)
        accrue(&s365, &s366, principal, t, g->as_of);
    __int128 rate = li->annual_rate.v, num, den;
    switch (li->basis) {
    case LIC_BASIS_ACT360: num = (s365 + s366) * rate; den = (__int128)360 * LIC_RATE_SCALE; break;
    case LIC_BASIS_ACTACT: num = (s365 * 366 + s366 * 365) * rate; den = (__int128)365 * 366 * LIC_RATE_SCALE; break;
    default: num = (s365 + s366) * rate; den = (__int128)365 * LIC_RATE_SCALE; break;
    }
    v->interest = num > 0 ? round_div(num, den, g->a->rounding) : 0;
}
