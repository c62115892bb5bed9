/*
 * test_auth.c - accounts in the portfolio store (licet/auth.h): roles,
 * users and their validation, logins, sessions and their expiry, API
 * tokens, disabled users, what the database holds of the secrets, and
 * the migration of a schema-1 store.  Each test runs on a fresh SQLite
 * store in /tmp; with LICET_PG_URL set (scripts/pg-test.sh sets it) they
 * all run again on PostgreSQL, each in a fresh schema licet_auth_unit of
 * that database (the SQLite-only migration test is skipped there).
 */
#include "testutil.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "licet/auth.h"
#include "licet/store.h"

typedef struct fixture {
    char path[96];        /* SQLite: the file */
    char url[600];        /* PostgreSQL: the URL with the test's schema; "" on SQLite */
    lic_store *s;
} fixture;

static const char *pg_url; /* the PostgreSQL run's database, NULL in the SQLite run */
#define PG_SCHEMA "licet_auth_unit"

static void remove_db(const char *p)
{
    char b[128];
    unlink(p);
    snprintf(b, sizeof b, "%s-wal", p);
    unlink(b);
    snprintf(b, sizeof b, "%s-shm", p);
    unlink(b);
}

/* An empty schema PG_SCHEMA in pg_url's database. */
static int pg_fresh_schema(void)
{
    PGconn *c = PQconnectdb(pg_url);
    PGresult *r = PQexec(c, "SET client_min_messages = warning;"
                            "DROP SCHEMA IF EXISTS " PG_SCHEMA " CASCADE; CREATE SCHEMA " PG_SCHEMA);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "%s: %s", pg_url, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok ? 0 : -1;
}

static int setup(void **state)
{
    static int n;
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->path, sizeof f->path, "/tmp/licet-test-auth-%ld-%d.db", (long)getpid(), ++n);
    remove_db(f->path);
    if (pg_url)
        snprintf(f->url, sizeof f->url, "%s%coptions=-csearch_path%%3D" PG_SCHEMA, pg_url,
                 strchr(pg_url, '?') ? '&' : '?');
    char err[300];
    if ((pg_url && pg_fresh_schema()) ||
        lic_store_open(pg_url ? f->url : f->path, LIC_STORE_CREATE, err, sizeof err, &f->s)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    lic_store_close(f->s);
    remove_db(f->path);
    free(f);
    return 0;
}

/* The one value of a query on PostgreSQL, or runs a statement there. */
static void pg_sql(const fixture *f, const char *text, char *out, size_t n)
{
    PGconn *c = PQconnectdb(f->url);
    PGresult *r = PQexec(c, text);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        fprintf(stderr, "sql: %s", PQerrorMessage(c));
    if (out)
        snprintf(out, n, "%s", st == PGRES_TUPLES_OK && PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    PQfinish(c);
    assert_true(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
}

/* Runs SQL on the fixture's database from outside the store. */
static void sql(const fixture *f, const char *text)
{
    if (f->url[0]) {
        pg_sql(f, text, NULL, 0);
        return;
    }
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, text, NULL, NULL, &msg);
    if (rc)
        fprintf(stderr, "sql: %s\n", msg ? msg : "?");
    sqlite3_free(msg);
    sqlite3_close(db);
    assert_int_equal(rc, SQLITE_OK);
}

/* The one value of a query, as text (a static buffer). */
static const char *sql_value(const fixture *f, const char *text)
{
    static char out[256];
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    out[0] = '\0';
    if (f->url[0]) {
        pg_sql(f, text, out, sizeof out);
        return out;
    }
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, text, -1, &q, NULL), SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    return out;
}

static lic_user user(const char *name, lic_role role, const char *party)
{
    lic_user u = {.role = role};
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.party, sizeof u.party, "%s", party);
    return u;
}

static void add(fixture *f, const char *name, lic_role role, const char *party, const char *pw)
{
    lic_user u = user(name, role, party);
    lic_err rc = lic_auth_user_add(f->s, &u, pw, 1700000000);
    if (rc)
        fprintf(stderr, "user_add: %s\n", lic_store_errmsg(f->s));
    assert_int_equal(rc, LIC_OK);
}

