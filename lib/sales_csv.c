/*
 * sales_csv.c - the sales report reader (sales.h): FORMAT 4 on top of the
 * CSV tokenizer (csv.h).
 *
 * NOTES ON THE DESIGN
 * - The header maps each FORMAT 4 column to its index in the row; x_
 *   columns are kept by name and index for lic_sales_reader_xcol() and
 *   lic_sales_reader_xcol_at().
 * - Each row's cells become positioned scalar nodes (the YAML tree's
 *   lic_ynode, pointing into the tokenizer's buffer), so that
 *   lic__sale_line_read() checks a CSV line with the very code, and the
 *   very messages, of a report's inline `lines:` (events_lines.c).  The
 *   key path is the column name, which gives "q2.csv:14:23: gross_sales:
 *   ...".  An empty cell is a value not given; in a required column it is
 *   an error here, before the shared checks.
 * - What only a CSV can get wrong (the header, row widths, empty cells,
 *   the CSV syntax itself) is checked here.
 * - Rows come from the tokenizer as cells (lic__csv_next_cells): a
 *   value's place and length, which is all the fast line reads; a row's
 *   fields, with the lines and columns messages need, are written only
 *   for a line that goes to lic__sale_line_read (row_fields).
 * - Plain lines skip lic__sale_line_read (see "the fast line"): their
 *   texts are recalled from earlier lines and their amounts parsed here.
 *   Reading ahead, the recalling runs on the tokenizer's thread and the
 *   amounts on the caller's (see "the fast line on the thread reading
 *   ahead"); every line that is not plain still goes through
 *   lic__sale_line_read on the caller's thread, in order.
 */
#include "sales_int.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#include "events_int.h"
#include "inline.h"
#include "sales_amount.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* A text of a period, date, country, field or currency cell that read
 * well on an earlier line, with what it read as (see fast_line). */
#define SEEN_BITS 6
#define SEEN_SLOTS (1 << SEEN_BITS) /* per column */
#define SEEN_WAYS 4     /* slots per bucket; a power of two */
#define SEEN_TEXT 48    /* longer texts are not kept */
#define RECENT_BITS 7
#define RECENT_SLOTS (1 << RECENT_BITS) /* per column (see seen_cache) */
typedef struct text_key {
    uint64_t head, mid, tail;
} text_key;

typedef struct fast_slot {
    struct text_key key;       /* the text's first, middle and last 8 bytes (see key_of) */
    uint64_t head_mask;        /* the bytes of key.head that are the text's (see holds_text) */
    unsigned char len;         /* 0: an empty slot */
    char text[SEEN_TEXT];
    lic__sale_value v;
    lic_date first, last;      /* a period's first and last day */
} fast_slot;

/* The columns fast_line recalls, in the order of seen[]. */
enum { SEEN_PERIOD, SEEN_DATE, SEEN_COUNTRY, SEEN_FIELD, SEEN_CURRENCY, NSEEN };
static const int seen_col[NSEEN] = {LIC__COL_PERIOD, LIC__COL_DATE, LIC__COL_COUNTRY,
                                    LIC__COL_FIELD, LIC__COL_CURRENCY};

/* Texts that read well, by column (fast_line). */
typedef struct seen_cache {
    fast_slot slot[NSEEN][SEEN_SLOTS];
    unsigned victim;                /* the next slot of a full bucket to go */
    /* slots found lately, by column and a hash of the text's first 8
     * bytes (a row's period, field, currency are often the last row's,
     * and its country one of a few): seen_recall tries there first */
    const fast_slot *recent[NSEEN][RECENT_SLOTS];
    /* the slot each column's cell recalled on the last line (no_slot
     * before any): lines in file order share most of their texts, so
     * fast_texts compares with it before any hashing */
    const fast_slot *last[NSEEN];
    /* the country column's two-letter texts (nearly all), by five bits
     * of each letter (two_index): a country changes on most lines, which
     * made last[] a miss and recent[] a hash on each.  Each place keeps
     * the text's two bytes with TWO_HELD (0: none) and the country it
     * read as, not a slot: one compare, and no slot that seen_put may
     * give to another text later (a text reads as the same country for
     * the reader's whole life) */
    uint32_t two_key[1 << 10];
    int two_country[1 << 10];
} seen_cache;

/* What last[] holds before a column's first recall: it holds no text. */
static const fast_slot no_slot;

/* What fast_line needs of the header, fixed once it is read. */
typedef struct line_shape {
    int colof[LIC__SALE_NCOLS];     /* index of each FORMAT 4 column in a row, or -1 */
    size_t ncols;                   /* columns in the header */
    int no_field;                   /* a line's field when the header has no field column */
    bool texts;                     /* period, country and currency are columns (else no line is fast) */
    bool extras;                    /* any of third_party_royalties, units, fx_rate, product is */
} line_shape;

typedef struct ahead_side ahead_side;
static void ahead_free(ahead_side *A);

/* A pattern line (see "lines like the last"). */
#define LIKE_BYTES 96  /* the longest pattern row, its LF included */
#define LIKE_LEAD 64   /* the longest lead */
#define LIKE_TAIL 16   /* the longest tail */
typedef struct like_side {
    /* from the header (nvar 0: no line is ever like another) */
    uint32_t v0, nvar;              /* the amount cells */
    size_t at[3];                   /* where in a line each one's amount goes */
    uint32_t gross;                 /* which of them is gross_sales */
    char sep[3];                    /* the byte after each: a comma, the last's the LF without a tail */
    int country;                    /* the country's cell when it comes before them, or -1 */
    /* the pattern */
    uint64_t word[LIKE_LEAD / 8];   /* the lead's bytes, 8 at a time ... */
    uint64_t mask[LIKE_LEAD / 8];   /* ... and which of them a like row repeats */
    uint32_t nwords, lead;
    uint32_t country_at;            /* 1 + the country's offset when it is free, else 0 */
    uint64_t tail[2], tmask[2];     /* the tail's bytes, and which are its */
    uint32_t ntail;
    bool pair;                      /* two amounts, of a currency of two decimals (like_pair) */
    lic_sale_line line;             /* what it read as, amounts 0 */
    char text[LIKE_BYTES + 8];      /* its bytes, a NUL over each separator */
    const char *xs[LIKE_LEAD];      /* its x_ values, in text */
    bool on;                        /* a pattern is set */
    bool hit;                       /* a row was like it */
    bool last;                      /* the last line given was its row or like it */
    size_t lines;                   /* lines read as like the last (tests) */
    unsigned wait, backoff;         /* lines before the next pattern; the wait after the next miss */
} like_side;

struct lic_sales_reader {
    lic__csv *csv;
    FILE *own;                      /* opened by lic_sales_reader_open */
    ld_ctx c;                       /* messages: file, diags, key path; the agreement */
    lic_arena arena;                /* the file name, the x_ column names */
    const char **xname;             /* x_ columns: names ... */
    size_t *xidx;                   /* ... and indexes in a row */
    size_t nx;
    int header_line;
    lic__csv_cells view;            /* the current row (view.n == 0: none), its offset too */
    const lic__csv_field *row;      /* its fields, once a line needs them (row_fields), or NULL */
    lic_ynode cells[LIC__SALE_NCOLS];
    lic_ynode where;                /* the current row's position */
    lic__sale_memo memo;            /* lic__sale_line_read's, from line to line */
    lic_err fatal;                  /* sticky error */
    bool fast;                      /* try fast_line first (the default) */
    size_t quick_n;                 /* cells of a row that may be a fast line here: see set_quick */
    line_shape shape;               /* for fast_line, set with the header */
    seen_cache seen;                /* this thread's (fast_line) */
    like_side like;                 /* the last pattern (like_line) */
    bool at_like;                   /* the current line was like it: no cells in view */
    bool xs_same;                   /* lic_sales_reader_xcols_same */
    ahead_side *ahead;              /* fast_line on the thread reading ahead, or NULL */
    lic__sales_lazy *lazy;          /* a lazy part's numbering (sales_part.c), or NULL */
};

