/*
 * store_pg.c - the PostgreSQL backend of the portfolio store (libpq).
 *
 * The same schema and numbered migrations as store_sqlite.c, in
 * PostgreSQL's dialect; the guards against UPDATE, DELETE and TRUNCATE of
 * the ledger and the agreement versions are triggers calling one plpgsql
 * function that raises.  Every statement that carries data is prepared
 * once at open (PQprepare) and run with PQexecPrepared; nothing is built
 * from strings.  The account tables of schema 2 (users, sessions,
 * api_tokens; auth.c) are ordinary tables: their rows change and go.
 *
 * NOTES ON THE DESIGN
 * - Writers are serialised like SQLite's BEGIN IMMEDIATE: begin takes
 *   `LOCK TABLE ledger IN EXCLUSIVE MODE`, which waits for the other
 *   writer and still lets plain readers (ACCESS SHARE) through.  Under
 *   READ COMMITTED every statement after the lock sees what the previous
 *   writer committed, so the last row read is the chain's real head.
 * - lock_timeout stands in for SQLite's busy timeout: a writer that
 *   waits longer gets LIC_EBUSY instead of hanging.
 * - Ledger walks use single-row mode, so a ledger with big reports is
 *   streamed, not held in memory whole.  A walk's callback must not use
 *   the store (the connection is busy with the walk).
 * - Concurrent migrations (two `licet init` at once) take an advisory
 *   lock inside the migration transaction.
 */
#include "store_int.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define LOCK_TIMEOUT "SET lock_timeout = '10s'"
#define MIGRATE_LOCK "SELECT pg_advisory_xact_lock(7406917)" /* any fixed key: licet's */

/* PostgreSQL type oids of the parameters (pg_type.h is server-side). */
enum { OID_INT8 = 20, OID_INT4 = 23, OID_TEXT = 25 };

/* Migration N brings the schema from version N-1 to N; append only.
 * Column for column the same as store_sqlite.c's. */
static const char *const migrations[] = {
    /* 1: agreements with versions, the ledger, their guards. */
    "CREATE TABLE agreement_versions ("
    "  agreement_id TEXT NOT NULL, version INTEGER NOT NULL, text TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL, PRIMARY KEY (agreement_id, version));"
    "CREATE TABLE ledger ("
    "  seq BIGINT PRIMARY KEY, agreement_id TEXT NOT NULL, kind TEXT NOT NULL,"
    "  ident TEXT NOT NULL, digest TEXT NOT NULL, content TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX ledger_by_ident ON ledger (agreement_id, kind, ident);"
    "CREATE FUNCTION licet_refuse() RETURNS trigger LANGUAGE plpgsql AS"
    "  $$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$;"
    "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger"
    "  FOR EACH ROW EXECUTE FUNCTION licet_refuse('ledger rows are append-only');"
    "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger"
    "  FOR EACH ROW EXECUTE FUNCTION licet_refuse('ledger rows are append-only');"
    /* TRUNCATE skips row triggers: guard it as a statement. */
    "CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger"
    "  FOR EACH STATEMENT EXECUTE FUNCTION licet_refuse('ledger rows are append-only');"
    "CREATE TRIGGER versions_no_update BEFORE UPDATE ON agreement_versions"
    "  FOR EACH ROW EXECUTE FUNCTION licet_refuse('agreement versions are kept as stored');"
    "CREATE TRIGGER versions_no_delete BEFORE DELETE ON agreement_versions"
    "  FOR EACH ROW EXECUTE FUNCTION licet_refuse('agreement versions are kept as stored');"
    "CREATE TRIGGER versions_no_truncate BEFORE TRUNCATE ON agreement_versions"
    "  FOR EACH STATEMENT EXECUTE FUNCTION licet_refuse('agreement versions are kept as stored');",
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
    Q_BEGIN, Q_LOCK, Q_COMMIT, Q_ROLLBACK, Q_AG_LATEST, Q_AG_INSERT, Q_AG_GET, Q_AG_GET_LATEST, Q_AG_LIST,
    Q_LAST, Q_INSERT, Q_ROWS, Q_ROWS_IDENT, Q_USER_INSERT, Q_USER_PWHASH, Q_USER_DISABLED, Q_USER_GET, Q_USERS,
    Q_SESSION_INSERT, Q_SESSION_PURGE, Q_SESSION_GET, Q_SESSION_DELETE, Q_TOKEN_INSERT, Q_TOKEN_GET, NQ
};

