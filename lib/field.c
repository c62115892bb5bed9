/*
 * field.c - field-of-use trees and sets of fields.
 *
 * An agreement's `fields:` is a tree of slash paths ("therapeutics",
 * "therapeutics/oncology").  FORMAT 1: a field includes every field below
 * it.  To keep set differences exact, each node stands for "this field
 * other than its named children": naming a field adds its node and all
 * its descendants, and taking therapeutics/oncology out of therapeutics
 * leaves therapeutics/rare-disease plus the node therapeutics itself,
 * written "therapeutics (other)".
 *
 * NOTES ON THE DESIGN
 * - Nodes are numbered in insertion order.  Adding a path creates its
 *   missing ancestors first, so a parent's number is always smaller than
 *   its children's.  Children keep insertion order, which is the order in
 *   which paths are listed.
 * - Every node keeps the set of its whole subtree (itself and all
 *   descendants), updated as nodes are added.  Naming a field is then one
 *   union, and "is this whole subtree in the set?" one containment test.
 *   512 nodes x 64 bytes is 32 KiB at most.
 * - Node paths are full paths, owned by the tree.
 * - lic_fieldtree_add either adds every missing node of a path or none:
 *   it checks the syntax and the node limit, reserves room and copies the
 *   paths before linking anything in.
 */
#include "licet/field.h"

#include <string.h>

#include "bitset.h"

#include "alloc.h"

struct node {
    char *path;       /* full path, owned */
    size_t len;       /* strlen(path) */
    int parent;       /* -1 at a root */
    int first_child;  /* -1 if none */
    int last_child;   /* so children append in O(1), in insertion order */
    int next_sibling; /* -1 if last */
    lic_fset subtree; /* this node and all its descendants */
};

struct lic_fieldtree {
    struct node *v;
    int n, cap;
    int first_root, last_root;
};

/* ---- sets ------------------------------------------------------------ */

static bool node_in_range(int node)
{
    return node >= 0 && node < LIC_FIELD_MAX;
}

static void fset_put(lic_fset *s, int node)
{
    s->w[node / 64] |= UINT64_C(1) << (node % 64);
}

void lic_fset_clear(lic_fset *s) { memset(s, 0, sizeof *s); }

bool lic_fset_has(const lic_fset *s, int node)
{
    return node_in_range(node) && (s->w[node / 64] >> (node % 64) & 1);
}

bool lic_fset_is_empty(const lic_fset *s)
{
    for (int i = 0; i < LIC_FSET_WORDS; i++)
        if (s->w[i])
            return false;
    return true;
}

size_t lic_fset_count(const lic_fset *s)
{
    return lic__bits_count(s->w, LIC_FSET_WORDS);
}

int lic_fset_next(const lic_fset *s, int from)
{
    return lic__bits_next(s->w, LIC_FSET_WORDS, from);
}

lic_fset lic_fset_union(lic_fset a, lic_fset b)
{
    lic__bits_or(a.w, b.w, LIC_FSET_WORDS);
    return a;
}

lic_fset lic_fset_intersect(lic_fset a, lic_fset b)
{
    lic__bits_and(a.w, b.w, LIC_FSET_WORDS);
    return a;
}

lic_fset lic_fset_diff(lic_fset a, lic_fset b)
{
    lic__bits_andnot(a.w, b.w, LIC_FSET_WORDS);
    return a;
}

bool lic_fset_overlaps(const lic_fset *a, const lic_fset *b)
{
    return lic__bits_overlap(a->w, b->w, LIC_FSET_WORDS);
}

bool lic_fset_contains(const lic_fset *outer, const lic_fset *inner)
{
    return lic__bits_contains(outer->w, inner->w, LIC_FSET_WORDS);
}

bool lic_fset_equal(const lic_fset *a, const lic_fset *b)
{
    return memcmp(a->w, b->w, sizeof a->w) == 0;
}

