/*
 * portfolio.c - loading deals from a store and appending to it, as the
 * `licet` commands and `licet serve` both do (see portfolio.h).
 *
 * Recording is idempotent: an event is known in the ledger by its ident
 * (its id, or "@DATE TYPE" when it has none) and the SHA-256 of its
 * canonical JSON, so importing the same file twice stores nothing the
 * second time.  A sales report is known by its period and the digest of
 * its canonical lines; other lines for the same period are a revision.
 */
#include "licet/portfolio.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "licet/check.h"
#include "licet/sales.h"
#include "alloc.h"
#include "events_int.h"
#include "sales_int.h"
#include "store_int.h"

lic_err lic_pf_agreement(lic_store *s, const char *id, lic_diags *d, lic_agreement **a, int *version)
{
    return lic_pf_agreement_version(s, id, 0, d, a, version);
}

lic_err lic_pf_agreement_version(lic_store *s, const char *id, int want, lic_diags *d, lic_agreement **a,
                                 int *version)
{
    char *text = NULL, name[300];
    size_t len = 0;
    int v = 0;
    *a = NULL;
    lic_err rc = lic_store_agreement_get(s, id, want, &text, &len, &v);
    if (rc)
        return rc;
    snprintf(name, sizeof name, "%s@v%d", id, v);
    rc = lic_agreement_load_mem(name, text, len, d, a);
    free(text);
    if (version)
        *version = v;
    if (rc == LIC_OK)
        return LIC_OK;
    return rc == LIC_ENOMEM ? rc : LIC_EINVALID;
}

lic_err lic_pf_events(lic_store *s, const char *id, const lic_agreement *a, lic_diags *d, lic_events **ev)
{
    char *text = NULL, name[300];
    size_t len = 0;
    *ev = NULL;
    lic_err rc = lic_store_events_text(s, id, &text, &len);
    if (!rc) {
        snprintf(name, sizeof name, "ledger:%s", id);
        rc = lic__events_load_ledger(name, text, len, a, d, ev);
        if (rc && rc != LIC_ENOMEM)
            rc = LIC_EINVALID;
    }
    free(text);
    return rc;
}

lic_err lic_pf_deal(lic_store *s, const char *id, lic_diags *d, lic_agreement **a, lic_events **ev)
{
    *ev = NULL;
    lic_err rc = lic_pf_agreement(s, id, d, a, NULL);
    if (!rc)
        rc = lic_pf_events(s, id, *a, d, ev);
    if (rc) {
        lic_agreement_free(*a);
        *a = NULL;
    }
    return rc;
}

lic_err lic_pf_add(lic_store *s, const char *name, const char *text, size_t len, lic_diags *d,
                   lic_agreement **a, int *version, bool *unchanged)
{
    lic_err rc = lic_agreement_load_mem(name, text, len, d, a);
    if (!rc)
        rc = lic_check_agreement(*a, d);
    if (!rc && d->nerrors)
        rc = LIC_EINVALID;
    if (!rc)
        rc = lic_store_agreement_add(s, (*a)->id, text, len, version, unchanged);
    if (rc) {
        lic_agreement_free(*a);
        *a = NULL;
    }
    return rc == LIC_EPARSE ? LIC_EINVALID : rc;
}

/* ---- events ---- */

typedef struct found {
    const char *digest;
    int64_t same, other; /* the last row with this digest / with another one */
    int rows, nsame;
} found;

static int find_row(void *ctx, const lic_store_row *r)
{
    found *f = ctx;
    f->rows++;
    if (!strcmp(r->digest, f->digest))
        f->same = r->seq, f->nsame++;
    else
        f->other = r->seq;
    return 0;
}

/* How many events before event i in the file have the same content: an
 * event written without an id is known by its content only, and a file
 * may hold two equal ones (two equal payments on a day). */
static int earlier_twins(char **canon, size_t i)
{
    int n = 0;
    for (size_t k = 0; k < i; k++)
        n += !strcmp(canon[k], canon[i]);
    return n;
}

/* Stores event i unless the ledger has it; reports a clash of ids. */
static lic_err record_one(lic_store *s, const char *id, const lic_events *ev, size_t i, char **canon,
                          lic_diags *d, lic_pf_tally *t)
{
    const lic_event *e = &ev->v[i];
    char digest[65], ident[300], day[LIC_DATE_STRLEN];
    lic_store_sha256_hex(canon[i], strlen(canon[i]), digest);
    lic_date_str(e->date, day);
    if (e->id_given)
        snprintf(ident, sizeof ident, "%s", e->id);
    else
        snprintf(ident, sizeof ident, "@%s %s", day, lic_event_type_name(e->type));
    found f = {.digest = digest};
    lic_store_filter flt = {id, "event", ident};
    lic_err rc = lic_store_ledger(s, &flt, find_row, &f);
    if (rc)
        return rc;
    if (f.same && (e->id_given || f.nsame > earlier_twins(canon, i))) {
        t->already++;
        return LIC_OK;
    }
    if (f.other && e->id_given) {
        t->rejected++;
        return lic_diags_add(d, LIC_SEV_ERROR, ev->file, e->pos.line, e->pos.col, "id-taken", "",
                             "event %s: the ledger already has another event with this id (row %lld); "
                             "not stored", e->id, (long long)f.other);
    }
    t->stored++;
    return lic_store_append(s, id, "event", ident, digest, canon[i], NULL);
}

