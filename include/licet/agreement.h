/*
 * agreement.h - the agreement model and its loader (FORMAT 1-2).
 *
 * lic_agreement_load() reads an agreement file (YAML 1.2 or JSON) into a
 * lic_agreement: plain C structures that mirror the format's sections.
 * Everything an agreement points to lives in the agreement's own arena and
 * is freed by lic_agreement_free(); callers never free members.
 *
 * Missing terms: any amount, rate, duration or date may be written
 * `redacted` or `unknown`.  Such values carry their state (lic_vstate) and
 * are listed in `missing[]` with their key path, so that results which
 * depend on them can say "indeterminate: payments.upfront.amount is
 * redacted" rather than guess.
 *
 * Every structure records the position (line, column) of the YAML node it
 * came from, so later checks can point at the file.
 */
#ifndef LICET_AGREEMENT_H
#define LICET_AGREEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "licet/date.h"
#include "licet/error.h"
#include "licet/field.h"
#include "licet/money.h"
#include "licet/territory.h"

typedef struct lic_pos {
    int line, col; /* 1-based; 0 when synthesized */
} lic_pos;

/* Whether a value was written, and how. */
typedef enum {
    LIC_V_ABSENT = 0, /* key not present: the default applies */
    LIC_V_KNOWN,
    LIC_V_REDACTED,
    LIC_V_UNKNOWN
} lic_vstate;

typedef struct lic_amount_v { lic_vstate st; lic_amount v; lic_pos pos; } lic_amount_v;
typedef struct lic_rate_v { lic_vstate st; lic_rate v; lic_pos pos; } lic_rate_v;
typedef struct lic_date_v { lic_vstate st; lic_date v; lic_pos pos; } lic_date_v;
typedef struct lic_duration_v { lic_vstate st; lic_duration v; lic_pos pos; } lic_duration_v;

typedef struct lic_strlist {
    const char **v;
    size_t n;
} lic_strlist;

/* Date expressions (FORMAT 1). */
typedef enum {
    LIC_ANCHOR_DATE,      /* a fixed date */
    LIC_ANCHOR_EFFECTIVE, /* the effective date */
    LIC_ANCHOR_MILESTONE, /* the day milestone `ref` was achieved */
    LIC_ANCHOR_FCS,       /* first commercial sale anywhere */
    LIC_ANCHOR_FCS_IN     /* first commercial sale in `country` */
} lic_anchor;

typedef struct lic_dexpr {
    lic_vstate st;
    lic_anchor anchor;
    lic_date date;        /* LIC_ANCHOR_DATE */
    const char *ref;      /* LIC_ANCHOR_MILESTONE: milestone id */
    int ref_index;        /* index into milestones[], resolved by the loader */
    int country;          /* LIC_ANCHOR_FCS_IN */
    lic_duration dur;     /* added to the anchor's date */
    lic_pos pos;
} lic_dexpr;

typedef enum {
    LIC_EXCL_EXCLUSIVE,
    LIC_EXCL_SOLE,
    LIC_EXCL_CO_EXCLUSIVE,
    LIC_EXCL_NON_EXCLUSIVE
} lic_exclusivity;

typedef enum { LIC_PARTY_LICENSEE, LIC_PARTY_LICENSOR, LIC_PARTY_JOINT, LIC_PARTY_EITHER } lic_party_role;

typedef struct lic_party {
    const char *id, *name;
    lic_pos pos;
} lic_party;

/* A scope of fields x territories, with the names as written. */
typedef struct lic_scope {
    bool has_fields, has_territories;
    lic_fset fields;
    lic_tset territories;
    lic_strlist field_names, territory_names;
} lic_scope;

typedef struct lic_grant {
    const char *id;
    lic_scope scope;          /* fields default to all, never absent after load */
    lic_exclusivity exclusivity;
    bool sublicensable;
    lic_date_v from, until;   /* ABSENT: effective / end of term */
    lic_pos pos;
} lic_grant;

typedef struct lic_patent {
    const char *id;
    lic_tset countries;
    lic_strlist country_names;
    lic_date_v expires;
    lic_pos pos;
} lic_patent;

