/*
 * api_review.c - the reports of an agreement with their review state, the
 * reviewer's decisions, and the review queue across the portfolio.
 *
 * A decision on a report (approved, rejected, revision_requested) or on
 * one of its red flags (resolved, disputed, waived) is appended to the
 * ledger as a row of kind "review" whose ident is the period and whose
 * payload is {"by","date","period","decision"|"resolution","flag"?,
 * "note"?}.  A new revision of a report is pending again: only decisions
 * made after the latest revision count for it.
 */
#include <stdlib.h>
#include <string.h>

#include "srv.h"

#define MAX_PERIODS 512

typedef struct period_info {
    char period[16];
    int revisions;
    int64_t seq;              /* the latest revision's row */
    json_t *report;           /* its payload */
    json_t *decision;         /* the latest review decision after seq, or NULL */
    json_t *resolutions;      /* flag key -> the latest resolution row */
} period_info;

typedef struct collected {
    period_info v[MAX_PERIODS];
    size_t n;
} collected;

static period_info *period_of(collected *c, const char *p)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i].period, p))
            return &c->v[i];
    if (c->n == MAX_PERIODS || strlen(p) >= sizeof c->v[0].period)
        return NULL;
    period_info *pi = &c->v[c->n++];
    *pi = (period_info){.resolutions = json_object()};
    snprintf(pi->period, sizeof pi->period, "%s", p);
    return pi;
}

static char *flag_key(const char *kind, const char *detail)
{
    size_t n = strlen(kind) + (detail ? strlen(detail) : 0) + 2;
    char *k = malloc(n);
    if (k)
        snprintf(k, n, "%s|%s", kind, detail ? detail : "");
    return k;
}

static int collect_row(void *ctx, const lic_store_row *row)
{
    collected *c = ctx;
    bool report = !strcmp(row->kind, "report"), review = !strcmp(row->kind, "review");
    if (!report && !review)
        return 0;
    const char *p;
    size_t n;
    json_t *payload = lic_store_row_payload(row->content, &p, &n) ? json_loadb(p, n, 0, NULL) : NULL;
    period_info *pi = payload ? period_of(c, row->ident) : NULL;
    if (!pi) {
        json_decref(payload);
        return 0;
    }
    json_object_set_new(payload, "seq", json_integer(row->seq));
    if (report) {
        json_decref(pi->report);
        pi->report = payload;
        pi->seq = row->seq, pi->revisions++;
        json_decref(pi->decision);
        pi->decision = NULL;
        return 0;
    }
    json_t *flag = json_object_get(payload, "flag");
    if (flag) {
        char *k = flag_key(json_string_value(json_object_get(flag, "kind")),
                           json_string_value(json_object_get(flag, "detail")));
        if (k)
            json_object_set(pi->resolutions, k, payload);
        free(k);
    } else if (pi->seq) {
        json_decref(pi->decision);
        pi->decision = json_incref(payload);
    }
    json_decref(payload);
    return 0;
}

static void collected_free(collected *c)
{
    for (size_t i = 0; i < c->n; i++) {
        json_decref(c->v[i].report);
        json_decref(c->v[i].decision);
        json_decref(c->v[i].resolutions);
    }
    c->n = 0;
}

static bool collect(srv_req *r, const char *id, collected *c)
{
    c->n = 0;
    lic_store_filter f = {.agreement = id};
    return lic_store_ledger(r->store, &f, collect_row, c) == LIC_OK;
}

static json_t *report_json(const period_info *pi)
{
    json_t *lines = json_object_get(pi->report, "lines");
    json_t *d = pi->decision;
    return json_pack("{s:s,s:i,s:I,s:O?,s:I,s:s,s:O?,s:O?,s:O?}", "period", pi->period, "revision", pi->revisions,
                     "seq", (json_int_t)pi->seq, "received", json_object_get(pi->report, "date"), "lines",
                     (json_int_t)json_array_size(lines), "decision",
                     d ? json_string_value(json_object_get(d, "decision")) : "pending", "decided_by",
                     d ? json_object_get(d, "by") : NULL, "decided_on", d ? json_object_get(d, "date") : NULL, "note",
                     d ? json_object_get(d, "note") : NULL);
}

