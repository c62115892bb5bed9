/*
 * test_csv.c - the CSV tokenizer (lib/csv.h): RFC 4180 fields, quoting,
 * line ends, the byte order mark, positions in characters, every error
 * with its exact message and place, and the caps.
 *
 * Each input is read with many chunk sizes (so that a chunk boundary
 * falls on every byte) and every way the tokenizer reads: byte by byte,
 * the fast block scan (with AVX2 where the CPU has it, and with SSE2
 * only), and the fast scan reading ahead on a thread with a row function
 * (whose slots must describe the very rows handed out); all must give
 * the same rows; and each of the fast ways again through
 * lic__csv_next_cells, whose spans must hold the very values of the
 * fields lic__csv_cell_fields gives.  A row is rendered "L:C=value|L:C=value", a
 * quoted value as L:C="value", an error as "error L:C: message".
 */
#include "testutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "csv.h"

static const size_t chunks[] = {0, 1, 2, 3, 5, 8, 13, 64, 100};

typedef struct out {
    char *s;
    size_t len, cap;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        o->s = realloc(o->s, o->cap);
        assert_non_null(o->s);
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = '\0';
}

static void putf(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(out *o, const char *fmt, ...)
{
    char buf[300];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    put(o, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void render_row(out *o, const lic__csv_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        putf(o, "%s%d:%d=%s", i ? "|" : "", f[i].line, f[i].col, f[i].quoted ? "\"" : "");
        put(o, f[i].s, f[i].len);
        assert_int_equal(f[i].s[f[i].len], '\0'); /* NUL-terminated */
        if (f[i].quoted)
            put(o, "\"", 1);
    }
    put(o, "\n", 1);
}

/* The ways a tokenizer reads (see the top). */
enum { SLOW, FAST, FAST_SSE2, FAST_AHEAD, CELLS, CELLS_SSE2, CELLS_AHEAD, NWAYS };
static const char *const way_name[NWAYS] = {"slow", "fast", "fast SSE2", "fast reading ahead",
                                            "cells", "cells SSE2", "cells reading ahead"};

/* What the row function leaves in a row's slot: its size and first value. */
typedef struct row_note {
    size_t n, len0;
    int line0, col0;
    char head[8];
} row_note;

static void note_row(void *ctx, const lic__csv_field *f, size_t n, void *slot)
{
    row_note *w = slot;
    *w = (row_note){.n = n, .len0 = f[0].len, .line0 = f[0].line, .col0 = f[0].col};
    memcpy(w->head, f[0].s, f[0].len < sizeof w->head ? f[0].len : sizeof w->head);
    (*(int *)ctx)++; /* the thread's own count; read after the join */
}

/* The row function's note on the row in f, as it was handed out. */
static void check_note(const lic__csv *r, const lic__csv_field *f, size_t n)
{
    const row_note *w = lic__csv_row_slot(r);
    assert_non_null(w);
    assert_int_equal(w->n, n);
    assert_int_equal(w->len0, f[0].len);
    assert_int_equal(w->line0, f[0].line);
    assert_int_equal(w->col0, f[0].col);
    assert_memory_equal(w->head, f[0].s, f[0].len < sizeof w->head ? f[0].len : sizeof w->head);
}

/* The next row through lic__csv_next_cells, as fields: the spans must
 * hold the fields' values, the row its first field's line and the
 * offset the tokenizer had before it. */
static lic_err next_as_cells(lic__csv *r, const lic__csv_field **f, size_t *n)
{
    uint64_t before = lic__csv_offset(r);
    lic__csv_cells c;
    lic_err rc = lic__csv_next_cells(r, &c);
    *n = c.n;
    *f = lic__csv_cell_fields(r, &c);
    if (rc || !c.n)
        return rc;
    assert_int_equal(c.off, before);
    assert_int_equal(c.line, (*f)[0].line);
    for (size_t i = 0; i < c.n; i++) {
        assert_ptr_equal(c.at + c.span[i].off, (*f)[i].s);
        assert_int_equal(c.span[i].end - c.span[i].off, (*f)[i].len);
    }
    return rc;
}

/* All rows of data read `chunk` bytes at a time; the caller frees. */
static char *tokens_way(const char *data, size_t len, size_t chunk, int way)
{
    lic__csv *r;
    out o = {0};
    int noted = 0, rows = 0;
    put(&o, "", 0);
    assert_int_equal(lic__csv_open_mem(data, len, chunk, &r), LIC_OK);
    bool cells = way >= CELLS;
    if (cells)
        way -= CELLS - FAST; /* the same settings */
    lic__csv_set_fast(r, way != SLOW);
    if (way == FAST_SSE2)
        lic__csv_set_avx2(r, false);
    if (way == FAST_AHEAD) {
        const lic__csv_rows fn = {note_row, &noted, sizeof(row_note), true};
        assert_int_equal(lic__csv_read_ahead_rows(r, &fn), LIC_OK);
    }
    for (;;) {
        const lic__csv_field *f;
        size_t n;
        lic_err rc = cells ? next_as_cells(r, &f, &n) : lic__csv_next(r, &f, &n);
        if (way == FAST_AHEAD && !rc && n) {
            check_note(r, f, n);
            rows++;
        }
        else
            assert_null(lic__csv_row_slot(r)); /* none without a row function, at the end, after an error */
        if (rc) {
            int line, col;
            const char *msg = lic__csv_error(r, &line, &col);
            putf(&o, "error %d:%d: %s", line, col, msg);
            /* errors are sticky */
            assert_int_equal(lic__csv_next(r, &f, &n), rc);
            break;
        }
        if (n == 0)
            break;
        render_row(&o, f, n);
    }
    lic__csv_free(r);
    assert_true(noted >= rows); /* the thread has stopped: its count is safe to read */
    return o.s;
}

static char *tokens(const char *data, size_t len, size_t chunk, bool fast)
{
    return tokens_way(data, len, chunk, fast ? FAST : SLOW);
}

static void expect_len(const char *data, size_t len, const char *want)
{
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++)
        for (int way = 0; way < NWAYS; way++) {
            char *got = tokens_way(data, len, chunks[i], way);
            if (strcmp(got, want))
                fail_msg("chunk %zu, %s:\n got: %s\nwant: %s", chunks[i], way_name[way], got, want);
            free(got);
        }
}

static void expect(const char *data, const char *want)
{
    expect_len(data, strlen(data), want);
}

/* ---- fields and rows ---- */

static void fields_split_on_commas_rows_on_lf_or_crlf(void **state)
{
    (void)state;
    expect("a,b,c\nd,e,f\n", "1:1=a|1:3=b|1:5=c\n2:1=d|2:3=e|2:5=f\n");
    expect("a,b\r\nc,d\r\n", "1:1=a|1:3=b\n2:1=c|2:3=d\n");
    expect("a,b\nc,d\r\ne\n", "1:1=a|1:3=b\n2:1=c|2:3=d\n3:1=e\n");
}

static void empty_fields_are_empty_strings(void **state)
{
    (void)state;
    expect(",,\n", "1:1=|1:2=|1:3=\n");
    expect("a,,b,\r\n", "1:1=a|1:3=|1:4=b|1:6=\n");
}

static void last_row_may_lack_a_line_end(void **state)
{
    (void)state;
    expect("a,b\nc,d", "1:1=a|1:3=b\n2:1=c|2:3=d\n");
    expect("a,\"b\"", "1:1=a|1:3=\"b\"\n");
    expect("a,", "1:1=a|1:3=\n");
    expect("", "");
}

static void blank_line_is_a_row_of_one_empty_field(void **state)
{
    (void)state;
    expect("a\n\nb\n", "1:1=a\n2:1=\n3:1=b\n");
    expect("\r\n", "1:1=\n");
}

static void quoted_values_hold_commas_quotes_and_line_ends(void **state)
{
    (void)state;
    expect("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", "1:1=\"a,b\"|1:7=\"say \"hi\"\"|1:20=\"\"\n");
    expect("\"\"\"\"\n", "1:1=\"\"\"\n");
    /* A line end inside quotes is part of the value; the next field
     * starts on the next line, its column counted from there. */
    expect("\"one\ntwo\",x\nnext\n", "1:1=\"one\ntwo\"|2:6=x\n3:1=next\n");
}

static void quoted_line_ends_count_lines(void **state)
{
    (void)state;
    expect("\"a\r\nb\",c\r\nd\n", "1:1=\"a\r\nb\"|2:4=c\n3:1=d\n");
    expect("x,\"1\n2\n3\",y\nz\n", "1:1=x|1:3=\"1\n2\n3\"|3:4=y\n4:1=z\n");
}

static void bom_is_skipped_and_not_counted(void **state)
{
    (void)state;
    expect("\xEF\xBB\xBFperiod,country\n1,2\n", "1:1=period|1:8=country\n2:1=1|2:3=2\n");
    expect("\xEF\xBB\xBF", "");
    /* Only at the very start. */
    expect("a\n\xEF\xBB\xBF" "b\n", "1:1=a\n2:1=\xEF\xBB\xBF" "b\n");
}

static void columns_count_characters_not_bytes(void **state)
{
    (void)state;
    expect("\xC3\xA9t\xC3\xA9,x,\"\xE2\x82\xAC\",y\n", "1:1=\xC3\xA9t\xC3\xA9|1:5=x|1:7=\"\xE2\x82\xAC\"|1:11=y\n");
}

static void long_rows_cross_blocks_and_chunks(void **state)
{
    (void)state;
    /* 40 fields of 12 bytes, every third quoted with a doubled quote:
     * rows of 520 bytes, many 64-byte blocks; the same rows whatever
     * the chunk size or scan. */
    out in = {0};
    for (int row = 1; row <= 3; row++) {
        for (int i = 0; i < 40; i++) {
            if (i % 3 == 0)
                putf(&in, "%s\"%08d\"\"q\"", i ? "," : "", row * 100 + i);
            else
                putf(&in, "%sv%08d", i ? "," : "", row * 100 + i);
        }
        put(&in, row == 2 ? "\r\n" : "\n", row == 2 ? 2 : 1);
    }
    char *got = tokens(in.s, in.len, 0, true);
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++)
        for (int way = 0; way < NWAYS; way++) {
            char *other = tokens_way(in.s, in.len, chunks[i], way);
            assert_string_equal(other, got);
            free(other);
        }
    assert_non_null(strstr(got, "1:1=\"00000100\"q\"|1:15=v00000101|1:25=v00000102|1:35=\"00000103\"q\"|"));
    assert_non_null(strstr(got, "|3:443=\"00000339\"q\"\n"));
    free(got);
    free(in.s);
}

