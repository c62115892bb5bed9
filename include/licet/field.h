/*
 * field.h - field-of-use trees and sets of fields.
 *
 * An agreement's `fields:` define a tree of slash paths
 * ("therapeutics/oncology").  A field includes every field below it
 * (FORMAT 1).  Each node stands for "this field, other than its named
 * children", so a set of fields is a set of nodes, and naming a node adds
 * its whole subtree.  Differences stay exact: therapeutics minus
 * therapeutics/oncology is rare-disease plus "therapeutics (other)".
 * A tree holds at most LIC_FIELD_MAX nodes so that sets are fixed-size
 * values.
 */
#ifndef LICET_FIELD_H
#define LICET_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "licet/error.h"

#define LIC_FIELD_MAX 512
#define LIC_FSET_WORDS (LIC_FIELD_MAX / 64)

typedef struct lic_fset {
    uint64_t w[LIC_FSET_WORDS];
} lic_fset;

typedef struct lic_fieldtree lic_fieldtree;

lic_fieldtree *lic_fieldtree_new(void); /* NULL when out of memory */
void lic_fieldtree_free(lic_fieldtree *t);

/* Adds a path of `len` bytes ("a/b/c"), creating missing ancestors, and
 * gives its node number (node may be NULL).  Adding an existing path
 * returns its node.  On failure nothing is added.
 * Segments must match [A-Za-z0-9][A-Za-z0-9._-]* (LIC_EPARSE otherwise);
 * LIC_ETOOBIG past LIC_FIELD_MAX nodes. */
lic_err lic_fieldtree_add(lic_fieldtree *t, const char *path, size_t len,
                          int *node) LIC_MUST_CHECK;
/* The node of an exact path, or -1. */
int lic_fieldtree_find(const lic_fieldtree *t, const char *path, size_t len);
size_t lic_fieldtree_count(const lic_fieldtree *t);
const char *lic_fieldtree_path(const lic_fieldtree *t, int node);
int lic_fieldtree_parent(const lic_fieldtree *t, int node); /* -1 at a root */
/* All nodes of the tree. */
lic_fset lic_fieldtree_all(const lic_fieldtree *t);
/* Walking the tree in order (children in insertion order): the first
 * child of node, or with node -1 the first root; -1 if none. */
int lic_fieldtree_first_child(const lic_fieldtree *t, int node);
/* The next child of the same parent (or next root), or -1. */
int lic_fieldtree_next_sibling(const lic_fieldtree *t, int node);

void lic_fset_clear(lic_fset *s);
/* Adds node and its whole subtree. */
void lic_fset_add(const lic_fieldtree *t, lic_fset *s, int node);
bool lic_fset_has(const lic_fset *s, int node);
bool lic_fset_is_empty(const lic_fset *s);
size_t lic_fset_count(const lic_fset *s); /* the number of nodes */
/* The first node >= from, or -1:
 * for (i = next(s,0); i >= 0; i = next(s,i+1)). */
int lic_fset_next(const lic_fset *s, int from);
lic_fset lic_fset_union(lic_fset a, lic_fset b);
lic_fset lic_fset_intersect(lic_fset a, lic_fset b);
lic_fset lic_fset_diff(lic_fset a, lic_fset b);
bool lic_fset_overlaps(const lic_fset *a, const lic_fset *b);
bool lic_fset_contains(const lic_fset *outer, const lic_fset *inner);
bool lic_fset_equal(const lic_fset *a, const lic_fset *b);

/* Names the set in the fewest paths: a node whose whole subtree is in the
 * set is named alone; a node present without all its subtree is written
 * "PATH (other)".  Paths in tree order, ", "-separated.  Returns the
 * length needed (as snprintf). */
size_t lic_fset_format(const lic_fieldtree *t, const lic_fset *s, char *buf,
                       size_t n);

#endif