void api_reports(srv_req *r, srv_resp *out)
{
    collected *c = calloc(1, sizeof *c);
    json_t *list = json_array();
    if (!c || !list || !collect(r, r->params[0], c)) {
        srv_error(out, 503, "the portfolio store is not available");
    } else {
        for (size_t i = 0; i < c->n; i++)
            if (c->v[i].report)
                json_array_append_new(list, report_json(&c->v[i]));
        srv_json(out, 200, json_pack("{s:s,s:O}", "agreement", r->params[0], "reports", list));
    }
    json_decref(list);
    if (c)
        collected_free(c);
    free(c);
}

/* ---- a decision ---- */

static const char *const decisions[] = {"approved", "rejected", "revision_requested", NULL};
static const char *const resolutions[] = {"resolved", "disputed", "waived", NULL};

static bool one_of(const char *s, const char *const *v)
{
    for (; *v; v++)
        if (!strcmp(s, *v))
            return true;
    return false;
}

/* Checks the body; builds the payload (without by/date) or says why not. */
static json_t *review_payload(json_t *o, char *err, size_t n)
{
    /* Each member is checked as it is read: a later absent optional one
     * clears err, so a bad one must not go unnoticed (and be dropped). */
    const char *period = srv_member(o, "period", true, 15, err, n);
    if (!period)
        return NULL;
    const char *decision = srv_member(o, "decision", false, 32, err, n);
    if (err[0])
        return NULL;
    const char *resolution = srv_member(o, "resolution", false, 32, err, n);
    if (err[0])
        return NULL;
    const char *note = srv_member(o, "note", false, 2000, err, n);
    if (err[0])
        return NULL;
    json_t *flag = json_object_get(o, "flag");
    lic_period p;
    if (lic_period_parse(period, strlen(period), &p)) {
        snprintf(err, n, "body: \"period\" must be a period like 2027-Q3");
        return NULL;
    }
    if (!decision == !resolution || (decision && !one_of(decision, decisions)) ||
        (resolution && !one_of(resolution, resolutions))) {
        snprintf(err, n, "body: give either \"decision\" (approved, rejected, revision_requested) or \"flag\" "
                         "and \"resolution\" (resolved, disputed, waived)");
        return NULL;
    }
    const char *kind = flag ? srv_member(flag, "kind", true, 64, err, n) : NULL;
    const char *detail = kind ? srv_member(flag, "detail", false, 500, err, n) : NULL;
    if (!!resolution != !!kind || (kind && !detail && err[0])) {
        if (!err[0])
            snprintf(err, n, "body: a \"resolution\" needs the \"flag\" it is for: {\"kind\":...,\"detail\":...}");
        return NULL;
    }
    json_t *pl = json_pack("{s:s,s:s?,s:s?,s:s?}", "period", period, "decision", decision, "resolution",
                           resolution, "note", note);
    if (kind)
        json_object_set_new(pl, "flag", json_pack("{s:s,s:s?}", "kind", kind, "detail", detail));
    return pl;
}

static int count_row(void *ctx, const lic_store_row *row)
{
    (void)row;
    ++*(int *)ctx;
    return 0;
}

