/*
 * csv.c - a streaming RFC 4180 tokenizer (csv.h says what it accepts).
 *
 * NOTES ON THE DESIGN
 * - One buffer holds the unread bytes buf[pos..end).  A row is scanned
 *   from its first byte; when the data runs out before the row ends, the
 *   partial row is moved to the front, the buffer grows if the row fills
 *   it (never past LIC_CSV_MAX_ROW) and the scan starts the row again
 *   after the next read (reads grow with a long row, so it is scanned a
 *   few times at most).  Only rows that straddle a read are scanned
 *   twice, so the cost is one pass over the input.
 * - A scan does not write to the buffer: it records where each field's
 *   bytes are.  Only when the whole row is there are values finished in
 *   place: doubled quotes collapsed, a NUL written over the byte after
 *   each value (the separator, the closing quote, or a spare byte kept
 *   past the end of the buffer).  So fields cost no copy.
 * - Rows come as fields or, for a reader of values, as cells (below,
 *   "rows as cells").
 * - Two scans find rows.  The fast one (below, "the fast scan") takes
 *   64 bytes at a time as bit masks and handles the common row: ASCII,
 *   on one line, well formed, wholly in the buffer; the commonest of
 *   those (unquoted, ending within one block) in one step.  Every other
 *   row goes to the byte-at-a-time scan (scan_row), which knows every
 *   rule and every error; it looks for the next interesting byte eight
 *   at a time.
 *   Both give the same rows and errors: the unit tests and the fuzzer
 *   compare them.
 */
#include "csv.h"
#include "csv_simd.h"
#include "utf8.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"

/* Where a field's bytes are, found by the scan. */
typedef struct raw_field {
    size_t start;        /* its first byte (the opening quote when quoted) */
    size_t vstart, vlen; /* the value, doubled quotes not yet collapsed */
    size_t line_start;   /* the first byte of its physical line */
    int line;
    bool quoted, escaped;
} raw_field;

/* The state between two blocks of the fast scan (see there). */
typedef struct blk_carry {
    uint64_t inq;        /* all ones inside quotes */
    uint64_t close, sep, cr; /* bit 0: the last byte was a closing quote, separator, CR */
} blk_carry;

/* One block of 64 bytes as the fast scan sees it. */
typedef struct blk {
    size_t at;           /* buffer offset of bit 0; SIZE_MAX: none */
    uint64_t seps;       /* commas and LFs outside quotes */
    uint64_t lf;         /* LFs outside quotes: row ends (the plain rows taken clear theirs) */
    uint64_t bad;        /* bytes the fast scan leaves to the slow one */
    uint64_t esc;        /* second quotes of doubled quotes */
    uint64_t quotes;     /* every quote */
    bool plain;          /* classified by plain_block: out is not kept (carry_out) */
    blk_carry out;       /* the state after the block */
} blk;

/* Bytes readable past the buffer's end: a block may start at any byte,
 * csv.h promises 8 readable bytes at every value, and LIC_CSV_PEEK_PAD
 * past what lic__csv_peek shows. */
#define BLOCK_PAD 64
_Static_assert(BLOCK_PAD >= LIC_CSV_PEEK_PAD, "lic__csv_peek's promise");

struct lic__csv {
    /* Read on every row by the caller while a thread tokenizes ahead, and
     * written only before: kept off the cache lines the thread writes. */
    lic__csv_ahead *ahead;
    char apart[64];
    FILE *f;
    const char *mem;          /* memory source, or NULL */
    size_t memlen, mempos;
    size_t chunk;             /* most bytes one read asks for */
    char *buf;                /* cap + 1 + BLOCK_PAD bytes: a spare for a NUL, a block's reach */
    size_t cap, pos, end;     /* unread bytes are buf[pos..end); buf[end] is NUL (plain_block) */
    uint64_t origin;          /* the input's byte offset of buf[0] (lic__csv_offset) */
    bool eof;                 /* the source has nothing more */
    bool started;             /* the byte order mark was looked for */
    bool quick;               /* fast, started and no error: the common row may be tried at once */
    int line;                 /* the line of buf[pos] */
    raw_field *raw;
    lic__csv_field *fields;
    size_t fcap;
    int open_line, open_col;  /* a quoted value still open when the data ran out */
    bool fast;                /* try the fast scan first */
    bool avx2;                /* the CPU has AVX2: masks_avx2 */
    /* 32 copies each of ',' and LF and a table, for plain_avx2 (see
     * csv_simd.h): GCC builds a constant vector with three instructions,
     * but loads these within the instructions that use them. */
    unsigned char lanes[3][32];
    blk block;                /* the last block the fast scan classified */
    uint32_t *seps;           /* the fast scan's separators, from pos */
    lic__csv_span *spans;     /* LIC_CSV_MAX_FIELDS: the caller's row (lic__csv_next_cells) */
    bool seps_esc;            /* some value among them has a doubled quote */
    bool seps_quoted;         /* some value among them is quoted */
    lic_err err;
    int err_line, err_col;
    char msg[200];
    void (*on_read)(void *, const unsigned char *, size_t);
    void *on_read_arg;
};

enum { ROW_DONE, ROW_MORE, ROW_ERROR };

static lic_err fail(lic__csv *r, lic_err err, int line, int col, const char *fmt, ...)
    LIC_PRINTF(5, 6);

static lic_err fail(lic__csv *r, lic_err err, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
    r->err = err;
    r->quick = false;
    r->err_line = line;
    r->err_col = col;
    return err;
}

/* ---- characters and columns ---- */

/* Characters in n bytes of UTF-8: the bytes that are not 10xxxxxx. */
static size_t chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Line numbers stop at INT_MAX rather than overflow (a stream may be
 * longer than any file loaded whole). */
static inline int next_line(int line)
{
    return line < INT_MAX ? line + 1 : line;
}

static int col_at(const lic__csv *r, size_t line_start, size_t off)
{
    size_t c = chars(r->buf + line_start, off - line_start) + 1;
    return c < INT_MAX ? (int)c : INT_MAX;
}

/* The line and column of byte `off` of the row that starts at r->pos. */
static void where(const lic__csv *r, size_t off, int *line, int *col)
{
    size_t ls = r->pos;
    *line = r->line;
    for (size_t i = r->pos; i < off; i++)
        if (r->buf[i] == '\n') {
            *line = next_line(*line);
            ls = i + 1;
        }
    *col = col_at(r, ls, off);
}

static bool is_ascii(const char *s, size_t n)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= (unsigned char)s[i];
    return (acc & UINT64_C(0x8080808080808080)) == 0;
}

/* ---- the scan ---- */

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* The high bit of each byte of x that is zero; exact up to the lowest
 * zero byte (higher ones may be false positives, which is all we need:
 * only the lowest is used). */
static inline uint64_t zero_bytes(uint64_t x)
{
    return (x - ONES) & ~x & HIGHS;
}

