/*
 * sales_load.c - whole sales reports (sales.h: lic_sales_load and the
 * streaming import), read line by line through the reader of
 * sales_csv.c: the lines kept in an arena with the file's SHA-256, or
 * handed one by one to an importer with progress ticks.
 */
#include "sales_int.h"

#include <stdatomic.h>
#include <string.h>

#include "sha256.h"

/* Copies the line's product into the arena; consecutive lines of one
 * product share the copy. */
static bool keep_product(lic_arena *arena, lic_sale_line *l, const char **last)
{
    if (!l->product)
        return true;
    if (!*last || strcmp(*last, l->product)) {
        *last = lic__arena_strdup(arena, l->product);
        if (!*last)
            return false;
    }
    l->product = *last;
    return true;
}

/* Grows the heap array v (of *cap lines) to hold one more. */
static bool grow(lic_sale_line **v, size_t n, size_t *cap)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 1024;
    lic_sale_line *nv = lic__realloc(*v, ncap * sizeof *nv);
    if (!nv)
        return false;
    *v = nv;
    *cap = ncap;
    return true;
}

/* What a whole-report load keeps while the tokenizer reads: the file's
 * hash, the bytes read (counted on the reading thread, read for progress
 * on the caller's) and the progress hook (NULL: none). */
typedef struct load_hook {
    lic__sha256 h;
    _Atomic uint64_t bytes;
    const lic__sales_tick *tick;
} load_hook;

/* Hands every line of r to take (false: out of memory); 0 or the error.
 * hook may be NULL. */
static lic_err read_lines(lic_sales_reader *r, load_hook *hook, lic__sales_take take, void *ctx, size_t *n)
{
    lic_sale_line l;
    int got;
    bool ticks = hook && hook->tick && hook->tick->fn;
    while ((got = lic_sales_reader_next(r, &l)) > 0) {
        if (*n == LIC_SALES_MAX_LINES) {
            return lic__sales_too_many(r, l.pos.line);
        }
        if (!take(ctx, &l))
            return LIC_ENOMEM;
        (*n)++;
        if (ticks && *n % LIC__SALES_TICK_LINES == 0)
            hook->tick->fn(hook->tick->ctx, *n, atomic_load_explicit(&hook->bytes, memory_order_relaxed));
    }
    if (got == -(int)LIC_EPARSE)
        return LIC_EINVALID; /* malformed CSV is invalid content, like a bad line */
    return (lic_err)-got;
}

/* Lines kept in a heap array, their products in the arena. */
typedef struct keep_ctx {
    lic_arena *arena;
    lic_sale_line *v;
    size_t n, cap;
    const char *last;   /* the last product copied */
} keep_ctx;

static bool keep_line(void *ctx, const lic_sale_line *line)
{
    keep_ctx *k = ctx;
    lic_sale_line l = *line;
    if (!grow(&k->v, k->n, &k->cap) || !keep_product(k->arena, &l, &k->last))
        return false;
    k->v[k->n++] = l;
    return true;
}

/* lic__sales_read_all with a hook (NULL: none). */
static lic_err read_all(lic_sales_reader *r, lic_arena *arena, load_hook *hook, lic_sale_line **lines,
                        size_t *n)
{
    keep_ctx k = {.arena = arena};
    size_t count = 0;
    *lines = NULL;
    *n = 0;
    lic_err rc = read_lines(r, hook, keep_line, &k, &count);
    lic_sale_line *v = k.v;
    /* The heap array joins the arena as it is: a large report's lines
     * are not copied again. */
    if (!rc && count && lic__arena_adopt(arena, v)) {
        *lines = v;
        *n = count;
        return LIC_OK;
    }
    lic__free(v);
    return rc ? rc : count ? LIC_ENOMEM : LIC_OK;
}

lic_err lic__sales_read_all(lic_sales_reader *r, lic_arena *arena, lic_sale_line **lines,
                            size_t *n)
{
    return read_all(r, arena, NULL, lines, n);
}

static void hash_bytes(void *arg, const unsigned char *bytes, size_t n)
{
    load_hook *hook = arg;
    lic__sha256_update(&hook->h, bytes, n);
    atomic_fetch_add_explicit(&hook->bytes, n, memory_order_relaxed);
}

void lic_sales_free(lic_sales *s)
{
    if (!s)
        return;
    lic_arena *arena = s->priv;
    lic__arena_fini(arena);
    lic__free(arena);
}

/* Reads the report on f into s (whose arena is set up). */
static lic_err load_into(lic_sales *s, const lic_agreement *a, FILE *f, lic_diags *diags)
{
    lic__csv *csv;
    lic_sales_reader *r;
    load_hook hook = {0};
    lic_err rc = lic__csv_open(f, &csv);
    if (rc)
        return rc;
    lic__sha256_init(&hook.h);
    lic__csv_on_read(csv, hash_bytes, &hook);
    rc = lic__sales_reader_open_csv(a, csv, s->file, diags, &r);
    if (rc) {
        lic__sha256_discard(&hook.h);
        return rc == LIC_EPARSE ? LIC_EINVALID : rc;
    }
    rc = read_all(r, s->priv, &hook, &s->v, &s->n);
    lic_sales_reader_free(r);
    lic__sha256_final(&hook.h, s->sha256);
    return rc;
}

lic_err lic_sales_load_file(const lic_agreement *a, FILE *f, const char *name, lic_diags *diags,
                            lic_sales **out)
{
    lic_err rc;
    *out = NULL;
    lic_arena *arena = lic__malloc(sizeof *arena);
    lic_sales *s = NULL;
    if (arena) {
        lic__arena_init(arena);
        s = lic__arena_alloc(arena, sizeof *s);
    }
    if (s && (s->file = lic__arena_strdup(arena, name)) != NULL) {
        s->priv = arena;
        rc = load_into(s, a, f, diags);
    } else
        rc = LIC_ENOMEM;
    if (rc) {
        if (arena)
            lic__arena_fini(arena);
        lic__free(arena);
        return rc;
    }
    *out = s;
    return LIC_OK;
}

static void count_bytes(void *arg, const unsigned char *bytes, size_t n)
{
    (void)bytes;
    atomic_fetch_add_explicit(&((load_hook *)arg)->bytes, n, memory_order_relaxed);
}

lic_err lic__sales_stream_file(const lic_agreement *a, FILE *f, const char *name, lic_diags *diags,
                               const lic__sales_tick *tick, lic__sales_take take, void *ctx, size_t *n)
{
    lic__csv *csv;
    lic_sales_reader *r;
    load_hook hook = {.tick = tick};
    *n = 0;
    lic_err rc = lic__csv_open(f, &csv);
    if (rc)
        return rc;
    lic__csv_on_read(csv, count_bytes, &hook);
    rc = lic__sales_reader_open_csv(a, csv, name, diags, &r);
    if (rc)
        return rc == LIC_EPARSE ? LIC_EINVALID : rc;
    /* Without a thread (none could be started) the same lines come on
     * this one. */
    if (lic_sales_reader_read_ahead(r) == LIC_ENOMEM)
        rc = LIC_ENOMEM;
    if (!rc)
        rc = read_lines(r, &hook, take, ctx, n);
    lic_sales_reader_free(r);
    return rc;
}

lic_err lic_sales_load(const lic_agreement *a, const char *path, lic_diags *diags,
                       lic_sales **out)
{
    lic_err rc = LIC_OK;
    *out = NULL;
    FILE *f = lic__sales_open_or_report(path, diags, &rc);
    if (!f)
        return rc;
    rc = lic_sales_load_file(a, f, path, diags, out);
    fclose(f);
    return rc;
}
