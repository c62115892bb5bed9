/*
 * buf.c - the server's growable text buffer and the responses built on
 * it: JSON bodies, JSON errors (never a stack trace or SQL: messages are
 * written for the caller), redirects.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "srv.h"
#include "utf8.h"

void srv_buf_put(srv_buf *b, const char *s, size_t n)
{
    lic__buf_put(b, s, n);
}

void srv_buf_puts(srv_buf *b, const char *s)
{
    srv_buf_put(b, s, strlen(s));
}

void srv_buf_printf(srv_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        srv_buf_put(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    srv_buf_put(b, big, (size_t)n);
    free(big);
}

void srv_buf_html(srv_buf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *esc = NULL;
        switch (*s) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '"': esc = "&quot;"; break;
        case '\'': esc = "&#39;"; break;
        default: continue;
        }
        srv_buf_put(b, run, (size_t)(s - run));
        srv_buf_puts(b, esc);
        run = s + 1;
    }
    srv_buf_put(b, run, (size_t)(s - run));
}

void srv_buf_free(srv_buf *b)
{
    free(b->v);
    *b = (srv_buf){0};
}

void srv_add_header(srv_resp *out, const char *name, const char *value)
{
    if (out->nhdr >= SRV_MAX_HEADERS)
        return;
    char *v = strdup(value);
    if (!v)
        return;
    out->hdr[out->nhdr].name = name;
    out->hdr[out->nhdr++].value = v;
}

void srv_json_text(srv_resp *out, unsigned status, char *text)
{
    srv_buf_free(&out->body);
    out->status = status;
    out->ctype = "application/json";
    if (!text) {
        out->status = 500;
        srv_buf_puts(&out->body, "{\"error\":{\"status\":500,\"message\":\"out of memory\"}}\n");
        return;
    }
    size_t n = strlen(text);
    out->body = (srv_buf){.v = text, .n = n, .cap = n + 1};
}

void srv_json(srv_resp *out, unsigned status, json_t *v)
{
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(v);
    if (text) {
        /* json_dumps' buffer is malloc'd by jansson's default allocator;
         * add the newline every licet JSON output ends with. */
        size_t n = strlen(text);
        char *t = realloc(text, n + 2);
        if (!t) {
            free(text);
            text = NULL;
        } else {
            t[n] = '\n', t[n + 1] = '\0';
            text = t;
        }
    }
    srv_json_text(out, status, text);
}

static json_t *error_object(unsigned status, const char *message)
{
    return json_pack("{s:{s:i,s:s}}", "error", "status", (int)status, "message", message);
}

void srv_error(srv_resp *out, unsigned status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* A message quotes what the caller sent (a path, an argument), which
     * may not be UTF-8, or be cut inside a character: jansson would refuse
     * it and the answer become a 500.  Such bytes become '?'. */
    size_t n = strlen(msg);
    for (size_t i = 0; i < n;) {
        size_t k = lic__utf8_len((const unsigned char *)msg + i, n - i);
        if (k)
            i += k;
        else
            msg[i++] = '?';
    }
    srv_json(out, status, error_object(status, msg));
}

void srv_error_diags(srv_resp *out, const char *message, const lic_diags *d)
{
    json_t *o = error_object(422, message), *list = json_array();
    for (size_t i = 0; list && i < d->n; i++) {
        const lic_diag *g = &d->v[i];
        json_array_append_new(list, json_pack("{s:s,s:i,s:i,s:s,s:s,s:s,s:s}", "file", g->file, "line", g->line,
                                              "column", g->col, "severity",
                                              g->sev == LIC_SEV_ERROR ? "error" : "warning", "code", g->code,
                                              "path", g->path, "message", g->msg));
    }
    json_object_set_new(json_object_get(o, "error"), "diagnostics", list);
    srv_json(out, 422, o);
}

void srv_redirect(srv_resp *out, const char *to)
{
    srv_buf_free(&out->body);
    out->status = 303;
    out->ctype = "text/plain; charset=utf-8";
    srv_add_header(out, "Location", to);
    srv_buf_puts(&out->body, "see ");
    srv_buf_puts(&out->body, to);
    srv_buf_puts(&out->body, "\n");
}

bool srv_dates(const srv_req *r, srv_resp *out, lic_date *as_of, lic_date *known_at)
{
    const char *a = srv_arg(r, "as_of"), *k = srv_arg(r, "known_at");
    *as_of = r->today;
    *known_at = LIC_DATE_NONE;
    if (a && lic_date_parse(a, strlen(a), as_of)) {
        srv_error(out, 400, "as_of: expected a date like 2027-06-30, got \"%s\"", a);
        return false;
    }
    if (k && lic_date_parse(k, strlen(k), known_at)) {
        srv_error(out, 400, "known_at: expected a date like 2027-06-30, got \"%s\"", k);
        return false;
    }
    return true;
}