static bool lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdef", s[i]) || !s[i])
            return false;
    return s[n] == '\0';
}

static void test_roles(void **state)
{
    (void)state;
    static const char *const names[] = {"admin", "manager", "licensee", "auditor"};
    for (int i = 0; i < 4; i++) {
        lic_role r = LIC_ROLE_AUDITOR;
        assert_string_equal(lic_role_name((lic_role)i), names[i]);
        assert_true(lic_role_parse(names[i], &r));
        assert_int_equal(r, i);
    }
    assert_int_equal(LIC_ROLE_ADMIN, 0);
    assert_int_equal(LIC_ROLE_LICENSEE, 2);
    lic_role r = LIC_ROLE_MANAGER;
    assert_false(lic_role_parse("Admin", &r));
    assert_false(lic_role_parse("", &r));
    assert_false(lic_role_parse("admins", &r));
    assert_false(lic_role_parse(NULL, &r));
    assert_int_equal(r, LIC_ROLE_MANAGER);
    assert_string_equal(lic_role_name((lic_role)4), "?");
}

typedef struct listing {
    char text[1024];
    size_t n;
} listing;

static int list_user(void *ctx, const lic_user *u)
{
    listing *l = ctx;
    l->n += (size_t)snprintf(l->text + l->n, sizeof l->text - l->n, "%s/%s/%s%s;", u->name, lic_role_name(u->role),
                             u->party, u->disabled ? " disabled" : "");
    return 0;
}

static void expect_add(fixture *f, lic_user u, const char *pw, lic_err code, const char *msg)
{
    assert_int_equal(lic_auth_user_add(f->s, &u, pw, 1700000000), code);
    assert_string_equal(lic_store_errmsg(f->s), msg);
}

static void test_user_add(void **state)
{
    fixture *f = *state;
    add(f, "manny", LIC_ROLE_MANAGER, "", "password1");
    add(f, "lee@acme.example", LIC_ROLE_LICENSEE, "ACME-1", "12345678"); /* exactly 8 bytes */
    add(f, "A.d_m-1", LIC_ROLE_ADMIN, "", "correct horse battery staple");
    expect_add(f, user("manny", LIC_ROLE_AUDITOR, ""), "password2", LIC_EINVALID, "user \"manny\" already exists");
    expect_add(f, user("bad name", LIC_ROLE_MANAGER, ""), "password1", LIC_EINVALID,
               "\"bad name\" is not a valid user name (1-63 characters: letters, digits, '.', '_', '@', '-')");
    expect_add(f, user("", LIC_ROLE_MANAGER, ""), "password1", LIC_EINVALID,
               "\"\" is not a valid user name (1-63 characters: letters, digits, '.', '_', '@', '-')");
    expect_add(f, user("tab\there", LIC_ROLE_MANAGER, ""), "password1", LIC_EINVALID,
               "\"tab?here\" is not a valid user name (1-63 characters: letters, digits, '.', '_', '@', '-')");
    lic_user full = user("", LIC_ROLE_MANAGER, "");
    memset(full.name, 'x', sizeof full.name); /* no terminator within 64 bytes */
    assert_int_equal(lic_auth_user_add(f->s, &full, "password1", 1), LIC_EINVALID);
    expect_add(f, user("lic", LIC_ROLE_LICENSEE, ""), "password1", LIC_EINVALID,
               "user \"lic\": a licensee must be bound to a party (the agreement's parties.licensee.id)");
    expect_add(f, user("mgr", LIC_ROLE_MANAGER, "ACME-1"), "password1", LIC_EINVALID,
               "user \"mgr\": role manager takes no party (only a licensee is bound to one)");
    expect_add(f, user("lic", LIC_ROLE_LICENSEE, "-ACME"), "password1", LIC_EINVALID,
               "user \"lic\": party \"-ACME\" is not an agreement id (1-63 letters, digits, '.', '_', '-';"
               " starting with a letter or digit)");
    expect_add(f, user("lic", LIC_ROLE_LICENSEE, "ACME"), "1234567", LIC_EINVALID,
               "user \"lic\": the password must be at least 8 bytes");
    expect_add(f, user("lic", LIC_ROLE_LICENSEE, "ACME"), NULL, LIC_EINVALID,
               "user \"lic\": the password must be at least 8 bytes");
    expect_add(f, user("lic", (lic_role)9, ""), "password1", LIC_EINVALID, "user \"lic\": unknown role 9");
    char *long_pw = malloc(LIC_AUTH_PASSWORD_MAX + 2);
    assert_non_null(long_pw);
    memset(long_pw, 'p', LIC_AUTH_PASSWORD_MAX + 1);
    long_pw[LIC_AUTH_PASSWORD_MAX + 1] = '\0';
    expect_add(f, user("lic", LIC_ROLE_LICENSEE, "ACME"), long_pw, LIC_EINVALID,
               "user \"lic\": the password must be at most 4096 bytes");
    free(long_pw);

    listing l = {0};
    assert_int_equal(lic_auth_users(f->s, list_user, &l), LIC_OK);
    /* bytewise order: uppercase first */
    assert_string_equal(l.text, "A.d_m-1/admin/;lee@acme.example/licensee/ACME-1;manny/manager/;");
    assert_string_equal(sql_value(f, "SELECT created FROM users WHERE name = 'manny'"), "1700000000");
    assert_string_equal(sql_value(f, "SELECT substr(pwhash, 1, 31) FROM users WHERE name = 'manny'"),
                        "$argon2id$v=19$m=65536,t=2,p=1$");
}

