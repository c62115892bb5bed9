/*
 * engine_util.c - small helpers every engine file uses: arena lists and
 * strings, date arithmetic with the agreement's calendar, rejections,
 * indeterminate terms, date expressions over what has happened, deadlines,
 * and the waivers by what they name.
 *
 * Strings are formatted by a small formatter for the %s, %d and %zu the
 * engine's ids and texts use, with vsnprintf for anything else: printf's
 * general machinery was once the largest cost of an evaluation.
 */
#include "engine_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool eng_grow(eng *g, void **list, size_t *cap, size_t elem, size_t count)
{
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = lic__arena_alloc_raw(g->arena, ncap * elem); /* pushes fill their entries */
    if (!p) {
        g->oom = LIC_ENOMEM;
        return false;
    }
    if (count)
        memcpy(p, *list, count * elem);
    *list = p;
    *cap = ncap;
    return true;
}

/* Appends n bytes of s to buf as vsnprintf would: what fits of cap. */
static void put(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
    if (*len < cap - 1)
        memcpy(buf + *len, s, n < cap - 1 - *len ? n : cap - 1 - *len);
    *len += n;
}

/* Writes u in decimal (after a '-' when neg) to end at `end`; returns
 * where it starts. */
static char *decimal(char *end, unsigned long long u, bool neg)
{
    do
        *--end = (char)('0' + u % 10);
    while (u /= 10);
    if (neg)
        *--end = '-';
    return end;
}

/* vsnprintf for the conversions the engine's ids and texts use (%s, %d,
 * %zu, %%): the C library's general printf machinery was the engine's
 * largest single cost.  False, having used some of ap, for anything else
 * (a NULL string included); the caller then calls vsnprintf itself. */
static bool quick_fmt(char *buf, size_t cap, const char *fmt, va_list ap)
{
    size_t len = 0;
    for (const char *p = fmt; *p; p++) {
        char num[24], *end = num + sizeof num;
        const char *s = p; /* a run of plain characters, or "%%" */
        size_t n;
        if (*p != '%') {
            n = strcspn(p, "%");
            p += n - 1;
        } else if (p[1] == 's') {
            if (!(s = va_arg(ap, const char *)))
                return false;
            n = strlen(s);
            p++;
        } else if (p[1] == 'd') {
            int v = va_arg(ap, int);
            s = decimal(end, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
            n = (size_t)(end - s);
            p++;
        } else if (p[1] == 'z' && p[2] == 'u') {
            s = decimal(end, va_arg(ap, size_t), false);
            n = (size_t)(end - s);
            p += 2;
        } else if (p[1] == '%') {
            n = 1;
            p++;
        } else
            return false;
        put(buf, cap, &len, s, n);
    }
    buf[len < cap - 1 ? len : cap - 1] = '\0';
    return true;
}

/* Copies one entry: the state's entries are whole words, up to 128
 * bytes, each size copied by a memcpy of that constant size (a few
 * register moves in place) rather than by a call to memcpy per entry or
 * a loop of words (which the compiler does not unroll for a size it
 * does not know). */
static inline void copy_entry(char *to, const char *from, size_t size)
{
#define COPY_CASE(n) \
    case n: \
        memcpy(to, from, n); \
        return;
    switch (size) {
        COPY_CASE(8) COPY_CASE(16) COPY_CASE(24) COPY_CASE(32) COPY_CASE(40) COPY_CASE(48) COPY_CASE(56)
        COPY_CASE(64) COPY_CASE(72) COPY_CASE(80) COPY_CASE(88) COPY_CASE(96) COPY_CASE(104) COPY_CASE(112)
        COPY_CASE(120) COPY_CASE(128)
    default:
        memcpy(to, from, size);
    }
#undef COPY_CASE
}

/* Merges the sorted runs [lo, mid) and [mid, hi) of v, stably: the left
 * run is copied to tmp and wins ties. */
static void merge(char *v, char *tmp, size_t size, size_t lo, size_t mid, size_t hi,
                  int (*cmp)(const void *, const void *))
{
    size_t na = mid - lo, a = 0, b = mid, out = lo;
    memcpy(tmp, v + lo * size, na * size);
    while (a < na && b < hi) {
        const char *x = tmp + a * size, *y = v + b * size;
        bool left = cmp(x, y) <= 0;
        copy_entry(v + out++ * size, left ? x : y, size);
        a += left, b += !left;
    }
    if (a < na) /* what is left of the right run is in place already */
        memcpy(v + out * size, tmp + a * size, (na - a) * size);
}

#define SORT_MAX_RUNS 64
#define SORT_STACK 8192 /* a pass's invoices (96 bytes each) fit without a malloc */

/* Merges adjacent runs (run[i] is where run i begins; run[nrun] = n)
 * pairwise until one is left.  False when there is no memory. */
static bool merge_runs(char *v, size_t size, size_t *run, size_t nrun,
                       int (*cmp)(const void *, const void *))
{
    size_t n = run[nrun];
    char stack[SORT_STACK], *tmp = n * size <= sizeof stack ? stack : lic__malloc(n * size);
    if (!tmp)
        return false;
    while (nrun > 1) {
        size_t k = 0;
        for (size_t i = 0; i < nrun; i += 2) {
            if (i + 1 < nrun)
                merge(v, tmp, size, run[i], run[i + 1], run[i + 2], cmp);
            run[k++] = run[i];
        }
        run[k] = n;
        nrun = k;
    }
    if (tmp != stack)
        lic__free(tmp);
    return true;
}

/* The engine's lists are built from runs already in order (obligations of
 * each kind by due date, invoices of each kind, report lines by date), so
 * the runs are found and merged: fewer comparisons than qsort's merge sort
 * from scratch.  Both are stable (glibc's qsort is a merge sort), so
 * entries that compare equal keep the order qsort gave them.  Lists of
 * many runs, or no memory for the merge, go to qsort. */
void eng_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    char *v = base;
    size_t run[SORT_MAX_RUNS + 1], nrun = 0;
    for (size_t i = 1; i < n; i++) {
        if (cmp(v + (i - 1) * size, v + i * size) <= 0)
            continue;
        if (nrun + 1 >= SORT_MAX_RUNS) {
            qsort(base, n, size, cmp);
            return;
        }
        run[++nrun] = i; /* run 0 begins at 0 */
    }
    if (nrun == 0) /* in order, ties included: a stable sort leaves it */
        return;
    run[0] = 0;
    run[++nrun] = n;
    if (!merge_runs(v, size, run, nrun, cmp))
        qsort(base, n, size, cmp);
}

