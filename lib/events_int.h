/*
 * events_int.h - shared by the events loader's files (internal to lib/).
 *
 * The loader reuses the agreement loader's context and readers
 * (load_int.h) with `a` pointing at the agreement the events belong to.
 * Only readers that do not write to the agreement are used here (never
 * the *_v readers, which record missing terms in it); the cast that drops
 * const in events.c relies on that.
 */
#ifndef LIC_EVENTS_INT_H
#define LIC_EVENTS_INT_H

#include "licet/events.h"
#include "load_int.h"

/* Reads a required key with a reader that sees the value as v_, like
 * LD_REQ, but also makes `ok` false when the key is missing: a reader
 * must never go on with a value it did not get (a payment without a
 * currency, a patent_status without a patent). */
#define EV_REQ(c, map, key, ok, call)                      \
    do {                                                   \
        lic_ynode *v_ = ld_require((c), (map), (key));     \
        if (!v_) {                                         \
            (ok) = false;                                  \
        } else {                                           \
            size_t o_ = ld_push_key((c), (key));           \
            (ok) &= (call);                                \
            ld_pop((c), o_);                               \
        }                                                  \
    } while (0)

/* lic_events_load_mem for the events text of a store's ledger
 * (lic_store_events_text), which licet wrote itself and which grows with
 * the deal: JSON Lines are not capped at 16 MiB (a report row holds its
 * lines inline).  A user's events file or body keeps the cap. */
lic_err lic__events_load_ledger(const char *name, const char *text, size_t len, const lic_agreement *a,
                                lic_diags *diags, lic_events **out) LIC_MUST_CHECK;

/* Reads the type-specific keys of event map n into e; false on error. */
bool ev_read_fields(ld_ctx *c, const lic_ynode *n, lic_event *e);
/* The keys allowed for a type (besides date, type, recorded, id, note). */
const char *const *ev_keys(lic_event_type t);

/* Readers shared by the field readers. */
bool ev_amount(ld_ctx *c, const lic_ynode *n, int digits, lic_amount *out);
bool ev_rate(ld_ctx *c, const lic_ynode *n, lic_rate *out);
bool ev_currency(ld_ctx *c, const lic_ynode *n, const lic_currency **out);
bool ev_party(ld_ctx *c, const lic_ynode *n, lic_party_role *out);
bool ev_period(ld_ctx *c, const lic_ynode *n, lic_period *out);
/* Report lines (inline `lines:` or audit `findings:`); `period` is the
 * default period of each line. */
bool ev_lines(ld_ctx *c, const lic_ynode *n, const lic_period *period,
              lic_sale_line **out, size_t *nout);

/* ---- sales lines, shared with the CSV reader (events_lines.c) ---- */

/* The columns of a sales line (FORMAT 4), in the order of the format. */
#define LIC__SALE_COLS(X)                                  \
    X(LIC__COL_PERIOD, "period")                           \
    X(LIC__COL_DATE, "date")                               \
    X(LIC__COL_PRODUCT, "product")                         \
    X(LIC__COL_COUNTRY, "country")                         \
    X(LIC__COL_FIELD, "field")                             \
    X(LIC__COL_UNITS, "units")                             \
    X(LIC__COL_GROSS, "gross_sales")                       \
    X(LIC__COL_DEDUCTIONS, "deductions")                   \
    X(LIC__COL_CURRENCY, "currency")                       \
    X(LIC__COL_TPR, "third_party_royalties")               \
    X(LIC__COL_FX_RATE, "fx_rate") /* extension: the licensee's rate */

enum {
#define LIC__SALE_COL_ENUM(e, name) e,
    LIC__SALE_COLS(LIC__SALE_COL_ENUM)
#undef LIC__SALE_COL_ENUM
    LIC__SALE_NCOLS
};

/* The column names, NULL-terminated. */
extern const char *const lic__sale_cols[LIC__SALE_NCOLS + 1];

/* The agreement's only field (a leaf of a tree with one leaf), or -1. */
int lic__only_field(const lic_agreement *a);
#define LIC__ONLY_FIELD_UNKNOWN (-2) /* not computed yet */

/* What lic__sale_line_read keeps from one line to the next of a list or
 * file: the agreement's only field, and (when `remember`) for the period,
 * date, country, field and currency, the last few texts that read well
 * with what they read as, so that a repeated text is not parsed again. */
#define LIC__SALE_MEMO_SLOTS 8 /* per column; a power of two */
typedef union lic__sale_value {
    lic_period period;
    lic_date date;
    int country, field;
    const lic_currency *currency;
} lic__sale_value;

typedef struct lic__sale_memo {
    int only_field;                  /* LIC__ONLY_FIELD_UNKNOWN until needed */
    bool remember;
    struct {
        char text[32];
        unsigned char len;           /* 0: empty slot */
        lic__sale_value v;
    } slot[LIC__SALE_NCOLS][LIC__SALE_MEMO_SLOTS];
} lic__sale_memo;

void lic__sale_memo_init(lic__sale_memo *m, bool remember);

/* Checks one sales line and fills *l.  cells[k] is the value of column k
 * (a scalar node, positioned) or NULL when the line has none; errors are
 * reported under the column's name pushed on c's key path, and at `where`
 * (the line) for a missing column.  `period` is the default period, or
 * NULL when the period is required.  Without a field, the line takes the
 * agreement's only field.  `m` carries state from line to line
 * (lic__sale_memo_init it once per list or file).  Strings in *l point
 * into the nodes.  Returns false after reporting. */
bool lic__sale_line_read(ld_ctx *c, const lic_ynode *const cells[LIC__SALE_NCOLS],
                         const lic_ynode *where, const lic_period *period, lic__sale_memo *m,
                         lic_sale_line *l);

#endif