static int stop_at_first(void *ctx, const lic_user *u)
{
    (void)u;
    ++*(int *)ctx;
    return 42;
}

static void test_users_stop(void **state)
{
    fixture *f = *state;
    int calls = 0;
    assert_int_equal(lic_auth_users(f->s, stop_at_first, &calls), LIC_OK); /* no users: no call */
    assert_int_equal(calls, 0);
    add(f, "a1", LIC_ROLE_ADMIN, "", "password1");
    add(f, "a2", LIC_ROLE_ADMIN, "", "password1");
    assert_int_equal(lic_auth_users(f->s, stop_at_first, &calls), 42);
    assert_int_equal(calls, 1);
}

static void expect_no_login(fixture *f, const char *name, const char *pw)
{
    lic_user u = user("untouched", LIC_ROLE_AUDITOR, "");
    assert_int_equal(lic_auth_login(f->s, name, pw, &u), LIC_ENOTFOUND);
    assert_string_equal(lic_store_errmsg(f->s), "wrong user name or password");
    assert_string_equal(u.name, "untouched");
}

static void test_login(void **state)
{
    fixture *f = *state;
    add(f, "lee", LIC_ROLE_LICENSEE, "ACME-1", "password1");
    lic_user u = {0};
    assert_int_equal(lic_auth_login(f->s, "lee", "password1", &u), LIC_OK);
    assert_string_equal(u.name, "lee");
    assert_int_equal(u.role, LIC_ROLE_LICENSEE);
    assert_string_equal(u.party, "ACME-1");
    expect_no_login(f, "lee", "password2");
    expect_no_login(f, "lee", "");
    expect_no_login(f, "lee", NULL);
    expect_no_login(f, "nobody", "password1");
    expect_no_login(f, "bad name", "password1");
    expect_no_login(f, NULL, "password1");

    assert_int_equal(lic_auth_user_passwd(f->s, "lee", "new password"), LIC_OK);
    expect_no_login(f, "lee", "password1");
    assert_int_equal(lic_auth_login(f->s, "lee", "new password", &u), LIC_OK);
    assert_int_equal(lic_auth_user_passwd(f->s, "nobody", "new password"), LIC_ENOTFOUND);
    assert_string_equal(lic_store_errmsg(f->s), "no user \"nobody\"");
    assert_int_equal(lic_auth_user_passwd(f->s, "lee", "short"), LIC_EINVALID);
    assert_string_equal(lic_store_errmsg(f->s), "user \"lee\": the password must be at least 8 bytes");
    assert_int_equal(lic_auth_login(f->s, "lee", "new password", &u), LIC_OK);
}

