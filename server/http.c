/*
 * http.c - libmicrohttpd's side of a request: reading the body under a
 * size limit (in memory up to SPILL bytes, then in an unlinked temporary
 * file, so an upload of any allowed size costs bounded memory), then
 * handing the request to the router and queueing what it answered, with
 * the security headers every response carries.
 */
#define _GNU_SOURCE /* strcasecmp through strings.h is enough; kept for MHD */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "serve_int.h"

#define SPILL ((size_t)1 << 20) /* bodies past this go to a temporary file */
/* A body past its limit (one without a Content-Length: chunked) is read
 * and dropped for up to this many more bytes, so that a client that is
 * still sending reads the 413 instead of a reset; past that the
 * connection is closed (libmicrohttpd 0.9.75 cannot answer before the
 * body is read): a client streaming without end is not read for ever. */
#define DRAIN ((size_t)1 << 20)

/* What a connection's request has gathered so far. */
typedef struct pending {
    srv_buf mem;
    FILE *file;
    size_t total, limit;
    bool too_big, io_error;
} pending;

const char *srv_arg(const srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *srv_header(const srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *srv_body_text(srv_req *r, size_t max, size_t *len, srv_resp *out)
{
    *len = 0;
    if (!r->body_file) {
        if (r->body_len > max) {
            srv_error(out, 413, "the body is larger than %zu bytes", max);
            return NULL;
        }
        *len = r->body_len;
        return r->body ? r->body : "";
    }
    /* A spilled body read back whole: only for bodies that must be text
     * (agreements, events), which have their own caps. */
    srv_error(out, 413, "the body is larger than %zu bytes", max < SPILL ? max : SPILL);
    return NULL;
}

static const char *const security_headers[][2] = {
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"},
};

static enum MHD_Result respond(struct MHD_Connection *c, srv_resp *out)
{
    size_t n = out->body.n;
    char *body = out->body.v;
    out->body = (srv_buf){0};
    struct MHD_Response *resp = MHD_create_response_from_buffer(n, body ? body : "",
                                                                body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", out->ctype ? out->ctype : "application/json");
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
    bool cacheable = false;
    for (int i = 0; i < out->nhdr; i++) {
        MHD_add_response_header(resp, out->hdr[i].name, out->hdr[i].value);
        cacheable |= !strcasecmp(out->hdr[i].name, "Cache-Control");
        free(out->hdr[i].value);
    }
    out->nhdr = 0;
    if (!cacheable)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    enum MHD_Result rc = MHD_queue_response(c, out->status ? out->status : 500, resp);
    MHD_destroy_response(resp);
    return rc;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    srv_resp out = {0};
    srv_error(&out, status, "%s", msg);
    return respond(c, &out);
}

/* Takes a piece of the body; past the limit the rest is read and dropped
 * so that the 413 can be sent as an answer, not a reset. */
static void take(pending *p, const char *data, size_t n)
{
    p->total += n;
    if (p->too_big || p->io_error)
        return;
    if (p->total > p->limit) {
        p->too_big = true;
        return;
    }
    if (!p->file && p->mem.n + n > SPILL) {
        p->file = tmpfile();
        if (!p->file || fwrite(p->mem.v, 1, p->mem.n, p->file) != p->mem.n) {
            p->io_error = true;
            return;
        }
        srv_buf_free(&p->mem);
    }
    if (p->file)
        p->io_error |= fwrite(data, 1, n, p->file) != n;
    else
        srv_buf_put(&p->mem, data, n);
    p->io_error |= p->mem.oom;
}

static pending *start(const srv_config *cfg, struct MHD_Connection *c, const char *url, const char *method,
                      unsigned *refuse)
{
    pending *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    /* Only a POST can be an upload: a GET does not walk the route table
     * twice. */
    bool upload = !strcmp(method, "POST") && srv_is_upload(method, url);
    p->limit = upload ? cfg->max_body : (cfg->max_body < SPILL ? cfg->max_body : SPILL);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > p->limit)
        *refuse = 413;
    return p;
}

static lic_date local_today(time_t now)
{
    struct tm tm;
    lic_date d = LIC_DATE_NONE;
    if (localtime_r(&now, &tm))
        d = lic_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return d;
}

static enum MHD_Result finish(srv *sv, struct MHD_Connection *c, const char *url, const char *method,
                              pending *p)
{
    if (p->too_big) {
        char msg[128];
        snprintf(msg, sizeof msg, "the body is larger than the limit of %zu bytes", p->limit);
        return send_error(c, 413, msg);
    }
    if (p->io_error)
        return send_error(c, 500, "the body could not be kept (temporary storage failed)");
    srv_req r = {.cfg = &sv->cfg, .conn = c, .method = method, .path = url};
    r.store = srv_thread_store(sv);
    if (!r.store)
        return send_error(c, 503, "the portfolio store is not available");
    time_t now = time(NULL);
    r.now = (int64_t)now;
    r.today = sv->cfg.today != LIC_DATE_NONE ? sv->cfg.today : local_today(now);
    r.body = p->mem.v;
    r.body_len = p->mem.n;
    if (p->file) {
        rewind(p->file);
        r.body_file = p->file;
        r.body_len = p->total;
    }
    srv_resp out = {0};
    srv_dispatch(&r, &out);
    for (size_t i = 0; i < r.nparams; i++)
        free(r.params[i]);
    return respond(c, &out);
}

enum MHD_Result srv_on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *data, size_t *size, void **state)
{
    (void)version;
    srv *sv = cls;
    pending *p = *state;
    if (!p) {
        unsigned refuse = 0;
        *state = p = start(&sv->cfg, c, url, method, &refuse);
        if (!p)
            return MHD_NO;
        if (refuse) {
            p->too_big = true;
            char msg[128];
            snprintf(msg, sizeof msg, "the body is larger than the limit of %zu bytes", p->limit);
            return send_error(c, 413, msg);
        }
        return MHD_YES;
    }
    if (*size) {
        take(p, data, *size);
        *size = 0;
        return p->too_big && p->total - p->limit > DRAIN ? MHD_NO : MHD_YES;
    }
    return finish(sv, c, url, method, p);
}

void srv_on_completed(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    pending *p = *state;
    if (!p)
        return;
    srv_buf_free(&p->mem);
    if (p->file)
        fclose(p->file);
    free(p);
    *state = NULL;
}
