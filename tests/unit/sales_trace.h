/*
 * sales_trace.h - for the sales reader's tests (test_sales_csv.c,
 * test_sales_like.c), which read one report several ways and compare
 * what each way gives as text: the end of such a trace.
 */
#ifndef LIC_TEST_SALES_TRACE_H
#define LIC_TEST_SALES_TRACE_H

#include <stdio.h>

#include "licet/sales.h"
#include "testutil.h"

/* The trace out[0 .. at) with each message of d after it, a line each;
 * r and d are done with. */
static inline char *trace_done(char *out, size_t at, size_t cap, lic_sales_reader *r, lic_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        char m[512];
        lic_diag_format(&d->v[i], m, sizeof m);
        at += (size_t)snprintf(out + at, cap - at, "%s\n", m);
        assert_true(at < cap);
    }
    lic_sales_reader_free(r);
    lic_diags_fini(d);
    return out;
}

#endif
