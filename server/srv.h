/*
 * srv.h - what the files of `licet serve` share (internal).
 *
 * A request goes: http.c (libmicrohttpd: reads the body, to memory or,
 * past a size, to a temporary file) -> route.c (finds the route, says
 * who the caller is and whether it may: the one place authorization is
 * decided) -> a handler (api_*.c for /api, page_*.c for HTML pages),
 * which fills a srv_resp.  Handlers never see a request they may not
 * serve; agreement routes get the agreement loaded.
 *
 * Every worker thread has its own store connection (serve.c); the
 * caches (cache.c) are shared and locked.
 */
#ifndef LICET_SERVER_SRV_H
#define LICET_SERVER_SRV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "licet/auth.h"
#include "licet/engine.h"
#include "licet/store.h"
#include "alloc.h"

struct MHD_Connection;

/* ---- a growable text buffer (buf.c) ---- */

/* The library's growable buffer (alloc.h): v NUL-terminated once
 * anything was put, oom sticky; free v with free(). */
typedef lic__buf srv_buf;

void srv_buf_put(srv_buf *b, const char *s, size_t n);
void srv_buf_puts(srv_buf *b, const char *s);
void srv_buf_printf(srv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s with & < > " ' escaped for HTML text and attribute values. */
void srv_buf_html(srv_buf *b, const char *s);
void srv_buf_free(srv_buf *b);

/* ---- the server ---- */

typedef struct srv_config {
    const char *db;              /* store URL */
    const char *listen;          /* "127.0.0.1:8080" */
    unsigned threads;            /* worker threads (thread pool) */
    unsigned max_connections;
    unsigned timeout;            /* seconds a connection may stay idle */
    size_t max_body;             /* bytes of a request body */
    int64_t session_ttl;         /* seconds */
    bool insecure_cookies;       /* no Secure flag: plain-HTTP test set-ups */
    lic_date today;              /* --today: the date the server works on; LIC_DATE_NONE: the clock's */
} srv_config;

/* One request, as the router hands it to a handler. */
typedef struct srv_req {
    const srv_config *cfg;
    struct MHD_Connection *conn;
    const char *method, *path;
    char *params[3];             /* the {} parts of the route's pattern, decoded */
    size_t nparams;
    lic_store *store;            /* this thread's connection */
    int64_t now;                 /* unix seconds, read once per request */
    lic_date today;              /* the server's local date */
    /* who is asking (route.c) */
    bool authed, via_cookie;
    lic_user user;
    char session[LIC_AUTH_TOKEN_LEN + 1], csrf[LIC_AUTH_TOKEN_LEN + 1];
    /* the body: in memory (NUL-terminated) or, when large, in a file */
    const char *body;
    size_t body_len;
    FILE *body_file;
    /* agreement routes: params[0]'s latest version, shared, read-only */
    const lic_agreement *ag;
    int ag_version;
} srv_req;

#define SRV_MAX_HEADERS 6

typedef struct srv_resp {
    unsigned status;
    const char *ctype;
    srv_buf body;
    struct {
        const char *name;
        char *value; /* malloc'd */
    } hdr[SRV_MAX_HEADERS];
    int nhdr;
} srv_resp;

/* A query-string argument, or NULL. */
const char *srv_arg(const srv_req *r, const char *name);
/* A request header, or NULL. */
const char *srv_header(const srv_req *r, const char *name);
/* The body as text of at most max bytes (read from the file when it was
 * spilled); NULL and a 413 in out when larger. */
const char *srv_body_text(srv_req *r, size_t max, size_t *len, srv_resp *out);
/* Adds a response header (value copied). */
void srv_add_header(srv_resp *out, const char *name, const char *value);

/* Responses. */
void srv_json(srv_resp *out, unsigned status, json_t *v);          /* takes v */
void srv_json_text(srv_resp *out, unsigned status, char *text);    /* takes text */
void srv_error(srv_resp *out, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* 422 with the diagnostics: {"error":{"message":...,"diagnostics":[{file,
 * line,column,path,code,message,severity}]}}. */
void srv_error_diags(srv_resp *out, const char *message, const lic_diags *d);
void srv_redirect(srv_resp *out, const char *to);
/* The as_of (default today) and known_at query arguments; false and a 400
 * in out when one is not a date. */
bool srv_dates(const srv_req *r, srv_resp *out, lic_date *as_of, lic_date *known_at);

/* ---- request bodies (body.c; pure, fuzzed by fuzz/fuzz_body.c) ---- */

/* A JSON object of at most len bytes; NULL with a message naming the
 * line and column in err otherwise. */
json_t *srv_parse_object(const char *text, size_t len, char *err, size_t errlen);
/* The string member `key` of o: NULL when absent (and optional), else
 * checked: a string of 1..max bytes of UTF-8 without control characters.
 * On a problem, returns NULL and writes why to err. */
const char *srv_member(json_t *o, const char *key, bool required, size_t max, char *err, size_t errlen);
/* The request's body as a JSON object; NULL and a 400/413 in out. */
json_t *srv_body_object(srv_req *r, srv_resp *out);

/* ---- routes (route.c) ---- */

typedef void (*srv_handler)(srv_req *r, srv_resp *out);

/* The one entry point http.c calls: finds the route, authenticates,
 * authorizes, loads the agreement of an agreement route, runs it. */
void srv_dispatch(srv_req *r, srv_resp *out);
/* Says that a user was disabled: every worker thread of this process
 * forgets the API token it remembers (route.c), so the user's tokens are
 * refused from the next request on. */
void srv_accounts_changed(void);
/* True when POST to this path takes a large, streamed body (uploads). */
bool srv_is_upload(const char *method, const char *path);
/* For fuzz/fuzz_body.c only (the server does not call it): the pattern
 * of the route the router picks for method and path, or NULL (then
 * *wrong_method says whether the path exists with another method); the
 * pattern's {} parts go to params (the caller frees them). */
const char *srv_route_find_for_fuzz(const char *method, const char *path, char *params[3], size_t *nparams,
                                    bool *wrong_method);

/* ---- caches (cache.c) ---- */

/* The latest version of agreement id, loaded once per text (by SHA-256)
 * and kept for the life of the process: NULL with *status 404 when there
 * is none, 500 when it does not load.  The pointer stays valid. */
const lic_agreement *srv_agreement(lic_store *s, const char *id, int *version, unsigned *status);
/* The deal r->ag (id's agreement, as srv_agreement gave it) evaluated as
 * of the dates: the state's JSON (FORMAT 5), cached by (the text r->ag was
 * loaded from, ledger head, dates); an r->ag from elsewhere is evaluated
 * but not cached.  malloc'd copy; NULL + status. */
char *srv_status_json(srv_req *r, const char *id, lic_date as_of, lic_date known_at, unsigned *status);
/* Evaluates the deal (not cached): free st, ev and a with srv_deal_free. */
typedef struct srv_deal {
    lic_agreement *a;
    lic_events *ev;
    lic_state *st;
} srv_deal;
bool srv_deal_eval(srv_req *r, const lic_agreement *a, const char *id, lic_date as_of, lic_date known_at, srv_deal *d,
                   srv_resp *out);
void srv_deal_free(srv_deal *d);
void srv_cache_free(void);

/* ---- handlers ---- */

/* throttle.c: failed sign-ins per name (see there) */
bool srv_throttle_blocked(const char *name, int64_t now, int64_t *retry_after);
void srv_throttle_failed(const char *name, int64_t now);
void srv_throttle_passed(const char *name);

/* api_auth.c */
void api_login(srv_req *r, srv_resp *out);
void api_logout(srv_req *r, srv_resp *out);
void api_me(srv_req *r, srv_resp *out);
void api_users(srv_req *r, srv_resp *out);
void api_user_add(srv_req *r, srv_resp *out);
void api_user_disable(srv_req *r, srv_resp *out);
void api_user_enable(srv_req *r, srv_resp *out);
void api_user_password(srv_req *r, srv_resp *out);
void api_token_new(srv_req *r, srv_resp *out);

/* api_deal.c */
void api_agreements(srv_req *r, srv_resp *out);
void api_agreement_add(srv_req *r, srv_resp *out);
void api_agreement_get(srv_req *r, srv_resp *out);
void api_agreement_version(srv_req *r, srv_resp *out);
void api_status(srv_req *r, srv_resp *out);
void api_invoices(srv_req *r, srv_resp *out);
void api_calendar(srv_req *r, srv_resp *out);
void api_conflicts(srv_req *r, srv_resp *out);
void api_verify(srv_req *r, srv_resp *out);
void api_openapi(srv_req *r, srv_resp *out);

/* api_ledger.c */
void api_events(srv_req *r, srv_resp *out);
void api_event_record(srv_req *r, srv_resp *out);
void api_reports(srv_req *r, srv_resp *out);
void api_report_upload(srv_req *r, srv_resp *out);
void api_royalties(srv_req *r, srv_resp *out);
void api_template(srv_req *r, srv_resp *out);
void api_review(srv_req *r, srv_resp *out);
void api_review_queue(srv_req *r, srv_resp *out);

/* royalty_files.c: a statement as CSV or XLSX (format "csv" or "xlsx") */
void srv_royalties_file(srv_req *r, srv_resp *out, const lic_state *s, const lic_st_statement *x,
                        const char *format);

/* summary.c: what the portfolio page and ?summary=1 show of a deal, from
 * its status JSON (FORMAT 5) as of a date.  Returns a new object. */
json_t *srv_summary(json_t *status, lic_date as_of);

/* page_*.c: HTML (page.h); page_asset is in assets.c */
void page_login(srv_req *r, srv_resp *out);
void page_home(srv_req *r, srv_resp *out);
void page_portfolio(srv_req *r, srv_resp *out);
void page_agreement(srv_req *r, srv_resp *out);
void page_calendar(srv_req *r, srv_resp *out);
void page_review(srv_req *r, srv_resp *out);
void page_portal(srv_req *r, srv_resp *out);
void page_users(srv_req *r, srv_resp *out);
void page_asset(srv_req *r, srv_resp *out);

#endif
