/*
 * royalties-split.c - the least a CSV program can do with the royalty
 * bench's file: split every line and add up two columns.
 *
 *   royalties-split SALES.csv [THREADS]
 *
 * A yardstick for bench/royalties.sh, not part of licet.  THREADS (1 or
 * 2, default 1) threads each take a byte range of the file (from the
 * first line that starts in it to the first line end at or past its
 * end), read it 128 KiB at a time, find commas and line ends 64 bytes at
 * a time with AVX2, and add up the gross_sales and deductions columns as
 * whole numbers of cents.  Nothing is checked (no quotes, no UTF-8, no
 * countries, no column count), nothing is looked up, no royalty is
 * computed: whatever licet does per line comes on top of this.  An
 * amount of the bench's shape (1 to 8 digits, a point, 2 digits) is read
 * eight bytes at a time; any other text a byte at a time, its digits as
 * one number.  Prints
 *
 *   lines=N gross_cents=G deductions_cents=D
 *
 * Exits 1 when the file cannot be read, has no such columns or a line
 * longer than 64 KiB; 2 on usage errors or on a CPU without AVX2.
 */
#include <fcntl.h>
#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK ((size_t)128 << 10)
#define MAX_LINE ((size_t)64 << 10)
#define MAX_COLS 64

typedef struct part {
    int fd;
    off_t from, to;             /* lines starting in [from, to]; from 0: after the header */
    int gross_col, ded_col;
    int bad;                    /* a read failed or a line is too long */
    long long lines;
    uint64_t gross, ded;
} part;

/* Every digit of s[0..n) as one number (the slow way, for odd shapes). */
static uint64_t digits(const char *s, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned)(s[i] - '0') < 10)
            v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

/* Eight ASCII digits, the first in the lowest byte, as a number. */
static inline uint64_t eight_digits(uint64_t w)
{
    w -= UINT64_C(0x3030303030303030);
    w = (w * 10 + (w >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
    w = (w * 100 + (w >> 16)) & UINT64_C(0x0000FFFF0000FFFF);
    return (w * 10000 + (w >> 32)) & UINT64_C(0xFFFFFFFF);
}

/* The amount s[0..n) in cents: the bench's shape eight bytes at a time
 * (its integer digits moved to the top of a word padded with '0's). */
static inline uint64_t cents(const char *s, size_t n)
{
    if (n < 4 || n > 11 || s[n - 3] != '.')
        return digits(s, n);
    size_t ip = n - 3;
    uint64_t w;
    memcpy(&w, s, 8);
    w = ip == 8 ? w : (w << (8 * (8 - ip))) | (UINT64_C(0x3030303030303030) >> (8 * ip));
    return eight_digits(w) * 100 + (unsigned)(s[n - 2] - '0') * 10 + (unsigned)(s[n - 1] - '0');
}

/* Comma or LF bits of the 64 bytes at p. */
__attribute__((target("avx2"))) static inline uint64_t seps64(const char *p)
{
    const __m256i comma = _mm256_set1_epi8(','), lf = _mm256_set1_epi8('\n');
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p),
            b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    uint32_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(a, comma), _mm256_cmpeq_epi8(a, lf)));
    uint32_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(b, comma), _mm256_cmpeq_epi8(b, lf)));
    return (uint64_t)hi << 32 | lo;
}

/* Takes the lines of buf[0..n) (n a multiple of 64 or, at the end, any
 * length with zeros after it); returns the offset of the first line not
 * taken.  `base` is buf[0]'s file offset: a line starting past p->to is
 * the next part's. */
__attribute__((target("avx2"))) static size_t lines(part *p, const char *buf, size_t n, off_t base, int *done)
{
    size_t start[MAX_COLS + 1], row = 0;
    int k = 0;
    start[0] = 0;
    for (size_t b = 0; b < n; b += 64)
        for (uint64_t m = seps64(buf + b); m; m &= m - 1) {
            size_t at = b + (size_t)__builtin_ctzll(m);
            if (++k <= MAX_COLS)
                start[k] = at + 1;
            if (buf[at] != '\n')
                continue;
            if (k > p->gross_col && k > p->ded_col) {
                size_t g = start[p->gross_col], d = start[p->ded_col];
                p->gross += cents(buf + g, start[p->gross_col + 1] - g - 1);
                p->ded += cents(buf + d, start[p->ded_col + 1] - d - 1);
            }
            p->lines++;
            k = 0;
            start[0] = row = at + 1;
            if (base + (off_t)row > p->to) {
                *done = 1;
                return row;
            }
        }
    return row;
}

