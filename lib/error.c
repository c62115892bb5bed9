/*
 * error.c - lic_strerror and the diagnostics list.
 */
#include "licet/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

const char *lic_strerror(lic_err err)
{
    switch (err) {
#define LIC_ERR_CASE(name, num, text) case name: return text;
        LIC_ERRORS(LIC_ERR_CASE)
#undef LIC_ERR_CASE
    }
    return "unknown error";
}

void lic_diags_init(lic_diags *d) { memset(d, 0, sizeof *d); }

void lic_diags_fini(lic_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        lic__free(d->v[i].file);
        lic__free(d->v[i].code);
        lic__free(d->v[i].path);
        lic__free(d->v[i].msg);
    }
    lic__free(d->v);
    memset(d, 0, sizeof *d);
}

lic_err lic_diags_addv(lic_diags *d, lic_severity sev, const char *file,
                       int line, int col, const char *code, const char *path,
                       const char *fmt, va_list ap)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        lic_diag *v = lic__realloc(d->v, cap * sizeof *v);
        if (!v)
            return LIC_ENOMEM;
        d->v = v;
        d->cap = cap;
    }
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* A message is one line (STYLE: errors are one line). */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    lic_diag dg = {
        .sev = sev, .line = line, .col = col,
        .file = lic__strdup(file ? file : "-"),
        .code = lic__strdup(code ? code : ""),
        .path = lic__strdup(path ? path : ""),
        .msg = lic__strdup(msg),
    };
    if (!dg.file || !dg.code || !dg.path || !dg.msg) {
        lic__free(dg.file);
        lic__free(dg.code);
        lic__free(dg.path);
        lic__free(dg.msg);
        return LIC_ENOMEM;
    }
    d->v[d->n++] = dg;
    if (sev == LIC_SEV_ERROR)
        d->nerrors++;
    else
        d->nwarnings++;
    return LIC_OK;
}

lic_err lic_diags_add(lic_diags *d, lic_severity sev, const char *file,
                      int line, int col, const char *code, const char *path,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lic_err rc = lic_diags_addv(d, sev, file, line, col, code, path, fmt, ap);
    va_end(ap);
    return rc;
}

/* Insertion sort keeps equal positions in the order they were found; the
 * lists are short (tens of entries), so O(n^2) is fine. */
static int diag_cmp(const lic_diag *a, const lic_diag *b)
{
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return 0;
}

void lic_diags_sort(lic_diags *d)
{
    for (size_t i = 1; i < d->n; i++) {
        lic_diag x = d->v[i];
        size_t j = i;
        while (j > 0 && diag_cmp(&d->v[j - 1], &x) > 0) {
            d->v[j] = d->v[j - 1];
            j--;
        }
        d->v[j] = x;
    }
}

size_t lic_diag_format(const lic_diag *dg, char *buf, size_t n)
{
    const char *sev = dg->sev == LIC_SEV_WARNING ? "warning: " : "";
    const char *sep = dg->path[0] ? ": " : "";
    int len;
    if (dg->line > 0)
        len = snprintf(buf, n, "%s:%d:%d: %s%s%s%s", dg->file, dg->line,
                       dg->col, sev, dg->path, sep, dg->msg);
    else
        len = snprintf(buf, n, "%s: %s%s%s%s", dg->file, sev, dg->path, sep,
                       dg->msg);
    return len < 0 ? 0 : (size_t)len;
}
