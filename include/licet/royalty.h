/*
 * royalty.h - royalties of one agreement, period by period (FORMAT 2.3).
 *
 * A lic_roy takes the sales lines of one period (lic_roy_add), then closes
 * the period into a statement (lic_roy_close).  Periods are closed in date
 * order because tiers count what the royalty year, or the license's whole
 * life, sold before.  It keeps sums per statement line, never the sales
 * lines themselves, so its memory does not grow with the size of a report:
 * bench/royalties streams ten million lines through it.
 *
 * What the lifecycle decides (the grants in force and the sell-off period,
 * the day each milestone was achieved, remedies that raise the rate, the
 * claims ended by patent_status events, fx rates) comes in through
 * lic_roy_env; with an empty env the agreement's written terms apply.
 *
 * Arithmetic: a line's net sales are converted and rounded per sales line
 * (as FORMAT 2.3 says); every band's royalty is rounded once, a statement
 * line's royalty is the sum of its bands, the period's the sum of its
 * lines.  Overflow is an error (LIC_EOVERFLOW), never a wrap.
 */
#ifndef LICET_ROYALTY_H
#define LICET_ROYALTY_H

#include "licet/agreement.h"
#include "licet/events.h"

/* A rate change from a date on: milestone adjustments and royalty_increase
 * remedies. */
typedef struct lic_roy_adj {
    lic_date since;
    lic_rate add;
} lic_roy_adj;

typedef struct lic_roy_env {
    /* Is a sale on day d in country c and field f licensed (a grant in
     * force, or the sell-off period)?  NULL: the written grants decide. */
    bool (*covered)(void *u, lic_date d, int country, int field);
    /* The rate from `from` to the agreement currency for a period's lines
     * (per fx.method); false when there is none.  NULL: none. */
    bool (*fx)(void *u, const lic_currency *from, lic_period p, lic_rate *out);
    void *u;
    const lic_date *ms_achieved;  /* per milestone, LIC_DATE_NONE; NULL: none */
    const lic_roy_adj *adj;       /* remedy increases; milestone ones are added */
    size_t nadj;
    const lic_date *patent_ended; /* per patent: claim ended by an event; NULL */
} lic_roy_env;

typedef enum {
    LIC_ROY_DUE,         /* royalty-bearing */
    LIC_ROY_FULLY_PAID,  /* after the royalty term, after_term: fully_paid */
    LIC_ROY_UNLICENSED,  /* outside every grant, or after_term: ends */
    LIC_ROY_NO_SCHEDULE  /* licensed, but no schedule's scope matches */
} lic_roy_status;

typedef struct lic_roy_band {
    lic_rate rate;          /* applied: (band + adjustments) x step-down factor */
    lic_amount per_unit;    /* base: units bands; 0 otherwise */
    lic_amount fixed;       /* whole tiers' fixed yearly amount; 0 otherwise */
    bool is_fixed, is_per_unit;
    int64_t base;           /* net sales (minor units) or units in the band */
    lic_amount royalty;
} lic_roy_band;

/* One statement line: a schedule, country and product, at one rate. */
typedef struct lic_roy_line {
    const char *schedule;   /* NULL when no schedule applies */
    int country;
    const char *product;    /* NULL when the report named none */
    lic_roy_status status;
    lic_rate add, factor;   /* rate adjustments; step-down factor (1 = 10^12) */
    lic_amount gross, deductions_allowed, net_sales, third_party;
    int64_t units;
    lic_roy_band *bands;
    size_t nbands;
    lic_amount royalty;     /* before stacking */
    lic_amount stacking_reduction;
    lic_amount stacking_carried; /* unused offset carried to the next period */
} lic_roy_line;

/* Whole tiers: what a crossing adds for the earlier periods of the year. */
typedef struct lic_roy_true_up {
    const char *schedule;
    lic_amount amount;
} lic_roy_true_up;

typedef struct lic_roy_note {
    const char *kind;       /* flags: unlicensed_sale, deductions_over_cap ...;
                             * indeterminate: what depends on the term */
    const char *detail;     /* flags: text; indeterminate: the term's path */
} lic_roy_note;

typedef struct lic_roy_statement {
    lic_period period;
    int year;               /* the royalty year (calendar year it starts in) */
    bool known;             /* false: see indeterminate */
    lic_roy_line *lines;
    size_t nlines;
    lic_roy_true_up *true_ups;
    size_t ntrue_ups;
    lic_amount royalty;     /* lines - stacking + true-ups */
    lic_amount net_sales, third_party;
    lic_amount deductions_claimed, gross; /* for red flags */
    lic_roy_note *flags, *indeterminate;
    size_t nflags, nindeterminate;
} lic_roy_statement;

typedef struct lic_roy lic_roy;

/* `env` may be NULL; it is copied (its arrays are not: keep them alive). */
lic_err lic_roy_new(const lic_agreement *a, const lic_roy_env *env, lic_roy **out) LIC_MUST_CHECK;
void lic_roy_free(lic_roy *r);

/* Adds a sales line of the period being accumulated.  A line that cannot
 * be converted (no fx rate) makes the statement indeterminate. */
lic_err lic_roy_add(lic_roy *r, const lic_sale_line *l) LIC_MUST_CHECK;

/* Adds lines l[0..n) as n calls of lic_roy_add would, one after another;
 * the first error stops it (the lines before it are added, as those calls
 * would have added them). */
lic_err lic_roy_add_lines(lic_roy *r, const lic_sale_line *l, size_t n) LIC_MUST_CHECK;

/* Closes period p (later than any closed before) into a statement owned by
 * r, valid until lic_roy_free. */
lic_err lic_roy_close(lic_roy *r, lic_period p, const lic_roy_statement **out) LIC_MUST_CHECK;

/* The royalty year (its first day) containing d. */
lic_date lic_roy_year_start(const lic_agreement *a, lic_date d);

const char *lic_roy_status_name(lic_roy_status s);

#endif
