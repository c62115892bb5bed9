/*
 * store.h - the portfolio store: agreements with their versions and an
 * append-only, tamper-evident ledger of events and sales reports.
 *
 * A store is opened by URL: "sqlite:PATH" or a bare PATH (SQLite), or
 * "postgresql://..." / "postgres://..." (PostgreSQL, a libpq connection
 * URI; the database must exist, LIC_STORE_CREATE creates the schema in
 * it).  Both backends keep the same schema and chain.  The engine never
 * sees SQL: callers hand the store agreement texts and canonical JSON
 * and get them back.
 *
 * The ledger.  Every row has a sequence number (seq, from 1, no gaps), an
 * agreement id, a kind ("event" or "report"), an ident (the event's id,
 * or "@DATE TYPE" for an event written without one; a report's period), a digest (SHA-256 of what identifies the row's
 * payload, for idempotent imports) and a payload: the event as canonical
 * JSON (lic_store_canon_event).  Its canonical content is
 *
 *   {"agreement":A,"digest":D,"ident":I,"kind":K,"payload":P,"seq":N}
 *
 * (keys sorted, no spaces, P verbatim) and its hash is
 * SHA-256(prev_hash || content), prev_hash being the previous row's hash
 * (32 zero bytes for row 1); hashes are stored as lowercase hex.
 * lic_store_verify() recomputes all of it.  The database itself refuses
 * UPDATE and DELETE on ledger rows (triggers).
 *
 * Accounts.  Schema 2 adds the users of `licet serve`, their sessions
 * and API tokens (tables users, sessions, api_tokens); they are used
 * through licet/auth.h, not through this header.
 *
 * Errors: every fallible call returns a lic_err (LIC_EBUSY when the
 * database stays locked, LIC_ECORRUPT for a store that is not a licet
 * store or a chain that does not verify, LIC_ENOTFOUND, LIC_EIO for other
 * database failures) and leaves a one-line message, the backend's words
 * included, in lic_store_errmsg().
 *
 * Strings returned through out-parameters are malloc'd: free() them.
 * Strings inside callback structs live only during the callback.
 */
#ifndef LICET_STORE_H
#define LICET_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "licet/agreement.h"
#include "licet/error.h"
#include "licet/events.h"

#define LIC_STORE_SCHEMA_VERSION 2

enum { LIC_STORE_CREATE = 1 }; /* lic_store_open: create the database if missing */

typedef struct lic_store lic_store;

/* Opens (and migrates to LIC_STORE_SCHEMA_VERSION) the store at `url`.
 * Without LIC_STORE_CREATE a missing database is LIC_ENOTFOUND.  On
 * failure *out is NULL and a one-line reason is written to err (errlen
 * bytes, may be 0). */
lic_err lic_store_open(const char *url, unsigned flags, char *err, size_t errlen,
                       lic_store **out) LIC_MUST_CHECK;
/* Closes the store, rolling back an open transaction; NULL is fine. */
void lic_store_close(lic_store *s);
/* The message of the last failure; "" when there was none. */
const char *lic_store_errmsg(const lic_store *s);
/* The schema version the database is at (after open: the current one). */
int lic_store_schema_version(lic_store *s);

/* One write transaction.  Appends and agreement versions made inside it
 * are all kept by _commit or all dropped by _rollback (or by a crash). */
lic_err lic_store_begin(lic_store *s) LIC_MUST_CHECK;
lic_err lic_store_commit(lic_store *s) LIC_MUST_CHECK;
void lic_store_rollback(lic_store *s);

/* Stores `len` bytes of agreement text as the next version of agreement
 * `id`, unless it is byte-identical to the latest version: then nothing
 * is stored and *unchanged is true.  *version is the version now latest. */
lic_err lic_store_agreement_add(lic_store *s, const char *id, const char *text, size_t len,
                                int *version, bool *unchanged) LIC_MUST_CHECK;
/* The text of version `version` (0: the latest) of agreement `id`;
 * *text is malloc'd and NUL-terminated; *version_out may be NULL. */
lic_err lic_store_agreement_get(lic_store *s, const char *id, int version, char **text,
                                size_t *len, int *version_out) LIC_MUST_CHECK;

/* The latest version of agreement `id` and the SHA-256 (hex) of its text,
 * without the text: LIC_ENOTFOUND when there is none. */
lic_err lic_store_agreement_head(lic_store *s, const char *id, int *version,
                                 char sha[65]) LIC_MUST_CHECK;
/* The ledger's last row number (0 when empty): it grows with every append,
 * so it tells whether anything was recorded since it was last read. */
lic_err lic_store_head(lic_store *s, int64_t *seq) LIC_MUST_CHECK;

typedef struct lic_store_agreement_info {
    const char *id;
    int versions;
    const char *sha256;    /* hex, of the latest version's text */
    int64_t events, reports; /* ledger rows of each kind */
} lic_store_agreement_info;

/* Calls cb for every agreement, by id; a non-zero return from cb stops
 * the walk and is returned (as a lic_err). */
