/*
 * engine.h - where a deal stands on a date (FORMAT 2.2, 2.4-2.7, 5).
 *
 * lic_engine_eval() is a pure function of an agreement, its events, an
 * as-of date and an optional known-at date: no clock, no I/O, and the same
 * inputs give the same state, field for field.  The state lists the grants
 * in force, every milestone, obligation, breach, right, invoice, deadline
 * and window, each with the ids of FORMAT 5, plus the events that could
 * not apply (`rejected`) and what could not be decided because a term is
 * redacted or unknown (`indeterminate`).
 *
 * Every list is sorted in a documented order (docs/format.md, "Status");
 * lic_state_json() renders the FORMAT 5 object.  A state owns all its
 * memory (one arena) and is freed with lic_state_free().
 */
#ifndef LICET_ENGINE_H
#define LICET_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "licet/agreement.h"
#include "licet/events.h"
#include "licet/royalty.h"

typedef enum {
    LIC_DEAL_ACTIVE, LIC_DEAL_TERMINATING, LIC_DEAL_SELL_OFF,
    LIC_DEAL_TERMINATED, LIC_DEAL_EXPIRED
} lic_deal_state;

const char *lic_deal_state_name(lic_deal_state s);

/* A grant in force on the as-of date, after step-downs, reversions and
 * option exercises.  One agreement grant may appear as several entries
 * (the part that was stepped down, the part that was not). */
typedef struct lic_st_grant {
    const char *id;            /* the agreement's grant id, or the option id */
    lic_fset fields;
    lic_tset territories;
    lic_exclusivity exclusivity;
    lic_date from, until;      /* until: last day, LIC_DATE_NONE if unknown */
    const char *changed_by;    /* right or option id that shaped it; NULL */
    lic_date changed_on;
} lic_st_grant;

typedef struct lic_st_milestone {
    const char *id;
    const char *status;        /* pending achieved pending_verification rejected
                                  missed extended waived suspended lapsed */
    lic_date due;              /* LIC_DATE_NONE: pending anchor or indeterminate */
    lic_date original_due;     /* before shifts and extensions */
    lic_date achieved_on, accepted_on;
    int extensions;            /* used */
    int shifted_days;          /* force majeure and licensor lateness */
    const char *indeterminate; /* term path, or NULL */
} lic_st_milestone;

typedef struct lic_st_obligation {
    const char *id;            /* report:royalty:2027-Q1 ... */
    const char *kind;          /* royalty_report progress_report committee
                                  licensor wind_down disclose notice */
    lic_party_role party;      /* who owes it */
    lic_date due, done_on;     /* done_on LIC_DATE_NONE if not done */
    const char *status;        /* upcoming due satisfied late overdue waived */
} lic_st_obligation;

typedef struct lic_st_breach {
    const char *id;            /* breach:<ref> */
    const char *cls;
    const char *ref;           /* milestone, obligation or invoice id */
    lic_party_role party;      /* the party in breach */
    lic_date since;            /* default date */
    lic_date notice;           /* notice event date, LIC_DATE_NONE */
    lic_date cure_from, cure_by; /* LIC_DATE_NONE when not running / unknown */
    lic_date resolved_on;      /* cured or waived on */
    const char *status;        /* detected noticed cured waived uncured */
    const char *indeterminate;
} lic_st_breach;

typedef struct lic_st_right {
    const char *id;            /* right:breach:M2:1, right:no_sales ... */
    lic_party_role holder;
    const lic_remedy *remedy;  /* the action and its terms */
    const char *breach;        /* breach id, or NULL */
    lic_date since;
    lic_date until;            /* last day it may be exercised; NONE: no limit */
    bool applied;
    lic_date applied_on;
    const char *status;        /* open applied lapsed */
} lic_st_right;

typedef struct lic_st_invoice {
    const char *id;            /* inv:upfront ... */
    const char *kind;          /* upfront milestone annual_fee extension option
                                  sublicense fee */
    lic_amount amount, paid, interest;
    bool known;                /* false: amount indeterminate */
    bool interest_known;
    lic_date due, paid_on;     /* paid_on: when fully paid */
    lic_date issued_on;        /* from when payments go to it */
    const char *status;        /* open paid overdue waived */
    const char *indeterminate;
    /* audit invoices: amount = underpayment + interest from the period's
     * original due date to the audit */
    bool audit;
    lic_amount underpayment, interest_to_audit;
} lic_st_invoice;

typedef struct lic_st_deadline {
    lic_date date;
    const char *what;          /* "milestone M3 due" */
    const char *ref;           /* the id it belongs to */
    const char *kind;          /* milestone obligation cure invoice window */
} lic_st_deadline;

typedef struct lic_st_window {
    const char *kind;          /* option renegotiation change_of_control sunset */
    const char *id;            /* O1, renegotiation:1 ... */
    lic_date from, until;
} lic_st_window;

typedef struct lic_st_flag {
    const char *kind;
    const char *period;        /* may be NULL */
    const char *detail;
} lic_st_flag;

typedef struct lic_st_rejected {
    const lic_event *event;
    const char *reason;
} lic_st_rejected;

