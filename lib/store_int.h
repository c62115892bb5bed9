/*
 * store_int.h - what the portfolio store's front (store.c) and its
 * backends (store_sqlite.c, store_pg.c) share (internal).
 *
 * A backend is a versioned table of function pointers, in the manner of
 * SQLite's sqlite3_io_methods: store.c keeps everything that does not
 * depend on the database (the chain's hashing, verification, the events
 * text) and a backend only moves rows.  Every backend function returns a
 * lic_err and, on failure, writes its one-line message with
 * lic__store_fail().
 */
#ifndef LIC_STORE_INT_H
#define LIC_STORE_INT_H

#include "licet/store.h"

/* A user's row as the backends move it (tables users, sessions and
 * api_tokens, schema 2).  Strings live only during a callback. */
typedef struct lic__store_account {
    const char *name, *role, *party;
    const char *pwhash;    /* crypto_pwhash_str's text */
    int64_t created;
    bool disabled;
    const char *csrf;      /* session_get only; "" elsewhere */
} lic__store_account;

typedef struct lic__store_ops {
    int version;          /* 1 */
    const char *name;     /* "sqlite", "postgres" */
    /* Opens `target` (the URL without its scheme), migrating the schema. */
    lic_err (*open)(lic_store *s, const char *target, unsigned flags);
    void (*close)(lic_store *s);
    int (*schema_version)(lic_store *s);
    lic_err (*begin)(lic_store *s);   /* a write transaction, locked at once */
    lic_err (*commit)(lic_store *s);
    void (*rollback)(lic_store *s);
    /* The latest version of agreement `id` and its SHA-256 (hex):
     * *version 0 when there is none. */
    lic_err (*agreement_latest)(lic_store *s, const char *id, int *version, char sha[65]);
    lic_err (*agreement_insert)(lic_store *s, const char *id, int version, const char *text,
                                size_t len, const char *sha);
    lic_err (*agreement_get)(lic_store *s, const char *id, int version, char **text, size_t *len,
                             int *version_out);
    lic_err (*agreements)(lic_store *s, int (*cb)(void *, const lic_store_agreement_info *),
                          void *ctx);
    /* The last row's seq and hash (0 and 64 zeros on an empty ledger). */
    lic_err (*ledger_last)(lic_store *s, int64_t *seq, char hash[65]);
    lic_err (*ledger_insert)(lic_store *s, const lic_store_row *r);
    lic_err (*ledger)(lic_store *s, const lic_store_filter *f,
                      int (*cb)(void *, const lic_store_row *), void *ctx);

    /* ---- accounts (schema 2; auth.c is their only caller) ----
     * Each is one statement in its own (implicit) transaction, or in the
     * caller's.  Lookups call cb once per row found; none found is
     * LIC_OK without a call (the caller decides what that means). */
    /* Inserts a user; *added is false (and nothing changes) when the name
     * is taken. */
    lic_err (*user_insert)(lic_store *s, const lic__store_account *a, bool *added);
    /* Replaces a user's pwhash; *found is false when there is no such user. */
    lic_err (*user_set_pwhash)(lic_store *s, const char *name, const char *pwhash, bool *found);
    /* Sets a user's disabled flag and, when disabling, deletes its
     * sessions: both or neither (in the caller's transaction, else in one
     * of its own).  *found is false when there is no such user. */
    lic_err (*user_set_disabled)(lic_store *s, const char *name, bool disabled, bool *found);
    /* The user `name`, or every user by name (bytewise) when name is NULL. */
    lic_err (*users)(lic_store *s, const char *name, int (*cb)(void *, const lic__store_account *),
                     void *ctx);
    lic_err (*session_insert)(lic_store *s, const char *token_hash, const char *user, const char *csrf,
                              int64_t created, int64_t expires);
    /* Deletes the sessions with expires <= now. */
    lic_err (*session_purge)(lic_store *s, int64_t now);
    /* The session token_hash if it expires after now, with its user's
     * row (csrf filled), whether or not the user is disabled. */
    lic_err (*session_get)(lic_store *s, const char *token_hash, int64_t now,
                           int (*cb)(void *, const lic__store_account *), void *ctx);
    lic_err (*session_delete)(lic_store *s, const char *token_hash);
    lic_err (*token_insert)(lic_store *s, const char *token_hash, const char *user, const char *label,
                            int64_t created);
    /* The API token token_hash with its user's row. */
    lic_err (*token_get)(lic_store *s, const char *token_hash,
                         int (*cb)(void *, const lic__store_account *), void *ctx);
} lic__store_ops;

struct lic_store {
    const lic__store_ops *ops;
    void *be;             /* the backend's handle */
    bool in_tx;           /* a transaction begun by lic_store_begin */
    char msg[512];
};

extern const lic__store_ops lic__store_sqlite;
extern const lic__store_ops lic__store_pg;

/* Records the failure message (printf-like) and returns `rc`. */
lic_err lic__store_fail(lic_store *s, lic_err rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The payload inside a row's canonical content: a pointer into content
 * and its length; false when content does not have the canonical shape. */
bool lic__store_payload(const char *content, const char **p, size_t *n);

/* The canonical JSON of a royalty report event (what
 * lic_store_canon_report gives) in two parts, the text before its lines
 * array and the text after, so that the lines, already canonical, are
 * not parsed and dumped again.  Both are lic__free'd by the caller. */
lic_err lic__store_report_frame(const char *id, lic_date date, lic_period period, char **head,
                                char **tail);

struct lic__buf;

/* A row's canonical content in pieces, for building it around a payload
 * that is already in memory: the text before the payload (malloc'd, its
 * length in *len; NULL when out of memory) and after it (into out,
 * NUL-terminated; its length). */
char *lic__store_row_prefix(const char *agreement, const char *kind, const char *ident, const char *digest,
                            size_t *len);
#define LIC__STORE_SUFFIX_MAX 32
size_t lic__store_row_suffix(int64_t seq, char out[LIC__STORE_SUFFIX_MAX]);

/* lic_store_append_parts for a payload of head, then the text at
 * buf->v[off..buf->n), then tail, when buf has room before off: the
 * row's content is written around the middle in place (head and the row
 * keys before it, tail and seq after it; buf may grow), so a large
 * report's lines are not copied into a second buffer.  Without room
 * (off too small) it copies, as lic_store_append_parts. */
#define LIC__STORE_ROOM 4096
lic_err lic__store_append_around(lic_store *s, const char *agreement, const char *kind, const char *ident,
                                 const char *digest, const char *head, struct lic__buf *buf, size_t off,
                                 const char *tail, int64_t *seq) LIC_MUST_CHECK;

/* Appends line l's canonical JSON (one element of lic_store_canon_lines'
 * array, without the comma) to b; b->oom says when memory ran out. */
void lic__store_canon_line(struct lic__buf *b, const lic_agreement *a, const lic_sale_line *l);

#endif
