/*
 * export.c - writing a portfolio store out as plain files (export.h):
 * every agreement version, every ledger row as a line of JSON, and a
 * manifest.  export_read.c reads them back.
 *
 * NOTES ON THE DESIGN
 * - No lock is held: the export takes the ledger's last row number when
 *   it starts and writes rows up to it only, and the versions each
 *   agreement had then, so a writer meanwhile changes nothing exported.
 * - The chain is verified before anything is written, so a store whose
 *   chain is broken does not produce an export that looks sound.
 * - The manifest is written last: a directory without it is an export
 *   that did not finish.
 * - Nothing written depends on the time or the backend: exporting the
 *   same portfolio twice, from SQLite or PostgreSQL, gives equal files.
 */
#include "licet/export.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"

typedef struct ex_ctx {
    lic_store *s;
    const char *dir;
    char *why;
    size_t whylen;
    lic_export_summary *sum;
} ex_ctx;

static lic_err ex_fail(ex_ctx *x, lic_err rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static lic_err ex_fail(ex_ctx *x, lic_err rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (x->whylen)
        vsnprintf(x->why, x->whylen, fmt, ap);
    va_end(ap);
    return rc;
}

/* The store's failure, in its own words. */
static lic_err ex_store_fail(ex_ctx *x, lic_err rc)
{
    const char *m = lic_store_errmsg(x->s);
    return ex_fail(x, rc, "%s", m[0] ? m : lic_strerror(rc));
}

/* dir/rel into buf; false when it does not fit. */
static bool ex_path(char *buf, size_t len, const char *dir, const char *rel)
{
    int n = snprintf(buf, len, "%s/%s", dir, rel);
    return n > 0 && (size_t)n < len;
}

/* Whether `id` can be a directory name as it stands (store ids are
 * agreement ids: letters, digits, '.', '_', '-', starting with a letter
 * or digit). */
static bool ex_safe_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 128)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return false;
    }
    return true;
}

/* Makes `dir`, or accepts it when it is an empty directory. */
static lic_err ex_make_dir(ex_ctx *x, const char *dir)
{
    if (!mkdir(dir, 0777))
        return LIC_OK;
    if (errno != EEXIST)
        return ex_fail(x, LIC_EIO, "%s: cannot create the directory: %s", dir, strerror(errno));
    DIR *d = opendir(dir);
    if (!d)
        return ex_fail(x, LIC_EIO, "%s: exists and is not a directory one can read", dir);
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)) != NULL)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty ? LIC_OK : ex_fail(x, LIC_EINVAL, "%s: exists and is not empty (export into a new directory)", dir);
}

/* Closes f, turning any write error into a failure naming path. */
static lic_err ex_close(ex_ctx *x, FILE *f, const char *path)
{
    bool bad = ferror(f) != 0;
    if (fclose(f) || bad)
        return ex_fail(x, LIC_EIO, "%s: cannot write the file: %s", path, strerror(errno));
    return LIC_OK;
}

static lic_err ex_write_file(ex_ctx *x, const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return ex_fail(x, LIC_EIO, "%s: cannot create the file: %s", path, strerror(errno));
    if (len)
        fwrite(data, 1, len, f);
    return ex_close(x, f, path);
}

/* ---- agreements ---- */

typedef struct ex_agreement {
    char *id;
    int versions;
} ex_agreement;

typedef struct ex_list {
    ex_agreement *v;
    size_t n;
} ex_list;

static int ex_collect(void *ctx, const lic_store_agreement_info *i)
{
    ex_list *l = ctx;
    ex_agreement *v = lic__realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return LIC_ENOMEM;
    l->v = v;
    v[l->n] = (ex_agreement){lic__strdup(i->id), i->versions};
    return v[l->n++].id ? 0 : LIC_ENOMEM;
}

static void ex_list_free(ex_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        lic__free(l->v[i].id);
    lic__free(l->v);
}

/* Writes agreement a's versions 1..N into dir/agreements/ID/ and adds
 * their SHA-256 to the manifest's array `shas`. */
