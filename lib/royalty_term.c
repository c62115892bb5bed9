/*
 * royalty_term.c - the royalty term in one country (FORMAT 2.3,
 * royalties.royalty_term): royalties run through the latest of the `ends`
 * items, at the rate times `rate_factor` once every `step_down.after` item
 * has passed.
 *
 * An item's date is the last day it covers: the last patent claim in the
 * country (its expiry, or the day before a patent_status event ends it),
 * the country's regulatory exclusivity, or N years after the first sale
 * there, less a day.  An item that does not exist in the country (no
 * patent there) is left out; one still pending (no sale yet) means the
 * term has not ended.  With no item at all the term does not end: the
 * grants decide.
 */
#include "royalty_int.h"

enum { ITEM_ABSENT, ITEM_PENDING, ITEM_DATE };

static int last_claim(lic_roy *r, int c, lic_date *out)
{
    int st = ITEM_ABSENT;
    for (size_t i = 0; i < r->a->technology.npatents; i++) {
        const lic_patent *p = &r->a->technology.patents[i];
        if (!lic_tset_has(&p->countries, c))
            continue;
        lic_date end = p->expires.st == LIC_V_KNOWN ? p->expires.v : LIC_DATE_NONE;
        if (p->expires.st == LIC_V_REDACTED || p->expires.st == LIC_V_UNKNOWN) {
            if (!r->err)
                r->err = roy_indet(r, "royalty term", p->expires.pos);
            return ITEM_PENDING;
        }
        lic_date ended = r->env.patent_ended ? r->env.patent_ended[i] : LIC_DATE_NONE;
        if (ended != LIC_DATE_NONE && (end == LIC_DATE_NONE || ended - 1 < end))
            end = ended - 1;
        if (end == LIC_DATE_NONE)
            return ITEM_PENDING; /* a patent without expiry: the claim runs */
        if (st == ITEM_ABSENT || end > *out)
            *out = end;
        st = ITEM_DATE;
    }
    return st;
}

static int exclusivity(lic_roy *r, int c, lic_date *out)
{
    int st = ITEM_ABSENT;
    for (size_t i = 0; i < r->a->technology.nexclusivities; i++) {
        const lic_reg_exclusivity *x = &r->a->technology.exclusivities[i];
        if (x->country != c)
            continue;
        if (x->expires.st != LIC_V_KNOWN) {
            if (!r->err)
                r->err = roy_indet(r, "royalty term", x->expires.pos);
            return ITEM_PENDING;
        }
        if (st == ITEM_ABSENT || x->expires.v > *out)
            *out = x->expires.v;
        st = ITEM_DATE;
    }
    return st;
}

static int item(lic_roy *r, unsigned bit, int c, lic_date *out)
{
    if (bit == LIC_TERM_LAST_VALID_CLAIM)
        return last_claim(r, c, out);
    if (bit == LIC_TERM_REG_EXCLUSIVITY)
        return exclusivity(r, c, out);
    if (r->first_sale[c] == LIC_DATE_NONE)
        return ITEM_PENDING;
    *out = lic_date_add_years(r->first_sale[c], r->a->payments.royalties.term.years_after_first_sale) - 1;
    return ITEM_DATE;
}

/* The latest of the items in `bits`; LIC_DATE_NONE when one is pending or
 * none exists. */
static lic_date latest(lic_roy *r, unsigned bits, int c)
{
    lic_date best = LIC_DATE_NONE;
    for (unsigned bit = 1; bit <= LIC_TERM_YEARS_AFTER_FS; bit <<= 1) {
        if (!(bits & bit))
            continue;
        lic_date d = LIC_DATE_NONE;
        int st = item(r, bit, c, &d);
        if (st == ITEM_PENDING)
            return LIC_DATE_NONE;
        if (st == ITEM_DATE && (best == LIC_DATE_NONE || d > best))
            best = d;
    }
    return best;
}

const roy_term *roy_term_of(lic_roy *r, int c)
{
    static const roy_term none = {true, LIC_DATE_NONE, LIC_DATE_NONE, NULL};
    if (c < 0 || c >= 256)
        return &none;
    roy_term *t = &r->term[c];
    if (t->done) {
        if (t->indet && !r->err) /* every period that uses it says so */
            r->err = roy_note(r, false, "royalty term", "%s", t->indet);
        return t;
    }
    *t = none;
    size_t nindet = r->nindet;
    const __typeof__(r->a->payments.royalties.term) *tm = &r->a->payments.royalties.term;
    if (!tm->present)
        return t;
    if (tm->ends_date.st == LIC_V_KNOWN)
        t->last_day = tm->ends_date.v;
    else if (tm->ends_date.st != LIC_V_ABSENT && !r->err)
        r->err = roy_indet(r, "royalty term", tm->ends_date.pos);
    else if (tm->ends)
        t->last_day = latest(r, tm->ends, c);
    if (tm->step_down.present && tm->step_down.after) {
        lic_date s = latest(r, tm->step_down.after, c);
        if (s != LIC_DATE_NONE)
            t->step_from = s + 1;
    }
    if (r->nindet > nindet)
        t->indet = r->indet[r->nindet - 1].detail;
    return t;
}
