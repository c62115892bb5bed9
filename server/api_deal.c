/*
 * api_deal.c - the API's agreements: list, get, add, new version; where
 * a deal stands (status, invoices), its calendar feed; the portfolio's
 * conflicts and the ledger's verification.
 *
 * The route table (route.c) has already decided the caller may; r->ag is
 * the agreement of an /api/agreements/{id}/... route.
 */
#include <stdlib.h>
#include <string.h>

#include "licet/ics.h"
#include "licet/portfolio.h"
#include "srv.h"

#define MAX_AGREEMENT_TEXT ((size_t)1 << 20)

/* ---- list ---- */

typedef struct list_ctx {
    srv_req *r;
    json_t *list;
    bool summary;
    lic_date as_of;
} list_ctx;

static json_t *party_json(const lic_party *p)
{
    return json_pack("{s:s?,s:s?}", "id", p->id, "name", p->name);
}

static int list_one(void *ctx, const lic_store_agreement_info *i)
{
    list_ctx *c = ctx;
    int version;
    unsigned status;
    const lic_agreement *a = srv_agreement(c->r->store, i->id, &version, &status);
    if (!a && status != 500)
        return status == 404 ? 0 : LIC_EIO;
    if (c->r->user.role == LIC_ROLE_LICENSEE && !(a && a->licensee.id && !strcmp(a->licensee.id, c->r->user.party)))
        return 0; /* not theirs: not even its id is told */
    json_t *o = json_pack("{s:s,s:i,s:s,s:I,s:I}", "id", i->id, "version", i->versions, "sha256", i->sha256,
                          "events", (json_int_t)i->events, "reports", (json_int_t)i->reports);
    if (a) {
        json_object_set_new(o, "title", a->title ? json_string(a->title) : json_null());
        json_object_set_new(o, "licensor", party_json(&a->licensor));
        json_object_set_new(o, "licensee", party_json(&a->licensee));
    } else
        json_object_set_new(o, "error", json_string("the stored text no longer loads"));
    if (a && c->summary) {
        srv_req sub = *c->r;
        sub.ag = a;
        unsigned st = 0;
        char *text = srv_status_json(&sub, i->id, c->as_of, LIC_DATE_NONE, &st);
        json_t *state = text ? json_loads(text, 0, NULL) : NULL;
        free(text);
        json_object_set_new(o, "summary", state ? srv_summary(state, c->as_of) : json_null());
        json_decref(state);
    }
    return json_array_append_new(c->list, o) ? LIC_ENOMEM : 0;
}

void api_agreements(srv_req *r, srv_resp *out)
{
    list_ctx c = {.r = r, .list = json_array()};
    lic_date known_at;
    if (!srv_dates(r, out, &c.as_of, &known_at)) {
        json_decref(c.list);
        return;
    }
    const char *s = srv_arg(r, "summary");
    c.summary = s && strcmp(s, "0") && strcmp(s, "false");
    if (!c.list || lic_store_agreements(r->store, list_one, &c)) {
        json_decref(c.list);
        srv_error(out, 503, "the portfolio store is not available");
        return;
    }
    char day[LIC_DATE_STRLEN];
    lic_date_str(c.as_of, day);
    srv_json(out, 200, json_pack("{s:s,s:o}", "as_of", day, "agreements", c.list));
}

/* ---- one agreement ---- */