static const int required[] = {LIC__COL_PERIOD, LIC__COL_COUNTRY, LIC__COL_GROSS,
                               LIC__COL_CURRENCY};

static void report(lic_sales_reader *r, int line, int col, const char *path, const char *fmt, ...)
    LIC_PRINTF(5, 6);

static void report(lic_sales_reader *r, int line, int col, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lic_err rc = lic_diags_addv(r->c.diags, LIC_SEV_ERROR, r->c.file, line, col, "error", path,
                                fmt, ap);
    va_end(ap);
    if (rc)
        r->c.oom = rc;
}

/* The tokenizer's error as a diagnostic; it becomes the reader's. */
static lic_err csv_failed(lic_sales_reader *r, lic_err rc)
{
    int line, col;
    const char *msg = lic__csv_error(r->csv, &line, &col);
    lic_err rc2 = lic_diags_add(r->c.diags, LIC_SEV_ERROR, r->c.file, line, col,
                                rc == LIC_EIO ? "io" : "csv", "", "%s", msg);
    r->fatal = rc2 ? rc2 : rc;
    return r->fatal;
}

/* ---- the header ---- */

static int known_column(const char *name)
{
    for (int k = 0; k < LIC__SALE_NCOLS; k++)
        if (!strcmp(name, lic__sale_cols[k]))
            return k;
    return -1;
}

static bool is_xcol(const lic__csv_field *f)
{
    return f->len > 2 && f->s[0] == 'x' && f->s[1] == '_';
}

static void unknown_column(lic_sales_reader *r, const lic__csv_field *f)
{
    const char *hint = ld_suggest(f->s, lic__sale_cols);
    int len = f->len > 60 ? 60 : (int)f->len;
    if (hint)
        report(r, f->line, f->col, "", "unknown column \"%.*s\" (did you mean \"%s\"? names of your own start with x_)",
               len, f->s, hint);
    else
        report(r, f->line, f->col, "",
               "unknown column \"%.*s\" (expected period, date, product, country, field, units, "
               "gross_sales, deductions, currency, third_party_royalties, fx_rate, or a name starting with x_)",
               len, f->s);
}

/* The index of an earlier header cell equal to f, or -1. */
static int earlier(const lic__csv_field *hdr, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (hdr[j].len == hdr[i].len && !memcmp(hdr[j].s, hdr[i].s, hdr[i].len))
            return (int)j;
    return -1;
}

/* One header cell: a FORMAT 4 column, an x_ column, or an error. */
static void header_cell(lic_sales_reader *r, const lic__csv_field *hdr, size_t i)
{
    const lic__csv_field *f = &hdr[i];
    int dup = earlier(hdr, i), k = known_column(f->s);
    if (f->len == 0)
        report(r, f->line, f->col, "", "empty column name (each column of the header needs a name)");
    else if (dup >= 0)
        report(r, f->line, f->col, "", "duplicate column \"%.*s\" (first at column %d)",
               f->len > 60 ? 60 : (int)f->len, f->s, hdr[dup].col);
    else if (k >= 0)
        r->shape.colof[k] = (int)i;
    else if (is_xcol(f)) {
        r->xname[r->nx] = lic__arena_strndup(&r->arena, f->s, f->len);
        r->xidx[r->nx++] = i;
        if (!r->xname[r->nx - 1])
            r->c.oom = LIC_ENOMEM;
    } else
        unknown_column(r, f);
}

/* Required columns, and field when the agreement has several. */
static void header_complete(lic_sales_reader *r, const lic__csv_field *hdr)
{
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (r->shape.colof[required[i]] < 0)
            report(r, hdr[0].line, 1, "",
                   "missing required column \"%s\" (FORMAT 4 requires period, country, gross_sales and currency)",
                   lic__sale_cols[required[i]]);
    if (r->shape.colof[LIC__COL_FIELD] < 0 && lic_fieldtree_count(r->c.a->fields) > 0 &&
        (r->memo.only_field = lic__only_field(r->c.a)) < 0)
        report(r, hdr[0].line, 1, "",
               "missing column \"field\" (the agreement has several fields, so each line names one)");
}

static lic_err read_header(lic_sales_reader *r)
{
    const lic__csv_field *hdr;
    size_t n;
    lic_err rc = lic__csv_next(r->csv, &hdr, &n);
    if (rc)
        return csv_failed(r, rc);
    if (n == 0 || (n == 1 && hdr[0].len == 0 && !hdr[0].quoted)) {
        report(r, n ? hdr[0].line : 1, 1, "",
               "expected a header row naming the columns, like period,country,gross_sales,currency; got %s",
               n ? "a blank line" : "an empty file");
        return r->c.oom ? r->c.oom : LIC_EINVALID;
    }
    r->xname = lic__arena_alloc(&r->arena, n * sizeof *r->xname);
    r->xidx = lic__arena_alloc(&r->arena, n * sizeof *r->xidx);
    if (!r->xname || !r->xidx)
        return LIC_ENOMEM;
    size_t before = r->c.diags->nerrors;
    r->shape.ncols = n;
    r->header_line = hdr[0].line;
    for (size_t i = 0; i < n; i++)
        header_cell(r, hdr, i);
    header_complete(r, hdr);
    if (r->c.oom)
        return r->c.oom;
    return r->c.diags->nerrors == before ? LIC_OK : LIC_EINVALID;
}

/* ---- opening ---- */

/* What fast_texts and fast_amounts may skip, from the header's columns. */
static void set_plan(line_shape *h)
{
    const int *c = h->colof;
    h->texts = c[LIC__COL_PERIOD] >= 0 && c[LIC__COL_COUNTRY] >= 0 && c[LIC__COL_CURRENCY] >= 0;
    h->extras = c[LIC__COL_TPR] >= 0 || c[LIC__COL_UNITS] >= 0 || c[LIC__COL_FX_RATE] >= 0 ||
                c[LIC__COL_PRODUCT] >= 0;
}

/* Which cells of a line like the last may differ (see "lines like the
 * last"): the amount columns, when they are side by side, and the
 * country before them.  nvar stays 0 for any other header, and where
 * the machine is not little-endian (the pattern is compared as words). */
static void like_plan(lic_sales_reader *r)
{
    static const int amounts[] = {LIC__COL_GROSS, LIC__COL_DEDUCTIONS, LIC__COL_TPR};
    static const size_t at[] = {offsetof(lic_sale_line, gross), offsetof(lic_sale_line, deductions),
                                offsetof(lic_sale_line, third_party_royalties)};
    like_side *L = &r->like;
    const int *c = r->shape.colof;
    int lo = INT_MAX, hi = -1, n = 0;
    for (int i = 0; i < 3; i++)
        if (c[amounts[i]] >= 0) {
            lo = c[amounts[i]] < lo ? c[amounts[i]] : lo;
            hi = c[amounts[i]] > hi ? c[amounts[i]] : hi;
            n++;
        }
#if !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
    n = 0;
#endif
    if (!n || hi - lo + 1 != n || !r->shape.texts || r->shape.ncols > LIKE_LEAD)
        return;
    for (int i = 0; i < 3; i++)
        if (c[amounts[i]] >= 0)
            L->at[c[amounts[i]] - lo] = at[i];
    L->v0 = (uint32_t)lo;
    L->nvar = (uint32_t)n;
    L->gross = (uint32_t)(c[LIC__COL_GROSS] - lo);
    L->country = c[LIC__COL_COUNTRY] < lo ? c[LIC__COL_COUNTRY] : -1;
}

