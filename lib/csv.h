/*
 * csv.h - a streaming RFC 4180 tokenizer (internal to lib/).
 *
 * Reads a FILE* (or a memory block) in fixed-size chunks and hands out
 * one row at a time as an array of fields.  Memory is bounded: the buffer
 * grows only to hold the longest row seen, and a row longer than
 * LIC_CSV_MAX_ROW bytes is an error, as are more than LIC_CSV_MAX_FIELDS
 * fields in a row.
 *
 * The dialect: fields separated by ',', rows ended by LF or CRLF (the
 * last row may have no line end); a field that starts with '"' is quoted
 * and may hold commas, line ends and doubled quotes ("" for one quote).
 * Everything else is an error with a line and column: a quote inside an
 * unquoted field, anything but a comma or a line end after a closing
 * quote, a quote never closed, a CR without LF outside quotes, a NUL
 * byte, invalid UTF-8.  A UTF-8 byte order mark at the very start is
 * skipped (and not counted in columns).  A blank line is a row of one
 * empty unquoted field; the caller decides what it means.
 *
 * Positions are 1-based; a column counts characters (UTF-8 code points)
 * from the start of the physical line, as the YAML loader's do.
 */
#ifndef LIC_CSV_H
#define LIC_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "licet/error.h"

#define LIC_CSV_CHUNK ((size_t)64 << 10)   /* bytes read at a time */
#define LIC_CSV_MAX_ROW ((size_t)1 << 20)  /* bytes in one row, quotes and line end included */
#define LIC_CSV_MAX_FIELDS 1024            /* fields in one row */

/* A value lies in the reader's buffer, which has room past its end: the
 * 8 bytes at s may be read whatever len is (bytes past the NUL are
 * unspecified), so that a short value may be loaded as one word. */
typedef struct lic__csv_field {
    const char *s;  /* the value: unquoted, "" unescaped, NUL-terminated */
    size_t len;     /* its length in bytes */
    int line;       /* where the field starts (its opening quote when quoted) */
    bool quoted;    /* between line and col: the tokenizer's hot loop stores them one by one */
    int col;
} lic__csv_field;

typedef struct lic__csv lic__csv;

/* A row as lic__csv_next_cells gives it: each value's place and length,
 * without the positions a field carries, which cost more to write than
 * a reader of values needs on most rows.  Value i is the bytes from
 * at + span[i].off up to at + span[i].end (its NUL), with the promises
 * of a field's s (finished, NUL-terminated, 8 bytes readable).  An end,
 * not a length: the common row's end is its separator's offset, which
 * the scan has at hand (one store less a value). */
typedef struct lic__csv_span {
    uint32_t off, end;
} lic__csv_span;

typedef struct lic__csv_cells {
    const char *at;               /* where the offsets count from */
    const lic__csv_span *span;    /* n spans */
    size_t n;                     /* 0 at the end of the input */
    int line;                     /* the line the row starts on */
    uint64_t off;                 /* the row's byte offset, as lic__csv_offset before it */
    const lic__csv_field *fields; /* the same values as fields, or NULL: lic__csv_cell_fields */
} lic__csv_cells;

/* A tokenizer reading `f` (not closed by lic__csv_free). */
lic_err lic__csv_open(FILE *f, lic__csv **out) LIC_MUST_CHECK;
/* A tokenizer reading `len` bytes at `data` (not copied: they must
 * outlive it), `chunk` bytes at a time (0: LIC_CSV_CHUNK).  Small chunks
 * let tests and the fuzzer put a chunk boundary anywhere. */
lic_err lic__csv_open_mem(const char *data, size_t len, size_t chunk,
                          lic__csv **out) LIC_MUST_CHECK;
void lic__csv_free(lic__csv *r);

/* Whether rows may be found by the block scan (the default where the
 * CPU has one) or only byte by byte; both give the same rows and errors,
 * which tests and the fuzzer compare. */
