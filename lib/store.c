/*
 * store.c - the portfolio store's front: opening by URL, transactions,
 * agreement versions, appending to the ledger's hash chain, verifying it,
 * and the events text the engine reads back.  Everything here is the same
 * for every backend; the backends (store_int.h) only move rows.
 *
 * NOTES ON THE DESIGN
 * - An append reads the last row's hash and writes the next row in one
 *   write transaction that locks the database from its start (SQLite's
 *   BEGIN IMMEDIATE; PostgreSQL's LOCK TABLE ledger IN EXCLUSIVE MODE), so
 *   two writers can never chain onto the same row.
 * - Verification recomputes each row's canonical content from its
 *   columns, so a change to any column, not only to the hashed text,
 *   breaks the chain at that row.
 */
#include "store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

lic_err lic__store_fail(lic_store *s, lic_err rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    return rc;
}

/* "sqlite:PATH" or a bare path: SQLite.  "postgresql://" and
 * "postgres://": PostgreSQL, handed the whole URL (libpq parses it). */
static const lic__store_ops *pick_backend(const char *url, const char **target)
{
    if (!strncmp(url, "sqlite:", 7)) {
        *target = url + 7;
        return &lic__store_sqlite;
    }
    if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11)) {
        *target = url;
        return &lic__store_pg;
    }
    *target = url;
    return &lic__store_sqlite;
}

lic_err lic_store_open(const char *url, unsigned flags, char *err, size_t errlen, lic_store **out)
{
    *out = NULL;
    const char *target = NULL;
    const lic__store_ops *ops = pick_backend(url, &target);
    lic_store *s = lic__calloc(1, sizeof *s);
    if (!s) {
        if (errlen)
            snprintf(err, errlen, "%s", lic_strerror(LIC_ENOMEM));
        return LIC_ENOMEM;
    }
    s->ops = ops;
    lic_err rc = ops->open(s, target, flags);
    if (rc) {
        if (errlen)
            snprintf(err, errlen, "%s", s->msg);
        ops->close(s);
        lic__free(s);
        return rc;
    }
    *out = s;
    return LIC_OK;
}

void lic_store_close(lic_store *s)
{
    if (!s)
        return;
    if (s->in_tx)
        s->ops->rollback(s);
    s->ops->close(s);
    lic__free(s);
}

const char *lic_store_errmsg(const lic_store *s)
{
    return s ? s->msg : "";
}

int lic_store_schema_version(lic_store *s)
{
    return s->ops->schema_version(s);
}

lic_err lic_store_begin(lic_store *s)
{
    if (s->in_tx)
        return lic__store_fail(s, LIC_EINVAL, "a transaction is already open");
    lic_err rc = s->ops->begin(s);
    s->in_tx = rc == LIC_OK;
    return rc;
}

lic_err lic_store_commit(lic_store *s)
{
    if (!s->in_tx)
        return lic__store_fail(s, LIC_EINVAL, "no transaction is open");
    lic_err rc = s->ops->commit(s);
    if (rc)
        s->ops->rollback(s);
    s->in_tx = false;
    return rc;
}

void lic_store_rollback(lic_store *s)
{
    if (s->in_tx)
        s->ops->rollback(s);
    s->in_tx = false;
}

static lic_err agreement_add_tx(lic_store *s, const char *id, const char *text, size_t len,
                                int *version, bool *unchanged)
{
    char sha[65], latest[65] = "";
    lic_store_sha256_hex(text, len, sha);
    int v = 0;
    lic_err rc = s->ops->agreement_latest(s, id, &v, latest);
    if (rc)
        return rc;
    *unchanged = v > 0 && !strcmp(sha, latest);
    *version = *unchanged ? v : v + 1;
    return *unchanged ? LIC_OK : s->ops->agreement_insert(s, id, v + 1, text, len, sha);
}

lic_err lic_store_agreement_add(lic_store *s, const char *id, const char *text, size_t len,
                                int *version, bool *unchanged)
{
    bool own = !s->in_tx; /* a transaction of its own unless in the caller's */
    lic_err rc = own ? lic_store_begin(s) : LIC_OK;
    if (!rc)
        rc = agreement_add_tx(s, id, text, len, version, unchanged);
    if (own && !rc)
        rc = lic_store_commit(s);
    else if (own)
        lic_store_rollback(s);
    return rc;
}

lic_err lic_store_agreement_get(lic_store *s, const char *id, int version, char **text,
                                size_t *len, int *version_out)
{
    int v;
    lic_err rc = s->ops->agreement_get(s, id, version, text, len, &v);
    if (!rc && version_out)
        *version_out = v;
    return rc;
}

lic_err lic_store_agreement_head(lic_store *s, const char *id, int *version, char sha[65])
{
    *version = 0;
    sha[0] = '\0';
    lic_err rc = s->ops->agreement_latest(s, id, version, sha);
    if (!rc && !*version)
        rc = lic__store_fail(s, LIC_ENOTFOUND, "no agreement %s in the store", id);
    return rc;
}