static inline bool special(char ch)
{
    return ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
}

/* The offset of the first , " CR or LF in b[p..end), or end. */
static size_t find_special(const char *b, size_t p, size_t end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, b + p, 8);
        uint64_t m = zero_bytes(w ^ (ONES * ',')) | zero_bytes(w ^ (ONES * '"')) |
                     zero_bytes(w ^ (ONES * '\n')) | zero_bytes(w ^ (ONES * '\r'));
        if (m)
            return p + ((unsigned)__builtin_ctzll(m) >> 3);
        p += 8;
    }
#endif
    while (p < end && !special(b[p]))
        p++;
    return p;
}

/* State of one row's scan; committed to the reader only when it ends. */
typedef struct scan {
    size_t p;            /* next byte */
    size_t line_start;   /* first byte of the current physical line */
    int line;
    size_t n;            /* fields so far */
    size_t row_end;      /* when done: the first byte after the row */
} scan;

/* Fields there is room for from the open: as many as the common row of
 * the fast scan may have (it lies in one block of 64 bytes, a separator
 * a field), so that taking it never tests for room. */
#define ROW_FIELDS 64

/* Room for fields 0..n. */
static bool reserve_field(lic__csv *r, size_t n)
{
    if (n < r->fcap)
        return true;
    size_t cap = r->fcap ? r->fcap : 16;
    while (cap <= n)
        cap *= 2;
    raw_field *raw = lic__realloc(r->raw, cap * sizeof *raw);
    if (raw)
        r->raw = raw;
    lic__csv_field *f = raw ? lic__realloc(r->fields, cap * sizeof *f) : NULL;
    if (f)
        r->fields = f;
    if (!raw || !f)
        return false;
    r->fcap = cap;
    return true;
}

/* A CR at s: the row ends if LF follows. */
static int at_cr(lic__csv *r, scan *sc, size_t s)
{
    if (s + 1 == r->end && !r->eof)
        return ROW_MORE;
    if (s + 1 < r->end && r->buf[s + 1] == '\n') {
        sc->row_end = s + 2;
        sc->line = next_line(sc->line);
        return ROW_DONE;
    }
    fail(r, LIC_EPARSE, sc->line, col_at(r, sc->line_start, s),
         "carriage return without a line feed (save the file with LF or CRLF line ends)");
    return ROW_ERROR;
}

/* After a field that ends at s: the next field, the end of the row, or an error. */
static int after_field(lic__csv *r, scan *sc, size_t s)
{
    if (s == r->end) {
        if (!r->eof)
            return ROW_MORE;
        sc->row_end = s; /* the last row, without a line end */
        return ROW_DONE;
    }
    switch (r->buf[s]) {
    case ',':
        sc->n++;
        sc->p = s + 1;
        return -1; /* go on with the next field */
    case '\n':
        sc->row_end = s + 1;
        sc->line = next_line(sc->line);
        return ROW_DONE;
    case '\r':
        return at_cr(r, sc, s);
    default:
        break;
    }
    unsigned char ch = (unsigned char)r->buf[s];
    int col = col_at(r, sc->line_start, s);
    /* "double" below is the verb in the message, not a type: the CSV
     * reader holds no floating point (amounts are parsed exactly later) */
    if (ch == '"')
        fail(r, LIC_EPARSE, sc->line, col,
             "a quote inside an unquoted value (quote the whole value and double the quote: \"5\"\" disk\")");
    else if (ch > 0x20 && ch < 0x7F)
        fail(r, LIC_EPARSE, sc->line, col,
             "expected a comma or the end of the line after the closing quote, got '%c'", ch);
    else
        fail(r, LIC_EPARSE, sc->line, col,
             "expected a comma or the end of the line after the closing quote, got byte 0x%02X", ch);
    return ROW_ERROR;
}

/* Counts the line ends in b[from..to) (inside a quoted value). */
static void count_lines(lic__csv *r, scan *sc, size_t from, size_t to)
{
    const char *b = r->buf;
    const char *nl = from < to ? memchr(b + from, '\n', to - from) : NULL;
    while (nl) {
        sc->line = next_line(sc->line);
        sc->line_start = (size_t)(nl - b) + 1;
        nl = sc->line_start < to ? memchr(nl + 1, '\n', to - sc->line_start) : NULL;
    }
}

/* A quoted field starting at sc->p: finds its closing quote. */
static int quoted_field(lic__csv *r, scan *sc, raw_field *f)
{
    const char *b = r->buf;
    size_t q = sc->p + 1;
    f->quoted = true;
    for (;;) {
        const char *c = q < r->end ? memchr(b + q, '"', r->end - q) : NULL;
        size_t cq = c ? (size_t)(c - b) : r->end;
        count_lines(r, sc, q, cq);
        if (!c || (cq + 1 == r->end && !r->eof)) {
            if (!c && r->eof) {
                fail(r, LIC_EPARSE, f->line, col_at(r, f->line_start, f->start),
                     "a quoted value is never closed (a quote is missing)");
                return ROW_ERROR;
            }
            r->open_line = f->line;
            r->open_col = col_at(r, f->line_start, f->start);
            return ROW_MORE;
        }
        if (cq + 1 < r->end && b[cq + 1] == '"') {
            f->escaped = true;
            q = cq + 2;
            continue;
        }
        f->vstart = sc->p + 1;
        f->vlen = cq - sc->p - 1;
        return after_field(r, sc, cq + 1);
    }
}

/* Scans the row at r->pos.  ROW_DONE fills r->raw and sc. */
static int scan_row(lic__csv *r, scan *sc)
{
    *sc = (scan){.p = r->pos, .line_start = r->pos, .line = r->line};
    r->open_line = 0;
    for (;;) {
        if (sc->n == LIC_CSV_MAX_FIELDS) {
            fail(r, LIC_ETOOBIG, sc->line, col_at(r, sc->line_start, sc->p),
                 "more than %d values in one row", LIC_CSV_MAX_FIELDS);
            return ROW_ERROR;
        }
        if (!reserve_field(r, sc->n)) {
            fail(r, LIC_ENOMEM, 0, 0, "out of memory");
            return ROW_ERROR;
        }
        raw_field *f = &r->raw[sc->n];
        *f = (raw_field){.start = sc->p, .line_start = sc->line_start, .line = sc->line};
        int st;
        if (sc->p < r->end && r->buf[sc->p] == '"')
            st = quoted_field(r, sc, f);
        else {
            size_t s = find_special(r->buf, sc->p, r->end);
            f->vstart = sc->p;
            f->vlen = s - sc->p;
            st = after_field(r, sc, s);
        }
        if (st >= 0) {
            sc->n += st == ROW_DONE;
            return st;
        }
    }
}

/* ---- reading ---- */

