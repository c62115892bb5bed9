/*
 * load_util.c - value readers shared by the agreement loader.
 *
 * Messages follow one pattern so that people can learn it once:
 *   PATH: expected WHAT, got "VALUE"
 * and positions point at the offending node (the key for unknown keys).
 */
#include "load_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends n bytes to the path, cut at its end (paths are for messages).
 * memcpy, not snprintf: the CSV reader pushes a key per value. */
static void path_append(ld_ctx *c, const char *s, size_t n)
{
    size_t room = sizeof c->path - 1 - c->plen;
    if (n > room)
        n = room;
    memcpy(c->path + c->plen, s, n);
    c->plen += n;
    c->path[c->plen] = '\0';
}

size_t ld_push_key(ld_ctx *c, const char *key)
{
    size_t old = c->plen;
    if (c->plen)
        path_append(c, ".", 1);
    path_append(c, key, strlen(key));
    return old;
}

/* "[i]", digits written backwards into a small buffer: no snprintf, for
 * the same reason as path_append. */
size_t ld_push_index(ld_ctx *c, size_t i)
{
    size_t old = c->plen;
    char buf[24];
    char *p = buf + sizeof buf;
    *--p = ']';
    do {
        *--p = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    *--p = '[';
    path_append(c, p, (size_t)(buf + sizeof buf - p));
    return old;
}

void ld_pop(ld_ctx *c, size_t old)
{
    c->plen = old;
    c->path[old] = '\0';
}

lic_pos ld_pos(const lic_ynode *n)
{
    return n ? (lic_pos){n->line, n->col} : (lic_pos){0, 0};
}

static void report(ld_ctx *c, lic_severity sev, const lic_ynode *n,
                   const char *code, const char *fmt, va_list ap)
{
    lic_err rc = lic_diags_addv(c->diags, sev, c->file, n ? n->line : 0,
                                n ? n->col : 0, code, c->path, fmt, ap);
    if (rc)
        c->oom = rc;
}

void ld_error(ld_ctx *c, const lic_ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, LIC_SEV_ERROR, n, "error", fmt, ap);
    va_end(ap);
}

void ld_warn(ld_ctx *c, const lic_ynode *n, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, LIC_SEV_WARNING, n, code, fmt, ap);
    va_end(ap);
}

const char *ld_kind(const lic_ynode *n)
{
    if (!n)
        return "nothing";
    switch (n->type) {
    case LIC_Y_MAP: return "a mapping";
    case LIC_Y_SEQ: return "a list";
    default: return n->len == 0 && n->plain ? "nothing" : "a scalar";
    }
}

/* Scalar text for messages, shortened so one line stays one line. */
static const char *shown(const lic_ynode *n, char *buf, size_t size)
{
    if (!n || n->type != LIC_Y_SCALAR)
        return ld_kind(n);
    snprintf(buf, size, "\"%.*s%s\"", n->len > 40 ? 40 : (int)n->len,
             n->text, n->len > 40 ? "..." : "");
    return buf;
}

static bool expect(ld_ctx *c, const lic_ynode *n, lic_ytype t, const char *what)
{
    if (n && n->type == t && !(t == LIC_Y_SCALAR && n->plain && n->len == 0))
        return true;
    char buf[64];
    ld_error(c, n, "expected %s, got %s", what, shown(n, buf, sizeof buf));
    return false;
}

bool ld_is_map(ld_ctx *c, const lic_ynode *n) { return expect(c, n, LIC_Y_MAP, "a mapping"); }
bool ld_is_seq(ld_ctx *c, const lic_ynode *n) { return expect(c, n, LIC_Y_SEQ, "a list"); }
bool ld_is_scalar(ld_ctx *c, const lic_ynode *n) { return expect(c, n, LIC_Y_SCALAR, "a value"); }

/* Levenshtein distance, capped: keys are short. */
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
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *ld_suggest(const char *key, const char *const *keys)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; keys[i]; i++) {
        size_t d = distance(key, keys[i]);
        if (d < bestd) {
            bestd = d;
            best = keys[i];
        }
    }
    return best;
}