/* Rows of plain values (no quote, ASCII), each ended by `eol`: the input
 * and the rendering expect() wants, built from the rows' text. */
static void expect_plain_rows(const char *const *rows, size_t nrows, const char *eol)
{
    out in = {0}, want = {0};
    put(&want, "", 0);
    for (size_t i = 0; i < nrows; i++) {
        put(&in, rows[i], strlen(rows[i]));
        put(&in, eol, strlen(eol));
        const char *v = rows[i];
        for (int col = 1;; col++) {
            size_t len = strcspn(v, ",");
            putf(&want, "%s%zu:%d=%.*s", col > 1 ? "|" : "", i + 1, col, (int)len, v);
            if (!v[len])
                break;
            col += (int)len;
            v += len + 1;
        }
        put(&want, "\n", 1);
    }
    expect_len(in.s, in.len, want.s);
    free(in.s);
    free(want.s);
}

/* The fast scan classifies 64 bytes from a row's start and keeps them
 * for the rows that end in them: several rows in one block, the row
 * that runs past it (classified again from its own start), and rows of
 * 63, 64 (the line end the block's last byte) and 65 bytes (too long
 * for one block: the general fast scan) in every order. */
static void plain_rows_share_a_block_and_run_past_it(void **state)
{
    (void)state;
    static const char *const short_rows[] = {"a,bb,ccc", "dd,e,fff", "g,hh,iii", "jj,k,lll",
                                             "m,nn,ooo", "pp,q,rrr", "s,tt,uuu", "vv,w,xxx",
                                             "y", "", "zz,,"};
    expect_plain_rows(short_rows, sizeof short_rows / sizeof *short_rows, "\n");
    expect_plain_rows(short_rows, sizeof short_rows / sizeof *short_rows, "\r\n");
    /* 62, 63 and 64 bytes of text: rows of 63, 64 and 65 bytes with LF */
    static const char r62[] = "A0000,2020-Q1,JP,therapeutics/oncology,1370391.43,39566.95,USD";
    static const char r63[] = "A0000,2020-Q1,JP,therapeutics/oncology,1370391.43,39566.951,USD";
    static const char r64[] = "A0000,2020-Q1,JP,therapeutics/oncology,1370391.43,39566.9512,USD";
    _Static_assert(sizeof r62 == 63 && sizeof r63 == 64 && sizeof r64 == 65, "row lengths");
    static const char *const mixed[] = {r63, r63, r62, r64, r63, "x", r63, r64, r64, r62, r62,
                                        "a,b", r63, r62, r63};
    expect_plain_rows(mixed, sizeof mixed / sizeof *mixed, "\n");
    expect_plain_rows(mixed, sizeof mixed / sizeof *mixed, "\r\n");
}