typedef struct lic_reg_exclusivity {
    int country;
    lic_date_v expires;
    lic_pos pos;
} lic_reg_exclusivity;

/* Remedies (FORMAT 2.5) and on_miss actions. */
typedef enum {
    LIC_ACT_ROYALTY_INCREASE,
    LIC_ACT_STEP_DOWN,
    LIC_ACT_REVERT,
    LIC_ACT_FEE,
    LIC_ACT_TERMINATE,
    LIC_ACT_EXTEND_DEADLINES
} lic_action;

typedef struct lic_remedy {
    lic_action action;
    lic_rate_v add;          /* royalty_increase */
    const char *grant;       /* step_down, revert; NULL = every grant */
    int grant_index;         /* resolved; -1 when grant is NULL */
    lic_scope part;          /* territories / fields of the grant affected */
    lic_exclusivity to;      /* step_down target (default non_exclusive) */
    lic_amount_v amount;     /* fee */
    lic_duration_v notice;   /* terminate, on_miss notice */
    lic_duration_v days;     /* extend_deadlines */
    bool automatic;
    lic_pos pos;
} lic_remedy;

typedef enum { LIC_MS_DEVELOPMENT, LIC_MS_REGULATORY, LIC_MS_COMMERCIAL, LIC_MS_SALES } lic_ms_kind;
typedef enum { LIC_VERIFY_NONE, LIC_VERIFY_SELF, LIC_VERIFY_EVIDENCE, LIC_VERIFY_THIRD_PARTY } lic_verification;
typedef enum {
    LIC_COND_NONE,
    LIC_COND_NET_SALES_IN_YEAR,
    LIC_COND_CUMULATIVE_NET_SALES,
    LIC_COND_CUMULATIVE_UNITS,
    LIC_COND_FIRST_SALE_IN
} lic_condition;

typedef struct lic_milestone {
    const char *id, *title;
    lic_ms_kind kind;
    lic_party_role owner;
    lic_dexpr due;                 /* st ABSENT: no deadline */
    lic_strlist deliverables;
    const char *acceptance;        /* NULL if absent */
    lic_verification verification;
    struct {
        bool present;
        lic_amount_v amount;
        lic_duration_v due;        /* after achievement (sales: after period end) */
    } payment;
    const char *breach_class;      /* default "diligence" */
    struct {
        bool present;
        int max;
        lic_duration_v each;
        lic_amount_v fee;
    } extensions;
    lic_strlist catch_up;          /* milestone ids */
    int *catch_up_index;
    struct {
        lic_condition cond;
        bool reaches;              /* true: >=, false: > */
        lic_amount_v threshold;    /* net sales (agreement currency) or units */
        lic_scope where;           /* first_sale_in countries */
    } when;
    bool repeat_every_year;        /* repeat: every_year */
    bool has_on_miss;
    lic_remedy on_miss;
    lic_pos pos;
} lic_milestone;

typedef enum { LIC_TIERS_MARGINAL, LIC_TIERS_WHOLE } lic_tier_method;

typedef struct lic_band {
    lic_amount_v up_to;   /* ABSENT on the open top band */
    lic_rate_v rate;      /* or */
    lic_amount_v amount;  /* a fixed yearly amount (whole tiers only) */
    lic_amount_v per_unit; /* extension: amount per unit when base is units */
    lic_pos pos;
} lic_band;

typedef struct lic_schedule {
    const char *name;
    lic_scope scope;
    lic_strlist products;
    lic_tier_method method;
    bool over_lifetime;   /* over: lifetime (else royalty_year) */
    bool upper_exclusive; /* upper: exclusive (else inclusive) */
    lic_band *bands;
    size_t nbands;
    lic_pos pos;
} lic_schedule;

enum { LIC_TERM_LAST_VALID_CLAIM = 1, LIC_TERM_REG_EXCLUSIVITY = 2, LIC_TERM_YEARS_AFTER_FS = 4 };