void ld_check_keys(ld_ctx *c, const lic_ynode *map, const char *const *keys)
{
    for (size_t i = 0; i < map->n; i++) {
        const lic_ynode *k = map->pairs[i].key;
        bool known = false;
        for (size_t j = 0; keys[j] && !known; j++)
            known = lic__yscalar_is(k, keys[j]);
        if (known)
            continue;
        const char *hint = ld_suggest(k->text, keys);
        if (hint)
            ld_error(c, k, "unknown key \"%s\" (did you mean \"%s\"?)", k->text, hint);
        else
            ld_error(c, k, "unknown key \"%s\"", k->text);
    }
}

lic_ynode *ld_require(ld_ctx *c, const lic_ynode *map, const char *key)
{
    lic_ynode *v = lic__ymap_get(map, key);
    if (!v)
        ld_error(c, map, "missing required key \"%s\"", key);
    return v;
}

void *ld_alloc(ld_ctx *c, size_t n)
{
    void *p = lic__arena_alloc(c->arena, n);
    if (!p)
        c->oom = LIC_ENOMEM;
    return p;
}

char *ld_strdup(ld_ctx *c, const char *s)
{
    char *p = lic__arena_strdup(c->arena, s);
    if (!p)
        c->oom = LIC_ENOMEM;
    return p;
}

void *ld_array(ld_ctx *c, const lic_ynode *seq, size_t elem, size_t *n)
{
    *n = 0;
    if (!seq || seq->type != LIC_Y_SEQ || seq->n == 0)
        return NULL;
    void *p = ld_alloc(c, seq->n * elem);
    if (p)
        *n = seq->n;
    return p;
}

bool ld_string(ld_ctx *c, const lic_ynode *n, const char **out)
{
    if (!ld_is_scalar(c, n))
        return false;
    if (memchr(n->text, '\0', n->len)) {
        ld_error(c, n, "expected text, got a NUL character");
        return false;
    }
    *out = n->text; /* the tree lives in the agreement's arena */
    return true;
}

static bool valid_id(const char *s, size_t len)
{
    if (len == 0 || len > 128)
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        bool alnum = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                     (ch >= '0' && ch <= '9');
        if (!alnum && (i == 0 || (ch != '.' && ch != '_' && ch != '-')))
            return false;
    }
    return true;
}

bool ld_id(ld_ctx *c, const lic_ynode *n, const char **out)
{
    if (!ld_is_scalar(c, n))
        return false;
    if (!valid_id(n->text, n->len)) {
        char buf[64];
        ld_error(c, n, "expected an id (letters, digits, '.', '_', '-'; starting with a letter or digit), got %s",
                 shown(n, buf, sizeof buf));
        return false;
    }
    *out = n->text;
    return true;
}

void ld_dup(ld_ctx *c, const lic_ynode *n, const char *id, const char *prev,
            lic_pos prev_pos)
{
    if (id && prev && !strcmp(id, prev))
        ld_error(c, n, "duplicate id \"%s\" (first used at line %d)", id, prev_pos.line);
}

bool ld_bool(ld_ctx *c, const lic_ynode *n, bool *out)
{
    if (lic__yscalar_is(n, "true") && n->plain)
        *out = true;
    else if (lic__yscalar_is(n, "false") && n->plain)
        *out = false;
    else {
        char buf[64];
        ld_error(c, n, "expected true or false, got %s", shown(n, buf, sizeof buf));
        return false;
    }
    return true;
}

bool ld_int(ld_ctx *c, const lic_ynode *n, long min, long max, long *out)
{
    char buf[64];
    if (n && n->type == LIC_Y_SCALAR && n->len > 0 && n->len < 10) {
        long v = 0;
        size_t i = 0;
        for (; i < n->len && n->text[i] >= '0' && n->text[i] <= '9'; i++)
            v = v * 10 + (n->text[i] - '0');
        if (i == n->len && v >= min && v <= max) {
            *out = v;
            return true;
        }
    }
    ld_error(c, n, "expected a whole number from %ld to %ld, got %s", min, max,
             shown(n, buf, sizeof buf));
    return false;
}

