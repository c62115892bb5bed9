/*
 * error.h - licet's error codes and diagnostics.
 *
 * Every fallible library function returns a lic_err: 0 is success, the
 * numbers are never renumbered (append only).  Functions that read user
 * input also report diagnostics (lic_diag): one line each, naming the file,
 * line, column, the key path and what was expected.  The library never
 * prints; front ends format diagnostics with lic_diag_format().
 */
#ifndef LICET_ERROR_H
#define LICET_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#define LIC_ERRORS(X)                                                        \
    X(LIC_OK, 0, "success")                                                  \
    X(LIC_ENOMEM, 1, "out of memory")                                        \
    X(LIC_EINVAL, 2, "invalid argument")                                     \
    X(LIC_EPARSE, 3, "malformed input")                                      \
    X(LIC_ERANGE, 4, "value out of range")                                   \
    X(LIC_EOVERFLOW, 5, "arithmetic overflow")                               \
    X(LIC_ENOTFOUND, 6, "not found")                                         \
    X(LIC_EIO, 7, "input/output error")                                      \
    X(LIC_ETOOBIG, 8, "input exceeds a size limit")                          \
    X(LIC_EINDETERMINATE, 9, "depends on a redacted or unknown term")        \
    X(LIC_ECURRENCY, 10, "currency mismatch")                                \
    X(LIC_EBUSY, 11, "resource busy")                                        \
    X(LIC_ECORRUPT, 12, "stored data is corrupt")                            \
    X(LIC_EINVALID, 13, "input is not valid")

typedef enum {
#define LIC_ERR_ENUM(name, num, text) name = num,
    LIC_ERRORS(LIC_ERR_ENUM)
#undef LIC_ERR_ENUM
} lic_err;

/* A static English description of the code; never NULL. */
const char *lic_strerror(lic_err err);

#if defined(__GNUC__)
#define LIC_MUST_CHECK __attribute__((warn_unused_result))
#define LIC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LIC_MUST_CHECK
#define LIC_PRINTF(f, a)
#endif

typedef enum { LIC_SEV_ERROR, LIC_SEV_WARNING } lic_severity;

/* One diagnostic.  All strings are owned by the lic_diags list. */
typedef struct lic_diag {
    lic_severity sev;
    char *file;  /* the input file's name as given, or "-" */
    int line;    /* 1-based; 0 when the diagnostic has no position */
    int col;     /* 1-based */
    char *code;  /* short stable kind, e.g. "unknown-key", "no-diligence" */
    char *path;  /* key path, e.g. "milestones[2].due"; may be "" */
    char *msg;   /* what is wrong and what was expected; no newline */
} lic_diag;

/* A growable list of diagnostics.  Embed it and call _init/_fini. */
typedef struct lic_diags {
    lic_diag *v;
    size_t n, cap;
    size_t nerrors, nwarnings;
} lic_diags;

void lic_diags_init(lic_diags *d);
void lic_diags_fini(lic_diags *d);

/* Appends a diagnostic; the message is printf-formatted.  Returns
 * LIC_ENOMEM (and drops the diagnostic) only when memory runs out. */
lic_err lic_diags_add(lic_diags *d, lic_severity sev, const char *file,
                      int line, int col, const char *code, const char *path,
                      const char *fmt, ...) LIC_PRINTF(8, 9);
lic_err lic_diags_addv(lic_diags *d, lic_severity sev, const char *file,
                       int line, int col, const char *code, const char *path,
                       const char *fmt, va_list ap);

/* Sorts by file, line, column, then insertion order (stable). */
void lic_diags_sort(lic_diags *d);

/* Formats "FILE:LINE:COL: PATH: MSG" (errors) or
 * "FILE:LINE:COL: warning: PATH: MSG" (warnings) into buf, truncating to
 * n-1 bytes.  Returns the length the full line needs (like snprintf). */
size_t lic_diag_format(const lic_diag *dg, char *buf, size_t n);

#endif