typedef struct query {
    const char *sql;
    int nparams;
    Oid types[8];
} query;

#define ROW_COLS "seq, agreement_id, kind, ident, digest, content, prev_hash, hash"
/* The columns of a lic__store_account, in its order (u: users). */
#define ACCOUNT_COLS "u.name, u.role, u.party, u.pwhash, u.created, u.disabled"

static const query queries[NQ] = {
    [Q_BEGIN] = {"BEGIN", 0, {0}},
    [Q_LOCK] = {"LOCK TABLE ledger IN EXCLUSIVE MODE", 0, {0}},
    [Q_COMMIT] = {"COMMIT", 0, {0}},
    [Q_ROLLBACK] = {"ROLLBACK", 0, {0}},
    [Q_AG_LATEST] = {"SELECT version, sha256 FROM agreement_versions WHERE agreement_id = $1"
                     " ORDER BY version DESC LIMIT 1", 1, {OID_TEXT}},
    [Q_AG_INSERT] = {"INSERT INTO agreement_versions (agreement_id, version, text, sha256)"
                     " VALUES ($1, $2, $3, $4)", 4, {OID_TEXT, OID_INT4, OID_TEXT, OID_TEXT}},
    [Q_AG_GET] = {"SELECT text, version FROM agreement_versions WHERE agreement_id = $1 AND version = $2",
                  2, {OID_TEXT, OID_INT4}},
    [Q_AG_GET_LATEST] = {"SELECT text, version FROM agreement_versions WHERE agreement_id = $1"
                         " ORDER BY version DESC LIMIT 1", 1, {OID_TEXT}},
    /* COLLATE "C": the bytewise order SQLite uses, whatever the locale. */
    [Q_AG_LIST] = {"SELECT v.agreement_id, count(*), (SELECT sha256 FROM agreement_versions w"
                   "   WHERE w.agreement_id = v.agreement_id ORDER BY version DESC LIMIT 1),"
                   " (SELECT count(*) FROM ledger l WHERE l.agreement_id = v.agreement_id AND kind = 'event'),"
                   " (SELECT count(*) FROM ledger l WHERE l.agreement_id = v.agreement_id AND kind = 'report')"
                   " FROM agreement_versions v GROUP BY v.agreement_id ORDER BY v.agreement_id COLLATE \"C\"",
                   0, {0}},
    [Q_LAST] = {"SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1", 0, {0}},
    [Q_INSERT] = {"INSERT INTO ledger (" ROW_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", 8,
                  {OID_INT8, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT}},
    [Q_ROWS] = {"SELECT " ROW_COLS " FROM ledger WHERE ($1::text IS NULL OR agreement_id = $1)"
                " AND ($2::text IS NULL OR kind = $2) ORDER BY seq", 2, {OID_TEXT, OID_TEXT}},
    [Q_ROWS_IDENT] = {"SELECT " ROW_COLS " FROM ledger WHERE agreement_id = $1 AND kind = $2 AND ident = $3"
                      " ORDER BY seq", 3, {OID_TEXT, OID_TEXT, OID_TEXT}},
    /* RETURNING: a row when one was written (INSERT ... DO NOTHING and
     * UPDATE say so without a second query). */
    [Q_USER_INSERT] = {"INSERT INTO users (name, role, party, pwhash, created) VALUES ($1, $2, $3, $4, $5)"
                       " ON CONFLICT (name) DO NOTHING RETURNING name", 5,
                       {OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_INT8}},
    [Q_USER_PWHASH] = {"UPDATE users SET pwhash = $2 WHERE name = $1 RETURNING name", 2, {OID_TEXT, OID_TEXT}},
    /* One statement, so one transaction: the flag and, when disabling,
     * the end of the user's sessions (a data-modifying CTE). */
    [Q_USER_DISABLED] = {"WITH u AS (UPDATE users SET disabled = $2 WHERE name = $1 RETURNING name),"
                         " gone AS (DELETE FROM sessions WHERE $2 <> 0 AND user_name IN (SELECT name FROM u))"
                         " SELECT name FROM u", 2, {OID_TEXT, OID_INT4}},
    [Q_USER_GET] = {"SELECT " ACCOUNT_COLS ", '' FROM users u WHERE u.name = $1", 1, {OID_TEXT}},
    [Q_USERS] = {"SELECT " ACCOUNT_COLS ", '' FROM users u ORDER BY u.name COLLATE \"C\"", 0, {0}},
    [Q_SESSION_INSERT] = {"INSERT INTO sessions (token_hash, user_name, csrf, created, expires)"
                          " VALUES ($1, $2, $3, $4, $5)", 5, {OID_TEXT, OID_TEXT, OID_TEXT, OID_INT8, OID_INT8}},
    [Q_SESSION_PURGE] = {"DELETE FROM sessions WHERE expires <= $1", 1, {OID_INT8}},
    [Q_SESSION_GET] = {"SELECT " ACCOUNT_COLS ", s.csrf FROM sessions s JOIN users u ON u.name = s.user_name"
                       " WHERE s.token_hash = $1 AND s.expires > $2", 2, {OID_TEXT, OID_INT8}},
    [Q_SESSION_DELETE] = {"DELETE FROM sessions WHERE token_hash = $1", 1, {OID_TEXT}},
    [Q_TOKEN_INSERT] = {"INSERT INTO api_tokens (token_hash, user_name, label, created) VALUES ($1, $2, $3, $4)",
                        4, {OID_TEXT, OID_TEXT, OID_TEXT, OID_INT8}},
    [Q_TOKEN_GET] = {"SELECT " ACCOUNT_COLS ", '' FROM api_tokens t JOIN users u ON u.name = t.user_name"
                     " WHERE t.token_hash = $1", 1, {OID_TEXT}},
};

