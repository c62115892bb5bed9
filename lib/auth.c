/*
 * auth.c - accounts of the portfolio store (licet/auth.h): users and
 * their argon2id passwords, sessions and API tokens.  The rows are moved
 * by the store's backend (store_int.h, the account ops); this file holds
 * the rules: what a valid account is, how secrets are made, hashed and
 * checked.
 *
 * NOTES ON THE DESIGN
 * - Only hashes of secrets reach the database: passwords as
 *   crypto_pwhash_str text (argon2id with its salt and parameters),
 *   session and API tokens as SHA-256 of their text.  A token has 256
 *   random bits, so a fast hash is enough and lets the database find it
 *   by primary key: no secret is ever compared in C.
 * - A failed login says the same thing, and costs the same argon2id
 *   verification, whether the name is unknown, the user disabled or the
 *   password wrong: an unknown name is verified against DUMMY_HASH.
 * - The library never reads the clock; `now` comes from the caller.
 */
#include "licet/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"

/* An argon2id hash with the parameters of real ones (INTERACTIVE), of a
 * password nobody has: an unknown user's login verifies against it so
 * that it takes as long as a known user's. */
static const char DUMMY_HASH[] =
    "$argon2id$v=19$m=65536,t=2,p=1$skmemplrIKe1cd9XznJAcA$f75Qa8HAhbR5DB6gFz9IEfDvAVrzaILKFgx/s9r1Iyo";

#define API_TOKEN_PREFIX "lic_"
#define SECRET_BYTES 32

_Static_assert(LIC_AUTH_TOKEN_LEN == 2 * SECRET_BYTES, "a token is its bytes in hex");
_Static_assert(LIC_AUTH_API_TOKEN_LEN == sizeof API_TOKEN_PREFIX - 1 + 2 * SECRET_BYTES, "lic_ + hex");

static const char *const role_names[] = {
    [LIC_ROLE_ADMIN] = "admin",
    [LIC_ROLE_MANAGER] = "manager",
    [LIC_ROLE_LICENSEE] = "licensee",
    [LIC_ROLE_AUDITOR] = "auditor",
};
#define NROLES ((int)(sizeof role_names / sizeof role_names[0]))

const char *lic_role_name(lic_role r)
{
    return (int)r >= 0 && (int)r < NROLES ? role_names[r] : "?";
}

bool lic_role_parse(const char *s, lic_role *out)
{
    for (int i = 0; s && i < NROLES; i++)
        if (!strcmp(s, role_names[i])) {
            *out = (lic_role)i;
            return true;
        }
    return false;
}

/* ---- validation ---- */

static bool is_alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A login name: 1-63 characters of [A-Za-z0-9._@-]. */
static bool valid_name(const char *s)
{
    size_t n = s ? strnlen(s, sizeof ((lic_user *)0)->name) : 0;
    if (n == 0 || n >= sizeof ((lic_user *)0)->name)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum(s[i]) && !strchr("._@-", s[i]))
            return false;
    return true;
}

/* A party: an agreement id (load_util.c's rule) that fits lic_user.party. */
static bool valid_party(const char *s)
{
    size_t n = strnlen(s, sizeof ((lic_user *)0)->party);
    if (n == 0 || n >= sizeof ((lic_user *)0)->party)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum(s[i]) && (i == 0 || !strchr("._-", s[i])))
            return false;
    return true;
}

/* s as it may appear in a one-line message: at most 63 bytes, control
 * characters as '?', "..." when cut. */
static const char *shown(const char *s, char out[72])
{
    size_t n = 0;
    for (; s && s[n] && n < 63; n++)
        out[n] = (unsigned char)s[n] < 0x20 || s[n] == 0x7f ? '?' : s[n];
    memcpy(out + n, s && s[n] ? "..." : "", s && s[n] ? 4 : 1);
    return out;
}

/* exactly n lowercase hex digits */
static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[n] == '\0';
}

static lic_err need_sodium(lic_store *s)
{
    if (sodium_init() < 0)
        return lic__store_fail(s, LIC_EIO, "libsodium cannot be initialised");
    return LIC_OK;
}

static lic_err check_password(lic_store *s, const char *name, const char *password)
{
    char nb[72];
    size_t n = password ? strnlen(password, LIC_AUTH_PASSWORD_MAX + 1) : 0;
    if (n < LIC_AUTH_PASSWORD_MIN)
        return lic__store_fail(s, LIC_EINVALID, "user \"%s\": the password must be at least %d bytes",
                               shown(name, nb), LIC_AUTH_PASSWORD_MIN);
    if (n > LIC_AUTH_PASSWORD_MAX)
        return lic__store_fail(s, LIC_EINVALID, "user \"%s\": the password must be at most %d bytes",
                               shown(name, nb), LIC_AUTH_PASSWORD_MAX);
    return LIC_OK;
}