void api_review(srv_req *r, srv_resp *out)
{
    json_t *o = srv_body_object(r, out);
    if (!o)
        return;
    char err[300] = "", day[LIC_DATE_STRLEN], digest[65];
    json_t *pl = review_payload(o, err, sizeof err);
    json_decref(o);
    if (!pl) {
        srv_error(out, 400, "%s", err);
        return;
    }
    const char *per = json_string_value(json_object_get(pl, "period"));
    int nreports = 0;
    lic_store_filter f = {r->params[0], "report", per};
    if (lic_store_ledger(r->store, &f, count_row, &nreports) || !nreports) {
        srv_error(out, 404, "agreement %s has no report for %s to review", r->params[0], per);
        json_decref(pl);
        return;
    }
    lic_date_str(r->today, day);
    json_object_set_new(pl, "by", json_string(r->user.name));
    json_object_set_new(pl, "date", json_string(day));
    char *text = json_dumps(pl, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    const char *period = json_string_value(json_object_get(pl, "period"));
    int64_t seq = 0;
    lic_err rc = LIC_ENOMEM;
    if (text) {
        lic_store_sha256_hex(text, strlen(text), digest);
        rc = lic_store_append(r->store, r->params[0], "review", period, digest, text, &seq);
    }
    free(text);
    if (rc) {
        json_decref(pl);
        srv_error(out, 503, "the portfolio store is not available (nothing stored)");
        return;
    }
    json_object_set_new(pl, "seq", json_integer(seq));
    json_object_set_new(pl, "agreement", json_string(r->params[0]));
    srv_json(out, 201, pl);
}

/* ---- the queue ---- */

typedef struct queue_ctx {
    srv_req *r;
    json_t *items;
    collected *c;
} queue_ctx;

/* The flags of the period with their resolutions; *open counts those
 * not resolved or waived. */
static json_t *period_flags(json_t *state, const period_info *pi, int *open)
{
    json_t *list = json_array(), *f;
    size_t i;
    json_array_foreach(json_object_get(state, "flags"), i, f)
    {
        const char *per = json_string_value(json_object_get(f, "period"));
        if (!per || strcmp(per, pi->period))
            continue;
        char *k = flag_key(json_string_value(json_object_get(f, "kind")),
                           json_string_value(json_object_get(f, "detail")));
        json_t *res = k ? json_object_get(pi->resolutions, k) : NULL;
        free(k);
        const char *rs = res ? json_string_value(json_object_get(res, "resolution")) : "open";
        *open += strcmp(rs, "resolved") && strcmp(rs, "waived");
        json_t *item = json_deep_copy(f);
        json_object_set_new(item, "resolution", json_string(rs));
        if (res)
            json_object_set(item, "resolved_by", json_object_get(res, "by"));
        json_array_append_new(list, item);
    }
    return list;
}

static int queue_one(void *ctx, const lic_store_agreement_info *i)
{
    queue_ctx *q = ctx;
    int version;
    unsigned status;
    srv_req sub = *q->r;
    sub.ag = srv_agreement(q->r->store, i->id, &version, &status);
    if (!sub.ag || !collect(q->r, i->id, q->c))
        return 0;
    lic_date as_of = q->r->today;
    for (size_t k = 0; k < q->c->n; k++) {
        const char *d = json_string_value(json_object_get(q->c->v[k].report, "date"));
        lic_date rd;
        if (d && !lic_date_parse(d, strlen(d), &rd) && rd > as_of)
            as_of = rd; /* a report is reviewed as of its receipt at the earliest */
    }
    char *text = srv_status_json(&sub, i->id, as_of, LIC_DATE_NONE, &status);
    json_t *state = text ? json_loads(text, 0, NULL) : json_object();
    free(text);
    for (size_t k = 0; k < q->c->n; k++) {
        const period_info *pi = &q->c->v[k];
        if (!pi->report)
            continue;
        int open = 0;
        json_t *flags = period_flags(state, pi, &open);
        json_t *item = report_json(pi);
        const char *dec = json_string_value(json_object_get(item, "decision"));
        bool pending = !strcmp(dec, "pending") || !strcmp(dec, "revision_requested");
        if (!pending && !open) {
            json_decref(flags);
            json_decref(item);
            continue;
        }
        json_object_set_new(item, "agreement", json_string(i->id));
        json_object_set_new(item, "open_flags", json_integer(open));
        json_object_set_new(item, "flags", flags);
        json_array_append_new(q->items, item);
    }
    json_decref(state);
    collected_free(q->c);
    return 0;
}

void api_review_queue(srv_req *r, srv_resp *out)
{
    queue_ctx q = {.r = r, .items = json_array(), .c = calloc(1, sizeof(collected))};
    if (!q.items || !q.c || lic_store_agreements(r->store, queue_one, &q))
        srv_error(out, 503, "the portfolio store is not available");
    else
        srv_json(out, 200, json_pack("{s:O}", "queue", q.items));
    json_decref(q.items);
    free(q.c);
}