lic_err lic_store_head(lic_store *s, int64_t *seq)
{
    char hash[65];
    return s->ops->ledger_last(s, seq, hash);
}

lic_err lic_store_agreements(lic_store *s, int (*cb)(void *ctx, const lic_store_agreement_info *),
                             void *ctx)
{
    return s->ops->agreements(s, cb, ctx);
}

/* Where a row's payload comes from: parts to copy, or (buf set) head,
 * the text at buf->v[off..buf->n) and tail, to build around in place. */
typedef struct row_src {
    const char *const *parts;
    size_t nparts;
    const char *head, *tail;
    lic__buf *buf;
    size_t off;
} row_src;

/* The content built around the payload in src->buf (see
 * lic__store_append_around): *content points into the buffer; NULL when
 * there is no room before the payload or memory ran out (*oom). */
static const char *build_around(const lic_store_row *r, const row_src *src, size_t *len, bool *oom)
{
    size_t plen, hlen = strlen(src->head);
    char *prefix = lic__store_row_prefix(r->agreement, r->kind, r->ident, r->digest, &plen);
    *oom = !prefix;
    if (!prefix || plen + hlen > src->off) {
        lic__free(prefix);
        return NULL;
    }
    char suffix[LIC__STORE_SUFFIX_MAX];
    size_t slen = lic__store_row_suffix(r->seq, suffix);
    lic__buf_put(src->buf, src->tail, strlen(src->tail));
    lic__buf_put(src->buf, suffix, slen);
    char *start = src->buf->oom ? NULL : src->buf->v + src->off - hlen - plen;
    if (start) {
        memcpy(start, prefix, plen);
        memcpy(start + plen, src->head, hlen);
        *len = (size_t)(src->buf->v + src->buf->n - start);
    }
    *oom = !start;
    lic__free(prefix);
    return start;
}