bool ld_enum(ld_ctx *c, const lic_ynode *n, const char *const *names, int *out)
{
    if (n && n->type == LIC_Y_SCALAR)
        for (int i = 0; names[i]; i++)
            if (lic__yscalar_is(n, names[i])) {
                *out = i;
                return true;
            }
    char list[256] = "", buf[64];
    size_t len = 0;
    for (int i = 0; names[i]; i++) {
        int w = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= sizeof list - len)
            break;
        len += (size_t)w;
    }
    ld_error(c, n, "expected one of %s, got %s", list, shown(n, buf, sizeof buf));
    return false;
}

bool ld_date(ld_ctx *c, const lic_ynode *n, lic_date *out)
{
    char buf[64];
    if (!n || n->type != LIC_Y_SCALAR) {
        ld_error(c, n, "expected a date YYYY-MM-DD, got %s", shown(n, buf, sizeof buf));
        return false;
    }
    lic_err rc = lic_date_parse(n->text, n->len, out);
    if (rc == LIC_ERANGE)
        ld_error(c, n, "no such day %s", shown(n, buf, sizeof buf));
    else if (rc)
        ld_error(c, n, "expected a date YYYY-MM-DD, got %s", shown(n, buf, sizeof buf));
    return rc == LIC_OK;
}

bool ld_period_kind(ld_ctx *c, const lic_ynode *n, lic_period_kind *out)
{
    static const char *const names[] = {"month", "quarter", "half", "year", NULL};
    int i;
    if (!ld_enum(c, n, names, &i))
        return false;
    *out = (lic_period_kind)i;
    return true;
}

bool ld_month_day(ld_ctx *c, const lic_ynode *n, int *month, int *day)
{
    char buf[64];
    if (n && n->type == LIC_Y_SCALAR && n->len == 5 && n->text[2] == '-') {
        int m = (n->text[0] - '0') * 10 + (n->text[1] - '0');
        int d = (n->text[3] - '0') * 10 + (n->text[4] - '0');
        bool digits = true;
        for (int i = 0; i < 5; i++)
            if (i != 2 && (n->text[i] < '0' || n->text[i] > '9'))
                digits = false;
        /* 02-29 is allowed: it clamps to 02-28 in common years. */
        if (digits && lic_date_valid_ymd(2024, m, d)) {
            *month = m;
            *day = d;
            return true;
        }
    }
    ld_error(c, n, "expected a day of the year MM-DD, got %s", shown(n, buf, sizeof buf));
    return false;
}

/* `redacted` / `unknown`: records the term in missing[]. */
static bool missing_term(ld_ctx *c, const lic_ynode *n, lic_vstate *st)
{
    if (!n || n->type != LIC_Y_SCALAR)
        return false;
    if (lic__yscalar_is(n, "redacted"))
        *st = LIC_V_REDACTED;
    else if (lic__yscalar_is(n, "unknown"))
        *st = LIC_V_UNKNOWN;
    else
        return false;
    lic_agreement *a = c->a;
    if (a->nmissing % 16 == 0) {
        lic_missing *v = ld_alloc(c, (a->nmissing + 16) * sizeof *v);
        if (!v)
            return true;
        if (a->nmissing)
            memcpy(v, a->missing, a->nmissing * sizeof *v);
        a->missing = v;
    }
    a->missing[a->nmissing++] = (lic_missing){ld_strdup(c, c->path), *st, ld_pos(n)};
    return true;
}

bool ld_amount_v(ld_ctx *c, const lic_ynode *n, int digits, lic_amount_v *out)
{
    out->pos = ld_pos(n);
    if (missing_term(c, n, &out->st))
        return true;
    char buf[64];
    const char *cur = c->a->currency ? c->a->currency->code : "the agreement currency";
    if (!n || n->type != LIC_Y_SCALAR) {
        ld_error(c, n, "expected an amount (a decimal string like \"1234.56\"), got %s",
                 shown(n, buf, sizeof buf));
        return false;
    }
    lic_err rc = lic_amount_parse(n->text, n->len, digits, &out->v);
    if (rc == LIC_ERANGE)
        ld_error(c, n, "%s has more decimal places than %s allows (%d)",
                 shown(n, buf, sizeof buf), cur, digits);
    else if (rc == LIC_EOVERFLOW)
        ld_error(c, n, "amount %s is too large", shown(n, buf, sizeof buf));
    else if (rc)
        ld_error(c, n, "expected an amount (a decimal string like \"1234.56\"), got %s",
                 shown(n, buf, sizeof buf));
    else if (out->v < 0) {
        ld_error(c, n, "expected an amount of zero or more, got %s", shown(n, buf, sizeof buf));
        rc = LIC_ERANGE;
    }
    if (rc)
        return false;
    out->st = LIC_V_KNOWN;
    return true;
}