lic_err lic_store_agreements(lic_store *s, int (*cb)(void *ctx, const lic_store_agreement_info *),
                             void *ctx) LIC_MUST_CHECK;

typedef struct lic_store_row {
    int64_t seq;
    const char *agreement, *kind, *ident, *digest;
    const char *payload;   /* canonical JSON of the event */
    const char *content;   /* the canonical content that is hashed */
    const char *prev_hash, *hash; /* hex */
} lic_store_row;

/* Which rows lic_store_ledger() visits: NULL members match anything;
 * ident counts only when agreement and kind are given too. */
typedef struct lic_store_filter {
    const char *agreement, *kind, *ident;
} lic_store_filter;

/* Appends a row (inside a transaction, or as one of its own).  `payload`
 * must be canonical JSON; `digest` is what identifies it (hex).  *seq
 * receives the row's number (may be NULL). */
lic_err lic_store_append(lic_store *s, const char *agreement, const char *kind, const char *ident,
                         const char *digest, const char *payload, int64_t *seq) LIC_MUST_CHECK;
/* The same with the payload given in parts (lic_store_row_content_parts):
 * a report's frame around its lines, never joined in memory. */
lic_err lic_store_append_parts(lic_store *s, const char *agreement, const char *kind, const char *ident,
                               const char *digest, const char *const *parts, size_t nparts,
                               int64_t *seq) LIC_MUST_CHECK;
/* Calls cb for every matching ledger row in seq order; a non-zero return
 * stops the walk and is returned. */
lic_err lic_store_ledger(lic_store *s, const lic_store_filter *f,
                         int (*cb)(void *ctx, const lic_store_row *), void *ctx) LIC_MUST_CHECK;

/* Re-walks the whole chain.  LIC_OK with *nrows; LIC_ECORRUPT with
 * *bad_seq the first row that does not match and why[] saying how. */
lic_err lic_store_verify(lic_store *s, int64_t *nrows, int64_t *bad_seq, char *why,
                         size_t whylen) LIC_MUST_CHECK;

/* The events of agreement `id` as JSON Lines for lic_events_load_mem():
 * every event row (kind "event") in ledger order, and of the report rows only the
 * latest revision for each period (earlier revisions stay in the ledger
 * but would otherwise add up).  *text is malloc'd. */
lic_err lic_store_events_text(lic_store *s, const char *id, char **text,
                              size_t *len) LIC_MUST_CHECK;

/* ---- canonical content (store_canon.c; pure functions) ---- */

/* The canonical content of a row (see the top of this file); malloc'd,
 * NULL when out of memory. */
char *lic_store_row_content(const char *agreement, const char *kind, const char *ident,
                            const char *digest, const char *payload, int64_t seq);
/* The same with the payload given as the concatenation of nparts (at
 * most 8) texts, so that a large payload is copied once, into the row;
 * *len (may be NULL) receives the content's length. */
char *lic_store_row_content_parts(const char *agreement, const char *kind, const char *ident,
                                  const char *digest, const char *const *parts, size_t nparts,
                                  int64_t seq, size_t *len);
/* hash = SHA-256(prev || content), all three as 64 lowercase hex digits
 * (hash_hex has room for 65 bytes).  LIC_EINVAL when prev is not hex. */
lic_err lic_store_row_hash(const char *prev_hex, const char *content, size_t len,
                           char hash_hex[65]) LIC_MUST_CHECK;
/* The payload inside a row's canonical content (a pointer into it and
 * its length); false when content does not have the canonical shape. */
bool lic_store_row_payload(const char *content, const char **p, size_t *n);
/* SHA-256 of len bytes as hex. */
void lic_store_sha256_hex(const void *data, size_t len, char hex[65]);

/* The canonical JSON of every accepted event of `ev`, loaded from the
 * file `path` against `a`: the event as written (keys sorted, scalars as
 * strings except true, false and null; an id only when one was written),
 * and a report's `file:` replaced by its lines inline.  *out is an array of
 * ev->n malloc'd strings; free it with lic_store_strings_free(). */
lic_err lic_store_canon_events(const char *path, const lic_agreement *a, const lic_events *ev,
                               char ***out) LIC_MUST_CHECK;
/* The same on the `len` bytes of text the events were loaded from. */
lic_err lic_store_canon_events_mem(const char *text, size_t len, const lic_agreement *a,
                                   const lic_events *ev, char ***out) LIC_MUST_CHECK;
void lic_store_strings_free(char **v, size_t n);
/* Sales lines as the canonical JSON array of inline `lines:` (FORMAT 4
 * keys: country, currency, date, deductions, field, gross_sales, period,
 * product, third_party_royalties, units); malloc'd. */
lic_err lic_store_canon_lines(const lic_agreement *a, const lic_sale_line *v, size_t n,
                              char **out) LIC_MUST_CHECK;
/* A royalty report event for `period` received on `date`, with the lines
 * given as their canonical JSON array (lic_store_canon_lines). */
lic_err lic_store_canon_report(const char *id, lic_date date, lic_period period,
                               const char *lines_json, char **out) LIC_MUST_CHECK;

#endif
