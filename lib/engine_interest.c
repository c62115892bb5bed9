/*
 * engine_interest.c - late interest on an overdue amount (FORMAT 2.3,
 * late_interest): a fixed annual rate or a reference rate plus a margin,
 * day basis actual/365, actual/360 or actual/actual, a grace period
 * (`starts`), compounding none, yearly or monthly, and the penalty form
 * (a monthly rate once the amount is more than N days late, retroactive
 * or not, maybe at the licensor's discretion).  docs/format.md ("Status,
 * in licet's words") states the rules for users.
 *
 * NOTES ON THE DESIGN
 *  - The late span.  Interest accrues on each day from S = due + starts
 *    inclusive to E exclusive, where E is the day the amount is paid in
 *    full, else the as-of date (eng_interest) or `until`
 *    (eng_interest_between).  A payment reduces the principal from its
 *    date.  Payments go to the amount, never to interest, and interest
 *    stops once the amount is paid (capitalised interest too).
 *  - Rates.  A reference rate is the `rate` event of that name with the
 *    latest `on` that is on or before the first late day (due + 1; ties:
 *    the later event), fixed for the whole span, plus `margin`.  No such
 *    event: indeterminate (term payments.late_interest.reference).  A
 *    rate below zero bears nothing.
 *  - Exactness.  Interest is a sum of principal x rate x day weight, the
 *    day weight being 1/360, 1/365, 1/(days of that day's year) or, for
 *    the penalty, 1/(days of that penalty month).  Every such weight has
 *    a denominator dividing LCM_DAYS, so the accrued interest is kept as
 *    an exact mixed number: whole 10^-12 minor units ("pico" units) plus
 *    a remainder over PICO x LCM_DAYS.  Without compounding nothing is
 *    rounded until the end.  With compounding, the interest accrued up to
 *    each compounding day (Jan 1 for yearly, the 1st for monthly) is
 *    rounded once to a pico unit, half-even (or the agreement's
 *    `rounding`), and from then on bears interest with the principal.
 *    The invoice's interest (everything capitalised plus what accrued
 *    since) is rounded once to the minor unit with the agreement's
 *    rounding.  128-bit integers throughout; a product that would not
 *    fit is LIC_EOVERFLOW (reported as not computed), never a wrap.
 *  - The penalty.  Nothing unless E > due + only_if_late_over (paid 90
 *    days late is not "more than 90 days late"; 91 is).  Then it runs from
 *    S when retroactive, else from due + only_if_late_over (day 91), at
 *    monthly_rate for each whole month counted from that start (month
 *    arithmetic clamps as in FORMAT 1) and pro rata by days within a
 *    broken month: each day bears monthly_rate / (days of the penalty
 *    month it falls in).  `basis` does not apply to it; `compounding`
 *    does.  `discretionary` keeps the amount in the invoice and balance
 *    and adds a flag `discretionary_interest` naming the invoice.
 */
#include "engine_int.h"

#include <string.h>

/* The least common multiple of every day-weight denominator: 360, 365,
 * 366 (annual bases) and 28..31 (penalty months). */
#define LCM_DAYS INT64_C(10088182440)
#define PICO INT64_C(1000000000000) /* pico units in a minor unit */
_Static_assert(LCM_DAYS % 360 == 0 && LCM_DAYS % 365 == 0 && LCM_DAYS % 366 == 0, "annual bases");
_Static_assert(LCM_DAYS % 28 == 0 && LCM_DAYS % 29 == 0 && LCM_DAYS % 30 == 0 && LCM_DAYS % 31 == 0,
               "month lengths");

typedef __typeof__(((lic_payments *)0)->late_interest) late_terms;

/* Why a result is indeterminate: a term that is missing, or no rate. */
typedef struct why {
    const char *term;           /* key path */
    const char *state;          /* redacted | unknown */
    lic_pos pos;                /* of a missing term (line 0: none) */
    lic_date rate_on;           /* no reference rate on or before this day */
} why;