static lic_err record_all(lic_store *s, const char *id, const lic_events *ev, char **canon, lic_diags *d,
                          lic_pf_tally *t)
{
    lic_err rc = lic_store_begin(s);
    for (size_t i = 0; !rc && i < ev->n; i++)
        rc = record_one(s, id, ev, i, canon, d, t);
    if (!rc)
        return lic_store_commit(s);
    lic_store_rollback(s);
    *t = (lic_pf_tally){0};
    return rc;
}

lic_err lic_pf_record(lic_store *s, const char *id, const lic_agreement *a, const char *path, const char *text,
                      size_t len, lic_diags *d, lic_pf_tally *t)
{
    *t = (lic_pf_tally){0};
    lic_events *ev = NULL;
    char **canon = NULL;
    lic_err rc = text ? lic_events_load_mem(path, text, len, a, d, &ev) : lic_events_load(path, a, d, &ev);
    if (!rc)
        rc = text ? lic_store_canon_events_mem(text, len, a, ev, &canon)
                  : lic_store_canon_events(path, a, ev, &canon);
    if (!rc)
        rc = record_all(s, id, ev, canon, d, t);
    if (ev)
        t->rejected += (int)ev->nrejected;
    lic_store_strings_free(canon, ev ? ev->n : 0);
    lic_events_free(ev);
    return rc;
}

/* ---- sales reports ---- */

/* head, lines and tail as one string (lic__free it), or NULL: a plain
 * copy, since printf's %s is slow on a payload of many megabytes. */
static char *concat3(const char *head, const char *lines, const char *tail)
{
    size_t h = strlen(head), n = strlen(lines), t = strlen(tail);
    char *s = lic__malloc(h + n + t + 1);
    if (s) {
        memcpy(s, head, h);
        memcpy(s + h, lines, n);
        memcpy(s + h + n, tail, t + 1);
    }
    return s;
}

/* Whether the loader read back line l as the CSV reader read it (fx_rate
 * is not part of a line's canonical form). */
static bool same_line(const lic_sale_line *x, const lic_sale_line *y)
{
    return !lic_period_cmp(x->period, y->period) && x->date == y->date && x->country == y->country && x->field == y->field &&
           x->units == y->units && x->gross == y->gross && x->deductions == y->deductions &&
           x->third_party_royalties == y->third_party_royalties && x->currency == y->currency &&
           (x->product && y->product ? !strcmp(x->product, y->product) : x->product == y->product);
}

/* A report as an import keeps it while its file streams past: the
 * canonical JSON of its lines (the `lines` array, at json.v + ROOM: the
 * row is built around it there, see lic__store_append_around), their
 * count, and the first and last line (ends[0] alone for one line),
 * whose products are copied into product[]. */
#define ROOM LIC__STORE_ROOM
typedef struct import_lines {
    const lic_agreement *a;
    lic__buf json;
    size_t n;
    lic_sale_line ends[2];
    lic__buf product[2];
} import_lines;

/* Whether the report event, framed by head and tail, with its first and
 * last line only, loads through the events loader as one report whose
 * lines read back as the CSV reader read them.  The lines in between come
 * from the same writer (lic_store_canon_lines) and were checked by the
 * CSV reader against the same agreement with the same line reader, so
 * reading all of them again (most of an import's time, before) would
 * only say it again; the engine still reads the whole payload. */
static lic_err check_sample(const lic_agreement *a, const char *name, const lic_sale_line *ends, size_t k,
                            const char *head, const char *tail, lic_diags *d, bool *ok)
{
    char *lines = NULL;
    lic_err rc = lic_store_canon_lines(a, ends, k, &lines);
    char *text = rc ? NULL : concat3(head, lines, tail);
    free(lines);
    if (!text)
        return LIC_ENOMEM;
    lic_events *ev = NULL;
    rc = lic_events_load_mem(name, text, strlen(text), a, d, &ev);
    lic__free(text);
    *ok = !rc && ev->n == 1 && ev->v[0].type == LIC_EV_REPORT && ev->v[0].nlines == k;
    for (size_t i = 0; *ok && i < k; i++)
        *ok = same_line(&ev->v[0].lines[i], &ends[i]);
    lic_events_free(ev);
    return rc == LIC_ENOMEM ? rc : LIC_OK;
}

/* The frame of the report event around its lines (*head and *tail,
 * lic__free them), as lic_store_canon_report would write it, checked as
 * the engine will read it back from the ledger (see check_sample). */