/* ---- the tree -------------------------------------------------------- */

lic_fieldtree *lic_fieldtree_new(void)
{
    lic_fieldtree *t = lic__calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->first_root = t->last_root = -1;
    return t;
}

void lic_fieldtree_free(lic_fieldtree *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->n; i++)
        lic__free(t->v[i].path);
    lic__free(t->v);
    lic__free(t);
}

static bool is_alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9');
}

/* FORMAT 1 ids: [A-Za-z0-9][A-Za-z0-9._-]*, non-empty. */
static bool segment_ok(const char *s, size_t len)
{
    if (len == 0 || !is_alnum(s[0]))
        return false;
    for (size_t i = 1; i < len; i++)
        if (!is_alnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
            return false;
    return true;
}

/* Checks every segment; on success gives the number of segments.  An
 * empty path, or a leading, trailing or doubled slash, makes an empty
 * segment and so fails. */
static bool path_ok(const char *path, size_t len, int *nsegs)
{
    int count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && path[i] != '/')
            continue;
        if (!segment_ok(path + start, i - start))
            return false;
        count++;
        start = i + 1;
    }
    *nsegs = count;
    return true;
}

int lic_fieldtree_find(const lic_fieldtree *t, const char *path, size_t len)
{
    if (!t || !path)
        return -1;
    for (int i = 0; i < t->n; i++)
        if (t->v[i].len == len && memcmp(t->v[i].path, path, len) == 0)
            return i;
    return -1;
}

/* The length of the first `k` segments of a valid path. */
static size_t prefix_len(const char *path, size_t len, int k)
{
    size_t i = 0;
    for (int seen = 0; i < len; i++)
        if (path[i] == '/' && ++seen == k)
            break;
    return i;
}

static lic_err reserve(lic_fieldtree *t, int need)
{
    if (need <= t->cap)
        return LIC_OK;
    int cap = t->cap ? t->cap : 16;
    while (cap < need)
        cap *= 2;
    if (cap > LIC_FIELD_MAX)
        cap = LIC_FIELD_MAX;
    struct node *v = lic__realloc(t->v, (size_t)cap * sizeof *v);
    if (!v)
        return LIC_ENOMEM;
    t->v = v;
    t->cap = cap;
    return LIC_OK;
}

/* Links node `i` (path already set) under `parent` and records it in the
 * subtree set of every ancestor. */
static void link_node(lic_fieldtree *t, int i, int parent)
{
    struct node *nd = &t->v[i];
    nd->parent = parent;
    nd->first_child = nd->last_child = nd->next_sibling = -1;
    lic_fset_clear(&nd->subtree);
    fset_put(&nd->subtree, i);
    int *last = parent < 0 ? &t->last_root : &t->v[parent].last_child;
    int *first = parent < 0 ? &t->first_root : &t->v[parent].first_child;
    if (*last < 0)
        *first = i;
    else
        t->v[*last].next_sibling = i;
    *last = i;
    for (int a = parent; a >= 0; a = t->v[a].parent)
        fset_put(&t->v[a].subtree, i);
}

lic_err lic_fieldtree_add(lic_fieldtree *t, const char *path, size_t len,
                          int *node)
{
    if (!t || !path)
        return LIC_EINVAL;
    int nsegs;
    if (!path_ok(path, len, &nsegs))
        return LIC_EPARSE;
    /* The deepest ancestor (or the path itself) that already exists. */
    int have = nsegs, parent = -1;
    for (; have > 0; have--) {
        parent = lic_fieldtree_find(t, path, prefix_len(path, len, have));
        if (parent >= 0)
            break;
    }
    if (have == nsegs) {
        if (node)
            *node = parent;
        return LIC_OK;
    }
    int fresh = nsegs - have;
    if (fresh > LIC_FIELD_MAX - t->n)
        return LIC_ETOOBIG;
    lic_err rc = reserve(t, t->n + fresh);
    if (rc)
        return rc;
    /* Copy every new path before linking any, so failure leaves no mess. */
    for (int k = 0; k < fresh; k++) {
        size_t plen = prefix_len(path, len, have + 1 + k);
        t->v[t->n + k].path = lic__strndup(path, plen);
        t->v[t->n + k].len = plen;
        if (!t->v[t->n + k].path) {
            while (k-- > 0)
                lic__free(t->v[t->n + k].path);
            return LIC_ENOMEM;
        }
    }
    for (int k = 0; k < fresh; k++) {
        link_node(t, t->n, parent);
        parent = t->n++;
    }
    if (node)
        *node = parent;
    return LIC_OK;
}

