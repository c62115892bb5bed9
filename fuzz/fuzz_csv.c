/*
 * fuzz_csv.c - libFuzzer target for the CSV tokenizer (lib/csv.h) and the
 * sales report reader on top of it (include/licet/sales.h).
 *
 * The first byte of the input picks how the rest is read: its low six bits
 * a chunk size (so chunk boundaries fall anywhere), bit 6 whether the
 * fast tokenizer and the fast reader read ahead on a thread, its high bit
 * which of two fixed agreements the report is read against (one field, so `field`
 * may be left out, or several).  The rest is the CSV, deliberately not
 * NUL-terminated.  Built and run by fuzz/run.sh under ASan and UBSan.
 *
 * Contracts checked (a violation aborts so libFuzzer saves the input):
 * - the fast block scan (reading ahead or not; with AVX2 where the CPU
 *   has it, and with SSE2 only) and the byte-at-a-time scan give the
 *   same rows, fields, positions and errors, whatever the chunk size;
 * - lic__csv_next_cells (alongside, the same settings) gives the same
 *   rows as cells: each value at its span, NUL-terminated, the row's line
 *   and offset, and lic__csv_cell_fields the very fields;
 * - every field is NUL-terminated at its length, positions are 1-based
 *   and never go backwards, errors are sticky and have a message;
 * - the sales reader's fast line path (reading ahead or not: ahead, the
 *   line's texts are recalled on the thread and its amounts on the
 *   caller's; lines like the last read straight from the buffer) and
 *   lic__sale_line_read give the same lines, x_ values (by name and by
 *   index) and messages; lic_sales_reader_xcols_same says "the same"
 *   only when the x_ values are the last line's;
 * - lic_sales_reader_next_run gives, in runs of at most its max lines,
 *   the lines, x_ values and messages of one line at a time (the slow
 *   way), and as its offset its run's first line's;
 * - a part (lic__csv_resume at a row start found after a cut byte,
 *   lines counted with lic__csv_count_lf, as lic_sales_reader_open_at
 *   does) gives the rows, positions, offsets and errors of the whole
 *   input from that row on, whenever a row of the whole input starts
 *   there; lic__csv_offset counts every byte;
 * - a lazy part (lic_sales_reader_open_at_lazy, the input in a memfd)
 *   gives the return codes, lines and messages of lic_sales_reader_open_at
 *   at the same cut, a line at a time or in runs, its lines numbered 0
 *   until a call gave a message and as the counted part's from then on;
 * - the reader returns only lines that passed the checks (a country, a
 *   currency, a field when the agreement has some, a date inside the
 *   period, no negative units); a bad line comes with an error
 *   diagnostic; a fatal error repeats; x_ columns are readable on a line.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "licet/agreement.h"
#include "licet/sales.h"
#include "sales_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char one_field[] =
    "licet: 1\nid: FUZZ-CSV-1\neffective: 2025-01-15\ncurrency: JPY\n"
    "parties:\n  licensor: { id: lab, name: Lab }\n  licensee: { id: co, name: Co }\n"
    "fields:\n  diagnostics: [companion]\n"
    "grants:\n  - { id: G1, territories: [JP], exclusivity: exclusive }\n";

static const char several_fields[] =
    "licet: 1\nid: FUZZ-CSV-2\neffective: 2025-01-15\ncurrency: USD\n"
    "parties:\n  licensor: { id: lab, name: Lab }\n  licensee: { id: co, name: Co }\n"
    "fields:\n  therapeutics: [oncology, rare-disease]\n  diagnostics: [companion]\n"
    "grants:\n  - { id: G1, territories: [US, EU], exclusivity: exclusive }\n";

static const lic_agreement *agreement(int which)
{
    static lic_agreement *a[2];
    if (!a[which]) {
        const char *text = which ? several_fields : one_field;
        lic_diags d;
        lic_diags_init(&d);
        if (lic_agreement_load_mem("fuzz.yaml", text, strlen(text), &d, &a[which]) != LIC_OK)
            abort(); /* the fixed agreements must load */
        lic_diags_fini(&d);
    }
    return a[which];
}