lic_err lic__sales_reader_open_csv(const lic_agreement *a, lic__csv *csv, const char *name,
                                   lic_diags *diags, lic_sales_reader **out)
{
    *out = NULL;
    lic_sales_reader *r = lic__calloc(1, sizeof *r);
    if (!r) {
        lic__csv_free(csv);
        return LIC_ENOMEM;
    }
    r->csv = csv;
    lic__arena_init(&r->arena);
    /* The readers only read the agreement (see events_int.h). */
    r->c = (ld_ctx){.a = (lic_agreement *)a, .arena = &r->arena, .diags = diags,
                    .file = lic__arena_strdup(&r->arena, name),
                    .digits = a->currency ? a->currency->digits : 2};
    lic__sale_memo_init(&r->memo, true);
    for (int k = 0; k < LIC__SALE_NCOLS; k++) {
        r->shape.colof[k] = -1;
        r->cells[k].type = LIC_Y_SCALAR;
    }
    lic_err rc = r->c.file ? read_header(r) : LIC_ENOMEM;
    if (rc) {
        lic_sales_reader_free(r);
        return rc;
    }
    /* Without a field column every line takes the agreement's only field
     * (read_header found it) or none (an empty tree). */
    r->shape.no_field = lic_fieldtree_count(a->fields) > 0 ? r->memo.only_field : -1;
    set_plan(&r->shape);
    like_plan(r);
    for (int k = 0; k < NSEEN; k++)
        r->seen.last[k] = &no_slot;
    lic__sales_reader_set_fast(r, true);
    *out = r;
    return LIC_OK;
}

lic_err lic_sales_reader_open_file(const lic_agreement *a, FILE *f, const char *name,
                                   lic_diags *diags, lic_sales_reader **out)
{
    lic__csv *csv;
    *out = NULL;
    lic_err rc = lic__csv_open(f, &csv);
    return rc ? rc : lic__sales_reader_open_csv(a, csv, name, diags, out);
}

lic_err lic_sales_reader_open_mem(const lic_agreement *a, const char *name, const char *data,
                                  size_t len, lic_diags *diags, lic_sales_reader **out)
{
    lic__csv *csv;
    *out = NULL;
    lic_err rc = lic__csv_open_mem(data, len, 0, &csv);
    return rc ? rc : lic__sales_reader_open_csv(a, csv, name, diags, out);
}

FILE *lic__sales_open_or_report(const char *path, lic_diags *diags, lic_err *rc)
{
    FILE *f = fopen(path, "rb");
    if (f)
        return f;
    char why[128] = "";
    if (strerror_r(errno, why, sizeof why))
        why[0] = '\0';
    *rc = lic_diags_add(diags, LIC_SEV_ERROR, path, 0, 0, "io", "", "cannot read the file%s%s",
                        why[0] ? ": " : "", why);
    if (!*rc)
        *rc = LIC_EIO;
    return NULL;
}

lic_err lic_sales_reader_open(const lic_agreement *a, const char *path, lic_diags *diags,
                              lic_sales_reader **out)
{
    lic_err rc = LIC_OK;
    *out = NULL;
    FILE *f = lic__sales_open_or_report(path, diags, &rc);
    if (!f)
        return rc;
    rc = lic_sales_reader_open_file(a, f, path, diags, out);
    if (rc)
        fclose(f);
    else
        (*out)->own = f;
    return rc;
}

FILE *lic__sales_reader_file(lic_sales_reader *r)
{
    return r->own;
}

lic_err lic__sales_reader_resume(lic_sales_reader *r, uint64_t start, int line)
{
    lic__csv *csv;
    if (fseeko(r->own, (off_t)start, SEEK_SET))
        return LIC_EIO;
    lic_err rc = lic__csv_open(r->own, &csv);
    if (rc)
        return rc;
    lic__csv_resume(csv, start, line);
    lic__csv_free(r->csv);
    r->csv = csv;
    return LIC_OK;
}

lic_err lic__sales_reader_set_lazy(lic_sales_reader *r, uint64_t start)
{
    r->lazy = lic__arena_alloc(&r->arena, sizeof *r->lazy);
    if (!r->lazy)
        return LIC_ENOMEM;
    *r->lazy = (lic__sales_lazy){.fd = fileno(r->own), .start = start};
    return LIC_OK;
}

uint64_t lic_sales_reader_offset(const lic_sales_reader *r)
{
    return r->view.n ? r->view.off : lic__csv_offset(r->csv);
}

void lic_sales_reader_free(lic_sales_reader *r)
{
    if (!r)
        return;
    lic__csv_free(r->csv); /* first: it stops the thread that uses r->ahead */
    ahead_free(r->ahead);
    if (r->own)
        fclose(r->own);
    lic__arena_fini(&r->arena);
    lic__free(r);
}

/* ---- rows ---- */

/* A row's width must be the header's. */
static bool width_ok(lic_sales_reader *r, const lic__csv_field *row, size_t n)
{
    if (n == r->shape.ncols)
        return true;
    const lic__csv_field *at = n > r->shape.ncols ? &row[r->shape.ncols] : &row[0];
    report(r, at->line, n > r->shape.ncols ? at->col : 1, "",
           "expected %zu values (one per column of the header), got %zu", r->shape.ncols, n);
    return false;
}

/* An empty cell where a value is needed. */
static bool empty_ok(lic_sales_reader *r, int k, const lic__csv_field *f)
{
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (required[i] == k) {
            report(r, f->line, f->col, lic__sale_cols[k], "required, but the cell is empty");
            return false;
        }
    if (k == LIC__COL_FIELD && r->memo.only_field == LIC__ONLY_FIELD_UNKNOWN)
        r->memo.only_field = lic__only_field(r->c.a);
    if (k == LIC__COL_FIELD && r->memo.only_field < 0 && lic_fieldtree_count(r->c.a->fields) > 0) {
        report(r, f->line, f->col, lic__sale_cols[k],
               "the cell is empty, but the agreement has several fields (name one of them)");
        return false;
    }
    return true;
}

/* The row's cells as nodes for lic__sale_line_read; false after an error. */
static bool make_cells(lic_sales_reader *r, const lic_ynode *cells[LIC__SALE_NCOLS])
{
    bool ok = true;
    for (int k = 0; k < LIC__SALE_NCOLS; k++) {
        cells[k] = NULL;
        if (r->shape.colof[k] < 0)
            continue;
        const lic__csv_field *f = &r->row[r->shape.colof[k]];
        if (f->len == 0) {
            ok &= empty_ok(r, k, f);
            continue;
        }
        lic_ynode *n = &r->cells[k]; /* type LIC_Y_SCALAR and no children, from the start */
        n->line = f->line;
        n->col = f->col;
        n->plain = !f->quoted;
        n->text = f->s;
        n->len = f->len;
        cells[k] = n;
    }
    return ok;
}

#define ROW_BLANK 2

/* What lic__csv_next_cells gave (rc, and r->view): 1 a row, ROW_BLANK a
 * blank one, 0 the end, or a negative error. */
static int row_got(lic_sales_reader *r, lic_err rc)
{
    r->row = r->view.fields;
    if (rc) {
        r->view.n = 0;
        return -(int)csv_failed(r, rc);
    }
    if (r->view.n == 0)
        return 0;
    /* a row of one empty value is blank unless quoted ("") */
    if (r->view.n > 1 || r->view.span[0].end > r->view.span[0].off || (r->row && r->row[0].quoted))
        return 1;
    return ROW_BLANK;
}

/* The next row that is not blank; 0 at the end, or a negative error.
 * As cells (csv.h): a plain line needs only its values, and its fields
 * are written only for a line that needs their positions (row_fields). */
static int next_row(lic_sales_reader *r)
{
    for (;;) {
        int got = row_got(r, lic__csv_next_cells(r->csv, &r->view));
        if (got != ROW_BLANK)
            return got;
    }
}

/* The current row's fields (for messages: their lines and columns). */
static const lic__csv_field *row_fields(lic_sales_reader *r)
{
    if (!r->row)
        r->row = lic__csv_cell_fields(r->csv, &r->view);
    return r->row;
}