static char *vfmt(eng *g, const char *fmt, va_list ap)
{
    char buf[512];
    va_list again;
    va_copy(again, ap);
    if (!quick_fmt(buf, sizeof buf, fmt, ap))
        vsnprintf(buf, sizeof buf, fmt, again);
    va_end(again);
    size_t n = strlen(buf);
    char *s = lic__arena_alloc_raw(g->arena, n + 1);
    if (s)
        memcpy(s, buf, n + 1);
    else
        g->oom = LIC_ENOMEM;
    return s ? s : (char *)"";
}

char *eng_fmt(eng *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vfmt(g, fmt, ap);
    va_end(ap);
    return s;
}

/* As vfmt's 512-byte buffer would cut it: at most 511 bytes in all.  The
 * parts are measured and copied straight into the arena. */
const char *eng_cat(eng *g, const char *a, const char *b)
{
    a = a ? a : "(null)", b = b ? b : "(null)"; /* as printf */
    size_t na = strlen(a), nb = strlen(b);
    if (na > 511)
        na = 511;
    if (nb > 511 - na)
        nb = 511 - na;
    char *s = lic__arena_alloc_raw(g->arena, na + nb + 1);
    if (!s) {
        g->oom = LIC_ENOMEM;
        return "";
    }
    memcpy(s, a, na);
    memcpy(s + na, b, nb);
    s[na + nb] = '\0';
    return s;
}

const char *eng_date_str(eng *g, lic_date d)
{
    char buf[LIC_DATE_STRLEN];
    lic_date_str(d, buf);
    return eng_cat(g, buf, "");
}

lic_date eng_add(const eng *g, lic_date d, const lic_duration *dur)
{
    if (d == LIC_DATE_NONE)
        return d;
    /* Adding no years and no months gives d back: skip the round trip
     * through the civil calendar for the common days-only duration. */
    if (dur && !dur->years && !dur->months && !dur->business_days)
        return lic_date_add_days(d, dur->days);
    return lic_date_add_duration(d, dur, g->a->calendar);
}

void eng_reject(eng *g, const lic_event *e, const char *fmt, ...)
{
    if (!g->final_pass)
        return;
    for (size_t i = 0; i < g->s->nrejected; i++)
        if (g->s->rejected[i].event == e)
            return; /* one reason per event: the first */
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    lic_st_rejected *r = ENG_PUSH(g, g->s->rejected, g->s->nrejected, g->cap_rej);
    if (r)
        *r = (lic_st_rejected){e, eng_fmt(g, "%s", buf)};
}

const char *eng_indet(eng *g, const char *what, lic_pos pos)
{
    const lic_missing *m = lic_agreement_missing_at(g->a, pos);
    const char *term = m ? m->path : "?";
    const char *st = m && m->st == LIC_V_REDACTED ? "redacted" : "unknown";
    for (size_t i = 0; i < g->s->nindeterminate; i++)
        if (!strcmp(g->s->indeterminate[i].what, what))
            return term;
    lic_st_indet *x = ENG_PUSH(g, g->s->indeterminate, g->s->nindeterminate, g->cap_ind);
    if (x)
        *x = (lic_st_indet){eng_fmt(g, "%s", what), term, st};
    return term;
}