bool ld_rate_v(ld_ctx *c, const lic_ynode *n, lic_rate_v *out)
{
    out->pos = ld_pos(n);
    if (missing_term(c, n, &out->st))
        return true;
    char buf[64];
    lic_err rc = n && n->type == LIC_Y_SCALAR ? lic_rate_parse(n->text, n->len, &out->v)
                                             : LIC_EPARSE;
    if (!rc && out->v < 0)
        rc = LIC_ERANGE;
    if (rc) {
        ld_error(c, n, "expected a rate like \"4.5%%\" or 0.045 (at most 12 decimal places, not negative), got %s",
                 shown(n, buf, sizeof buf));
        return false;
    }
    out->st = LIC_V_KNOWN;
    return true;
}

bool ld_date_v(ld_ctx *c, const lic_ynode *n, lic_date_v *out)
{
    out->pos = ld_pos(n);
    if (missing_term(c, n, &out->st))
        return true;
    if (!ld_date(c, n, &out->v))
        return false;
    out->st = LIC_V_KNOWN;
    return true;
}

static const char *const duration_keys[] = {"days", "business_days", "months", "years", NULL};

bool ld_duration_fields(ld_ctx *c, const lic_ynode *map, lic_duration *d, bool *any)
{
    bool ok = true;
    int32_t *slot[] = {&d->days, &d->business_days, &d->months, &d->years};
    *any = false;
    for (int i = 0; duration_keys[i]; i++) {
        lic_ynode *v = lic__ymap_get(map, duration_keys[i]);
        if (!v)
            continue;
        size_t old = ld_push_key(c, duration_keys[i]);
        long x;
        if (ld_int(c, v, 0, 100000, &x)) {
            *slot[i] = (int32_t)x;
            *any = true;
        } else
            ok = false;
        ld_pop(c, old);
    }
    return ok;
}

bool ld_duration_v(ld_ctx *c, const lic_ynode *n, lic_duration_v *out)
{
    out->pos = ld_pos(n);
    if (missing_term(c, n, &out->st))
        return true;
    if (!n || n->type != LIC_Y_MAP) {
        char buf[64];
        ld_error(c, n, "expected a duration like {days: 30} or {months: 6}, got %s",
                 shown(n, buf, sizeof buf));
        return false;
    }
    ld_check_keys(c, n, duration_keys);
    bool any;
    if (!ld_duration_fields(c, n, &out->v, &any))
        return false;
    if (!any) {
        ld_error(c, n, "expected a duration with days, business_days, months or years");
        return false;
    }
    out->st = LIC_V_KNOWN;
    return true;
}

/* Parses an anchor name; milestone ids are resolved later (ld_ref). */
static bool anchor(ld_ctx *c, const lic_ynode *n, int self, lic_dexpr *e)
{
    if (lic__yscalar_is(n, "effective")) {
        e->anchor = LIC_ANCHOR_EFFECTIVE;
        return true;
    }
    if (lic__yscalar_is(n, "first_commercial_sale")) {
        e->anchor = LIC_ANCHOR_FCS;
        return true;
    }
    const char *pfx = "first_commercial_sale:";
    size_t pl = strlen(pfx);
    if (n && n->type == LIC_Y_SCALAR && n->len > pl && !strncmp(n->text, pfx, pl)) {
        e->country = lic_country_index(n->text + pl, n->len - pl);
        if (e->country < 0) {
            ld_error(c, n, "unknown country \"%s\" in anchor (expected an ISO 3166-1 alpha-2 code)",
                     n->text + pl);
            return false;
        }
        e->anchor = LIC_ANCHOR_FCS_IN;
        return true;
    }
    const char *id;
    if (!ld_id(c, n, &id))
        return false;
    e->anchor = LIC_ANCHOR_MILESTONE;
    e->ref = id;
    e->ref_index = -1;
    if (c->nrefs == c->refs_cap) {
        size_t cap = c->refs_cap ? c->refs_cap * 2 : 32;
        ld_ref *v = ld_alloc(c, cap * sizeof *v);
        if (!v)
            return false;
        if (c->nrefs)
            memcpy(v, c->refs, c->nrefs * sizeof *v);
        c->refs = v;
        c->refs_cap = cap;
    }
    c->refs[c->nrefs++] = (ld_ref){e, ld_strdup(c, c->path), self, ld_pos(n)};
    return true;
}