/* ---- the fast line ----
 * Most lines of a report are plain: every cell filled, amounts of a few
 * digits, and a period, country, field and currency seen on earlier
 * lines.  fast_line takes such a line without lic__sale_line_read, whose
 * general readers cost several times more than the line's bytes: the
 * texts of those columns that read well on an earlier line (through
 * lic__sale_line_read) are kept with their values in seen[], and amounts
 * and units of the plain shapes are parsed here.  It takes a line only
 * when lic__sale_line_read would take it with the same result; any other
 * line (a text not seen yet, an empty required cell, an amount of
 * another shape, anything wrong) goes to lic__sale_line_read, so every
 * message stays its own.  The fuzzer compares both ways on every input. */

/* The fast line's few hot functions are ALWAYS_INLINE (inline.h): one
 * call per line, not four (their calls' register saving was a tenth of
 * the line's cost). */

/* A value as the fast line reads it: a row's cell (text_of), or a kept
 * text. */
typedef struct cell_text {
    const char *s; /* 8 bytes readable, as csv.h promises for a value */
    size_t len;
} cell_text;

/* Cell i of row. */
static inline cell_text text_of(const lic__csv_cells *row, int i)
{
    return (cell_text){row->at + row->span[i].off, row->span[i].end - row->span[i].off};
}

/* A text's key: its first 8 bytes (only its own, zero-padded), its
 * bytes 8 to 16 when it is longer than 16 (0 otherwise) and its last 8
 * when it is longer than 8 (0 otherwise): the whole text up to 24 bytes.
 * Reads 8 bytes at s however short the text: csv.h says they are
 * readable. */
static inline text_key key_of(const char *s, size_t len)
{
    text_key k;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w = load8(s);
    k.head = len >= 8 ? w : w & ((UINT64_C(1) << (8 * len)) - 1);
#else
    uint64_t w = 0;
    memcpy(&w, s, len < 8 ? len : 8);
    k.head = w;
#endif
    k.mid = len > 16 ? load8(s + 8) : 0;
    k.tail = len > 8 ? load8(s + len - 8) : 0;
    return k;
}

/* Slot s holds the text f of key k. */
static inline bool same_key(const fast_slot *s, const cell_text *f, text_key k)
{
    return s->len == f->len && s->key.head == k.head && s->key.tail == k.tail &&
           s->key.mid == k.mid && (f->len <= 24 || !memcmp(s->text + 16, f->s + 16, f->len - 24));
}

/* A key's bucket: SEEN_WAYS slots from i, so that a few texts of one
 * hash do not push each other out on every line. */
static inline size_t seen_hash(text_key k, size_t len)
{
    uint64_t h = (k.head ^ (k.tail * UINT64_C(0x9E3779B97F4A7C15)) ^ k.mid ^ len) *
                 UINT64_C(0xFF51AFD7ED558CCD);
    return (size_t)(h >> (64 - SEEN_BITS)) & ~(size_t)(SEEN_WAYS - 1);
}

/* The slot of cell f of column seen_col[k], or NULL. */
static const fast_slot *seen_find(seen_cache *c, int k, const cell_text *f)
{
    text_key key = key_of(f->s, f->len);
    const fast_slot *s = &c->slot[k][seen_hash(key, f->len)];
    for (int w = 0; w < SEEN_WAYS; w++, s++)
        if (same_key(s, f, key))
            return s;
    return NULL;
}

/* The first 8 bytes of a text that is not empty, only its own (as
 * key_of's head where the machine is little-endian). */
static inline uint64_t head_of(const cell_text *f)
{
    uint64_t head = load8(f->s); /* csv.h makes 8 bytes readable */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (f->len < 8)
        head &= ~UINT64_C(0) >> (64 - 8 * f->len);
#else
    if (f->len < 8) {
        head = 0;
        memcpy(&head, f->s, f->len);
    }
#endif
    return head;
}

/* Whether slot s holds the text f (not empty): same_key without
 * building a key (the slot's head_mask keeps only the text's own bytes of
 * the word at f->s), inline in fast_texts, where a call per cell was a
 * fifth of the cost.  A slot with len 0 (no_slot) holds none. */
static ALWAYS_INLINE bool holds_text(const fast_slot *s, const cell_text *f)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    size_t n = f->len;
    /* csv.h makes 8 bytes readable at a value however short */
    if (s->len != n || (load8(f->s) & s->head_mask) != s->key.head)
        return false;
    if (n <= 8)
        return true;
    if (load8(f->s + n - 8) != s->key.tail)
        return false;
    if (n <= 16)
        return true;
    if (load8(f->s + 8) != s->key.mid)
        return false;
    return n <= 24 || !memcmp(s->text + 16, f->s + 16, n - 24);
#else
    return s->len && same_key(s, f, key_of(f->s, f->len));
#endif
}

/* seen_recall when neither the last line's nor a recent slot holds f,
 * whose recent slot is *recent: seen_find's, which becomes the recent one
 * and the column's last.  Out of line: it is rare.  (f by value: a
 * pointer would keep every cell's text in memory.) */
static const fast_slot *recall_found(seen_cache *c, int k, cell_text f, const fast_slot **recent)
{
    const fast_slot *s = seen_find(c, k, &f);
    if (s)
        *recent = c->last[k] = s;
    return s;
}

/* A two-byte text's key in seen_cache.two_key: its bytes, as one load
 * gives them, and TWO_HELD, which tells a kept text from an empty place
 * whatever the bytes. */
#define TWO_HELD UINT32_C(0x10000)
static inline uint32_t two_key(const char *s)
{
    uint16_t b;
    memcpy(&b, s, 2);
    return b | TWO_HELD;
}

/* A two-byte text's place in seen_cache.two_key: the low five bits of
 * each byte, which tell the letters A to Z apart (the key then tells "jp"
 * from "JP", which has its place). */
static inline size_t two_index(uint32_t key)
{
    return (size_t)(key & 31) << 5 | ((key >> 8) & 31);
}

/* The country of a two-byte cell f, through seen_find when its place i
 * does not hold it (the place then does); false when f is not kept.  Out
 * of line: it is rare. */
static bool two_found(seen_cache *c, cell_text f, size_t i, int *country)
{
    const fast_slot *s = seen_find(c, SEEN_COUNTRY, &f);
    if (!s)
        return false;
    c->two_key[i] = two_key(f.s);
    *country = c->two_country[i] = s->v.country;
    return true;
}

/* The slot of cell f (not empty) of column seen_col[k], or NULL: the
 * last line's, else a recent one (by a hash of the text's first 8
 * bytes), else recall_found's. */
static ALWAYS_INLINE const fast_slot *seen_recall(seen_cache *c, int k, const cell_text *f)
{
    const fast_slot *s = c->last[k];
    if (holds_text(s, f))
        return s;
    size_t h = (size_t)(((head_of(f) ^ f->len) * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - RECENT_BITS));
    s = c->recent[k][h];
    if (s && holds_text(s, f))
        return c->last[k] = s;
    return recall_found(c, k, *f, &c->recent[k][h]);
}

/* country_recall for a country not of two bytes (rare: out of line). */
static bool country_other(seen_cache *c, cell_text f, int *country)
{
    const fast_slot *s = seen_recall(c, SEEN_COUNTRY, &f);
    if (s)
        *country = s->v.country;
    return s != NULL;
}

/* The country of cell f (not empty), recalled: false when not kept.  A
 * text of two bytes by its place in c->two_key; any other as seen_recall
 * finds it. */
static ALWAYS_INLINE bool country_recall(seen_cache *c, const cell_text *f, int *country)
{
    if (f->len != 2)
        return country_other(c, *f, country);
    uint32_t key = two_key(f->s);
    size_t i = two_index(key);
    if (c->two_key[i] != key)
        return two_found(c, *f, i, country);
    *country = c->two_country[i];
    return true;
}

/* Puts slot v (column k) into c, unless c has its text already; whether
 * it was new. */
