/*
 * sales_csv.c - the sales report reader (sales.h): FORMAT 4 on top of the
 * CSV tokenizer (csv.h).
 *
 * NOTES ON THE DESIGN
 * - The header maps each FORMAT 4 column to its index in the row; x_
 *   columns are kept by name for lic_sales_reader_xcol().
 * - Each row's cells become positioned scalar nodes (the YAML tree's
 *   lic_ynode, pointing into the tokenizer's buffer), so that
 *   lic__sale_line_read() checks a CSV line with the very code, and the
 *   very messages, of a report's inline `lines:` (events_lines.c).  The
 *   key path is the column name, which gives "q2.csv:14:23: gross_sales:
 *   ...".  An empty cell is a value not given; in a required column it is
 *   an error here, before the shared checks.
 * - What only a CSV can get wrong (the header, row widths, empty cells,
 *   the CSV syntax itself) is checked here.
 */
#include "sales_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>

#include "events_int.h"
#include "sha256.h"

/* A text of a period, date, country, field or currency cell that read
 * well on an earlier line, with what it read as (see fast_line). */
#define SEEN_BITS 6
#define SEEN_SLOTS (1 << SEEN_BITS) /* per column */
#define SEEN_WAYS 4     /* slots per bucket; a power of two */
#define SEEN_TEXT 48    /* longer texts are not kept */
typedef struct text_key {
    uint64_t head, mid, tail;
} text_key;

typedef struct fast_slot {
    struct text_key key;       /* the text's first, middle and last 8 bytes (see key_of) */
    unsigned char len;         /* 0: an empty slot */
    char text[SEEN_TEXT];
    lic__sale_value v;
    lic_date first, last;      /* a period's first and last day */
} fast_slot;

/* The columns fast_line recalls, in the order of seen[]. */
enum { SEEN_PERIOD, SEEN_DATE, SEEN_COUNTRY, SEEN_FIELD, SEEN_CURRENCY, NSEEN };
static const int seen_col[NSEEN] = {LIC__COL_PERIOD, LIC__COL_DATE, LIC__COL_COUNTRY,
                                    LIC__COL_FIELD, LIC__COL_CURRENCY};

struct lic_sales_reader {
    lic__csv *csv;
    FILE *own;                      /* opened by lic_sales_reader_open */
    ld_ctx c;                       /* messages: file, diags, key path; the agreement */
    lic_arena arena;                /* the file name, the x_ column names */
    int colof[LIC__SALE_NCOLS];     /* index of each FORMAT 4 column in a row, or -1 */
    size_t ncols;                   /* columns in the header */
    const char **xname;             /* x_ columns: names ... */
    size_t *xidx;                   /* ... and indexes in a row */
    size_t nx;
    int header_line;
    const lic__csv_field *row;      /* the current row (NULL: none) */
    size_t nrow;
    lic_ynode cells[LIC__SALE_NCOLS];
    lic_ynode where;                /* the current row's position */
    lic__sale_memo memo;            /* lic__sale_line_read's, from line to line */
    lic_err fatal;                  /* sticky error */
    bool fast;                      /* try fast_line first (the default) */
    int no_field;                   /* a line's field when the header has no field column */
    fast_slot seen[NSEEN][SEEN_SLOTS]; /* texts that read well, by column (fast_line) */
    unsigned victim;                /* the next slot of a full bucket to go */
    const fast_slot *last[NSEEN];   /* the slot seen_find found last, by column */
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
        r->colof[k] = (int)i;
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
        if (r->colof[required[i]] < 0)
            report(r, hdr[0].line, 1, "",
                   "missing required column \"%s\" (FORMAT 4 requires period, country, gross_sales and currency)",
                   lic__sale_cols[required[i]]);
    if (r->colof[LIC__COL_FIELD] < 0 && lic_fieldtree_count(r->c.a->fields) > 0 &&
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
    r->ncols = n;
    r->header_line = hdr[0].line;
    for (size_t i = 0; i < n; i++)
        header_cell(r, hdr, i);
    header_complete(r, hdr);
    if (r->c.oom)
        return r->c.oom;
    return r->c.diags->nerrors == before ? LIC_OK : LIC_EINVALID;
}

/* ---- opening ---- */

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
        r->colof[k] = -1;
        r->cells[k].type = LIC_Y_SCALAR;
    }
    lic_err rc = r->c.file ? read_header(r) : LIC_ENOMEM;
    if (rc) {
        lic_sales_reader_free(r);
        return rc;
    }
    /* Without a field column every line takes the agreement's only field
     * (read_header found it) or none (an empty tree). */
    r->no_field = lic_fieldtree_count(a->fields) > 0 ? r->memo.only_field : -1;
    r->fast = true;
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