void api_agreement_get(srv_req *r, srv_resp *out)
{
    const char *v = srv_arg(r, "version");
    char *end = NULL;
    long asked = v ? strtol(v, &end, 10) : 0;
    if (v && (!*v || *end || asked <= 0 || asked > 1000000)) {
        srv_error(out, 400, "version: expected a version number, got \"%s\"", v);
        return;
    }
    int want = (int)asked;
    char *text = NULL, sha[65];
    size_t len = 0;
    int got = 0;
    lic_err rc = lic_store_agreement_get(r->store, r->params[0], want, &text, &len, &got);
    if (rc == LIC_ENOTFOUND) {
        srv_error(out, 404, "agreement %s has no version %d", r->params[0], want);
        return;
    }
    if (rc) {
        srv_error(out, 503, "the portfolio store is not available");
        return;
    }
    const char *fmt = srv_arg(r, "format");
    if (fmt && !strcmp(fmt, "yaml")) {
        out->status = 200;
        out->ctype = "application/yaml; charset=utf-8";
        out->body = (srv_buf){.v = text, .n = len, .cap = len + 1};
        return;
    }
    lic_store_sha256_hex(text, len, sha);
    /* The title and parties are those of the version asked for (an older
     * one may differ from the latest, r->ag). */
    const lic_agreement *a = r->ag;
    lic_agreement *old = NULL;
    if (got != r->ag_version) {
        lic_diags d;
        lic_diags_init(&d);
        if (lic_agreement_load_mem(r->params[0], text, len, &d, &old) == LIC_OK && old)
            a = old;
        lic_diags_fini(&d);
    }
    srv_json(out, 200, json_pack("{s:s,s:i,s:i,s:s,s:s?,s:o,s:o,s:s%}", "id", r->params[0], "version", got,
                                 "latest", r->ag_version, "sha256", sha, "title", a->title, "licensor",
                                 party_json(&a->licensor), "licensee", party_json(&a->licensee), "text", text, len));
    lic_agreement_free(old);
    free(text);
}

/* Stores the body as a version; `id` (may be NULL) must be its id. */
static void store_version(srv_req *r, srv_resp *out, const char *id)
{
    size_t len;
    const char *text = srv_body_text(r, MAX_AGREEMENT_TEXT, &len, out);
    if (!text)
        return;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = NULL;
    int version = 0;
    bool unchanged = false;
    char name[300];
    snprintf(name, sizeof name, "%s", id ? id : "agreement");
    /* The id is checked before anything is stored: a version posted to
     * one agreement must not become another. */
    lic_err rc = lic_agreement_load_mem(name, text, len, &d, &a);
    if (!rc && id && strcmp(a->id, id)) {
        srv_error(out, 400, "the text is agreement %s, not %s", a->id, id);
        lic_agreement_free(a);
        lic_diags_fini(&d);
        return;
    }
    lic_agreement_free(a);
    a = NULL;
    lic_diags_fini(&d);
    lic_diags_init(&d);
    rc = lic_pf_add(r->store, name, text, len, &d, &a, &version, &unchanged);
    lic_diags_sort(&d);
    if (rc == LIC_EINVALID)
        srv_error_diags(out, "the agreement has errors; nothing stored", &d);
    else if (rc)
        srv_error(out, 503, "the portfolio store is not available");
    else
        srv_json(out, unchanged ? 200 : 201,
                 json_pack("{s:s,s:i,s:b}", "id", a->id, "version", version, "unchanged", unchanged));
    lic_diags_fini(&d);
    lic_agreement_free(a);
}

void api_agreement_add(srv_req *r, srv_resp *out)
{
    store_version(r, out, NULL);
}

void api_agreement_version(srv_req *r, srv_resp *out)
{
    store_version(r, out, r->params[0]);
}

/* ---- where the deal stands ---- */

void api_status(srv_req *r, srv_resp *out)
{
    lic_date as_of, known_at;
    if (!srv_dates(r, out, &as_of, &known_at))
        return;
    unsigned status = 500;
    char *json = srv_status_json(r, r->params[0], as_of, known_at, &status);
    if (json)
        srv_json_text(out, 200, json);
    else if (status == 422)
        srv_error(out, 422, "the ledger of %s does not load against its latest version", r->params[0]);
    else
        srv_error(out, status, "the status of %s cannot be computed", r->params[0]);
}

void api_invoices(srv_req *r, srv_resp *out)
{
    lic_date as_of, known_at;
    if (!srv_dates(r, out, &as_of, &known_at))
        return;
    unsigned status = 500;
    char *text = srv_status_json(r, r->params[0], as_of, known_at, &status);
    json_t *st = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (!st) {
        srv_error(out, status, "the status of %s cannot be computed", r->params[0]);
        return;
    }
    srv_json(out, 200, json_pack("{s:O,s:O,s:O,s:O}", "agreement", json_object_get(st, "agreement"), "as_of",
                                 json_object_get(st, "as_of"), "invoices", json_object_get(st, "invoices"),
                                 "balance", json_object_get(st, "balance")));
    json_decref(st);
}