/* A row of 64 separators fills a block and makes 64 fields; the fields
 * of plain rows are as many as their separators, whatever the block. */
static void plain_row_of_only_separators_fills_a_block(void **state)
{
    (void)state;
    char row[64];
    memset(row, ',', 63);
    row[63] = '\0';
    const char *const rows[] = {row, row, "a", row};
    expect_plain_rows(rows, 4, "\n");
}

/* The spans of a plain row are written unrolled, entered by the count
 * of its values, in runs of 8 for a long row: rows of 1 to 32 values
 * (32 one-byte values: 63 bytes with the LF, one block) give every
 * entry and every number of runs. */
static void plain_rows_of_every_value_count_up_to_a_block(void **state)
{
    (void)state;
    static char text[32][64];
    const char *rows[32];
    for (int n = 1; n <= 32; n++) {
        char *t = text[n - 1];
        for (int i = 0; i < n; i++) /* one- and two-byte values, an empty one */
            t += sprintf(t, "%s%.*s", i ? "," : "", i % 5 == 3 ? 0 : n <= 20 ? 1 + i % 2 : 1,
                         &"xy"[i % 2]);
        rows[n - 1] = text[n - 1];
    }
    expect_plain_rows(rows, 32, "\n");
    expect_plain_rows(rows, 32, "\r\n");
}

