/*
 * alloc.c - allocation wrapper with failure injection, and arenas.
 */
#include "alloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local long fail_after = -1;

static int should_fail(void)
{
    if (fail_after < 0)
        return 0;
    if (fail_after == 0)
        return 1;
    fail_after--;
    return 0;
}

void lic__alloc_fail_after(long n) { fail_after = n; }

void *lic__malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *lic__calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *lic__realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void lic__free(void *p) { free(p); }

char *lic__strndup(const char *s, size_t n)
{
    char *r = lic__malloc(n + 1);
    if (!r)
        return NULL;
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

char *lic__strdup(const char *s) { return lic__strndup(s, strlen(s)); }

char *lic__asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return NULL;
    char *r = lic__malloc((size_t)len + 1);
    if (!r)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(r, (size_t)len + 1, fmt, ap);
    va_end(ap);
    return r;
}

/* Arena blocks grow geometrically; a request larger than a block is given a
 * block of its own. */
struct lic_arena_block {
    lic_arena_block *next;
    size_t size;
    _Alignas(16) unsigned char data[];
};

#define ARENA_MIN_BLOCK 8192

/* A block of `size` bytes. */
static lic_arena_block *block_new(size_t size)
{
    lic_arena_block *b = lic__malloc(sizeof *b + size);
    if (b)
        b->size = size;
    return b;
}

struct lic_arena_owned {
    lic_arena_owned *next;
    void *p;
};

void lic__arena_init(lic_arena *a)
{
    a->head = NULL;
    a->owned = NULL;
    a->used_total = 0;
    a->free_at = NULL;
    a->avail = 0;
}

void lic__arena_fini(lic_arena *a)
{
    lic_arena_block *b = a->head;
    while (b) {
        lic_arena_block *next = b->next;
        lic__free(b);
        b = next;
    }
    lic_arena_owned *o = a->owned;
    while (o) {
        lic_arena_owned *next = o->next;
        lic__free(o->p);
        lic__free(o);
        o = next;
    }
    a->head = NULL;
    a->owned = NULL;
    a->used_total = 0;
    a->free_at = NULL;
    a->avail = 0;
}

bool lic__arena_adopt(lic_arena *a, void *p)
{
    lic_arena_owned *o = lic__malloc(sizeof *o);
    if (!o)
        return false;
    o->p = p;
    o->next = a->owned;
    a->owned = o;
    return true;
}

bool lic__arena_reserve(lic_arena *a, size_t n)
{
    if (a->head)
        return true;
    lic_arena_block *b = block_new(n);
    if (!b)
        return false;
    b->next = NULL;
    a->head = b;
    a->free_at = b->data;
    a->avail = n;
    return true;
}

void *lic__arena_alloc_new_block(lic_arena *a, size_t n)
{
    lic_arena_block *b = a->head;
    size_t size = b ? b->size * 2 : ARENA_MIN_BLOCK;
    if (size > (1u << 20))
        size = 1u << 20;
    if (size < n)
        size = n;
    b = block_new(size);
    if (!b)
        return NULL;
    b->next = a->head;
    a->head = b;
    a->free_at = b->data + n;
    a->avail = size - n;
    a->used_total += n;
    return b->data;
}

char *lic__arena_strndup(lic_arena *a, const char *s, size_t n)
{
    char *r = lic__arena_alloc_raw(a, n + 1);
    if (!r)
        return NULL;
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

char *lic__arena_strdup(lic_arena *a, const char *s)
{
    return lic__arena_strndup(a, s, strlen(s));
}

void lic__buf_put(lic__buf *b, const void *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 4096) + n;
        char *v = lic__realloc(b->v, cap);
        if (!v) {
            b->oom = true;
            return;
        }
        b->v = v, b->cap = cap;
    }
    memcpy(b->v + b->n, s, n);
    b->n += n;
    b->v[b->n] = '\0';
}