static void test_sessions(void **state)
{
    fixture *f = *state;
    add(f, "manny", LIC_ROLE_MANAGER, "", "password1");
    char token[LIC_AUTH_TOKEN_LEN + 1], csrf[LIC_AUTH_TOKEN_LEN + 1];
    assert_int_equal(lic_auth_session_new(f->s, "manny", 1000, 3600, token, csrf), LIC_OK);
    assert_true(lower_hex(token, 64));
    assert_true(lower_hex(csrf, 64));
    assert_string_not_equal(token, csrf);

    /* The database holds SHA-256(token) and the csrf, never the token. */
    char hash[65], q[400];
    lic_store_sha256_hex(token, 64, hash);
    snprintf(q, sizeof q, "SELECT count(*) FROM sessions WHERE token_hash = '%s' AND csrf = '%s'"
                          " AND created = 1000 AND expires = 4600 AND user_name = 'manny'", hash, csrf);
    assert_string_equal(sql_value(f, q), "1");
    snprintf(q, sizeof q, "SELECT count(*) FROM sessions WHERE token_hash = '%s'", token);
    assert_string_equal(sql_value(f, q), "0");

    lic_user u = {0};
    char got[LIC_AUTH_TOKEN_LEN + 1] = "";
    assert_int_equal(lic_auth_session_get(f->s, token, 1000, &u, got), LIC_OK);
    assert_string_equal(u.name, "manny");
    assert_int_equal(u.role, LIC_ROLE_MANAGER);
    assert_string_equal(u.party, "");
    assert_string_equal(got, csrf);
    assert_int_equal(lic_auth_session_get(f->s, token, 4599, &u, NULL), LIC_OK);
    assert_int_equal(lic_auth_session_get(f->s, token, 4600, &u, got), LIC_ENOTFOUND); /* expires <= now */
    assert_string_equal(lic_store_errmsg(f->s), "no such session (unknown, expired, or its user disabled)");

    /* Unknown and malformed tokens. */
    char other[LIC_AUTH_TOKEN_LEN + 1];
    memcpy(other, token, sizeof other);
    other[0] = other[0] == 'a' ? 'b' : 'a';
    assert_int_equal(lic_auth_session_get(f->s, other, 1000, &u, got), LIC_ENOTFOUND);
    char upper[LIC_AUTH_TOKEN_LEN + 1];
    for (int i = 0; i <= LIC_AUTH_TOKEN_LEN; i++)
        upper[i] = token[i] >= 'a' && token[i] <= 'f' ? (char)(token[i] - 32) : token[i];
    assert_int_equal(lic_auth_session_get(f->s, strcmp(upper, token) ? upper : "x", 1000, &u, got), LIC_ENOTFOUND);
    assert_int_equal(lic_auth_session_get(f->s, "", 1000, &u, got), LIC_ENOTFOUND);
    assert_int_equal(lic_auth_session_get(f->s, NULL, 1000, &u, got), LIC_ENOTFOUND);
    assert_int_equal(lic_auth_session_get(f->s, hash, 1000, &u, got), LIC_ENOTFOUND); /* the hash is no token */

    /* Ending it. */
    assert_int_equal(lic_auth_session_end(f->s, token), LIC_OK);
    assert_int_equal(lic_auth_session_get(f->s, token, 1000, &u, got), LIC_ENOTFOUND);
    assert_int_equal(lic_auth_session_end(f->s, token), LIC_OK);
    assert_int_equal(lic_auth_session_end(f->s, "not a token"), LIC_OK);

    /* A new session deletes the ones expired by its `now`. */
    char t1[LIC_AUTH_TOKEN_LEN + 1], t2[LIC_AUTH_TOKEN_LEN + 1], c2[LIC_AUTH_TOKEN_LEN + 1];
    assert_int_equal(lic_auth_session_new(f->s, "manny", 0, 10, t1, c2), LIC_OK);
    assert_int_equal(lic_auth_session_get(f->s, t1, 5, &u, NULL), LIC_OK);
    assert_int_equal(lic_auth_session_new(f->s, "manny", 100, 10, t2, c2), LIC_OK);
    assert_string_not_equal(t1, t2);
    assert_int_equal(lic_auth_session_get(f->s, t1, 5, &u, NULL), LIC_ENOTFOUND); /* purged */
    assert_string_equal(sql_value(f, "SELECT count(*) FROM sessions"), "1");

    /* Sessions only for users that can log in; a positive lifetime. */
    memcpy(t2, "unchanged", 10);
    assert_int_equal(lic_auth_session_new(f->s, "nobody", 100, 10, t2, c2), LIC_ENOTFOUND);
    assert_string_equal(lic_store_errmsg(f->s), "no user \"nobody\"");
    assert_string_equal(t2, "unchanged");
    assert_int_equal(lic_auth_session_new(f->s, "manny", 100, 0, t2, c2), LIC_EINVAL);
    assert_string_equal(lic_store_errmsg(f->s), "a session needs a positive lifetime, not 0 s");
    assert_int_equal(lic_auth_session_new(f->s, "manny", INT64_MAX - 5, 10, t2, c2), LIC_ERANGE);
}

