/*
 * sales_int.h - the sales report reader's internals shared inside lib/:
 * the events loader reads report files through them (events_fields.c),
 * and the fuzzer drives the reader over a tokenizer with tiny chunks.
 */
#ifndef LIC_SALES_INT_H
#define LIC_SALES_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "licet/sales.h"
#include "alloc.h"
#include "csv.h"

/* Opens a reader over `csv`, which it takes over: freed with the reader,
 * or at once when opening fails.  Otherwise as lic_sales_reader_open. */
lic_err lic__sales_reader_open_csv(const lic_agreement *a, lic__csv *csv, const char *name,
                                   lic_diags *diags, lic_sales_reader **out) LIC_MUST_CHECK;

/* Whether lines may be taken by the reader's fast path (the default) or
 * only through lic__sale_line_read; both give the same lines and
 * messages, which the fuzzer compares. */
void lic__sales_reader_set_fast(lic_sales_reader *r, bool on);

/* lic_sales_reader_read_ahead; `always`: the thread recalls the texts of
 * every line (else only when it has time to spare; see sales_csv.c), so
 * that tests and the fuzzer know which thread did. */
lic_err lic__sales_reader_read_ahead(lic_sales_reader *r, bool always) LIC_MUST_CHECK;

/* The LF bytes of the file open on fd before byte `end` (pread: the
 * file's offset is not moved). */
lic_err lic__sales_count_lines_before(int fd, uint64_t end, uint64_t *n) LIC_MUST_CHECK;

/* The offset of the first row that starts at or after `from` (> 0): the
 * byte after the first LF at or after from - 1, or the file's end. */
lic_err lic__sales_row_start_from(FILE *f, uint64_t from, uint64_t *start) LIC_MUST_CHECK;

/* ---- parts (sales_part.c) ---- */

/* The file a reader opened by path reads (lic_sales_reader_open). */
FILE *lic__sales_reader_file(lic_sales_reader *r);

/* Moves reader r (which has read the header of its file) to the row
 * starting at byte `start`, on line `line`. */
lic_err lic__sales_reader_resume(lic_sales_reader *r, uint64_t start, int line) LIC_MUST_CHECK;

/* A lazy part's numbering (lic_sales_reader_open_at_lazy): its lines are
 * read as lines 1, 2 ... of the part; `before`, once known, is the
 * count of lines before it. */
typedef struct lic__sales_lazy {
    int fd;                         /* the reader's file, for the count */
    uint64_t start;                 /* the part's first row */
    int before;                     /* the lines before it, once known */
    bool known, failed;             /* counted; could not be counted */
} lic__sales_lazy;

/* Makes r (resumed at `start` on line 1) number its lines lazily. */
lic_err lic__sales_reader_set_lazy(lic_sales_reader *r, uint64_t start) LIC_MUST_CHECK;

/* Line `line` of a lazy part as the file's (0 while not known), and the
 * step from one line's number to the next's: 0 while not known, else 1. */
int lic__sales_lazy_line(const lic__sales_lazy *z, int line, int *step);

/* After a call of a lazy part's reader that returned `got`, gave n lines
 * at l and added the messages from index `mark` of d: the messages' and
 * the lines' numbers made the file's, counting the lines before the part
 * now if a message needs them, or 0 while not known.  Returns got, or a
 * negated error when the count's own message could not be added. */
int lic__sales_lazy_settle(lic__sales_lazy *z, const char *path, lic_diags *d, size_t mark,
                           lic_sale_line *l, size_t n, int got);

/* Reads the rest of the report into an array in `arena` (products copied
 * there too).  Stops at the first line with a problem: LIC_EINVALID, or
 * the fatal error; LIC_ETOOBIG past LIC_SALES_MAX_LINES lines.  *lines
 * is NULL when there are none. */
lic_err lic__sales_read_all(lic_sales_reader *r, lic_arena *arena, lic_sale_line **lines,
                            size_t *n) LIC_MUST_CHECK;

/* Progress while a whole report streams: fn(ctx, lines, bytes) with the
 * lines read so far and the bytes consumed, every LIC__SALES_TICK_LINES
 * lines (fn must be cheap; it decides itself whether to tell anyone). */
#define LIC__SALES_TICK_LINES 1024
typedef struct lic__sales_tick {
    void (*fn)(void *ctx, size_t lines, uint64_t bytes);
    void *ctx;
} lic__sales_tick;

/* Reads the whole report on f, reading ahead on a second thread, and
 * hands every line to take(ctx, line) in file order (the line's product
 * is valid during the call only; take returns false when out of
 * memory).  What lic_sales_load_file would return, without keeping the
 * lines; *n is the count taken.  For an import, which needs each line
 * once, in its own form. */
typedef bool (*lic__sales_take)(void *ctx, const lic_sale_line *l);
lic_err lic__sales_stream_file(const lic_agreement *a, FILE *f, const char *name, lic_diags *diags,
                               const lic__sales_tick *tick, lic__sales_take take, void *ctx,
                               size_t *n) LIC_MUST_CHECK;

/* How many lines r has read as like the last (sales_csv.c, "lines like
 * the last"), for tests that must know that way was taken. */
size_t lic__sales_reader_like_lines(const lic_sales_reader *r);

/* fopen, with the reason it failed as an "io" diagnostic (rc then
 * says what to return). */
FILE *lic__sales_open_or_report(const char *path, lic_diags *diags, lic_err *rc);

/* Reports that the report has more than LIC_SALES_MAX_LINES lines (the
 * line that is one too many is `line`); what to return. */
lic_err lic__sales_too_many(lic_sales_reader *r, int line);

#endif
