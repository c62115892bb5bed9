/*
 * api_ledger.c - the API's ledger: events (list, record), sales reports
 * (upload, list, their royalty statements, a CSV template) and reviews.
 *
 * Uploads go through the same library calls as `licet record` and
 * `licet import-sales` (portfolio.h), so a report posted here is checked
 * exactly as one imported on the command line, and a rejected one leaves
 * the ledger as it was.  A review (a report approved, rejected or sent
 * back for revision; a red flag resolved, disputed or waived) is a ledger
 * row of kind "review": in the hash chain like everything else, but not
 * an event the engine reads (lic_store_events_text leaves it out).
 */
#include <stdlib.h>
#include <string.h>

#include "../cli/cmd.h"
#include "licet/portfolio.h"
#include "srv.h"

#define MAX_EVENTS_TEXT ((size_t)1 << 20)

/* ---- events ---- */

static int row_json(void *ctx, const lic_store_row *row)
{
    const char *p;
    size_t n;
    json_t *payload = NULL;
    if (lic_store_row_payload(row->content, &p, &n))
        payload = json_loadb(p, n, 0, NULL);
    json_t *o = json_pack("{s:I,s:s,s:s,s:o*,s:s}", "seq", (json_int_t)row->seq, "kind", row->kind, "ident",
                          row->ident, "payload", payload, "hash", row->hash);
    return json_array_append_new(ctx, o) ? LIC_ENOMEM : 0;
}

void api_events(srv_req *r, srv_resp *out)
{
    json_t *list = json_array();
    const char *kind = srv_arg(r, "kind");
    lic_store_filter f = {r->params[0], kind, NULL};
    if (!list || lic_store_ledger(r->store, &f, row_json, list)) {
        json_decref(list);
        srv_error(out, 503, "the portfolio store is not available");
        return;
    }
    srv_json(out, 200, json_pack("{s:s,s:o}", "agreement", r->params[0], "rows", list));
}

/* What a licensee may record itself: that a milestone was achieved, with
 * its evidence.  Everything else (payments, notices, amendments...) is the
 * licensor's staff's to record. */
static bool licensee_may_record(const lic_events *ev, char *why, size_t n)
{
    for (size_t i = 0; i < ev->n; i++)
        if (ev->v[i].type != LIC_EV_MILESTONE_ACHIEVED) {
            snprintf(why, n, "a licensee may record milestone_achieved events only (with evidence); line %d is %s",
                     ev->v[i].pos.line, lic_event_type_name(ev->v[i].type));
            return false;
        }
    return true;
}

static json_t *diags_json(const lic_diags *d)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < d->n; i++) {
        const lic_diag *g = &d->v[i];
        json_array_append_new(list, json_pack("{s:s,s:i,s:i,s:s,s:s}", "file", g->file, "line", g->line, "column",
                                              g->col, "severity", g->sev == LIC_SEV_ERROR ? "error" : "warning",
                                              "message", g->msg));
    }
    return list;
}

void api_event_record(srv_req *r, srv_resp *out)
{
    size_t len;
    const char *text = srv_body_text(r, MAX_EVENTS_TEXT, &len, out);
    if (!text)
        return;
    lic_diags d;
    lic_diags_init(&d);
    if (r->user.role == LIC_ROLE_LICENSEE) {
        lic_events *ev = NULL;
        char why[300] = "";
        lic_err rc = lic_events_load_mem("body", text, len, r->ag, &d, &ev);
        bool ok = !rc && licensee_may_record(ev, why, sizeof why);
        lic_events_free(ev);
        lic_diags_fini(&d);
        lic_diags_init(&d);
        if (!rc && !ok) {
            srv_error(out, 403, "%s", why);
            return;
        }
    }
    lic_pf_tally t;
    lic_err rc = lic_pf_record(r->store, r->params[0], r->ag, "body", text, len, &d, &t);
    lic_diags_sort(&d);
    if (rc == LIC_EINVALID || rc == LIC_EPARSE)
        srv_error_diags(out, "the body is not a YAML list or JSON Lines of events", &d);
    else if (rc)
        srv_error(out, 503, "the portfolio store is not available (nothing stored)");
    else
        srv_json(out, t.rejected && !t.stored && !t.already ? 422 : 200,
                 json_pack("{s:s,s:i,s:i,s:i,s:o}", "agreement", r->params[0], "recorded", t.stored, "already",
                           t.already, "rejected", t.rejected, "diagnostics", diags_json(&d)));
    lic_diags_fini(&d);
}

/* ---- reports ---- */

static lic_date later(lic_date a, lic_date b)
{
    return a == LIC_DATE_NONE || (b != LIC_DATE_NONE && b > a) ? b : a;
}