static lic_err read_more(lic__csv *r, size_t want, size_t *got)
{
    if (r->mem) {
        size_t left = r->memlen - r->mempos;
        *got = want < left ? want : left;
        memcpy(r->buf + r->end, r->mem + r->mempos, *got);
        r->mempos += *got;
        r->eof = r->mempos == r->memlen;
        return LIC_OK;
    }
    *got = fread(r->buf + r->end, 1, want, r->f);
    if (*got < want) {
        if (ferror(r->f)) {
            char why[128] = "";
            if (strerror_r(errno, why, sizeof why))
                why[0] = '\0';
            return fail(r, LIC_EIO, 0, 0, "cannot read the file%s%s", why[0] ? ": " : "", why);
        }
        r->eof = true;
    }
    return LIC_OK;
}

/* Moves the partial row to the front, grows the buffer if the row fills
 * it, and reads the next chunk. */
static lic_err fill(lic__csv *r)
{
    size_t have = r->end - r->pos;
    r->block.at = SIZE_MAX; /* the bytes move */
    if (r->pos) {
        memmove(r->buf, r->buf + r->pos, have);
        r->origin += r->pos;
        r->pos = 0;
        r->end = have;
        r->buf[have] = '\0';
    }
    if (r->end == r->cap) {
        if (r->cap >= LIC_CSV_MAX_ROW) {
            if (r->open_line)
                return fail(r, LIC_ETOOBIG, r->open_line, r->open_col,
                            "a quoted value runs on past %zu bytes (is its closing quote missing?)",
                            LIC_CSV_MAX_ROW);
            return fail(r, LIC_ETOOBIG, r->line, 1, "a row longer than %zu bytes", LIC_CSV_MAX_ROW);
        }
        size_t cap = r->cap * 2 < LIC_CSV_MAX_ROW ? r->cap * 2 : LIC_CSV_MAX_ROW;
        char *buf = lic__realloc(r->buf, cap + 1 + BLOCK_PAD);
        if (!buf)
            return fail(r, LIC_ENOMEM, 0, 0, "out of memory");
        memset(buf + r->cap + 1 + BLOCK_PAD, 0, cap - r->cap);
        r->buf = buf;
        r->cap = cap;
    }
    /* A chunk, or as much as the partial row when it is longer: a long
     * row is scanned again after each read, so reads grow with it. */
    size_t want = r->cap - r->end, got, step = have > r->chunk ? have : r->chunk;
    if (want > step)
        want = step;
    lic_err rc = read_more(r, want, &got);
    if (!rc && got && r->on_read)
        r->on_read(r->on_read_arg, (const unsigned char *)r->buf + r->end, got);
    r->end += got;
    r->buf[r->end] = '\0';
    return rc;
}

/* Skips a UTF-8 byte order mark at the start of the input. */
static lic_err skip_bom(lic__csv *r)
{
    while (r->end - r->pos < 3 && !r->eof) {
        lic_err rc = fill(r);
        if (rc)
            return rc;
    }
    if (r->end - r->pos >= 3 && !memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3))
        r->pos += 3;
    r->started = true;
    r->quick = r->fast && !r->err;
    return LIC_OK;
}

/* ---- finishing a row ---- */

/* No NUL byte and valid UTF-8 in the row; an error names the first bad byte. */
static lic_err check_bytes(lic__csv *r, size_t row_end)
{
    const char *row = r->buf + r->pos;
    size_t len = row_end - r->pos;
    const char *nul = memchr(row, '\0', len);
    size_t bad = nul ? (size_t)(nul - row) : len;
    if (!is_ascii(row, bad))
        for (size_t i = 0, k; i < bad; i += k)
            if ((k = lic__utf8_len((const unsigned char *)row + i, len - i)) == 0) {
                int line, col;
                where(r, r->pos + i, &line, &col);
                return fail(r, LIC_EPARSE, line, col, "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
                            (unsigned char)row[i]);
            }
    if (nul) {
        int line, col;
        where(r, r->pos + bad, &line, &col);
        return fail(r, LIC_EPARSE, line, col, "a NUL byte (is this a text file?)");
    }
    return LIC_OK;
}

/* Columns of the row's fields, counted in characters. */
static void columns(lic__csv *r, size_t n, size_t row_end)
{
    bool ascii = is_ascii(r->buf + r->pos, row_end - r->pos);
    for (size_t i = 0; i < n; i++) {
        const raw_field *f = &r->raw[i];
        size_t col;
        if (ascii)
            col = f->start - f->line_start + 1;
        else if (i > 0 && r->raw[i - 1].line_start == f->line_start)
            col = (size_t)r->fields[i - 1].col +
                  chars(r->buf + r->raw[i - 1].start, f->start - r->raw[i - 1].start);
        else
            col = chars(r->buf + f->line_start, f->start - f->line_start) + 1;
        r->fields[i].col = col < INT_MAX ? (int)col : INT_MAX;
        r->fields[i].line = f->line;
    }
}

/* Collapses doubled quotes in place; returns the new length. */
static size_t unescape(char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        s[w++] = s[i];
        if (s[i] == '"')
            i++; /* the scan made sure a quote here is doubled */
    }
    return w;
}

static void finish_values(lic__csv *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const raw_field *f = &r->raw[i];
        char *s = r->buf + f->vstart;
        size_t len = f->escaped ? unescape(s, f->vlen) : f->vlen;
        s[len] = '\0';
        r->fields[i].s = s;
        r->fields[i].len = len;
        r->fields[i].quoted = f->quoted;
    }
}

/* ---- the fast scan ----
 *
 * Rows of plain ASCII on one line each (the common case) are found 64
 * bytes at a time.  A block of 64 bytes is turned into bit masks (bit i
 * for byte i): quotes, commas, line ends, and "inside quotes" as the
 * running XOR of the quote bits (a doubled quote turns it off and on
 * again).  Separators are the commas and LFs outside quotes.  Anything
 * the fast scan does not take is a "bad" bit: a byte that is not ASCII or
 * is NUL, an LF inside quotes, a quote that opens anywhere but at the
 * start of a field or right after a closing quote (a doubled quote), a
 * closing quote followed by anything but a comma, CR, LF or quote, a CR
 * outside quotes not followed by LF, and every byte not read yet.  A row
 * with a bad bit before its end goes to the byte-at-a-time scan above,
 * which finds the error (or reads more, or takes the row).  State flows
 * from one block to the next in four carry bits; a block that starts a
 * row starts from the state "after a line end".
 *
 * The common row costs the least (plain_row_sse2 and plain_row_avx2,
 * below): a block with no quote, CR, NUL or non-ASCII byte outside
 * quotes is told from three masks (plain_block), and a row that is
 * unquoted and ends within one classified block has its fields written
 * straight from the separator bits.  A block is kept for the rows that end in it; a row that runs
 * past it has the 64 bytes from its own start classified, so that any
 * row of up to 64 bytes is taken in one step (rows of about 64 bytes,
 * like a sales report's, thus cost one classification each).  Longer
 * rows and quoted ones take the general path (fast_seps, fast_finish),
 * chaining blocks.  With AVX2 the common row is taken in code built for
 * AVX2 (next_avx2), chosen at run time; SSE2 is the fallback.
 *
 * A reader that wants only values (the sales reader) takes rows with
 * lic__csv_next_cells: the common row then has a span (offset, end)
 * written per value, two stores instead of a field's five, and its
 * fields (whose line and columns only a message needs) are written by
 * lic__csv_cell_fields if ever asked for: a common row is one line of
 * ASCII, so a value's column is its offset plus one.  Every other row is
 * taken as fields, and spans are made from them (cells_of).
 */
