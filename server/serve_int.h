/*
 * serve_int.h - the running server, shared by serve.c (start, stop, the
 * threads' store connections) and http.c (libmicrohttpd's callbacks).
 */
#ifndef LICET_SERVER_SERVE_INT_H
#define LICET_SERVER_SERVE_INT_H

#include <microhttpd.h>
#include <pthread.h>

#include "srv.h"

typedef struct srv {
    srv_config cfg;
    pthread_mutex_t lock;      /* guards stores[] */
    lic_store **stores;        /* every thread's connection, closed at stop */
    size_t nstores, capstores;
} srv;

/* This thread's store connection, opened on first use; NULL when the
 * store cannot be opened (the reason is logged on stderr once). */
lic_store *srv_thread_store(srv *sv);

enum MHD_Result srv_on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *data, size_t *size, void **state);
void srv_on_completed(void *cls, struct MHD_Connection *c, void **state,
                      enum MHD_RequestTerminationCode why);

#endif