static void test_tokens(void **state)
{
    fixture *f = *state;
    add(f, "ci", LIC_ROLE_AUDITOR, "", "password1");
    char token[LIC_AUTH_API_TOKEN_LEN + 1];
    assert_int_equal(lic_auth_token_new(f->s, "ci", "nightly export", 1234, token), LIC_OK);
    assert_int_equal(strlen(token), 68);
    assert_memory_equal(token, "lic_", 4);
    assert_true(lower_hex(token + 4, 64));
    char hash[65], q[400];
    lic_store_sha256_hex(token, 68, hash);
    snprintf(q, sizeof q, "SELECT user_name || '|' || label || '|' || created FROM api_tokens WHERE token_hash = '%s'",
             hash);
    assert_string_equal(sql_value(f, q), "ci|nightly export|1234");

    lic_user u = {0};
    assert_int_equal(lic_auth_token_get(f->s, token, &u), LIC_OK);
    assert_string_equal(u.name, "ci");
    assert_int_equal(u.role, LIC_ROLE_AUDITOR);

    char other[LIC_AUTH_API_TOKEN_LEN + 1];
    memcpy(other, token, sizeof other);
    other[10] = other[10] == '0' ? '1' : '0';
    assert_int_equal(lic_auth_token_get(f->s, other, &u), LIC_ENOTFOUND);
    assert_string_equal(lic_store_errmsg(f->s), "no such API token (unknown, or its user disabled)");
    assert_int_equal(lic_auth_token_get(f->s, token + 4, &u), LIC_ENOTFOUND); /* without lic_ */
    assert_int_equal(lic_auth_token_get(f->s, "lic_", &u), LIC_ENOTFOUND);
    assert_int_equal(lic_auth_token_get(f->s, NULL, &u), LIC_ENOTFOUND);

    char second[LIC_AUTH_API_TOKEN_LEN + 1];
    assert_int_equal(lic_auth_token_new(f->s, "ci", NULL, 1235, second), LIC_OK);
    assert_string_not_equal(second, token);
    assert_int_equal(lic_auth_token_get(f->s, second, &u), LIC_OK);
    assert_int_equal(lic_auth_token_get(f->s, token, &u), LIC_OK); /* both valid */
    assert_string_equal(sql_value(f, "SELECT count(*) FROM api_tokens WHERE label = ''"), "1");

    assert_int_equal(lic_auth_token_new(f->s, "nobody", "x", 1, second), LIC_ENOTFOUND);
    assert_string_equal(lic_store_errmsg(f->s), "no user \"nobody\"");
    assert_int_equal(lic_auth_token_new(f->s, "ci", "two\nlines", 1, second), LIC_EINVALID);
    assert_string_equal(lic_store_errmsg(f->s),
                        "an API token's label must be at most 200 bytes without control characters");
}

/* lic_auth_user_set_disabled: everything but the listing refuses a
 * disabled user; its sessions are gone for good, its API tokens come
 * back when it is enabled. */