typedef struct be {
    PGconn *conn;
    char *url;            /* as given, the password masked: it goes into messages */
    int schema;
    bool in_tx;
} be;

/* SQLSTATE classes to licet's codes (PostgreSQL appendix A). */
/* An integer column (atoi is banned: it cannot say it failed, and here a
 * malformed number would be a server bug, read as 0). */
static int int_at(const PGresult *res, int row, int col)
{
    return (int)strtol(PQgetvalue(res, row, col), NULL, 10);
}

/* libpq prints notices to stderr by default; the library does not print. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static lic_err map_state(const char *st)
{
    if (!st)
        return LIC_EIO;
    if (!strcmp(st, "55P03") || !strcmp(st, "40P01") || !strcmp(st, "40001"))
        return LIC_EBUSY; /* lock_not_available, deadlock, serialization */
    if (!strncmp(st, "23", 2) || !strcmp(st, "P0001"))
        return LIC_EINVALID; /* integrity constraints; our guard's RAISE */
    if (!strcmp(st, "53200"))
        return LIC_ENOMEM;
    if (!strcmp(st, "42P01"))
        return LIC_ECORRUPT; /* a table is missing: not (or no longer) a licet store */
    return LIC_EIO;
}

/* The first line of a libpq message, without "ERROR:  " and the newline. */
static void first_line(const char *m, char *out, size_t n)
{
    if (!m)
        m = "";
    if (!strncmp(m, "ERROR:  ", 8) || !strncmp(m, "FATAL:  ", 8))
        m += 8;
    size_t len = strcspn(m, "\n");
    if (len >= n)
        len = n - 1;
    memcpy(out, m, len);
    out[len] = '\0';
}

/* Records the failure of `res` (or of the connection when res is NULL)
 * in PostgreSQL's own words and returns its code. */
static lic_err fail(lic_store *s, const PGresult *res)
{
    be *b = s->be;
    char line[400];
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    first_line(primary ? primary : PQerrorMessage(b->conn), line, sizeof line);
    lic_err rc = res ? map_state(PQresultErrorField(res, PG_DIAG_SQLSTATE)) : LIC_EIO;
    return lic__store_fail(s, rc, "%s: postgres: %s", b->url, line);
}

/* Runs a statement without parameters that returns no rows (DDL and
 * transaction control during open). */
static lic_err exec(lic_store *s, const char *text)
{
    PGresult *res = PQexec(((be *)s->be)->conn, text);
    ExecStatusType st = PQresultStatus(res);
    lic_err rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? LIC_OK : fail(s, res);
    PQclear(res);
    return rc;
}

/* Runs prepared statement q with its parameters; *out gets the result
 * when it has rows (the caller clears it).  A parameter with a length in
 * lens (non-zero) is sent in binary form, which for text is its bytes
 * as they are: no NUL terminator needed, and a NUL inside is refused by
 * the server instead of silently cutting the text short. */
