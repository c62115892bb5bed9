/*
 * sales_int.h - the sales report reader's internals shared inside lib/:
 * the events loader reads report files through them (events_fields.c),
 * and the fuzzer drives the reader over a tokenizer with tiny chunks.
 */
#ifndef LIC_SALES_INT_H
#define LIC_SALES_INT_H

#include "licet/sales.h"
#include "alloc.h"
#include "csv.h"

/* Opens a reader over `csv`, which it takes over: freed with the reader,
 * or at once when opening fails.  Otherwise as lic_sales_reader_open. */
lic_err lic__sales_reader_open_csv(const lic_agreement *a, lic__csv *csv, const char *name,
                                   lic_diags *diags, lic_sales_reader **out) LIC_MUST_CHECK;

/* Reads the rest of the report into an array in `arena` (products copied
 * there too).  Stops at the first line with a problem: LIC_EINVALID, or
 * the fatal error; LIC_ETOOBIG past LIC_SALES_MAX_LINES lines.  *lines
 * is NULL when there are none. */
lic_err lic__sales_read_all(lic_sales_reader *r, lic_arena *arena, lic_sale_line **lines,
                            size_t *n) LIC_MUST_CHECK;

#endif
