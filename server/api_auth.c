/*
 * api_auth.c - signing in and out, who am I, users and API tokens.
 *
 * A session lives in the store (so any server on the same database
 * knows it) and reaches the browser only as an HttpOnly, SameSite=Strict
 * cookie; its CSRF token is handed out in the JSON (and in pages) for
 * the browser's scripts to send back in X-CSRF-Token.
 *
 * User administration (admin only, route.c): list, add, disable, enable,
 * set a password.  Only the listing and these answers say whether a
 * user is disabled; who signs in is never a disabled user.
 */
#include <stdlib.h>
#include <string.h>

#include "srv.h"

static json_t *user_json(const lic_user *u)
{
    return json_pack("{s:s,s:s,s:s?}", "name", u->name, "role", lic_role_name(u->role), "party",
                     u->party[0] ? u->party : NULL);
}

/* A user as the administration answers show it: with "disabled". */
static json_t *admin_user_json(const lic_user *u)
{
    json_t *o = user_json(u);
    if (o && json_object_set_new(o, "disabled", json_boolean(u->disabled))) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

static void set_cookie(srv_req *r, srv_resp *out, const char *value, int64_t max_age)
{
    char c[256];
    snprintf(c, sizeof c, "licet_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", value,
             (long long)max_age, r->cfg->insecure_cookies ? "" : "; Secure");
    srv_add_header(out, "Set-Cookie", c);
}

void api_login(srv_req *r, srv_resp *out)
{
    json_t *o = srv_body_object(r, out);
    if (!o)
        return;
    char err[300];
    const char *name = srv_member(o, "name", true, 63, err, sizeof err);
    const char *pw = name ? srv_member(o, "password", true, LIC_AUTH_PASSWORD_MAX, err, sizeof err) : NULL;
    lic_user u;
    char token[LIC_AUTH_TOKEN_LEN + 1], csrf[LIC_AUTH_TOKEN_LEN + 1];
    lic_err rc = LIC_EINVAL;
    int64_t wait = 0;
    if (!pw)
        srv_error(out, 400, "%s", err);
    else if (srv_throttle_blocked(name, r->now, &wait)) {
        char secs[24];
        snprintf(secs, sizeof secs, "%lld", (long long)wait);
        srv_error(out, 429, "too many failed sign-ins for this name: try again in %s s", secs);
        srv_add_header(out, "Retry-After", secs);
    } else if ((rc = lic_auth_login(r->store, name, pw, &u)) == LIC_ENOTFOUND) {
        srv_throttle_failed(name, r->now);
        srv_error(out, 401, "wrong name or password");
    } else if (rc || (rc = lic_auth_session_new(r->store, u.name, r->now, r->cfg->session_ttl, token, csrf)))
        srv_error(out, 503, "the portfolio store is not available");
    if (!rc)
        srv_throttle_passed(name);
    json_decref(o); /* after the last use of name, which points into o */
    if (rc)
        return;
    set_cookie(r, out, token, r->cfg->session_ttl);
    srv_json(out, 200, json_pack("{s:o,s:s}", "user", user_json(&u), "csrf", csrf));
}

void api_logout(srv_req *r, srv_resp *out)
{
    if (r->via_cookie && lic_auth_session_end(r->store, r->session)) {
        srv_error(out, 503, "the portfolio store is not available");
        return;
    }
    set_cookie(r, out, "", 0);
    srv_json(out, 200, json_pack("{s:b}", "signed_out", 1));
}

void api_me(srv_req *r, srv_resp *out)
{
    srv_json(out, 200, json_pack("{s:o,s:s?}", "user", user_json(&r->user), "csrf",
                                 r->via_cookie ? r->csrf : NULL));
}

static int add_user(void *ctx, const lic_user *u)
{
    return json_array_append_new(ctx, admin_user_json(u)) ? LIC_ENOMEM : 0;
}

void api_users(srv_req *r, srv_resp *out)
{
    json_t *list = json_array();
    if (!list || lic_auth_users(r->store, add_user, list)) {
        json_decref(list);
        srv_error(out, 503, "the portfolio store is not available");
        return;
    }
    srv_json(out, 200, json_pack("{s:o}", "users", list));
}

void api_user_add(srv_req *r, srv_resp *out)
{
    json_t *o = srv_body_object(r, out);
    if (!o)
        return;
    char err[300] = "";
    lic_user u = {0};
    const char *name = srv_member(o, "name", true, 63, err, sizeof err);
    const char *role = name ? srv_member(o, "role", true, 16, err, sizeof err) : NULL;
    const char *pw = role ? srv_member(o, "password", true, LIC_AUTH_PASSWORD_MAX, err, sizeof err) : NULL;
    const char *party = pw ? srv_member(o, "party", false, 63, err, sizeof err) : NULL;
    if (pw && !err[0] && !lic_role_parse(role, &u.role))
        snprintf(err, sizeof err, "body: \"role\" must be admin, manager, licensee or auditor");
    if (!pw || err[0]) {
        srv_error(out, 400, "%s", err);
        json_decref(o);
        return;
    }
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.party, sizeof u.party, "%s", party ? party : "");
    lic_err rc = lic_auth_user_add(r->store, &u, pw, r->now);
    json_decref(o);
    if (rc == LIC_EINVALID)
        srv_error(out, 400, "%s", lic_store_errmsg(r->store));
    else if (rc)
        srv_error(out, 503, "the portfolio store is not available");
    else
        srv_json(out, 201, json_pack("{s:o}", "user", user_json(&u)));
}