bool ld_dexpr(ld_ctx *c, const lic_ynode *n, bool bare, int self, lic_dexpr *out)
{
    memset(out, 0, sizeof *out);
    out->pos = ld_pos(n);
    out->ref_index = -1;
    if (missing_term(c, n, &out->st))
        return true;
    if (n && n->type == LIC_Y_SCALAR) {
        if (n->len == 10 && n->text[4] == '-') {
            out->anchor = LIC_ANCHOR_DATE;
            if (!ld_date(c, n, &out->date))
                return false;
        } else if (!bare) {
            char buf[64];
            ld_error(c, n, "expected a date YYYY-MM-DD or {after: ANCHOR, <duration>}, got %s",
                     shown(n, buf, sizeof buf));
            return false;
        } else if (!anchor(c, n, self, out))
            return false;
        out->st = LIC_V_KNOWN;
        return true;
    }
    if (!n || n->type != LIC_Y_MAP) {
        char buf[64];
        ld_error(c, n, "expected a date YYYY-MM-DD or {after: ANCHOR, <duration>}, got %s",
                 shown(n, buf, sizeof buf));
        return false;
    }
    static const char *const keys[] = {"after", "days", "business_days", "months", "years", NULL};
    ld_check_keys(c, n, keys);
    lic_ynode *after = ld_require(c, n, "after");
    if (!after)
        return false;
    size_t old = ld_push_key(c, "after");
    bool ok = anchor(c, after, self, out);
    ld_pop(c, old);
    bool any;
    if (!ld_duration_fields(c, n, &out->dur, &any) || !ok)
        return false;
    out->st = LIC_V_KNOWN;
    return true;
}

bool ld_strlist(ld_ctx *c, const lic_ynode *n, bool ids, lic_strlist *out)
{
    memset(out, 0, sizeof *out);
    if (!ld_is_seq(c, n))
        return false;
    out->v = ld_array(c, n, sizeof *out->v, &out->n);
    bool ok = true;
    for (size_t i = 0; i < out->n; i++) {
        size_t old = ld_push_index(c, i);
        ok &= ids ? ld_id(c, n->items[i], &out->v[i]) : ld_string(c, n->items[i], &out->v[i]);
        ld_pop(c, old);
    }
    return ok;
}

bool ld_territories(ld_ctx *c, const lic_ynode *n, lic_tset *set, lic_strlist *names)
{
    lic_tset_clear(set);
    if (!ld_strlist(c, n, false, names))
        return false;
    bool ok = true;
    for (size_t i = 0; i < names->n; i++) {
        lic_tset one;
        if (lic_territory_resolve(c->a->regions, names->v[i], &one)) {
            size_t old = ld_push_index(c, i);
            ld_error(c, n->items[i],
                     "unknown territory \"%s\" (expected an ISO 3166-1 alpha-2 code, a built-in region such as EU or WORLD, or a region under territories:)",
                     names->v[i]);
            ld_pop(c, old);
            ok = false;
            continue;
        }
        *set = lic_tset_union(*set, one);
    }
    return ok;
}

