/*
 * export_read.c - reading an export directory (export.h) back into an
 * empty store: the agreement versions in their numbers, then every
 * ledger row re-appended through lic_store_append(), all in one
 * transaction.
 *
 * NOTES ON THE DESIGN
 * - Versions are re-added 1..N in order: lic_store_agreement_add stores
 *   the next number, so they keep theirs.  Versions are not in the chain,
 *   so whether they go in before or after the rows does not matter.
 * - Each row's canonical content and hash are recomputed here from its
 *   columns (the same functions lic_store_append uses, on the same
 *   inputs) and compared with the exported prev_hash and hash before the
 *   row is appended: the first row that differs stops the import.
 * - A line of ledger.jsonl is split into its top-level values by a small
 *   scanner, so that the payload is taken byte for byte as written (a
 *   JSON parser would give it back in its own spelling); the other values
 *   are decoded by jansson.
 * - The directory is checked against the manifest before the store is
 *   touched: a file too many or too few is an error.
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

#define CHANGED "(the export was changed after it was written)"

typedef struct im_ctx {
    lic_store *s;
    const char *dir;
    char *why;
    size_t whylen;
    lic_export_summary *sum;
    const lic_pf_progress *progress;
    json_t *manifest;
    int64_t nversions, nrows; /* what the manifest says */
} im_ctx;

static lic_err im_fail(im_ctx *x, lic_err rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static lic_err im_fail(im_ctx *x, lic_err rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (x->whylen)
        vsnprintf(x->why, x->whylen, fmt, ap);
    va_end(ap);
    return rc;
}

static lic_err im_store_fail(im_ctx *x, lic_err rc)
{
    const char *m = lic_store_errmsg(x->s);
    return im_fail(x, rc, "%s", m[0] ? m : lic_strerror(rc));
}

static void im_tell(im_ctx *x, const char *phase, uint64_t done, uint64_t total, uint64_t bytes,
                    uint64_t total_bytes)
{
    lic_pf_progress_info i = {phase, done, total, bytes, total_bytes};
    if (x->progress && x->progress->fn)
        x->progress->fn(x->progress->ctx, &i);
}

static bool im_is_hex64(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 64;
}

/* An agreement id that is safe as a directory name (export.c's rule). */
static bool im_safe_id(const char *id)
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

/* dir/a/b (b may be NULL) into buf. */
static bool im_path(char *buf, size_t len, const char *dir, const char *a, const char *b)
{
    int n = b ? snprintf(buf, len, "%s/%s/%s", dir, a, b) : snprintf(buf, len, "%s/%s", dir, a);
    return n > 0 && (size_t)n < len;
}

/* ---- the manifest ---- */

/* The manifest's "agreements": every value an array of SHA-256 hex. */
static lic_err im_check_agreements(im_ctx *x, json_t *map)
{
    const char *id;
    json_t *shas;
    if (!json_is_object(map))
        return im_fail(x, LIC_EINVALID, "%s/manifest.json: \"agreements\" is not an object", x->dir);
    json_object_foreach(map, id, shas) {
        size_t i;
        json_t *sha;
        if (!im_safe_id(id) || !json_is_array(shas) || !json_array_size(shas))
            return im_fail(x, LIC_EINVALID, "%s/manifest.json: agreement \"%s\" is not an id with a list of versions",
                           x->dir, id);
        json_array_foreach(shas, i, sha) {
            if (!json_is_string(sha) || !im_is_hex64(json_string_value(sha)))
                return im_fail(x, LIC_EINVALID, "%s/manifest.json: agreement %s: version %zu has no SHA-256",
                               x->dir, id, i + 1);
            x->nversions++;
        }
    }
    return LIC_OK;
}

static lic_err im_manifest(im_ctx *x)
{
    char path[PATH_MAX];
    json_error_t err;
    if (!im_path(path, sizeof path, x->dir, "manifest.json", NULL))
        return im_fail(x, LIC_EINVAL, "%s: the path is too long", x->dir);
    x->manifest = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!x->manifest && errno == ENOENT)
        return im_fail(x, LIC_EINVALID, "%s: no manifest.json (not a licet export, or one that did not finish)", x->dir);
    if (!x->manifest)
        return im_fail(x, LIC_EINVALID, "%s:%d: %s", path, err.line, err.text);
    json_t *m = x->manifest, *last = json_object_get(m, "last_hash");
    const char *fmt = json_string_value(json_object_get(m, "format"));
    json_int_t fv = json_integer_value(json_object_get(m, "format_version"));
    json_int_t sv = json_integer_value(json_object_get(m, "schema_version"));
    x->nrows = json_integer_value(json_object_get(m, "rows"));
    if (!fmt || strcmp(fmt, "licet-export"))
        return im_fail(x, LIC_EINVALID, "%s: not a licet export (format is not \"licet-export\")", path);
    if (fv != LIC_EXPORT_FORMAT_VERSION || sv < 1 || sv > LIC_STORE_SCHEMA_VERSION)
        return im_fail(x, LIC_EINVALID, "%s: format_version %lld, schema_version %lld: not one this licet reads "
                       "(format_version %d, schema_version up to %d)", path, (long long)fv, (long long)sv,
                       LIC_EXPORT_FORMAT_VERSION, LIC_STORE_SCHEMA_VERSION);
    if (!json_is_integer(json_object_get(m, "rows")) || x->nrows < 0 || !json_is_string(last) ||
        !im_is_hex64(json_string_value(last)))
        return im_fail(x, LIC_EINVALID, "%s: \"rows\" and \"last_hash\" must be a count and a SHA-256", path);
    return im_check_agreements(x, json_object_get(m, "agreements"));
}

