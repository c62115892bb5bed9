/*
 * events.h - the events of a deal's life (FORMAT 3) and their loader.
 *
 * An events file is a YAML list of mappings or JSON Lines (one object per
 * line).  lic_events_load() reads it, checks every event against the
 * agreement (the milestone, patent, option or sublicense it names must
 * exist; a payment must be in the agreement's currency; report lines must
 * name real countries, fields and currencies) and keeps the events that
 * pass.  Each rejected event is one error diagnostic naming the file, the
 * line and column and the reason; the others still load.  Only a file that
 * cannot be read, or a YAML file that is not YAML, fails as a whole.
 *
 * Whether an event can apply on its date (an option inside its window, a
 * right that exists, an extension within the maximum) depends on the rest
 * of the ledger, so the engine decides that (engine.h) and reports such
 * events in the state's `rejected` list.
 *
 * Everything an events set points to lives in its own arena, freed by
 * lic_events_free().
 */
#ifndef LICET_EVENTS_H
#define LICET_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "licet/agreement.h"

#define LIC_EVENT_TYPES(X)                                   \
    X(LIC_EV_MILESTONE_ACHIEVED, "milestone_achieved")      \
    X(LIC_EV_MILESTONE_ACCEPTED, "milestone_accepted")      \
    X(LIC_EV_MILESTONE_REJECTED, "milestone_rejected")      \
    X(LIC_EV_EXTENSION, "extension")                        \
    X(LIC_EV_WAIVER, "waiver")                              \
    X(LIC_EV_FORCE_MAJEURE, "force_majeure")                \
    X(LIC_EV_REPORT, "report")                              \
    X(LIC_EV_PAYMENT, "payment")                            \
    X(LIC_EV_FX, "fx")                                      \
    X(LIC_EV_NOTICE, "notice")                              \
    X(LIC_EV_CURE_STARTED, "cure_started")                  \
    X(LIC_EV_RATE, "rate")                                  \
    X(LIC_EV_LIQUIDITY_EVENT, "liquidity_event")            \
    X(LIC_EV_ASSIGNMENT, "assignment")                      \
    X(LIC_EV_CURE, "cure")                                  \
    X(LIC_EV_EXERCISE, "exercise")                          \
    X(LIC_EV_SUBLICENSE, "sublicense")                      \
    X(LIC_EV_SUBLICENSE_INCOME, "sublicense_income")        \
    X(LIC_EV_PATENT_STATUS, "patent_status")                \
    X(LIC_EV_AMENDMENT, "amendment")                        \
    X(LIC_EV_AUDIT, "audit")                                \
    X(LIC_EV_CHANGE_OF_CONTROL, "change_of_control")        \
    X(LIC_EV_TERMINATION, "termination")                    \
    X(LIC_EV_COMMITTEE_MEETING, "committee_meeting")        \
    X(LIC_EV_DELIVERED, "delivered")                        \
    X(LIC_EV_IMPROVEMENT, "improvement")

typedef enum {
#define LIC_EV_ENUM(e, name) e,
    LIC_EVENT_TYPES(LIC_EV_ENUM)
#undef LIC_EV_ENUM
    LIC_EV_COUNT
} lic_event_type;

const char *lic_event_type_name(lic_event_type t);

/* One line of a sales report (FORMAT 4), inline or from a CSV file.
 * Amounts are in the minor units of the line's own currency.  `pos` is
 * the line's place in the file it was written in: the events file for
 * inline lines, the CSV file (the event's `file`) for a report file. */
typedef struct lic_sale_line {
    lic_period period;
    lic_date date;             /* LIC_DATE_NONE when not given */
    const char *product;       /* NULL when not given */
    int country;               /* ISO 3166 index */
    int field;                 /* field-tree node, -1 when the tree is empty */
    int64_t units;
    lic_amount gross, deductions, third_party_royalties;
    const lic_currency *currency;
    lic_rate fx_rate;          /* the report's own rate to the agreement currency; 0: none */
    lic_pos pos;
} lic_sale_line;

typedef enum { LIC_REPORT_ROYALTY, LIC_REPORT_PROGRESS } lic_report_kind;
typedef enum {
    LIC_NOTICE_BREACH, LIC_NOTICE_TERMINATION, LIC_NOTICE_CHANGE_OF_CONTROL,
    LIC_NOTICE_RENEGOTIATION
} lic_notice_kind;
typedef enum {
    LIC_TERM_CONVENIENCE, LIC_TERM_BREACH, LIC_TERM_EXPIRY, LIC_TERM_MUTUAL,
    LIC_TERM_CHANGE_OF_CONTROL
} lic_term_reason;
typedef enum { LIC_PATENT_EXPIRED, LIC_PATENT_INVALIDATED, LIC_PATENT_ABANDONED } lic_patent_status;

