/*
 * state.c - the engine's state: the documented order of its lists (the
 * FORMAT 5 JSON object is written by state_json.c).
 *
 * Orders: grants by id, from, exclusivity, first country, first field;
 * milestones as in the agreement; obligations and invoices by due date
 * then id; breaches and rights by since then id; deadlines by date then
 * what; windows by from, kind, id; flags by period, kind, detail;
 * rejected events in file order;
 * indeterminate items by what.
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static int cmp_grant(const void *x, const void *y)
{
    const lic_st_grant *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    if (!c)
        c = CMP(a->from, b->from);
    if (!c)
        c = CMP(a->exclusivity, b->exclusivity);
    if (!c)
        c = CMP(lic_tset_next(&a->territories, 0), lic_tset_next(&b->territories, 0));
    for (int i = 0; !c && i < LIC_FSET_WORDS; i++)
        c = CMP(a->fields.w[i], b->fields.w[i]);
    return c;
}

static int cmp_obl(const void *x, const void *y)
{
    const lic_st_obligation *a = x, *b = y;
    int c = CMP(a->due, b->due);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_breach(const void *x, const void *y)
{
    const lic_st_breach *a = x, *b = y;
    int c = CMP(a->since, b->since);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_right(const void *x, const void *y)
{
    const lic_st_right *a = x, *b = y;
    int c = CMP(a->since, b->since);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_inv(const void *x, const void *y)
{
    const lic_st_invoice *a = x, *b = y;
    int c = CMP(a->due, b->due);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_dl(const void *x, const void *y)
{
    const lic_st_deadline *a = x, *b = y;
    int c = CMP(a->date, b->date);
    return c ? c : strcmp(a->what, b->what);
}

static int cmp_win(const void *x, const void *y)
{
    const lic_st_window *a = x, *b = y;
    int c = CMP(a->from, b->from);
    if (!c)
        c = strcmp(a->kind, b->kind);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_flag(const void *x, const void *y)
{
    const lic_st_flag *a = x, *b = y;
    int c = strcmp(a->period ? a->period : "", b->period ? b->period : "");
    if (!c)
        c = strcmp(a->kind, b->kind);
    return c ? c : strcmp(a->detail, b->detail);
}

static int cmp_rej(const void *x, const void *y)
{
    const lic_st_rejected *a = x, *b = y;
    return CMP(a->event->seq, b->event->seq);
}

static int cmp_ind(const void *x, const void *y)
{
    const lic_st_indet *a = x, *b = y;
    return strcmp(a->what, b->what);
}

static int cmp_adj(const void *x, const void *y)
{
    const lic_st_adjustment *a = x, *b = y;
    int c = CMP(a->since, b->since);
    return c ? c : strcmp(a->source, b->source);
}

/* eng_sort: lists are built as a few runs in order (it merges them). */
#define SORT(s, list, fn) \
    if ((s)->n##list > 1) eng_sort((s)->list, (s)->n##list, sizeof *(s)->list, fn)

lic_err lic__state_sort(lic_state *s)
{
    SORT(s, grants, cmp_grant);
    SORT(s, obligations, cmp_obl);
    SORT(s, breaches, cmp_breach);
    SORT(s, rights, cmp_right);
    SORT(s, invoices, cmp_inv);
    SORT(s, deadlines, cmp_dl);
    SORT(s, windows, cmp_win);
    SORT(s, flags, cmp_flag);
    SORT(s, rejected, cmp_rej);
    SORT(s, indeterminate, cmp_ind);
    SORT(s, adjustments, cmp_adj);
    return LIC_OK;
}

/* A rejected event's place, "FILE:LINE" (FORMAT 5's `at`). */
size_t lic_event_where(const lic_events *ev, const lic_event *e, char *buf, size_t n)
{
    int w = snprintf(buf, n, "%s:%d", ev ? ev->file : "-", e->pos.line);
    return w < 0 ? 0 : (size_t)w;
}