static void test_disabled(void **state)
{
    fixture *f = *state;
    add(f, "gone", LIC_ROLE_MANAGER, "", "password1");
    add(f, "other", LIC_ROLE_AUDITOR, "", "password1");
    char token[LIC_AUTH_TOKEN_LEN + 1], csrf[LIC_AUTH_TOKEN_LEN + 1], api[LIC_AUTH_API_TOKEN_LEN + 1];
    char keep[LIC_AUTH_TOKEN_LEN + 1];
    assert_int_equal(lic_auth_session_new(f->s, "gone", 1000, 60, token, csrf), LIC_OK);
    assert_int_equal(lic_auth_session_new(f->s, "other", 1000, 60, keep, csrf), LIC_OK);
    assert_int_equal(lic_auth_token_new(f->s, "gone", "x", 1000, api), LIC_OK);
    assert_int_equal(lic_auth_user_set_disabled(f->s, "gone", true), LIC_OK);
    assert_string_equal(sql_value(f, "SELECT disabled FROM users WHERE name = 'gone'"), "1");
    /* Its sessions are deleted, another user's are not. */
    assert_string_equal(sql_value(f, "SELECT count(*) FROM sessions WHERE user_name = 'gone'"), "0");
    assert_string_equal(sql_value(f, "SELECT count(*) FROM sessions"), "1");

    lic_user u = {0};
    expect_no_login(f, "gone", "password1");
    assert_int_equal(lic_auth_session_get(f->s, token, 1000, &u, csrf), LIC_ENOTFOUND);
    assert_int_equal(lic_auth_token_get(f->s, api, &u), LIC_ENOTFOUND);
    assert_string_equal(lic_store_errmsg(f->s), "no such API token (unknown, or its user disabled)");
    assert_int_equal(lic_auth_session_new(f->s, "gone", 1000, 60, token, csrf), LIC_ENOTFOUND);
    assert_string_equal(lic_store_errmsg(f->s), "user \"gone\" is disabled");
    assert_int_equal(lic_auth_token_new(f->s, "gone", "x", 1000, api), LIC_ENOTFOUND);
    assert_int_equal(lic_auth_session_get(f->s, keep, 1000, &u, NULL), LIC_OK);
    listing l = {0};
    assert_int_equal(lic_auth_users(f->s, list_user, &l), LIC_OK);
    assert_string_equal(l.text, "gone/manager/ disabled;other/auditor/;");
    assert_int_equal(lic_auth_user_get(f->s, "gone", &u), LIC_OK);
    assert_true(u.disabled);
    /* Again: not an error, nothing changes. */
    assert_int_equal(lic_auth_user_set_disabled(f->s, "gone", true), LIC_OK);
    assert_int_equal(lic_auth_user_set_disabled(f->s, "nobody", true), LIC_ENOTFOUND);
    assert_string_equal(lic_store_errmsg(f->s), "no user \"nobody\"");
    assert_int_equal(lic_auth_user_set_disabled(f->s, "bad name", false), LIC_ENOTFOUND);
    assert_string_equal(lic_store_errmsg(f->s), "no user \"bad name\"");
    assert_int_equal(lic_auth_user_get(f->s, "nobody", &u), LIC_ENOTFOUND);

    /* Enabled again: the API token works, the old session stays ended. */
    assert_int_equal(lic_auth_user_set_disabled(f->s, "gone", false), LIC_OK);
    assert_int_equal(lic_auth_token_get(f->s, api, &u), LIC_OK);
    assert_string_equal(u.name, "gone");
    assert_false(u.disabled);
    assert_int_equal(lic_auth_session_get(f->s, token, 1000, &u, csrf), LIC_ENOTFOUND);
    assert_int_equal(lic_auth_login(f->s, "gone", "password1", &u), LIC_OK);
    assert_int_equal(lic_auth_user_set_disabled(f->s, "gone", false), LIC_OK);
    /* Deleting the user deletes its sessions and tokens (foreign keys). */
    assert_int_equal(lic_auth_session_new(f->s, "gone", 1000, 60, token, csrf), LIC_OK);
    sql(f, f->url[0] ? "DELETE FROM users WHERE name = 'gone'"
                     : "PRAGMA foreign_keys = ON; DELETE FROM users WHERE name = 'gone'");
    assert_int_equal(lic_auth_session_get(f->s, token, 1000, &u, csrf), LIC_ENOTFOUND);
    assert_string_equal(sql_value(f, "SELECT count(*) FROM sessions WHERE user_name = 'gone'"), "0");
    assert_string_equal(sql_value(f, "SELECT count(*) FROM api_tokens"), "0");
}