/* The exact interest accrued so far and the principal it accrues on. */
typedef struct accrual {
    lic_amount owed;            /* principal still unpaid, minor units */
    __int128 capitalised;       /* interest added to the principal, pico units */
    __int128 pico, rem;         /* accrued since: pico + rem / (PICO x LCM_DAYS) */
    bool overflow;
} accrual;

static const __int128 REM_DEN = (__int128)PICO * LCM_DAYS;

/* a x b x c, or false when it does not fit (all three are >= 0). */
static bool mul3(__int128 a, __int128 b, __int128 c, __int128 *out)
{
    __int128 ab;
    return !__builtin_mul_overflow(a, b, &ab) && !__builtin_mul_overflow(ab, c, out);
}

static bool add_to(__int128 *x, __int128 y)
{
    return !__builtin_add_overflow(*x, y, x);
}

/* Accrues `days` days at `rate` (x 10^-12) per `per` days on the
 * principal and the capitalised interest: exactly, into pico + rem. */
static void accrue(accrual *ac, lic_rate rate, int64_t days, int64_t per)
{
    __int128 whole = ac->owed + ac->capitalised / PICO; /* minor units */
    __int128 frac = ac->capitalised % PICO;             /* pico units */
    __int128 n1, n2;
    /* whole x rate/10^12 x days/per minor units = whole x rate x days / per pico units */
    if (!mul3(whole, rate, days, &n1) || !mul3(frac, rate, days, &n2)) {
        ac->overflow = true;
        return;
    }
    __int128 d2 = (__int128)per * PICO;
    bool ok = add_to(&ac->pico, n1 / per) && add_to(&ac->pico, n2 / d2);
    ac->rem += (n1 % per) * (REM_DEN / per) + (n2 % d2) * (LCM_DAYS / per);
    while (ok && ac->rem >= REM_DEN) {
        ac->rem -= REM_DEN;
        ok = add_to(&ac->pico, 1);
    }
    if (!ok)
        ac->overflow = true;
}

/* q + r/den rounded to an integer (0 <= r < den, den even). */
static __int128 round_mixed(__int128 q, __int128 r, __int128 den, lic_rounding mode)
{
    __int128 twice = 2 * r;
    if (twice > den || (twice == den && (mode == LIC_ROUND_HALF_UP || (q & 1))))
        q++;
    return q;
}

/* Compounding day: the interest accrued so far joins the principal,
 * rounded once to a pico unit. */
static void capitalise(accrual *ac, lic_rounding mode)
{
    if (!add_to(&ac->capitalised, round_mixed(ac->pico, ac->rem, REM_DEN, mode)))
        ac->overflow = true;
    ac->pico = ac->rem = 0;
}

/* Everything accrued, rounded once to the minor unit. */
static bool total(const accrual *ac, lic_rounding mode, lic_amount *out)
{
    __int128 p = ac->capitalised;
    if (!add_to(&p, ac->pico))
        return false;
    /* (p + rem/REM_DEN) / PICO = p/PICO + ((p%PICO) x REM_DEN + rem) / (PICO x REM_DEN) */
    __int128 q = p / PICO, r = (p % PICO) * REM_DEN + ac->rem;
    q = round_mixed(q, r, (__int128)PICO * REM_DEN, mode);
    if (q > INT64_MAX)
        return false;
    *out = (lic_amount)q;
    return true;
}

static bool missing(const eng *g, lic_vstate st, lic_pos pos, why *w)
{
    if (st != LIC_V_REDACTED && st != LIC_V_UNKNOWN)
        return false;
    *w = (why){.term = "payments.late_interest", .state = st == LIC_V_REDACTED ? "redacted" : "unknown",
               .pos = pos, .rate_on = LIC_DATE_NONE};
    for (size_t i = 0; i < g->a->nmissing; i++)
        if (g->a->missing[i].pos.line == pos.line && g->a->missing[i].pos.col == pos.col)
            w->term = g->a->missing[i].path;
    return true;
}