static lic_err ex_agreement_versions(ex_ctx *x, const ex_agreement *a, json_t *shas)
{
    char dir[PATH_MAX], path[PATH_MAX], rel[200];
    if (!ex_safe_id(a->id))
        return ex_fail(x, LIC_EINVAL, "agreement id \"%s\" cannot be a directory name", a->id);
    snprintf(rel, sizeof rel, "agreements/%s", a->id);
    if (!ex_path(dir, sizeof dir, x->dir, rel))
        return ex_fail(x, LIC_EINVAL, "%s: the path is too long", x->dir);
    lic_err rc = ex_make_dir(x, dir);
    for (int v = 1; !rc && v <= a->versions; v++) {
        char *text = NULL, name[32], sha[65];
        size_t len = 0;
        rc = lic_store_agreement_get(x->s, a->id, v, &text, &len, NULL);
        if (rc) {
            rc = ex_store_fail(x, rc);
            break;
        }
        snprintf(name, sizeof name, "v%d.yaml", v);
        rc = ex_path(path, sizeof path, dir, name) ? ex_write_file(x, path, text, len)
                                                   : ex_fail(x, LIC_EINVAL, "%s: the path is too long", dir);
        lic_store_sha256_hex(text, len, sha);
        free(text);
        if (!rc && json_array_append_new(shas, json_string(sha)))
            rc = ex_fail(x, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
        x->sum->versions += !rc;
    }
    return rc;
}

/* Writes every agreement's versions; fills the manifest's "agreements". */
static lic_err ex_agreements(ex_ctx *x, json_t *manifest)
{
    ex_list l = {0};
    char path[PATH_MAX];
    json_t *map = json_object();
    lic_err rc = map && !json_object_set_new(manifest, "agreements", map) ? LIC_OK : LIC_ENOMEM;
    if (!rc && !ex_path(path, sizeof path, x->dir, "agreements"))
        rc = ex_fail(x, LIC_EINVAL, "%s: the path is too long", x->dir);
    else if (!rc)
        rc = ex_make_dir(x, path);
    if (!rc && (rc = lic_store_agreements(x->s, ex_collect, &l)) != LIC_OK)
        rc = ex_store_fail(x, rc);
    for (size_t i = 0; !rc && i < l.n; i++) {
        json_t *shas = json_array();
        rc = shas && !json_object_set_new(map, l.v[i].id, shas) ? LIC_OK : LIC_ENOMEM;
        if (!rc)
            rc = ex_agreement_versions(x, &l.v[i], shas);
        x->sum->agreements += !rc;
    }
    ex_list_free(&l);
    return rc == LIC_ENOMEM ? ex_fail(x, rc, "%s", lic_strerror(rc)) : rc;
}

/* ---- the ledger ---- */

/* s as a JSON string: quotes and backslashes escaped, control
 * characters as \u00XX, every other byte as it is. */
static void ex_put_string(FILE *f, const char *s)
{
    putc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            putc('\\', f);
            putc(c, f);
        } else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            putc(c, f);
    }
    putc('"', f);
}

typedef struct ex_ledger {
    ex_ctx *x;
    FILE *f;
    int64_t last;   /* rows after this one were appended after the export began */
    bool oom;
} ex_ledger;

static void ex_put_payload(ex_ledger *l, const char *p, size_t n)
{
    bool verbatim = n && p[0] == '{' && !memchr(p, '\n', n) && !memchr(p, '\r', n);
    if (verbatim) {
        fwrite(p, 1, n, l->f);
        return;
    }
    char *copy = lic__strndup(p, n);
    if (copy)
        ex_put_string(l->f, copy);
    l->oom |= !copy;
    lic__free(copy);
}

static int ex_row(void *ctx, const lic_store_row *r)
{
    ex_ledger *l = ctx;
    if (r->seq > l->last)
        return 0;
    const char *p;
    size_t n;
    if (!lic_store_row_payload(r->content, &p, &n))
        return LIC_ECORRUPT;
    fprintf(l->f, "{\"seq\":%lld,\"agreement\":", (long long)r->seq);
    ex_put_string(l->f, r->agreement);
    fputs(",\"kind\":", l->f);
    ex_put_string(l->f, r->kind);
    fputs(",\"ident\":", l->f);
    ex_put_string(l->f, r->ident);
    fputs(",\"digest\":", l->f);
    ex_put_string(l->f, r->digest);
    fputs(",\"payload\":", l->f);
    ex_put_payload(l, p, n);
    fprintf(l->f, ",\"prev_hash\":\"%s\",\"hash\":\"%s\"}\n", r->prev_hash, r->hash);
    l->x->sum->rows = r->seq;
    memcpy(l->x->sum->last_hash, r->hash, 65);
    l->x->sum->last_hash[64] = '\0';
    return l->oom ? LIC_ENOMEM : ferror(l->f) ? LIC_EIO : 0;
}