/* One `set` entry of an amendment: a dotted path and the new value (a
 * node of the events file's tree, kept for the engine to apply). */
typedef struct lic_amend_set {
    const char *path;          /* "milestones.M2.due" */
    const void *value;         /* internal YAML node */
    lic_pos pos;
} lic_amend_set;

/* An event.  Which members are meaningful depends on `type`; the table in
 * FORMAT 3 names them, and docs/format.md maps them to these members.
 * The members every evaluation reads of every event come first, in the
 * first 64 bytes, then those the common events (reports, payments,
 * notices, fx) read: an evaluation reads all of a deal's events, usually
 * from memory, and each cache line costs. */
typedef struct lic_event {
    lic_event_type type;
    lic_date date, recorded;   /* recorded defaults to date */
    lic_date effective;        /* amendment (default date); termination (optional) */
    const char *ref;           /* milestone, ref, right, invoice, patent, sublicense,
                                  improvement id, acquirer... (see docs) */
    size_t seq;                /* position in the file, from 0 */
    lic_sale_line *lines;      /* report lines, audit findings */
    size_t nlines;
    const char *id;            /* as written, or "<date>.<n>" (n-th of that date) */
    lic_amount amount;         /* payment, sublicense_income, consideration, audit cost */

    lic_period period;         /* report, fx */
    bool has_period;
    bool has_amount;
    bool no_sales;
    bool id_given;
    lic_report_kind report_kind;
    lic_party_role party;      /* party / by */
    const lic_currency *currency;
    lic_rate rate;             /* fx, rate */
    lic_date on;               /* fx (instead of period), rate */
    lic_notice_kind notice_kind;
    lic_date sent, received;   /* notice; default date */
    lic_date from, to;         /* force_majeure; to LIC_DATE_NONE while running */

    const lic_currency *fx_from, *fx_to;
    const char *option;        /* exercise: option id */
    const char *text;          /* evidence, reason, minutes, title, sublicensee */
    const char *note;
    const char *file;          /* report: CSV path as written (its lines are in `lines`) */
    lic_pos pos;
    lic_strlist affects;       /* force_majeure: ids affected */
    lic_duration by_dur;       /* extension: by */
    bool has_by;
    lic_date to_date;          /* extension: to */
    unsigned income_kind;      /* sublicense_income: one LIC_SUBINC_* bit */
    lic_term_reason reason;    /* termination */
    lic_patent_status patent_status;
    lic_amend_set *set;        /* amendment */
    size_t nset;
    lic_period *periods;       /* audit */
    size_t nperiods;
    lic_scope scope;           /* sublicense */
} lic_event;

typedef struct lic_events {
    const char *file;          /* as given to the loader */
    lic_event *v;              /* accepted events, in file order */
    size_t n;
    size_t nrejected;          /* events reported as errors and left out */
    unsigned char sha256[32];  /* of the file's bytes, then of the report files'
                                  bytes in the order they were read */
    void *priv;                /* arena; do not touch */
} lic_events;

/* Loads the events in `path`, checked against agreement `a`.  Returns
 * LIC_OK with *out set even when some events were rejected (they are in
 * `diags` as errors and counted in nrejected); LIC_EINVALID when the file
 * is not a YAML list or JSON Lines at all; LIC_EIO, LIC_ETOOBIG, LIC_ENOMEM.
 *
 * A report with `file:` has its lines read from that sales report CSV
 * (sales.h), whose path is relative to the directory of `path` (or
 * absolute).  A problem in the CSV, or a file that cannot be read,
 * rejects that report only; the diagnostic names the CSV file, line and
 * column (or, when the file cannot be opened, the `file:` key). */
lic_err lic_events_load(const char *path, const lic_agreement *a,
                        lic_diags *diags, lic_events **out) LIC_MUST_CHECK;
/* The same on `len` bytes of text; `name` is used in messages.  Such
 * events have no directory, so a report with `file:` is rejected ("give
 * the lines inline with lines:"); the path is not tried relative to the
 * current directory. */
lic_err lic_events_load_mem(const char *name, const char *text, size_t len,
                            const lic_agreement *a, lic_diags *diags,
                            lic_events **out) LIC_MUST_CHECK;
void lic_events_free(lic_events *ev);

#endif