/* One row as the tokenizer gave it, compared field by field. */
static void same_rows(const lic__csv_field *a, size_t na, const lic__csv_field *b, size_t nb)
{
    if (na != nb)
        abort();
    for (size_t i = 0; i < na; i++) {
        if (a[i].len != b[i].len || a[i].line != b[i].line || a[i].col != b[i].col ||
            a[i].quoted != b[i].quoted || memcmp(a[i].s, b[i].s, a[i].len))
            abort();
        if (a[i].s[a[i].len] != '\0' || a[i].line < 1 || a[i].col < 1)
            abort();
        if (i && (a[i].line < a[i - 1].line ||
                  (a[i].line == a[i - 1].line && a[i].col <= a[i - 1].col)))
            abort();
    }
}

static void same_errors(lic__csv *a, lic__csv *b, lic_err ra, lic_err rb)
{
    int la, ca, lb, cb;
    if (ra != rb)
        abort();
    const char *ma = lic__csv_error(a, &la, &ca), *mb = lic__csv_error(b, &lb, &cb);
    if (la != lb || ca != cb || strcmp(ma, mb) || !ma[0])
        abort();
    const lic__csv_field *f;
    size_t n;
    if (lic__csv_next(a, &f, &n) != ra) /* sticky */
        abort();
}

/* Row c (from lic__csv_next_cells on t, starting at byte `off` as the
 * slow tokenizer counts) against the slow tokenizer's fields b. */
static void same_cells(lic__csv *t, const lic__csv_cells *c, uint64_t off, const lic__csv_field *b,
                       size_t nb)
{
    if (c->n != nb || (nb && (c->off != off || c->line != b[0].line)))
        abort();
    for (size_t i = 0; i < nb; i++) {
        const char *v = c->at + c->span[i].off;
        if (c->span[i].end < c->span[i].off || c->span[i].end - c->span[i].off != b[i].len ||
            memcmp(v, b[i].s, b[i].len) || v[b[i].len] != '\0')
            abort();
    }
    const lic__csv_field *f = lic__csv_cell_fields(t, c);
    if (nb && !f)
        abort();
    same_rows(f, nb, b, nb);
}

/* The fast scan with big chunks (tokenizing ahead on a thread when
 * `ahead`, with SSE2 only when `sse2`) against the slow one with `chunk`. */
static void tokenize_both_ways(const char *csv, size_t len, size_t chunk, bool ahead, bool sse2)
{
    lic__csv *fast, *slow, *cells;
    if (lic__csv_open_mem(csv, len, 0, &fast) || lic__csv_open_mem(csv, len, chunk, &slow) ||
        lic__csv_open_mem(csv, len, 0, &cells))
        abort();
    lic__csv_set_fast(slow, false);
    if (sse2) {
        lic__csv_set_avx2(fast, false);
        lic__csv_set_avx2(cells, false);
    }
    if (ahead && (lic__csv_read_ahead(fast) || lic__csv_read_ahead(cells)))
        abort();
    int last_line = 0;
    bool cells_done = false;
    for (;;) {
        const lic__csv_field *fa, *fb;
        size_t na, nb;
        uint64_t off = lic__csv_offset(slow);
        lic_err ra = lic__csv_next(fast, &fa, &na), rb = lic__csv_next(slow, &fb, &nb);
        if (!cells_done) {
            lic__csv_cells c;
            lic_err rc = lic__csv_next_cells(cells, &c);
            if (rc || rb) {
                same_errors(cells, slow, rc, rb);
                cells_done = true;
            } else {
                same_cells(cells, &c, off, fb, nb);
            }
        }
        if (ra || rb) {
            same_errors(fast, slow, ra, rb);
            break;
        }
        same_rows(fa, na, fb, nb);
        if (na == 0)
            break;
        if (fa[0].line <= last_line)
            abort();
        last_line = fa[0].line;
    }
    lic__csv_free(fast);
    lic__csv_free(slow);
    lic__csv_free(cells);
}