void eng_not_computed(eng *g, const char *what, const char *term)
{
    for (size_t i = 0; i < g->s->nindeterminate; i++)
        if (!strcmp(g->s->indeterminate[i].what, what))
            return;
    lic_st_indet *x = ENG_PUSH(g, g->s->indeterminate, g->s->nindeterminate, g->cap_ind);
    if (x)
        *x = (lic_st_indet){what, term, "not_computed"};
}

lic_date eng_anchor(const eng *g, const lic_dexpr *x)
{
    switch (x->anchor) {
    case LIC_ANCHOR_DATE: return x->date;
    case LIC_ANCHOR_EFFECTIVE: return g->a->effective.v;
    case LIC_ANCHOR_MILESTONE: return x->ref_index >= 0 && g->ms ? g->ms[x->ref_index].achieved : LIC_DATE_NONE;
    case LIC_ANCHOR_FCS: return g->fcs;
    case LIC_ANCHOR_FCS_IN: return x->country >= 0 && x->country < 256 ? g->fcs_in[x->country] : LIC_DATE_NONE;
    }
    return LIC_DATE_NONE;
}

lic_date eng_dexpr(eng *g, const lic_dexpr *x, const char *what, const char **indet)
{
    if (x->st == LIC_V_REDACTED || x->st == LIC_V_UNKNOWN) {
        const char *t = eng_indet(g, what, x->pos);
        if (indet)
            *indet = t;
        return LIC_DATE_NONE;
    }
    return eng_add(g, eng_anchor(g, x), &x->dur);
}

lic_date eng_dexprf(eng *g, const lic_dexpr *x, const char **indet, const char *fmt, ...)
{
    if (x->st != LIC_V_REDACTED && x->st != LIC_V_UNKNOWN)
        return eng_dexpr(g, x, NULL, indet);
    va_list ap;
    va_start(ap, fmt);
    const char *what = vfmt(g, fmt, ap);
    va_end(ap);
    return eng_dexpr(g, x, what, indet);
}

static bool listed(const eng *g, lic_date d)
{
    return d != LIC_DATE_NONE && d >= g->as_of;
}

void eng_deadline(eng *g, lic_date d, const char *kind, const char *ref, const char *what)
{
    if (!listed(g, d))
        return;
    lic_st_deadline *x = ENG_PUSH(g, g->s->deadlines, g->s->ndeadlines, g->cap_dl);
    if (x)
        *x = (lic_st_deadline){d, what, ref, kind};
}

void eng_deadlinef(eng *g, lic_date d, const char *kind, const char *ref, const char *fmt, ...)
{
    if (!listed(g, d))
        return;
    va_list ap;
    va_start(ap, fmt);
    const char *what = vfmt(g, fmt, ap);
    va_end(ap);
    eng_deadline(g, d, kind, ref, what);
}

/* True when `ref` names `id` itself or `prefix` + id ("M2" or "breach:M2"). */
bool eng_refers(const char *ref, const char *id, const char *prefix)
{
    if (!ref || !id)
        return false;
    if (!strcmp(ref, id))
        return true;
    size_t pl = strlen(prefix);
    return !strncmp(ref, prefix, pl) && !strcmp(ref + pl, id);
}

static int by_ref(const void *x, const void *y)
{
    const struct eng_waiver *a = x, *b = y;
    int c = strcmp(a->ref, b->ref);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* Waivers by what they name, keeping the first (by date) of each: every
 * obligation and invoice of every pass asks whether it was waived. */
static bool index_waivers(eng *g)
{
    size_t n = g->nbt[LIC_EV_WAIVER], m = 0;
    struct eng_waiver *v = lic__arena_alloc(g->arena, (n ? n : 1) * sizeof *v);
    if (!v) {
        g->oom = LIC_ENOMEM;
        return false;
    }
    for (size_t k = 0; k < n; k++)
        if (g->bt[LIC_EV_WAIVER][k]->ref)
            v[m++] = (struct eng_waiver){g->bt[LIC_EV_WAIVER][k]->ref, g->bt[LIC_EV_WAIVER][k]->date, k};
    qsort(v, m, sizeof *v, by_ref);
    g->nwaivers = 0;
    for (size_t i = 0; i < m; i++)
        if (!g->nwaivers || strcmp(v[i].ref, v[g->nwaivers - 1].ref))
            v[g->nwaivers++] = v[i];
    g->waivers = v;
    g->waivers_indexed = true;
    return true;
}

lic_date eng_waived(eng *g, const char *id)
{
    if (!g->waivers_indexed && !index_waivers(g))
        return LIC_DATE_NONE;
    size_t lo = 0, hi = g->nwaivers;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(g->waivers[mid].ref, id);
        if (!c)
            return g->waivers[mid].date;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return LIC_DATE_NONE;
}