static bool seen_put(seen_cache *c, int k, const fast_slot *v)
{
    const cell_text f = {.s = v->text, .len = v->len};
    if (seen_find(c, k, &f))
        return false;
    fast_slot *b = &c->slot[k][seen_hash(v->key, v->len)], *s = b;
    while (s->len && s < b + SEEN_WAYS - 1)
        s++;
    if (s->len) /* a full bucket: the slots take turns to go */
        s = b + (c->victim++ & (SEEN_WAYS - 1));
    *s = *v;
    return true;
}

/* The slot for the text of cell f (column seen_col[k]) of line l, which
 * read well; false when the text is not kept (empty or too long). */
static bool seen_slot(int k, const cell_text *f, const lic_sale_line *l, fast_slot *s)
{
    if (f->len == 0 || f->len > SEEN_TEXT)
        return false;
    /* zeroed whole: the text's bytes past its length make the key */
    memset(s, 0, sizeof *s);
    memcpy(s->text, f->s, f->len);
    s->key = key_of(s->text, f->len);
    s->head_mask = f->len >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * f->len)) - 1;
    s->len = (unsigned char)f->len;
    switch (k) {
    case SEEN_PERIOD:
        s->v.period = l->period;
        s->first = lic_period_first(l->period);
        s->last = lic_period_last(l->period);
        break;
    case SEEN_DATE: s->v.date = l->date; break;
    case SEEN_COUNTRY: s->v.country = l->country; break;
    case SEEN_FIELD: s->v.field = l->field; break;
    default: s->v.currency = l->currency; break;
    }
    return true;
}

/* The amount in cell f (not empty) for a currency of d decimals:
 * cents_amount inline for the common shape, else plain_amount. */
static inline bool amount_cell(const cell_text *f, int d, lic_amount *out)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (d == 2 && cents_amount(f->s, f->len, out))
        return true;
#endif
    return plain_amount(f->s, f->len, d, out);
}

/* Cell k (a FORMAT 4 column) of row into *t; false when the header has
 * no such column or the cell is empty (a value not given). */
static inline bool cell(const line_shape *h, const lic__csv_cells *row, int k, cell_text *t)
{
    int i = h->colof[k];
    if (i < 0)
        return false;
    *t = text_of(row, i);
    return t->len > 0;
}

/* The slot of the text in cell `col` of row, column seen_col[k]:
 * NULL when the cell is empty or its text not seen (see seen_recall). */
static ALWAYS_INLINE const fast_slot *text_at(seen_cache *c, int k, const lic__csv_cells *row, int col)
{
    cell_text f = text_of(row, col);
    return f.len ? seen_recall(c, k, &f) : NULL;
}

/* The first half of fast_line: the texts of row, as wide as the header,
 * whose texts' columns are all there (h->texts: the caller checks both),
 * recalled from c, into l.  Reads only h, c and the row, so that it may run on the
 * thread reading ahead (with that thread's c).  Period, country and
 * currency are required (an empty cell is for lic__sale_line_read to
 * judge), and so is the field when the header has a field column; an
 * empty date is no date. */
static ALWAYS_INLINE bool fast_texts(const line_shape *h, seen_cache *c, const lic__csv_cells *cells,
                                  lic_sale_line *l)
{
    /* a copy, which the cache's stores cannot change: its place and spans
     * stay in registers */
    const lic__csv_cells view = *cells, *row = &view;
    const int *col = h->colof;
    /* l member by member, each as soon as it is known (a compound literal
     * was built zeroed on the stack, then copied; values kept for the end
     * went to the stack): a line refused midway is left half written,
     * which every caller then writes whole (slow_line, ahead_row) */
    l->pos = (lic_pos){row->line, 1};
    const fast_slot *period = text_at(c, SEEN_PERIOD, row, col[LIC__COL_PERIOD]);
    if (!period)
        return false;
    l->period = period->v.period;
    cell_text ct = text_of(row, col[LIC__COL_COUNTRY]);
    if (!ct.len || !country_recall(c, &ct, &l->country))
        return false;
    const fast_slot *currency = text_at(c, SEEN_CURRENCY, row, col[LIC__COL_CURRENCY]);
    if (!currency)
        return false;
    l->currency = currency->v.currency;
    if (col[LIC__COL_FIELD] >= 0) {
        const fast_slot *fs = text_at(c, SEEN_FIELD, row, col[LIC__COL_FIELD]);
        if (!fs)
            return false;
        l->field = fs->v.field;
    } else {
        l->field = h->no_field;
    }
    l->date = LIC_DATE_NONE;
    cell_text dt;
    if (cell(h, row, LIC__COL_DATE, &dt)) {
        const fast_slot *ds = seen_recall(c, SEEN_DATE, &dt);
        if (!ds || ds->v.date < period->first || ds->v.date > period->last)
            return false;
        l->date = ds->v.date;
    }
    l->product = NULL;
    l->units = 0;
    l->gross = l->deductions = l->third_party_royalties = 0;
    l->fx_rate = 0;
    return true;
}

/* The second half: amounts, units, the rate and the product of row, into
 * l (which fast_texts filled from the same row).  The thread reading
 * ahead leaves it to the caller's thread, which has less to do. */
static ALWAYS_INLINE bool fast_amounts(const line_shape *h, const lic__csv_cells *cells, lic_sale_line *l)
{
    const lic__csv_cells view = *cells, *row = &view; /* as fast_texts */
    int d = l->currency->digits;
    /* gross_sales is a column of every header that read well (required[]) */
    cell_text f = text_of(row, h->colof[LIC__COL_GROSS]);
    if (!f.len || !amount_cell(&f, d, &l->gross))
        return false;
    if (USUALLY(cell(h, row, LIC__COL_DEDUCTIONS, &f)) && !amount_cell(&f, d, &l->deductions))
        return false;
    if (!h->extras) /* most reports: no column below */
        return true;
    if (cell(h, row, LIC__COL_TPR, &f) && !plain_amount(f.s, f.len, d, &l->third_party_royalties))
        return false;
    if (cell(h, row, LIC__COL_UNITS, &f) && !lic__sales_plain_units(f.s, f.len, &l->units))
        return false;
    if (cell(h, row, LIC__COL_FX_RATE, &f) && (lic_rate_parse(f.s, f.len, &l->fx_rate) || l->fx_rate <= 0))
        return false;
    if (cell(h, row, LIC__COL_PRODUCT, &f))
        l->product = f.s; /* as ld_string: a CSV value holds no NUL */
    return true;
}

/* Row as a line if it is plain (see above); false leaves it to
 * lic__sale_line_read. */
static ALWAYS_INLINE bool fast_line(const line_shape *h, seen_cache *c, const lic__csv_cells *row,
                             lic_sale_line *l)
{
    return fast_texts(h, c, row, l) && fast_amounts(h, row, l);
}

/* ---- the fast line on the thread reading ahead ----
 * lic_sales_reader_read_ahead runs fast_texts on the tokenizer's thread
 * (lic__csv_read_ahead_rows), with a cache of its own, and leaves the
 * line so far in the row's slot; the caller's thread finishes it with
 * fast_amounts (which balances the two threads' work), and only rows
 * that either half refused reach lic__sale_line_read on the caller's
 * thread, in order, as without the thread.  When the caller is about to
 * wait for rows, the thread leaves their texts to it too (csv.h, "unless
 * always"): its fast_line recalls them from its own cache.  The thread's
 * cache learns what the caller's lic__sale_line_read read well through a
 * small queue (texts are only ever added to a cache after they read well,
 * so a line fast_line takes from either cache is the line
 * lic__sale_line_read would give); a full queue loses texts, which only
 * costs time. */
#define LEARN_MAX 256 /* texts waiting for the thread: a report's first lines may bring many */

typedef struct learned {
    int k;                          /* the column, as seen[] */
    fast_slot s;
} learned;

