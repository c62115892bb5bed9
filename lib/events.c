/*
 * events.c - load an events file: a YAML list, or JSON Lines (FORMAT 3).
 *
 * NOTES ON THE DESIGN
 * - The format is told by the first character that is not blank or a
 *   comment: `{` starts JSON Lines, anything else is YAML (a JSON array
 *   is YAML too).  Each JSON line is parsed on its own, so one malformed
 *   line rejects one event, not the file.
 * - Every event is read into a scratch slot; if reading it added errors
 *   the slot is dropped.  That is the whole of "a rejected event leaves
 *   the rest untouched".
 * - Events without an id get "<date>.<n>" (the n-th event of that date in
 *   the file, from 1), stable as long as the file keeps its order.
 */
#include "events_int.h"
#include "sha256.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {
#define LIC_EV_NAME(e, name) name,
    LIC_EVENT_TYPES(LIC_EV_NAME)
#undef LIC_EV_NAME
    NULL};

const char *lic_event_type_name(lic_event_type t)
{
    return (unsigned)t < LIC_EV_COUNT ? type_names[t] : "?";
}

/* Levenshtein distance, capped: type names are short. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The event type.  The 26 names do not fit an "expected one of" message
 * (ld_enum cuts its list at 255 bytes, which dropped the last five), so
 * an unknown type is answered with the nearest name. */
static bool read_type(ld_ctx *c, const lic_ynode *n, int *out)
{
    if (!ld_is_scalar(c, n))
        return false;
    const char *best = NULL;
    size_t bestd = 3;
    for (int i = 0; type_names[i]; i++) {
        if (lic__yscalar_is(n, type_names[i])) {
            *out = i;
            return true;
        }
        size_t d = distance(n->text, type_names[i]);
        if (d < bestd) {
            bestd = d;
            best = type_names[i];
        }
    }
    int len = n->len > 40 ? 40 : (int)n->len;
    if (best)
        ld_error(c, n, "unknown event type \"%.*s\" (did you mean \"%s\"?)", len, n->text, best);
    else
        ld_error(c, n, "unknown event type \"%.*s\" (expected a type of FORMAT 3 such as "
                       "milestone_achieved, report or payment)", len, n->text);
    return false;
}

typedef struct ev_load {
    ld_ctx c;
    lic_events *ev;
    size_t cap;
} ev_load;

static bool common_keys_ok(ld_ctx *c, const lic_ynode *n, lic_event_type t)
{
    const char *const *own = ev_keys(t);
    const char *keys[24];
    size_t k = 0;
    static const char *const common[] = {"date", "type", "recorded", "id", "note"};
    for (size_t i = 0; i < 5; i++)
        keys[k++] = common[i];
    for (size_t i = 0; own[i] && k < 23; i++)
        keys[k++] = own[i];
    keys[k] = NULL;
    size_t before = c->diags->nerrors;
    ld_check_keys(c, n, keys);
    return c->diags->nerrors == before;
}

/* An event id.  Ids of the form "<date>.<n>" are the default ids of
 * events without one (default_ids()), so a given id may not take that
 * form: it could equal another event's default id. */
static bool read_id(ld_ctx *c, const lic_ynode *n, const char **out)
{
    if (!ld_id(c, n, out))
        return false;
    lic_date d;
    size_t i = 11;
    if (n->len > 11 && n->text[10] == '.' && lic_date_parse(n->text, 10, &d) == LIC_OK) {
        while (i < n->len && n->text[i] >= '0' && n->text[i] <= '9')
            i++;
        if (i == n->len) {
            ld_error(c, n, "\"%s\" has the form of a default id (<date>.<n>, given to events "
                           "without an id); choose another id", *out);
            return false;
        }
    }
    return true;
}