void api_calendar(srv_req *r, srv_resp *out)
{
    lic_date as_of, known_at;
    if (!srv_dates(r, out, &as_of, &known_at))
        return;
    srv_deal d;
    if (!srv_deal_eval(r, r->ag, r->params[0], as_of, known_at, &d, out))
        return;
    size_t len = 0;
    char *ics = lic_ics_render(d.st, &len);
    srv_deal_free(&d);
    if (!ics) {
        srv_error(out, 500, "out of memory");
        return;
    }
    out->status = 200;
    out->ctype = "text/calendar; charset=utf-8";
    out->body = (srv_buf){.v = ics, .n = len, .cap = len + 1};
}

/* ---- the portfolio ---- */

typedef struct all_ctx {
    srv_req *r;
    lic_date as_of;
    srv_deal *deals;
    size_t n, cap;
} all_ctx;

static int eval_one(void *ctx, const lic_store_agreement_info *i)
{
    all_ctx *c = ctx;
    int version;
    unsigned status;
    const lic_agreement *a = srv_agreement(c->r->store, i->id, &version, &status);
    if (!a)
        return 0; /* one that no longer loads has no grants to overlap */
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        srv_deal *v = realloc(c->deals, cap * sizeof *v);
        if (!v)
            return LIC_ENOMEM;
        c->deals = v, c->cap = cap;
    }
    srv_resp scratch = {0};
    if (srv_deal_eval(c->r, a, i->id, c->as_of, LIC_DATE_NONE, &c->deals[c->n], &scratch))
        c->n++;
    srv_buf_free(&scratch.body);
    return 0;
}

static json_t *conflict_json(lic_state **st, const lic_conflict *c)
{
    const lic_state *x = st[c->a], *y = st[c->b];
    char t[1024], f[1024] = "";
    lic_tset_describe(&c->territories, NULL, t, sizeof t);
    lic_fset_format(x->agreement->fields, &c->fields, f, sizeof f);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "licensor", x->agreement->licensor.id, "agreement",
                     x->agreement->id, "grant", c->ga->id, "exclusivity",
                     lic_exclusivity_name(c->ga->exclusivity), "other_agreement", y->agreement->id, "other_grant",
                     c->gb->id, "other_exclusivity", lic_exclusivity_name(c->gb->exclusivity), "fields",
                     *f ? f : "all fields", "countries", t);
}

void api_conflicts(srv_req *r, srv_resp *out)
{
    all_ctx c = {.r = r};
    lic_date known_at;
    if (!srv_dates(r, out, &c.as_of, &known_at))
        return;
    lic_err rc = lic_store_agreements(r->store, eval_one, &c);
    lic_state **st = calloc(c.n ? c.n : 1, sizeof *st);
    lic_conflict *found = NULL;
    size_t nfound = 0;
    for (size_t i = 0; st && i < c.n; i++)
        st[i] = c.deals[i].st;
    if (!rc && st)
        rc = lic_conflicts_find((const lic_state *const *)st, c.n, &found, &nfound);
    json_t *list = json_array();
    for (size_t i = 0; !rc && st && i < nfound; i++)
        json_array_append_new(list, conflict_json(st, &found[i]));
    char day[LIC_DATE_STRLEN];
    lic_date_str(c.as_of, day);
    if (rc || !st)
        srv_error(out, 503, "the portfolio cannot be evaluated");
    else
        srv_json(out, 200, json_pack("{s:s,s:O}", "as_of", day, "conflicts", list));
    json_decref(list);
    free(found);
    free(st);
    for (size_t i = 0; i < c.n; i++)
        srv_deal_free(&c.deals[i]);
    free(c.deals);
}

void api_verify(srv_req *r, srv_resp *out)
{
    int64_t rows = 0, bad = 0;
    char why[512] = "";
    lic_err rc = lic_store_verify(r->store, &rows, &bad, why, sizeof why);
    if (rc == LIC_OK)
        srv_json(out, 200, json_pack("{s:b,s:I}", "ok", 1, "rows", (json_int_t)rows));
    else if (rc == LIC_ECORRUPT)
        srv_json(out, 200, json_pack("{s:b,s:I,s:I,s:s}", "ok", 0, "rows", (json_int_t)rows, "first_bad_row",
                                     (json_int_t)bad, "why", why));
    else
        srv_error(out, 503, "the portfolio store is not available");
}