void lic__csv_set_fast(lic__csv *r, bool on);

/* Whether the block scan may take 32 bytes at a time with AVX2 (the
 * default where the CPU has it) or only 16 with SSE2; both give the same
 * rows, which tests and the fuzzer compare. */
void lic__csv_set_avx2(lic__csv *r, bool on);

/* Every byte read from now on is also passed to fn(arg, bytes, n)
 * (e.g. to hash the file while it is read). */
void lic__csv_on_read(lic__csv *r, void (*fn)(void *, const unsigned char *, size_t),
                      void *arg);

/* Reads the next row.  On LIC_OK, *fields and *n hold its fields (n == 0
 * at the end of the input); they stay valid until the next call.  On an
 * error (LIC_EPARSE for malformed CSV, LIC_ETOOBIG past a cap, LIC_EIO,
 * LIC_ENOMEM) lic__csv_error() says what and where, and every later call
 * returns the same error. */
lic_err lic__csv_next(lic__csv *r, const lic__csv_field **fields, size_t *n) LIC_MUST_CHECK;

/* lic__csv_next, the row as cells: the same rows, values and errors.
 * The common row (one line, unquoted, as the fast scan takes it in one
 * step) has no fields written (cells->fields is NULL) until
 * lic__csv_cell_fields asks for them.  Valid until the next call. */
lic_err lic__csv_next_cells(lic__csv *r, lic__csv_cells *c) LIC_MUST_CHECK;

/* Row `f` (n > 0 fields, as lic__csv_next gives them) as cells into c,
 * its spans written to `span` (room for n): the values lie in order after
 * the first one's, so each is an offset from it.  c->off is left to the
 * caller. */
void lic__csv_cells_of_fields(const lic__csv_field *f, size_t n, lic__csv_span *span, lic__csv_cells *c);

/* The fields of row c, which lic__csv_next_cells returned last:
 * c->fields, or else written now (the same values, with their lines and
 * columns); valid as long as the row. */
const lic__csv_field *lic__csv_cell_fields(lic__csv *r, const lic__csv_cells *c);

/* For a reader that reads a common row itself (sales_csv.c, "lines like
 * the last"): the bytes of the next row on, *avail of them (at least
 * one), when the tokenizer reads on this thread with its fast scan (else
 * NULL), with the row's line and byte offset.  LIC_CSV_PEEK_PAD bytes
 * past the *avail may be read too, but they are not the input's: a row
 * read from them must end within *avail.  Nothing is taken, and the
 * bytes are not finished (no NULs written): the caller takes a row it
 * has read whole with lic__csv_skip_row, or reads on with
 * lic__csv_next_cells as if it had not looked. */
#define LIC_CSV_PEEK_PAD 64
const char *lic__csv_peek(const lic__csv *r, size_t *avail, int *line, uint64_t *off);

/* Takes the next row, of `len` bytes with its LF, all on one line, which
 * the caller read from lic__csv_peek's bytes. */
void lic__csv_skip_row(lic__csv *r, size_t len);
/* Takes the next n rows, of `len` bytes in all, each as lic__csv_skip_row. */
void lic__csv_skip_rows(lic__csv *r, size_t len, size_t n);

/* The message of the last error (one line, no file name) and its line
 * and column (0 when it has no position, e.g. an I/O error). */
const char *lic__csv_error(const lic__csv *r, int *line, int *col);

/* The line the next row starts on. */
int lic__csv_line(const lic__csv *r);

/* The byte offset in the input where the next row starts (after the
 * row lic__csv_next returned last; at the end, the input's size), counted
 * from the start of the input or from lic__csv_resume's offset. */
uint64_t lic__csv_offset(const lic__csv *r);

/* For a tokenizer opened on a stream positioned at byte `offset` of a
 * file, at the start of a row on line `line` (the rows before it are read
 * elsewhere): offsets and lines count from there, and no byte order mark
 * is looked for.  Call it before the first row. */