#if LIC_CSV_FAST
/* The bits of a block at `at` that hold bytes read so far. */
static ALWAYS_INLINE uint64_t valid_bits(const lic__csv *r, size_t at)
{
    size_t avail = r->end - at; /* blocks start before the end: every caller checks */
    return avail >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << avail) - 1;
}

/* Classifies the 64 bytes at `at`, of raw masks m, given the state
 * before them.  Out of line: the common block takes plain_block. */
static void classify_masks(lic__csv *r, size_t at, const blk_carry *in, const raw_masks *m)
{
    uint64_t valid = valid_bits(r, at);
    uint64_t q = m->quote & valid, comma = m->comma & valid, nl = m->lf & valid, cr = m->cr & valid;
    uint64_t inq = prefix_xor(q) ^ in->inq;
    uint64_t closing = q & ~inq, opening = q & inq;
    uint64_t seps = (comma | nl) & ~inq, crs = cr & ~inq;
    uint64_t starts = (seps << 1) | in->sep;
    uint64_t after_close = (closing << 1) | in->close;
    blk *b = &r->block;
    b->at = at;
    b->seps = seps;
    b->lf = nl & ~inq;
    b->esc = opening & ~starts;
    b->quotes = q;
    b->plain = false;
    b->bad = (m->odd & valid) | (nl & inq) | (opening & ~(starts | after_close)) |
             (after_close & ~(comma | nl | cr | q)) | (((crs << 1) | in->cr) & ~nl) | ~valid;
    b->out = (blk_carry){.inq = (inq >> 63) ? ~UINT64_C(0) : 0, .close = closing >> 63,
                         .sep = seps >> 63, .cr = crs >> 63};
}

/* Classifies the block at `at` when it is a common one (see
 * plain_masks): classify_masks's rules with the masks it does not have
 * all zero.  False (and nothing done) for any other block.  A common
 * block lies wholly before the end, as the NUL always kept at buf[end]
 * is unusual: its bytes need no masking to those read. */
static ALWAYS_INLINE bool plain_block(lic__csv *r, size_t at, const blk_carry *in, plain_masks m)
{
    if (m.unusual | in->inq)
        return false;
    blk *b = &r->block;
    b->at = at;
    b->seps = m.seps;
    b->lf = m.lf;
    b->esc = b->quotes = 0;
    b->plain = true;
    b->bad = (in->close & ~m.seps) | (in->cr & ~m.lf);
    return true;
}

/* The state after block b: kept for the general blocks, and easily
 * told for the common one (whose out would cost each row its stores). */
static inline blk_carry carry_out(const blk *b)
{
    return b->plain ? (blk_carry){.sep = b->seps >> 63} : b->out;
}

#if LIC_CSV_AVX2
/* classify_masks with masks_avx2, for the blocks plain_block does not
 * take; out of line, to keep the common block's code small. */
__attribute__((target("avx2"), noinline)) static void classify_avx2_general(lic__csv *r, size_t at,
                                                                          const blk_carry *in)
{
    raw_masks m = masks_avx2(r->buf + at);
    classify_masks(r, at, in, &m);
}

/* classify with AVX2 (the masks inline here, where AVX2 may be used). */
__attribute__((target("avx2"))) static ALWAYS_INLINE void classify_avx2_in(lic__csv *r, size_t at,
                                                                       const blk_carry *in)
{
    if (!plain_block(r, at, in, plain_avx2(r->lanes[0], r->buf + at)))
        classify_avx2_general(r, at, in);
}
#endif

static ALWAYS_INLINE void classify_sse2_in(lic__csv *r, size_t at, const blk_carry *in)
{
    if (plain_block(r, at, in, plain_sse2(r->buf + at)))
        return;
    raw_masks m = masks_sse2(r->buf + at);
    classify_masks(r, at, in, &m);
}

/* The state at the start of a row: after a line end. */
static const blk_carry row_start = {.sep = 1};

/* Classifies the 64 bytes at `at` given the state before them; the
 * AVX2 or the SSE2 way as r->avx2 says. */
#if LIC_CSV_AVX2
__attribute__((target("avx2"))) static void classify_avx2(lic__csv *r, size_t at, const blk_carry *in)
{
    classify_avx2_in(r, at, in);
}
#endif

static void classify(lic__csv *r, size_t at, const blk_carry *in)
{
#if LIC_CSV_AVX2
    if (r->avx2) {
        classify_avx2(r, at, in);
        return;
    }
#endif
    classify_sse2_in(r, at, in);
}

/* Finds the separators of the row at r->pos into r->seps; the count, or
 * 0 when the row is not for the fast scan.  (Locals, not r->..., in the
 * loops: stores through the arrays could alias the reader's members.) */
static size_t fast_seps(lic__csv *r)
{
    size_t p = r->pos, n = 0;
    uint32_t *seps = r->seps;
    uint64_t esc = 0, quotes = 0;
    blk *b = &r->block;
    if (b->at == SIZE_MAX || p < b->at || p - b->at >= 64)
        classify(r, p, &row_start);
    unsigned shift = (unsigned)(p - b->at);
    for (;;) {
        uint64_t live = ~UINT64_C(0) << shift;
        uint64_t lf = b->lf & live;
        uint64_t upto = lf ? (lf ^ (lf - 1)) : ~UINT64_C(0); /* bits up to the first LF */
        if (b->bad & live & upto)
            return 0;
        uint32_t base = (uint32_t)(b->at - p);
        esc |= b->esc & live & upto;
        quotes |= b->quotes & live & upto;
        /* seps has room for 64 past the cap */
        for (uint64_t s = b->seps & live & upto; s; s &= s - 1)
            seps[n++] = base + (uint32_t)__builtin_ctzll(s);
        if (n > LIC_CSV_MAX_FIELDS)
            return 0;
        if (lf) {
            r->seps_esc = esc != 0;
            r->seps_quoted = quotes != 0;
            return n;
        }
        if (b->at + 64 >= r->end)
            return 0;
        blk_carry out = carry_out(b);
        classify(r, b->at + 64, &out);
        shift = 0;
    }
}

/* One field of a row the fast scan found: the value in row[fs..ve),
 * finished in place; f->s points at it in `home`, where the row's bytes
 * are (row) or will be copied (see fast_finish). */