struct ahead_side {
    line_shape shape;               /* a copy: the caller's reader is not read */
    seen_cache seen;                /* the thread's own */
    pthread_mutex_t mu;             /* guards q and nq */
    atomic_bool pending;            /* q holds texts (a hint read without mu) */
    learned q[LEARN_MAX];
    size_t nq;
    lic__csv_span *span;            /* shape.ncols: a row as cells for fast_texts */
};

/* What the thread leaves with a row. */
typedef struct ahead_slot {
    bool fast;                      /* l holds what fast_texts read */
    lic_sale_line l;
} ahead_slot;

/* The row function, on the thread: new texts first, then the line. */
static void ahead_row(void *ctx, const lic__csv_field *fields, size_t n, void *slot)
{
    ahead_side *A = ctx;
    ahead_slot *out = slot;
    if (atomic_load_explicit(&A->pending, memory_order_relaxed)) {
        pthread_mutex_lock(&A->mu);
        for (size_t i = 0; i < A->nq; i++)
            seen_put(&A->seen, A->q[i].k, &A->q[i].s);
        A->nq = 0;
        atomic_store_explicit(&A->pending, false, memory_order_relaxed);
        pthread_mutex_unlock(&A->mu);
    }
    /* the row as cells (the thread's rows come as fields): only one as
     * wide as the header can be fast */
    out->fast = false;
    if (n != A->shape.ncols || !A->shape.texts)
        return;
    lic__csv_cells row = {0};
    lic__csv_cells_of_fields(fields, n, A->span, &row);
    out->fast = fast_texts(&A->shape, &A->seen, &row, &out->l);
}

/* After lic__sale_line_read took line l: its texts, for fast_line (this
 * thread's cache, and the reading thread's when there is one). */
static void keep_seen(lic_sales_reader *r, const lic_sale_line *l)
{
    ahead_side *A = r->ahead;
    if (A)
        pthread_mutex_lock(&A->mu);
    for (int k = 0; k < NSEEN; k++) {
        cell_text f;
        fast_slot s;
        if (!cell(&r->shape, &r->view, seen_col[k], &f) || !seen_slot(k, &f, l, &s))
            continue;
        if (seen_put(&r->seen, k, &s) && A && A->nq < LEARN_MAX)
            A->q[A->nq++] = (learned){k, s};
    }
    if (A) {
        atomic_store_explicit(&A->pending, A->nq > 0, memory_order_relaxed);
        pthread_mutex_unlock(&A->mu);
    }
}

static void ahead_free(ahead_side *A)
{
    if (!A)
        return;
    pthread_mutex_destroy(&A->mu);
    lic__free(A->span);
    lic__free(A);
}

/* ---- lines like the last ----
 * A sorted report's lines repeat one another but for the country and
 * the amounts: the same agreement, period, field and currency.  A line
 * that read well the usual way, when the last pattern was not like it,
 * becomes the pattern (like_learn): its bytes, kept as words.  The next
 * row is like it (like_line) when, read straight from the tokenizer's
 * buffer (lic__csv_peek), its bytes before the amount cells (the lead)
 * are the pattern's but for the country's two, which name a country
 * seen before; its amount cells, each up to the next separator, read as
 * amounts; and the bytes after them (the tail, its LF included) are the
 * pattern's.  Such a row is a common row (one line, unquoted, ASCII,
 * the header's width: the pattern's separators and bytes, and amounts
 * of digits), and its other cells are the pattern's bytes, so they read
 * as they did: the line is the pattern's with the row's country and
 * amounts, taken without finding its cells (lic__csv_skip_row).  Its
 * x_ values are the pattern's (at_like).  Any other row is read the
 * usual way, nothing taken; the tests and the fuzzer compare both ways.
 * A pattern that no row follows costs a compare and a new pattern a
 * line: after one that missed at once the reader waits ever longer, up
 * to LIKE_WAIT_MAX lines, before it makes the next. */
#define LIKE_WAIT_MAX 1024
/* bytes read of a row: the longest pattern and 16 past it, which may be
 * lic__csv_peek's pad */
#define LIKE_READ (LIKE_BYTES + 16)
_Static_assert(LIKE_READ - LIC_CSV_PEEK_PAD > 0, "a row of at least one byte");

/* The amount of line l at byte offset `at` (like_side.at: gross,
 * deductions or third-party royalties). */
static inline lic_amount *amount_slot(lic_sale_line *l, size_t at)
{
    return (lic_amount *)(void *)((char *)l + at);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Whether the row at p repeats the pattern's lead (but its free bytes),
 * a word at a time (16 bytes at a time with SSE2 cost more: the lead
 * is a few words). */
static ALWAYS_INLINE bool lead_is(const like_side *L, const char *p)
{
    uint64_t diff = 0;
#define LEAD_WORD(k) diff |= (load8(p + 8 * (k)) ^ L->word[k]) & L->mask[k]
    switch (L->nwords) { /* straight down from the last word: no loop to test */
    case 8: LEAD_WORD(7); /* fall through */
    case 7: LEAD_WORD(6); /* fall through */
    case 6: LEAD_WORD(5); /* fall through */
    case 5: LEAD_WORD(4); /* fall through */
    case 4: LEAD_WORD(3); /* fall through */
    case 3: LEAD_WORD(2); /* fall through */
    case 2: LEAD_WORD(1); /* fall through */
    case 1: LEAD_WORD(0); /* fall through */
    default: break;
    }
#undef LEAD_WORD
    return !diff;
}

/* The amounts of the row at p after its lead into v, as fast_amounts
 * reads them; one past the last one's separator, or NULL. */
static ALWAYS_INLINE const char *like_amounts(const like_side *L, const char *p, lic_amount v[3])
{
    const char *s = p + L->lead;
    int d = L->line.currency->digits;
    for (uint32_t j = 0; j < L->nvar; j++) {
        char sep = L->sep[j];
        size_t n;
        if (d != 2 || !cents_at(s, sep, &n, &v[j])) {
            n = byte_in16(s, (uint64_t)(unsigned char)sep * ONES);
            cell_text f = {s, n};
            if (n == 16 || (n ? !amount_cell(&f, d, &v[j]) : j == L->gross)) /* gross_sales is required */
                return NULL;
        }
        s += n + 1;
        if (s - p > LIKE_BYTES)
            return NULL;
    }
    return s;
}

/* The commonest row's amounts (L->pair): two of the commonest shape
 * (cents_at), read without a loop or a bound to test, as like_amounts
 * reads them; one past the second's separator, or NULL (like_amounts
 * then reads them).  With SSE2 both points are found at once, in the 32
 * bytes after the lead: where the next row starts then waits on one
 * search, not on two in a row (the first amount's length placing the
 * second), and like_run's rows follow each other sooner. */
_Static_assert(LIKE_LEAD + 2 * 11 <= LIKE_BYTES, "two amounts of cents after the longest lead end within a pattern's bytes");
_Static_assert(LIKE_LEAD + 32 <= LIKE_READ, "the 32 bytes after the longest lead are readable");
static ALWAYS_INLINE const char *like_pair(const like_side *L, const char *p, lic_amount v[3])
{
    const char *s = p + L->lead;
    size_t n0, n1;
#if defined(__SSE2__)
    const __m128i dot = _mm_set1_epi8('.');
    uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)s), dot)) |
                 (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(s + 16)), dot)) << 16;
    uint32_t d0 = (uint32_t)__builtin_ctz(m | 1u << 31), d1 = (uint32_t)__builtin_ctz((m & (m - 1)) | 1u << 31);
    if (d0 - 1 > 6 || d1 - d0 - 5 > 6 ||
        !cents_with_dot(s, d0, L->sep[0], &n0, &v[0]) || !cents_with_dot(s + d0 + 4, d1 - d0 - 4, L->sep[1], &n1, &v[1]))
        return NULL;
    return s + d1 + 4;