/* The reference rate in force on day `on`: the `rate` event named
 * `name` with the latest `on` not after it (ties: the later event). */
static bool reference_rate(const eng *g, const char *name, lic_date on, lic_rate *out)
{
    lic_date best = LIC_DATE_NONE;
    ENG_FOR_TYPE(g, LIC_EV_RATE, e)
    {
        if (e->ref && !strcmp(e->ref, name) && e->on <= on && (best == LIC_DATE_NONE || e->on >= best)) {
            best = e->on;
            *out = e->rate;
        }
    }
    return best != LIC_DATE_NONE;
}

static lic_date next_jan1(lic_date t)
{
    int y, m, d;
    lic_date_to_ymd(t, &y, &m, &d);
    return lic_date_from_ymd(y + 1, 1, 1);
}

static lic_date next_first(lic_date t)
{
    int y, m, d;
    lic_date_to_ymd(t, &y, &m, &d);
    return m == 12 ? lic_date_from_ymd(y + 1, 1, 1) : lic_date_from_ymd(y, m + 1, 1);
}

/* One late amount: `principal` due on `due`, reduced by `apps` (sorted
 * by date), accruing at most until `until` (exclusive). */
typedef struct late {
    lic_amount principal;
    lic_date due, until;
    const struct eng_app *const *apps;
    size_t napps;
} late;

/* The rules in the notes above.  LIC_OK with *out; LIC_EINDETERMINATE
 * with *w; LIC_EOVERFLOW. */