static inline void fast_field(char *row, char *home, size_t fs, size_t ve, bool esc, int line,
                              lic__csv_field *f)
{
    bool quoted = row[fs] == '"';
    char *s = row + fs + quoted;
    size_t len = ve - fs - 2 * (size_t)quoted;
    if (esc && quoted && memchr(s, '"', len))
        len = unescape(s, len);
    s[len] = '\0';
    *f = (lic__csv_field){.s = home + fs + quoted, .len = len, .line = line, .col = (int)fs + 1,
                          .quoted = quoted};
}

/* Finishes a row the fast scan found (n fields, one line, ASCII) into
 * fields[0..n), its values pointing into home (NULL: the buffer), where
 * its finished bytes are then copied. */
static void fast_finish(lic__csv *r, size_t n, lic__csv_field *fields, char *home)
{
    char *row = r->buf + r->pos, *at = home ? home : row;
    const uint32_t *seps = r->seps;
    int line = r->line;
    bool esc = r->seps_esc;
    size_t fs = 0;
    if (!r->seps_quoted) /* the common row: no value to unquote, one store of a NUL each */
        for (size_t i = 0; i + 1 < n; i++) {
            size_t fe = seps[i];
            row[fe] = '\0';
            fields[i] = (lic__csv_field){.s = at + fs, .len = fe - fs, .line = line, .col = (int)fs + 1};
            fs = fe + 1;
        }
    else
        for (size_t i = 0; i + 1 < n; i++) {
            fast_field(row, at, fs, seps[i], esc, line, &fields[i]);
            fs = seps[i] + 1;
        }
    size_t fe = seps[n - 1], ve = fe;
    if (ve > fs && row[ve - 1] == '\r')
        ve--; /* CRLF: the fast scan checked the CR is outside quotes */
    fast_field(row, at, fs, ve, esc, line, &fields[n - 1]);
    fs = fe + 1;
    if (home)
        memcpy(home, row, fs);
    r->pos += fs;
    r->line = next_line(line);
}

/* Bits set in x (only for a row that may not fit in to->room: rare). */
static unsigned bit_count(uint64_t x)
{
    unsigned k = 0;
    for (; x; x &= x - 1)
        k++;
    return k;
}

static ALWAYS_INLINE void plain_field(lic__csv_field *g, const char *at, size_t fs, size_t ve,
                                      int line)
{
    /* member by member: a compound literal would also clear the padding */
    g->s = at + fs;
    g->len = ve - fs;
    g->line = line;
    g->quoted = false;
    g->col = (int)fs + 1;
}

/* The common row's fields (fast_finish's rules, without quotes): the
 * row of `len` bytes at `row` has its separators at the bits of seps,
 * the last one its LF, and a CR before the LF only if `cr` (a common
 * block has none); values are finished in place and f[] points at them
 * in `at` (row, or where the row will be copied).  The count. */
static ALWAYS_INLINE size_t plain_fields(char *row, const char *at, uint64_t seps, unsigned len,
                                         bool cr, int line, lic__csv_field *f)
{
    size_t fs = 0;
    lic__csv_field *g = f;
    for (; seps & (seps - 1); seps &= seps - 1, g++) { /* all but the last, the LF */
        size_t fe = (unsigned)__builtin_ctzll(seps);
        row[fe] = '\0';
        plain_field(g, at, fs, fe, line);
        fs = fe + 1;
    }
    size_t ve = len - 1;
    if (cr && ve > fs && row[ve - 1] == '\r')
        ve--; /* CRLF: classify checked the CR is outside quotes */
    row[ve] = '\0';
    plain_field(g, at, fs, ve, line);
    return (size_t)(g - f) + 1;
}

/* The span of the value that ends at the lowest bit of *seps (which it
 * clears), starting at *fs; its separator becomes its NUL. */
static ALWAYS_INLINE void plain_span(char *row, uint64_t *seps, uint32_t *fs, lic__csv_span *g)
{
    uint32_t fe = (uint32_t)__builtin_ctzll(*seps);
    *seps &= *seps - 1;
    row[fe] = '\0';
    g->off = *fs;
    g->end = fe;
    *fs = fe + 1;
}

/* Values in one unrolled run of plain_spans. */
#define SPAN_RUN 8

/* plain_fields for lic__csv_next_cells: spans instead of fields, two
 * stores a value instead of five (no pointer, line or column).  The
 * values before the last are written unrolled, entered by their count
 * (a loop's test and pointer step cost as much as the value), runs of
 * SPAN_RUN first for a long row. */
static ALWAYS_INLINE size_t plain_spans(char *row, uint64_t seps, unsigned len, bool cr,
                                        lic__csv_span *sp)
{
    uint32_t fs = 0;
    unsigned n = (unsigned)__builtin_popcountll(seps), k = n - 1; /* all but the last, the LF */
    lic__csv_span *g = sp;
    for (; k > SPAN_RUN; k -= SPAN_RUN, g += SPAN_RUN)
        for (int i = 0; i < SPAN_RUN; i++)
            plain_span(row, &seps, &fs, &g[i]);
    g += k; /* the last value's span: the k before it are g[-k..-1] */
    switch (k) {
    case 8: plain_span(row, &seps, &fs, &g[-8]); /* fall through */
    case 7: plain_span(row, &seps, &fs, &g[-7]); /* fall through */
    case 6: plain_span(row, &seps, &fs, &g[-6]); /* fall through */
    case 5: plain_span(row, &seps, &fs, &g[-5]); /* fall through */
    case 4: plain_span(row, &seps, &fs, &g[-4]); /* fall through */
    case 3: plain_span(row, &seps, &fs, &g[-3]); /* fall through */
    case 2: plain_span(row, &seps, &fs, &g[-2]); /* fall through */
    case 1: plain_span(row, &seps, &fs, &g[-1]); /* fall through */
    default: break;
    }
    uint32_t ve = len - 1;
    if (cr && ve > fs && row[ve - 1] == '\r')
        ve--; /* CRLF: classify checked the CR is outside quotes */
    row[ve] = '\0';
    g->off = fs;
    g->end = ve;
    return n;
}

/* The common row in one step: unquoted and ended within the 64 bytes of
 * one classified block, whose separators serve every row that ends in
 * it.  When the block at hand does not hold the row's line end, the 64
 * bytes from the row's start are classified (from the state after a line
 * end, which is where a row starts), so that a row of up to 64 bytes is
 * always in one block.  Its fields go straight from the separator bits to
 * where try_fast would put them; false, with nothing changed but the
 * block, for any other row.  plain_row_sse2 and plain_row_avx2 (below)
 * are the two ways to classify around the functions here. */

/* The row's line end in the block at hand (0: not there) and the row's
 * first bit in it. */