typedef struct lic_royalties {
    bool present;
    bool agreement_year;  /* year: agreement (else calendar) */
    bool base_units;      /* base: units (else net_sales) */
    lic_rate_v deductions_cap;
    lic_schedule *schedules;
    size_t nschedules;
    struct {
        bool present;
        lic_date_v ends_date;    /* ends: DATE */
        unsigned ends;           /* LIC_TERM_* bits */
        int years_after_first_sale;
        struct {
            bool present;
            unsigned after;      /* LIC_TERM_* bits */
            lic_rate_v rate_factor;
        } step_down;
        bool after_term_ends;    /* after_term: ends (else fully_paid) */
        lic_pos pos;
    } term;
    struct {
        bool present;
        lic_rate_v offset;
        bool floor_is_rate;      /* floor: {rate} (else share_of_royalty) */
        lic_rate_v floor;
        bool carry_forward;
    } stacking;
    struct lic_adjustment {
        const char *after;
        int ms_index;
        lic_rate_v add;
        lic_pos pos;
    } *adjustments;
    size_t nadjustments;
    struct {
        bool present;
        lic_amount_v amount;
        int from_year;           /* from: 2028 */
        int from_first_sale_year; /* from: { first_sale_year: N }; 0 if unused */
        bool advance;            /* mode: advance (else true_up) */
        lic_duration_v due;
        int due_on_month, due_on_day; /* due_on: MM-DD; 0 if unused */
        bool credit_paid;        /* credit: paid (else earned) */
        enum { LIC_PRORATE_NONE, LIC_PRORATE_DAYS, LIC_PRORATE_MONTHS } prorate;
        lic_pos pos;
    } minimum_annual;
    lic_pos pos;
} lic_royalties;

typedef struct lic_fee_rule {
    bool present;
    lic_rate_v share;
    lic_duration_v due;
} lic_fee_rule;

enum {
    LIC_SUBINC_UPFRONT = 1, LIC_SUBINC_MILESTONE = 2, LIC_SUBINC_ROYALTY = 4,
    LIC_SUBINC_EQUITY = 8, LIC_SUBINC_OTHER = 16
};

typedef struct lic_payments {
    struct { bool present; lic_amount_v amount; lic_dexpr due; lic_pos pos; } upfront;
    struct {
        bool present;
        lic_amount_v amount;       /* ABSENT when a schedule is given */
        struct lic_fee_step { int year, from_year; lic_amount_v amount; lic_pos pos; } *schedule;
        size_t nschedule;
        lic_dexpr first_due;
        enum { LIC_UNTIL_TERM_END, LIC_UNTIL_FCS, LIC_UNTIL_DATE } until;
        lic_date_v until_date;
        bool creditable;
        lic_pos pos;
    } annual_fee;
    lic_royalties royalties;
    lic_amount_v milestone_cap;
    struct {
        bool present;
        unsigned kinds;            /* LIC_SUBINC_* bits */
        struct lic_share_step { const char *before; int ms_index; lic_rate_v share; lic_pos pos; } *shares;
        size_t nshares;
        lic_duration_v due;
        lic_pos pos;
    } sublicense_income;
    struct {
        bool present;
        enum { LIC_INTEREST_ANNUAL, LIC_INTEREST_REFERENCE, LIC_INTEREST_PENALTY } kind;
        lic_rate_v annual_rate;
        const char *reference;
        lic_rate_v margin;
        enum { LIC_BASIS_ACT365, LIC_BASIS_ACT360, LIC_BASIS_ACTACT } basis;
        lic_duration_v starts;
        enum { LIC_COMPOUND_NONE, LIC_COMPOUND_YEARLY, LIC_COMPOUND_MONTHLY } compounding;
        lic_rate_v monthly_rate;   /* penalty */
        lic_duration_v only_if_late_over;
        bool retroactive, discretionary;
        lic_pos pos;
    } late_interest;
    lic_fee_rule liquidity_event, assignment;
    struct { bool present; bool period_end; } fx; /* method: period_end (else period_average) */
} lic_payments;

typedef struct lic_report_rule {
    bool present;
    lic_period_kind every;
    lic_duration_v due;                 /* after the period ends */
    struct { int month, day; } *due_on; /* fixed days; ndue_on > 0 instead of due */
    size_t ndue_on;
    bool payment_after_report;          /* payment_due: { after: report, ... } */
    lic_duration_v payment_due;
    lic_dexpr from;                     /* ABSENT: effective */
    lic_pos pos;
} lic_report_rule;