/* The answer after a change to user r->params[0]: the user as it is
 * now, or the failure rc of the change (404 unknown, 400 refused). */
static void user_changed(srv_req *r, srv_resp *out, lic_err rc)
{
    lic_user u;
    if (!rc)
        rc = lic_auth_user_get(r->store, r->params[0], &u);
    if (rc == LIC_ENOTFOUND)
        srv_error(out, 404, "%s", lic_store_errmsg(r->store));
    else if (rc == LIC_EINVALID)
        srv_error(out, 400, "%s", lic_store_errmsg(r->store));
    else if (rc)
        srv_error(out, 503, "the portfolio store is not available");
    else
        srv_json(out, 200, json_pack("{s:o}", "user", admin_user_json(&u)));
}

void api_user_disable(srv_req *r, srv_resp *out)
{
    /* An admin locking itself out could leave the store with no admin
     * but the command line. */
    if (!strcmp(r->params[0], r->user.name)) {
        srv_error(out, 400, "you cannot disable your own account");
        return;
    }
    lic_err rc = lic_auth_user_set_disabled(r->store, r->params[0], true);
    if (!rc)
        srv_accounts_changed(); /* this process's token memory forgets the user now */
    user_changed(r, out, rc);
}

void api_user_enable(srv_req *r, srv_resp *out)
{
    user_changed(r, out, lic_auth_user_set_disabled(r->store, r->params[0], false));
}

void api_user_password(srv_req *r, srv_resp *out)
{
    json_t *o = srv_body_object(r, out);
    if (!o)
        return;
    char err[300] = "";
    const char *pw = srv_member(o, "password", true, LIC_AUTH_PASSWORD_MAX, err, sizeof err);
    if (!pw)
        srv_error(out, 400, "%s", err);
    else
        user_changed(r, out, lic_auth_user_passwd(r->store, r->params[0], pw));
    json_decref(o);
}

void api_token_new(srv_req *r, srv_resp *out)
{
    json_t *o = r->body_len ? srv_body_object(r, out) : json_object();
    if (!o) {
        if (!out->status)
            srv_error(out, 500, "out of memory");
        return;
    }
    char err[300] = "", token[LIC_AUTH_API_TOKEN_LEN + 1];
    const char *label = srv_member(o, "label", false, LIC_AUTH_LABEL_MAX, err, sizeof err);
    if (err[0]) {
        srv_error(out, 400, "%s", err);
        json_decref(o);
        return;
    }
    lic_err rc = lic_auth_token_new(r->store, r->user.name, label ? label : "", r->now, token);
    json_decref(o);
    if (rc)
        srv_error(out, 503, "the portfolio store is not available");
    else
        srv_json(out, 201, json_pack("{s:s,s:s}", "token", token, "user", r->user.name));
}