/* pwhash = argon2id of password (crypto_pwhash_STRBYTES bytes). */
static lic_err hash_password(lic_store *s, const char *password, char pwhash[crypto_pwhash_STRBYTES])
{
    if (crypto_pwhash_str(pwhash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE))
        return lic__store_fail(s, LIC_ENOMEM, "argon2id could not allocate its %zu bytes",
                               (size_t)crypto_pwhash_MEMLIMIT_INTERACTIVE);
    return LIC_OK;
}

/* ---- reading accounts ---- */

/* What one lookup found. */
typedef struct found {
    bool found, corrupt;
    bool disabled;
    lic_user u;
    char pwhash[crypto_pwhash_STRBYTES];
    char csrf[LIC_AUTH_TOKEN_LEN + 1];
} found;

/* Copies a row into a lic_user; false when the row does not make one. */
static bool to_user(const lic__store_account *a, lic_user *u)
{
    memset(u, 0, sizeof *u);
    size_t nl = strlen(a->name), pl = strlen(a->party);
    if (nl >= sizeof u->name)
        return false;
    memcpy(u->name, a->name, nl + 1); /* first: a message may name it */
    if (pl >= sizeof u->party || !lic_role_parse(a->role, &u->role))
        return false;
    memcpy(u->party, a->party, pl + 1);
    u->disabled = a->disabled;
    return true;
}

static int take(void *ctx, const lic__store_account *a)
{
    found *f = ctx;
    size_t hl = strlen(a->pwhash), cl = strlen(a->csrf);
    f->found = true;
    f->disabled = a->disabled;
    f->corrupt = !to_user(a, &f->u) || hl >= sizeof f->pwhash || (cl && cl != LIC_AUTH_TOKEN_LEN);
    if (!f->corrupt) {
        memcpy(f->pwhash, a->pwhash, hl + 1);
        memcpy(f->csrf, a->csrf, cl + 1);
    }
    return 0;
}

static lic_err corrupt(lic_store *s, const found *f)
{
    char nb[72];
    return lic__store_fail(s, LIC_ECORRUPT, "user \"%s\": its stored row is not a valid account",
                           shown(f->u.name, nb));
}

/* The account `name` for a new session or token: it must exist and not
 * be disabled. */
static lic_err usable_user(lic_store *s, const char *name, found *f)
{
    char nb[72];
    lic_err rc = valid_name(name) ? s->ops->users(s, name, take, f) : LIC_OK;
    if (rc)
        return rc;
    if (!f->found)
        return lic__store_fail(s, LIC_ENOTFOUND, "no user \"%s\"", shown(name, nb));
    if (f->corrupt)
        return corrupt(s, f);
    if (f->disabled)
        return lic__store_fail(s, LIC_ENOTFOUND, "user \"%s\" is disabled", f->u.name);
    return LIC_OK;
}

/* ---- users ---- */

lic_err lic_auth_user_add(lic_store *s, const lic_user *u, const char *password, int64_t now)
{
    char nb[72], pb[72];
    const char *role = lic_role_name(u->role);
    if (!valid_name(u->name))
        return lic__store_fail(s, LIC_EINVALID,
                               "\"%s\" is not a valid user name (1-63 characters: letters, digits, '.', '_', '@', '-')",
                               shown(u->name, nb));
    if (!strcmp(role, "?"))
        return lic__store_fail(s, LIC_EINVALID, "user \"%s\": unknown role %d", u->name, (int)u->role);
    bool has_party = u->party[0] != '\0';
    if (u->role == LIC_ROLE_LICENSEE && !has_party)
        return lic__store_fail(s, LIC_EINVALID,
                               "user \"%s\": a licensee must be bound to a party (the agreement's parties.licensee.id)",
                               u->name);
    if (u->role != LIC_ROLE_LICENSEE && has_party)
        return lic__store_fail(s, LIC_EINVALID, "user \"%s\": role %s takes no party (only a licensee is bound to one)",
                               u->name, role);
    if (has_party && !valid_party(u->party))
        return lic__store_fail(s, LIC_EINVALID,
                               "user \"%s\": party \"%s\" is not an agreement id (1-63 letters, digits, '.', '_', '-';"
                               " starting with a letter or digit)", u->name, shown(u->party, pb));
    lic_err rc = check_password(s, u->name, password);
    if (!rc)
        rc = need_sodium(s);
    char pwhash[crypto_pwhash_STRBYTES];
    if (!rc)
        rc = hash_password(s, password, pwhash);
    if (rc)
        return rc;
    lic__store_account a = {.name = u->name, .role = role, .party = u->party, .pwhash = pwhash,
                            .created = now, .csrf = ""};
    bool added = false;
    rc = s->ops->user_insert(s, &a, &added);
    if (!rc && !added)
        rc = lic__store_fail(s, LIC_EINVALID, "user \"%s\" already exists", u->name);
    return rc;
}

