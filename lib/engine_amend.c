/*
 * engine_amend.c - amendments (FORMAT 3, `amendment`): the terms in force
 * on the as-of date.
 *
 * Every amendment whose `effective` date is on or before the as-of date
 * (and that was recorded by known-at) applies, in order of effective date
 * then file order; a later one wins on the same path.  An amendment
 * replaces the term for the whole evaluation, which is what makes
 * retroactive amendments work: a deadline moved by an amendment effective
 * before the old deadline passed never produced a breach.
 *
 * How: the agreement keeps its YAML tree.  Each `set` path
 * (`milestones.M2.due`, `grants.G1.territories`, `term.ends`) is walked
 * through the tree (a list item is found by its `id`, or by its index),
 * the nodes along the path are copied with the new value in place, and the
 * whole agreement is loaded again from the new tree, so an amended
 * agreement is checked exactly like a written one.  An amendment that
 * makes it invalid is rejected with the loader's message.  Copies live in
 * the state's arena; unchanged subtrees are shared.
 */
#include "engine_int.h"
#include "load_int.h"

#include <stdlib.h>
#include <string.h>

static lic_ynode *copy_node(eng *g, const lic_ynode *n)
{
    lic_ynode *c = lic__arena_alloc(g->arena, sizeof *c);
    if (!c) {
        g->oom = LIC_ENOMEM;
        return NULL;
    }
    *c = *n;
    size_t sz = n->type == LIC_Y_MAP ? sizeof(lic_ypair) : sizeof(lic_ynode *);
    void *items = lic__arena_alloc(g->arena, (n->n + 1) * sz);
    if (!items) {
        g->oom = LIC_ENOMEM;
        return NULL;
    }
    if (n->type == LIC_Y_MAP) {
        if (n->n)
            memcpy(items, n->pairs, n->n * sz);
        c->pairs = items;
    } else if (n->type == LIC_Y_SEQ) {
        if (n->n)
            memcpy(items, n->items, n->n * sz);
        c->items = items;
    }
    return c;
}

static bool seg_is(const lic_ynode *n, const char *seg, size_t len)
{
    return n && n->type == LIC_Y_SCALAR && n->len == len && !memcmp(n->text, seg, len);
}

/* The index of the list item whose id (or position) is seg, or -1. */
static long seq_find(const lic_ynode *seq, const char *seg, size_t len)
{
    for (size_t i = 0; i < seq->n; i++)
        if (seq->items[i]->type == LIC_Y_MAP && seg_is(lic__ymap_get(seq->items[i], "id"), seg, len))
            return (long)i;
    char *end;
    long i = strtol(seg, &end, 10);
    return end == seg + len && len > 0 && i >= 0 && (size_t)i < seq->n ? i : -1;
}

/* A copy of n with the value at path replaced; NULL with *why on error. */
static lic_ynode *patch(eng *g, const lic_ynode *n, const char *path, const lic_ynode *value,
                        const char **why)
{
    const char *dot = strchr(path, '.');
    size_t len = dot ? (size_t)(dot - path) : strlen(path);
    if (!n || n->type == LIC_Y_SCALAR) {
        *why = "goes into a plain value";
        return NULL;
    }
    lic_ynode *c = copy_node(g, n);
    if (!c)
        return NULL;
    if (n->type == LIC_Y_SEQ) {
        long i = seq_find(n, path, len);
        if (i < 0) {
            *why = "names a list item that does not exist (use its id)";
            return NULL;
        }
        c->items[i] = dot ? patch(g, n->items[i], dot + 1, value, why) : (lic_ynode *)value;
        return c->items[i] ? c : NULL;
    }
    for (size_t i = 0; i < n->n; i++)
        if (seg_is(n->pairs[i].key, path, len)) {
            c->pairs[i].value = dot ? patch(g, n->pairs[i].value, dot + 1, value, why) : (lic_ynode *)value;
            return c->pairs[i].value ? c : NULL;
        }
    if (dot) {
        *why = "names a key that the agreement does not have";
        return NULL;
    }
    lic_ynode *key = lic__arena_alloc(g->arena, sizeof *key);
    char *text = lic__arena_strndup(g->arena, path, len);
    if (!key || !text) {
        g->oom = LIC_ENOMEM;
        return NULL;
    }
    *key = (lic_ynode){.type = LIC_Y_SCALAR, .line = value->line, .col = value->col, .plain = true,
                       .text = text, .len = len};
    c->pairs[c->n++] = (lic_ypair){key, (lic_ynode *)value};
    return c;
}

/* Applies one amendment on top of *cur; false (rejected) leaves it. */
static bool amend_one(eng *g, const lic_event *e, const lic_agreement **cur, lic_agreement **owned)
{
    const lic_ynode *root = (*cur)->tree;
    for (size_t i = 0; i < e->nset && root; i++) {
        const char *why = NULL;
        root = patch(g, root, e->set[i].path, e->set[i].value, &why);
        if (!root && !g->oom) {
            eng_reject(g, e, "amendment path \"%s\" %s", e->set[i].path, why);
            return false;
        }
    }
    if (!root)
        return false;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *next = NULL;
    lic_err rc = lic__agreement_load_tree(*cur, root, &d, &next);
    if (rc == LIC_ENOMEM)
        g->oom = rc;
    else if (rc) {
        const lic_diag *first = NULL;
        for (size_t i = 0; i < d.n && !first; i++)
            if (d.v[i].sev == LIC_SEV_ERROR)
                first = &d.v[i];
        eng_reject(g, e, "the amended agreement is not valid: %s%s%s", first && *first->path ? first->path : "",
                   first && *first->path ? ": " : "", first ? first->msg : "?");
    }
    lic_diags_fini(&d);
    if (rc)
        return false;
    lic_agreement_free(*owned);
    *owned = next;
    *cur = next;
    return true;
}

static int by_effective(const void *x, const void *y)
{
    const lic_event *a = *(const lic_event *const *)x, *b = *(const lic_event *const *)y;
    if (a->effective != b->effective)
        return a->effective < b->effective ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

lic_err eng_amend(eng *g)
{
    if (!g->namends)
        return LIC_OK;
    qsort(g->amends, g->namends, sizeof *g->amends, by_effective);
    const lic_agreement *cur = g->a;
    for (size_t i = 0; i < g->namends && !g->oom; i++)
        (void)amend_one(g, g->amends[i], &cur, &g->amended);
    g->a = cur;
    return g->oom;
}