/* The rows of the input from the first row start after byte `cut` (as
 * lic_sales_reader_open_at finds it), read by a tokenizer resumed there,
 * against the whole input's rows from there: the same when a row of the
 * whole input starts at that offset (else the cut fell inside a quoted
 * line end, which the part before sees: no row of it starts there). */
static void part_from(const char *csv, size_t len, size_t cut)
{
    size_t start = cut;
    while (start > 0 && start < len && csv[start - 1] != '\n')
        start++;
    if (start == 0 || start >= len)
        return;
    lic__csv *whole, *part;
    if (lic__csv_open_mem(csv, len, 0, &whole) || lic__csv_open_mem(csv + start, len - start, 0, &part))
        abort();
    const lic__csv_field *fa, *fb;
    size_t na, nb;
    lic_err ra = LIC_OK, rb;
    uint64_t off = lic__csv_offset(whole);
    while (off < start && !(ra = lic__csv_next(whole, &fa, &na)) && na) {
        uint64_t next = lic__csv_offset(whole);
        if (next <= off)
            abort(); /* offsets go forward with every row */
        off = next;
    }
    if (!ra && off == start) {
        lic__csv_resume(part, start, (int)lic__csv_count_lf(csv, start) + 1);
        if (lic__csv_line(part) != lic__csv_line(whole))
            abort();
        for (;;) {
            ra = lic__csv_next(whole, &fa, &na);
            rb = lic__csv_next(part, &fb, &nb);
            if (ra || rb) {
                same_errors(whole, part, ra, rb);
                break;
            }
            same_rows(fa, na, fb, nb);
            if (lic__csv_offset(whole) != lic__csv_offset(part))
                abort();
            if (na == 0)
                break;
        }
    }
    lic__csv_free(whole);
    lic__csv_free(part);
}

static void check_line(const lic_agreement *a, const lic_sale_line *l)
{
    if (!l->currency || l->country < 0 || l->units < 0 || l->pos.line < 2 || l->pos.col != 1)
        abort();
    if (lic_period_first(l->period) == LIC_DATE_NONE)
        abort();
    if (l->date != LIC_DATE_NONE &&
        (l->date < lic_period_first(l->period) || l->date > lic_period_last(l->period)))
        abort();
    if (lic_fieldtree_count(a->fields) > 0 && l->field < 0)
        abort();
    if (l->product && strlen(l->product) == 0)
        abort(); /* an empty cell is no product */
}

/* Equal lines, field by field (product by its text: each reader has its
 * own buffer). */
static void same_lines(const lic_sale_line *a, const lic_sale_line *b)
{
    if (lic_period_cmp(a->period, b->period) || a->date != b->date || a->country != b->country ||
        a->field != b->field || a->units != b->units || a->gross != b->gross ||
        a->deductions != b->deductions || a->third_party_royalties != b->third_party_royalties ||
        a->currency != b->currency || a->fx_rate != b->fx_rate || a->pos.line != b->pos.line ||
        a->pos.col != b->pos.col || !a->product != !b->product ||
        (a->product && strcmp(a->product, b->product)))
        abort();
}

/* The diagnostics from `from` on, formatted, are the same in both lists. */
static void same_diags(const lic_diags *a, const lic_diags *b, size_t from)
{
    if (a->n != b->n || a->nerrors != b->nerrors)
        abort();
    for (size_t i = from; i < a->n; i++) {
        char ba[512], bb[512];
        (void)lic_diag_format(&a->v[i], ba, sizeof ba);
        (void)lic_diag_format(&b->v[i], bb, sizeof bb);
        if (strcmp(ba, bb))
            abort();
    }
}