static lic_err compute(eng *g, const late *x, lic_amount *out, why *w)
{
    const late_terms *li = &g->a->payments.late_interest;
    *out = 0;
    if (!li->present || x->principal <= 0 || x->due == LIC_DATE_NONE)
        return LIC_OK;

    /* E: paid in full, else until */
    lic_date end = x->until;
    lic_amount left = x->principal;
    for (size_t i = 0; i < x->napps && left > 0; i++) {
        left -= x->apps[i]->amount;
        if (left <= 0 && x->apps[i]->on < end)
            end = x->apps[i]->on;
    }
    if (end <= x->due)
        return LIC_OK; /* never late */

    if (missing(g, li->starts.st, li->starts.pos, w))
        return LIC_EINDETERMINATE;
    lic_date start = li->starts.st == LIC_V_KNOWN ? eng_add(g, x->due, &li->starts.v) : x->due;
    lic_rate rate = 0;
    bool penalty = li->kind == LIC_INTEREST_PENALTY;
    if (penalty) {
        if (missing(g, li->only_if_late_over.st, li->only_if_late_over.pos, w))
            return LIC_EINDETERMINATE;
        lic_date over = li->only_if_late_over.st == LIC_V_KNOWN ? eng_add(g, x->due, &li->only_if_late_over.v)
                                                                 : x->due;
        if (end <= over)
            return LIC_OK; /* not more than N days late */
        if (!li->retroactive && over > start)
            start = over;
    }
    if (end <= start)
        return LIC_OK; /* paid within the grace period */

    if (penalty) {
        if (missing(g, li->monthly_rate.st, li->monthly_rate.pos, w))
            return LIC_EINDETERMINATE;
        rate = li->monthly_rate.v;
    } else if (li->kind == LIC_INTEREST_REFERENCE) {
        if (missing(g, li->margin.st, li->margin.pos, w))
            return LIC_EINDETERMINATE;
        lic_date first_late = x->due + 1;
        if (!reference_rate(g, li->reference, first_late, &rate)) {
            *w = (why){.term = "payments.late_interest.reference", .state = "unknown", .rate_on = first_late};
            return LIC_EINDETERMINATE;
        }
        if (li->margin.st == LIC_V_KNOWN && lic_rate_add(rate, li->margin.v, &rate))
            return LIC_EOVERFLOW;
    } else {
        if (missing(g, li->annual_rate.st, li->annual_rate.pos, w))
            return LIC_EINDETERMINATE;
        rate = li->annual_rate.v;
    }
    if (rate <= 0)
        return LIC_OK;

    accrual ac = {.owed = x->principal};
    size_t k = 0;
    while (k < x->napps && x->apps[k]->on <= start)
        ac.owed -= x->apps[k++]->amount;
    int pm = 0; /* the penalty month [start + pm months, start + pm + 1 months) holding t */
    lic_date pm_end = lic_date_add_months(start, 1);
    for (lic_date t = start; t < end && !ac.overflow;) {
        lic_date next = end;
        if (k < x->napps && x->apps[k]->on < next)
            next = x->apps[k]->on;
        /* split at year ends (actual/actual, yearly) or month ends (monthly) */
        if (li->compounding != LIC_COMPOUND_NONE || (!penalty && li->basis == LIC_BASIS_ACTACT)) {
            lic_date b = li->compounding == LIC_COMPOUND_MONTHLY ? next_first(t) : next_jan1(t);
            if (b < next)
                next = b;
        }
        int64_t per;
        if (penalty) {
            while (pm_end <= t)
                pm_end = lic_date_add_months(start, ++pm + 1);
            if (pm_end < next)
                next = pm_end;
            per = pm_end - lic_date_add_months(start, pm);
        } else if (li->basis == LIC_BASIS_ACT360) {
            per = 360;
        } else if (li->basis == LIC_BASIS_ACTACT) {
            int y, m, d;
            lic_date_to_ymd(t, &y, &m, &d);
            per = lic_date_is_leap(y) ? 366 : 365;
        } else {
            per = 365;
        }
        if (ac.owed > 0 || ac.capitalised > 0)
            accrue(&ac, rate, next - t, per);
        t = next;
        if (t < end && li->compounding != LIC_COMPOUND_NONE) {
            int y, m, d;
            lic_date_to_ymd(t, &y, &m, &d);
            if (d == 1 && (li->compounding == LIC_COMPOUND_MONTHLY || m == 1))
                capitalise(&ac, g->a->rounding);
        }
        while (k < x->napps && x->apps[k]->on <= t)
            ac.owed -= x->apps[k++]->amount;
    }
    if (ac.overflow || !total(&ac, g->a->rounding, out)) {
        *out = 0;
        return LIC_EOVERFLOW;
    }
    return LIC_OK;
}

lic_err eng_interest_between(eng *g, lic_amount principal, lic_date due, lic_date until, lic_amount *out,
                             const char **indet_term)
{
    late x = {.principal = principal, .due = due, .until = until};
    why w = {0};
    *indet_term = NULL;
    lic_err rc = compute(g, &x, out, &w);
    if (rc == LIC_EINDETERMINATE)
        *indet_term = w.term;
    return rc;
}

/* The index of invoice v in the state's list, or SIZE_MAX. */
static size_t invoice_index(const eng *g, const lic_st_invoice *v)
{
    uintptr_t base = (uintptr_t)g->s->invoices, at = (uintptr_t)v;
    if (!base || at < base || (at - base) % sizeof *v)
        return SIZE_MAX;
    size_t k = (at - base) / sizeof *v;
    return k < g->s->ninvoices ? k : SIZE_MAX;
}

/* Every invoice's payments, by date (stable), grouped once per pass (the
 * pass's payments are all applied before its interest is worked out):
 * looking through every payment for each invoice was quadratic. */