static bool valid_node(const lic_fieldtree *t, int node)
{
    return t && node >= 0 && node < t->n;
}

size_t lic_fieldtree_count(const lic_fieldtree *t)
{
    return t ? (size_t)t->n : 0;
}

const char *lic_fieldtree_path(const lic_fieldtree *t, int node)
{
    return valid_node(t, node) ? t->v[node].path : NULL;
}

int lic_fieldtree_parent(const lic_fieldtree *t, int node)
{
    return valid_node(t, node) ? t->v[node].parent : -1;
}

int lic_fieldtree_first_child(const lic_fieldtree *t, int node)
{
    if (!t)
        return -1;
    if (node < 0)
        return t->first_root;
    return valid_node(t, node) ? t->v[node].first_child : -1;
}

int lic_fieldtree_next_sibling(const lic_fieldtree *t, int node)
{
    return valid_node(t, node) ? t->v[node].next_sibling : -1;
}

lic_fset lic_fieldtree_all(const lic_fieldtree *t)
{
    lic_fset s;
    lic_fset_clear(&s);
    for (int i = 0; t && i < t->n; i++)
        fset_put(&s, i);
    return s;
}

void lic_fset_add(const lic_fieldtree *t, lic_fset *s, int node)
{
    if (valid_node(t, node))
        *s = lic_fset_union(*s, t->v[node].subtree);
}

/* ---- formatting ------------------------------------------------------ */

/* An snprintf-like writer: counts past the end of the buffer so callers
 * learn the length they need. */
struct out {
    char *buf;
    size_t n;
    size_t len;
};

static void out_put(struct out *o, const char *s)
{
    size_t k = strlen(s);
    if (o->len < o->n) {
        size_t room = o->n - 1 - o->len;
        size_t copy = k < room ? k : room;
        memcpy(o->buf + o->len, s, copy);
        o->buf[o->len + copy] = '\0';
    }
    o->len += k;
}

static void out_item(struct out *o, const char *path, bool residual)
{
    if (o->len)
        out_put(o, ", ");
    out_put(o, path);
    if (residual)
        out_put(o, " (other)");
}

/* Names the part of `s` among `first` and its siblings and their
 * subtrees, in tree order.  Recursion depth is the tree's depth, at most
 * LIC_FIELD_MAX. */
static void format_siblings(const lic_fieldtree *t, const lic_fset *s,
                            int first, struct out *o)
{
    for (int i = first; i >= 0; i = t->v[i].next_sibling) {
        const struct node *nd = &t->v[i];
        if (lic_fset_contains(s, &nd->subtree)) {
            out_item(o, nd->path, false);
            continue;
        }
        if (lic_fset_has(s, i))
            out_item(o, nd->path, true);
        if (lic_fset_overlaps(s, &nd->subtree))
            format_siblings(t, s, nd->first_child, o);
    }
}

size_t lic_fset_format(const lic_fieldtree *t, const lic_fset *s, char *buf,
                       size_t n)
{
    struct out o = {.buf = buf, .n = n, .len = 0};
    if (n)
        buf[0] = '\0';
    if (t)
        format_siblings(t, s, t->first_root, &o);
    return o.len;
}