/* Reads one event mapping into e; false when it was rejected. */
static bool read_event(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    size_t before = c->diags->nerrors;
    if (!ld_is_map(c, n))
        return false;
    e->pos = ld_pos(n);
    e->date = LIC_DATE_NONE;
    int t = -1;
    bool ok = true;
    EV_REQ(c, n, "type", ok, read_type(c, v_, &t));
    EV_REQ(c, n, "date", ok, ld_date(c, v_, &e->date));
    if (t < 0)
        return false; /* without a type its keys cannot be checked */
    /* A missing or bad date still lets the other keys be checked, so one
     * run shows every problem of the event; the readers never use a
     * missing date for more than a default. */
    e->type = (lic_event_type)t;
    e->recorded = e->date;
    LD_OPT(c, n, "recorded", ok &= ld_date(c, v_, &e->recorded));
    LD_OPT(c, n, "id", ok &= (e->id_given = read_id(c, v_, &e->id)));
    LD_OPT(c, n, "note", ok &= ld_string(c, v_, &e->note));
    /* After an unknown key the fields are not read: a misspelt required
     * key would be reported twice, as unknown and as missing. */
    if (common_keys_ok(c, n, e->type))
        ok &= ev_read_fields(c, n, e);
    else
        ok = false;
    return ok && c->diags->nerrors == before && !c->oom;
}

static lic_event *next_slot(ev_load *L)
{
    lic_events *ev = L->ev;
    if (ev->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 16;
        lic_event *v = ld_alloc(&L->c, cap * sizeof *v);
        if (!v)
            return NULL;
        if (ev->n)
            memcpy(v, ev->v, ev->n * sizeof *v);
        ev->v = v;
        L->cap = cap;
    }
    lic_event *e = &ev->v[ev->n];
    memset(e, 0, sizeof *e);
    return e;
}

static void add_event(ev_load *L, const lic_ynode *n, size_t index)
{
    lic_event *e = next_slot(L);
    if (!e)
        return;
    size_t o = ld_push_key(&L->c, "events");
    ld_push_index(&L->c, index);
    if (read_event(&L->c, n, e)) {
        e->seq = index; /* the index in the file until cross_check() */
        L->ev->n++;
    } else
        L->ev->nrejected++;
    ld_pop(&L->c, o);
}

static bool is_jsonl(const char *t, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')
            i++;
        else if (t[i] == '#')
            while (i < len && t[i] != '\n')
                i++;
        else
            return t[i] == '{';
    }
    return false;
}

static lic_err load_jsonl(ev_load *L, const char *text, size_t len)
{
    size_t line = 0, index = 0;
    for (size_t i = 0; i < len && !L->c.oom;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *s = text + i;
        size_t n = end - i;
        i = end + 1;
        line++;
        size_t k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
            k++;
        if (k < n) {
            lic_ynode *root = NULL;
            size_t ndiags = L->c.diags->n;
            lic_err rc = lic__yaml_parse_jsonl(L->c.arena, L->c.file, s, n, (int)line - 1, L->c.diags, &root);
            if (rc == LIC_ENOMEM)
                return rc;
            if (rc && L->c.diags->n > ndiags) {
                /* libfyaml places an error found at the end of the input
                 * (an unclosed brace) on the next line: it is at the end
                 * of this one. */
                lic_diag *dg = &L->c.diags->v[L->c.diags->n - 1];
                if (dg->line > (int)line) {
                    while (n > 0 && s[n - 1] == '\r')
                        n--;
                    dg->line = (int)line;
                    dg->col = n < INT_MAX ? (int)n + 1 : INT_MAX;
                }
            }
            if (!rc && !root)
                continue; /* only a comment: no event */
            if (rc)
                L->ev->nrejected++;
            else
                add_event(L, root, index);
            index++;
        }
    }
    return L->c.oom;
}