static bool index_apps(eng *g)
{
    size_t n = g->s->ninvoices;
    size_t *off = lic__arena_alloc(g->arena, (n + 1) * sizeof *off), *at;
    const struct eng_app **v = lic__arena_alloc_raw(g->arena, (g->napps ? g->napps : 1) * sizeof *v);
    if (!off || !v || !(at = lic__arena_alloc_raw(g->arena, (n ? n : 1) * sizeof *at)))
        return false;
    for (size_t i = 0; i < g->napps; i++) {
        size_t k = invoice_index(g, g->apps[i].inv);
        if (k == SIZE_MAX)
            return false;
        off[k + 1]++;
    }
    for (size_t k = 0; k < n; k++)
        off[k + 1] += off[k];
    if (n)
        memcpy(at, off, n * sizeof *at);
    for (size_t i = 0; i < g->napps; i++) { /* insertion by date, as invoice_apps did */
        size_t k = invoice_index(g, g->apps[i].inv), j = at[k]++;
        for (; j > off[k] && v[j - 1]->on > g->apps[i].on; j--)
            v[j] = v[j - 1];
        v[j] = &g->apps[i];
    }
    g->app_by_inv = v, g->app_off = off;
    return true;
}

/* This invoice's payments, by date (stable). */
static const struct eng_app **invoice_apps(eng *g, const lic_st_invoice *v, size_t *n)
{
    size_t k = invoice_index(g, v);
    if (k != SIZE_MAX && (g->app_off || index_apps(g))) {
        *n = g->app_off[k + 1] - g->app_off[k];
        return *n ? g->app_by_inv + g->app_off[k] : NULL;
    }
    *n = 0;
    for (size_t i = 0; i < g->napps; i++)
        *n += g->apps[i].inv == v;
    if (!*n)
        return NULL;
    const struct eng_app **a = lic__arena_alloc(g->arena, *n * sizeof *a);
    if (!a) {
        g->oom = LIC_ENOMEM;
        *n = 0;
        return NULL;
    }
    size_t m = 0;
    for (size_t i = 0; i < g->napps; i++) {
        if (g->apps[i].inv != v)
            continue;
        size_t j = m++;
        for (; j > 0 && a[j - 1]->on > g->apps[i].on; j--)
            a[j] = a[j - 1];
        a[j] = &g->apps[i];
    }
    return a;
}

static void indeterminate(eng *g, const char *what, const char *term, const char *state)
{
    for (size_t i = 0; i < g->s->nindeterminate; i++)
        if (!strcmp(g->s->indeterminate[i].what, what))
            return;
    lic_st_indet *x = ENG_PUSH(g, g->s->indeterminate, g->s->nindeterminate, g->cap_ind);
    if (x)
        *x = (lic_st_indet){what, term, state};
}

void eng_interest(eng *g, lic_st_invoice *v)
{
    const late_terms *li = &g->a->payments.late_interest;
    v->interest = 0;
    if (!li->present)
        return;
    late x = {.principal = v->amount, .due = v->due, .until = g->as_of};
    x.apps = invoice_apps(g, v, &x.napps);
    why w = {0};
    lic_err rc = compute(g, &x, &v->interest, &w);
    if (rc == LIC_EINDETERMINATE) {
        v->interest_known = false;
        if (w.rate_on == LIC_DATE_NONE)
            eng_indet(g, "late interest", w.pos);
        else
            indeterminate(g,
                          eng_fmt(g, "late interest on %s (no \"%s\" rate on or before %s)", v->id, li->reference,
                                  eng_date_str(g, w.rate_on)),
                          w.term, w.state);
    } else if (rc) {
        v->interest_known = false;
        eng_not_computed(g, eng_fmt(g, "late interest on %s (too large to compute exactly)", v->id),
                         "payments.late_interest");
    } else if (li->discretionary && v->interest > 0) {
        char buf[40];
        lic_amount_format(v->interest, g->a->currency->digits, buf, sizeof buf);
        lic_st_flag *f = ENG_PUSH(g, g->s->flags, g->s->nflags, g->cap_flag);
        if (f)
            *f = (lic_st_flag){"discretionary_interest", NULL,
                               eng_fmt(g, "%s: %s %s %s at the licensor's discretion (may be waived)", v->id,
                                       li->kind == LIC_INTEREST_PENALTY ? "late payment penalty" : "late interest",
                                       buf, g->a->currency->code)};
    }
}