typedef struct lic_licensor_obligation {
    const char *id, *title;
    lic_dexpr due;
    bool extend_milestones;             /* on_late: extend_milestones */
    lic_pos pos;
} lic_licensor_obligation;

typedef struct lic_breach_class {
    const char *name;
    lic_duration_v cure;
    lic_duration_v extendable_to;
    bool notice_required;               /* default true */
    lic_pos pos;
} lic_breach_class;

typedef struct lic_ladder {
    const char *cls;
    lic_remedy *rungs;
    size_t nrungs;
    lic_pos pos;
} lic_ladder;

typedef struct lic_repeated {
    const char *cls;
    int count;
    lic_duration_v within;
    lic_remedy remedy;
    lic_pos pos;
} lic_repeated;

typedef struct lic_perf_rule {
    const char *grant;
    int grant_index;
    lic_scope part;
    lic_amount_v min_net_sales;
    lic_period_kind every;
    int from_year;
    lic_remedy on_miss;
    lic_pos pos;
} lic_perf_rule;

typedef struct lic_option {
    const char *id, *title;
    lic_scope scope;
    lic_exclusivity exclusivity;
    bool sublicensable;
    lic_dexpr window_from, window_until;
    lic_amount_v fee;
    lic_pos pos;
} lic_option;

typedef struct lic_renegotiation {
    bool recurring;             /* every/from form (else after a milestone) */
    lic_duration_v every;
    lic_date_v from;
    const char *after;
    int ms_index;
    lic_duration_v length;
    lic_pos pos;
} lic_renegotiation;

typedef struct lic_wind_down {
    const char *id, *title;
    lic_duration_v due;         /* after termination takes effect */
    lic_pos pos;
} lic_wind_down;

typedef struct lic_missing {
    const char *path;           /* "payments.upfront.amount" */
    lic_vstate st;              /* LIC_V_REDACTED or LIC_V_UNKNOWN */
    lic_pos pos;
} lic_missing;

typedef struct lic_agreement lic_agreement;
struct lic_agreement {
    const char *file;           /* as given to the loader */
    int version;                /* licet: 1 */
    const char *id, *title;
    lic_date_v effective;
    const lic_currency *currency;
    lic_rounding rounding;
    const char *calendar_name;  /* "WEEKENDS" when absent */
    const lic_calendar *calendar;
    lic_calendar **own_calendars; /* from `calendars:`; owned */
    size_t nown_calendars;
    lic_party licensor, licensee;
    lic_regions *regions;       /* owned; custom `territories:` */
    lic_fieldtree *fields;      /* owned; never NULL after load */
    bool has_fields;            /* `fields:` was given */
    struct {
        const char *description;
        lic_patent *patents;
        size_t npatents;
        lic_reg_exclusivity *exclusivities;
        size_t nexclusivities;
        lic_strlist know_how;
    } technology;
    struct {
        bool last_patent_expiry;
        lic_date_v ends;        /* resolved to the latest patent expiry when
                                   last_patent_expiry and all are known */
        lic_pos pos;
    } term;
    lic_grant *grants;
    size_t ngrants;
    lic_milestone *milestones;
    size_t nmilestones;
    lic_payments payments;
    struct {
        lic_report_rule royalty_report, progress_report;
    } reporting;
    lic_licensor_obligation *licensor_obligations;
    size_t nlicensor_obligations;
    struct {
        bool present;
        lic_duration_v every;
        lic_dexpr from;
        lic_pos pos;
    } committee;
    struct {
        bool present;
        int lookback_years;
        lic_duration_v notice;
        struct {
            bool present;
            lic_rate_v threshold;
            bool inclusive;
            bool base_paid;     /* base: paid (else due) */
            enum { LIC_AUDIT_PERIOD, LIC_AUDIT_YEAR, LIC_AUDIT_ANY_12_MONTHS } window;
        } cost_shift;
    } audit;
    struct {
        lic_breach_class *classes;
        size_t nclasses;
        enum { LIC_CURE_FROM_RECEIVED, LIC_CURE_FROM_SENT, LIC_CURE_FROM_NOTICE_DATE } cure_from;
        lic_ladder *ladders;
        size_t nladders;
        lic_repeated *repeated;
        size_t nrepeated;
    } breach;
    struct { bool present; lic_duration_v max; } force_majeure;
    struct {
        lic_perf_rule *performance;
        size_t nperformance;
        struct { bool present; const char *grant; int grant_index; lic_date_v on; lic_pos pos; } sunset;
    } exclusivity;
    lic_option *options;
    size_t noptions;
    lic_renegotiation *renegotiation;
    size_t nrenegotiation;
    struct {
        struct {
            bool present;
            lic_party_role owner;
            lic_duration_v disclose;
            const char *grant_back;
        } licensee;
        struct { bool present; bool included; } licensor;
    } improvements;
    struct {
        bool present;
        lic_duration_v notice;
        bool may_terminate;
        bool immediately;       /* licensor_may_terminate: immediately */
        lic_duration_v within;
    } change_of_control;
    struct {
        struct {
            bool present;
            lic_party_role by;
            lic_duration_v notice;
            lic_dexpr not_before;
        } convenience;
        struct { bool present; int consecutive; lic_period_kind every; } no_sales;
        lic_rate_v post_termination_royalty;
        lic_duration_v sell_off;
        lic_wind_down *wind_down;
        size_t nwind_down;
    } termination;
    struct {
        bool present;
        lic_duration_v negotiation, mediation;
        const char *then;
    } disputes;
    lic_missing *missing;
    size_t nmissing;
    unsigned char sha256[32];   /* of the source text, for receipts */
    const void *tree;           /* the YAML tree, kept for amendments; internal */
    void *priv;                 /* the loader's arena; do not touch */
};

