/*
 * store_sqlite.c - the SQLite backend of the portfolio store (libsqlite3).
 *
 * The database runs in WAL mode (readers never block the one writer)
 * with a busy timeout, so several licet processes can share a file.
 * Every statement is prepared once at open and bound, never built from
 * strings.  The schema is created by numbered migrations recorded in
 * schema_version; the ledger and the agreement versions are guarded by
 * triggers that refuse UPDATE and DELETE, so the database itself keeps
 * them append-only.  The account tables of schema 2 (users, sessions,
 * api_tokens; auth.c) are ordinary tables: their rows change and go.
 */
#include "store_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"

#define BUSY_TIMEOUT_MS 10000

/* Migration N brings the schema from version N-1 to N; append only. */
static const char *const migrations[] = {
    /* 1: agreements with versions, the ledger, their guards. */
    "CREATE TABLE agreement_versions ("
    "  agreement_id TEXT NOT NULL, version INTEGER NOT NULL, text TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL, PRIMARY KEY (agreement_id, version));"
    "CREATE TABLE ledger ("
    "  seq INTEGER PRIMARY KEY, agreement_id TEXT NOT NULL, kind TEXT NOT NULL,"
    "  ident TEXT NOT NULL, digest TEXT NOT NULL, content TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX ledger_by_ident ON ledger (agreement_id, kind, ident);"
    "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger"
    "  BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;"
    "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger"
    "  BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only'); END;"
    "CREATE TRIGGER versions_no_update BEFORE UPDATE ON agreement_versions"
    "  BEGIN SELECT RAISE(ABORT, 'agreement versions are kept as stored'); END;"
    "CREATE TRIGGER versions_no_delete BEFORE DELETE ON agreement_versions"
    "  BEGIN SELECT RAISE(ABORT, 'agreement versions are kept as stored'); END;",
    /* 2: accounts for `licet serve`: users, their sessions and API tokens
     * (secrets stored as SHA-256 only; passwords as argon2id strings). */
    "CREATE TABLE users ("
    "  name TEXT NOT NULL PRIMARY KEY, role TEXT NOT NULL, party TEXT NOT NULL DEFAULT '',"
    "  pwhash TEXT NOT NULL, created BIGINT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE sessions ("
    "  token_hash TEXT NOT NULL PRIMARY KEY,"
    "  user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL, created BIGINT NOT NULL, expires BIGINT NOT NULL);"
    "CREATE INDEX sessions_by_expiry ON sessions (expires);"
    "CREATE INDEX sessions_by_user ON sessions (user_name);"
    "CREATE TABLE api_tokens ("
    "  token_hash TEXT NOT NULL PRIMARY KEY,"
    "  user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,"
    "  label TEXT NOT NULL, created BIGINT NOT NULL);"
    "CREATE INDEX api_tokens_by_user ON api_tokens (user_name);",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

enum {
    Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_AG_LATEST, Q_AG_INSERT, Q_AG_GET, Q_AG_GET_LATEST, Q_AG_LIST,
    Q_LAST, Q_INSERT, Q_ROWS, Q_ROWS_IDENT, Q_USER_INSERT, Q_USER_PWHASH, Q_USER_DISABLED, Q_USER_SESSIONS_END, Q_USER_GET, Q_USERS,
    Q_SESSION_INSERT, Q_SESSION_PURGE, Q_SESSION_GET, Q_SESSION_DELETE, Q_TOKEN_INSERT, Q_TOKEN_GET, NQ
};

/* The columns of a lic__store_account, in its order (u: users). */
#define ACCOUNT_COLS "u.name, u.role, u.party, u.pwhash, u.created, u.disabled"

static const char *const sql[NQ] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_AG_LATEST] = "SELECT version, sha256 FROM agreement_versions WHERE agreement_id = ?1"
                    " ORDER BY version DESC LIMIT 1",
    [Q_AG_INSERT] = "INSERT INTO agreement_versions (agreement_id, version, text, sha256)"
                    " VALUES (?1, ?2, ?3, ?4)",
    [Q_AG_GET] = "SELECT text, version FROM agreement_versions WHERE agreement_id = ?1 AND version = ?2",
    [Q_AG_GET_LATEST] = "SELECT text, version FROM agreement_versions WHERE agreement_id = ?1"
                        " ORDER BY version DESC LIMIT 1",
    [Q_AG_LIST] = "SELECT v.agreement_id, count(*), (SELECT sha256 FROM agreement_versions w"
                  "   WHERE w.agreement_id = v.agreement_id ORDER BY version DESC LIMIT 1),"
                  " (SELECT count(*) FROM ledger l WHERE l.agreement_id = v.agreement_id AND kind = 'event'),"
                  " (SELECT count(*) FROM ledger l WHERE l.agreement_id = v.agreement_id AND kind = 'report')"
                  " FROM agreement_versions v GROUP BY v.agreement_id ORDER BY v.agreement_id",
    [Q_LAST] = "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1",
    [Q_INSERT] = "INSERT INTO ledger (seq, agreement_id, kind, ident, digest, content, prev_hash, hash)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [Q_ROWS] = "SELECT seq, agreement_id, kind, ident, digest, content, prev_hash, hash FROM ledger"
               " WHERE (?1 IS NULL OR agreement_id = ?1) AND (?2 IS NULL OR kind = ?2)"
               " ORDER BY seq",
    [Q_ROWS_IDENT] = "SELECT seq, agreement_id, kind, ident, digest, content, prev_hash, hash FROM ledger"
                     " WHERE agreement_id = ?1 AND kind = ?2 AND ident = ?3 ORDER BY seq",
    [Q_USER_INSERT] = "INSERT INTO users (name, role, party, pwhash, created) VALUES (?1, ?2, ?3, ?4, ?5)"
                      " ON CONFLICT (name) DO NOTHING",
    [Q_USER_PWHASH] = "UPDATE users SET pwhash = ?2 WHERE name = ?1",
    [Q_USER_DISABLED] = "UPDATE users SET disabled = ?2 WHERE name = ?1",
    [Q_USER_SESSIONS_END] = "DELETE FROM sessions WHERE user_name = ?1",
    [Q_USER_GET] = "SELECT " ACCOUNT_COLS ", '' FROM users u WHERE u.name = ?1",
    [Q_USERS] = "SELECT " ACCOUNT_COLS ", '' FROM users u ORDER BY u.name",
    [Q_SESSION_INSERT] = "INSERT INTO sessions (token_hash, user_name, csrf, created, expires)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_SESSION_PURGE] = "DELETE FROM sessions WHERE expires <= ?1",
    [Q_SESSION_GET] = "SELECT " ACCOUNT_COLS ", s.csrf FROM sessions s JOIN users u ON u.name = s.user_name"
                      " WHERE s.token_hash = ?1 AND s.expires > ?2",
    [Q_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
    [Q_TOKEN_INSERT] = "INSERT INTO api_tokens (token_hash, user_name, label, created) VALUES (?1, ?2, ?3, ?4)",
    [Q_TOKEN_GET] = "SELECT " ACCOUNT_COLS ", '' FROM api_tokens t JOIN users u ON u.name = t.user_name"
                    " WHERE t.token_hash = ?1",
};

