/*
 * route.c - the route table, and the one place where the server decides
 * who is asking and whether they may.
 *
 * Every route names its access rule.  For an agreement route ({} first in
 * the pattern) the agreement is loaded here; a licensee asking for an
 * agreement that is not its own is answered exactly as for a missing one
 * (404, same body), so it cannot learn that the agreement exists.
 * Handlers run only after these checks and never repeat them, except
 * one rule that depends on the body: what a licensee may record as an
 * event (api_ledger.c, srv_licensee_may_record).
 *
 * Callers authenticate with an API token (Authorization: Bearer lic_...)
 * or the session cookie set by POST /api/login.  A cookie alone never
 * changes anything: every POST made with it must carry the session's
 * CSRF token in X-CSRF-Token.  A calendar feed may take ?token=API-TOKEN,
 * since calendar programs cannot send headers.
 */
#include <microhttpd.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "srv.h"

typedef enum {
    ACC_PUBLIC,    /* anyone */
    ACC_USER,      /* any signed-in user (handlers filter by role) */
    ACC_STAFF,     /* admin, manager, auditor */
    ACC_MANAGE,    /* admin, manager */
    ACC_ADMIN,     /* admin */
    ACC_AG_READ,   /* the agreement: staff, or its own licensee */
    ACC_AG_SUBMIT, /* the agreement: admin, manager, or its own licensee */
    ACC_AG_MANAGE, /* the agreement: admin, manager */
} route_access;

typedef struct route {
    const char *method, *pattern; /* {} matches one path segment */
    route_access acc;
    srv_handler run;
    bool upload;                  /* takes a large, streamed body */
} route;

static const route routes[] = {
    {"GET", "/api/openapi.json", ACC_PUBLIC, api_openapi, false},
    {"POST", "/api/login", ACC_PUBLIC, api_login, false},
    {"POST", "/api/logout", ACC_USER, api_logout, false},
    {"GET", "/api/me", ACC_USER, api_me, false},
    {"GET", "/api/users", ACC_ADMIN, api_users, false},
    {"POST", "/api/users", ACC_ADMIN, api_user_add, false},
    {"POST", "/api/users/{}/disable", ACC_ADMIN, api_user_disable, false},
    {"POST", "/api/users/{}/enable", ACC_ADMIN, api_user_enable, false},
    {"POST", "/api/users/{}/password", ACC_ADMIN, api_user_password, false},
    {"POST", "/api/tokens", ACC_USER, api_token_new, false},
    {"GET", "/api/agreements", ACC_USER, api_agreements, false},
    {"POST", "/api/agreements", ACC_MANAGE, api_agreement_add, false},
    {"GET", "/api/agreements/{}", ACC_AG_READ, api_agreement_get, false},
    {"POST", "/api/agreements/{}/versions", ACC_AG_MANAGE, api_agreement_version, false},
    {"GET", "/api/agreements/{}/status", ACC_AG_READ, api_status, false},
    {"GET", "/api/agreements/{}/invoices", ACC_AG_READ, api_invoices, false},
    {"GET", "/api/agreements/{}/calendar.ics", ACC_AG_READ, api_calendar, false},
    {"GET", "/api/agreements/{}/events", ACC_AG_READ, api_events, false},
    {"POST", "/api/agreements/{}/events", ACC_AG_SUBMIT, api_event_record, false},
    {"GET", "/api/agreements/{}/reports", ACC_AG_READ, api_reports, false},
    {"POST", "/api/agreements/{}/reports", ACC_AG_SUBMIT, api_report_upload, true},
    {"GET", "/api/agreements/{}/royalties/{}", ACC_AG_READ, api_royalties, false},
    {"GET", "/api/agreements/{}/template.csv", ACC_AG_READ, api_template, false},
    {"POST", "/api/agreements/{}/reviews", ACC_AG_MANAGE, api_review, false},
    {"GET", "/api/review-queue", ACC_STAFF, api_review_queue, false},
    {"GET", "/api/conflicts", ACC_STAFF, api_conflicts, false},
    {"GET", "/api/verify", ACC_STAFF, api_verify, false},
    {"GET", "/", ACC_PUBLIC, page_home, false},
    {"GET", "/login", ACC_PUBLIC, page_login, false},
    {"GET", "/portfolio", ACC_STAFF, page_portfolio, false},
    {"GET", "/agreements/{}", ACC_AG_READ, page_agreement, false},
    {"GET", "/calendar", ACC_STAFF, page_calendar, false},
    {"GET", "/review", ACC_STAFF, page_review, false},
    {"GET", "/portal", ACC_USER, page_portal, false},
    {"GET", "/admin/users", ACC_ADMIN, page_users, false},
    {"GET", "/assets/{}", ACC_PUBLIC, page_asset, false},
};
#define NROUTES (sizeof routes / sizeof routes[0])

