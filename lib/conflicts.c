/*
 * conflicts.c - exclusive overlaps between agreements on a date, after
 * everything their events did (step-downs, reversions, options): the
 * grants in force in each evaluated state are compared pairwise.  Field
 * trees belong to each agreement, so fields are compared by path, as the
 * portfolio lint of `licet check` does.
 */
#include "licet/engine.h"

#include <stdlib.h>
#include <string.h>

static bool exclusive(lic_exclusivity e)
{
    return e == LIC_EXCL_EXCLUSIVE || e == LIC_EXCL_SOLE;
}

static bool same_licensor(const lic_state *x, const lic_state *y)
{
    const char *a = x->agreement->licensor.id, *b = y->agreement->licensor.id;
    return a && b && !strcmp(a, b);
}

static bool path_within(const char *inner, const char *outer)
{
    size_t n = strlen(outer);
    return !strncmp(inner, outer, n) && (inner[n] == '\0' || inner[n] == '/');
}

/* The fields of g (in x's tree) that overlap a field of h (in y's tree):
 * the trees are the agreements' own, so fields are matched by path. */
static lic_fset field_overlap(const lic_state *x, const lic_st_grant *g, const lic_state *y,
                              const lic_st_grant *h)
{
    const lic_fieldtree *tx = x->agreement->fields, *ty = y->agreement->fields;
    lic_fset out;
    lic_fset_clear(&out);
    size_t nx = lic_fieldtree_count(tx), ny = lic_fieldtree_count(ty);
    for (size_t i = 0; i < nx; i++) {
        if (!lic_fset_has(&g->fields, (int)i))
            continue;
        const char *pi = lic_fieldtree_path(tx, (int)i);
        for (size_t j = 0; j < ny; j++) {
            const char *pj = lic_fieldtree_path(ty, (int)j);
            if (lic_fset_has(&h->fields, (int)j) && (path_within(pi, pj) || path_within(pj, pi))) {
                lic_fset_add(tx, &out, (int)i);
                break;
            }
        }
    }
    if (nx == 0 || ny == 0) /* an agreement without fields covers every field */
        out = nx ? g->fields : h->fields;
    return out;
}

static lic_err push(lic_conflict **v, size_t *n, size_t *cap, const lic_conflict *c)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        lic_conflict *p = realloc(*v, ncap * sizeof *p);
        if (!p)
            return LIC_ENOMEM;
        *v = p;
        *cap = ncap;
    }
    (*v)[(*n)++] = *c;
    return LIC_OK;
}

lic_err lic_conflicts_find(const lic_state *const *states, size_t n, lic_conflict **out, size_t *nout)
{
    lic_conflict *v = NULL;
    size_t cnt = 0, cap = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const lic_state *x = states[i], *y = states[j];
            if (!x || !y || !same_licensor(x, y))
                continue;
            for (size_t p = 0; p < x->ngrants; p++)
                for (size_t q = 0; q < y->ngrants; q++) {
                    const lic_st_grant *g = &x->grants[p], *h = &y->grants[q];
                    if (!exclusive(g->exclusivity) && !exclusive(h->exclusivity))
                        continue;
                    lic_conflict c = {i, j, g, h, field_overlap(x, g, y, h),
                                      lic_tset_intersect(g->territories, h->territories)};
                    if ((lic_fieldtree_count(x->agreement->fields) && lic_fset_is_empty(&c.fields)) ||
                        lic_tset_is_empty(&c.territories))
                        continue;
                    if (push(&v, &cnt, &cap, &c)) {
                        free(v);
                        return LIC_ENOMEM;
                    }
                }
        }
    *out = v;
    *nout = cnt;
    return LIC_OK;
}