static lic_err run(lic_store *s, int q, const char *const *params, const int *lens, PGresult **out)
{
    char name[16];
    int formats[8] = {0};
    for (int i = 0; lens && i < queries[q].nparams; i++)
        formats[i] = lens[i] != 0;
    snprintf(name, sizeof name, "q%d", q);
    PGresult *res = PQexecPrepared(((be *)s->be)->conn, name, queries[q].nparams, params, lens, formats, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK && out) {
        *out = res;
        return LIC_OK;
    }
    lic_err rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? LIC_OK : fail(s, res);
    PQclear(res);
    return rc;
}

static lic_err prepare_all(lic_store *s)
{
    be *b = s->be;
    for (int i = 0; i < NQ; i++) {
        char name[16];
        snprintf(name, sizeof name, "q%d", i);
        PGresult *res = PQprepare(b->conn, name, queries[i].sql, queries[i].nparams, queries[i].types);
        lic_err rc = PQresultStatus(res) == PGRES_COMMAND_OK ? LIC_OK : fail(s, res);
        PQclear(res);
        if (rc)
            return rc;
    }
    return LIC_OK;
}

/* One integer from a query without parameters (during open, before the
 * statements are prepared: they name tables that may not exist yet). */
static lic_err exec_int(lic_store *s, const char *text, int *v)
{
    PGresult *res = PQexec(((be *)s->be)->conn, text);
    lic_err rc = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 ? LIC_OK : fail(s, res);
    if (!rc)
        *v = int_at(res, 0, 0);
    PQclear(res);
    return rc;
}

/* The schema version, -1 when there is no schema_version table. */
static lic_err read_schema(lic_store *s, int *v)
{
    int exists = 0;
    *v = -1;
    lic_err rc = exec_int(s, "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'schema_version'"
                             " AND schemaname = current_schema()", &exists);
    if (!rc && exists)
        rc = exec_int(s, "SELECT coalesce(max(version), 0) FROM schema_version", v);
    return rc;
}

static lic_err migrate_tx(lic_store *s, unsigned flags)
{
    be *b = s->be;
    lic_err rc = exec(s, MIGRATE_LOCK);
    if (!rc)
        rc = read_schema(s, &b->schema);
    if (!rc && b->schema < 0 && !(flags & LIC_STORE_CREATE))
        return lic__store_fail(s, LIC_ENOTFOUND, "%s: no licet database here (run licet init)", b->url);
    if (!rc && b->schema > NMIGRATIONS)
        return lic__store_fail(s, LIC_ECORRUPT, "%s: schema version %d is newer than this licet knows (%d)",
                               b->url, b->schema, NMIGRATIONS);
    if (!rc && b->schema < 0) {
        rc = exec(s, "CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)");
        b->schema = 0;
    }
    static const char *const record[] = {
        "INSERT INTO schema_version VALUES (1, now()::text)",
        "INSERT INTO schema_version VALUES (2, now()::text)",
    };
    _Static_assert(sizeof record / sizeof record[0] == NMIGRATIONS, "one record per migration");
    for (; !rc && b->schema < NMIGRATIONS; b->schema++) {
        rc = exec(s, migrations[b->schema]);
        if (!rc)
            rc = exec(s, record[b->schema]);
    }
    return rc;
}

/* Applies the migrations the database lacks, all in one transaction. */
static lic_err migrate(lic_store *s, unsigned flags)
{
    lic_err rc = exec(s, "BEGIN");
    if (!rc)
        rc = migrate_tx(s, flags);
    if (rc) {
        PQclear(PQexec(((be *)s->be)->conn, "ROLLBACK"));
        return rc;
    }
    return exec(s, "COMMIT");
}

/* The URL with the password, if any, replaced by "***". */
static char *mask_password(const char *url)
{
    const char *auth = strstr(url, "://");
    auth = auth ? auth + 3 : url;
    const char *at = strchr(auth, '@'), *colon = strchr(auth, ':');
    if (!at || !colon || colon > at)
        return lic__strdup(url);
    return lic__asprintf("%.*s***%s", (int)(colon + 1 - url), url, at);
}

