/*
 * yaml.h - a positioned YAML tree (internal).
 *
 * libfyaml's document API in Debian 12 (0.7.12) does not expose node
 * positions, and licet's errors must name line and column for every key
 * and value.  So we drive libfyaml's event parser and build our own small
 * tree in an arena: every node carries its 1-based line and column.
 * Anchors and aliases are resolved by sharing nodes; duplicate mapping keys
 * are errors; the expanded size (aliases counted each time they are used)
 * is capped so that "billion laughs" inputs are rejected, not walked.
 */
#ifndef LIC_YAML_H
#define LIC_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "alloc.h"
#include "licet/error.h"

typedef enum { LIC_Y_SCALAR, LIC_Y_MAP, LIC_Y_SEQ } lic_ytype;

typedef struct lic_ynode lic_ynode;
typedef struct lic_ypair {
    lic_ynode *key; /* always a scalar */
    lic_ynode *value;
} lic_ypair;

struct lic_ynode {
    lic_ytype type;
    int line, col;  /* 1-based */
    bool plain;     /* scalar written without quotes */
    const char *text; /* scalar text, NUL-terminated (may contain NULs) */
    size_t len;     /* scalar length */
    lic_ypair *pairs; /* LIC_Y_MAP */
    lic_ynode **items; /* LIC_Y_SEQ */
    size_t n;       /* pairs or items */
    size_t weight;  /* nodes in this subtree, aliases expanded */
};

#define LIC_YAML_MAX_BYTES (16u << 20)   /* input file size */
#define LIC_YAML_MAX_WEIGHT 2000000u     /* nodes after alias expansion */
#define LIC_YAML_MAX_DEPTH 64
#define LIC_YAML_MAX_KEYS 4096         /* keys in one mapping */

/* Parses one YAML (or JSON) document from `text` (len bytes).  On success
 * *root is the root node (NULL for an empty document), allocated in
 * `arena`.  On a syntax error adds one diagnostic naming `file` and
 * returns LIC_EPARSE.  `line_offset` is added to reported lines (for
 * documents embedded in a larger file, e.g. JSON Lines). */
lic_err lic__yaml_parse(lic_arena *arena, const char *file, const char *text,
                        size_t len, int line_offset, lic_diags *diags,
                        lic_ynode **root) LIC_MUST_CHECK;

/* The same for one line of JSON Lines (without its LF): a line that is
 * a plain JSON object is read by a fast reader of its own (with no size
 * or node cap: JSON has no aliases), giving the tree libfyaml would give;
 * any other line goes to lic__yaml_parse, so its messages are libfyaml's. */
lic_err lic__yaml_parse_jsonl(lic_arena *arena, const char *file, const char *text,
                              size_t len, int line_offset, lic_diags *diags,
                              lic_ynode **root) LIC_MUST_CHECK;

/* The value of key `name` in a mapping, or NULL. */
lic_ynode *lic__ymap_get(const lic_ynode *map, const char *name);

/* True if the scalar's text equals s. */
bool lic__yscalar_is(const lic_ynode *n, const char *s);

/* Reads a whole file into a new NUL-terminated buffer (lic__free it).
 * LIC_EIO with errno kept, LIC_ETOOBIG past `max` bytes. */
lic_err lic__read_file(const char *path, size_t max, char **buf,
                       size_t *len) LIC_MUST_CHECK;

/* lic__read_file for an input file (at most LIC_YAML_MAX_BYTES), with
 * the reason it cannot be read added to diags as an "io" error. */
lic_err lic__read_input(const char *path, lic_diags *diags, char **buf,
                        size_t *len) LIC_MUST_CHECK;

#endif