lic_err lic_auth_user_passwd(lic_store *s, const char *name, const char *password)
{
    char nb[72];
    if (!valid_name(name))
        return lic__store_fail(s, LIC_ENOTFOUND, "no user \"%s\"", shown(name, nb));
    lic_err rc = check_password(s, name, password);
    if (!rc)
        rc = need_sodium(s);
    char pwhash[crypto_pwhash_STRBYTES];
    if (!rc)
        rc = hash_password(s, password, pwhash);
    bool changed = false;
    if (!rc)
        rc = s->ops->user_set_pwhash(s, name, pwhash, &changed);
    if (!rc && !changed)
        rc = lic__store_fail(s, LIC_ENOTFOUND, "no user \"%s\"", name);
    return rc;
}

lic_err lic_auth_user_set_disabled(lic_store *s, const char *name, bool disabled)
{
    char nb[72];
    bool known = false;
    lic_err rc = valid_name(name) ? s->ops->user_set_disabled(s, name, disabled, &known) : LIC_OK;
    if (!rc && !known)
        rc = lic__store_fail(s, LIC_ENOTFOUND, "no user \"%s\"", shown(name, nb));
    return rc;
}

lic_err lic_auth_user_get(lic_store *s, const char *name, lic_user *u)
{
    char nb[72];
    found f = {0};
    lic_err rc = valid_name(name) ? s->ops->users(s, name, take, &f) : LIC_OK;
    if (rc)
        return rc;
    if (!f.found)
        return lic__store_fail(s, LIC_ENOTFOUND, "no user \"%s\"", shown(name, nb));
    sodium_memzero(f.pwhash, sizeof f.pwhash);
    if (f.corrupt)
        return corrupt(s, &f);
    *u = f.u;
    return LIC_OK;
}

lic_err lic_auth_login(lic_store *s, const char *name, const char *password, lic_user *u)
{
    found f = {0};
    lic_err rc = need_sodium(s);
    /* An invalid name is looked up nowhere but verified all the same. */
    if (!rc && valid_name(name))
        rc = s->ops->users(s, name, take, &f);
    if (rc)
        return rc;
    if (f.found && f.corrupt)
        return corrupt(s, &f);
    const char *hash = f.found ? f.pwhash : DUMMY_HASH;
    const char *pw = password ? password : "";
    bool ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
    sodium_memzero(f.pwhash, sizeof f.pwhash);
    if (!f.found || f.disabled || !ok)
        return lic__store_fail(s, LIC_ENOTFOUND, "wrong user name or password");
    *u = f.u;
    return LIC_OK;
}

typedef struct walk_users {
    lic_store *s;
    int (*cb)(void *, const lic_user *);
    void *ctx;
} walk_users;

static int each_user(void *ctx, const lic__store_account *a)
{
    walk_users *w = ctx;
    lic_user u;
    if (!to_user(a, &u)) {
        char nb[72];
        return lic__store_fail(w->s, LIC_ECORRUPT, "user \"%s\": its stored row is not a valid account",
                               shown(a->name, nb));
    }
    return w->cb(w->ctx, &u);
}

lic_err lic_auth_users(lic_store *s, int (*cb)(void *ctx, const lic_user *u), void *ctx)
{
    walk_users w = {s, cb, ctx};
    return s->ops->users(s, NULL, each_user, &w);
}

/* ---- sessions and API tokens ---- */

/* hex = SECRET_BYTES random bytes as lowercase hex (2 * SECRET_BYTES + 1). */
static void random_hex(char *hex)
{
    unsigned char b[SECRET_BYTES];
    randombytes_buf(b, sizeof b);
    sodium_bin2hex(hex, 2 * SECRET_BYTES + 1, b, sizeof b);
    sodium_memzero(b, sizeof b);
}