/* Matches path against pattern; the {} parts go to r->params. */
static bool match(const char *pattern, const char *path, srv_req *r)
{
    r->nparams = 0;
    while (*pattern && *path) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            size_t n = strcspn(path, "/");
            if (!n || r->nparams == sizeof r->params / sizeof r->params[0])
                return false;
            char *v = strndup(path, n);
            if (!v)
                return false;
            r->params[r->nparams++] = v;
            if (!*v)
                return false; /* libmicrohttpd has decoded %XX already */
            path += n, pattern += 2;
        } else if (*pattern++ != *path++)
            return false;
    }
    return !*pattern && !*path;
}

static void drop_params(srv_req *r)
{
    for (size_t i = 0; i < r->nparams; i++)
        free(r->params[i]);
    r->nparams = 0;
}

/* The route for the request; *wrong_method when the path exists with
 * another method. */
static const route *find(srv_req *r, bool *wrong_method)
{
    *wrong_method = false;
    const char *method = strcmp(r->method, "HEAD") ? r->method : "GET";
    for (size_t i = 0; i < NROUTES; i++) {
        if (match(routes[i].pattern, r->path, r)) {
            if (!strcmp(routes[i].method, method))
                return &routes[i];
            *wrong_method = true;
        }
        drop_params(r);
    }
    return NULL;
}

bool srv_is_upload(const char *method, const char *path)
{
    srv_req r = {.method = method, .path = path};
    bool wrong;
    const route *rt = find(&r, &wrong);
    drop_params(&r);
    return rt && rt->upload;
}

const char *srv_route_find_for_fuzz(const char *method, const char *path, char *params[3], size_t *nparams,
                                    bool *wrong_method)
{
    srv_req r = {.method = method, .path = path};
    const route *rt = find(&r, wrong_method);
    for (size_t i = 0; i < r.nparams; i++)
        params[i] = r.params[i];
    *nparams = r.nparams;
    return rt ? rt->pattern : NULL;
}