/* A plain row taken from a block drops its line end from the block's,
 * which then tells at once that no more rows end in it: the rows after
 * it in the same block are still found, those the fast scan does not
 * take (a bad byte, a quote) and those after them included, and a row
 * whose line end is the block's last byte (byte 63 from the first row's
 * start) or the byte after it. */
static void rows_after_a_plain_row_in_one_block(void **state)
{
    (void)state;
    expect_len("a,b\nc,d\ne\0f\ng\n", 13, "1:1=a|1:3=b\n2:1=c|2:3=d\nerror 3:2: a NUL byte (is this a text file?)");
    expect("a,b\n5\" disk,x\n",
           "1:1=a|1:3=b\nerror 2:2: a quote inside an unquoted value (quote the whole value and "
           "double the quote: \"5\"\" disk\")");
    expect("a\nb\rc\nd\n", "1:1=a\nerror 2:2: carriage return without a line feed (save the file "
                            "with LF or CRLF line ends)");
    expect("a,b\n\"q\",r\ns,t\nu\n", "1:1=a|1:3=b\n2:1=\"q\"|2:5=r\n3:1=s|3:3=t\n4:1=u\n");
    static const char r39[] = "A00000,2020-Q1,JP,therapeutics/oncology";
    static const char r23[] = "1370391.43,39566.95,USD", r24[] = "1370391.43,39566.951,USD";
    _Static_assert(sizeof r39 + sizeof r23 == 64 && sizeof r24 == 25, "row lengths");
    static const char *const edge[] = {r39, r23, "z", r39, r24, "y,", r39, r23, r39, r23};
    expect_plain_rows(edge, sizeof edge / sizeof *edge, "\n");
}

/* A common block lies wholly before the end of the bytes read (the NUL
 * kept after them is an unusual byte): a block that reaches past them
 * takes the general rules, whatever the chunk puts there.  Rows of 1 to
 * 70 bytes put the end of a read at every byte of a block. */
static void plain_blocks_stop_at_the_end_of_the_bytes_read(void **state)
{
    (void)state;
    static char text[70][72];
    const char *rows[70];
    for (int n = 0; n < 70; n++) {
        for (int i = 0; i < n; i++)
            text[n][i] = i % 9 == 4 ? ',' : (char)('a' + i % 26);
        text[n][n] = '\0';
        rows[n] = text[n];
    }
    expect_plain_rows(rows, 70, "\n");
    /* the last row has no line end and bytes of earlier rows follow it in
     * the buffer (100-byte chunks: the last read is short) */
    out in = {0}, want = {0};
    for (int i = 1; i <= 13; i++) {
        put(&in, "abcd,efgh\n", 10);
        putf(&want, "%d:1=abcd|%d:6=efgh\n", i, i);
    }
    put(&in, "z", 1);
    put(&want, "14:1=z\n", 7);
    expect_len(in.s, in.len, want.s);
    free(in.s);
    free(want.s);
}

/* The common block is told by looking bytes up by their low nibble
 * (AVX2): every byte value, at either end of each 32-byte half of a
 * block, gives the rows or the error of the byte-at-a-time scan; those
 * the table must catch, exactly. */
