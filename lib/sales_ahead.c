/*
 * sales_ahead.c - a sales reader that reads ahead on a second thread
 * (lic_sales_reader_read_ahead in sales.h).
 *
 * NOTES ON THE DESIGN
 * - The thread calls the reader exactly as a caller would (the same
 *   lic__sales_reader_next_direct, so the same lines, codes and
 *   messages) and puts what each call gave into batches of AHEAD_LINES
 *   entries; a ring of NBATCH batches bounds the memory, whatever the
 *   size of the file.  The caller takes entries in order.
 * - What a call leaves in the tokenizer's buffer (a line's product, the
 *   x_ cells) is copied into the batch's text, so it stays valid while
 *   the caller works on the entry.
 * - Diagnostics go first into the batch's own list, one range per entry,
 *   and move to the caller's list when the caller takes that entry: the
 *   caller may look at its list after any call without racing the
 *   thread, and sees each message when it sees the line.
 * - A batch belongs to the thread from the moment it is free until it is
 *   published (filled, or ending with the end or a fatal error), then to
 *   the caller until it is released; the mutex guards only the counts.
 */
#include "sales_int.h"

#include <pthread.h>
#include <string.h>

#define AHEAD_LINES 2048 /* entries per batch */
#define NBATCH 4

/* What one call of the reader gave. */
typedef struct entry {
    int got;             /* lic_sales_reader_next's return */
    lic_sale_line line;  /* product is an offset into text (see fix_texts) */
    size_t ndiags;       /* the batch's diagnostics up to this entry's last */
} entry;

#define NO_TEXT SIZE_MAX

/* Kept a cache line apart (pad): the thread fills one batch while the
 * caller reads another, and neither should stall on the other's lines. */
typedef struct batch {
    entry *e;
    size_t n;
    size_t *x;           /* n * nx offsets into text, NO_TEXT for NULL */
    size_t *product;     /* n offsets into text, NO_TEXT for NULL */
    lic__buf text;
    lic_diags diags;
    bool last;           /* the thread stops after this batch */
    char pad[64];
} batch;

struct lic__sales_ahead {
    lic_sales_reader *r;
    lic_diags *user;     /* the caller's diagnostics */
    size_t nx;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t filled, taken; /* batches published, batches released */
    bool stop;              /* the caller is done: the thread quits */
    batch b[NBATCH];
    /* the caller's side, a cache line apart */
    char apart[64];
    batch *cur;
    size_t at, moved;    /* the next entry of cur; its diagnostics moved */
    int end;             /* the final return, once the last batch is used */
    bool ended;
    char pad[64];
};

/* Copies s (NULL: none) into b's text; its offset. */
static size_t keep_text(batch *b, const char *s)
{
    if (!s)
        return NO_TEXT;
    size_t at = b->text.n;
    lic__buf_put(&b->text, s, strlen(s) + 1);
    return at;
}

static int fill(lic__sales_ahead *A, batch *b)
{
    b->n = 0;
    b->text.n = 0;
    lic_diags_fini(&b->diags);
    lic_diags_init(&b->diags);
    *lic__sales_reader_diags(A->r) = &b->diags;
    int got = 1;
    while (b->n < AHEAD_LINES) {
        entry *e = &b->e[b->n];
        got = lic__sales_reader_next_direct(A->r, &e->line);
        e->got = got;
        b->product[b->n] = got == 1 ? keep_text(b, e->line.product) : NO_TEXT;
        bool row = got == 1 || got == -(int)LIC_EINVALID; /* a row was read: its cells are there */
        for (size_t j = 0; j < A->nx; j++)
            b->x[b->n * A->nx + j] = row ? keep_text(b, lic__sales_reader_xcol_at(A->r, j)) : NO_TEXT;
        e->ndiags = b->diags.n;
        b->n++;
        if (b->text.oom) {
            e->got = -(int)LIC_ENOMEM;
            got = e->got;
        }
        if (got == 0 || (got < 0 && got != -(int)LIC_EINVALID))
            break; /* the end, or a fatal error: every later call says it again */
    }
    b->last = got == 0 || (got < 0 && got != -(int)LIC_EINVALID);
    return got;
}

static void *run(void *arg)
{
    lic__sales_ahead *A = arg;
    for (uint64_t k = 0;; k++) {
        pthread_mutex_lock(&A->mu);
        while (!A->stop && k - A->taken >= NBATCH)
            pthread_cond_wait(&A->cv, &A->mu);
        bool stop = A->stop;
        pthread_mutex_unlock(&A->mu);
        if (stop)
            break;
        batch *b = &A->b[k % NBATCH];
        fill(A, b);
        pthread_mutex_lock(&A->mu);
        A->filled = k + 1;
        pthread_cond_broadcast(&A->cv);
        pthread_mutex_unlock(&A->mu);
        if (b->last)
            break;
    }
    return NULL;
}