/* The current line's x_ values as one text, cut at n bytes: values that
 * differ only past there look the same, so the check on it may miss a
 * wrong "same", but never aborts on a right one. */
static void xs_text(const lic_sales_reader *r, const char *const *xs, size_t nx, char *out, size_t n)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < nx && at < n; i++) {
        int k = snprintf(out + at, n - at, "%s%c", lic_sales_reader_xcol(r, xs[i]), 0x1f);
        at += k > 0 ? (size_t)k : 0;
    }
}

/* Opens a sales reader over the CSV; its fast line path on or off. */
static lic_err open_report(const lic_agreement *a, const char *csv, size_t len, size_t chunk,
                           bool fast, lic_diags *d, lic_sales_reader **r)
{
    lic__csv *t;
    if (lic__csv_open_mem(csv, len, chunk, &t))
        abort();
    lic_err rc = lic__sales_reader_open_csv(a, t, "fuzz.csv", d, r);
    if (!rc)
        lic__sales_reader_set_fast(*r, fast);
    return rc;
}

/* Opens the report with the fast line path (*r, messages in d) and
 * without it (*slow, in ds): both open or neither. */
static lic_err open_both(const lic_agreement *a, const char *csv, size_t len, size_t chunk, lic_diags *d,
                         lic_diags *ds, lic_sales_reader **r, lic_sales_reader **slow)
{
    *r = *slow = NULL;
    lic_diags_init(d);
    lic_diags_init(ds);
    lic_err rc = open_report(a, csv, len, chunk, true, d, r);
    if (open_report(a, csv, len, chunk, false, ds, slow) != rc)
        abort();
    return rc;
}

/* Reads the report twice, with the reader's fast line path and without
 * (and the fast one reading ahead on a thread when `ahead`): the same
 * lines, x_ values and messages at the same calls; every line that comes
 * out passed the checks. */
static void read_report(const lic_agreement *a, const char *csv, size_t len, size_t chunk, bool ahead)
{
    lic_sales_reader *r, *slow;
    lic_diags d, ds;
    lic_err rc = open_both(a, csv, len, chunk, &d, &ds, &r, &slow);
    same_diags(&d, &ds, 0);
    /* the thread recalls every line's texts, or as it has time (which
     * the chunk size's low bit picks: both ways are fuzzed) */
    if (!rc && ahead && lic__sales_reader_read_ahead(r, chunk & 1))
        abort();
    if (rc) {
        if (r || d.nerrors == 0 || (rc != LIC_EINVALID && rc != LIC_EPARSE && rc != LIC_ETOOBIG))
            abort();
    } else {
        size_t nx;
        const char *const *xs = lic_sales_reader_xcols(r, &nx);
        lic_sale_line l, ls;
        int got;
        size_t before = d.nerrors;
        char last[4096] = ""; /* the last line's x_ values, for lic_sales_reader_xcols_same */
        bool had_last = false;
        while ((got = lic_sales_reader_next(r, &l)) != 0) {
            size_t from = ds.n;
            if (lic_sales_reader_next(slow, &ls) != got)
                abort();
            same_diags(&d, &ds, from);
            had_last = had_last && got == 1; /* a line in error breaks the run */
            if (got == 1) {
                check_line(a, &l);
                same_lines(&l, &ls);
                for (size_t i = 0; i < nx; i++) {
                    const char *x = lic_sales_reader_xcol(r, xs[i]);
                    const char *xl = lic_sales_reader_xcol(slow, xs[i]);
                    long at = lic_sales_reader_xcol_index(r, xs[i]);
                    const char *xi = at < 0 ? NULL : lic_sales_reader_xcol_at(r, (size_t)at);
                    if (!x || !xl || strcmp(x, xl) || xi != x)
                        abort();
                }
                char now[sizeof last];
                xs_text(r, xs, nx, now, sizeof now);
                if (lic_sales_reader_xcols_same(r) && (!had_last || strcmp(now, last)))
                    abort(); /* said the same as the last line's, and it is not */
                memcpy(last, now, sizeof last);
                had_last = true;
                if (d.nerrors != before)
                    abort();
            } else if (d.nerrors <= before) {
                abort(); /* a bad line or a fatal error is reported */
            } else if (got != -(int)LIC_EINVALID) {
                size_t k = d.nerrors;
                if (lic_sales_reader_next(r, &l) != got || d.nerrors != k)
                    abort(); /* a fatal error repeats, reported once */
                break;
            }
            before = d.nerrors;
        }
        if (got == 0 && lic_sales_reader_next(slow, &ls) != 0)
            abort();
    }
    for (size_t i = 0; i < d.n; i++) {
        char buf[256];
        (void)lic_diag_format(&d.v[i], buf, sizeof buf);
        if (!d.v[i].msg[0] || strchr(d.v[i].msg, '\n'))
            abort();
    }
    lic_sales_reader_free(r);
    lic_sales_reader_free(slow);
    lic_diags_fini(&d);
    lic_diags_fini(&ds);
}

