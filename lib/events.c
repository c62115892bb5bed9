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

#include <sodium.h>
#include <stdio.h>
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
    LD_REQ(c, n, "type", ok &= ld_enum(c, v_, type_names, &t));
    LD_REQ(c, n, "date", ok &= ld_date(c, v_, &e->date));
    if (!ok || t < 0)
        return false;
    e->type = (lic_event_type)t;
    e->recorded = e->date;
    LD_OPT(c, n, "recorded", ok &= ld_date(c, v_, &e->recorded));
    LD_OPT(c, n, "id", ok &= (e->id_given = ld_id(c, v_, &e->id)));
    LD_OPT(c, n, "note", ok &= ld_string(c, v_, &e->note));
    ok &= common_keys_ok(c, n, e->type);
    if (ok)
        ok = ev_read_fields(c, n, e);
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
        e->seq = L->ev->n;
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
        line++;
        size_t k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
            k++;
        if (k < n) {
            lic_ynode *root = NULL;
            lic_err rc = lic__yaml_parse(L->c.arena, L->c.file, s, n, (int)line - 1, L->c.diags, &root);
            if (rc == LIC_ENOMEM)
                return rc;
            if (rc)
                L->ev->nrejected++;
            else
                add_event(L, root, index);
            index++;
        }
        i = end + 1;
    }
    return L->c.oom;
}

static lic_err load_yaml(ev_load *L, const char *text, size_t len)
{
    lic_ynode *root = NULL;
    lic_err rc = lic__yaml_parse(L->c.arena, L->c.file, text, len, 0, L->c.diags, &root);
    if (rc)
        return rc == LIC_EPARSE ? LIC_EINVALID : rc;
    if (!root)
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

/* Later checks that need every event: unique ids, sublicense references. */
static void cross_check(ev_load *L)
{
    lic_events *ev = L->ev;
    size_t w = 0;
    for (size_t i = 0; i < ev->n; i++) {
        lic_event *e = &ev->v[i];
        const char *problem = NULL;
        for (size_t j = 0; j < w && !problem; j++)
            if (e->id_given && ev->v[j].id_given && !strcmp(ev->v[j].id, e->id))
                problem = "an earlier event has this id";
        if (!problem && e->type == LIC_EV_SUBLICENSE_INCOME) {
            problem = "unknown sublicense (no sublicense event has this id)";
            for (size_t j = 0; j < w; j++)
                if (ev->v[j].type == LIC_EV_SUBLICENSE && !strcmp(ev->v[j].id, e->ref))
                    problem = NULL;
        }
        if (problem) {
            lic_err rc = lic_diags_add(L->c.diags, LIC_SEV_ERROR, L->c.file, e->pos.line, e->pos.col,
                                       "error", "", "event %s: %s", e->id ? e->id : "?", problem);
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

/* "<date>.<n>" for events without an id. */
static void default_ids(ev_load *L)
{
    lic_events *ev = L->ev;
    for (size_t i = 0; i < ev->n; i++) {
        if (ev->v[i].id)
            continue;
        size_t nth = 1;
        for (size_t j = 0; j < i; j++)
            nth += ev->v[j].date == ev->v[i].date;
        char d[LIC_DATE_STRLEN], buf[40];
        lic_date_str(ev->v[i].date, d);
        snprintf(buf, sizeof buf, "%s.%zu", d, nth);
        ev->v[i].id = ld_strdup(&L->c, buf);
    }
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

lic_err lic_events_load_mem(const char *name, const char *text, size_t len,
                            const lic_agreement *a, lic_diags *diags, lic_events **out)
{
    *out = NULL;
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
    crypto_hash_sha256(ev->sha256, (const unsigned char *)text, len);
    /* The readers only read the agreement (see events_int.h). */
    ev_load L = {.c = {.a = (lic_agreement *)a, .arena = arena, .diags = diags, .file = fname,
                       .digits = a->currency ? a->currency->digits : 2},
                 .ev = ev};
    lic_err rc = is_jsonl(text, len) ? load_jsonl(&L, text, len) : load_yaml(&L, text, len);
    if (!rc) {
        cross_check(&L);
        default_ids(&L);
        rc = L.c.oom;
    }
    if (rc) {
        events_fini(ev);
        return rc;
    }
    *out = ev;
    return LIC_OK;
}

lic_err lic_events_load(const char *path, const lic_agreement *a, lic_diags *diags,
                        lic_events **out)
{
    char *buf;
    size_t len;
    *out = NULL;
    lic_err rc = lic__read_file(path, LIC_YAML_MAX_BYTES, &buf, &len);
    if (rc == LIC_EIO || rc == LIC_ETOOBIG) {
        lic_err rc2 = lic_diags_add(diags, LIC_SEV_ERROR, path, 0, 0, "io", "",
                                    rc == LIC_EIO ? "cannot read the file" : "file larger than 16 MiB");
        return rc2 ? rc2 : rc;
    }
    if (rc)
        return rc;
    rc = lic_events_load_mem(path, buf, len, a, diags, out);
    lic__free(buf);
    return rc;
}
