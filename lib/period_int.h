/*
 * period_int.h - lic_period_cmp inline, for the library's hot loops
 * (internal).
 *
 * The engine compares periods per report, line and fx event in every
 * pass, and the call cost more than the compare.  period.c's public
 * lic_period_cmp is this same function, so there is one order.
 */
#ifndef LIC_PERIOD_INT_H
#define LIC_PERIOD_INT_H

#include "licet/date.h"

/* Periods are runs of whole months, so months order them as their dates
 * would: by first month, then by last (no date math). */
static inline int lic__period_cmp(lic_period a, lic_period b)
{
    static const int months[] = {[LIC_PERIOD_MONTH] = 1, [LIC_PERIOD_QUARTER] = 3, [LIC_PERIOD_HALF] = 6,
                                 [LIC_PERIOD_YEAR] = 12};
    int na = months[a.kind], nb = months[b.kind];
    int af = a.year * 12 + (a.index - 1) * na, bf = b.year * 12 + (b.index - 1) * nb;
    if (af != bf)
        return af < bf ? -1 : 1;
    return na < nb ? -1 : na > nb; /* same first month: the shorter ends first */
}

#endif