bool ld_fields(ld_ctx *c, const lic_ynode *n, lic_fset *set, lic_strlist *names)
{
    lic_fset_clear(set);
    if (!ld_strlist(c, n, false, names))
        return false;
    bool ok = true;
    for (size_t i = 0; i < names->n; i++) {
        int node = lic_fieldtree_find(c->a->fields, names->v[i], strlen(names->v[i]));
        if (node < 0) {
            size_t old = ld_push_index(c, i);
            ld_error(c, n->items[i], "unknown field \"%s\" (expected a path from fields:, like \"%s\")",
                     names->v[i],
                     lic_fieldtree_count(c->a->fields) ? lic_fieldtree_path(c->a->fields, 0) : "therapeutics/oncology");
            ld_pop(c, old);
            ok = false;
            continue;
        }
        lic_fset_add(c->a->fields, set, node);
    }
    return ok;
}

void ld_scope(ld_ctx *c, const lic_ynode *map, lic_scope *s)
{
    lic_ynode *f = lic__ymap_get(map, "fields");
    lic_ynode *t = lic__ymap_get(map, "territories");
    if (f) {
        size_t old = ld_push_key(c, "fields");
        s->has_fields = ld_fields(c, f, &s->fields, &s->field_names);
        ld_pop(c, old);
    }
    if (t) {
        size_t old = ld_push_key(c, "territories");
        s->has_territories = ld_territories(c, t, &s->territories, &s->territory_names);
        ld_pop(c, old);
    }
}

bool ld_exclusivity(ld_ctx *c, const lic_ynode *n, lic_exclusivity *out)
{
    static const char *const names[] = {"exclusive", "sole", "co_exclusive", "non_exclusive", NULL};
    int i;
    if (!ld_enum(c, n, names, &i))
        return false;
    *out = (lic_exclusivity)i;
    return true;
}

bool ld_party_role(ld_ctx *c, const lic_ynode *n, lic_party_role *out)
{
    static const char *const names[] = {"licensee", "licensor", "joint", "either", NULL};
    int i;
    if (!ld_enum(c, n, names, &i))
        return false;
    *out = (lic_party_role)i;
    return true;
}

bool ld_remedy(ld_ctx *c, const lic_ynode *n, lic_remedy *r)
{
    static const char *const keys[] = {"action", "add", "grant", "territories", "fields", "to",
                                       "amount", "notice", "days", "automatic", NULL};
    static const char *const actions[] = {"royalty_increase", "step_down", "revert", "fee",
                                          "terminate", "extend_deadlines", NULL};
    memset(r, 0, sizeof *r);
    r->grant_index = -1;
    r->to = LIC_EXCL_NON_EXCLUSIVE;
    r->pos = ld_pos(n);
    if (!ld_is_map(c, n))
        return false;
    ld_check_keys(c, n, keys);
    lic_ynode *act = ld_require(c, n, "action");
    int ai = 0;
    if (act) {
        size_t old = ld_push_key(c, "action");
        bool ok = ld_enum(c, act, actions, &ai);
        ld_pop(c, old);
        if (!ok)
            return false;
    }
    r->action = (lic_action)ai;
    LD_OPT(c, n, "add", ld_rate_v(c, v_, &r->add));
    LD_OPT(c, n, "grant", ld_id(c, v_, &r->grant));
    LD_OPT(c, n, "to", ld_exclusivity(c, v_, &r->to));
    LD_OPT(c, n, "amount", ld_amount_v(c, v_, c->digits, &r->amount));
    LD_OPT(c, n, "notice", ld_duration_v(c, v_, &r->notice));
    LD_OPT(c, n, "automatic", ld_bool(c, v_, &r->automatic));
    lic_ynode *days = lic__ymap_get(n, "days");
    if (days) {
        size_t old = ld_push_key(c, "days");
        long d;
        if (ld_int(c, days, 0, 100000, &d)) {
            r->days.st = LIC_V_KNOWN;
            r->days.v.days = (int32_t)d;
        }
        ld_pop(c, old);
    }
    ld_scope(c, n, &r->part);
    if (r->action == LIC_ACT_ROYALTY_INCREASE && r->add.st == LIC_V_ABSENT)
        ld_error(c, n, "royalty_increase needs add (a rate like \"1%%\")");
    if (r->action == LIC_ACT_FEE && r->amount.st == LIC_V_ABSENT)
        ld_error(c, n, "fee needs amount");
    if (r->action == LIC_ACT_EXTEND_DEADLINES && r->days.st == LIC_V_ABSENT)
        ld_error(c, n, "extend_deadlines needs days");
    return true;
}