/* The statement of period p and the period's flags, as of as_of. */
static json_t *statement_json(srv_req *r, lic_period p, lic_date as_of)
{
    srv_deal d;
    srv_resp scratch = {0};
    if (!srv_deal_eval(r, r->ag, r->params[0], as_of, LIC_DATE_NONE, &d, &scratch)) {
        srv_buf_free(&scratch.body);
        return json_null();
    }
    char per[LIC_PERIOD_STRLEN];
    lic_period_str(p, per);
    const lic_st_statement *x = lic_state_statement(d.st, p);
    char *text = x ? lic_statement_json(d.st, x) : NULL;
    json_t *st = text ? json_loads(text, 0, NULL) : json_null();
    json_t *flags = json_array();
    for (size_t i = 0; i < d.st->nflags; i++) {
        const lic_st_flag *f = &d.st->flags[i];
        if (f->period && !strcmp(f->period, per))
            json_array_append_new(flags, json_pack("{s:s,s:s,s:s?}", "kind", f->kind, "period", f->period,
                                                   "detail", f->detail));
    }
    free(text);
    srv_deal_free(&d);
    return json_pack("{s:o,s:o}", "statement", st ? st : json_null(), "flags", flags);
}

/* The body as a stream for the CSV reader. */
static FILE *body_stream(srv_req *r)
{
    if (r->body_file)
        return r->body_file;
    return fmemopen((void *)(r->body ? r->body : ""), r->body_len ? r->body_len : 1, "rb");
}

void api_report_upload(srv_req *r, srv_resp *out)
{
    const char *ps = srv_arg(r, "period"), *ds = srv_arg(r, "date");
    lic_period p;
    lic_date received = r->today;
    if (!ps || lic_period_parse(ps, strlen(ps), &p)) {
        srv_error(out, 400, "period: expected a period like 2027-Q3 (?period=...)");
        return;
    }
    if (ds && lic_date_parse(ds, strlen(ds), &received)) {
        srv_error(out, 400, "date: expected the date the report was received, like 2027-10-20");
        return;
    }
    /* The receipt date decides whether a report was late: a licensee may
     * not date its own report before the day it uploads it. */
    if (r->user.role == LIC_ROLE_LICENSEE && received < r->today) {
        srv_error(out, 400, "date: a licensee's report is received on the day it is uploaded or later");
        return;
    }
    FILE *f = r->body_len ? body_stream(r) : NULL;
    if (!f) {
        srv_error(out, 400, "the body must be the sales report CSV (FORMAT 4)");
        return;
    }
    lic_diags d;
    lic_diags_init(&d);
    lic_pf_import_result res;
    char name[64];
    snprintf(name, sizeof name, "report-%s.csv", ps);
    lic_err rc = lic_pf_import(r->store, r->params[0], r->ag, p, received, f, name, &d, NULL, &res);
    if (f != r->body_file)
        fclose(f);
    lic_diags_sort(&d);
    if (rc == LIC_EINVALID || rc == LIC_EPARSE || rc == LIC_ETOOBIG)
        srv_error_diags(out, "the report has errors; nothing stored", &d);
    else if (rc)
        srv_error(out, 503, "the portfolio store is not available (nothing stored)");
    else {
        json_t *o = statement_json(r, p, later(r->today, received));
        json_object_update_new(o, json_pack("{s:s,s:s,s:I,s:i,s:I,s:b}", "agreement", r->params[0], "period", ps,
                                        "lines", (json_int_t)res.nlines, "revision", res.revision, "seq",
                                        (json_int_t)(res.seq ? res.seq : res.already), "already",
                                        res.already != 0));
        srv_json(out, res.already ? 200 : 201, o);
    }
    lic_diags_fini(&d);
}

void api_royalties(srv_req *r, srv_resp *out)
{
    lic_period p;
    lic_date as_of, known_at;
    if (lic_period_parse(r->params[1], strlen(r->params[1]), &p)) {
        srv_error(out, 400, "expected a period like 2027-Q3, got \"%s\"", r->params[1]);
        return;
    }
    if (!srv_dates(r, out, &as_of, &known_at))
        return;
    const char *fmt = srv_arg(r, "format");
    if (fmt && strcmp(fmt, "json") && strcmp(fmt, "csv") && strcmp(fmt, "xlsx")) {
        srv_error(out, 400, "format: expected json, csv or xlsx");
        return;
    }
    srv_deal d;
    if (!srv_deal_eval(r, r->ag, r->params[0], as_of, known_at, &d, out))
        return;
    const lic_st_statement *x = lic_state_statement(d.st, p);
    if (!x)
        srv_error(out, 404, "no royalty report covers %s (as of the date asked)", r->params[1]);
    else if (!fmt || !strcmp(fmt, "json"))
        srv_json_text(out, 200, lic_statement_json(d.st, x));
    else
        srv_royalties_file(r, out, d.st, x, fmt);
    srv_deal_free(&d);
}

void api_template(srv_req *r, srv_resp *out)
{
    out->status = 200;
    out->ctype = "text/csv; charset=utf-8";
    char disp[300];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s-sales-template.csv\"", r->ag->id);
    srv_add_header(out, "Content-Disposition", disp);
    srv_buf_puts(&out->body, "period,date,product,country,field,units,gross_sales,deductions,currency,"
                             "third_party_royalties\n");
}
