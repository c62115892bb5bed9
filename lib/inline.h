/*
 * inline.h - the inlining hints of the hot paths (the CSV tokenizer, the
 * sales reader's fast line, lic_roy_add), in one place.
 *
 * ALWAYS_INLINE: a small function whose inlining the path's speed
 * depends on (GCC would otherwise keep some as calls, their arguments in
 * memory).  NOINLINE: a rare path kept out of its caller, so that the
 * usual path keeps its values in registers instead of saving them for
 * the rare one on every call.  USUALLY(x): x is nearly always true (laid
 * out to fall through).  Hints only: without GCC or clang they are
 * nothing, and the code means the same.
 */
#ifndef LIC_INLINE_H
#define LIC_INLINE_H

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))
#define USUALLY(x) __builtin_expect(!!(x), 1)
#else
#define ALWAYS_INLINE inline
#define NOINLINE
#define USUALLY(x) (x)
#endif

#endif
