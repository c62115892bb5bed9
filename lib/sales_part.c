/*
 * sales_part.c - where a part of a sales file starts, and the number of
 * its first line (lic_sales_reader_open_at): the first row after a byte,
 * and the line ends before it, counted without reading the rows.
 */
#include "sales_int.h"

/* The LF bytes of f before byte `end` (f is left anywhere). */
lic_err lic__sales_count_lines_before(FILE *f, uint64_t end, uint64_t *n)
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
    lic_err rc = fseeko(f, 0, SEEK_SET) ? LIC_EIO : LIC_OK;
    *n = 0;
    for (uint64_t at = 0; !rc && at < end;) {
        size_t want = end - at < BUF ? (size_t)(end - at) : BUF;
        size_t got = fread(buf, 1, want, f);
        if (got == 0)
            rc = LIC_EIO; /* the file shrank */
        *n += lic__csv_count_lf(buf, got);
        at += got;
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