static lic_err pg_open(lic_store *s, const char *target, unsigned flags)
{
    be *b = lic__calloc(1, sizeof *b);
    if (!b)
        return lic__store_fail(s, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
    s->be = b;
    b->url = mask_password(target);
    if (!b->url)
        return lic__store_fail(s, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
    b->conn = PQconnectdb(target);
    if (!b->conn)
        return lic__store_fail(s, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
    if (PQstatus(b->conn) != CONNECTION_OK)
        return fail(s, NULL);
    PQsetNoticeProcessor(b->conn, quiet, NULL);
    lic_err rc = exec(s, LOCK_TIMEOUT);
    /* A report's row is megabytes of JSON, which PostgreSQL compresses as
     * it stores it: lz4 does that several times faster than the default
     * pglz, to about the same size (a 62,500-line report: 0.44 s to store
     * with pglz, 0.28 s with lz4).  Best effort, for this session's new
     * rows only: a server before 14 or built without lz4 refuses it and
     * keeps pglz, and either reads both. */
    PQclear(PQexec(b->conn, "SET default_toast_compression = 'lz4'"));
    if (!rc)
        rc = migrate(s, flags);
    if (!rc)
        rc = prepare_all(s);
    return rc;
}

static void pg_close(lic_store *s)
{
    be *b = s->be;
    if (!b)
        return;
    PQfinish(b->conn);
    lic__free(b->url);
    lic__free(b);
    s->be = NULL;
}

static int pg_schema(lic_store *s)
{
    return ((be *)s->be)->schema;
}

static lic_err pg_begin(lic_store *s)
{
    be *b = s->be;
    lic_err rc = run(s, Q_BEGIN, NULL, NULL, NULL);
    b->in_tx = rc == LIC_OK;
    if (!rc)
        rc = run(s, Q_LOCK, NULL, NULL, NULL);
    if (rc && b->in_tx) {
        PQclear(PQexec(b->conn, "ROLLBACK"));
        b->in_tx = false;
    }
    return rc;
}

static lic_err pg_commit(lic_store *s)
{
    be *b = s->be;
    lic_err rc = run(s, Q_COMMIT, NULL, NULL, NULL);
    b->in_tx = false; /* COMMIT ends the transaction even when it fails */
    return rc;
}

static void pg_rollback(lic_store *s)
{
    be *b = s->be;
    if (b->in_tx && b->conn && PQstatus(b->conn) == CONNECTION_OK)
        (void)run(s, Q_ROLLBACK, NULL, NULL, NULL);
    b->in_tx = false;
}

static lic_err pg_agreement_latest(lic_store *s, const char *id, int *version, char sha[65])
{
    PGresult *res = NULL;
    const char *p[] = {id};
    lic_err rc = run(s, Q_AG_LATEST, p, NULL, &res);
    *version = 0;
    if (!rc && PQntuples(res) == 1) {
        *version = int_at(res, 0, 0);
        const char *h = PQgetvalue(res, 0, 1);
        memcpy(sha, strlen(h) == 64 ? h : "", strlen(h) == 64 ? 65 : 1);
    }
    PQclear(res);
    return rc;
}

static lic_err pg_agreement_insert(lic_store *s, const char *id, int version, const char *text, size_t len,
                                   const char *sha)
{
    char v[16];
    snprintf(v, sizeof v, "%d", version);
    if (len > 0x7fffffff)
        return lic__store_fail(s, LIC_ETOOBIG, "agreement %s: the text is too large to store", id);
    const char *p[] = {id, v, text, sha};
    const int lens[] = {0, 0, (int)len, 0}; /* the text in binary form: exactly len bytes */
    return run(s, Q_AG_INSERT, p, lens, NULL);
}

static lic_err pg_agreement_get(lic_store *s, const char *id, int version, char **text, size_t *len,
                                int *version_out)
{
    be *b = s->be;
    char v[16];
    snprintf(v, sizeof v, "%d", version);
    const char *p[] = {id, v};
    PGresult *res = NULL;
    lic_err rc = run(s, version ? Q_AG_GET : Q_AG_GET_LATEST, p, NULL, &res);
    if (!rc && PQntuples(res) == 1) {
        *len = (size_t)PQgetlength(res, 0, 0);
        *text = lic__strndup(PQgetvalue(res, 0, 0), *len);
        *version_out = int_at(res, 0, 1);
        if (!*text)
            rc = lic__store_fail(s, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
    } else if (!rc) {
        rc = version ? lic__store_fail(s, LIC_ENOTFOUND, "agreement %s has no version %d", id, version)
                     : lic__store_fail(s, LIC_ENOTFOUND, "no agreement %s in %s", id, b->url);
    }
    PQclear(res);
    return rc;
}

static lic_err pg_agreements(lic_store *s, int (*cb)(void *, const lic_store_agreement_info *), void *ctx)
{
    PGresult *res = NULL;
    lic_err rc = run(s, Q_AG_LIST, NULL, NULL, &res);
    for (int i = 0; !rc && i < PQntuples(res); i++) {
        lic_store_agreement_info info = {PQgetvalue(res, i, 0), int_at(res, i, 1),
                                         PQgetvalue(res, i, 2), strtoll(PQgetvalue(res, i, 3), NULL, 10),
                                         strtoll(PQgetvalue(res, i, 4), NULL, 10)};
        rc = (lic_err)cb(ctx, &info);
    }
    PQclear(res);
    return rc;
}

static lic_err pg_ledger_last(lic_store *s, int64_t *seq, char hash[65])
{
    PGresult *res = NULL;
    lic_err rc = run(s, Q_LAST, NULL, NULL, &res);
    *seq = 0;
    memset(hash, '0', 64);
    hash[64] = '\0';
    if (!rc && PQntuples(res) == 1) {
        *seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        if (strlen(PQgetvalue(res, 0, 1)) != 64)
            rc = lic__store_fail(s, LIC_ECORRUPT, "ledger row %lld: hash is not a SHA-256 (run licet verify)",
                                 (long long)*seq);
        else
            memcpy(hash, PQgetvalue(res, 0, 1), 65);
    }
    PQclear(res);
    return rc;
}

static lic_err pg_ledger_insert(lic_store *s, const lic_store_row *r)
{
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
    const char *p[] = {seq, r->agreement, r->kind, r->ident, r->digest, r->content, r->prev_hash, r->hash};
    return run(s, Q_INSERT, p, NULL, NULL);
}

/* Reads what is left of a walk's results so the connection is usable
 * again; returns the first error among them. */
static lic_err drain(lic_store *s, lic_err rc)
{
    PGresult *res;
    while ((res = PQgetResult(((be *)s->be)->conn))) {
        ExecStatusType st = PQresultStatus(res);
        if (!rc && st != PGRES_TUPLES_OK && st != PGRES_SINGLE_TUPLE && st != PGRES_COMMAND_OK)
            rc = fail(s, res);
        PQclear(res);
    }
    return rc;
}

static int each_row(PGresult *res, int (*cb)(void *, const lic_store_row *), void *ctx)
{
    lic_store_row r = {.seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10), .agreement = PQgetvalue(res, 0, 1),
                       .kind = PQgetvalue(res, 0, 2), .ident = PQgetvalue(res, 0, 3),
                       .digest = PQgetvalue(res, 0, 4), .content = PQgetvalue(res, 0, 5),
                       .prev_hash = PQgetvalue(res, 0, 6), .hash = PQgetvalue(res, 0, 7)};
    return cb(ctx, &r);
}

static lic_err pg_ledger(lic_store *s, const lic_store_filter *f, int (*cb)(void *, const lic_store_row *),
                         void *ctx)
{
    be *b = s->be;
    bool by_ident = f->ident && f->agreement && f->kind;
    int q = by_ident ? Q_ROWS_IDENT : Q_ROWS;
    const char *p[] = {f->agreement, f->kind, f->ident};
    char name[16];
    snprintf(name, sizeof name, "q%d", q);
    if (!PQsendQueryPrepared(b->conn, name, queries[q].nparams, p, NULL, NULL, 0) || !PQsetSingleRowMode(b->conn))
        return drain(s, fail(s, NULL));
    lic_err rc = LIC_OK;
    PGresult *res;
    while (!rc && (res = PQgetResult(b->conn))) {
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_SINGLE_TUPLE)
            rc = (lic_err)each_row(res, cb, ctx);
        else if (st != PGRES_TUPLES_OK)
            rc = fail(s, res);
        PQclear(res);
    }
    return drain(s, rc);
}

/* ---- accounts ---- */

/* Runs a statement with RETURNING; *wrote: whether it returned a row. */
static lic_err run_wrote(lic_store *s, int q, const char *const *params, bool *wrote)
{
    PGresult *res = NULL;
    lic_err rc = run(s, q, params, NULL, &res);
    *wrote = !rc && res && PQntuples(res) > 0;
    PQclear(res);
    return rc;
}

static lic_err pg_user_insert(lic_store *s, const lic__store_account *a, bool *added)
{
    char created[24];
    snprintf(created, sizeof created, "%lld", (long long)a->created);
    const char *p[] = {a->name, a->role, a->party, a->pwhash, created};
    return run_wrote(s, Q_USER_INSERT, p, added);
}

static lic_err pg_user_set_pwhash(lic_store *s, const char *name, const char *pwhash, bool *found)
{
    const char *p[] = {name, pwhash};
    return run_wrote(s, Q_USER_PWHASH, p, found);
}

static lic_err pg_user_set_disabled(lic_store *s, const char *name, bool disabled, bool *found)
{
    const char *p[] = {name, disabled ? "1" : "0"};
    return run_wrote(s, Q_USER_DISABLED, p, found);
}

/* Runs q (its rows: ACCOUNT_COLS and a csrf) and calls cb for each row. */
static lic_err account_rows(lic_store *s, int q, const char *const *params,
                            int (*cb)(void *, const lic__store_account *), void *ctx)
{
    PGresult *res = NULL;
    lic_err rc = run(s, q, params, NULL, &res);
    for (int i = 0; !rc && i < PQntuples(res); i++) {
        lic__store_account a = {.name = PQgetvalue(res, i, 0), .role = PQgetvalue(res, i, 1),
                                .party = PQgetvalue(res, i, 2), .pwhash = PQgetvalue(res, i, 3),
                                .created = strtoll(PQgetvalue(res, i, 4), NULL, 10),
                                .disabled = int_at(res, i, 5) != 0, .csrf = PQgetvalue(res, i, 6)};
        rc = (lic_err)cb(ctx, &a);
    }
    PQclear(res);
    return rc;
}

static lic_err pg_users(lic_store *s, const char *name, int (*cb)(void *, const lic__store_account *), void *ctx)
{
    const char *p[] = {name};
    return account_rows(s, name ? Q_USER_GET : Q_USERS, p, cb, ctx);
}

static lic_err pg_session_insert(lic_store *s, const char *token_hash, const char *user, const char *csrf,
                                 int64_t created, int64_t expires)
{
    char c[24], e[24];
    snprintf(c, sizeof c, "%lld", (long long)created);
    snprintf(e, sizeof e, "%lld", (long long)expires);
    const char *p[] = {token_hash, user, csrf, c, e};
    return run(s, Q_SESSION_INSERT, p, NULL, NULL);
}

static lic_err pg_session_purge(lic_store *s, int64_t now)
{
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)now);
    const char *p[] = {n};
    return run(s, Q_SESSION_PURGE, p, NULL, NULL);
}