static ALWAYS_INLINE uint64_t plain_lf(const lic__csv *r, unsigned *shift)
{
    const blk *b = &r->block;
    size_t p = r->pos;
    *shift = 0;
    /* b->lf is 0 when the rows taken from the block cleared every LF
     * (plain_done): the common case of a row that runs past the block */
    if (!b->lf || b->at > p || p - b->at >= 64) /* b->at is SIZE_MAX when there is none */
        return 0;
    *shift = (unsigned)(p - b->at);
    return b->lf & (~UINT64_C(0) << *shift);
}

/* Takes the row of `len` bytes at r->pos, unquoted, whose separators
 * are the bits of seps (bit 0 its first byte), the last one its LF; `cr`
 * when a CR may precede the LF.  As cells into c when c is not NULL
 * (then to is NULL), else as fields. */
static ALWAYS_INLINE void plain_take(lic__csv *r, uint64_t seps, unsigned len, bool cr,
                                     lic__csv_into *to, lic__csv_cells *c,
                                     const lic__csv_field **fields, size_t *n)
{
    /* fields <= len <= 64 (one separator each, the row in one block):
     * r->fields has room for them (ROW_FIELDS) */
    lic__csv_field *f = r->fields;
    char *row = r->buf + r->pos, *home = NULL;
    if (c) {
        /* r->fields has room for lic__csv_cell_fields to write the
         * fields later: see ROW_FIELDS */
        /* the reader's members first: the NULs written over the
         * separators could alias them, which would then be read again */
        int line = r->line;
        size_t pos = r->pos;
        lic__csv_span *sp = r->spans;
        r->pos = pos + len;
        r->line = next_line(line);
        c->at = row;
        c->span = sp;
        c->line = line;
        c->off = r->origin + pos;
        c->fields = NULL;
        c->n = plain_spans(row, seps, len, cr, sp);
        return;
    }
    if (to && len <= to->text_room && (len <= to->room || bit_count(seps) <= to->room)) {
        f = to->f;
        home = to->text;
        to->text_used = len;
    }
    int line = r->line;
    *n = plain_fields(row, home ? home : row, seps, len, cr, line, f);
    if (home)
        memcpy(home, row, len);
    r->pos += len;
    r->line = next_line(line);
    *fields = f;
}

/* For the row whose line end is the lowest bit of lf, which is taken:
 * the block's LFs become those after it (and any before, which no row
 * at or after r->pos looks at), so that plain_lf tells at once that a
 * block holds no more row ends.  Only for a row taken: the slow paths
 * look for its LF in the block.  Before the row is taken, so that lf
 * need not be kept. */
static ALWAYS_INLINE void plain_done(lic__csv *r, uint64_t lf)
{
    r->block.lf = lf & (lf - 1);
}

/* The row in the block at hand, whose line end is lf (bit shift the
 * row's first byte): taken unless a bad byte or a quote comes first. */
static ALWAYS_INLINE bool plain_in_block(lic__csv *r, uint64_t lf, unsigned shift,
                                         lic__csv_into *to, lic__csv_cells *c,
                                         const lic__csv_field **fields, size_t *n)
{
    const blk *b = &r->block;
    uint64_t span = (lf ^ (lf - 1)) & (~UINT64_C(0) << shift); /* the row, up to its LF */
    if ((b->bad | b->quotes) & span)
        return false;
    uint64_t seps = (b->seps & span) >> shift;
    bool cr = !b->plain;
    plain_done(r, lf);
    plain_take(r, seps, (unsigned)__builtin_ctzll(lf) + 1 - shift, cr, to, c, fields, n);
    return true;
}

/* The row in the block plain_block just classified from the row's start:
 * it holds no quote or CR, and nothing bad (all its bytes are read), so
 * a row whose LF is there is taken, without those tests. */
static ALWAYS_INLINE bool plain_fresh(lic__csv *r, lic__csv_into *to, lic__csv_cells *c,
                                      const lic__csv_field **fields, size_t *n)
{
    uint64_t lf = r->block.lf;
    if (!lf)
        return false;
    plain_done(r, lf);
    plain_take(r, r->block.seps & (lf ^ (lf - 1)), (unsigned)__builtin_ctzll(lf) + 1, false, to, c,
               fields, n);
    return true;
}

static ALWAYS_INLINE bool plain_row_sse2(lic__csv *r, lic__csv_into *to, lic__csv_cells *c,
                                         const lic__csv_field **fields, size_t *n)
{
    unsigned shift;
    uint64_t lf = plain_lf(r, &shift);
    if (lf)
        return plain_in_block(r, lf, shift, to, c, fields, n);
    if (plain_block(r, r->pos, &row_start, plain_sse2(r->buf + r->pos)))
        return plain_fresh(r, to, c, fields, n);
    raw_masks m = masks_sse2(r->buf + r->pos);
    classify_masks(r, r->pos, &row_start, &m);
    lf = r->block.lf;
    return lf && plain_in_block(r, lf, 0, to, c, fields, n);
}

#if LIC_CSV_AVX2
/* With AVX2 the whole row is taken in code built for it (BMI's bit
 * instructions too, which every CPU with AVX2 has; has_avx2 checks). */
#define AVX2_ROW __attribute__((target("avx2,bmi,bmi2")))

AVX2_ROW static ALWAYS_INLINE bool plain_row_avx2(lic__csv *r, lic__csv_into *to,
                                                  lic__csv_cells *c,
                                                  const lic__csv_field **fields, size_t *n)
{
    unsigned shift;
    uint64_t lf = plain_lf(r, &shift);
    if (lf)
        return plain_in_block(r, lf, shift, to, c, fields, n);
    if (plain_block(r, r->pos, &row_start, plain_avx2(r->lanes[0], r->buf + r->pos)))
        return plain_fresh(r, to, c, fields, n);
    classify_avx2_general(r, r->pos, &row_start);
    lf = r->block.lf;
    return lf && plain_in_block(r, lf, 0, to, c, fields, n);
}
#endif
#endif

/* Takes the row at r->pos with the fast scan if it can: into `to` when
 * it fits there (see lic__csv_next_into), else into r->fields; *fields
 * says where. */
static bool try_fast(lic__csv *r, lic__csv_into *to, const lic__csv_field **fields, size_t *n,
                     bool plain_tried)
{
#if LIC_CSV_FAST
    if (r->pos < r->end) {
        if (!plain_tried && plain_row_sse2(r, to, NULL, fields, n))
            return true;
        size_t k = fast_seps(r);
        bool there = k && to && k <= to->room && (size_t)r->seps[k - 1] + 1 <= to->text_room;
        if (k && (there || reserve_field(r, k - 1))) {
            *fields = there ? to->f : r->fields;
            fast_finish(r, k, (lic__csv_field *)*fields, there ? to->text : NULL);
            if (there)
                to->text_used = (size_t)r->seps[k - 1] + 1;
            *n = k;
            return true;
        }
    }
#else
    (void)r;
    (void)to;
    (void)fields;
    (void)n;
    (void)plain_tried;
#endif
    return false;
}