typedef struct lic_st_indet {
    const char *what;          /* "milestone M2b due" */
    const char *term;          /* "milestones[1].due" */
    const char *state;         /* redacted | unknown */
} lic_st_indet;

typedef struct lic_st_adjustment {
    lic_date since;
    lic_rate add;
    const char *source;        /* right id */
} lic_st_adjustment;

/* A credit against a period's royalty invoice. */
typedef struct lic_st_credit {
    const char *kind;          /* negative_royalty minimum_advance annual_fee */
    const char *source;        /* the invoice it comes from */
    lic_amount amount;
} lic_st_credit;

/* A reported period's royalty statement and what it invoices. */
typedef struct lic_st_statement {
    const lic_roy_statement *st;   /* the arithmetic (royalty.h) */
    const char *invoice;       /* inv:royalty:2026-Q2 */
    const lic_event *report;   /* the first report for the period */
    lic_date due;              /* LIC_DATE_NONE: not decidable */
    lic_st_credit credits[3];
    size_t ncredits;
    lic_amount total_due;      /* royalty - credits, >= 0 */
} lic_st_statement;

#define LIC_ST_LIST(T, name) T *name; size_t n##name

typedef struct lic_state {
    const lic_agreement *agreement; /* the terms in force (amended) */
    const lic_events *events;
    lic_date as_of, known_at;       /* known_at LIC_DATE_NONE: everything */
    lic_deal_state state;
    lic_date termination_notice, termination_effective, sell_off_until;
    lic_date first_sale;            /* LIC_DATE_NONE when none reported */
    LIC_ST_LIST(lic_st_grant, grants);
    LIC_ST_LIST(lic_st_milestone, milestones);
    LIC_ST_LIST(lic_st_obligation, obligations);
    LIC_ST_LIST(lic_st_breach, breaches);
    LIC_ST_LIST(lic_st_right, rights);
    LIC_ST_LIST(lic_st_invoice, invoices);
    LIC_ST_LIST(lic_st_deadline, deadlines);
    LIC_ST_LIST(lic_st_window, windows);
    LIC_ST_LIST(lic_st_flag, flags);
    LIC_ST_LIST(lic_st_rejected, rejected);
    LIC_ST_LIST(lic_st_indet, indeterminate);
    LIC_ST_LIST(lic_st_adjustment, adjustments);
    LIC_ST_LIST(lic_st_statement, statements); /* by period */
    struct { lic_amount open, overdue, interest, credit; bool known, overdue_known; } balance;
    unsigned char inputs_sha256[32];
    lic_agreement *amended_owned;   /* internal: the amended terms, if any */
    lic_roy *royalties_owned;       /* internal: holds the statements */
    void *priv;
} lic_state;

/* Evaluates `a` with `ev` (may be NULL: no events) as of `as_of`, using
 * only events recorded on or before `known_at` (LIC_DATE_NONE: all).
 * Returns LIC_OK and *out, or LIC_ENOMEM.  Events that cannot apply are
 * listed in (*out)->rejected, never fatal. */
lic_err lic_engine_eval(const lic_agreement *a, const lic_events *ev,
                        lic_date as_of, lic_date known_at,
                        lic_state **out) LIC_MUST_CHECK;
void lic_state_free(lic_state *s);

/* A portfolio: out[i] = the state of a[i] with events ev[i], exactly as
 * lic_engine_eval gives it, for i < n, evaluated on up to `threads`
 * threads (0: one per processor online; the caller's thread is one of
 * them).  LIC_OK, or the first error by index (LIC_ENOMEM), when every
 * out[i] is NULL. */
lic_err lic_engine_eval_many(const lic_agreement *const *a, const lic_events *const *ev, size_t n,
                             lic_date as_of, lic_date known_at, unsigned threads,
                             lic_state **out) LIC_MUST_CHECK;

/* The FORMAT 5 JSON object, NUL-terminated, with a trailing newline; the
 * caller frees it with free().  NULL when out of memory. */
char *lic_state_json(const lic_state *s);

/* The statement of period p, or NULL when no royalty report covers it. */
const lic_st_statement *lic_state_statement(const lic_state *s, lic_period p);
/* A statement as the FORMAT 5 JSON object (`licet royalties --json`);
 * free() it.  NULL when out of memory. */
char *lic_statement_json(const lic_state *s, const lic_st_statement *x);

/* An exclusive overlap on the states' as-of date: two grants in force
 * from the same licensor whose fields and territories overlap, one of
 * them exclusive or sole. */
typedef struct lic_conflict {
    size_t a, b;                 /* indexes into the states given */
    const lic_st_grant *ga, *gb;
    lic_fset fields;
    lic_tset territories;
} lic_conflict;

/* Every conflict between states[i] and states[j], i < j, in that order;
 * *out is freed with free().  NULL entries are skipped. */
lic_err lic_conflicts_find(const lic_state *const *states, size_t n, lic_conflict **out,
                           size_t *nout) LIC_MUST_CHECK;

/* Where a rejected event was: "events.yaml:12". */
size_t lic_event_where(const lic_events *ev, const lic_event *e, char *buf, size_t n);

#endif
