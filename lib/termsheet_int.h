/*
 * termsheet_int.h - the term sheet's document model and phrase helpers
 * (internal to lib/).
 *
 * The renderer builds a small document - headings, paragraphs, bullet
 * lists of "label: text" items and tables - and two emitters write it as
 * Markdown or HTML, so no section is written twice.
 *
 * NOTES ON THE DESIGN
 * - Every string of a document lives in the document's arena and is freed
 *   with it by lic__ts_fini; section code never frees anything.
 * - Errors are sticky: the first failure (LIC_ENOMEM, LIC_ETOOBIG) is kept
 *   in `err`, later calls do nothing and phrase helpers return "".  The
 *   section builders stay flat and the renderer checks once at the end.
 * - Text in the model is plain text; the emitters escape it for their
 *   format, so no section knows about Markdown or HTML.
 */
#ifndef LIC_TERMSHEET_INT_H
#define LIC_TERMSHEET_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "alloc.h"
#include "licet/agreement.h"
#include "licet/termsheet.h"

#define LIC__TS_MAX_COLS 8

typedef enum { LIC__TS_HEADING, LIC__TS_PARA, LIC__TS_LIST, LIC__TS_TABLE } lic__ts_kind;

typedef struct lic__ts_itemnode {
    const char *label; /* NULL: the item is text alone */
    const char *text;
    struct lic__ts_itemnode *next;
} lic__ts_itemnode;

typedef struct lic__ts_rownode {
    const char *cells[LIC__TS_MAX_COLS];
    struct lic__ts_rownode *next;
} lic__ts_rownode;

typedef struct lic__ts_block {
    lic__ts_kind kind;
    int level;                         /* headings: 1..4 */
    const char *text;                  /* headings and paragraphs */
    lic__ts_itemnode *items, *last_item;   /* lists */
    int ncols;                         /* tables */
    const char *head[LIC__TS_MAX_COLS];
    lic__ts_rownode *rows, *last_row;
    struct lic__ts_block *next;
} lic__ts_block;

typedef struct lic__ts {
    const lic_agreement *a;  /* the agreement being shown (currency, names) */
    lic_arena arena;
    lic__ts_block *first, *last;
    lic_err err;             /* sticky first failure */
} lic__ts;

/* A growable text buffer that refuses to pass `max` bytes (LIC_ETOOBIG).
 * Errors are sticky in `err`; p is NUL-terminated whenever len > 0. */
typedef struct lic__tsbuf {
    char *p;
    size_t len, cap, max;
    lic_err err;
} lic__tsbuf;

void lic__tsbuf_init(lic__tsbuf *b, size_t max);
void lic__tsbuf_fini(lic__tsbuf *b);
void lic__tsbuf_addn(lic__tsbuf *b, const char *s, size_t n);
void lic__tsbuf_add(lic__tsbuf *b, const char *s);
void lic__tsbuf_addf(lic__tsbuf *b, const char *fmt, ...) LIC_PRINTF(2, 3);

/* The document. */
void lic__ts_init(lic__ts *d, const lic_agreement *a);
void lic__ts_fini(lic__ts *d);
/* printf into the arena; "" after an error. */
const char *lic__ts_fmt(lic__ts *d, const char *fmt, ...) LIC_PRINTF(2, 3);
/* n bytes of arena memory, or NULL after an error. */
char *lic__ts_buf(lic__ts *d, size_t n);
/* Copies b's text into the arena and finis b; b's error becomes d's. */
const char *lic__ts_take(lic__ts *d, lic__tsbuf *b);
void lic__ts_heading(lic__ts *d, int level, const char *text);
void lic__ts_para(lic__ts *d, const char *text);
/* Starts a new bullet list even if the last block is one. */
void lic__ts_list(lic__ts *d);
/* Appends to the last block when it is a list, else to a new list. */
void lic__ts_item(lic__ts *d, const char *label, const char *text);
void lic__ts_table(lic__ts *d, int ncols, const char *const *head);
/* Appends a row of the last table's width; NULL cells are written "". */
void lic__ts_row(lic__ts *d, const char *const *cells);
/* Writes the document; *out is lic__malloc'ed, NULL on failure. */
lic_err lic__ts_emit(const lic__ts *d, bool html, char **out, size_t *len);