/* The x_ values of reader r and of reader b are the same. */
static void same_xs(const lic_sales_reader *r, const lic_sales_reader *b, const char *const *xs, size_t nx)
{
    for (size_t i = 0; i < nx; i++) {
        const char *x = lic_sales_reader_xcol(r, xs[i]), *y = lic_sales_reader_xcol(b, xs[i]);
        if (!x || !y || strcmp(x, y))
            abort();
    }
}

/* One run of `got` lines (lic_sales_reader_next_run on r) against the
 * next got lines of the slow reader: the same lines and x_ values, the
 * run's offset its first line's, no message but the first line's. */
static void same_run(const lic_sales_reader *r, lic_sales_reader *slow, const lic_sale_line *run, int got,
                     const lic_diags *d, const lic_diags *ds, const char *const *xs, size_t nx)
{
    lic_sale_line ls;
    for (int i = 0; i < got; i++) {
        size_t from = ds->n;
        if (lic_sales_reader_next(slow, &ls) != 1)
            abort();
        if (i == 0 ? (same_diags(d, ds, from), lic_sales_reader_offset(r) != lic_sales_reader_offset(slow))
                   : ds->n != from)
            abort();
        same_lines(&run[i], &ls);
        same_xs(r, slow, xs, nx);
    }
}

/* Reads the report in runs of at most max lines (lic_sales_reader_next_run)
 * and one line at a time without the fast path: the same lines, x_
 * values, offsets and messages at the same places; a run longer than
 * max, or of lines the one-at-a-time reader does not give, aborts. */
static void read_runs(const lic_agreement *a, const char *csv, size_t len, size_t chunk, size_t max)
{
    lic_sales_reader *r, *slow;
    lic_diags d, ds;
    lic_err rc = open_both(a, csv, len, chunk, &d, &ds, &r, &slow);
    if (!rc) {
        size_t nx;
        const char *const *xs = lic_sales_reader_xcols(r, &nx);
        lic_sale_line run[8], ls;
        int got;
        while ((got = lic_sales_reader_next_run(r, run, max)) != 0) {
            if (got > (int)max)
                abort();
            if (got > 0) {
                same_run(r, slow, run, got, &d, &ds, xs, nx);
                continue;
            }
            size_t from = ds.n;
            if (lic_sales_reader_next(slow, &ls) != got)
                abort();
            same_diags(&d, &ds, from);
            if (got != -(int)LIC_EINVALID)
                break; /* fatal */
        }
        if (got == 0 && lic_sales_reader_next(slow, &ls) != 0)
            abort();
    }
    lic_sales_reader_free(r);
    lic_sales_reader_free(slow);
    lic_diags_fini(&d);
    lic_diags_fini(&ds);
}

