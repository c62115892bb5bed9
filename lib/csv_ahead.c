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
 *   A row's values lie in order in the tokenizer's buffer, so they are
 *   copied with one memcpy of the row's span (separators and quotes
 *   between them come along) rather than one copy per value, and the
 *   copies point into the batch's text at once: when the text must grow
 *   (rarely: it keeps its size from batch to batch) the batch's pointers
 *   are moved with it.
 * - A row function (lic__csv_read_ahead_rows) runs on the thread too, on
 *   each row as it is taken, and leaves its result in the row's slot:
 *   the sales reader recalls a plain line's texts there, which moves that
 *   work off the caller's thread.  Which thread is the slower depends on
 *   the caller's work and the rows, so the thread balances the two: when
 *   the caller has less than two batches left to read it is about to
 *   wait, and the thread fills the next batch without the row function
 *   (whose work the caller then does); otherwise it has time to spare.
 * - The split is at the tokenizer: finding fields (and reading the file)
 *   on the thread, reading each line's values and what the caller does
 *   with them on the caller's, with the row function (above) to move some
 *   of the caller's share over when the thread has time for it.
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
#define ROW_ROOM 64     /* fields the tokenizer may write straight into a batch */
#define TEXT_ROOM 4096  /* and bytes of text */

/* One call of the tokenizer: a row, or the end (n == 0), or an error. */
typedef struct row {
    size_t first, n;     /* its fields: f[first .. first + n) */
    int next_line;       /* lic__csv_line after it */
    uint64_t next_off;   /* lic__csv_offset after it */
    lic_err rc;
} row;

/* Kept a cache line apart (pad): the thread fills one batch while the
 * caller reads another. */
typedef struct batch {
    row *rows;
    size_t nrows;
    lic__csv_field *f;   /* values point into text */
    size_t nf, capf;
    char *text;          /* the rows' values, and 8 bytes to spare past them */
    size_t ntext, captext;
    unsigned char *slots; /* the row function's slot of each row */
    bool with_fn;        /* the row function ran on its rows */
    bool last;           /* the thread stops after this batch */
    char pad[64];
} batch;

struct lic__csv_ahead {
    lic__csv *r;
    lic__csv_rows rows;  /* fn NULL: none; slot_size rounded up */
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
    void *slot;          /* the slot of the row handed out last, or NULL */
    int line;            /* lic__csv_line */
    uint64_t off;        /* lic__csv_offset */
    char pad[64];
};

static bool grow_fields(batch *b, size_t more)
{
    if (b->nf + more <= b->capf)
        return true;
    size_t cap = (b->capf ? b->capf * 2 : 8 * AHEAD_ROWS) + more;
    lic__csv_field *f = lic__realloc(b->f, cap * sizeof *f);
    if (!f)
        return false;
    b->f = f;
    b->capf = cap;
    return true;
}

/* Room for `more` bytes of text and the 8 spare bytes after them; the
 * batch's values move with the text. */
static bool grow_text(batch *b, size_t more)
{
    if (b->ntext + more + 8 <= b->captext)
        return true;
    size_t cap = (b->captext ? b->captext * 2 : (size_t)64 * AHEAD_ROWS) + more + 8;
    char *t = lic__malloc(cap);
    if (!t)
        return false;
    if (b->ntext)
        memcpy(t, b->text, b->ntext);
    for (size_t i = 0; i < b->nf; i++)
        b->f[i].s = t + (b->f[i].s - b->text);
    lic__free(b->text);
    b->text = t;
    b->captext = cap;
    return true;
}

/* Keeps the row's fields in b, unless the tokenizer wrote them there
 * (`used` bytes of text: see fill); false when out of memory.  The values
 * are in order in the tokenizer's buffer, each followed by its NUL: one
 * copy from the first to the last NUL takes them all. */
static bool keep_row(batch *b, row *w, const lic__csv_field *fields, size_t n, size_t used)
{
    w->first = b->nf;
    w->n = n;
    if (used) {
        b->nf += n;
        b->ntext += used;
        return true;
    }
    const char *from = fields[0].s, *to = fields[n - 1].s + fields[n - 1].len + 1;
    if (!grow_text(b, (size_t)(to - from)) || !grow_fields(b, n))
        return false;
    memcpy(b->f + b->nf, fields, n * sizeof *fields);
    char *at = b->text + b->ntext;
    lic__csv_field *f = b->f + b->nf;
    for (size_t i = 0; i < n; i++) /* csv.c keeps a row's values in order, in [from, to) */
        f[i].s = at + (f[i].s - from);
    b->nf += n;
    memcpy(at, from, (size_t)(to - from));
    b->ntext += (size_t)(to - from);
    return true;
}