static lic_err report_frame(const lic_agreement *a, lic_period p, lic_date received, const char *name,
                            const import_lines *k, int revision, lic_diags *d, char **head, char **tail)
{
    char per[LIC_PERIOD_STRLEN], evid[64];
    lic_period_str(p, per);
    snprintf(evid, sizeof evid, "sales-%s-r%d", per, revision);
    lic_err rc = lic__store_report_frame(evid, received, p, head, tail);
    bool ok = false;
    if (!rc)
        rc = check_sample(a, name, k->ends, k->n < 2 ? k->n : 2, *head, *tail, d, &ok);
    if (!rc && !ok && lic_diags_add(d, LIC_SEV_ERROR, name, 0, 0, "report", "", "cannot be the report of %s", per))
        rc = LIC_ENOMEM;
    else if (!rc && !ok)
        rc = LIC_EINVALID;
    if (rc) {
        lic__free(*head);
        lic__free(*tail);
        *head = *tail = NULL;
    }
    return rc;
}

/* Stores the report unless the ledger has these lines for the period.
 * The row's payload is the frame around the lines, joined only in the
 * row itself: a large report is copied once. */
static lic_err store_report(lic_store *s, const char *id, const lic_agreement *a, lic_period p,
                            lic_date received, const char *name, import_lines *k, lic_diags *d,
                            lic_pf_import_result *r)
{
    char *head = NULL, *tail = NULL, digest[65], per[LIC_PERIOD_STRLEN];
    lic_period_str(p, per);
    lic_store_sha256_hex(k->json.v + ROOM, k->json.n - ROOM, digest);
    found f = {.digest = digest};
    lic_store_filter flt = {id, "report", per};
    lic_err rc = lic_store_begin(s);
    if (!rc)
        rc = lic_store_ledger(s, &flt, find_row, &f);
    r->revision = f.rows + 1;
    r->previous = f.rows ? f.other : 0;
    if (!rc && f.same) {
        r->already = f.same;
        r->revision = f.rows;
    } else if (!rc && !(rc = report_frame(a, p, received, name, k, f.rows + 1, d, &head, &tail)))
        rc = lic__store_append_around(s, id, "report", per, digest, head, &k->json, ROOM, tail, &r->seq);
    if (!rc && r->seq)
        rc = lic_store_commit(s);
    lic_store_rollback(s);
    lic__free(head);
    lic__free(tail);
    return rc;
}

/* ---- progress ---- */

typedef struct import_tick {
    const lic_pf_progress *progress;
    uint64_t total_bytes;
} import_tick;

static void tell(const import_tick *t, const char *phase, uint64_t done, uint64_t total, uint64_t bytes)
{
    lic_pf_progress_info i = {phase, done, total, bytes, t->total_bytes};
    if (t->progress && t->progress->fn)
        t->progress->fn(t->progress->ctx, &i);
}

static void lines_read(void *ctx, size_t lines, uint64_t bytes)
{
    tell(ctx, "reading", lines, 0, bytes);
}

/* The size of the file behind f, or 0 when it is not a regular file. */
static uint64_t file_size(FILE *f)
{
    struct stat st;
    int fd = fileno(f);
    return fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
}

/* Takes one line as the file streams past: its canonical JSON goes into
 * the `lines` array; the first and the last line are kept. */
static bool take_line(void *ctx, const lic_sale_line *l)
{
    import_lines *k = ctx;
    lic__buf_put(&k->json, k->n ? "," : "[", 1);
    lic__store_canon_line(&k->json, k->a, l);
    size_t end = k->n ? 1 : 0;
    k->ends[end] = *l;
    if (l->product) { /* valid during this call only */
        lic__buf *p = &k->product[end];
        p->n = 0;
        lic__buf_put(p, l->product, strlen(l->product) + 1);
        k->ends[end].product = p->v;
    }
    k->n++;
    return !k->json.oom && !k->product[end].oom;
}

static void import_lines_fini(import_lines *k)
{
    lic__free(k->json.v);
    lic__free(k->product[0].v);
    lic__free(k->product[1].v);
}

lic_err lic_pf_import(lic_store *s, const char *id, const lic_agreement *a, lic_period p, lic_date received,
                      FILE *f, const char *name, lic_diags *d, const lic_pf_progress *progress,
                      lic_pf_import_result *r)
{
    *r = (lic_pf_import_result){0};
    uint64_t size = file_size(f);
    import_tick t = {progress, progress ? size : 0};
    lic__sales_tick tick = {lines_read, &t};
    import_lines k = {.a = a};
    /* Canonical lines take about three times their CSV: one growth of
     * a large report's buffer instead of a dozen. */
    size_t cap = size && size < SIZE_MAX / 4 ? size * 3 + ROOM + 64 : ROOM + 4096;
    if ((k.json.v = lic__malloc(cap)) == NULL)
        return LIC_ENOMEM;
    k.json.cap = cap;
    k.json.n = ROOM; /* the row's keys and the report's head go there */
    size_t n = 0;
    lic_err rc = lic__sales_stream_file(a, f, name, d, progress ? &tick : NULL, take_line, &k, &n);
    if (!rc) {
        lic__buf_put(&k.json, n ? "]" : "[]", n ? 1 : 2);
        rc = k.json.oom ? LIC_ENOMEM : LIC_OK;
    }
    if (!rc) {
        r->nlines = n;
        tell(&t, "storing", n, n, t.total_bytes);
        rc = store_report(s, id, a, p, received, name, &k, d, r);
    }
    import_lines_fini(&k);
    return rc;
}