/* Loads the agreement in `path`.  Diagnostics (errors, and warnings from
 * the loader itself) are appended to `diags`.  On success (*out set) the
 * file had no errors; the caller frees it with lic_agreement_free.  On
 * failure returns LIC_EINVALID (errors in diags), LIC_EIO, LIC_ETOOBIG or
 * LIC_ENOMEM, and *out is NULL. */
lic_err lic_agreement_load(const char *path, lic_diags *diags,
                           lic_agreement **out) LIC_MUST_CHECK;

/* As lic_agreement_load, from memory; `name` is used in diagnostics. */
lic_err lic_agreement_load_mem(const char *name, const char *text, size_t len,
                               lic_diags *diags, lic_agreement **out) LIC_MUST_CHECK;

void lic_agreement_free(lic_agreement *a);

/* Lookups by id; NULL / -1 when absent. */
int lic_agreement_grant_index(const lic_agreement *a, const char *id);
int lic_agreement_milestone_index(const lic_agreement *a, const char *id);
const lic_breach_class *lic_agreement_breach_class(const lic_agreement *a, const char *name);
/* The redacted or unknown term written at pos, or NULL. */
const lic_missing *lic_agreement_missing_at(const lic_agreement *a, lic_pos pos);

/* The first day a grant is in force and its last day (inclusive), taking
 * the defaults (effective, term end).  LIC_DATE_NONE when indeterminate. */
lic_date lic_grant_first_day(const lic_agreement *a, const lic_grant *g);
lic_date lic_grant_last_day(const lic_agreement *a, const lic_grant *g);

/* Names for enums, as written in the format. */
const char *lic_exclusivity_name(lic_exclusivity e);
const char *lic_action_name(lic_action a);
const char *lic_ms_kind_name(lic_ms_kind k);
const char *lic_party_role_name(lic_party_role r);
const char *lic_verification_name(lic_verification v);
const char *lic_period_kind_name(lic_period_kind k); /* month, quarter, half, year */

/* Resolves a date expression whose anchor is the effective date or a fixed
 * date: LIC_OK and *out; LIC_EINDETERMINATE when a term it rests on is
 * redacted or unknown; LIC_ENOTFOUND when the anchor is an event
 * (milestone, first sale) whose date cannot be known from the file alone.
 * Milestone anchors are followed through their own due dates when
 * `assume_on_time` is true (the "if achieved on its deadline" reading
 * used by check and show). */
lic_err lic_dexpr_resolve(const lic_agreement *a, const lic_dexpr *e,
                          bool assume_on_time, lic_date *out) LIC_MUST_CHECK;

#endif
