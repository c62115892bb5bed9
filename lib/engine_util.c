/*
 * engine_util.c - small helpers every engine file uses: arena lists and
 * strings, date arithmetic with the agreement's calendar, rejections,
 * indeterminate terms, date expressions over what has happened.
 */
#include "engine_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool eng_grow(eng *g, void **list, size_t *cap, size_t elem, size_t count)
{
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = lic__arena_alloc(g->arena, ncap * elem);
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

char *eng_fmt(eng *g, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *s = lic__arena_strdup(g->arena, buf);
    if (!s)
        g->oom = LIC_ENOMEM;
    return s ? s : (char *)"";
}

const char *eng_date_str(eng *g, lic_date d)
{
    char buf[LIC_DATE_STRLEN];
    lic_date_str(d, buf);
    return eng_fmt(g, "%s", buf);
}

lic_date eng_add(const eng *g, lic_date d, const lic_duration *dur)
{
    if (d == LIC_DATE_NONE)
        return d;
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
    const char *term = "?", *st = "unknown";
    for (size_t i = 0; i < g->a->nmissing; i++)
        if (g->a->missing[i].pos.line == pos.line && g->a->missing[i].pos.col == pos.col) {
            term = g->a->missing[i].path;
            st = g->a->missing[i].st == LIC_V_REDACTED ? "redacted" : "unknown";
            break;
        }
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

void eng_deadline(eng *g, lic_date d, const char *kind, const char *ref, const char *what)
{
    if (d == LIC_DATE_NONE || d < g->as_of)
        return;
    lic_st_deadline *x = ENG_PUSH(g, g->s->deadlines, g->s->ndeadlines, g->cap_dl);
    if (x)
        *x = (lic_st_deadline){d, what, ref, kind};
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