/* ---- the directory against the manifest ---- */

/* Whether `name` is "vN.yaml" with 1 <= N <= max. */
static bool im_version_file(const char *name, size_t max)
{
    if (name[0] != 'v' || name[1] < '1' || name[1] > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(name + 1, &end, 10);
    return !errno && !strcmp(end, ".yaml") && v <= max;
}

/* Every entry of dir (but . and ..) must pass ok(ctx, name); counts them. */
static lic_err im_entries(im_ctx *x, const char *dir, bool (*ok)(const void *, const char *), const void *ctx,
                          size_t *n)
{
    DIR *d = opendir(dir);
    *n = 0;
    if (!d)
        return im_fail(x, LIC_EINVALID, "%s: cannot read the directory: %s", dir, strerror(errno));
    struct dirent *e;
    lic_err rc = LIC_OK;
    while (!rc && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (!ok(ctx, e->d_name))
            rc = im_fail(x, LIC_EINVALID, "%s/%s: not in the manifest", dir, e->d_name);
        (*n)++;
    }
    closedir(d);
    return rc;
}

static bool im_known_agreement(const void *map, const char *name)
{
    return json_object_get(map, name) != NULL;
}

static bool im_known_version(const void *shas, const char *name)
{
    return im_version_file(name, json_array_size(shas));
}

/* agreements/ holds a directory for each agreement of the manifest, and
 * it the files v1.yaml .. vN.yaml, and nothing else. */
static lic_err im_check_dir(im_ctx *x)
{
    char path[PATH_MAX];
    json_t *map = json_object_get(x->manifest, "agreements"), *shas;
    const char *id;
    size_t n;
    if (!im_path(path, sizeof path, x->dir, "agreements", NULL))
        return im_fail(x, LIC_EINVAL, "%s: the path is too long", x->dir);
    lic_err rc = im_entries(x, path, im_known_agreement, map, &n);
    if (!rc && n != json_object_size(map))
        return im_fail(x, LIC_EINVALID, "%s: %zu agreements, the manifest lists %zu", path, n, json_object_size(map));
    json_object_foreach(map, id, shas) {
        if (rc)
            break;
        if (!im_path(path, sizeof path, x->dir, "agreements", id))
            return im_fail(x, LIC_EINVAL, "%s: the path is too long", x->dir);
        rc = im_entries(x, path, im_known_version, shas, &n);
        if (!rc && n != json_array_size(shas))
            rc = im_fail(x, LIC_EINVALID, "%s: %zu versions, the manifest lists %zu", path, n, json_array_size(shas));
    }
    return rc;
}

/* ---- the store ---- */

static int im_count(void *ctx, const lic_store_agreement_info *i)
{
    (void)i;
    ++*(int64_t *)ctx;
    return 0;
}

static lic_err im_check_empty(im_ctx *x)
{
    int64_t rows = 0, agreements = 0;
    lic_err rc = lic_store_head(x->s, &rows);
    if (!rc)
        rc = lic_store_agreements(x->s, im_count, &agreements);
    if (rc)
        return im_store_fail(x, rc);
    if (rows || agreements)
        return im_fail(x, LIC_EINVAL, "the store is not empty (%lld agreement%s, %lld ledger row%s): import only "
                       "into a new store", (long long)agreements, agreements == 1 ? "" : "s", (long long)rows,
                       rows == 1 ? "" : "s");
    return LIC_OK;
}

/* The whole file at path, NUL-terminated. */
static lic_err im_read_file(im_ctx *x, const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    if (!f)
        return im_fail(x, LIC_EINVALID, "%s: cannot open the file: %s", path, strerror(errno));
    for (;;) {
        if (*len + 65536 + 1 > cap) {
            char *b = lic__realloc(buf, cap = 2 * cap + 65536 + 1);
            if (!b)
                break;
            buf = b;
        }
        size_t n = fread(buf + *len, 1, cap - *len - 1, f);
        *len += n;
        if (n == 0)
            break;
    }
    bool bad = ferror(f) || *len + 1 > cap;
    fclose(f);
    if (bad || !buf) {
        lic__free(buf);
        return im_fail(x, bad && buf ? LIC_EIO : LIC_ENOMEM, "%s: cannot read the file", path);
    }
    buf[*len] = '\0';
    *text = buf;
    return LIC_OK;
}

/* Version v of agreement id, checked against the manifest's SHA-256 and
 * stored under its number. */
static lic_err im_version(im_ctx *x, const char *id, int v, const char *want_sha)
{
    char path[PATH_MAX], sha[65];
    char *text = NULL;
    size_t len = 0;
    int n = snprintf(path, sizeof path, "%s/agreements/%s/v%d.yaml", x->dir, id, v);
    if (n < 0 || (size_t)n >= sizeof path)
        return im_fail(x, LIC_EINVAL, "%s: the path is too long", x->dir);
    lic_err rc = im_read_file(x, path, &text, &len);
    if (rc)
        return rc;
    lic_store_sha256_hex(text, len, sha);
    int got = 0;
    bool unchanged = false;
    if (strcmp(sha, want_sha))
        rc = im_fail(x, LIC_ECORRUPT, "%s: its SHA-256 is not the manifest's " CHANGED, path);
    else if ((rc = lic_store_agreement_add(x->s, id, text, len, &got, &unchanged)) != LIC_OK)
        rc = im_store_fail(x, rc);
    else if (unchanged || got != v)
        rc = im_fail(x, LIC_ECORRUPT, "%s: the same text as the version before it " CHANGED, path);
    lic__free(text);
    return rc;
}

static lic_err im_agreements(im_ctx *x)
{
    json_t *map = json_object_get(x->manifest, "agreements"), *shas;
    const char *id;
    lic_err rc = LIC_OK;
    json_object_foreach(map, id, shas) {
        for (size_t v = 1; !rc && v <= json_array_size(shas); v++) {
            rc = im_version(x, id, (int)v, json_string_value(json_array_get(shas, v - 1)));
            x->sum->versions += !rc;
            im_tell(x, "agreements", (uint64_t)x->sum->versions, (uint64_t)x->nversions, 0, 0);
        }
        if (rc)
            break;
        x->sum->agreements++;
    }
    return rc;
}

/* ---- one line of ledger.jsonl ---- */

enum { F_SEQ, F_AGREEMENT, F_KIND, F_IDENT, F_DIGEST, F_PAYLOAD, F_PREV, F_HASH, NFIELDS };
static const char *const field_names[NFIELDS] = {"seq", "agreement", "kind", "ident",
                                                 "digest", "payload", "prev_hash", "hash"};

typedef struct span {
    const char *p;
    size_t n;
} span;

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* p at a '"': just past the closing quote, or NULL. */
static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return NULL;
}