static const char *cookie_value(const srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

/* Bumped when a user is disabled through this process (api_auth.c). */
static atomic_ulong accounts_generation;

void srv_accounts_changed(void)
{
    atomic_fetch_add(&accounts_generation, 1);
}

/* The user of an API token.  A worker thread remembers the last token it
 * checked for the rest of that second: a client making many requests
 * (a script, a dashboard refresh) costs one store lookup a second, and a
 * user disabled in the store (by the command line, or by another server
 * on the database) is refused from the next second on; one disabled
 * through this server at once, since that empties every thread's memory.
 * Sessions are not remembered: a sign-out must end them at once, on
 * every server sharing the database. */
static lic_err token_user(srv_req *r, const char *token)
{
    static _Thread_local struct {
        char token[LIC_AUTH_API_TOKEN_LEN + 1];
        lic_user user;
        int64_t second;
        unsigned long generation;
    } last;
    size_t n = strlen(token);
    unsigned long gen = atomic_load(&accounts_generation);
    if (n == LIC_AUTH_API_TOKEN_LEN && last.second == r->now && last.generation == gen &&
        !sodium_memcmp(last.token, token, n)) {
        r->user = last.user;
        return LIC_OK;
    }
    lic_err rc = lic_auth_token_get(r->store, token, &r->user);
    if (rc == LIC_OK && n == LIC_AUTH_API_TOKEN_LEN) {
        memcpy(last.token, token, n + 1);
        last.user = r->user;
        last.second = r->now;
        last.generation = gen;
    }
    return rc;
}

/* Who is asking: API token, or session cookie.  No credentials at all is
 * not an error (authed stays false); wrong ones are. */
static bool authenticate(srv_req *r, bool feed, srv_resp *out)
{
    const char *auth = srv_header(r, "Authorization");
    const char *token = auth && !strncmp(auth, "Bearer ", 7) ? auth + 7 : NULL;
    if (!token && feed)
        token = srv_arg(r, "token");
    if (token) {
        lic_err rc = token_user(r, token);
        if (rc == LIC_OK)
            return r->authed = true;
        srv_error(out, rc == LIC_ENOTFOUND ? 401 : 503, "%s",
                  rc == LIC_ENOTFOUND ? "the API token is not valid" : "the portfolio store is not available");
        return false;
    }
    const char *cookie = cookie_value(r, "licet_session");
    if (!cookie)
        return true;
    lic_err rc = lic_auth_session_get(r->store, cookie, r->now, &r->user, r->csrf);
    if (rc == LIC_ENOTFOUND)
        return true; /* an expired session is as good as none: sign in again */
    if (rc) {
        srv_error(out, 503, "the portfolio store is not available");
        return false;
    }
    snprintf(r->session, sizeof r->session, "%s", cookie);
    return r->authed = r->via_cookie = true;
}

static bool is_page(const char *path)
{
    return strncmp(path, "/api/", 5) != 0;
}

/* A refusal: an HTML page for a page's path, JSON for the API's. */
static void refuse(const srv_req *r, srv_resp *out, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void refuse(const srv_req *r, srv_resp *out, unsigned status, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (is_page(r->path))
        page_fail(r, out, status, msg);
    else
        srv_error(out, status, "%s", msg);
}

static bool role_in(lic_role role, route_access acc)
{
    switch (acc) {
    case ACC_PUBLIC:
    case ACC_USER: return true;
    case ACC_STAFF:
    case ACC_AG_READ: return role != LIC_ROLE_LICENSEE;
    case ACC_MANAGE:
    case ACC_AG_MANAGE:
    case ACC_AG_SUBMIT: return role == LIC_ROLE_ADMIN || role == LIC_ROLE_MANAGER;
    case ACC_ADMIN: return role == LIC_ROLE_ADMIN;
    }
    return false;
}

static bool agreement_route(route_access acc)
{
    return acc == ACC_AG_READ || acc == ACC_AG_SUBMIT || acc == ACC_AG_MANAGE;
}

/* An agreement route: the agreement exists and, for a licensee, is its
 * own; else the same 404 either way. */
static bool may_see_agreement(srv_req *r, srv_resp *out)
{
    unsigned status = 404;
    r->ag = srv_agreement(r->store, r->params[0], &r->ag_version, &status);
    if (r->ag && r->user.role == LIC_ROLE_LICENSEE &&
        !(r->ag->licensee.id && !strcmp(r->ag->licensee.id, r->user.party)))
        r->ag = NULL, status = 404;
    if (r->ag)
        return true;
    if (status == 404)
        refuse(r, out, 404, "no agreement %s", r->params[0]);
    else if (status == 500)
        srv_error(out, 500, "agreement %s: the stored text no longer loads", r->params[0]);
    else
        srv_error(out, 503, "the portfolio store is not available");
    return false;
}

static bool csrf_ok(const srv_req *r)
{
    if (!r->via_cookie || !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD"))
        return true;
    const char *t = srv_header(r, "X-CSRF-Token");
    return t && strlen(t) == LIC_AUTH_TOKEN_LEN && !sodium_memcmp(t, r->csrf, LIC_AUTH_TOKEN_LEN);
}

static void unauthenticated(srv_req *r, srv_resp *out)
{
    if (is_page(r->path)) {
        srv_redirect(out, "/login");
        return;
    }
    srv_error(out, 401, "sign in first: POST /api/login, or send Authorization: Bearer API-TOKEN");
    srv_add_header(out, "WWW-Authenticate", "Bearer realm=\"licet\"");
}

void srv_dispatch(srv_req *r, srv_resp *out)
{
    bool wrong_method;
    const route *rt = find(r, &wrong_method);
    if (!rt) {
        if (wrong_method)
            srv_error(out, 405, "%s is not allowed on %s", r->method, r->path);
        else
            refuse(r, out, 404, "no such page or endpoint: %s", r->path);
        return;
    }
    bool feed = strstr(rt->pattern, ".ics") != NULL;
    if (!authenticate(r, feed, out))
        return;
    if (rt->acc != ACC_PUBLIC && !r->authed) {
        unauthenticated(r, out);
        return;
    }
    if (!csrf_ok(r)) {
        srv_error(out, 403, "missing or wrong X-CSRF-Token header (the session's token, from /api/me)");
        return;
    }
    bool licensee = r->authed && r->user.role == LIC_ROLE_LICENSEE;
    if (agreement_route(rt->acc) && !may_see_agreement(r, out))
        return;
    bool allowed = rt->acc == ACC_PUBLIC || role_in(r->user.role, rt->acc) ||
                   (licensee && (rt->acc == ACC_AG_READ || rt->acc == ACC_AG_SUBMIT));
    if (!allowed && is_page(r->path)) {
        srv_redirect(out, "/");
        return;
    }
    if (!allowed) {
        const char *role = lic_role_name(r->user.role);
        srv_error(out, 403, "%s %s may not do this", strchr("aeiou", role[0]) ? "an" : "a", role);
        return;
    }
    rt->run(r, out);
}
