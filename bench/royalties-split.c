/*
 * royalties-split.c - the least any CSV program can do with the royalty
 * bench's file: split every line and add up two columns.
 *
 *   royalties-split SALES.csv
 *
 * A yardstick for bench/royalties.sh, not part of licet: one thread reads
 * the file 128 KiB at a time (as licet's reader does), finds commas and
 * line ends 64 bytes at a time with AVX2 (as licet's tokenizer does),
 * and sums the gross_sales and deductions columns as whole numbers of
 * their digits.  Nothing is checked (no quotes, no UTF-8, no countries,
 * no decimals), nothing is looked up, no royalty is computed: whatever
 * licet does per line comes on top of this.  Prints
 *
 *   lines=N gross_digits=G deductions_digits=D
 *
 * Exits 1 when the file cannot be read or has no such columns, 2 on
 * usage errors or on a CPU without AVX2.
 */
#include <fcntl.h>
#include <immintrin.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK ((size_t)128 << 10)
#define MAX_COLS 64

typedef struct sums {
    int gross_col, ded_col;     /* column indexes, from the header */
    long long lines;
    uint64_t gross, ded;
} sums;

/* The digits of s[0..n) as one number ('.' and anything else skipped). */
static uint64_t digits(const char *s, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned)(s[i] - '0') < 10)
            v = v * 10 + (unsigned)(s[i] - '0');
    return v;
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

/* Comma or LF bits of the 64 bytes at p. */
__attribute__((target("avx2"))) static uint64_t seps64(const char *p)
{
    const __m256i comma = _mm256_set1_epi8(','), lf = _mm256_set1_epi8('\n');
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p),
            b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    uint32_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(a, comma), _mm256_cmpeq_epi8(a, lf)));
    uint32_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(b, comma), _mm256_cmpeq_epi8(b, lf)));
    return (uint64_t)hi << 32 | lo;
}

/* Takes the rows of buf[0..n) whose line end lies in its whole 64-byte
 * blocks (all blocks when `last`: the bytes past n are zeros); returns
 * the offset where the first row not taken starts.  start[i] is where
 * column i of the current row starts. */
static size_t rows(sums *s, const char *buf, size_t n, bool last, size_t *start)
{
    size_t row = 0, blocks = last ? (n + 63) / 64 : n / 64;
    int k = 0;
    start[0] = 0;
    for (size_t b = 0; b < blocks; b++)
        for (uint64_t m = seps64(buf + 64 * b); m; m &= m - 1) {
            size_t at = 64 * b + (size_t)__builtin_ctzll(m);
            if (++k <= MAX_COLS)
                start[k] = at + 1;
            if (buf[at] != '\n')
                continue;
            if (k > s->gross_col && k > s->ded_col) {
                s->gross += digits(buf + start[s->gross_col], start[s->gross_col + 1] - start[s->gross_col] - 1);
                s->ded += digits(buf + start[s->ded_col], start[s->ded_col + 1] - start[s->ded_col] - 1);
            }
            s->lines++;
            k = 0;
            start[0] = row = at + 1;
        }
    return row;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: royalties-split SALES.csv\n");
        return 2;
    }
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2")) {
        fprintf(stderr, "royalties-split: needs AVX2\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    char *buf = malloc(2 * CHUNK + 65);
    if (fd < 0 || !buf) {
        fprintf(stderr, "royalties-split: cannot read %s\n", argv[1]);
        return 1;
    }
    sums s = {.gross_col = -1, .ded_col = -1};
    size_t start[MAX_COLS + 1];
    size_t have = 0;
    ssize_t got = 0;
    /* at most CHUNK at a time (as licet: larger reads were slower on the
     * bench machine); a row longer than CHUNK is no row of the bench's */
    while (have < CHUNK && (got = read(fd, buf + have, CHUNK)) >= 0) {
        have += (size_t)got;
        if (s.gross_col < 0) { /* the header: the first line */
            const char *nl = memchr(buf, '\n', have);
            if (!nl && got > 0)
                continue;
            size_t len = nl ? (size_t)(nl - buf) : 0;
            s.gross_col = column(buf, len, "gross_sales");
            s.ded_col = column(buf, len, "deductions");
            if (!nl || s.gross_col < 0 || s.ded_col < 0) {
                fprintf(stderr, "royalties-split: no gross_sales or deductions column\n");
                return 1;
            }
            size_t from = len + 1;
            memmove(buf, buf + from, have - from);
            have -= from;
        }
        if (got == 0 && have > 0 && buf[have - 1] != '\n')
            buf[have++] = '\n'; /* the last line without its line end */
        memset(buf + have, 0, 64); /* the last block's bytes past the data: no separators */
        size_t done = rows(&s, buf, have, got == 0, start);
        memmove(buf, buf + done, have - done);
        have -= done;
        if (got == 0)
            break;
    }
    close(fd);
    free(buf);
    if (got < 0 || have >= CHUNK) {
        fprintf(stderr, "royalties-split: %s: %s\n", argv[1], got < 0 ? "cannot read" : "a line longer than 128 KiB");
        return 1;
    }
    printf("lines=%lld gross_digits=%llu deductions_digits=%llu\n", s.lines, (unsigned long long)s.gross,
           (unsigned long long)s.ded);
    return 0;
}