static lic_err load_yaml(ev_load *L, const char *text, size_t len)
{
    lic_ynode *root = NULL;
    lic_err rc = lic__yaml_parse(L->c.arena, L->c.file, text, len, 0, L->c.diags, &root);
    if (rc)
        return rc == LIC_EPARSE ? LIC_EINVALID : rc;
    /* An empty file, a file of comments, or a bare "---" or null:
     * no events yet. */
    if (!root || (root->type == LIC_Y_SCALAR &&
                  (root->len == 0 || (root->plain && (lic__yscalar_is(root, "~") ||
                                                      lic__yscalar_is(root, "null"))))))
        return LIC_OK;
    if (root->type != LIC_Y_SEQ) {
        ld_error(&L->c, root, "expected a list of events (- date: ..., type: ...) or JSON Lines, got %s",
                 ld_kind(root));
        return LIC_EINVALID;
    }
    for (size_t i = 0; i < root->n && !L->c.oom; i++)
        add_event(L, root->items[i], i);
    return L->c.oom;
}

/* An event and its index, for sorting without global state (the server
 * loads events files on several threads). */
typedef struct ev_key {
    const lic_event *e;
    size_t i;
} ev_key;

/* By id, then by position in the file. */
static int by_id(const void *pa, const void *pb)
{
    const ev_key *a = pa, *b = pb;
    int d = strcmp(a->e->id, b->e->id);
    return d ? d : (a->i > b->i) - (a->i < b->i);
}

/* By date, then by position in the file. */
static int by_date(const void *pa, const void *pb)
{
    const ev_key *a = pa, *b = pb;
    if (a->e->date != b->e->date)
        return (a->e->date > b->e->date) - (a->e->date < b->e->date);
    return (a->i > b->i) - (a->i < b->i);
}

static int str_cmp(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Later checks that need every event: ids are unique (the first event
 * with an id keeps it) and a sublicense_income names a sublicense event
 * somewhere in the file (FORMAT 3: order in the file does not matter).
 * Rejected events are reported in file order and left out.  Sorting
 * keeps this O(n log n) for files with many events. */
static void cross_check(ev_load *L)
{
    lic_events *ev = L->ev;
    size_t n = ev->n;
    if (n == 0)
        return;
    const lic_event **first = ld_alloc(&L->c, n * sizeof *first); /* duplicate of */
    const char **subs = ld_alloc(&L->c, n * sizeof *subs);
    /* Events without an id have none yet (default_ids() runs later), so
     * only given ids take part. */
    size_t ngiven = 0;
    for (size_t i = 0; i < n; i++)
        ngiven += ev->v[i].id_given;
    ev_key *key = ld_alloc(&L->c, n * sizeof *key);
    if (!first || !subs || !key)
        return;
    for (size_t i = 0, k = 0; i < n; i++)
        if (ev->v[i].id_given)
            key[k++] = (ev_key){&ev->v[i], i};
    qsort(key, ngiven, sizeof *key, by_id);
    for (size_t k = 1; k < ngiven; k++)
        if (!strcmp(key[k - 1].e->id, key[k].e->id))
            first[key[k].i] = first[key[k - 1].i] ? first[key[k - 1].i] : key[k - 1].e;
    size_t nsubs = 0;
    for (size_t i = 0; i < n; i++)
        if (ev->v[i].type == LIC_EV_SUBLICENSE && !first[i])
            subs[nsubs++] = ev->v[i].id;
    qsort(subs, nsubs, sizeof *subs, str_cmp);

    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        lic_event *e = &ev->v[i];
        char why[200] = "";
        if (first[i])
            snprintf(why, sizeof why, "duplicate id \"%s\" (first used at line %d)", e->id,
                     first[i]->pos.line);
        else if (e->type == LIC_EV_SUBLICENSE_INCOME &&
                 !bsearch(&e->ref, subs, nsubs, sizeof *subs, str_cmp))
            snprintf(why, sizeof why, "unknown sublicense \"%s\" (no sublicense event has this id)",
                     e->ref);
        if (why[0]) {
            char path[32];
            snprintf(path, sizeof path, "events[%zu]", e->seq);
            lic_err rc = lic_diags_add(L->c.diags, LIC_SEV_ERROR, L->c.file, e->pos.line,
                                       e->pos.col, "error", path, "%s", why);
            if (rc)
                L->c.oom = rc;
            ev->nrejected++;
            continue;
        }
        ev->v[w] = *e;
        ev->v[w].seq = w;
        w++;
    }
    ev->n = w;
}