static lic_err pg_session_get(lic_store *s, const char *token_hash, int64_t now,
                              int (*cb)(void *, const lic__store_account *), void *ctx)
{
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)now);
    const char *p[] = {token_hash, n};
    return account_rows(s, Q_SESSION_GET, p, cb, ctx);
}

static lic_err pg_session_delete(lic_store *s, const char *token_hash)
{
    const char *p[] = {token_hash};
    return run(s, Q_SESSION_DELETE, p, NULL, NULL);
}

static lic_err pg_token_insert(lic_store *s, const char *token_hash, const char *user, const char *label,
                               int64_t created)
{
    char c[24];
    snprintf(c, sizeof c, "%lld", (long long)created);
    const char *p[] = {token_hash, user, label, c};
    return run(s, Q_TOKEN_INSERT, p, NULL, NULL);
}

static lic_err pg_token_get(lic_store *s, const char *token_hash, int (*cb)(void *, const lic__store_account *),
                            void *ctx)
{
    const char *p[] = {token_hash};
    return account_rows(s, Q_TOKEN_GET, p, cb, ctx);
}

const lic__store_ops lic__store_pg = {
    .version = 1,
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .schema_version = pg_schema,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .agreement_latest = pg_agreement_latest,
    .agreement_insert = pg_agreement_insert,
    .agreement_get = pg_agreement_get,
    .agreements = pg_agreements,
    .ledger_last = pg_ledger_last,
    .ledger_insert = pg_ledger_insert,
    .ledger = pg_ledger,
    .user_insert = pg_user_insert,
    .user_set_pwhash = pg_user_set_pwhash,
    .user_set_disabled = pg_user_set_disabled,
    .users = pg_users,
    .session_insert = pg_session_insert,
    .session_purge = pg_session_purge,
    .session_get = pg_session_get,
    .session_delete = pg_session_delete,
    .token_insert = pg_token_insert,
    .token_get = pg_token_get,
};