void lic__csv_resume(lic__csv *r, uint64_t offset, int line);

/* The LF bytes among the n at p. */
size_t lic__csv_count_lf(const char *p, size_t n);

/* Tokenizes ahead on a second thread from now on: rows come in batches
 * that the thread fills while the caller works on earlier rows (csv_ahead.c
 * says why the split is here).  The same rows, positions and errors as
 * without it; fields stay valid until the next call, as always, and the
 * on_read function is called on that thread.  Use the tokenizer from one
 * thread only.  LIC_ENOMEM, or LIC_EIO when no thread could be started
 * (it then reads as before). */
lic_err lic__csv_read_ahead(lic__csv *r) LIC_MUST_CHECK;

/* Reads ahead (as lic__csv_read_ahead) and also calls fn(ctx, fields, n,
 * slot) on that thread for the rows it takes (n > 0), where slot is
 * `slot_size` bytes kept with the row: work on a row's values moves to
 * the thread that is ahead, and lic__csv_row_slot hands its result to the
 * caller with the row.  Unless `always`, the thread skips fn on a batch
 * of rows that the caller is about to wait for (it has less than two
 * batches to read), so that neither thread waits for the other: fn must
 * do only what the caller can do itself, for the rows whose slot is NULL.
 * fn must read only what stays put while the thread runs (ctx is shared
 * with the caller: guard what both touch).  Already reading ahead: LIC_OK
 * and nothing changes. */
typedef void (*lic__csv_row_fn)(void *ctx, const lic__csv_field *fields, size_t n, void *slot);
typedef struct lic__csv_rows {
    lic__csv_row_fn fn;
    void *ctx;
    size_t slot_size;
    bool always;         /* fn on every row (tests: the slots are then known to be there) */
} lic__csv_rows;
lic_err lic__csv_read_ahead_rows(lic__csv *r, const lic__csv_rows *rows) LIC_MUST_CHECK;

/* The slot of the row lic__csv_next returned last, filled by the row
 * function; NULL when fn was not run on it (see above), without one, at
 * the end or after an error.  Valid as long as the row's fields. */
void *lic__csv_row_slot(const lic__csv *r);

/* ---- for csv_ahead.c ---- */
typedef struct lic__csv_ahead lic__csv_ahead;
/* lic__csv_next on this thread, whatever the tokenizer does. */
lic_err lic__csv_next_direct(lic__csv *r, const lic__csv_field **fields, size_t *n) LIC_MUST_CHECK;
int lic__csv_line_direct(const lic__csv *r);
uint64_t lic__csv_offset_direct(const lic__csv *r);
/* lic__csv_next_direct, but a row the fast scan takes, when its fields
 * fit in to->room and its bytes in to->text_room, has its fields written
 * to to->f (*fields is then to->f) and its bytes (values finished, line
 * end included) copied to to->text, where its values point;
 * to->text_used says how many (0: the row is where lic__csv_next_direct
 * puts it).  The thread reading ahead keeps rows where they are written. */
typedef struct lic__csv_into {
    lic__csv_field *f;
    size_t room;
    char *text;
    size_t text_room, text_used;
} lic__csv_into;
lic_err lic__csv_next_into(lic__csv *r, lic__csv_into *to, const lic__csv_field **fields,
                           size_t *n) LIC_MUST_CHECK;
lic_err lic__csv_ahead_new(lic__csv *r, const lic__csv_rows *rows, lic__csv_ahead **out) LIC_MUST_CHECK;
lic_err lic__csv_ahead_next(lic__csv_ahead *a, const lic__csv_field **fields, size_t *n);
void *lic__csv_ahead_slot(const lic__csv_ahead *a);
int lic__csv_ahead_line(const lic__csv_ahead *a);
uint64_t lic__csv_ahead_offset(const lic__csv_ahead *a);
void lic__csv_ahead_free(lic__csv_ahead *a);

#endif
