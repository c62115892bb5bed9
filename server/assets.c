/*
 * assets.c - serving the files built into the binary: the pages' style
 * sheet and script (/assets/NAME) and the OpenAPI document
 * (/api/openapi.json).  They never change while the server runs, so they
 * may be cached by browsers for a while.
 */
#include <string.h>

#include "assets.h"
#include "srv.h"

const srv_asset *srv_asset_find(const char *name)
{
    for (const srv_asset *a = srv_assets; a->name; a++)
        if (!strcmp(a->name, name))
            return a;
    return NULL;
}

static const char *type_of(const char *name)
{
    static const char *const types[][2] = {
        {".css", "text/css; charset=utf-8"},      {".js", "text/javascript; charset=utf-8"},
        {".json", "application/json"},            {".svg", "image/svg+xml"},
        {".csv", "text/csv; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i][0]))
            return types[i][1];
    return "application/octet-stream";
}

static void serve(srv_resp *out, const char *name)
{
    const srv_asset *a = srv_asset_find(name);
    if (!a) {
        srv_error(out, 404, "no such asset: %s", name);
        return;
    }
    out->status = 200;
    out->ctype = type_of(name);
    srv_buf_put(&out->body, a->data, a->len);
    srv_add_header(out, "Cache-Control", "public, max-age=300");
}

void page_asset(srv_req *r, srv_resp *out)
{
    if (!strcmp(r->params[0], "openapi.json")) {
        srv_error(out, 404, "no such asset: %s", r->params[0]);
        return;
    }
    serve(out, r->params[0]);
}

void api_openapi(srv_req *r, srv_resp *out)
{
    (void)r;
    serve(out, "openapi.json");
}