static lic_err ex_ledger_file(ex_ctx *x, int64_t last)
{
    char path[PATH_MAX];
    if (!ex_path(path, sizeof path, x->dir, "ledger.jsonl"))
        return ex_fail(x, LIC_EINVAL, "%s: the path is too long", x->dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return ex_fail(x, LIC_EIO, "%s: cannot create the file: %s", path, strerror(errno));
    ex_ledger l = {x, f, last, false};
    lic_err rc = lic_store_ledger(x->s, NULL, ex_row, &l);
    lic_err rc2 = ex_close(x, f, path);
    if (rc == LIC_EIO)
        return ex_fail(x, rc, "%s: cannot write the file", path);
    if (rc == LIC_ENOMEM || rc == LIC_ECORRUPT)
        return ex_fail(x, rc, "%s", lic_strerror(rc));
    return rc ? ex_store_fail(x, rc) : rc2;
}

/* ---- the whole ---- */

static lic_err ex_manifest(ex_ctx *x, json_t *m)
{
    char path[PATH_MAX];
    if (json_object_set_new(m, "rows", json_integer(x->sum->rows)) ||
        json_object_set_new(m, "last_hash", json_string(x->sum->last_hash)) ||
        json_object_set_new(m, "not_exported", json_string("users, sessions and API tokens (secrets)")))
        return ex_fail(x, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
    char *text = json_dumps(m, JSON_INDENT(2));
    if (!text)
        return ex_fail(x, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
    lic_err rc = ex_path(path, sizeof path, x->dir, "manifest.json") ? LIC_OK
                 : ex_fail(x, LIC_EINVAL, "%s: the path is too long", x->dir);
    if (!rc) {
        FILE *f = fopen(path, "wb");
        rc = f ? LIC_OK : ex_fail(x, LIC_EIO, "%s: cannot create the file: %s", path, strerror(errno));
        if (f) {
            fputs(text, f);
            putc('\n', f);
            rc = ex_close(x, f, path);
        }
    }
    free(text);
    return rc;
}

/* The manifest's opening: format, versions. */
static json_t *ex_manifest_head(lic_store *s, const char *licet_version)
{
    return json_pack("{s:s,s:i,s:s,s:i}", "format", "licet-export", "format_version", LIC_EXPORT_FORMAT_VERSION,
                     "licet_version", licet_version ? licet_version : "", "schema_version",
                     lic_store_schema_version(s));
}

/* Verifies the chain up to now; *last receives its last row. */
static lic_err ex_verify(ex_ctx *x, int64_t *last)
{
    int64_t n = 0, bad = 0;
    char why[200];
    lic_err rc = lic_store_head(x->s, last);
    if (rc)
        return ex_store_fail(x, rc);
    rc = lic_store_verify(x->s, &n, &bad, why, sizeof why);
    if (rc == LIC_ECORRUPT && bad)
        return ex_fail(x, rc, "ledger row %lld does not match: %s (licet verify says more); nothing exported",
                       (long long)bad, why);
    return rc ? ex_store_fail(x, rc) : LIC_OK;
}

lic_err lic_export_write(lic_store *s, const char *dir, const char *licet_version, lic_export_summary *sum,
                         char *why, size_t whylen)
{
    ex_ctx x = {s, dir, why, whylen, sum};
    *sum = (lic_export_summary){0};
    memset(sum->last_hash, '0', 64);
    if (whylen)
        why[0] = '\0';
    int64_t last = 0;
    lic_err rc = ex_verify(&x, &last);
    if (!rc)
        rc = ex_make_dir(&x, dir);
    bool made = !rc;
    json_t *m = rc ? NULL : ex_manifest_head(s, licet_version);
    if (!rc && !m)
        rc = ex_fail(&x, LIC_ENOMEM, "%s", lic_strerror(LIC_ENOMEM));
    if (!rc)
        rc = ex_agreements(&x, m);
    if (!rc)
        rc = ex_ledger_file(&x, last);
    if (!rc)
        rc = ex_manifest(&x, m);
    json_decref(m);
    size_t n = whylen ? strlen(why) : 0;
    if (rc && made && n + 1 < whylen)
        snprintf(why + n, whylen - n, "; %s is incomplete (no manifest.json)", dir);
    return rc;
}
