/*
 * sales.h - sales report CSV files (FORMAT 4), read a line at a time.
 *
 * A sales report is a CSV file (RFC 4180: quoted values, "" for a quote,
 * LF or CRLF line ends, UTF-8 with or without a byte order mark) whose
 * first row names the columns, in any order:
 *
 *   period,date,product,country,field,units,gross_sales,deductions,currency,third_party_royalties
 *
 * period, country, gross_sales and currency are required; field may be
 * left out when the agreement has exactly one field (a tree with one
 * leaf), which every line then takes; units, deductions and
 * third_party_royalties default to 0, date and product to none.  An
 * empty cell is a value not given.  Columns of your own are allowed when
 * their names start with x_ (lic_sales_reader_xcol reads them); any other
 * name is an error.  Every line is checked exactly like a report's inline
 * `lines:` (events.h): a real country and field, an ISO 4217 currency,
 * amounts with no more decimals than the currency has, a date inside the
 * line's period.
 *
 * Errors are diagnostics "FILE:LINE:COL: COLUMN: what was expected", the
 * column counted in characters:
 *   q2.csv:14:23: gross_sales: expected an amount with at most 2 decimals like "1234.56", got "12,5"
 *
 * The reader streams: memory stays bounded by the longest row (at most
 * 1 MiB), whatever the file's size.
 */
#ifndef LICET_SALES_H
#define LICET_SALES_H

#include <stdint.h>
#include <stdio.h>

#include "licet/agreement.h"
#include "licet/error.h"
#include "licet/events.h"

/* lic_sales_load reads at most this many lines (about 1.5 GB of lines). */
#define LIC_SALES_MAX_LINES ((size_t)16 << 20)

typedef struct lic_sales_reader lic_sales_reader;

/* Opens the report at `path` and reads its header row, against agreement
 * `a` (which must outlive the reader).  Problems are added to `diags`
 * (which must outlive the reader too) naming `path`.  Returns LIC_EIO
 * when the file cannot be read, LIC_EINVALID when the header is wrong
 * (every problem of the header is reported), LIC_EPARSE for malformed
 * CSV, LIC_ETOOBIG past a cap, LIC_ENOMEM.  On failure *out is NULL. */
lic_err lic_sales_reader_open(const lic_agreement *a, const char *path, lic_diags *diags,
                              lic_sales_reader **out) LIC_MUST_CHECK;
/* A reader for a part of a big report, so that several threads may read
 * it side by side: the header is read from the start of the file at
 * `path`, then the reader goes on from the first row that starts at or
 * after byte `from` (the byte after the first LF at or after from - 1;
 * from 0 or inside the header: the first row after the header).  Lines
 * are numbered as in the whole file: opening counts the line ends before
 * that row, which reads those bytes once.  Where the parts meet, the part
 * before must end where this one starts: when `from` falls inside a
 * quoted value that holds a line end, the row found there is no row of
 * the file, and no row of the part before starts at its offset
 * (lic_sales_reader_offset), which is how the caller finds out (and
 * reads on with the reader before instead).  Errors as
 * lic_sales_reader_open. */
lic_err lic_sales_reader_open_at(const lic_agreement *a, const char *path, uint64_t from,
                                 lic_diags *diags, lic_sales_reader **out) LIC_MUST_CHECK;
/* As lic_sales_reader_open_at, but opening does not count the line ends
 * before the part: the count is made only when a message about one of
 * its lines needs it (once; messages then carry the file's line numbers,
 * exactly as lic_sales_reader_open_at's reader gives them).  Until then
 * the lines given carry pos.line 0 (not known); after it, the file's
 * numbers.  For a part read beside the part before it, whose reading
 * passes over those bytes anyway: the count would read them a second
 * time (0.035 s of 0.27 s in bench/royalties) for numbers a clean file
 * never needs.  Should the count fail (the file shrank), the messages
 * keep no line number and an "io" message says why.  With `from` inside
 * the header there is nothing to count: lines are numbered as read. */
lic_err lic_sales_reader_open_at_lazy(const lic_agreement *a, const char *path, uint64_t from,
                                      lic_diags *diags, lic_sales_reader **out) LIC_MUST_CHECK;

/* The byte offset in the file of the row of the current line (the one
 * lic_sales_reader_next returned or rejected last); before the first
 * line and after the last, of the next row (at the end, the file's size). */
uint64_t lic_sales_reader_offset(const lic_sales_reader *r);

/* The same on an open stream (not closed by the reader); `name` is the
 * file name used in messages. */
lic_err lic_sales_reader_open_file(const lic_agreement *a, FILE *f, const char *name,
                                   lic_diags *diags, lic_sales_reader **out) LIC_MUST_CHECK;
/* The same on `len` bytes at `data`, which must outlive the reader. */
lic_err lic_sales_reader_open_mem(const lic_agreement *a, const char *name, const char *data,
                                  size_t len, lic_diags *diags,
                                  lic_sales_reader **out) LIC_MUST_CHECK;