/* In the caller's transaction, disabling is undone with it: the flag
 * and the deleted sessions both come back. */
static void test_disabled_rollback(void **state)
{
    fixture *f = *state;
    add(f, "held", LIC_ROLE_MANAGER, "", "password1");
    char token[LIC_AUTH_TOKEN_LEN + 1], csrf[LIC_AUTH_TOKEN_LEN + 1];
    assert_int_equal(lic_auth_session_new(f->s, "held", 1000, 60, token, csrf), LIC_OK);
    assert_int_equal(lic_store_begin(f->s), LIC_OK);
    assert_int_equal(lic_auth_user_set_disabled(f->s, "held", true), LIC_OK);
    lic_user u;
    assert_int_equal(lic_auth_session_get(f->s, token, 1000, &u, NULL), LIC_ENOTFOUND);
    lic_store_rollback(f->s);
    assert_int_equal(lic_auth_session_get(f->s, token, 1000, &u, NULL), LIC_OK);
    assert_false(u.disabled);
    assert_string_equal(sql_value(f, "SELECT disabled FROM users WHERE name = 'held'"), "0");
}

/* A role the library does not know, written behind its back. */
static void test_corrupt_row(void **state)
{
    fixture *f = *state;
    add(f, "odd", LIC_ROLE_MANAGER, "", "password1");
    sql(f, "UPDATE users SET role = 'overlord' WHERE name = 'odd'");
    lic_user u;
    assert_int_equal(lic_auth_login(f->s, "odd", "password1", &u), LIC_ECORRUPT);
    assert_string_equal(lic_store_errmsg(f->s), "user \"odd\": its stored row is not a valid account");
    listing l = {0};
    assert_int_equal(lic_auth_users(f->s, list_user, &l), LIC_ECORRUPT);
}

/* Migration 1 as it was released, to make a schema-1 store. */
static const char schema1[] =
    "CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL);"
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
    "  BEGIN SELECT RAISE(ABORT, 'agreement versions are kept as stored'); END;"
    "INSERT INTO schema_version VALUES (1, datetime('now'));"
    "INSERT INTO agreement_versions VALUES ('T1', 1, 'one',"
    "  '7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed');";

static void test_migrate_from_1(void **state)
{
    fixture *f = *state;
    if (f->url[0])
        skip(); /* tests/store/users.sh migrates a PostgreSQL store */
    lic_store_close(f->s);
    f->s = NULL;
    remove_db(f->path);
    sql(f, schema1);
    char err[300];
    assert_int_equal(lic_store_open(f->path, 0, err, sizeof err, &f->s), LIC_OK);
    assert_int_equal(lic_store_schema_version(f->s), 2);
    assert_int_equal(LIC_STORE_SCHEMA_VERSION, 2);
    assert_string_equal(sql_value(f, "SELECT group_concat(version) FROM schema_version"), "1,2");
    char *text = NULL;
    size_t len = 0;
    int v = 0;
    assert_int_equal(lic_store_agreement_get(f->s, "T1", 0, &text, &len, &v), LIC_OK);
    assert_string_equal(text, "one");
    free(text);
    add(f, "after", LIC_ROLE_ADMIN, "", "password1");
    lic_user u;
    assert_int_equal(lic_auth_login(f->s, "after", "password1", &u), LIC_OK);
    /* Opening again migrates nothing. */
    lic_store_close(f->s);
    assert_int_equal(lic_store_open(f->path, 0, err, sizeof err, &f->s), LIC_OK);
    assert_string_equal(sql_value(f, "SELECT count(*) FROM schema_version"), "2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test_setup_teardown(test_user_add, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disabled_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_from_1, setup, teardown),
    };
    int failed = cmocka_run_group_tests_name("auth (sqlite)", tests, NULL, NULL);
    pg_url = getenv("LICET_PG_URL");
    if (pg_url && *pg_url)
        failed += cmocka_run_group_tests_name("auth (postgres)", tests, NULL, NULL);
    return failed;
}
