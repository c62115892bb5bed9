/*
 * engine_many.c - lic_engine_eval_many(): a portfolio evaluated on
 * several threads.
 *
 * One agreement's evaluation shares nothing mutable with another's: the
 * engine reads its agreement and events and writes only its own state
 * (its arena).  So the threads take the next agreement from a shared
 * counter and write its state into its slot: the states are those
 * lic_engine_eval gives one at a time, whichever thread made each and in
 * whatever order.  The caller's thread works too; if no other thread can
 * be started it does all the work.
 */
#include "licet/engine.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "alloc.h"

#define MAX_THREADS 64

typedef struct job {
    const lic_agreement *const *a;
    const lic_events *const *ev;
    size_t n;
    lic_date as_of, known_at;
    lic_state **out;
    lic_err *err;             /* per agreement */
    atomic_size_t next;       /* the next agreement to take */
} job;

static void *work(void *arg)
{
    job *j = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n)
            return NULL;
        j->err[i] = lic_engine_eval(j->a[i], j->ev[i], j->as_of, j->known_at, &j->out[i]);
    }
}

static unsigned threads_for(unsigned threads, size_t n)
{
    if (threads == 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        threads = online > 0 ? (unsigned)online : 1;
    }
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    return n < threads ? (unsigned)(n ? n : 1) : threads;
}

lic_err lic_engine_eval_many(const lic_agreement *const *a, const lic_events *const *ev, size_t n,
                             lic_date as_of, lic_date known_at, unsigned threads, lic_state **out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    job j = {.a = a, .ev = ev, .n = n, .as_of = as_of, .known_at = known_at, .out = out,
             .err = lic__calloc(n ? n : 1, sizeof *j.err)};
    if (!j.err)
        return LIC_ENOMEM;
    atomic_init(&j.next, 0);
    pthread_t tid[MAX_THREADS];
    unsigned started = 0, want = threads_for(threads, n);
    while (started + 1 < want && pthread_create(&tid[started], NULL, work, &j) == 0)
        started++;
    work(&j);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    lic_err rc = LIC_OK;
    for (size_t i = 0; i < n && !rc; i++)
        rc = j.err[i];
    lic__free(j.err);
    if (rc)
        for (size_t i = 0; i < n; i++) {
            lic_state_free(out[i]);
            out[i] = NULL;
        }
    return rc;
}