/* Reads the next line into *line.  Returns 1 when *line holds a line, 0
 * at the end of the file, or a negative lic_err:
 *   -LIC_EINVALID  the line failed a check (its diagnostics are added);
 *                  the next call goes on with the line after it;
 *   -LIC_EPARSE    malformed CSV (an unclosed quote, a stray quote, a
 *                  bare CR, a NUL byte, invalid UTF-8); fatal;
 *   -LIC_ETOOBIG, -LIC_EIO, -LIC_ENOMEM: fatal.
 * After a fatal error every call returns it again.  Blank lines are
 * skipped.  Strings in *line (product) point into the reader's buffer
 * and stay valid only until the next call or lic_sales_reader_free();
 * copy what you keep. */
int lic_sales_reader_next(lic_sales_reader *r, lic_sale_line *line);

/* Reads a run of lines: the next line, as lic_sales_reader_next reads it,
 * then as many of the lines right after it (up to `max` in all) as
 * repeat its cells but for the country and the amounts: the same x_
 * values, period, date, field, product, currency and units; they read
 * well.  Returns the number of lines in lines[] (1 to max), or what
 * lic_sales_reader_next returns when it returns no line (0, a negative
 * lic_err); max 0 is -LIC_EINVALID.  The lines, messages and errors are
 * those of as many calls of lic_sales_reader_next.  For a caller that
 * adds a sorted report's lines up: a run needs one look at its agreement
 * and period, not one a line.  After the call the current line of
 * lic_sales_reader_offset and lic_sales_reader_xcols_same is the run's
 * first; lic_sales_reader_xcol and _xcol_at give the run's x_ values. */
int lic_sales_reader_next_run(lic_sales_reader *r, lic_sale_line *lines, size_t max);

/* Reads ahead on a second thread from now on: the thread reads the file,
 * splits the next rows into cells and recalls their texts (period, date,
 * country, field, currency) while the caller's thread reads the amounts
 * of earlier lines and does its own work, so a large report takes about
 * the time of the slower of the two instead of their sum.
 * Lines, return codes, x_ cells and diagnostics are exactly those of
 * reading without it, in the same order.  Memory stays bounded (a few
 * thousand rows ahead).  Use the reader from one thread only.
 * LIC_ENOMEM, or LIC_EIO when no thread could be started (the reader
 * then reads as before). */
lic_err lic_sales_reader_read_ahead(lic_sales_reader *r) LIC_MUST_CHECK;

/* The current line's value of the column `name` (an x_ column of the
 * header, e.g. "x_agreement"): "" when its cell is empty, NULL when the
 * header has no such column or there is no current line.  Valid until
 * the next call of lic_sales_reader_next(). */
const char *lic_sales_reader_xcol(const lic_sales_reader *r, const char *name);

/* The header's x_ column names, in header order (n of them); they live as
 * long as the reader. */
const char *const *lic_sales_reader_xcols(const lic_sales_reader *r, size_t *n);

/* The index of the x_ column `name` among lic_sales_reader_xcols(), or -1
 * when the header has none of that name. */
long lic_sales_reader_xcol_index(const lic_sales_reader *r, const char *name);

/* The current line's value of the x_ column of index i (as
 * lic_sales_reader_xcol_index gives): lic_sales_reader_xcol without
 * looking the name up on every line.  NULL when i is no index or there is
 * no current line; valid until the next call of lic_sales_reader_next(). */
const char *lic_sales_reader_xcol_at(const lic_sales_reader *r, size_t i);

/* Whether the current line's x_ values are known to be, byte for byte,
 * those of the line lic_sales_reader_next() gave just before it (false:
 * not known, compare them).  For a reader that groups a sorted report's
 * lines by an x_ column: on most lines it then needs no compare. */
bool lic_sales_reader_xcols_same(const lic_sales_reader *r);

/* Destroys the reader (and closes the file lic_sales_reader_open opened);
 * NULL is fine. */
void lic_sales_reader_free(lic_sales_reader *r);

/* A whole report in memory. */
typedef struct lic_sales {
    const char *file;         /* the path as given */
    lic_sale_line *v;         /* the lines, in file order */
    size_t n;
    unsigned char sha256[32]; /* of the file's bytes */
    void *priv;               /* arena; do not touch */
} lic_sales;

/* Reads every line of the report at `path`.  Stops at the first line
 * with a problem (its problems are reported; all of the header's are)
 * and returns LIC_EINVALID, malformed CSV included;
 * LIC_ETOOBIG past LIC_SALES_MAX_LINES lines or a cap of the reader;
 * LIC_EIO, LIC_ENOMEM.  On success *out owns
 * all it points to; free it with lic_sales_free().  On failure *out is
 * NULL. */
lic_err lic_sales_load(const lic_agreement *a, const char *path, lic_diags *diags,
                       lic_sales **out) LIC_MUST_CHECK;
/* The same on an open stream (not closed); `name` is used in messages. */
lic_err lic_sales_load_file(const lic_agreement *a, FILE *f, const char *name, lic_diags *diags,
                            lic_sales **out) LIC_MUST_CHECK;
void lic_sales_free(lic_sales *s);

#endif