static lic_err append_tx(lic_store *s, lic_store_row *r, const row_src *src)
{
    char prev[65];
    lic_err rc = s->ops->ledger_last(s, &r->seq, prev);
    if (rc)
        return rc;
    r->seq++;
    size_t len = 0, mid_end = src->buf ? src->buf->n : 0;
    bool oom = false;
    const char *content = src->buf ? build_around(r, src, &len, &oom) : NULL;
    char *copy = NULL;
    if (!content && !oom) {
        const char *parts[] = {src->head, src->buf ? src->buf->v + src->off : "", src->tail};
        copy = src->buf ? lic_store_row_content_parts(r->agreement, r->kind, r->ident, r->digest, parts, 3,
                                                      r->seq, &len)
                        : lic_store_row_content_parts(r->agreement, r->kind, r->ident, r->digest, src->parts,
                                                      src->nparts, r->seq, &len);
        content = copy;
    }
    if (!content)
        return lic__store_fail(s, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
    char hash[65];
    rc = lic_store_row_hash(prev, content, len, hash);
    r->content = content;
    r->prev_hash = prev;
    r->hash = hash;
    if (!rc)
        rc = s->ops->ledger_insert(s, r);
    r->content = r->prev_hash = r->hash = NULL;
    lic__free(copy);
    if (src->buf && !src->buf->oom) { /* the buffer holds the payload's middle again */
        src->buf->n = mid_end;
        src->buf->v[mid_end] = '\0';
    }
    return rc;
}

lic_err lic_store_append(lic_store *s, const char *agreement, const char *kind, const char *ident,
                         const char *digest, const char *payload, int64_t *seq)
{
    return lic_store_append_parts(s, agreement, kind, ident, digest, &payload, 1, seq);
}

static lic_err append_row(lic_store *s, lic_store_row r, const row_src *src, int64_t *seq)
{
    int64_t dummy;
    if (!seq)
        seq = &dummy;
    bool own = !s->in_tx;
    lic_err rc = own ? lic_store_begin(s) : LIC_OK;
    if (!rc)
        rc = append_tx(s, &r, src);
    if (own && !rc)
        rc = lic_store_commit(s);
    else if (own)
        lic_store_rollback(s);
    *seq = rc ? 0 : r.seq;
    return rc;
}

lic_err lic_store_append_parts(lic_store *s, const char *agreement, const char *kind, const char *ident,
                               const char *digest, const char *const *parts, size_t nparts, int64_t *seq)
{
    lic_store_row r = {.agreement = agreement, .kind = kind, .ident = ident, .digest = digest};
    row_src src = {.parts = parts, .nparts = nparts};
    return append_row(s, r, &src, seq);
}

lic_err lic__store_append_around(lic_store *s, const char *agreement, const char *kind, const char *ident,
                                 const char *digest, const char *head, lic__buf *buf, size_t off,
                                 const char *tail, int64_t *seq)
{
    lic_store_row r = {.agreement = agreement, .kind = kind, .ident = ident, .digest = digest};
    row_src src = {.head = head, .tail = tail, .buf = buf, .off = off};
    return append_row(s, r, &src, seq);
}

lic_err lic_store_ledger(lic_store *s, const lic_store_filter *f,
                         int (*cb)(void *ctx, const lic_store_row *), void *ctx)
{
    static const lic_store_filter all;
    return s->ops->ledger(s, f ? f : &all, cb, ctx);
}

/* ---- verification ---- */

typedef struct walk {
    int64_t n, bad;
    char prev[65];
    char *why;
    size_t whylen;
} walk;

/* Why row r does not match, or NULL. */
static const char *row_problem(walk *w, const lic_store_row *r, char *hash)
{
    if (r->seq != w->n + 1)
        return "a row is missing before it (seq out of order)";
    if (strcmp(r->prev_hash, w->prev))
        return "prev_hash is not the previous row's hash";
    const char *p;
    size_t n;
    if (!lic__store_payload(r->content, &p, &n))
        return "its content is not canonical";
    char *payload = lic__strndup(p, n);
    char *again = payload ? lic_store_row_content(r->agreement, r->kind, r->ident, r->digest, payload, r->seq)
                          : NULL;
    bool same = again && !strcmp(again, r->content);
    lic__free(payload);
    lic__free(again);
    if (!same)
        return "its columns do not match its content";
    if (lic_store_row_hash(r->prev_hash, r->content, strlen(r->content), hash))
        return "prev_hash is not a SHA-256";
    if (strcmp(hash, r->hash))
        return "hash is not SHA-256(prev_hash || content)";
    return NULL;
}

static int verify_row(void *ctx, const lic_store_row *r)
{
    walk *w = ctx;
    char hash[65];
    const char *why = row_problem(w, r, hash);
    if (why) {
        w->bad = r->seq;
        snprintf(w->why, w->whylen, "%s", why);
        return LIC_ECORRUPT;
    }
    w->n = r->seq;
    memcpy(w->prev, r->hash, sizeof w->prev);
    return 0;
}

lic_err lic_store_verify(lic_store *s, int64_t *nrows, int64_t *bad_seq, char *why, size_t whylen)
{
    walk w = {.why = why, .whylen = whylen};
    memcpy(w.prev, zero_hash, sizeof w.prev);
    if (whylen)
        why[0] = '\0';
    lic_err rc = lic_store_ledger(s, NULL, verify_row, &w);
    *nrows = w.n;
    *bad_seq = w.bad;
    return rc;
}

/* ---- the events text ---- */

typedef struct latest_report {
    char *ident;
    int64_t seq;
} latest_report;

typedef struct gather {
    lic__buf text;
    latest_report *reports; /* the latest row of every period */
    size_t nreports;
    bool second_pass;
} gather;

static latest_report *find_report(gather *g, const char *ident)
{
    for (size_t i = 0; i < g->nreports; i++)
        if (!strcmp(g->reports[i].ident, ident))
            return &g->reports[i];
    return NULL;
}

/* Pass 1 finds each period's latest report row; pass 2 writes the text. */
static int gather_row(void *ctx, const lic_store_row *r)
{
    gather *g = ctx;
    bool report = !strcmp(r->kind, "report");
    if (!report && strcmp(r->kind, "event"))
        return 0; /* reviews and other records are not events */
    latest_report *lr = report ? find_report(g, r->ident) : NULL;
    if (!g->second_pass) {
        if (lr || !report) {
            if (lr)
                lr->seq = r->seq;
            return 0;
        }
        latest_report *v = lic__realloc(g->reports, (g->nreports + 1) * sizeof *v);
        if (!v)
            return LIC_ENOMEM;
        g->reports = v;
        v[g->nreports] = (latest_report){lic__strdup(r->ident), r->seq};
        return v[g->nreports++].ident ? 0 : LIC_ENOMEM;
    }
    if (lr && lr->seq != r->seq)
        return 0;
    const char *p;
    size_t n;
    if (!lic__store_payload(r->content, &p, &n))
        return LIC_ECORRUPT;
    lic__buf_put(&g->text, p, n);
    lic__buf_put(&g->text, "\n", 1);
    return g->text.oom ? LIC_ENOMEM : 0;
}

lic_err lic_store_events_text(lic_store *s, const char *id, char **text, size_t *len)
{
    gather g = {0};
    lic_store_filter f = {.agreement = id};
    lic_err rc = lic_store_ledger(s, &f, gather_row, &g);
    g.second_pass = true;
    if (!rc)
        rc = lic_store_ledger(s, &f, gather_row, &g);
    for (size_t i = 0; i < g.nreports; i++)
        lic__free(g.reports[i].ident);
    lic__free(g.reports);
    if (!rc && !g.text.v)
        lic__buf_put(&g.text, "", 0);
    if (rc || g.text.oom) {
        lic__free(g.text.v);
        return rc ? rc : LIC_ENOMEM;
    }
    *text = g.text.v;
    *len = g.text.n;
    return LIC_OK;
}
