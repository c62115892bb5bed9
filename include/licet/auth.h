/*
 * auth.h - accounts of the portfolio store: users with argon2id
 * passwords, browser sessions and API tokens, for `licet serve` and
 * `licet user`.
 *
 * Everything lives in the store's database (tables users, sessions and
 * api_tokens, schema 2), so several server processes sharing one
 * PostgreSQL database share their users and sessions too.
 *
 * Secrets.  A password is stored only as libsodium's crypto_pwhash_str
 * text (argon2id, OPSLIMIT_INTERACTIVE, MEMLIMIT_INTERACTIVE: about 64 MiB
 * and a few tens of milliseconds a hash).  A session token and an API
 * token are shown to their holder once and stored only as SHA-256 of
 * their text (lowercase hex), so a copy of the database opens no
 * session; they are looked up by that hash.  A session's CSRF token is
 * not a credential on its own and is stored as it is.
 *
 * Time.  The library never reads the clock: callers pass `now` as unix
 * seconds.
 *
 * Errors.  LIC_EINVALID for a bad name, role/party combination, short
 * password or a name already taken; LIC_ENOTFOUND for whatever does not
 * identify a usable account (see each function); the store's codes for
 * database failures.  The one-line message is in lic_store_errmsg(s).
 * A store handle is used by one thread at a time, as for the rest of
 * store.h.
 */
#ifndef LICET_AUTH_H
#define LICET_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "licet/error.h"
#include "licet/store.h"

typedef enum { LIC_ROLE_ADMIN, LIC_ROLE_MANAGER, LIC_ROLE_LICENSEE, LIC_ROLE_AUDITOR } lic_role;

/* "admin", "manager", "licensee", "auditor"; "?" for another value. */
const char *lic_role_name(lic_role r);
/* The role named s (exactly one of the names above). */
bool lic_role_parse(const char *s, lic_role *out);

#define LIC_AUTH_PASSWORD_MIN 8    /* bytes */
#define LIC_AUTH_PASSWORD_MAX 4096 /* bytes: a cap, not advice */
#define LIC_AUTH_LABEL_MAX 200     /* bytes of an API token's label */

typedef struct lic_user {
    char name[64];  /* login: 1-63 characters of [A-Za-z0-9._@-] */
    lic_role role;
    char party[64]; /* licensee: the licensee party id it is bound to
                     * (parties.licensee.id in the agreement); "" for other roles */
    bool disabled;  /* set by lic_auth_user_set_disabled; the functions that
                     * sign a user in never give a disabled one */
} lic_user;

/* Creates user u with `password` (LIC_AUTH_PASSWORD_MIN to _MAX bytes),
 * hashed with argon2id.  LIC_EINVALID for a bad name, a licensee without
 * a party (an agreement id: 1-63 letters, digits, '.', '_', '-', starting
 * with a letter or digit) or another role with one, a password out of
 * bounds, or a name that is taken. */
lic_err lic_auth_user_add(lic_store *s, const lic_user *u, const char *password,
                          int64_t now) LIC_MUST_CHECK;
/* Sets user name's password (the same bounds).  LIC_ENOTFOUND for an
 * unknown user.  Its sessions and API tokens stay valid. */
lic_err lic_auth_user_passwd(lic_store *s, const char *name, const char *password) LIC_MUST_CHECK;
/* Disables or enables user name.  A disabled user cannot sign in, its
 * sessions are deleted (so it is signed out at once, and enabling does
 * not bring them back) and its API tokens are refused until it is
 * enabled again; both in one transaction.  Disabling a disabled user or
 * enabling an enabled one changes nothing and is not an error.
 * LIC_ENOTFOUND for an unknown user. */
lic_err lic_auth_user_set_disabled(lic_store *s, const char *name, bool disabled) LIC_MUST_CHECK;
/* The user `name`, disabled or not.  LIC_ENOTFOUND for an unknown one. */
lic_err lic_auth_user_get(lic_store *s, const char *name, lic_user *u) LIC_MUST_CHECK;
/* Checks name and password and fills *u.  LIC_ENOTFOUND, with the same
 * message, for an unknown user, a disabled one or a wrong password, and
 * an unknown name costs the same argon2id verification as a known one. */
lic_err lic_auth_login(lic_store *s, const char *name, const char *password,
                       lic_user *u) LIC_MUST_CHECK;
/* Calls cb for every user, by name (bytewise), disabled ones included;
 * a non-zero return from cb stops the walk and is returned.  cb must not
 * use the store. */
lic_err lic_auth_users(lic_store *s, int (*cb)(void *ctx, const lic_user *u),
                       void *ctx) LIC_MUST_CHECK;

#define LIC_AUTH_TOKEN_LEN 64 /* hex digits of a session token and of a CSRF token */

/* A new session for `user` (who must exist and not be disabled, else
 * LIC_ENOTFOUND), expiring at now + ttl (ttl > 0, else LIC_EINVAL).
 * token: 32 random bytes as 64 lowercase hex digits, stored as its
 * SHA-256 only; csrf: 32 more random bytes as hex, stored as is.  Both
 * buffers are written only on success.  Sessions that have expired by
 * `now` are deleted on the way. */
lic_err lic_auth_session_new(lic_store *s, const char *user, int64_t now, int64_t ttl,
                             char token[LIC_AUTH_TOKEN_LEN + 1],
                             char csrf[LIC_AUTH_TOKEN_LEN + 1]) LIC_MUST_CHECK;
/* The user and the CSRF token of session `token`.  LIC_ENOTFOUND when
 * the token is unknown or malformed, the session has expired (expires <=
 * now), or its user is disabled or gone.  csrf may be NULL. */
lic_err lic_auth_session_get(lic_store *s, const char *token, int64_t now, lic_user *u,
                             char csrf[LIC_AUTH_TOKEN_LEN + 1]) LIC_MUST_CHECK;
/* Ends session `token`; ending an unknown one is not an error. */
lic_err lic_auth_session_end(lic_store *s, const char *token) LIC_MUST_CHECK;

#define LIC_AUTH_API_TOKEN_LEN 68 /* "lic_" and 64 lowercase hex digits */

/* A new API token for `user` (LIC_ENOTFOUND when unknown or disabled):
 * "lic_" + 32 random bytes as hex, stored as SHA-256 of its 68
 * characters with `label` (NULL: "", at most LIC_AUTH_LABEL_MAX bytes, no
 * control characters) and `now`.  It does not expire. */
lic_err lic_auth_token_new(lic_store *s, const char *user, const char *label, int64_t now,
                           char token[LIC_AUTH_API_TOKEN_LEN + 1]) LIC_MUST_CHECK;
/* The user of API token `token`.  LIC_ENOTFOUND when the token is
 * unknown or malformed or its user is disabled or gone. */
lic_err lic_auth_token_get(lic_store *s, const char *token, lic_user *u) LIC_MUST_CHECK;

#endif