/* fopen, with the reason it failed as an "io" diagnostic. */
static FILE *open_or_report(const char *path, lic_diags *diags, lic_err *rc)
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
    FILE *f = open_or_report(path, diags, &rc);
    if (!f)
        return rc;
    rc = lic_sales_reader_open_file(a, f, path, diags, out);
    if (rc)
        fclose(f);
    else
        (*out)->own = f;
    return rc;
}

void lic_sales_reader_free(lic_sales_reader *r)
{
    if (!r)
        return;
    lic__csv_free(r->csv);
    if (r->own)
        fclose(r->own);
    lic__arena_fini(&r->arena);
    lic__free(r);
}

/* ---- rows ---- */

/* A row's width must be the header's. */
static bool width_ok(lic_sales_reader *r, const lic__csv_field *row, size_t n)
{
    if (n == r->ncols)
        return true;
    const lic__csv_field *at = n > r->ncols ? &row[r->ncols] : &row[0];
    report(r, at->line, n > r->ncols ? at->col : 1, "",
           "expected %zu values (one per column of the header), got %zu", r->ncols, n);
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
        if (r->colof[k] < 0)
            continue;
        const lic__csv_field *f = &r->row[r->colof[k]];
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

/* The next row that is not blank; 0 at the end, or a negative error. */
static int next_row(lic_sales_reader *r)
{
    for (;;) {
        lic_err rc = lic__csv_next(r->csv, &r->row, &r->nrow);
        if (rc) {
            r->row = NULL;
            return -(int)csv_failed(r, rc);
        }
        if (r->nrow == 0) {
            r->row = NULL;
            return 0;
        }
        if (r->nrow > 1 || r->row[0].len > 0 || r->row[0].quoted)
            return 1;
    }
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

static inline uint64_t load8(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
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
static inline bool same_key(const fast_slot *s, const lic__csv_field *f, text_key k)
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

/* The slot of cell f of column seen_col[k], or NULL.  The slot found
 * last for the column is tried first: reports repeat a period, a
 * currency, a field over many lines. */
static const fast_slot *seen_find(lic_sales_reader *r, int k, const lic__csv_field *f)
{
    text_key key = key_of(f->s, f->len);
    const fast_slot *s = r->last[k];
    if (s && same_key(s, f, key))
        return s;
    s = &r->seen[k][seen_hash(key, f->len)];
    for (int w = 0; w < SEEN_WAYS; w++, s++)
        if (same_key(s, f, key))
            return r->last[k] = s;
    return NULL;
}

/* Keeps the text of cell f (column seen_col[k]) of line l, which read well. */
static void seen_keep(lic_sales_reader *r, int k, const lic__csv_field *f, const lic_sale_line *l)
{
    if (f->len == 0 || f->len > SEEN_TEXT || seen_find(r, k, f))
        return;
    text_key key = key_of(f->s, f->len);
    fast_slot *b = &r->seen[k][seen_hash(key, f->len)], *s = b;
    while (s->len && s < b + SEEN_WAYS - 1)
        s++;
    if (s->len) /* a full bucket: the slots take turns to go */
        s = b + (r->victim++ & (SEEN_WAYS - 1));
    *s = (fast_slot){.key = key, .len = (unsigned char)f->len};
    memcpy(s->text, f->s, f->len);
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
}

/* An amount of the shape [-]digits[.digits] with at most `digits`
 * decimals and at most 18 digits once scaled, which lic_amount_parse
 * reads as this very value (below 10^18: no overflow); false for any
 * other text, left to lic_amount_parse to judge.  (Eight bytes at a time
 * was tried: no fewer instructions, no faster.) */
static bool plain_amount(const char *s, size_t len, int digits, lic_amount *out)
{
    bool neg = len > 0 && s[0] == '-';
    size_t i = neg, int_len, frac = 0;
    uint64_t v = 0; /* may wrap on a long text, which is then refused */
    while (i < len && (unsigned)(s[i] - '0') < 10)
        v = v * 10 + (unsigned)(s[i++] - '0');
    int_len = i - neg;
    if (int_len == 0)
        return false;
    if (i < len) {
        if (s[i++] != '.')
            return false;
        size_t f0 = i;
        while (i < len && (unsigned)(s[i] - '0') < 10)
            v = v * 10 + (unsigned)(s[i++] - '0');
        frac = i - f0;
        if (frac == 0 || i != len)
            return false;
    }
    if (digits < 0 || frac > (size_t)digits || int_len + (size_t)digits > 18)
        return false;
    for (; frac < (size_t)digits; frac++)
        v *= 10;
    *out = neg ? -(lic_amount)v : (lic_amount)v;
    return true;
}

/* Units as ld_int reads them between 0 and 2000000000: 1 to 9 digits. */
static bool plain_units(const char *s, size_t len, int64_t *out)
{
    if (len >= 10)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned)(s[i] - '0') >= 10)
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Cell of column k, or NULL when the header has no such column or the
 * cell is empty (a value not given). */
static inline const lic__csv_field *cell(const lic_sales_reader *r, int k)
{
    int i = r->colof[k];
    return i >= 0 && r->row[i].len ? &r->row[i] : NULL;
}

/* The current row as a line if it is plain (see above); false leaves it
 * to lic__sale_line_read. */
static bool fast_line(lic_sales_reader *r, lic_sale_line *l)
{
    if (r->nrow != r->ncols)
        return false;
    const fast_slot *v[NSEEN];
    for (int k = 0; k < NSEEN; k++) {
        const lic__csv_field *f = cell(r, seen_col[k]);
        v[k] = f ? seen_find(r, k, f) : NULL;
        /* an empty date is no date; every other one is required here
         * (period, country and currency are columns of every report; an
         * empty field cell is for lic__sale_line_read to judge) */
        if (!v[k] && (f || (k != SEEN_DATE && (k != SEEN_FIELD || r->colof[LIC__COL_FIELD] >= 0))))
            return false;
    }
    memset(l, 0, sizeof *l);
    l->period = v[SEEN_PERIOD]->v.period;
    l->country = v[SEEN_COUNTRY]->v.country;
    l->currency = v[SEEN_CURRENCY]->v.currency;
    l->field = v[SEEN_FIELD] ? v[SEEN_FIELD]->v.field : r->no_field;
    l->date = LIC_DATE_NONE;
    if (v[SEEN_DATE]) {
        l->date = v[SEEN_DATE]->v.date;
        if (l->date < v[SEEN_PERIOD]->first || l->date > v[SEEN_PERIOD]->last)
            return false;
    }
    l->pos = (lic_pos){r->row[0].line, 1};
    int d = l->currency->digits;
    const lic__csv_field *f;
    if (!(f = cell(r, LIC__COL_GROSS)) || !plain_amount(f->s, f->len, d, &l->gross))
        return false;
    if ((f = cell(r, LIC__COL_DEDUCTIONS)) && !plain_amount(f->s, f->len, d, &l->deductions))
        return false;
    if ((f = cell(r, LIC__COL_TPR)) && !plain_amount(f->s, f->len, d, &l->third_party_royalties))
        return false;
    if ((f = cell(r, LIC__COL_UNITS)) && !plain_units(f->s, f->len, &l->units))
        return false;
    if ((f = cell(r, LIC__COL_FX_RATE)) && (lic_rate_parse(f->s, f->len, &l->fx_rate) || l->fx_rate <= 0))
        return false;
    if ((f = cell(r, LIC__COL_PRODUCT)))
        l->product = f->s; /* as ld_string: a CSV value holds no NUL */
    return true;
}

/* After lic__sale_line_read took line l: its texts, for fast_line. */
static void keep_seen(lic_sales_reader *r, const lic_sale_line *l)
{
    for (int k = 0; k < NSEEN; k++) {
        const lic__csv_field *f = cell(r, seen_col[k]);
        if (f)
            seen_keep(r, k, f, l);
    }
}

void lic__sales_reader_set_fast(lic_sales_reader *r, bool on)
{
    r->fast = on;
}

lic_err lic_sales_reader_read_ahead(lic_sales_reader *r)
{
    return lic__csv_read_ahead(r->csv);
}

int lic_sales_reader_next(lic_sales_reader *r, lic_sale_line *line)
{
    if (r->fatal)
        return -(int)r->fatal;
    int got = next_row(r);
    if (got <= 0)
        return got;
    if (r->fast && fast_line(r, line))
        return 1;
    memset(line, 0, sizeof *line);
    size_t before = r->c.diags->nerrors;
    const lic_ynode *cells[LIC__SALE_NCOLS];
    bool ok = width_ok(r, r->row, r->nrow) && make_cells(r, cells);
    r->where = (lic_ynode){.type = LIC_Y_SCALAR, .line = r->row[0].line, .col = 1};
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

const char *lic_sales_reader_xcol(const lic_sales_reader *r, const char *name)
{
    if (!r || !r->row || !name)
        return NULL;
    for (size_t i = 0; i < r->nx; i++)
        if (!strcmp(r->xname[i], name))
            return r->xidx[i] < r->nrow ? r->row[r->xidx[i]].s : NULL;
    return NULL;
}

const char *const *lic_sales_reader_xcols(const lic_sales_reader *r, size_t *n)
{
    *n = r->nx;
    return r->xname;
}

/* ---- whole reports ---- */

/* Copies the line's product into the arena; consecutive lines of one
 * product share the copy. */
static bool keep_product(lic_arena *arena, lic_sale_line *l, const char **last)
{
    if (!l->product)
        return true;
    if (!*last || strcmp(*last, l->product)) {
        *last = lic__arena_strdup(arena, l->product);
        if (!*last)
            return false;
    }
    l->product = *last;
    return true;
}

/* Grows the heap array v (of *cap lines) to hold one more. */
static bool grow(lic_sale_line **v, size_t n, size_t *cap)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 1024;
    lic_sale_line *nv = lic__realloc(*v, ncap * sizeof *nv);
    if (!nv)
        return false;
    *v = nv;
    *cap = ncap;
    return true;
}

/* What a whole-report load keeps while the tokenizer reads: the file's
 * hash, the bytes read (counted on the reading thread, read for progress
 * on the caller's) and the progress hook (NULL: none). */
typedef struct load_hook {
    lic__sha256 h;
    _Atomic uint64_t bytes;
    const lic__sales_tick *tick;
} load_hook;

/* Hands every line of r to take (false: out of memory); 0 or the error.
 * hook may be NULL. */
static lic_err read_lines(lic_sales_reader *r, load_hook *hook, lic__sales_take take, void *ctx, size_t *n)
{
    lic_sale_line l;
    int got;
    bool ticks = hook && hook->tick && hook->tick->fn;
    while ((got = lic_sales_reader_next(r, &l)) > 0) {
        if (*n == LIC_SALES_MAX_LINES) {
            report(r, l.pos.line, 1, "", "more than %zu lines in one report", LIC_SALES_MAX_LINES);
            return r->c.oom ? r->c.oom : LIC_ETOOBIG;
        }
        if (!take(ctx, &l))
            return LIC_ENOMEM;
        (*n)++;
        if (ticks && *n % LIC__SALES_TICK_LINES == 0)
            hook->tick->fn(hook->tick->ctx, *n, atomic_load_explicit(&hook->bytes, memory_order_relaxed));
    }
    if (got == -(int)LIC_EPARSE)
        return LIC_EINVALID; /* malformed CSV is invalid content, like a bad line */
    return (lic_err)-got;
}

/* Lines kept in a heap array, their products in the arena. */
typedef struct keep_ctx {
    lic_arena *arena;
    lic_sale_line *v;
    size_t n, cap;
    const char *last;   /* the last product copied */
} keep_ctx;

static bool keep_line(void *ctx, const lic_sale_line *line)
{
    keep_ctx *k = ctx;
    lic_sale_line l = *line;
    if (!grow(&k->v, k->n, &k->cap) || !keep_product(k->arena, &l, &k->last))
        return false;
    k->v[k->n++] = l;
    return true;
}

/* lic__sales_read_all with a hook (NULL: none). */
static lic_err read_all(lic_sales_reader *r, lic_arena *arena, load_hook *hook, lic_sale_line **lines,
                        size_t *n)
{
    keep_ctx k = {.arena = arena};
    size_t count = 0;
    *lines = NULL;
    *n = 0;
    lic_err rc = read_lines(r, hook, keep_line, &k, &count);
    lic_sale_line *v = k.v;
    /* The heap array joins the arena as it is: a large report's lines
     * are not copied again. */
    if (!rc && count && lic__arena_adopt(arena, v)) {
        *lines = v;
        *n = count;
        return LIC_OK;
    }
    lic__free(v);
    return rc ? rc : count ? LIC_ENOMEM : LIC_OK;
}

lic_err lic__sales_read_all(lic_sales_reader *r, lic_arena *arena, lic_sale_line **lines,
                            size_t *n)
{
    return read_all(r, arena, NULL, lines, n);
}

static void hash_bytes(void *arg, const unsigned char *bytes, size_t n)
{
    load_hook *hook = arg;
    lic__sha256_update(&hook->h, bytes, n);
    atomic_fetch_add_explicit(&hook->bytes, n, memory_order_relaxed);
}

void lic_sales_free(lic_sales *s)
{
    if (!s)
        return;
    lic_arena *arena = s->priv;
    lic__arena_fini(arena);
    lic__free(arena);
}

/* Reads the report on f into s (whose arena is set up). */
static lic_err load_into(lic_sales *s, const lic_agreement *a, FILE *f, lic_diags *diags)
{
    lic__csv *csv;
    lic_sales_reader *r;
    load_hook hook = {0};
    lic_err rc = lic__csv_open(f, &csv);
    if (rc)
        return rc;
    lic__sha256_init(&hook.h);
    lic__csv_on_read(csv, hash_bytes, &hook);
    rc = lic__sales_reader_open_csv(a, csv, s->file, diags, &r);
    if (rc) {
        lic__sha256_discard(&hook.h);
        return rc == LIC_EPARSE ? LIC_EINVALID : rc;
    }
    rc = read_all(r, s->priv, &hook, &s->v, &s->n);
    lic_sales_reader_free(r);
    lic__sha256_final(&hook.h, s->sha256);
    return rc;
}

lic_err lic_sales_load_file(const lic_agreement *a, FILE *f, const char *name, lic_diags *diags,
                            lic_sales **out)
{
    lic_err rc;
    *out = NULL;
    lic_arena *arena = lic__malloc(sizeof *arena);
    lic_sales *s = NULL;
    if (arena) {
        lic__arena_init(arena);
        s = lic__arena_alloc(arena, sizeof *s);
    }
    if (s && (s->file = lic__arena_strdup(arena, name)) != NULL) {
        s->priv = arena;
        rc = load_into(s, a, f, diags);
    } else
        rc = LIC_ENOMEM;
    if (rc) {
        if (arena)
            lic__arena_fini(arena);
        lic__free(arena);
        return rc;
    }
    *out = s;
    return LIC_OK;
}

static void count_bytes(void *arg, const unsigned char *bytes, size_t n)
{
    (void)bytes;
    atomic_fetch_add_explicit(&((load_hook *)arg)->bytes, n, memory_order_relaxed);
}

lic_err lic__sales_stream_file(const lic_agreement *a, FILE *f, const char *name, lic_diags *diags,
                               const lic__sales_tick *tick, lic__sales_take take, void *ctx, size_t *n)
{
    lic__csv *csv;
    lic_sales_reader *r;
    load_hook hook = {.tick = tick};
    *n = 0;
    lic_err rc = lic__csv_open(f, &csv);
    if (rc)
        return rc;
    lic__csv_on_read(csv, count_bytes, &hook);
    rc = lic__sales_reader_open_csv(a, csv, name, diags, &r);
    if (rc)
        return rc == LIC_EPARSE ? LIC_EINVALID : rc;
    /* Without a thread (none could be started) the same lines come on
     * this one. */
    if (lic_sales_reader_read_ahead(r) == LIC_ENOMEM)
        rc = LIC_ENOMEM;
    if (!rc)
        rc = read_lines(r, &hook, take, ctx, n);
    lic_sales_reader_free(r);
    return rc;
}


lic_err lic_sales_load(const lic_agreement *a, const char *path, lic_diags *diags,
                       lic_sales **out)
{
    lic_err rc = LIC_OK;
    *out = NULL;
    FILE *f = open_or_report(path, diags, &rc);
    if (!f)
        return rc;
    rc = lic_sales_load_file(a, f, path, diags, out);
    fclose(f);
    return rc;
}
