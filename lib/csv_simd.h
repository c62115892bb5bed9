/*
 * csv_simd.h - 64 bytes of CSV as bit masks (bit i for byte i), with
 * SSE2 and, chosen at run time, AVX2: csv.c's fast scan reads its blocks
 * through these (its notes, "the fast scan", say how the masks are used).
 *
 * Private to csv.c; a header only because every function here must be
 * inlined into the scan that uses it.  Defines LIC_CSV_FAST (SSE2 is
 * there) and LIC_CSV_AVX2 (the AVX2 code can be built).
 */
#ifndef LIC_CSV_SIMD_H
#define LIC_CSV_SIMD_H

#include <stdbool.h>
#include <stdint.h>

#include "inline.h" /* ALWAYS_INLINE: the masks stay in registers */

#if defined(__SSE2__)
#define LIC_CSV_FAST 1
#include <emmintrin.h>

/* The raw masks of 64 bytes (bit i for byte i): quotes, commas, LFs, and
 * the rare bytes (CR, NUL, not ASCII), which are told apart (CRs and the
 * others, odd) only when there is one. */
typedef struct raw_masks {
    uint64_t quote, comma, lf, rare, cr, odd;
} raw_masks;

static ALWAYS_INLINE uint64_t movemask16(__m128i v, int k)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(v) << (16 * k);
}

/* The raw masks of the 64 bytes at p (all readable: see BLOCK_PAD). */
static ALWAYS_INLINE raw_masks masks_sse2(const char *p)
{
    const __m128i quote = _mm_set1_epi8('"'), comma = _mm_set1_epi8(','),
                  lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), zero = _mm_setzero_si128();
    raw_masks m = {0};
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        m.quote |= movemask16(_mm_cmpeq_epi8(v, quote), k);
        m.comma |= movemask16(_mm_cmpeq_epi8(v, comma), k);
        m.lf |= movemask16(_mm_cmpeq_epi8(v, lf), k);
        m.rare |= movemask16(_mm_or_si128(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero)),
                                          _mm_cmpeq_epi8(v, cr)), k);
    }
    if (!m.rare)
        return m;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        m.cr |= movemask16(_mm_cmpeq_epi8(v, cr), k);
    }
    m.odd = m.rare & ~m.cr;
    return m;
}

/* masks_sse2 32 bytes at a time, for CPUs with AVX2 (asked at run time:
 * the build is for any x86-64, so the SSE2 one stays the default).
 * The same masks: the unit tests and the fuzzer compare both.  The two
 * halves are written out rather than looped over so that they stay in
 * registers. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define LIC_CSV_AVX2 1
#include <immintrin.h>

__attribute__((target("avx2"))) static ALWAYS_INLINE uint64_t movemask64(__m256i lo, __m256i hi)
{
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(lo) |
           (uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32;
}

/* Bytes that are CR, NUL or not ASCII (the high bit of each byte). */
__attribute__((target("avx2"))) static ALWAYS_INLINE __m256i rare32(__m256i v)
{
    return _mm256_or_si256(_mm256_or_si256(v, _mm256_cmpeq_epi8(v, _mm256_setzero_si256())),
                           _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r')));
}

__attribute__((target("avx2"))) static ALWAYS_INLINE raw_masks masks_avx2(const char *p)
{
    const __m256i quote = _mm256_set1_epi8('"'), comma = _mm256_set1_epi8(','),
                  lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
    __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p),
            hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    raw_masks m = {
        .quote = movemask64(_mm256_cmpeq_epi8(lo, quote), _mm256_cmpeq_epi8(hi, quote)),
        .comma = movemask64(_mm256_cmpeq_epi8(lo, comma), _mm256_cmpeq_epi8(hi, comma)),
        .lf = movemask64(_mm256_cmpeq_epi8(lo, lf), _mm256_cmpeq_epi8(hi, lf)),
        .rare = movemask64(rare32(lo), rare32(hi)),
    };
    if (m.rare) {
        m.cr = movemask64(_mm256_cmpeq_epi8(lo, cr), _mm256_cmpeq_epi8(hi, cr));
        m.odd = m.rare & ~m.cr;
    }
    return m;
}