/* "<date>.<n>" for events without an id: n counts the accepted events of
 * that date in file order, from 1. */
static void default_ids(ev_load *L)
{
    lic_events *ev = L->ev;
    ev_key *key = ev->n ? ld_alloc(&L->c, ev->n * sizeof *key) : NULL;
    if (!key)
        return;
    for (size_t i = 0; i < ev->n; i++)
        key[i] = (ev_key){&ev->v[i], i};
    qsort(key, ev->n, sizeof *key, by_date);
    size_t nth = 0;
    for (size_t k = 0; k < ev->n; k++) {
        lic_event *e = &ev->v[key[k].i];
        nth = k && key[k - 1].e->date == e->date ? nth + 1 : 1;
        if (e->id)
            continue;
        char d[LIC_DATE_STRLEN], buf[40];
        lic_date_str(e->date, d);
        snprintf(buf, sizeof buf, "%s.%zu", d, nth);
        e->id = ld_strdup(&L->c, buf);
    }
}

/* The report lines' product names (NULL when not given), each name once
 * for a run of lines naming the same product, as reports list them. */
static size_t product_chars(const lic_sale_line *l, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        if (l[i].product && (!i || !l[i - 1].product || strcmp(l[i].product, l[i - 1].product)))
            chars += strlen(l[i].product) + 1;
    return chars;
}

/* Appends s to the pool at *at; returns the copy. */
static const char *pool_put(char **at, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = memcpy(*at, s, n);
    *at += n;
    return p;
}

/* Copies the accepted events, then their report lines, then their ids,
 * refs and product names, together to the arena's end.  The loader
 * leaves them spread over some 250 KB of arena, among the YAML tree and
 * the events it dropped; every evaluation reads each event, its lines
 * and many of those names, and an evaluation of one deal among thousands
 * finds none of them in cache: packed, they take far fewer cache lines
 * and pages.  (Names are compared by content everywhere, never by
 * pointer.)  Fails only out of memory (c.oom; the events are left as
 * they were). */
static void compact(ev_load *L)
{
    lic_events *ev = L->ev;
    size_t nlines = 0, nchars = 0;
    for (size_t i = 0; i < ev->n; i++) {
        const lic_event *e = &ev->v[i];
        nlines += e->nlines;
        nchars += (e->id ? strlen(e->id) + 1 : 0) + (e->ref ? strlen(e->ref) + 1 : 0) +
                  product_chars(e->lines, e->nlines);
    }
    if (!ev->n)
        return;
    lic_event *v = ld_alloc(&L->c, ev->n * sizeof *v);
    lic_sale_line *lines = nlines ? ld_alloc(&L->c, nlines * sizeof *lines) : NULL;
    char *chars = nchars ? ld_alloc(&L->c, nchars) : NULL;
    if (!v || (nlines && !lines) || (nchars && !chars))
        return;
    memcpy(v, ev->v, ev->n * sizeof *v);
    for (size_t i = 0; i < ev->n; i++) {
        lic_event *e = &v[i];
        if (e->id)
            e->id = pool_put(&chars, e->id);
        if (e->ref)
            e->ref = pool_put(&chars, e->ref);
        if (!e->nlines)
            continue;
        for (size_t k = 0; k < e->nlines; k++) {
            const lic_sale_line *from = &e->lines[k];
            lines[k] = *from;
            if (!from->product)
                continue;
            if (k && from[-1].product && !strcmp(from->product, from[-1].product))
                lines[k].product = lines[k - 1].product;
            else
                lines[k].product = pool_put(&chars, from->product);
        }
        e->lines = lines;
        lines += e->nlines;
    }
    ev->v = v;
}

