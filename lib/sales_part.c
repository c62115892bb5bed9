/*
 * sales_part.c - parts of a sales file, read side by side
 * (lic_sales_reader_open_at, lic_sales_reader_open_at_lazy): where a part
 * starts, the number of its first line (the line ends before it, counted
 * without reading the rows), and for a lazy part, its lines' numbers
 * made the file's once a message needs them.
 */
#include "sales_int.h"

#include <limits.h>
#include <unistd.h>

/* The LF bytes of the file open on fd before byte `end`, read with pread
 * (the file's offset stays where it was: a reader may be reading it,
 * even on its thread reading ahead). */
lic_err lic__sales_count_lines_before(int fd, uint64_t end, uint64_t *n)
{
    /* 64 KiB reads, as the tokenizer's (LIC_CSV_CHUNK): with 256 KiB
     * and more, reading a 634 MB file from the page cache took 0.4 s
     * instead of 0.085 s on the bench machine; with 128 KiB, while the
     * other part of bench/royalties computed, the kernel's copy took
     * 0.19 s of this thread's time and 0.04 s with 64 KiB */
    enum { BUF = 1 << 16 };
    char *buf = lic__malloc(BUF);
    if (!buf)
        return LIC_ENOMEM;
    lic_err rc = LIC_OK;
    *n = 0;
    for (uint64_t at = 0; !rc && at < end;) {
        size_t want = end - at < BUF ? (size_t)(end - at) : BUF;
        ssize_t got = pread(fd, buf, want, (off_t)at);
        if (got <= 0) {
            rc = LIC_EIO; /* an error, or the file shrank */
            break;
        }
        *n += lic__csv_count_lf(buf, (size_t)got);
        at += (uint64_t)got;
    }
    lic__free(buf);
    return rc;
}

/* The offset of the first row that starts at or after `from` (> 0): the
 * byte after the first LF at or after from - 1, or the file's end. */
lic_err lic__sales_row_start_from(FILE *f, uint64_t from, uint64_t *start)
{
    if (fseeko(f, (off_t)(from - 1), SEEK_SET))
        return LIC_EIO;
    uint64_t at = from - 1;
    int ch;
    while ((ch = getc(f)) != EOF) {
        at++;
        if (ch == '\n')
            break;
    }
    *start = at;
    return ferror(f) ? LIC_EIO : LIC_OK;
}

/* Reports a problem of opening a part (EIO, ETOOBIG); what to return. */
static lic_err part_failed(lic_err rc, const char *path, uint64_t from, lic_diags *diags)
{
    if ((rc == LIC_EIO && lic_diags_add(diags, LIC_SEV_ERROR, path, 0, 0, "io", "", "cannot read the file")) ||
        (rc == LIC_ETOOBIG && lic_diags_add(diags, LIC_SEV_ERROR, path, 0, 0, "io", "",
                                            "more than %d lines before byte %llu", INT_MAX - 1,
                                            (unsigned long long)from)))
        return LIC_ENOMEM;
    return rc;
}

static lic_err open_part(const lic_agreement *a, const char *path, uint64_t from, bool lazy, lic_diags *diags,
                         lic_sales_reader **out)
{
    lic_sales_reader *r;
    lic_err rc = lic_sales_reader_open(a, path, diags, &r);
    *out = NULL;
    if (rc)
        return rc;
    if (from > lic_sales_reader_offset(r)) { /* past the header (else: the rows after it) */
        FILE *f = lic__sales_reader_file(r);
        uint64_t start = 0, lfs = 0;
        rc = lic__sales_row_start_from(f, from, &start);
        if (!rc && !lazy)
            rc = lic__sales_count_lines_before(fileno(f), start, &lfs);
        if (!rc && lfs >= (uint64_t)INT_MAX)
            rc = LIC_ETOOBIG; /* lines are ints */
        /* a lazy part numbers its lines from 1 until the count is made */
        rc = rc ? rc : lic__sales_reader_resume(r, start, lazy ? 1 : (int)lfs + 1);
        rc = rc || !lazy ? rc : lic__sales_reader_set_lazy(r, start);
        if (rc) {
            lic_sales_reader_free(r);
            return part_failed(rc, path, from, diags);
        }
    }
    *out = r;
    return LIC_OK;
}

lic_err lic_sales_reader_open_at(const lic_agreement *a, const char *path, uint64_t from,
                                 lic_diags *diags, lic_sales_reader **out)
{
    return open_part(a, path, from, false, diags, out);
}

lic_err lic_sales_reader_open_at_lazy(const lic_agreement *a, const char *path, uint64_t from,
                                      lic_diags *diags, lic_sales_reader **out)
{
    return open_part(a, path, from, true, diags, out);
}

/* ---- a lazy part's line numbers ---- */

/* Counts the lines before the part, once.  When they cannot be counted
 * an "io" message says so (the part's lines keep no number); an error
 * only when that message could not be added. */
static lic_err lazy_count(lic__sales_lazy *z, const char *path, lic_diags *d)
{
    uint64_t n = 0;
    lic_err rc = lic__sales_count_lines_before(z->fd, z->start, &n);
    if (!rc && n >= (uint64_t)INT_MAX)
        rc = LIC_ETOOBIG;
    if (!rc) {
        z->known = true;
        z->before = (int)n;
        return LIC_OK;
    }
    z->failed = true; /* not tried again: one message */
    if (rc == LIC_ENOMEM)
        return rc;
    return lic_diags_add(d, LIC_SEV_ERROR, path, 0, 0, "io", "",
                         "cannot count the lines before byte %llu: the messages about this part of "
                         "the file have no line numbers",
                         (unsigned long long)z->start);
}

/* Line `line` of the part (1: its first row) as a line of the file, or
 * 0 while that is not known. */
static int file_line(const lic__sales_lazy *z, int line)
{
    if (!z->known || line <= 0)
        return 0;
    return line > INT_MAX - z->before ? INT_MAX : line + z->before;
}

int lic__sales_lazy_line(const lic__sales_lazy *z, int line, int *step)
{
    *step = z->known;
    return file_line(z, line);
}

int lic__sales_lazy_settle(lic__sales_lazy *z, const char *path, lic_diags *d, size_t mark,
                           lic_sale_line *l, size_t n, int got)
{
    size_t end = d->n;
    lic_err rc = end > mark && !z->known && !z->failed ? lazy_count(z, path, d) : LIC_OK;
    for (size_t i = mark; i < end; i++) {
        d->v[i].line = file_line(z, d->v[i].line);
        if (!d->v[i].line)
            d->v[i].col = 0; /* no position */
    }
    for (size_t i = 0; i < n; i++)
        l[i].pos.line = file_line(z, l[i].pos.line);
    return rc && got >= 0 ? -(int)rc : got;
}