static void every_byte_is_told_at_every_lane_edge(void **state)
{
    (void)state;
    char row[80];
    for (int b = 0; b < 256; b++)
        for (int at = 0; at < 64; at += at % 32 ? 1 : 31) { /* 0, 31, 32, 63 */
            memset(row, 'x', 64);
            row[at] = (char)b;
            memcpy(row + 64, "\ny,z\n", 6);
            char *want = tokens_way(row, 70, 0, SLOW);
            for (int way = FAST; way < NWAYS; way++) {
                char *got = tokens_way(row, 70, 0, way);
                if (strcmp(got, want))
                    fail_msg("byte %d at %d, %s:\n got: %s\nwant: %s", b, at, way_name[way], got, want);
                free(got);
            }
            free(want);
        }
    expect("xx\"x\n", "error 1:3: a quote inside an unquoted value (quote the whole value and double "
                      "the quote: \"5\"\" disk\")");
    expect("x\rx\n", "error 1:2: carriage return without a line feed (save the file with LF or CRLF "
                    "line ends)");
    expect_len("xx\0x\n", 5, "error 1:3: a NUL byte (is this a text file?)");
    expect("x\x80\n", "error 1:2: invalid UTF-8 (byte 0x80); save the file as UTF-8");
}

/* A plain row may follow a quoted one in the same block (which the
 * general rules classified), and precede one. */
static void plain_rows_next_to_quoted_rows_in_one_block(void **state)
{
    (void)state;
    expect("\"q,1\",x\na,b\nc,\"d\"\"\"\ne,f\n",
           "1:1=\"q,1\"|1:7=x\n2:1=a|2:3=b\n3:1=c|3:3=\"d\"\"\n4:1=e|4:3=f\n");
    expect("a\n\"\n\"\nb,c\n", "1:1=a\n2:1=\"\n\"\n4:1=b|4:3=c\n");
}

/* Offsets and lines after plain rows, rows that share a block included. */
static void offsets_after_plain_rows(void **state)
{
    (void)state;
    static const char t[] = "a,b\ncc\r\n\nddd,e,f\n";
    static const uint64_t after[] = {4, 8, 9, 17};
    for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        lic__csv *r;
        const lic__csv_field *fl;
        size_t n;
        assert_int_equal(lic__csv_open_mem(t, sizeof t - 1, chunks[c], &r), LIC_OK);
        for (int i = 0; i < 4; i++) {
            assert_int_equal(lic__csv_next(r, &fl, &n), LIC_OK);
            assert_true(n > 0);
            assert_int_equal(lic__csv_offset(r), after[i]);
            assert_int_equal(lic__csv_line(r), i + 2);
        }
        assert_int_equal(lic__csv_next(r, &fl, &n), LIC_OK);
        assert_int_equal(n, 0);
        lic__csv_free(r);
    }
}

/* Reading ahead, rows go into batches in place when they are common
 * and are copied there otherwise (more than 64 values, more than 4 KiB,
 * quoted values, rows of the byte-at-a-time scan): many batches of rows
 * of every kind give the rows reading directly gives. */
static void reading_ahead_keeps_rows_of_every_size(void **state)
{
    (void)state;
    out in = {0};
    for (int row = 1; row <= 6000; row++) {
        int kind = row % 7, nf = kind == 1 ? 100 : kind == 2 ? 3 : 5;
        for (int i = 0; i < nf; i++) {
            if (kind == 3 && i == 1)
                putf(&in, "%s\"a,\"\"%d\"\"\n\"", i ? "," : "", row); /* quoted, escaped, a line end */
            else if (kind == 2 && i == 2 && row % 5 == 0)
                for (int k = 0; k < 600; k++)
                    putf(&in, "%s%08d", k ? "" : ",", k); /* 4,800 bytes */
            else if (kind == 4 && i == 0)
                putf(&in, "caf\xC3\xA9%d", row); /* not ASCII: the byte-at-a-time scan */
            else
                putf(&in, "%s%d", i ? "," : "", row * 10 + i);
        }
        put(&in, kind == 5 ? "\r\n" : "\n", kind == 5 ? 2 : 1);
    }
    char *direct = tokens_way(in.s, in.len, 0, SLOW);
    for (int way = FAST; way < NWAYS; way++) {
        char *got = tokens_way(in.s, in.len, 0, way);
        assert_string_equal(got, direct);
        free(got);
    }
    free(direct);
    free(in.s);
}

/* lic__csv_next_cells: a plain row (one line, unquoted) as spans alone,
 * its fields written only when asked for; any other row with its fields. */