/* One part: from its first line start to past its end. */
static void *run(void *arg)
{
    part *p = arg;
    char *buf = malloc(MAX_LINE + CHUNK + 64);
    size_t have = 0;
    off_t at = p->from;
    int done = 0, first = 1;
    if (!buf) {
        p->bad = 1;
        return NULL;
    }
    while (!done) {
        ssize_t got = pread(p->fd, buf + have, CHUNK, at);
        if (got < 0) {
            p->bad = 1;
            break;
        }
        off_t base = at - (off_t)have;
        at += got;
        have += (size_t)got;
        size_t skip = 0;
        if (first) { /* the part's first line starts after the first LF */
            const char *nl = memchr(buf, '\n', have);
            if (!nl && got > 0)
                continue;
            skip = nl ? (size_t)(nl - buf) + 1 : have;
            first = 0;
        }
        if (got == 0 && have > skip && buf[have - 1] != '\n')
            buf[have++] = '\n'; /* the last line without its line end */
        size_t n = got == 0 ? have - skip : (have - skip) & ~(size_t)63;
        if (got == 0)
            memset(buf + have, 0, 64); /* the last block's bytes past the data: no separators */
        size_t used = skip + lines(p, buf + skip, n, base + (off_t)skip, &done);
        memmove(buf, buf + used, have - used);
        have -= used;
        if (got == 0)
            break;
        if (have >= MAX_LINE) {
            p->bad = 1;
            break;
        }
    }
    free(buf);
    return NULL;
}

/* The header's column of that name, or -1. */
static int column(const char *hdr, size_t n, const char *name)
{
    size_t len = strlen(name), start = 0;
    int col = 0;
    for (size_t i = 0; i <= n; i++)
        if (i == n || hdr[i] == ',' || hdr[i] == '\r') {
            if (i - start == len && !memcmp(hdr + start, name, len))
                return col;
            col++;
            start = i + 1;
        }
    return -1;
}

int main(int argc, char **argv)
{
    int threads = argc == 3 ? atoi(argv[2]) : 1;
    if (argc < 2 || argc > 3 || threads < 1 || threads > 2) {
        fprintf(stderr, "usage: royalties-split SALES.csv [1|2]\n");
        return 2;
    }
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2")) {
        fprintf(stderr, "royalties-split: needs AVX2\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    struct stat sb;
    char hdr[4096];
    ssize_t hn = fd < 0 || fstat(fd, &sb) ? -1 : pread(fd, hdr, sizeof hdr, 0);
    const char *nl = hn > 0 ? memchr(hdr, '\n', (size_t)hn) : NULL;
    size_t len = nl ? (size_t)(nl - hdr) : 0;
    part p[2] = {{.fd = fd, .gross_col = column(hdr, len, "gross_sales"), .ded_col = column(hdr, len, "deductions")}};
    if (!nl || p[0].gross_col < 0 || p[0].ded_col < 0) {
        fprintf(stderr, "royalties-split: %s: cannot read it, or no gross_sales or deductions column\n", argv[1]);
        return 1;
    }
    /* part 0 starts after the header's LF, as every part after its cut's */
    p[0].to = threads == 2 ? sb.st_size / 2 : sb.st_size;
    p[1] = p[0];
    p[1].from = p[0].to + 1; /* a line starting at the cut byte is part 0's */
    p[1].to = sb.st_size;
    pthread_t t;
    int two = threads == 2 && pthread_create(&t, NULL, run, &p[1]) == 0;
    run(&p[0]);
    if (two)
        pthread_join(t, NULL);
    else if (threads == 2)
        run(&p[1]);
    close(fd);
    if (p[0].bad || p[1].bad) {
        fprintf(stderr, "royalties-split: %s: cannot read it, or a line longer than 64 KiB\n", argv[1]);
        return 1;
    }
    printf("lines=%lld gross_cents=%llu deductions_cents=%llu\n", p[0].lines + p[1].lines,
           (unsigned long long)(p[0].gross + p[1].gross), (unsigned long long)(p[0].ded + p[1].ded));
    return 0;
}