typedef struct be {
    sqlite3 *db;
    sqlite3_stmt *q[NQ];
    char *path;
    int schema;
} be;

static lic_err map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return LIC_EBUSY;
    case SQLITE_NOMEM: return LIC_ENOMEM;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return LIC_ECORRUPT;
    case SQLITE_CANTOPEN: return LIC_ENOTFOUND;
    case SQLITE_CONSTRAINT: return LIC_EINVALID;
    default: return LIC_EIO;
    }
}

/* The failure of the last call on b->db, in SQLite's own words. */
static lic_err fail(lic_store *s, int rc)
{
    be *b = s->be;
    return lic__store_fail(s, map_rc(rc), "%s: sqlite: %s", b->path,
                           b->db ? sqlite3_errmsg(b->db) : sqlite3_errstr(rc));
}

static lic_err exec(lic_store *s, const char *text)
{
    char *msg = NULL;
    be *b = s->be;
    int rc = sqlite3_exec(b->db, text, NULL, NULL, &msg);
    if (rc) {
        lic__store_fail(s, map_rc(rc), "%s: sqlite: %s", b->path, msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return map_rc(rc);
    }
    return LIC_OK;
}

/* Runs a statement that returns no rows. */
static lic_err step_done(lic_store *s, sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    lic_err err = rc == SQLITE_DONE ? LIC_OK : fail(s, rc);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return err;
}

static int read_schema(be *b)
{
    sqlite3_stmt *q = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(b->db, "SELECT max(version) FROM schema_version", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* Applies the migrations the database lacks, all in one transaction. */
static lic_err migrate(lic_store *s, unsigned flags)
{
    be *b = s->be;
    lic_err rc = exec(s, "BEGIN IMMEDIATE");
    if (rc)
        return rc;
    b->schema = read_schema(b);
    if (b->schema < 0 && !(flags & LIC_STORE_CREATE))
        rc = lic__store_fail(s, LIC_ECORRUPT, "%s: not a licet store (no schema_version table)", b->path);
    else if (b->schema > NMIGRATIONS)
        rc = lic__store_fail(s, LIC_ECORRUPT, "%s: schema version %d is newer than this licet knows (%d)",
                             b->path, b->schema, NMIGRATIONS);
    if (!rc && b->schema < 0) {
        rc = exec(s, "CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)");
        b->schema = 0;
    }
    for (; !rc && b->schema < NMIGRATIONS; b->schema++) {
        char *rec = sqlite3_mprintf("INSERT INTO schema_version VALUES (%d, datetime('now'))", b->schema + 1);
        rc = rec ? exec(s, migrations[b->schema]) : LIC_ENOMEM;
        if (!rc)
            rc = exec(s, rec);
        sqlite3_free(rec);
    }
    if (rc) {
        sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return exec(s, "COMMIT");
}

static lic_err sq_open(lic_store *s, const char *target, unsigned flags)
{
    be *b = lic__calloc(1, sizeof *b);
    if (!b)
        return lic__store_fail(s, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
    s->be = b;
    b->path = lic__strdup(target);
    if (!b->path)
        return lic__store_fail(s, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
    /* sqlite3_open_v2 without CREATE says only "unable to open": name
     * what is missing and what to do. */
    if (!(flags & LIC_STORE_CREATE) && access(target, F_OK))
        return lic__store_fail(s, LIC_ENOTFOUND, "%s: no licet database here (run licet init)", target);
    int mode = SQLITE_OPEN_READWRITE | ((flags & LIC_STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(target, &b->db, mode | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc)
        return fail(s, rc);
    sqlite3_busy_timeout(b->db, BUSY_TIMEOUT_MS);
    /* page_size first: it counts only for a database not yet written
     * (a new one; an existing one keeps its own).  64 KiB pages, the
     * largest SQLite has, because a report's row is megabytes: a tenth
     * the page writes and reads of 4 KiB pages, and a 62,500-line import
     * about a fifth faster; the small rows (events, users) pack as well. */
    lic_err err = exec(s, "PRAGMA page_size=65536; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          " PRAGMA foreign_keys=ON");
    if (!err)
        err = migrate(s, flags);
    for (int i = 0; !err && i < NQ; i++)
        if ((rc = sqlite3_prepare_v3(b->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &b->q[i], NULL)))
            err = fail(s, rc);
    return err;
}

static void sq_close(lic_store *s)
{
    be *b = s->be;
    if (!b)
        return;
    for (int i = 0; i < NQ; i++)
        sqlite3_finalize(b->q[i]);
    sqlite3_close(b->db);
    lic__free(b->path);
    lic__free(b);
    s->be = NULL;
}

static int sq_schema(lic_store *s)
{
    return ((be *)s->be)->schema;
}

static lic_err sq_begin(lic_store *s)
{
    return step_done(s, ((be *)s->be)->q[Q_BEGIN]);
}

static lic_err sq_commit(lic_store *s)
{
    return step_done(s, ((be *)s->be)->q[Q_COMMIT]);
}

static void sq_rollback(lic_store *s)
{
    be *b = s->be;
    if (!sqlite3_get_autocommit(b->db))
        (void)step_done(s, b->q[Q_ROLLBACK]);
}

static lic_err sq_agreement_latest(lic_store *s, const char *id, int *version, char sha[65])
{
    be *b = s->be;
    sqlite3_stmt *q = b->q[Q_AG_LATEST];
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    *version = 0;
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int(q, 0);
        const char *h = (const char *)sqlite3_column_text(q, 1);
        memcpy(sha, h && strlen(h) == 64 ? h : "", h && strlen(h) == 64 ? 65 : 1);
    }
    lic_err err = rc == SQLITE_ROW || rc == SQLITE_DONE ? LIC_OK : fail(s, rc);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return err;
}

static lic_err sq_agreement_insert(lic_store *s, const char *id, int version, const char *text, size_t len,
                                   const char *sha)
{
    sqlite3_stmt *q = ((be *)s->be)->q[Q_AG_INSERT];
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, version);
    sqlite3_bind_text64(q, 3, text, len, SQLITE_STATIC, SQLITE_UTF8);
    sqlite3_bind_text(q, 4, sha, -1, SQLITE_STATIC);
    return step_done(s, q);
}

static lic_err sq_agreement_get(lic_store *s, const char *id, int version, char **text, size_t *len,
                                int *version_out)
{
    be *b = s->be;
    sqlite3_stmt *q = b->q[version ? Q_AG_GET : Q_AG_GET_LATEST];
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    if (version)
        sqlite3_bind_int(q, 2, version);
    int rc = sqlite3_step(q);
    lic_err err = LIC_OK;
    if (rc == SQLITE_ROW) {
        *len = (size_t)sqlite3_column_bytes(q, 0);
        *text = lic__strndup((const char *)sqlite3_column_text(q, 0), *len);
        *version_out = sqlite3_column_int(q, 1);
        if (!*text)
            err = lic__store_fail(s, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
    } else if (rc == SQLITE_DONE) {
        err = version ? lic__store_fail(s, LIC_ENOTFOUND, "agreement %s has no version %d", id, version)
                      : lic__store_fail(s, LIC_ENOTFOUND, "no agreement %s in %s", id, b->path);
    } else
        err = fail(s, rc);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return err;
}

static const char *col(sqlite3_stmt *q, int i)
{
    const char *t = (const char *)sqlite3_column_text(q, i);
    return t ? t : "";
}

/* Steps q, calling each(row) for every row; cb's non-zero stops it. */
static lic_err each_row(lic_store *s, sqlite3_stmt *q, int (*each)(sqlite3_stmt *, void *), void *ctx)
{
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW)
        stop = each(q, ctx);
    lic_err err = stop ? (lic_err)stop : rc == SQLITE_DONE ? LIC_OK : fail(s, rc);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return err;
}

typedef struct ag_ctx {
    int (*cb)(void *, const lic_store_agreement_info *);
    void *ctx;
} ag_ctx;

static int ag_row(sqlite3_stmt *q, void *arg)
{
    ag_ctx *c = arg;
    lic_store_agreement_info info = {col(q, 0), sqlite3_column_int(q, 1), col(q, 2),
                                     sqlite3_column_int64(q, 3), sqlite3_column_int64(q, 4)};
    return c->cb(c->ctx, &info);
}

static lic_err sq_agreements(lic_store *s, int (*cb)(void *, const lic_store_agreement_info *), void *ctx)
{
    ag_ctx c = {cb, ctx};
    return each_row(s, ((be *)s->be)->q[Q_AG_LIST], ag_row, &c);
}

static lic_err sq_ledger_last(lic_store *s, int64_t *seq, char hash[65])
{
    sqlite3_stmt *q = ((be *)s->be)->q[Q_LAST];
    int rc = sqlite3_step(q);
    *seq = 0;
    memset(hash, '0', 64);
    hash[64] = '\0';
    lic_err err = LIC_OK;
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(q, 0);
        if (strlen(col(q, 1)) != 64)
            err = lic__store_fail(s, LIC_ECORRUPT, "ledger row %lld: hash is not a SHA-256 (run licet verify)",
                                  (long long)*seq);
        else
            memcpy(hash, col(q, 1), 65);
    } else if (rc != SQLITE_DONE)
        err = fail(s, rc);
    sqlite3_reset(q);
    return err;
}

static lic_err sq_ledger_insert(lic_store *s, const lic_store_row *r)
{
    sqlite3_stmt *q = ((be *)s->be)->q[Q_INSERT];
    sqlite3_bind_int64(q, 1, r->seq);
    const char *v[] = {r->agreement, r->kind, r->ident, r->digest, r->content, r->prev_hash, r->hash};
    for (int i = 0; i < 7; i++)
        sqlite3_bind_text(q, i + 2, v[i], -1, SQLITE_STATIC);
    return step_done(s, q);
}

typedef struct row_ctx {
    int (*cb)(void *, const lic_store_row *);
    void *ctx;
} row_ctx;

static int ledger_row(sqlite3_stmt *q, void *arg)
{
    row_ctx *c = arg;
    lic_store_row r = {.seq = sqlite3_column_int64(q, 0), .agreement = col(q, 1), .kind = col(q, 2),
                       .ident = col(q, 3), .digest = col(q, 4), .content = col(q, 5),
                       .prev_hash = col(q, 6), .hash = col(q, 7)};
    return c->cb(c->ctx, &r);
}

static lic_err sq_ledger(lic_store *s, const lic_store_filter *f, int (*cb)(void *, const lic_store_row *),
                         void *ctx)
{
    be *b = s->be;
    bool by_ident = f->ident && f->agreement && f->kind;
    sqlite3_stmt *q = b->q[by_ident ? Q_ROWS_IDENT : Q_ROWS];
    if (f->agreement)
        sqlite3_bind_text(q, 1, f->agreement, -1, SQLITE_STATIC);
    if (f->kind)
        sqlite3_bind_text(q, 2, f->kind, -1, SQLITE_STATIC);
    if (by_ident)
        sqlite3_bind_text(q, 3, f->ident, -1, SQLITE_STATIC);
    row_ctx c = {cb, ctx};
    return each_row(s, q, ledger_row, &c);
}

/* ---- accounts ---- */

/* Runs a write statement; *changed: whether it changed a row. */
static lic_err step_changed(lic_store *s, sqlite3_stmt *q, bool *changed)
{
    lic_err err = step_done(s, q);
    *changed = !err && sqlite3_changes(((be *)s->be)->db) > 0;
    return err;
}

static lic_err sq_user_insert(lic_store *s, const lic__store_account *a, bool *added)
{
    sqlite3_stmt *q = ((be *)s->be)->q[Q_USER_INSERT];
    sqlite3_bind_text(q, 1, a->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, a->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, a->party, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, a->pwhash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 5, a->created);
    return step_changed(s, q, added);
}

static lic_err sq_user_set_pwhash(lic_store *s, const char *name, const char *pwhash, bool *found)
{
    sqlite3_stmt *q = ((be *)s->be)->q[Q_USER_PWHASH];
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, pwhash, -1, SQLITE_STATIC);
    return step_changed(s, q, found);
}

/* Runs the update and, when disabling, the delete of the sessions; in a
 * transaction of its own unless the caller has one open, so a failure
 * leaves both undone. */
static lic_err sq_user_set_disabled(lic_store *s, const char *name, bool disabled, bool *found)
{
    be *b = s->be;
    bool own = sqlite3_get_autocommit(b->db) != 0;
    lic_err rc = own ? sq_begin(s) : LIC_OK;
    *found = false;
    if (rc)
        return rc;
    sqlite3_stmt *q = b->q[Q_USER_DISABLED];
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, disabled ? 1 : 0);
    rc = step_changed(s, q, found);
    if (!rc && *found && disabled) {
        q = b->q[Q_USER_SESSIONS_END];
        sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
        rc = step_done(s, q);
    }
    if (own && !rc)
        rc = sq_commit(s);
    if (own && rc) {
        sq_rollback(s);
        *found = false;
    }
    return rc;
}

typedef struct account_ctx {
    int (*cb)(void *, const lic__store_account *);
    void *ctx;
} account_ctx;

static int account_row(sqlite3_stmt *q, void *arg)
{
    account_ctx *c = arg;
    lic__store_account a = {.name = col(q, 0), .role = col(q, 1), .party = col(q, 2), .pwhash = col(q, 3),
                            .created = sqlite3_column_int64(q, 4), .disabled = sqlite3_column_int(q, 5) != 0,
                            .csrf = col(q, 6)};
    return c->cb(c->ctx, &a);
}

static lic_err sq_users(lic_store *s, const char *name, int (*cb)(void *, const lic__store_account *), void *ctx)
{
    sqlite3_stmt *q = ((be *)s->be)->q[name ? Q_USER_GET : Q_USERS];
    if (name)
        sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    account_ctx c = {cb, ctx};
    return each_row(s, q, account_row, &c);
}

static lic_err sq_session_insert(lic_store *s, const char *token_hash, const char *user, const char *csrf,
                                 int64_t created, int64_t expires)
{
    sqlite3_stmt *q = ((be *)s->be)->q[Q_SESSION_INSERT];
    sqlite3_bind_text(q, 1, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, created);
    sqlite3_bind_int64(q, 5, expires);
    return step_done(s, q);
}

static lic_err sq_session_purge(lic_store *s, int64_t now)
{
    sqlite3_stmt *q = ((be *)s->be)->q[Q_SESSION_PURGE];
    sqlite3_bind_int64(q, 1, now);
    return step_done(s, q);
}

static lic_err sq_session_get(lic_store *s, const char *token_hash, int64_t now,
                              int (*cb)(void *, const lic__store_account *), void *ctx)
{
    sqlite3_stmt *q = ((be *)s->be)->q[Q_SESSION_GET];
    sqlite3_bind_text(q, 1, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, now);
    account_ctx c = {cb, ctx};
    return each_row(s, q, account_row, &c);
}

static lic_err sq_session_delete(lic_store *s, const char *token_hash)
{
    sqlite3_stmt *q = ((be *)s->be)->q[Q_SESSION_DELETE];
    sqlite3_bind_text(q, 1, token_hash, -1, SQLITE_STATIC);
    return step_done(s, q);
}

static lic_err sq_token_insert(lic_store *s, const char *token_hash, const char *user, const char *label,
                               int64_t created)
{
    sqlite3_stmt *q = ((be *)s->be)->q[Q_TOKEN_INSERT];
    sqlite3_bind_text(q, 1, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, label, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, created);
    return step_done(s, q);
}

static lic_err sq_token_get(lic_store *s, const char *token_hash, int (*cb)(void *, const lic__store_account *),
                            void *ctx)
{
    sqlite3_stmt *q = ((be *)s->be)->q[Q_TOKEN_GET];
    sqlite3_bind_text(q, 1, token_hash, -1, SQLITE_STATIC);
    account_ctx c = {cb, ctx};
    return each_row(s, q, account_row, &c);
}

const lic__store_ops lic__store_sqlite = {
    .version = 1,
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .schema_version = sq_schema,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .agreement_latest = sq_agreement_latest,
    .agreement_insert = sq_agreement_insert,
    .agreement_get = sq_agreement_get,
    .agreements = sq_agreements,
    .ledger_last = sq_ledger_last,
    .ledger_insert = sq_ledger_insert,
    .ledger = sq_ledger,
    .user_insert = sq_user_insert,
    .user_set_pwhash = sq_user_set_pwhash,
    .user_set_disabled = sq_user_set_disabled,
    .users = sq_users,
    .session_insert = sq_session_insert,
    .session_purge = sq_session_purge,
    .session_get = sq_session_get,
    .session_delete = sq_session_delete,
    .token_insert = sq_token_insert,
    .token_get = sq_token_get,
};