static void plain_row_cells_are_spans_and_fields_come_when_asked(void **state)
{
    (void)state;
    static const char data[] = "id,n\n1,22,333\r\n\"q\",x\n,\n";
    for (int sse2 = 0; sse2 < 2; sse2++) {
        lic__csv *r;
        lic__csv_cells c;
        assert_int_equal(lic__csv_open_mem(data, sizeof data - 1, 0, &r), LIC_OK);
        if (sse2)
            lic__csv_set_avx2(r, false);
        assert_int_equal(lic__csv_next_cells(r, &c), LIC_OK); /* the first row: the general path */
        assert_int_equal(c.n, 2);
        assert_non_null(c.fields);
        assert_int_equal(lic__csv_next_cells(r, &c), LIC_OK); /* plain, CRLF */
        assert_null(c.fields);
        assert_int_equal(c.n, 3);
        assert_int_equal(c.line, 2);
        assert_int_equal(c.off, 5);
        assert_int_equal(c.span[0].off, 0);
        assert_int_equal(c.span[0].end, 1);
        assert_int_equal(c.span[1].off, 2);
        assert_int_equal(c.span[1].end, 4);
        assert_int_equal(c.span[2].off, 5);
        assert_int_equal(c.span[2].end, 8); /* the CR is not the value's */
        assert_string_equal(c.at + c.span[2].off, "333");
        const lic__csv_field *f = lic__csv_cell_fields(r, &c);
        assert_non_null(f);
        assert_int_equal(f[1].line, 2);
        assert_int_equal(f[1].col, 3);
        assert_false(f[1].quoted);
        assert_string_equal(f[1].s, "22");
        assert_int_equal(lic__csv_next_cells(r, &c), LIC_OK); /* quoted: fields at once */
        assert_int_equal(c.n, 2);
        assert_non_null(c.fields);
        assert_true(c.fields[0].quoted);
        assert_ptr_equal(lic__csv_cell_fields(r, &c), c.fields);
        assert_string_equal(c.at + c.span[0].off, "q");
        assert_string_equal(c.at + c.span[1].off, "x");
        assert_int_equal(c.off, 15);
        assert_int_equal(lic__csv_next_cells(r, &c), LIC_OK); /* two empty values */
        assert_int_equal(c.n, 2);
        assert_int_equal(c.span[0].off, 0);
        assert_int_equal(c.span[0].end, 0);
        assert_int_equal(c.span[1].off, 1);
        assert_int_equal(c.span[1].end, 1);
        assert_int_equal(lic__csv_next_cells(r, &c), LIC_OK); /* the end */
        assert_int_equal(c.n, 0);
        assert_int_equal(c.off, sizeof data - 1);
        lic__csv_free(r);
    }
}

/* ---- errors ---- */

static void unclosed_quote_is_reported_where_it_opens(void **state)
{
    (void)state;
    expect("a,b\nc,\"d,e\nf\n",
           "1:1=a|1:3=b\nerror 2:3: a quoted value is never closed (a quote is missing)");
    expect("\"", "error 1:1: a quoted value is never closed (a quote is missing)");
}

static void only_a_comma_or_line_end_may_follow_a_closing_quote(void **state)
{
    (void)state;
    expect("\"ab\"c,d\n",
           "error 1:5: expected a comma or the end of the line after the closing quote, got 'c'");
    expect("x,\"ab\" ,d\n",
           "error 1:7: expected a comma or the end of the line after the closing quote, got byte 0x20");
}

static void quote_inside_an_unquoted_value_is_an_error(void **state)
{
    (void)state;
    expect("ok\n5\" disk,x\n",
           "1:1=ok\nerror 2:2: a quote inside an unquoted value (quote the whole value and double the "
           "quote: \"5\"\" disk\")");
}

static void cr_without_lf_is_an_error(void **state)
{
    (void)state;
    const char *msg = "carriage return without a line feed (save the file with LF or CRLF line ends)";
    char want[200];
    snprintf(want, sizeof want, "error 1:2: %s", msg);
    expect("a\rb\n", want);
    snprintf(want, sizeof want, "1:1=a\nerror 2:2: %s", msg);
    expect("a\nb\r", want);
    snprintf(want, sizeof want, "error 1:4: %s", msg);
    expect("\"a\"\rb\n", want);
}

static void nul_byte_is_an_error(void **state)
{
    (void)state;
    expect_len("ab\nc\0d\n", 7, "1:1=ab\nerror 2:2: a NUL byte (is this a text file?)");
    expect_len("\"x\ny\0\"\n", 7, "error 2:2: a NUL byte (is this a text file?)");
}

static void invalid_utf8_is_an_error(void **state)
{
    (void)state;
    expect("caf\xC3\xA9,ok\nM\xFCnchen,x\n",
           "1:1=caf\xC3\xA9|1:6=ok\nerror 2:2: invalid UTF-8 (byte 0xFC); save the file as UTF-8");
    expect("\xC3\xA9,\xC3\n", "error 1:3: invalid UTF-8 (byte 0xC3); save the file as UTF-8");
}