#else
    if (!cents_at(s, L->sep[0], &n0, &v[0]) || !cents_at(s + n0 + 1, L->sep[1], &n1, &v[1]))
        return NULL;
    return s + n0 + n1 + 2;
#endif
}

/* The row at p (avail bytes of the input there, on line `line`) as a
 * line, if it is like the pattern: its length, LF included, or 0 (then
 * nothing is written). */
static ALWAYS_INLINE size_t like_at(lic_sales_reader *r, const char *p, size_t avail, int line,
                                    lic_sale_line *restrict l)
{
    const like_side *L = &r->like;
    if (avail + LIC_CSV_PEEK_PAD < LIKE_READ)
        return 0;
    int country = L->line.country;
    if (!lead_is(L, p))
        return 0;
    if (L->country_at) {
        cell_text ct = {p + L->country_at - 1, 2};
        if (!country_recall(&r->seen, &ct, &country))
            return 0;
    }
    lic_amount v[3] = {0, 0, 0};
    const char *s = L->pair ? like_pair(L, p, v) : NULL;
    if (!s)
        s = like_amounts(L, p, v);
    if (!s || (((load8(s) ^ L->tail[0]) & L->tmask[0]) | ((load8(s + 8) ^ L->tail[1]) & L->tmask[1])) ||
        (size_t)(s - p) + L->ntail > avail) /* bytes past the input's */
        return 0;
    *l = L->line;
    l->country = country;
    l->pos.line = line;
    if (L->pair) {
        *amount_slot(l, L->at[0]) = v[0];
        *amount_slot(l, L->at[1]) = v[1];
    } else
        for (uint32_t j = 0; j < L->nvar; j++)
            *amount_slot(l, L->at[j]) = v[j];
    return (size_t)(s - p) + L->ntail;
}

/* After k lines like the pattern: its x_ values are the current line's. */
static inline void like_taken(lic_sales_reader *r, size_t k)
{
    r->at_like = true;
    r->xs_same = r->like.last; /* the pattern's x_ values, as the last line's */
    r->like.last = true;
    r->like.hit = true;
    r->like.lines += k;
}

/* The next row as a line, if it is like the pattern (r->like.on). */
static ALWAYS_INLINE bool like_line(lic_sales_reader *r, lic_sale_line *l)
{
    int line;
    uint64_t off;
    size_t avail, len;
    const char *p = lic__csv_peek(r->csv, &avail, &line, &off);
    if (!p || !(len = like_at(r, p, avail, line, l)))
        return false;
    lic__csv_skip_row(r->csv, len);
    r->view.off = off;
    like_taken(r, 1);
    return true;
}

/* Up to max lines like the pattern into l[]: how many. */
static size_t like_run(lic_sales_reader *r, lic_sale_line *restrict l, size_t max)
{
    int line;
    uint64_t off;
    size_t avail, len, used = 0, n = 0;
    const char *p = lic__csv_peek(r->csv, &avail, &line, &off);
    if (!p)
        return 0;
    int step = 1; /* a lazy part's lines: 0 while unnumbered, the file's after */
    if (r->lazy)
        line = lic__sales_lazy_line(r->lazy, line, &step);
    if (max > (size_t)(INT_MAX - line)) /* numbers up to INT_MAX; the usual way numbers the lines after */
        max = (size_t)(INT_MAX - line);
    for (; n < max && (len = like_at(r, p + used, avail - used, line + step * (int)n, &l[n])); n++)
        used += len;
    if (n) {
        lic__csv_skip_rows(r->csv, used, n);
        like_taken(r, n);
    }
    return n;
}
#else
static inline bool like_line(lic_sales_reader *r, lic_sale_line *l)
{
    (void)r;
    (void)l;
    return false; /* like_plan made no line like another */
}
#endif

/* The bytes at b (zero past n) as the word at k, and the mask of those
 * of its bytes that are below n. */
static void like_word(const char *b, uint32_t k, uint32_t n, uint64_t *word, uint64_t *mask)
{
    *word = load8(b + 8 * k);
    *mask = 0;
    for (uint32_t i = 0; i < 8 && 8 * k + i < n; i++)
        *mask |= (uint64_t)0xFF << (8 * i);
}

/* The pattern's words: the lead (but a country of two letters, which
 * is free), the tail. */
static void like_words(like_side *L, const char *b, const lic__csv_cells *c, uint32_t len)
{
    uint32_t t = L->v0 + L->nvar, tail_at = t < c->n ? c->span[t].off : len;
    L->lead = c->span[L->v0].off;
    L->nwords = (L->lead + 7) / 8;
    for (uint32_t k = 0; k < L->nwords; k++)
        like_word(b, k, L->lead, &L->word[k], &L->mask[k]);
    L->country_at = 0;
    if (L->country >= 0 && c->span[L->country].end - c->span[L->country].off == 2) {
        uint32_t o = c->span[L->country].off;
        L->country_at = o + 1;
        for (uint32_t i = o; i < o + 2; i++)
            L->mask[i / 8] &= ~((uint64_t)0xFF << (8 * (i % 8)));
    }
    L->ntail = len - tail_at;
    for (uint32_t j = 0; j < L->nvar; j++) /* the last one ends the row without a tail */
        L->sep[j] = j + 1 < L->nvar || L->ntail ? ',' : '\n';
    like_word(b + tail_at, 0, L->ntail, &L->tail[0], &L->tmask[0]);
    like_word(b + tail_at, 1, L->ntail, &L->tail[1], &L->tmask[1]);
}

/* Makes the current row, whose line l read well the usual way, the
 * pattern; false when it cannot be one: not a common row (cells written
 * as fields), a CR before its LF, a lead or tail too long. */
static bool like_set(lic_sales_reader *r, const lic_sale_line *l)
{
    like_side *L = &r->like;
    const lic__csv_cells *c = &r->view;
    uint64_t len = lic__csv_offset(r->csv) - c->off; /* the row's bytes, its line end included */
    char b[LIKE_BYTES + 16] = {0};                    /* zero past the row: like_word reads words */
    if (c->fields || c->n != r->shape.ncols || len > LIKE_BYTES)
        return false;
    uint32_t at = 0;
    for (size_t i = 0; i < c->n; i++) {
        uint32_t e = c->span[i].end;
        if (c->span[i].off != at || e >= len)
            return false;
        memcpy(b + at, c->at + at, e - at);
        b[e] = i + 1 < c->n ? ',' : '\n';
        at = e + 1;
    }
    uint32_t t = L->v0 + L->nvar;
    if (at != len || c->span[L->v0].off > LIKE_LEAD || (t < c->n && len - c->span[t].off > LIKE_TAIL))
        return false; /* at != len: a CR before the LF */
    like_words(L, b, c, (uint32_t)len);
    memcpy(L->text, b, (size_t)len);
    for (size_t i = 0; i < c->n; i++)
        L->text[c->span[i].end] = '\0';
    for (size_t i = 0; i < r->nx; i++)
        L->xs[i] = L->text + c->span[r->xidx[i]].off;
    L->line = *l;
    for (uint32_t j = 0; j < L->nvar; j++)
        *amount_slot(&L->line, L->at[j]) = 0;
    L->pair = L->nvar == 2 && l->currency->digits == 2;
    int pc = r->shape.colof[LIC__COL_PRODUCT];
    if (pc >= 0)
        L->line.product = c->span[pc].end > c->span[pc].off ? L->text + c->span[pc].off : NULL;
    return true;
}

/* After line l, just read the usual way (`missed`: the pattern was
 * tried on its row): it becomes the pattern, unless the reader waits. */
static NOINLINE void like_learn(lic_sales_reader *r, const lic_sale_line *l, bool missed)
{
    like_side *L = &r->like;
    if (missed) {
        unsigned next = L->backoff ? L->backoff * 2 : 1;
        L->backoff = L->hit ? 0 : next < LIKE_WAIT_MAX ? next : LIKE_WAIT_MAX;
        L->wait = L->backoff;
        L->on = false;
    }
    if (L->wait) {
        L->wait--;
        return;
    }
    L->on = L->last = like_set(r, l);
    L->hit = false;
}

