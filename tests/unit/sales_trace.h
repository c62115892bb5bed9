/*
 * sales_trace.h - for the sales reader's tests (test_sales_csv.c,
 * test_sales_like.c, test_sales_run.c), which read one report several
 * ways and compare what each way gives as text: a sorted report, and the
 * end of such a trace.
 */
#ifndef LIC_TEST_SALES_TRACE_H
#define LIC_TEST_SALES_TRACE_H

#include <stdio.h>

#include "licet/sales.h"
#include "testutil.h"

/* A sorted report (test_sales_like.c, test_sales_run.c): countries not
 * seen before (3 DE, 4 FR, 6 JP), another period (7), another x_ value
 * (10). */
#define SALES_SORTED "x_ag,period,country,field,gross_sales,deductions,currency\n" \
    "A1,2026-Q1,US,therapeutics/oncology,1370391.43,39566.95,USD\n" \
    "A1,2026-Q1,DE,therapeutics/oncology,5.00,0.01,USD\n" \
    "A1,2026-Q1,FR,therapeutics/oncology,12345678.99,,USD\n" \
    "A1,2026-Q1,US,therapeutics/oncology,7,1,USD\n" \
    "A1,2026-Q1,JP,therapeutics/oncology,0.5,0.25,USD\n" \
    "A1,2026-Q2,US,therapeutics/oncology,100.00,10.00,USD\n" \
    "A1,2026-Q2,US,therapeutics/oncology,200.00,20.00,USD\n" \
    "A1,2026-Q2,DE,therapeutics/oncology,300.00,30.00,USD\n" \
    "A2,2026-Q2,DE,therapeutics/oncology,400.00,40.00,USD\n" \
    "A2,2026-Q2,FR,therapeutics/oncology,500.00,50.00,USD\n" \
    "A2,2026-Q2,US,therapeutics/oncology,600.00,60.00,USD\n" \
    "A2,2026-Q2,US,therapeutics/oncology,700.00,70.00,USD\n"

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