static bool has_avx2(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("bmi2");
}
#else
#define LIC_CSV_AVX2 0
#endif
#else
#define LIC_CSV_FAST 0
#endif

#if LIC_CSV_FAST
/* Bit i = XOR of bits 0..i. */
static ALWAYS_INLINE uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* The masks that tell the common block, which is outside quotes and
 * has no quote, CR, NUL or non-ASCII byte (unusual: those bytes). */
typedef struct plain_masks {
    uint64_t seps, lf, unusual; /* seps: commas and LFs */
} plain_masks;

static ALWAYS_INLINE plain_masks plain_sse2(const char *p)
{
    const __m128i quote = _mm_set1_epi8('"'), comma = _mm_set1_epi8(','),
                  lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), zero = _mm_setzero_si128();
    plain_masks m = {0};
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i is_lf = _mm_cmpeq_epi8(v, lf);
        m.seps |= movemask16(_mm_or_si128(_mm_cmpeq_epi8(v, comma), is_lf), k);
        m.lf |= movemask16(is_lf, k);
        m.unusual |= movemask16(_mm_or_si128(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero)),
                                             _mm_or_si128(_mm_cmpeq_epi8(v, cr),
                                                          _mm_cmpeq_epi8(v, quote))), k);
    }
    return m;
}

#if LIC_CSV_AVX2
/* lanes: 32 bytes each, in this order (lic__csv.lanes): 32 commas, 32
 * LFs, and the table unusual32 looks bytes up in (lanes_init). */
enum { LANE_COMMA, LANE_LF, LANE_UNUSUAL, LANES };

static inline void lanes_init(unsigned char (*lanes)[32])
{
    for (int i = 0; i < 32; i++) {
        lanes[LANE_COMMA][i] = ',';
        lanes[LANE_LF][i] = '\n';
        /* by low nibble, the byte below 0x80 with it that is unusual (NUL,
         * CR, quote: no two share one), else 0xFF, which none equals;
         * each 16 bytes alike, as vpshufb looks up within them */
        int lo = i % 16;
        lanes[LANE_UNUSUAL][i] = lo == 0 ? 0 : lo == '\r' ? '\r' : lo == ('"' & 15) ? '"' : 0xFF;
    }
}

__attribute__((target("avx2"))) static ALWAYS_INLINE __m256i lane(const unsigned char *lanes, int k)
{
    return _mm256_loadu_si256((const __m256i *)(const void *)(lanes + 32 * k));
}

/* Bytes that are CR, NUL, a quote or not ASCII (the high bit of each
 * byte): a byte below 0x80 is one of the first three when the table
 * gives it back for its low nibble; vpshufb gives 0 for the others,
 * whose own high bit says it. */
__attribute__((target("avx2"))) static ALWAYS_INLINE __m256i unusual32(const unsigned char *lanes, __m256i v)
{
    __m256i hit = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(lane(lanes, LANE_UNUSUAL), v), v);
    return _mm256_or_si256(hit, v);
}

__attribute__((target("avx2"))) static ALWAYS_INLINE plain_masks plain_avx2(const unsigned char *lanes,
                                                                          const char *p)
{
    const __m256i comma = lane(lanes, LANE_COMMA), lf = lane(lanes, LANE_LF);
    __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p),
            hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    __m256i lf_lo = _mm256_cmpeq_epi8(lo, lf), lf_hi = _mm256_cmpeq_epi8(hi, lf);
    return (plain_masks){
        .seps = movemask64(_mm256_or_si256(_mm256_cmpeq_epi8(lo, comma), lf_lo),
                           _mm256_or_si256(_mm256_cmpeq_epi8(hi, comma), lf_hi)),
        .lf = movemask64(lf_lo, lf_hi),
        .unusual = movemask64(unusual32(lanes, lo), unusual32(lanes, hi)),
    };
}
#endif /* LIC_CSV_AVX2 */
#endif /* LIC_CSV_FAST */

#endif