/* The offset of the first row after the header of file `path`. */
static uint64_t header_end(const lic_agreement *a, const char *path)
{
    lic_sales_reader *r;
    lic_diags d;
    lic_diags_init(&d);
    if (lic_sales_reader_open(a, path, &d, &r))
        abort(); /* opened as a part a moment ago */
    uint64_t end = lic_sales_reader_offset(r);
    lic_sales_reader_free(r);
    lic_diags_fini(&d);
    return end;
}

/* Reads the part of the file `path` from byte `cut` with a counted and
 * a lazy reader (lic_sales_reader_open_at, _open_at_lazy), a line at a
 * time or in runs: the same returns, lines and messages, but the lazy
 * one's lines carry line 0 until a call has given a message (unless the
 * cut is inside the header). */
static void lazy_from(const lic_agreement *a, const char *path, uint64_t cut)
{
    lic_sales_reader *r, *z;
    lic_diags d, dz;
    lic_diags_init(&d);
    lic_diags_init(&dz);
    lic_err rc = lic_sales_reader_open_at(a, path, cut, &d, &r);
    if (lic_sales_reader_open_at_lazy(a, path, cut, &dz, &z) != rc)
        abort();
    same_diags(&d, &dz, 0);
    size_t opened = dz.n;
    /* a cut inside the header: the rows after it, numbered as read */
    bool numbered = !rc && cut <= header_end(a, path);
    /* one line at a time (an even cut) or in runs of up to 2 to 7 */
    size_t max = cut % 2 ? 2 + (size_t)(cut / 2) % 6 : 1;
    lic_sale_line l[8], lz[8];
    int got;
    while (!rc && (got = max > 1 ? lic_sales_reader_next_run(r, l, max) : lic_sales_reader_next(r, l)) != 0) {
        if ((max > 1 ? lic_sales_reader_next_run(z, lz, max) : lic_sales_reader_next(z, lz)) != got)
            abort();
        same_diags(&d, &dz, 0);
        for (int i = 0; i < got; i++) { /* a call's lines: numbered once a message came */
            if (dz.n == opened && !numbered ? lz[i].pos.line != 0 : lz[i].pos.line != l[i].pos.line)
                abort();
            lz[i].pos.line = l[i].pos.line;
            same_lines(&l[i], &lz[i]);
        }
        if (got > 0 && lic_sales_reader_offset(r) != lic_sales_reader_offset(z))
            abort();
        if (got < 0 && got != -(int)LIC_EINVALID)
            break; /* fatal */
    }
    lic_sales_reader_free(r);
    lic_sales_reader_free(z);
    lic_diags_fini(&d);
    lic_diags_fini(&dz);
}

/* The input as a file (a memfd, named by its /proc path) for lazy_from. */
static void lazy_part(const lic_agreement *a, const char *csv, size_t len, uint64_t cut)
{
    int fd = memfd_create("fuzz.csv", 0);
    if (fd < 0)
        return; /* no memfd here: nothing to compare */
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    if (write(fd, csv, len) == (ssize_t)len)
        lazy_from(a, path, cut);
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t chunk = (size_t)(data[0] & 0x3F) + 1; /* 1..64 bytes */
    bool ahead = data[0] & 0x40;
    const lic_agreement *a = agreement(data[0] >> 7);
    const char *csv = (const char *)data + 1;
    size_t len = size - 1;
    tokenize_both_ways(csv, len, chunk, ahead, false);
    if (!ahead)
        tokenize_both_ways(csv, len, chunk, false, true);
    read_report(a, csv, len, chunk, ahead);
    if (!ahead) /* runs of 1 to 8 lines, from the chunk size's other bits */
        read_runs(a, csv, len, chunk, (chunk >> 3 & 7) + 1);
    if (len > 1) { /* a cut anywhere: from the first byte's spare bits and the length */
        size_t cut = ((size_t)data[0] * 2654435761u + len) % len;
        part_from(csv, len, cut);
        lazy_part(a, csv, len, cut);
    }
    return 0;
}