lic_err lic_auth_session_new(lic_store *s, const char *user, int64_t now, int64_t ttl,
                             char token[LIC_AUTH_TOKEN_LEN + 1], char csrf[LIC_AUTH_TOKEN_LEN + 1])
{
    if (ttl <= 0)
        return lic__store_fail(s, LIC_EINVAL, "a session needs a positive lifetime, not %lld s", (long long)ttl);
    if (now > INT64_MAX - ttl)
        return lic__store_fail(s, LIC_ERANGE, "a session expiring after the year 292277026596");
    found f = {0};
    lic_err rc = need_sodium(s);
    if (!rc)
        rc = usable_user(s, user, &f);
    if (!rc)
        rc = s->ops->session_purge(s, now);
    if (rc)
        return rc;
    char t[LIC_AUTH_TOKEN_LEN + 1], c[LIC_AUTH_TOKEN_LEN + 1], hash[65];
    random_hex(t);
    random_hex(c);
    lic_store_sha256_hex(t, LIC_AUTH_TOKEN_LEN, hash);
    rc = s->ops->session_insert(s, hash, f.u.name, c, now, now + ttl);
    if (!rc) {
        memcpy(token, t, sizeof t);
        memcpy(csrf, c, sizeof c);
    }
    sodium_memzero(t, sizeof t);
    sodium_memzero(c, sizeof c);
    return rc;
}

lic_err lic_auth_session_get(lic_store *s, const char *token, int64_t now, lic_user *u,
                             char csrf[LIC_AUTH_TOKEN_LEN + 1])
{
    found f = {0};
    lic_err rc = LIC_OK;
    if (token && is_hex(token, LIC_AUTH_TOKEN_LEN)) {
        char hash[65];
        lic_store_sha256_hex(token, LIC_AUTH_TOKEN_LEN, hash);
        rc = s->ops->session_get(s, hash, now, take, &f);
    }
    if (rc)
        return rc;
    if (f.found && f.corrupt)
        return corrupt(s, &f);
    if (!f.found || f.disabled)
        return lic__store_fail(s, LIC_ENOTFOUND, "no such session (unknown, expired, or its user disabled)");
    *u = f.u;
    if (csrf)
        memcpy(csrf, f.csrf, LIC_AUTH_TOKEN_LEN + 1);
    return LIC_OK;
}

lic_err lic_auth_session_end(lic_store *s, const char *token)
{
    if (!token || !is_hex(token, LIC_AUTH_TOKEN_LEN))
        return LIC_OK; /* no such session can exist */
    char hash[65];
    lic_store_sha256_hex(token, LIC_AUTH_TOKEN_LEN, hash);
    return s->ops->session_delete(s, hash);
}

static bool valid_label(const char *label)
{
    size_t n = strnlen(label, LIC_AUTH_LABEL_MAX + 1);
    if (n > LIC_AUTH_LABEL_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)label[i] < 0x20 || label[i] == 0x7f)
            return false;
    return true;
}

lic_err lic_auth_token_new(lic_store *s, const char *user, const char *label, int64_t now,
                           char token[LIC_AUTH_API_TOKEN_LEN + 1])
{
    if (!label)
        label = "";
    if (!valid_label(label))
        return lic__store_fail(s, LIC_EINVALID, "an API token's label must be at most %d bytes without control"
                                                " characters", LIC_AUTH_LABEL_MAX);
    found f = {0};
    lic_err rc = need_sodium(s);
    if (!rc)
        rc = usable_user(s, user, &f);
    if (rc)
        return rc;
    char t[LIC_AUTH_API_TOKEN_LEN + 1], hash[65];
    memcpy(t, API_TOKEN_PREFIX, sizeof API_TOKEN_PREFIX - 1);
    random_hex(t + sizeof API_TOKEN_PREFIX - 1);
    lic_store_sha256_hex(t, LIC_AUTH_API_TOKEN_LEN, hash);
    rc = s->ops->token_insert(s, hash, f.u.name, label, now);
    if (!rc)
        memcpy(token, t, sizeof t);
    sodium_memzero(t, sizeof t);
    return rc;
}

lic_err lic_auth_token_get(lic_store *s, const char *token, lic_user *u)
{
    found f = {0};
    lic_err rc = LIC_OK;
    size_t np = sizeof API_TOKEN_PREFIX - 1;
    if (token && !strncmp(token, API_TOKEN_PREFIX, np) && is_hex(token + np, LIC_AUTH_API_TOKEN_LEN - np)) {
        char hash[65];
        lic_store_sha256_hex(token, LIC_AUTH_API_TOKEN_LEN, hash);
        rc = s->ops->token_get(s, hash, take, &f);
    }
    if (rc)
        return rc;
    if (f.found && f.corrupt)
        return corrupt(s, &f);
    if (!f.found || f.disabled)
        return lic__store_fail(s, LIC_ENOTFOUND, "no such API token (unknown, or its user disabled)");
    *u = f.u;
    return LIC_OK;
}