/* ---- the API ---- */

static lic_err open_common(lic__csv **out, size_t chunk)
{
    *out = NULL;
    lic__csv *r = lic__calloc(1, sizeof *r);
    if (!r)
        return LIC_ENOMEM;
    r->chunk = chunk ? chunk : LIC_CSV_CHUNK;
    r->cap = r->chunk < LIC_CSV_MAX_ROW ? r->chunk : LIC_CSV_MAX_ROW;
    /* Zeroed so that the fast scan never reads bytes that were never
     * written (they are masked out, but tools would still see them). */
    r->buf = lic__calloc(1, r->cap + 1 + BLOCK_PAD);
    r->seps = LIC_CSV_FAST ? lic__malloc((LIC_CSV_MAX_FIELDS + 64) * sizeof *r->seps) : NULL;
    /* whole from the start: lic__csv_next_cells then never fails for
     * want of them (reading ahead, the caller's thread fills them) */
    r->spans = lic__malloc(LIC_CSV_MAX_FIELDS * sizeof *r->spans);
    if (!r->buf || (LIC_CSV_FAST && !r->seps) || !r->spans || !reserve_field(r, ROW_FIELDS - 1)) {
        lic__free(r->buf);
        lic__free(r->spans);
        lic__free(r->seps);
        lic__free(r->raw);
        lic__free(r->fields);
        lic__free(r);
        return LIC_ENOMEM;
    }
    r->fast = LIC_CSV_FAST;
#if LIC_CSV_FAST && LIC_CSV_AVX2
    lanes_init(r->lanes);
    r->avx2 = has_avx2();
#endif
    r->block.at = SIZE_MAX;
    r->line = 1;
    *out = r;
    return LIC_OK;
}

lic_err lic__csv_open(FILE *f, lic__csv **out)
{
    lic_err rc = open_common(out, 0);
    if (!rc)
        (*out)->f = f;
    return rc;
}

lic_err lic__csv_open_mem(const char *data, size_t len, size_t chunk, lic__csv **out)
{
    lic_err rc = open_common(out, chunk);
    if (!rc) {
        (*out)->mem = data ? data : "";
        (*out)->memlen = len;
        (*out)->eof = len == 0;
    }
    return rc;
}

void lic__csv_free(lic__csv *r)
{
    if (!r)
        return;
    lic__csv_ahead_free(r->ahead);
    lic__free(r->buf);
    lic__free(r->seps);
    lic__free(r->spans);
    lic__free(r->raw);
    lic__free(r->fields);
    lic__free(r);
}

void lic__csv_set_fast(lic__csv *r, bool on)
{
    r->fast = on && LIC_CSV_FAST;
    r->quick = r->fast && r->started && !r->err;
    r->block.at = SIZE_MAX;
}

void lic__csv_set_avx2(lic__csv *r, bool on)
{
#if LIC_CSV_FAST && LIC_CSV_AVX2
    r->avx2 = on && has_avx2();
#else
    (void)on;
    r->avx2 = false;
#endif
    r->block.at = SIZE_MAX;
}

void lic__csv_on_read(lic__csv *r, void (*fn)(void *, const unsigned char *, size_t), void *arg)
{
    r->on_read = fn;
    r->on_read_arg = arg;
}

lic_err lic__csv_read_ahead(lic__csv *r)
{
    return lic__csv_read_ahead_rows(r, NULL);
}

lic_err lic__csv_read_ahead_rows(lic__csv *r, const lic__csv_rows *rows)
{
    return r->ahead ? LIC_OK : lic__csv_ahead_new(r, rows, &r->ahead);
}

void *lic__csv_row_slot(const lic__csv *r)
{
    return r->ahead ? lic__csv_ahead_slot(r->ahead) : NULL;
}

/* lic__csv_next_into for every row but the common one when plain_row_*
 * was tried on it (`plain_tried`): kept apart so that the common row
 * pays for none of what the others need. */
static lic_err next_row(lic__csv *r, lic__csv_into *to, const lic__csv_field **fields, size_t *n,
                        bool plain_tried)
{
    *fields = NULL;
    *n = 0;
    if (to)
        to->text_used = 0;
    if (r->err)
        return r->err;
    lic_err rc = r->started ? LIC_OK : skip_bom(r);
    if (!rc && r->fast && try_fast(r, to, fields, n, plain_tried))
        return LIC_OK;
    r->block.at = SIZE_MAX;
    scan sc;
    for (;;) {
        if (rc)
            return rc;
        if (r->pos == r->end && r->eof)
            return LIC_OK; /* the end */
        int st = scan_row(r, &sc);
        if (st == ROW_DONE)
            break;
        if (st == ROW_ERROR)
            return r->err;
        rc = fill(r);
    }
    rc = check_bytes(r, sc.row_end);
    if (rc)
        return rc;
    columns(r, sc.n, sc.row_end);
    finish_values(r, sc.n);
    r->pos = sc.row_end;
    r->line = sc.line;
    *fields = r->fields;
    *n = sc.n;
    return LIC_OK;
}

/* lic__csv_next_into when r->quick and the buffer holds a byte: the
 * common row at once, the others in next_row; SSE2 or AVX2. */
#if LIC_CSV_FAST
static lic_err next_sse2(lic__csv *r, lic__csv_into *to, const lic__csv_field **fields, size_t *n)
{
    if (plain_row_sse2(r, to, NULL, fields, n))
        return LIC_OK;
    return next_row(r, to, fields, n, true);
}
#endif

#if LIC_CSV_AVX2
AVX2_ROW static ALWAYS_INLINE lic_err next_avx2_to(lic__csv *r, lic__csv_into *to,
                                                   const lic__csv_field **fields, size_t *n)
{
    if (plain_row_avx2(r, to, NULL, fields, n))
        return LIC_OK;
    return next_row(r, to, fields, n, true);
}

/* next_avx2_to built twice: with no `to` (lic__csv_next's case, which
 * then has none of its tests) and with one (the thread reading ahead). */
AVX2_ROW static lic_err next_avx2(lic__csv *r, const lic__csv_field **fields, size_t *n)
{
    return next_avx2_to(r, NULL, fields, n);
}

AVX2_ROW static lic_err next_avx2_into(lic__csv *r, lic__csv_into *to,
                                       const lic__csv_field **fields, size_t *n)
{
    return next_avx2_to(r, to, fields, n);
}
#endif

/* lic__csv_next_into, inline in each entry point (to is NULL in two). */
static ALWAYS_INLINE lic_err next_any(lic__csv *r, lic__csv_into *to, const lic__csv_field **fields,
                                      size_t *n)
{
#if LIC_CSV_FAST
    if (r->quick && r->pos < r->end) {
        if (to)
            to->text_used = 0;
#if LIC_CSV_AVX2
        if (r->avx2)
            return to ? next_avx2_into(r, to, fields, n) : next_avx2(r, fields, n);
#endif
        return next_sse2(r, to, fields, n);
    }
#endif
    return next_row(r, to, fields, n, false);
}