/* csv.h's 8 bytes readable at every value hold at the end of the text
 * too (grow_text kept room for them). */
static bool publishable(batch *b)
{
    if (!grow_text(b, 0))
        return false;
    memset(b->text + b->ntext, 0, 8);
    return true;
}

/* Fills b; the row function runs on its rows when with_fn. */
static void fill(lic__csv_ahead *A, batch *b, bool with_fn)
{
    b->nrows = b->nf = b->ntext = 0;
    b->last = false;
    b->with_fn = with_fn;
    while (b->nrows < AHEAD_ROWS && !b->last) {
        row *w = &b->rows[b->nrows++];
        const lic__csv_field *fields;
        size_t n = 0;
        /* room for a common row in place (grow_fields keeps rows by
         * index, so it may move f; grow_text moves the values with it) */
        lic__csv_into to = {0};
        if (grow_fields(b, ROW_ROOM) && grow_text(b, TEXT_ROOM))
            to = (lic__csv_into){.f = b->f + b->nf, .room = b->capf - b->nf,
                                 .text = b->text + b->ntext, .text_room = b->captext - b->ntext - 8};
        *w = (row){.rc = lic__csv_next_into(A->r, &to, &fields, &n)};
        if (!w->rc && n && !keep_row(b, w, fields, n, to.text_used))
            w->rc = LIC_ENOMEM;
        else if (!w->rc && n && with_fn)
            A->rows.fn(A->rows.ctx, fields, n, b->slots + (b->nrows - 1) * A->rows.slot_size);
        w->next_line = lic__csv_line_direct(A->r);
        w->next_off = lic__csv_offset_direct(A->r);
        b->last = w->rc || n == 0;
    }
    if (!publishable(b)) { /* the last row says so; nothing after it */
        const row *w = &b->rows[b->nrows - 1];
        b->rows[b->nrows - 1] = (row){.rc = LIC_ENOMEM, .next_line = w->next_line, .next_off = w->next_off};
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
        /* batches the caller has still to read, the one it reads included */
        bool spare = k - A->taken >= 2;
        pthread_mutex_unlock(&A->mu);
        if (stop)
            break;
        batch *b = &A->b[k % NBATCH];
        fill(A, b, A->rows.fn && (spare || A->rows.always));
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
        lic__free(A->b[i].text);
        lic__free(A->b[i].slots);
    }
}

lic_err lic__csv_ahead_new(lic__csv *r, const lic__csv_rows *rows, lic__csv_ahead **out)
{
    *out = NULL;
    lic__csv_ahead *A = lic__calloc(1, sizeof *A);
    if (!A)
        return LIC_ENOMEM;
    A->r = r;
    if (rows && rows->fn) {
        A->rows = *rows;
        /* slots stay aligned for any member type (max_align_t) */
        A->rows.slot_size = (rows->slot_size + 15) / 16 * 16;
    }
    A->line = lic__csv_line_direct(r);
    A->off = lic__csv_offset_direct(r);
    bool ok = true;
    for (int i = 0; i < NBATCH; i++) {
        ok = (A->b[i].rows = lic__malloc(AHEAD_ROWS * sizeof *A->b[i].rows)) != NULL && ok;
        if (A->rows.fn)
            ok = (A->b[i].slots = lic__malloc(AHEAD_ROWS * A->rows.slot_size)) != NULL && ok;
    }
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
        A->off = w->next_off;
        if (w->rc || w->n == 0)
            A->end = w; /* the last batch is never released: the end stays readable */
        else {
            *fields = A->cur->f + w->first;
            *n = w->n;
            A->slot = A->cur->with_fn ? A->cur->slots + (A->at - 1) * A->rows.slot_size : NULL;
            return LIC_OK;
        }
    }
    A->slot = NULL;
    return A->end->rc;
}

void *lic__csv_ahead_slot(const lic__csv_ahead *A)
{
    return A->slot;
}

int lic__csv_ahead_line(const lic__csv_ahead *A)
{
    return A->line;
}

uint64_t lic__csv_ahead_offset(const lic__csv_ahead *A)
{
    return A->off;
}