/* r->quick_n: the header's width when fast_line may take a row here
 * (the fast path on, no thread reading ahead, the texts' columns all in
 * the header), else SIZE_MAX, which no row has (the end has 0 values):
 * lic_sales_reader_next tries fast_line on a row of
 * that width after one compare, not five; a row of two values or more is
 * neither the end nor blank (row_got). */
static void set_quick(lic_sales_reader *r)
{
    r->quick_n = r->fast && !r->ahead && r->shape.texts && r->shape.ncols > 1 ? r->shape.ncols : SIZE_MAX;
    if (r->quick_n == SIZE_MAX)
        r->like.on = false; /* only the quick way makes patterns (lic_sales_reader_next) */
}

void lic__sales_reader_set_fast(lic_sales_reader *r, bool on)
{
    r->fast = on;
    set_quick(r);
}

lic_err lic_sales_reader_read_ahead(lic_sales_reader *r)
{
    return lic__sales_reader_read_ahead(r, false);
}

lic_err lic__sales_reader_read_ahead(lic_sales_reader *r, bool always)
{
    if (r->ahead || !r->fast) /* without the fast path the thread has no line to read */
        return r->ahead ? LIC_OK : lic__csv_read_ahead(r->csv);
    ahead_side *A = lic__malloc(sizeof *A);
    lic__csv_span *span = lic__malloc((r->shape.ncols ? r->shape.ncols : 1) * sizeof *span);
    if (!A || !span || pthread_mutex_init(&A->mu, NULL)) {
        lic__free(span);
        lic__free(A);
        return LIC_ENOMEM;
    }
    A->span = span;
    A->shape = r->shape;
    A->seen = r->seen;
    memset(A->seen.recent, 0, sizeof A->seen.recent); /* they point into r->seen */
    for (int k = 0; k < NSEEN; k++)
        A->seen.last[k] = &no_slot;
    atomic_init(&A->pending, false);
    A->nq = 0;
    r->ahead = A;
    const lic__csv_rows rows = {ahead_row, A, sizeof(ahead_slot), always};
    lic_err rc = lic__csv_read_ahead_rows(r->csv, &rows);
    if (rc) { /* the reader reads as before (a tokenizer ahead already has no row function) */
        r->ahead = NULL;
        ahead_free(A);
    }
    set_quick(r);
    return rc;
}

/* The current row's line as fast_line takes it, its texts read on the
 * thread reading ahead or here. */
static bool fast_row(lic_sales_reader *r, lic_sale_line *line)
{
    const ahead_slot *s = r->ahead ? lic__csv_row_slot(r->csv) : NULL;
    if (s && s->fast) {
        *line = s->l;
        return fast_amounts(&r->shape, &r->view, line);
    }
    return r->view.n == r->shape.ncols && r->shape.texts && fast_line(&r->shape, &r->seen, &r->view, line);
}

/* The current row read by lic__sale_line_read, as lic_sales_reader_next
 * returns it.  Out of line: its frame and saved registers would be the
 * fast line's too. */
static NOINLINE int slow_line(lic_sales_reader *r, lic_sale_line *line)
{
    memset(line, 0, sizeof *line);
    size_t before = r->c.diags->nerrors;
    const lic_ynode *cells[LIC__SALE_NCOLS];
    bool ok = width_ok(r, row_fields(r), r->view.n) && make_cells(r, cells);
    r->where = (lic_ynode){.type = LIC_Y_SCALAR, .line = r->view.line, .col = 1};
    ok = ok && lic__sale_line_read(&r->c, cells, &r->where, NULL, &r->memo, line);
    if (r->c.oom) {
        r->fatal = r->c.oom;
        return -(int)r->fatal;
    }
    if (!ok || r->c.diags->nerrors != before)
        return -(int)LIC_EINVALID;
    if (r->fast)
        keep_seen(r, line);
    return 1;
}

static int reader_next(lic_sales_reader *r, lic_sale_line *line)
{
    if (r->fatal)
        return -(int)r->fatal;
    bool tried = r->like.on;
    if (tried && like_line(r, line))
        return 1;
    r->at_like = r->xs_same = r->like.last = false;
    lic_err rc = lic__csv_next_cells(r->csv, &r->view);
    if (!rc && r->view.n == r->quick_n) { /* the usual row: no other test (set_quick) */
        r->row = r->view.fields;
        int got = fast_line(&r->shape, &r->seen, &r->view, line) ? 1 : slow_line(r, line);
        if (got == 1 && r->like.nvar)
            like_learn(r, line, tried);
        return got;
    }
    int got = row_got(r, rc);
    if (got == ROW_BLANK)
        got = next_row(r);
    if (got <= 0)
        return got;
    if (r->fast && fast_row(r, line)) /* reading ahead, or a row after blank ones */
        return 1;
    return slow_line(r, line);
}

/* reader_next, and for a lazy part its line and messages numbered as
 * the file's once known (sales_part.c). */
static int next_numbered(lic_sales_reader *r, lic_sale_line *line)
{
    if (USUALLY(!r->lazy))
        return reader_next(r, line);
    size_t mark = r->c.diags->n;
    int got = reader_next(r, line);
    return lic__sales_lazy_settle(r->lazy, r->c.file, r->c.diags, mark, line, got == 1, got);
}

static int reader_next_run(lic_sales_reader *r, lic_sale_line *lines, size_t max)
{
    /* the first line's number settled before the run's (like_run numbers those) */
    int got = next_numbered(r, &lines[0]);
    if (got != 1 || !r->like.last) /* not the pattern's line: no line is like it */
        return got;
    /* the run's first line stays the current one (like_taken moves its
     * x_ values' promise, not its offset) */
    bool same = r->xs_same;
    size_t n = 1 + like_run(r, lines + 1, max - 1);
    r->xs_same = same;
    return (int)n;
}

int lic_sales_reader_next(lic_sales_reader *r, lic_sale_line *line)
{
    return next_numbered(r, line);
}

int lic_sales_reader_next_run(lic_sales_reader *r, lic_sale_line *lines, size_t max)
{
    return max ? reader_next_run(r, lines, max) : -(int)LIC_EINVALID;
}

long lic_sales_reader_xcol_index(const lic_sales_reader *r, const char *name)
{
    for (size_t i = 0; r && name && i < r->nx; i++)
        if (!strcmp(r->xname[i], name))
            return (long)i;
    return -1;
}

const char *lic_sales_reader_xcol_at(const lic_sales_reader *r, size_t i)
{
    if (r && r->at_like) /* the pattern's, which this line repeats */
        return i < r->nx ? r->like.xs[i] : NULL;
    if (!r || !r->view.n || i >= r->nx)
        return NULL;
    return r->xidx[i] < r->view.n ? text_of(&r->view, (int)r->xidx[i]).s : NULL;
}

bool lic_sales_reader_xcols_same(const lic_sales_reader *r)
{
    return r && r->xs_same;
}

const char *lic_sales_reader_xcol(const lic_sales_reader *r, const char *name)
{
    long i = lic_sales_reader_xcol_index(r, name);
    return i >= 0 ? lic_sales_reader_xcol_at(r, (size_t)i) : NULL;
}

const char *const *lic_sales_reader_xcols(const lic_sales_reader *r, size_t *n)
{
    *n = r->nx;
    return r->xname;
}

lic_err lic__sales_too_many(lic_sales_reader *r, int line)
{
    report(r, line, 1, "", "more than %zu lines in one report", LIC_SALES_MAX_LINES);
    return r->c.oom ? r->c.oom : LIC_ETOOBIG;
}

size_t lic__sales_reader_like_lines(const lic_sales_reader *r)
{
    return r->like.lines;
}
