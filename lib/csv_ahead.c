/*
 * csv_ahead.c - the tokenizer reading ahead on a second thread
 * (lic__csv_read_ahead in csv.h).
 *
 * NOTES ON THE DESIGN
 * - The thread calls the tokenizer exactly as a caller would
 *   (lic__csv_next_direct: the same rows, errors and positions) and puts
 *   each row into a batch: its field records and a copy of its values, so
 *   that they stay valid while the caller works on the row.  A ring of
 *   NBATCH batches bounds the memory whatever the size of the input.
 * - The split is at the tokenizer because that balances the two threads
 *   of a large report: finding fields (and reading the file) on one,
 *   reading each line's values and what the caller does with them on the
 *   other.
 * - A batch belongs to the thread from the moment it is free until it is
 *   published, then to the caller until it is released; the mutex guards
 *   only the counts.  The end of the input and an error end the last
 *   batch; the tokenizer's error text is written before that batch is
 *   published, so the caller reads it safely afterwards.
 */
#include "csv.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"

#define AHEAD_ROWS 1024 /* rows per batch */
#define NBATCH 4

/* One call of the tokenizer: a row, or the end (n == 0), or an error. */
typedef struct row {
    size_t first, n;     /* its fields: f[first .. first + n) */
    int next_line;       /* lic__csv_line after it */
    lic_err rc;
} row;

/* Kept a cache line apart (pad): the thread fills one batch while the
 * caller reads another. */
typedef struct batch {
    row *rows;
    size_t nrows;
    lic__csv_field *f;
    size_t *off;         /* each field's value: an offset into text until published */
    size_t nf, capf;
    lic__buf text;
    bool last;           /* the thread stops after this batch */
    char pad[64];
} batch;

struct lic__csv_ahead {
    lic__csv *r;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t filled, taken; /* batches published, batches released */
    bool stop;
    batch b[NBATCH];
    char apart[64];
    /* the caller's side */
    batch *cur;
    size_t at;           /* the next row of cur */
    const row *end;      /* the row that ended the input, once reached */
    int line;            /* lic__csv_line */
    char pad[64];
};

static bool grow_fields(batch *b, size_t more)
{
    if (b->nf + more <= b->capf)
        return true;
    size_t cap = (b->capf ? b->capf * 2 : 8 * AHEAD_ROWS) + more;
    lic__csv_field *f = lic__realloc(b->f, cap * sizeof *f);
    if (f)
        b->f = f;
    size_t *off = f ? lic__realloc(b->off, cap * sizeof *off) : NULL;
    if (off)
        b->off = off;
    if (!f || !off)
        return false;
    b->capf = cap;
    return true;
}

/* Copies the row's fields into b; false when out of memory. */
static bool keep_row(batch *b, row *w, const lic__csv_field *fields, size_t n)
{
    if (!grow_fields(b, n))
        return false;
    w->first = b->nf;
    w->n = n;
    for (size_t i = 0; i < n; i++) {
        b->f[b->nf] = fields[i];
        b->off[b->nf++] = b->text.n;
        lic__buf_put(&b->text, fields[i].s, fields[i].len + 1); /* with its NUL */
    }
    return !b->text.oom;
}

/* Values as pointers, now that the text stops moving; csv.h's 8 bytes
 * readable at every value hold at the end of the text too. */
static bool publishable(batch *b)
{
    lic__buf_put(&b->text, "\0\0\0\0\0\0\0\0", 8);
    if (b->text.oom)
        return false;
    for (size_t i = 0; i < b->nf; i++)
        b->f[i].s = b->text.v + b->off[i];
    return true;
}

static void fill(lic__csv_ahead *A, batch *b)
{
    b->nrows = b->nf = b->text.n = 0;
    b->last = false;
    while (b->nrows < AHEAD_ROWS && !b->last) {
        row *w = &b->rows[b->nrows++];
        const lic__csv_field *fields;
        size_t n = 0;
        *w = (row){.rc = lic__csv_next_direct(A->r, &fields, &n)};
        if (!w->rc && n && !keep_row(b, w, fields, n))
            w->rc = LIC_ENOMEM;
        w->next_line = lic__csv_line_direct(A->r);
        b->last = w->rc || n == 0;
    }
    if (!publishable(b)) { /* the last row says so; nothing after it */
        b->rows[b->nrows - 1] = (row){.rc = LIC_ENOMEM, .next_line = b->rows[b->nrows - 1].next_line};
        b->last = true;
    }
}

static void *run(void *arg)
{
    lic__csv_ahead *A = arg;
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

static void batches_fini(lic__csv_ahead *A)
{
    for (int i = 0; i < NBATCH; i++) {
        lic__free(A->b[i].rows);
        lic__free(A->b[i].f);
        lic__free(A->b[i].off);
        lic__free(A->b[i].text.v);
    }
}

lic_err lic__csv_ahead_new(lic__csv *r, lic__csv_ahead **out)
{
    *out = NULL;
    lic__csv_ahead *A = lic__calloc(1, sizeof *A);
    if (!A)
        return LIC_ENOMEM;
    A->r = r;
    A->line = lic__csv_line_direct(r);
    bool ok = true;
    for (int i = 0; i < NBATCH; i++)
        ok = (A->b[i].rows = lic__malloc(AHEAD_ROWS * sizeof *A->b[i].rows)) != NULL && ok;
    if (!ok || pthread_mutex_init(&A->mu, NULL)) {
        batches_fini(A);
        lic__free(A);
        return LIC_ENOMEM;
    }
    if (pthread_cond_init(&A->cv, NULL) || pthread_create(&A->thread, NULL, run, A)) {
        batches_fini(A);
        pthread_mutex_destroy(&A->mu);
        lic__free(A);
        return LIC_EIO;
    }
    *out = A;
    return LIC_OK;
}

void lic__csv_ahead_free(lic__csv_ahead *A)
{
    if (!A)
        return;
    pthread_mutex_lock(&A->mu);
    A->stop = true;
    pthread_cond_broadcast(&A->cv);
    pthread_mutex_unlock(&A->mu);
    pthread_join(A->thread, NULL);
    batches_fini(A);
    pthread_cond_destroy(&A->cv);
    pthread_mutex_destroy(&A->mu);
    lic__free(A);
}

/* Hands the caller's batch back and waits for the next one. */
static void next_batch(lic__csv_ahead *A)
{
    pthread_mutex_lock(&A->mu);
    if (A->cur)
        A->taken++;
    pthread_cond_broadcast(&A->cv);
    while (A->filled <= A->taken)
        pthread_cond_wait(&A->cv, &A->mu);
    pthread_mutex_unlock(&A->mu);
    A->cur = &A->b[A->taken % NBATCH];
    A->at = 0;
}

lic_err lic__csv_ahead_next(lic__csv_ahead *A, const lic__csv_field **fields, size_t *n)
{
    *fields = NULL;
    *n = 0;
    if (!A->end) {
        if (!A->cur || A->at == A->cur->nrows)
            next_batch(A);
        const row *w = &A->cur->rows[A->at++];
        A->line = w->next_line;
        if (w->rc || w->n == 0)
            A->end = w; /* the last batch is never released: the end stays readable */
        else {
            *fields = A->cur->f + w->first;
            *n = w->n;
            return LIC_OK;
        }
    }
    return A->end->rc;
}

int lic__csv_ahead_line(const lic__csv_ahead *A)
{
    return A->line;
}
