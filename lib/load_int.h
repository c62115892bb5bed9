/*
 * load_int.h - the agreement loader's shared context and value readers
 * (internal to lib/).
 *
 * The loader walks the positioned YAML tree (yaml.h) section by section.
 * Each reader takes the node, checks its shape, stores the value in the
 * agreement's arena and reports problems as "FILE:LINE:COL: PATH: what was
 * wrong and what was expected".  Readers never stop at the first error:
 * they record it and return false, so one run shows every problem.
 * The key path is kept in a fixed buffer with push/pop (ld_push_*).
 */
#ifndef LIC_LOAD_INT_H
#define LIC_LOAD_INT_H

#include "licet/agreement.h"
#include "alloc.h"
#include "yaml.h"

typedef struct ld_ref {
    lic_dexpr *e;          /* expression to resolve against milestone ids */
    const char *path;      /* its key path, for messages */
    int self;              /* index of the milestone it belongs to, or -1 */
    lic_pos pos;           /* the anchor itself */
} ld_ref;

typedef struct ld_ctx {
    lic_agreement *a;
    lic_arena *arena;
    lic_diags *diags;
    const char *file;
    char path[512];
    size_t plen;
    lic_err oom;           /* set when memory ran out */
    ld_ref *refs;          /* deferred milestone references */
    size_t nrefs, refs_cap;
    int digits;            /* the agreement currency's minor digits */
    /* Events loader only (events.c): the directory that report files are
     * relative to ("" for the current one, NULL for events that were not
     * read from a file), and a callback that sees their bytes. */
    const char *dir;
    void (*on_file_bytes)(void *arg, const unsigned char *bytes, size_t n);
    void *on_file_arg;
} ld_ctx;

/* Path stack. push returns the old length to pass to pop. */
size_t ld_push_key(ld_ctx *c, const char *key);
size_t ld_push_index(ld_ctx *c, size_t i);
void ld_pop(ld_ctx *c, size_t old);

/* Reports an error (or warning) at node n, under the current path. */
void ld_error(ld_ctx *c, const lic_ynode *n, const char *fmt, ...) LIC_PRINTF(3, 4);
void ld_warn(ld_ctx *c, const lic_ynode *n, const char *code, const char *fmt, ...) LIC_PRINTF(4, 5);
lic_pos ld_pos(const lic_ynode *n);
const char *ld_kind(const lic_ynode *n); /* "a mapping", "a sequence", "a scalar" */

/* Shape checks: report "expected a mapping, got ..." and return false. */
bool ld_is_map(ld_ctx *c, const lic_ynode *n);
bool ld_is_seq(ld_ctx *c, const lic_ynode *n);
bool ld_is_scalar(ld_ctx *c, const lic_ynode *n);

/* The name in the NULL-terminated `names` closest to `name` (at most
 * two edits away), or NULL: the "did you mean" of messages. */
const char *ld_suggest(const char *name, const char *const *names);

/* Reports every key of `map` not in the NULL-terminated `keys`, with a
 * "did you mean" hint. */
void ld_check_keys(ld_ctx *c, const lic_ynode *map, const char *const *keys);
/* The value of a required key; reports it missing at the map. */
lic_ynode *ld_require(ld_ctx *c, const lic_ynode *map, const char *key);

/* Scalars.  Each returns false after reporting. */
bool ld_string(ld_ctx *c, const lic_ynode *n, const char **out);
bool ld_id(ld_ctx *c, const lic_ynode *n, const char **out);
bool ld_bool(ld_ctx *c, const lic_ynode *n, bool *out);
bool ld_int(ld_ctx *c, const lic_ynode *n, long min, long max, long *out);
/* One of the NULL-terminated names; *out is its index. */
bool ld_enum(ld_ctx *c, const lic_ynode *n, const char *const *names, int *out);
bool ld_date(ld_ctx *c, const lic_ynode *n, lic_date *out);
bool ld_period_kind(ld_ctx *c, const lic_ynode *n, lic_period_kind *out);
bool ld_month_day(ld_ctx *c, const lic_ynode *n, int *month, int *day);