/* Phrases (termsheet_text.c).  Each returns an arena string, never NULL. */
const char *lic__ts_money(lic__ts *d, lic_amount v);         /* "USD 1,234.56" */
const char *lic__ts_money_v(lic__ts *d, const lic_amount_v *v);
const char *lic__ts_count_v(lic__ts *d, const lic_amount_v *v); /* "1,000,000" */
const char *lic__ts_rate(lic__ts *d, lic_rate r);            /* "4.5%" */
const char *lic__ts_rate_v(lic__ts *d, const lic_rate_v *v);
const char *lic__ts_dur(lic__ts *d, const lic_duration *dur); /* "18 months" */
const char *lic__ts_dur_v(lic__ts *d, const lic_duration_v *v);
/* "90 days'", "1 month's": a duration before the word "notice". */
const char *lic__ts_notice(lic__ts *d, const lic_duration_v *v);
const char *lic__ts_date(lic__ts *d, lic_date day);          /* "2026-07-15" */
const char *lic__ts_date_v(lic__ts *d, const lic_date_v *v);
const char *lic__ts_month_day(lic__ts *d, int month, int day); /* "28 February" */
const char *lic__ts_state(lic_vstate st);                    /* "redacted" ... */
/* "18 months after the effective date": the expression as written. */
const char *lic__ts_dexpr_desc(lic__ts *d, const lic_dexpr *e);
/* The expression with its date worked out where possible:
 * "2026-07-15: 18 months after the effective date",
 * "2027-01-15 if M1 is achieved on its deadline: 6 months after M1",
 * "12 months after the first commercial sale (date not yet known)",
 * "date redacted". */
const char *lic__ts_dexpr_when(lic__ts *d, const lic_dexpr *e);
/* A format name made English: "non_exclusive" -> "non-exclusive". */
const char *lic__ts_word(lic__ts *d, const char *name);
/* "the licensee", "both parties jointly", "either party". */
const char *lic__ts_party(lic_party_role r);
const char *lic__ts_join(lic__ts *d, const lic_strlist *l, const char *sep);
const char *lic__ts_ordinal(lic__ts *d, long n);             /* "2nd" */
const char *lic__ts_fields(lic__ts *d, const lic_scope *s);
const char *lic__ts_territories(lic__ts *d, const lic_scope *s);
/* "G1 in EU, GB" / "every grant": a remedy's grant and part of it. */
const char *lic__ts_grant_part(lic__ts *d, const char *grant, const lic_scope *part);
/* "royalty increase of 1% (automatic)". */
const char *lic__ts_remedy(lic__ts *d, const lic_remedy *r);

/* Sections (termsheet_deal.c, termsheet_pay.c, termsheet_terms.c), in
 * the order they appear.  Each adds nothing when its part is absent. */
void lic__ts_header(lic__ts *d);
void lic__ts_parties(lic__ts *d);
void lic__ts_technology(lic__ts *d);
void lic__ts_term(lic__ts *d);
void lic__ts_grants(lic__ts *d);
void lic__ts_milestones(lic__ts *d);
void lic__ts_payments(lic__ts *d);
void lic__ts_reporting(lic__ts *d);
void lic__ts_licensor_obligations(lic__ts *d);
void lic__ts_governance(lic__ts *d);
void lic__ts_audit(lic__ts *d);
void lic__ts_breach(lic__ts *d);
void lic__ts_force_majeure(lic__ts *d);
void lic__ts_exclusivity(lic__ts *d);
void lic__ts_options(lic__ts *d);
void lic__ts_renegotiation(lic__ts *d);
void lic__ts_improvements(lic__ts *d);
void lic__ts_change_of_control(lic__ts *d);
void lic__ts_termination(lic__ts *d);
void lic__ts_disputes(lic__ts *d);
void lic__ts_missing(lic__ts *d);

#endif
