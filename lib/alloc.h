/*
 * alloc.h - the one allocation wrapper of the library (internal).
 *
 * Every allocation in lib/ goes through lic__malloc and friends so that
 * tests can make the N-th allocation fail (lic__alloc_fail_after) and
 * check that out-of-memory paths return LIC_ENOMEM and leak nothing.
 * The failure countdown is per thread, so parallel tests do not meet.
 */
#ifndef LIC_ALLOC_H
#define LIC_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void *lic__malloc(size_t n);
void *lic__calloc(size_t count, size_t size);
void *lic__realloc(void *p, size_t n);
void lic__free(void *p);
char *lic__strdup(const char *s);
char *lic__strndup(const char *s, size_t n);
/* printf into a new string; NULL when out of memory. */
char *lic__asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer: v is NUL-terminated after every put (once
 * anything was put); a failed growth sets oom, and later puts do
 * nothing, so a writer checks once at the end.  Free v with lic__free. */
typedef struct lic__buf {
    char *v;
    size_t n, cap;
    bool oom;
} lic__buf;
void lic__buf_put(lic__buf *b, const void *s, size_t n);

/* After `n` more successful allocations, every allocation fails until
 * reset with n < 0.  Test-only. */
void lic__alloc_fail_after(long n);

/* An arena: many small allocations freed at once. */
typedef struct lic_arena_block lic_arena_block;
typedef struct lic_arena_owned lic_arena_owned;
typedef struct lic_arena {
    lic_arena_block *head;
    lic_arena_owned *owned; /* heap blocks adopted by lic__arena_adopt */
    size_t used_total;
    unsigned char *free_at;  /* the head block's unused bytes: from here, */
    size_t avail;            /* this many (0 in a zeroed arena: no block yet) */
} lic_arena;

void lic__arena_init(lic_arena *a);
void lic__arena_fini(lic_arena *a);
/* Gives an arena that has no block yet a first block of n bytes (for a
 * caller that knows roughly how much it will take); false when out of
 * memory.  An arena that has a block is left as it is. */
bool lic__arena_reserve(lic_arena *a, size_t n);
/* lic__arena_alloc_raw when the head block has no room for n (rounded)
 * bytes: starts a new block. */
void *lic__arena_alloc_new_block(lic_arena *a, size_t n);

/* 16-byte aligned memory that lives until lic__arena_fini, not zeroed.
 * Inline: the engine makes hundreds of small allocations per evaluation,
 * and the call cost as much as the allocation. */
static inline void *lic__arena_alloc_raw(lic_arena *a, size_t n)
{
    if (n > SIZE_MAX / 2) /* never there; and rounding up must not wrap */
        return NULL;
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    if (a->avail < n)
        return lic__arena_alloc_new_block(a, n);
    void *p = a->free_at;
    a->free_at += n;
    a->avail -= n;
    a->used_total += n;
    return p;
}

/* The same, zeroed. */
static inline void *lic__arena_alloc(lic_arena *a, size_t n)
{
    void *p = lic__arena_alloc_raw(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}
char *lic__arena_strndup(lic_arena *a, const char *s, size_t n);
char *lic__arena_strdup(lic_arena *a, const char *s);
/* Makes the heap block p (from lic__malloc or lic__realloc) the arena's,
 * to be freed by lic__arena_fini: a large array grown on the heap joins
 * the arena without a copy.  False when out of memory (p is then still
 * the caller's). */
bool lic__arena_adopt(lic_arena *a, void *p);

#endif