/* Values that may be `redacted` or `unknown` (recorded in missing[]). */
bool ld_amount_v(ld_ctx *c, const lic_ynode *n, int digits, lic_amount_v *out);
bool ld_rate_v(ld_ctx *c, const lic_ynode *n, lic_rate_v *out);
bool ld_date_v(ld_ctx *c, const lic_ynode *n, lic_date_v *out);
bool ld_duration_v(ld_ctx *c, const lic_ynode *n, lic_duration_v *out);
/* Reads the duration keys (days, business_days, months, years) of `map`,
 * which may hold other keys too; *any tells whether one was present. */
bool ld_duration_fields(ld_ctx *c, const lic_ynode *map, lic_duration *d, bool *any);
/* A date expression; bare anchors are allowed when `bare` is true
 * (e.g. `from: first_commercial_sale`). */
bool ld_dexpr(ld_ctx *c, const lic_ynode *n, bool bare, int self, lic_dexpr *out);

/* Lists. */
bool ld_strlist(ld_ctx *c, const lic_ynode *n, bool ids, lic_strlist *out);
bool ld_territories(ld_ctx *c, const lic_ynode *n, lic_tset *set, lic_strlist *names);
bool ld_fields(ld_ctx *c, const lic_ynode *n, lic_fset *set, lic_strlist *names);
/* Reads optional `fields:` and `territories:` of a map into a scope. */
void ld_scope(ld_ctx *c, const lic_ynode *map, lic_scope *s);
bool ld_remedy(ld_ctx *c, const lic_ynode *n, lic_remedy *r);
bool ld_exclusivity(ld_ctx *c, const lic_ynode *n, lic_exclusivity *out);
bool ld_party_role(ld_ctx *c, const lic_ynode *n, lic_party_role *out);

/* Arena helpers. */
void *ld_alloc(ld_ctx *c, size_t n);
char *ld_strdup(ld_ctx *c, const char *s);
/* Allocates an array for a sequence node's items (count *n). */
void *ld_array(ld_ctx *c, const lic_ynode *seq, size_t elem, size_t *n);

/* Reports `id` if an earlier entry of the list at `list` had it. */
void ld_dup(ld_ctx *c, const lic_ynode *n, const char *id, const char *prev,
            lic_pos prev_pos);

/* Reads an optional key with a reader; the reader sees the value as v_. */
#define LD_OPT(c, map, key, call)                      \
    do {                                               \
        lic_ynode *v_ = lic__ymap_get((map), (key));   \
        if (v_) {                                      \
            size_t o_ = ld_push_key((c), (key));       \
            (void)(call);                              \
            ld_pop((c), o_);                           \
        }                                              \
    } while (0)

/* Reads a required key (reported missing at the map) as v_. */
#define LD_REQ(c, map, key, call)                                  \
    do {                                                        \
        lic_ynode *v_ = ld_require((c), (map), (key));          \
        if (v_) {                                               \
            size_t o_ = ld_push_key((c), (key));                \
            (void)(call);                                       \
            ld_pop((c), o_);                                    \
        }                                                       \
    } while (0)

/* Sections (agreement_*.c). */
void ld_payments(ld_ctx *c, const lic_ynode *n);
void lic__load_milestones(ld_ctx *c, const lic_ynode *root);
/* Resolves milestone references and checks deadlines for cycles. */
void lic__load_resolve(ld_ctx *c);
void ld_rules(ld_ctx *c, const lic_ynode *root);

/* Loads an agreement from a YAML tree (an amended copy of orig's tree);
 * strings may point into the tree, which must outlive the result. */
lic_err lic__agreement_load_tree(const lic_agreement *orig, const lic_ynode *root,
                                 lic_diags *diags, lic_agreement **out) LIC_MUST_CHECK;

#endif