static void too_many_fields_is_an_error(void **state)
{
    (void)state;
    out in = {0};
    for (int i = 0; i < LIC_CSV_MAX_FIELDS; i++)
        put(&in, ",", 1); /* LIC_CSV_MAX_FIELDS + 1 fields */
    put(&in, "\n", 1);
    char want[100];
    snprintf(want, sizeof want, "error 1:%d: more than %d values in one row", LIC_CSV_MAX_FIELDS + 1,
             LIC_CSV_MAX_FIELDS);
    expect_len(in.s, in.len, want);
    in.len -= 2; /* exactly the cap */
    put(&in, "\n", 1);
    char *got = tokens(in.s, in.len, 0, true);
    assert_null(strstr(got, "error"));
    free(got);
    free(in.s);
}

static void row_longer_than_the_cap_is_an_error(void **state)
{
    (void)state;
    size_t len = LIC_CSV_MAX_ROW + 10;
    char *data = malloc(len);
    assert_non_null(data);
    memset(data, 'x', len);
    memcpy(data, "a,b\n", 4);
    const char *want = "1:1=a|1:3=b\nerror 2:1: a row longer than 1048576 bytes";
    char *got = tokens(data, len, 0, true);
    assert_string_equal(got, want);
    free(got);
    /* An unclosed quote is named where it opens. */
    data[4] = 'y';
    data[5] = ',';
    data[6] = '"';
    got = tokens(data, len, 0, false);
    assert_string_equal(got, "1:1=a|1:3=b\nerror 2:3: a quoted value runs on past 1048576 bytes "
                             "(is its closing quote missing?)");
    free(got);
    /* A row of exactly the cap is fine (line end included). */
    memset(data + 4, 'x', LIC_CSV_MAX_ROW - 1);
    data[4 + LIC_CSV_MAX_ROW - 1] = '\n';
    got = tokens(data, 4 + LIC_CSV_MAX_ROW, 0, true);
    assert_int_equal(strlen(got), 12 + 4 + LIC_CSV_MAX_ROW - 1 + 1);
    free(got);
    free(data);
}

/* ---- streams and failures ---- */

static void reads_a_file_stream(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "%d,\"v %d\",x\r\n", i, i);
    rewind(f);
    lic__csv *r;
    assert_int_equal(lic__csv_open(f, &r), LIC_OK);
    int rows = 0;
    const lic__csv_field *fl;
    size_t n;
    while (lic__csv_next(r, &fl, &n) == LIC_OK && n) {
        char want[32];
        snprintf(want, sizeof want, "v %d", rows);
        assert_int_equal(n, 3);
        assert_string_equal(fl[1].s, want);
        assert_int_equal(fl[1].line, rows + 1);
        rows++;
    }
    assert_int_equal(rows, 20000);
    assert_int_equal(lic__csv_line(r), 20001);
    lic__csv_free(r);
    fclose(f);
}

static size_t counted;
static void count_bytes(void *arg, const unsigned char *b, size_t n)
{
    (void)arg;
    (void)b;
    counted += n;
}

static void on_read_counts_every_byte(void **state)
{
    (void)state;
    const char *data = "\xEF\xBB\xBF" "a,b\n\"c\nd\",e";
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        lic__csv *r;
        assert_int_equal(lic__csv_open_mem(data, strlen(data), chunks[i], &r), LIC_OK);
        counted = 0;
        lic__csv_on_read(r, count_bytes, NULL);
        const lic__csv_field *f;
        size_t n;
        while (lic__csv_next(r, &f, &n) == LIC_OK && n)
            ;
        assert_int_equal(counted, strlen(data));
        lic__csv_free(r);
    }
}

static void out_of_memory_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    const char *data = "a,\"b\"\"c\",d\ne,f,g\n";
    long n;
    for (n = 0; n < 50; n++) {
        lic__csv *r = NULL;
        lic__alloc_fail_after(n);
        lic_err rc = lic__csv_open_mem(data, strlen(data), 3, &r);
        const lic__csv_field *f;
        size_t k = 1;
        while (!rc && k)
            rc = lic__csv_next(r, &f, &k);
        lic__alloc_fail_after(-1);
        lic__csv_free(r);
        if (rc == LIC_OK)
            break;
        assert_int_equal(rc, LIC_ENOMEM);
    }
    assert_true(n > 0 && n < 50);
}

/* ---- offsets and line ends ---- */