/* Just past the JSON value at p, or NULL (brackets are only counted: the
 * hash check catches a payload that is not the exported one). */
static const char *skip_value(const char *p, const char *end)
{
    if (p < end && *p == '"')
        return skip_string(p, end);
    if (p < end && (*p == '{' || *p == '[')) {
        size_t depth = 0;
        while (p < end) {
            if (*p == '"') {
                if (!(p = skip_string(p, end)))
                    return NULL;
                continue;
            }
            if (*p == '{' || *p == '[')
                depth++;
            else if ((*p == '}' || *p == ']') && --depth == 0)
                return p + 1;
            p++;
        }
        return NULL;
    }
    const char *q = p;
    while (q < end && !strchr(",}] \t\r\n", *q))
        q++;
    return q > p ? q : NULL;
}

/* The top-level values of the object on the line, by field; NULL or a
 * reason. */
static const char *split_line(const char *p, const char *end, span f[NFIELDS])
{
    memset(f, 0, NFIELDS * sizeof *f);
    p = skip_ws(p, end);
    if (p == end || *p++ != '{')
        return "not a JSON object";
    for (;;) {
        p = skip_ws(p, end);
        const char *k = p, *v;
        if (p == end || *p != '"' || !(p = skip_string(p, end)))
            return "a key is not a string";
        size_t i = 0;
        while (i < NFIELDS && ((size_t)(p - k - 2) != strlen(field_names[i]) ||
                               memcmp(k + 1, field_names[i], (size_t)(p - k - 2))))
            i++;
        if (i == NFIELDS)
            return "an unknown key";
        if (f[i].p)
            return "a key twice";
        p = skip_ws(p, end);
        if (p == end || *p++ != ':' || !(v = skip_value(p = skip_ws(p, end), end)))
            return "a value is not JSON";
        f[i] = (span){p, (size_t)(v - p)};
        p = skip_ws(v, end);
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p == end || *p++ != '}')
            return "not a JSON object";
        return skip_ws(p, end) == end ? NULL : "more after the object";
    }
}