lic_err lic__csv_next_into(lic__csv *r, lic__csv_into *to, const lic__csv_field **fields, size_t *n)
{
    return next_any(r, to, fields, n);
}

lic_err lic__csv_next(lic__csv *r, const lic__csv_field **fields, size_t *n)
{
    return r->ahead ? lic__csv_ahead_next(r->ahead, fields, n) : next_any(r, NULL, fields, n);
}

lic_err lic__csv_next_direct(lic__csv *r, const lic__csv_field **fields, size_t *n)
{
    return next_any(r, NULL, fields, n);
}

/* ---- rows as cells ---- */

/* A row given as fields (rc and f, n from lic__csv_next or next_row,
 * starting at byte `off`) as cells: spans over the fields' values, which
 * lie in order after the first one's. */
static lic_err cells_of(lic__csv *r, lic_err rc, const lic__csv_field *f, size_t n, uint64_t off,
                        lic__csv_cells *c)
{
    c->n = 0;
    c->fields = f;
    c->off = off;
    if (rc || n == 0)
        return rc;
    lic__csv_cells_of_fields(f, n, r->spans, c);
    return LIC_OK;
}

void lic__csv_cells_of_fields(const lic__csv_field *f, size_t n, lic__csv_span *span, lic__csv_cells *c)
{
    c->at = f[0].s;
    c->line = f[0].line;
    c->span = span;
    c->fields = f;
    for (size_t i = 0; i < n; i++)
        span[i] = (lic__csv_span){(uint32_t)(f[i].s - c->at), (uint32_t)(f[i].s - c->at + f[i].len)};
    c->n = n;
}

/* lic__csv_next_cells for every row but the common one, which
 * plain_row_* tried (`plain_tried`) or not. */
static lic_err next_cells_slow(lic__csv *r, lic__csv_cells *c, bool plain_tried)
{
    const lic__csv_field *f = NULL;
    size_t n = 0;
    uint64_t off;
    lic_err rc;
    if (r->ahead) {
        off = lic__csv_ahead_offset(r->ahead);
        rc = lic__csv_ahead_next(r->ahead, &f, &n);
    } else {
        off = r->origin + r->pos;
        rc = next_row(r, NULL, &f, &n, plain_tried);
    }
    return cells_of(r, rc, f, n, off, c);
}

#if LIC_CSV_FAST
/* Out of line, as next_cells_avx2 is, so that lic__csv_next_cells stays
 * a test and a jump (inline, its register saving cost every row more
 * than a tenth of the row). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline, nonnull)) /* nonnull: plain_take's test of c goes */
#endif
static lic_err next_cells_sse2(lic__csv *r, lic__csv_cells *c)
{
    if (plain_row_sse2(r, NULL, c, NULL, NULL))
        return LIC_OK;
    return next_cells_slow(r, c, true);
}
#endif

#if LIC_CSV_AVX2
AVX2_ROW __attribute__((nonnull)) static lic_err next_cells_avx2(lic__csv *r, lic__csv_cells *c)
{
    if (plain_row_avx2(r, NULL, c, NULL, NULL))
        return LIC_OK;
    return next_cells_slow(r, c, true);
}
#endif

lic_err lic__csv_next_cells(lic__csv *r, lic__csv_cells *c)
{
#if LIC_CSV_FAST
    /* r->ahead first: reading ahead, the thread writes the others */
    if (!r->ahead && r->quick && r->pos < r->end) {
#if LIC_CSV_AVX2
        if (r->avx2)
            return next_cells_avx2(r, c);
#endif
        return next_cells_sse2(r, c);
    }
#endif
    return next_cells_slow(r, c, false);
}

const char *lic__csv_peek(const lic__csv *r, size_t *avail, int *line, uint64_t *off)
{
    if (r->ahead || !r->quick || r->pos >= r->end)
        return NULL;
    *avail = r->end - r->pos;
    *line = r->line;
    *off = r->origin + r->pos;
    return r->buf + r->pos;
}

void lic__csv_skip_row(lic__csv *r, size_t len)
{
    lic__csv_skip_rows(r, len, 1);
}

void lic__csv_skip_rows(lic__csv *r, size_t len, size_t n)
{
    r->pos += len;
    r->line = n < (size_t)(INT_MAX - r->line) ? r->line + (int)n : INT_MAX; /* as next_line n times */
    r->block.at = SIZE_MAX; /* its masks would still be right past pos; only the scan keeps them */
}

const lic__csv_field *lic__csv_cell_fields(lic__csv *r, const lic__csv_cells *c)
{
    if (c->fields || c->n == 0)
        return c->fields;
    /* a common row: one line, unquoted, ASCII (a column is a byte), and
     * r->fields has room (plain_take made it) */
    for (size_t i = 0; i < c->n; i++)
        r->fields[i] = (lic__csv_field){.s = c->at + c->span[i].off, .len = c->span[i].end - c->span[i].off,
                                        .line = c->line, .col = (int)c->span[i].off + 1};
    return r->fields;
}

const char *lic__csv_error(const lic__csv *r, int *line, int *col)
{
    *line = r->err_line;
    *col = r->err_col;
    return r->err ? r->msg : "";
}

int lic__csv_line(const lic__csv *r)
{
    return r->ahead ? lic__csv_ahead_line(r->ahead) : r->line;
}

int lic__csv_line_direct(const lic__csv *r)
{
    return r->line;
}

uint64_t lic__csv_offset(const lic__csv *r)
{
    return r->ahead ? lic__csv_ahead_offset(r->ahead) : lic__csv_offset_direct(r);
}

uint64_t lic__csv_offset_direct(const lic__csv *r)
{
    return r->origin + r->pos;
}

void lic__csv_resume(lic__csv *r, uint64_t offset, int line)
{
    r->origin = offset;
    r->line = line;
    r->started = true; /* a byte order mark is only at the very start */
    r->quick = r->fast && !r->err;
}

/* Line ends, 32 bytes at a time where the CPU has AVX2: the count runs
 * over everything before a part of a big file (lic__csv_count_lf). */
#if LIC_CSV_FAST && LIC_CSV_AVX2
__attribute__((target("avx2,popcnt"))) static size_t count_lf_avx2(const char *p, size_t n, size_t *done)
{
    const __m256i lf = _mm256_set1_epi8('\n');
    size_t c = 0, i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        c += (size_t)__builtin_popcount((unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, lf)));
    }
    *done = i;
    return c;
}
#endif

size_t lic__csv_count_lf(const char *p, size_t n)
{
    size_t c = 0, i = 0;
#if LIC_CSV_FAST && LIC_CSV_AVX2
    if (has_avx2())
        c = count_lf_avx2(p, n, &i);
#endif
    for (; i < n; i++)
        c += p[i] == '\n';
    return c;
}