static void offsets_count_every_byte_of_the_input(void **state)
{
    (void)state;
    static const char t[] = "\xEF\xBB\xBF" "a,b\n\"x\ny\",z\r\n\nlast";
    lic__csv *r;
    const lic__csv_field *fl;
    size_t n;
    assert_int_equal(lic__csv_open_mem(t, sizeof t - 1, 3, &r), LIC_OK);
    assert_int_equal(lic__csv_offset(r), 0);
    static const uint64_t after[] = {7, 16, 17, 21};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(lic__csv_next(r, &fl, &n), LIC_OK);
        assert_true(n > 0);
        assert_int_equal(lic__csv_offset(r), after[i]);
    }
    assert_int_equal(lic__csv_next(r, &fl, &n), LIC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(lic__csv_offset(r), sizeof t - 1);
    lic__csv_free(r);
}

static void resume_counts_from_the_offset_and_line_given(void **state)
{
    (void)state;
    static const char t[] = "\xEF\xBB\xBFq,r\ns\n"; /* a part's first row may start with those bytes */
    lic__csv *r;
    const lic__csv_field *fl;
    size_t n;
    assert_int_equal(lic__csv_open_mem(t, sizeof t - 1, 0, &r), LIC_OK);
    lic__csv_resume(r, 1000, 40);
    assert_int_equal(lic__csv_next(r, &fl, &n), LIC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(fl[0].s, "\xEF\xBB\xBFq");
    assert_int_equal(fl[1].line, 40);
    assert_int_equal(lic__csv_offset(r), 1007);
    assert_int_equal(lic__csv_line(r), 41);
    lic__csv_free(r);
}

static void count_lf_counts_every_line_end_at_any_length(void **state)
{
    (void)state;
    char buf[300];
    unsigned seed = 7;
    for (size_t len = 0; len <= sizeof buf; len++)
        for (int round = 0; round < 4; round++) {
            size_t want = 0;
            for (size_t i = 0; i < len; i++) {
                seed = seed * 1103515245u + 12345u;
                buf[i] = (seed >> 16) % 5 == 0 ? '\n' : (char)('a' + (seed >> 20) % 26);
                want += buf[i] == '\n';
            }
            /* from an odd address too: the block loads are unaligned */
            assert_int_equal(lic__csv_count_lf(buf, len), want);
            if (len > 0)
                assert_int_equal(lic__csv_count_lf(buf + 1, len - 1), want - (buf[0] == '\n'));
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_split_on_commas_rows_on_lf_or_crlf),
        cmocka_unit_test(offsets_count_every_byte_of_the_input),
        cmocka_unit_test(resume_counts_from_the_offset_and_line_given),
        cmocka_unit_test(count_lf_counts_every_line_end_at_any_length),
        cmocka_unit_test(empty_fields_are_empty_strings),
        cmocka_unit_test(last_row_may_lack_a_line_end),
        cmocka_unit_test(blank_line_is_a_row_of_one_empty_field),
        cmocka_unit_test(quoted_values_hold_commas_quotes_and_line_ends),
        cmocka_unit_test(quoted_line_ends_count_lines),
        cmocka_unit_test(bom_is_skipped_and_not_counted),
        cmocka_unit_test(columns_count_characters_not_bytes),
        cmocka_unit_test(long_rows_cross_blocks_and_chunks),
        cmocka_unit_test(plain_rows_share_a_block_and_run_past_it),
        cmocka_unit_test(plain_row_of_only_separators_fills_a_block),
        cmocka_unit_test(plain_rows_of_every_value_count_up_to_a_block),
        cmocka_unit_test(rows_after_a_plain_row_in_one_block),
        cmocka_unit_test(plain_blocks_stop_at_the_end_of_the_bytes_read),
        cmocka_unit_test(every_byte_is_told_at_every_lane_edge),
        cmocka_unit_test(plain_rows_next_to_quoted_rows_in_one_block),
        cmocka_unit_test(offsets_after_plain_rows),
        cmocka_unit_test(plain_row_cells_are_spans_and_fields_come_when_asked),
        cmocka_unit_test(reading_ahead_keeps_rows_of_every_size),
        cmocka_unit_test(unclosed_quote_is_reported_where_it_opens),
        cmocka_unit_test(only_a_comma_or_line_end_may_follow_a_closing_quote),
        cmocka_unit_test(quote_inside_an_unquoted_value_is_an_error),
        cmocka_unit_test(cr_without_lf_is_an_error),
        cmocka_unit_test(nul_byte_is_an_error),
        cmocka_unit_test(invalid_utf8_is_an_error),
        cmocka_unit_test(too_many_fields_is_an_error),
        cmocka_unit_test(row_longer_than_the_cap_is_an_error),
        cmocka_unit_test(reads_a_file_stream),
        cmocka_unit_test(on_read_counts_every_byte),
        cmocka_unit_test(out_of_memory_is_reported_and_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