static void events_fini(lic_events *ev)
{
    lic_arena *arena = ev->priv;
    lic__arena_fini(arena);
    lic__free(arena);
}

void lic_events_free(lic_events *ev)
{
    if (ev)
        events_fini(ev);
}

static void hash_bytes(void *arg, const unsigned char *bytes, size_t n)
{
    lic__sha256_update(arg, bytes, n);
}

/* Loads events from text; report files are read relative to `dir`
 * (NULL: from memory, no files). */
static lic_err load_text(const char *name, const char *text, size_t len, const char *dir,
                         const lic_agreement *a, bool capped, lic_diags *diags, lic_events **out)
{
    *out = NULL;
    /* JSON Lines are parsed a line at a time, so the YAML parser's own cap
     * would not see the whole file.  Uncapped, only for JSON Lines: they
     * are read into memory proportional to the text (no aliases). */
    if (len > LIC_YAML_MAX_BYTES && (capped || !is_jsonl(text, len))) {
        lic_err rc = lic_diags_add(diags, LIC_SEV_ERROR, name, 0, 0, "io", "", "file larger than 16 MiB");
        return rc ? rc : LIC_ETOOBIG;
    }
    lic_arena *arena = lic__malloc(sizeof *arena);
    if (!arena)
        return LIC_ENOMEM;
    lic__arena_init(arena);
    lic_events *ev = lic__arena_alloc(arena, sizeof *ev);
    char *fname = ev ? lic__arena_strdup(arena, name) : NULL;
    if (!fname) {
        lic__arena_fini(arena);
        lic__free(arena);
        return LIC_ENOMEM;
    }
    ev->priv = arena;
    ev->file = fname;
    /* The hash covers the report files too, as they are read. */
    lic__sha256 hash;
    lic__sha256_init(&hash);
    lic__sha256_update(&hash, text, len);
    /* The readers only read the agreement (see events_int.h). */
    ev_load L = {.c = {.a = (lic_agreement *)a, .arena = arena, .diags = diags, .file = fname,
                       .digits = a->currency ? a->currency->digits : 2, .dir = dir,
                       .on_file_bytes = hash_bytes, .on_file_arg = &hash},
                 .ev = ev};
    lic_err rc = is_jsonl(text, len) ? load_jsonl(&L, text, len) : load_yaml(&L, text, len);
    if (!rc) {
        cross_check(&L);
        default_ids(&L);
        if (!L.c.oom)
            compact(&L);
        rc = L.c.oom;
    }
    lic__sha256_final(&hash, ev->sha256);
    if (rc) {
        events_fini(ev);
        return rc;
    }
    *out = ev;
    return LIC_OK;
}

lic_err lic_events_load_mem(const char *name, const char *text, size_t len,
                            const lic_agreement *a, lic_diags *diags, lic_events **out)
{
    return load_text(name, text, len, NULL, a, true, diags, out);
}

lic_err lic__events_load_ledger(const char *name, const char *text, size_t len, const lic_agreement *a,
                                lic_diags *diags, lic_events **out)
{
    return load_text(name, text, len, NULL, a, false, diags, out);
}

lic_err lic_events_load(const char *path, const lic_agreement *a, lic_diags *diags,
                        lic_events **out)
{
    char *buf, *dir;
    size_t len;
    *out = NULL;
    /* Report files are relative to the directory part of `path`, kept
     * with its final '/' ("" when there is none). */
    const char *slash = strrchr(path, '/');
    dir = lic__strndup(path, slash ? (size_t)(slash - path) + 1 : 0);
    if (!dir)
        return LIC_ENOMEM;
    lic_err rc = lic__read_input(path, diags, &buf, &len);
    if (!rc) {
        rc = load_text(path, buf, len, dir, a, true, diags, out);
        lic__free(buf);
    }
    lic__free(dir);
    return rc;
}