static bool batch_init(batch *b, size_t nx)
{
    *b = (batch){0};
    lic_diags_init(&b->diags);
    b->e = lic__malloc(AHEAD_LINES * sizeof *b->e);
    b->product = lic__malloc(AHEAD_LINES * sizeof *b->product);
    b->x = nx ? lic__malloc(AHEAD_LINES * nx * sizeof *b->x) : NULL;
    return b->e && b->product && (!nx || b->x);
}

static void batch_fini(batch *b)
{
    lic__free(b->e);
    lic__free(b->product);
    lic__free(b->x);
    lic__free(b->text.v);
    lic_diags_fini(&b->diags);
}

void lic__sales_ahead_free(lic__sales_ahead *A)
{
    if (!A)
        return;
    pthread_mutex_lock(&A->mu);
    A->stop = true;
    pthread_cond_broadcast(&A->cv);
    pthread_mutex_unlock(&A->mu);
    pthread_join(A->thread, NULL);
    *lic__sales_reader_diags(A->r) = A->user;
    for (int i = 0; i < NBATCH; i++)
        batch_fini(&A->b[i]);
    pthread_cond_destroy(&A->cv);
    pthread_mutex_destroy(&A->mu);
    lic__free(A);
}

lic_err lic__sales_ahead_new(lic_sales_reader *r, lic__sales_ahead **out)
{
    *out = NULL;
    lic__sales_ahead *A = lic__calloc(1, sizeof *A);
    if (!A)
        return LIC_ENOMEM;
    A->r = r;
    A->user = *lic__sales_reader_diags(r);
    lic_sales_reader_xcols(r, &A->nx);
    bool ok = true;
    for (int i = 0; i < NBATCH; i++)
        ok = batch_init(&A->b[i], A->nx) && ok;
    if (!ok || pthread_mutex_init(&A->mu, NULL)) {
        for (int i = 0; i < NBATCH; i++)
            batch_fini(&A->b[i]);
        lic__free(A);
        return LIC_ENOMEM;
    }
    pthread_cond_init(&A->cv, NULL);
    if (pthread_create(&A->thread, NULL, run, A)) {
        for (int i = 0; i < NBATCH; i++)
            batch_fini(&A->b[i]);
        pthread_cond_destroy(&A->cv);
        pthread_mutex_destroy(&A->mu);
        lic__free(A);
        return LIC_EIO;
    }
    *out = A;
    return LIC_OK;
}

/* Moves the diagnostics of the caller's batch up to `upto` into the
 * caller's list. */
static int move_diags(lic__sales_ahead *A, size_t upto)
{
    for (; A->moved < upto; A->moved++) {
        const lic_diag *d = &A->cur->diags.v[A->moved];
        if (lic_diags_add(A->user, d->sev, d->file, d->line, d->col, d->code, d->path, "%s", d->msg))
            return -(int)LIC_ENOMEM;
    }
    return 0;
}

/* Hands the caller's batch back and waits for the next one. */
static void next_batch(lic__sales_ahead *A)
{
    pthread_mutex_lock(&A->mu);
    if (A->cur)
        A->taken++;
    pthread_cond_broadcast(&A->cv);
    while (A->filled <= A->taken)
        pthread_cond_wait(&A->cv, &A->mu);
    pthread_mutex_unlock(&A->mu);
    A->cur = &A->b[A->taken % NBATCH];
    A->at = A->moved = 0;
}

int lic__sales_ahead_next(lic__sales_ahead *A, lic_sale_line *line)
{
    if (A->ended)
        return A->end;
    if (!A->cur || A->at == A->cur->n)
        next_batch(A);
    batch *b = A->cur;
    size_t i = A->at++;
    const entry *e = &b->e[i];
    int moved = move_diags(A, e->ndiags);
    if (moved)
        return moved;
    if (e->got == 1) {
        *line = e->line;
        line->product = b->product[i] == NO_TEXT ? NULL : b->text.v + b->product[i];
    }
    if (b->last && A->at == b->n) {
        A->ended = true;
        A->end = e->got;
    }
    return e->got;
}

const char *lic__sales_ahead_xcol(const lic__sales_ahead *A, size_t j)
{
    if (!A->cur || !A->at || j >= A->nx)
        return NULL;
    size_t off = A->cur->x[(A->at - 1) * A->nx + j];
    return off == NO_TEXT ? NULL : A->cur->text.v + off;
}