/* ---- the rows ---- */

typedef struct im_row {
    int64_t seq;
    char *s[NFIELDS]; /* the decoded strings (s[F_SEQ] unused) */
} im_row;

static void im_row_free(im_row *r)
{
    for (int i = 0; i < NFIELDS; i++)
        lic__free(r->s[i]);
}

/* A JSON string value, decoded; NULL when it is not one (or holds NUL). */
static char *decode_string(span v)
{
    json_error_t err;
    json_t *j = json_loadb(v.p, v.n, JSON_DECODE_ANY, &err);
    const char *s = json_string_value(j);
    char *out = s && strlen(s) == json_string_length(j) ? lic__strdup(s) : NULL;
    json_decref(j);
    return out;
}

/* The row on a line; NULL or why it is not one. */
static const char *parse_row(const char *line, size_t len, im_row *r)
{
    span f[NFIELDS];
    const char *why = split_line(line, line + len, f);
    if (why)
        return why;
    for (int i = 0; i < NFIELDS; i++)
        if (!f[i].p)
            return field_names[i]; /* missing: the caller says so */
    char num[24], *end;
    if (f[F_SEQ].n >= sizeof num || f[F_SEQ].p[0] < '1' || f[F_SEQ].p[0] > '9')
        return "seq is not a row number";
    memcpy(num, f[F_SEQ].p, f[F_SEQ].n);
    num[f[F_SEQ].n] = '\0';
    errno = 0;
    r->seq = strtoll(num, &end, 10);
    if (errno || *end)
        return "seq is not a row number";
    for (int i = F_AGREEMENT; i < NFIELDS; i++) {
        bool raw = i == F_PAYLOAD && f[i].p[0] == '{';
        r->s[i] = raw ? lic__strndup(f[i].p, f[i].n) : decode_string(f[i]);
        if (!r->s[i] || (raw && strlen(r->s[i]) != f[i].n))
            return i == F_PAYLOAD ? "payload is neither a JSON object nor a string" : "a value is not a string";
    }
    if (!im_is_hex64(r->s[F_PREV]) || !im_is_hex64(r->s[F_HASH]))
        return "prev_hash and hash must be SHA-256 in lowercase hex";
    return NULL;
}

typedef struct im_ledger {
    const char *path;
    int64_t line;
    char prev[65]; /* the recomputed hash of the row before */
} im_ledger;

/* Checks row r against the chain recomputed so far and appends it. */
static lic_err im_append(im_ctx *x, im_ledger *l, im_row *r)
{
    char hash[65];
    long long want = (long long)x->sum->rows + 1, at = (long long)l->line;
    if (r->seq != want)
        return im_fail(x, LIC_EINVALID, "%s:%lld: row %lld where row %lld was due " CHANGED, l->path, at,
                       (long long)r->seq, want);
    if (strcmp(r->s[F_PREV], l->prev))
        return im_fail(x, LIC_ECORRUPT, "%s:%lld: ledger row %lld: its prev_hash is not the hash of the row "
                       "before " CHANGED, l->path, at, want);
    char *content = lic_store_row_content(r->s[F_AGREEMENT], r->s[F_KIND], r->s[F_IDENT], r->s[F_DIGEST],
                                          r->s[F_PAYLOAD], r->seq);
    lic_err rc = content ? lic_store_row_hash(l->prev, content, strlen(content), hash) : LIC_ENOMEM;
    lic__free(content);
    if (rc)
        return im_fail(x, rc, "%s", lic_strerror(rc));
    if (strcmp(hash, r->s[F_HASH]))
        return im_fail(x, LIC_ECORRUPT, "%s:%lld: ledger row %lld: the recomputed hash is not the exported one "
                       CHANGED, l->path, at, want);
    int64_t seq = 0;
    rc = lic_store_append(x->s, r->s[F_AGREEMENT], r->s[F_KIND], r->s[F_IDENT], r->s[F_DIGEST], r->s[F_PAYLOAD],
                          &seq);
    if (rc)
        return im_store_fail(x, rc);
    if (seq != r->seq)
        return im_fail(x, LIC_ECORRUPT, "%s:%lld: the store numbered row %lld as %lld", l->path, at, want,
                       (long long)seq);
    memcpy(l->prev, hash, sizeof l->prev);
    x->sum->rows = seq;
    return LIC_OK;
}

static lic_err im_line(im_ctx *x, im_ledger *l, const char *line, size_t len)
{
    im_row r = {0};
    const char *why = parse_row(line, len, &r);
    lic_err rc = LIC_OK;
    if (why && strchr(why, ' '))
        rc = im_fail(x, LIC_EINVALID, "%s:%lld: %s", l->path, (long long)l->line, why);
    else if (why)
        rc = im_fail(x, LIC_EINVALID, "%s:%lld: no \"%s\"", l->path, (long long)l->line, why);
    else
        rc = im_append(x, l, &r);
    im_row_free(&r);
    return rc;
}

static uint64_t im_size(FILE *f)
{
    struct stat st;
    return !fstat(fileno(f), &st) && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
}

static lic_err im_ledger_file(im_ctx *x)
{
    char path[PATH_MAX];
    if (!im_path(path, sizeof path, x->dir, "ledger.jsonl", NULL))
        return im_fail(x, LIC_EINVAL, "%s: the path is too long", x->dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        return im_fail(x, LIC_EINVALID, "%s: cannot open the file: %s", path, strerror(errno));
    im_ledger l = {.path = path};
    memset(l.prev, '0', 64);
    uint64_t total = im_size(f), bytes = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    lic_err rc = LIC_OK;
    while (!rc && (n = getline(&line, &cap, f)) > 0) {
        l.line++;
        bytes += (uint64_t)n;
        size_t len = (size_t)n - (line[n - 1] == '\n');
        rc = im_line(x, &l, line, len);
        im_tell(x, "ledger", (uint64_t)x->sum->rows, (uint64_t)x->nrows, bytes, total);
    }
    if (!rc && ferror(f))
        rc = im_fail(x, LIC_EIO, "%s: cannot read the file", path);
    free(line);
    fclose(f);
    memcpy(x->sum->last_hash, l.prev, sizeof l.prev);
    return rc;
}

/* The rows and the last hash are the manifest's. */
static lic_err im_check_totals(im_ctx *x)
{
    const char *last = json_string_value(json_object_get(x->manifest, "last_hash"));
    if (x->sum->rows != x->nrows)
        return im_fail(x, LIC_ECORRUPT, "%s/ledger.jsonl: %lld rows, the manifest says %lld " CHANGED, x->dir,
                       (long long)x->sum->rows, (long long)x->nrows);
    if (strcmp(last, x->sum->last_hash))
        return im_fail(x, LIC_ECORRUPT, "%s/manifest.json: last_hash is not the last row's hash " CHANGED, x->dir);
    return LIC_OK;
}

static lic_err im_store(im_ctx *x)
{
    lic_err rc = lic_store_begin(x->s);
    if (rc)
        return im_store_fail(x, rc);
    rc = im_check_empty(x);
    if (!rc)
        rc = im_agreements(x);
    if (!rc)
        rc = im_ledger_file(x);
    if (!rc)
        rc = im_check_totals(x);
    if (!rc && (rc = lic_store_commit(x->s)) != LIC_OK)
        return im_store_fail(x, rc);
    lic_store_rollback(x->s);
    return rc;
}

lic_err lic_export_read(lic_store *s, const char *dir, const lic_pf_progress *progress, lic_export_summary *sum,
                        char *why, size_t whylen)
{
    im_ctx x = {s, dir, why, whylen, sum, progress, NULL, 0, 0};
    *sum = (lic_export_summary){0};
    memset(sum->last_hash, '0', 64);
    if (whylen)
        why[0] = '\0';
    lic_err rc = im_manifest(&x);
    if (!rc)
        rc = im_check_dir(&x);
    if (!rc)
        rc = im_store(&x);
    json_decref(x.manifest);
    if (rc) {
        *sum = (lic_export_summary){0};
        memset(sum->last_hash, '0', 64);
    }
    return rc;
}
