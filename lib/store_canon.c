/*
 * store_canon.c - the canonical forms the ledger hashes: an event as
 * canonical JSON, sales lines as inline `lines:`, and a row's canonical
 * content and chain hash (store.h explains the chain).
 *
 * NOTES ON THE DESIGN
 * - An event's canonical JSON is built from the events file's own YAML
 *   tree, not from the loaded lic_event, so that every key written is
 *   kept exactly as written (amendment values included) and the engine
 *   reads back precisely what it would have read from the file.  Scalars
 *   become JSON strings (the loader reads scalars by their text), except
 *   plain true, false and null, which stay literals because the loader
 *   tells a boolean by its plainness.
 * - Keys are sorted bytewise and the JSON has no spaces (jansson's
 *   JSON_SORT_KEYS | JSON_COMPACT), so equal events give equal bytes.
 * - An event without an id stays without one: the loader refuses ids of
 *   the default form "<date>.<n>", so the id comes back from the event's
 *   place among the ledger's events of its date (the same as in its file
 *   when a whole file is recorded at once).
 * - Accepted events are found in the tree by their position (line and
 *   column): the loader renumbers `seq` after dropping rejected events.
 */
#include "store_int.h"

#include <jansson.h>
#include <sodium.h> /* hex <-> binary */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "sha256.h"
#include "licet/sales.h"
#include "yaml.h"

#define JSON_FLAGS (JSON_SORT_KEYS | JSON_COMPACT)

void lic_store_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char h[LIC__SHA256_BYTES];
    lic__sha256_digest(data, len, h);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

lic_err lic_store_row_hash(const char *prev_hex, const char *content, size_t len, char hash_hex[65])
{
    unsigned char prev[LIC__SHA256_BYTES], h[LIC__SHA256_BYTES];
    size_t n = 0;
    if (strlen(prev_hex) != 64 ||
        sodium_hex2bin(prev, sizeof prev, prev_hex, 64, NULL, &n, NULL) || n != sizeof prev)
        return LIC_EINVAL;
    lic__sha256 st;
    lic__sha256_init(&st);
    lic__sha256_update(&st, prev, sizeof prev);
    lic__sha256_update(&st, content, len);
    lic__sha256_final(&st, h);
    sodium_bin2hex(hash_hex, 65, h, sizeof h);
    return LIC_OK;
}

/* A JSON string literal of s appended at p (control characters as
 * \u00XX, the one escape form, so the bytes are canonical); returns the
 * end.  The caller has made room for 6 bytes per byte of s. */
static char *put_string(char *p, const char *s)
{
    *p++ = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        } else if (c < 0x20) {
            p += snprintf(p, 7, "\\u%04x", c);
        } else
            *p++ = (char)c;
    }
    *p++ = '"';
    return p;
}

char *lic_store_row_content(const char *agreement, const char *kind, const char *ident,
                            const char *digest, const char *payload, int64_t seq)
{
    return lic_store_row_content_parts(agreement, kind, ident, digest, &payload, 1, seq, NULL);
}

/* Bytes lic__store_row_prefix may write for these strings. */
static size_t prefix_room(const char *const strs[4])
{
    size_t need = 64;
    for (size_t i = 0; i < 4; i++)
        need += 6 * strlen(strs[i]) + 2;
    return need;
}

/* Writes the content up to the payload at out; its end. */
static char *put_prefix(char *p, const char *const strs[4])
{
    static const char *const keys[] = {"{\"agreement\":", ",\"digest\":", ",\"ident\":", ",\"kind\":"};
    for (size_t i = 0; i < 4; i++) {
        size_t k = strlen(keys[i]);
        memcpy(p, keys[i], k);
        p = put_string(p + k, strs[i]);
    }
    memcpy(p, ",\"payload\":", 11);
    return p + 11;
}

char *lic__store_row_prefix(const char *agreement, const char *kind, const char *ident, const char *digest,
                            size_t *len)
{
    const char *strs[] = {agreement, digest, ident, kind};
    char *out = lic__malloc(prefix_room(strs));
    if (out)
        *len = (size_t)(put_prefix(out, strs) - out);
    return out;
}

size_t lic__store_row_suffix(int64_t seq, char out[LIC__STORE_SUFFIX_MAX])
{
    return (size_t)snprintf(out, LIC__STORE_SUFFIX_MAX, ",\"seq\":%lld}", (long long)seq);
}

char *lic_store_row_content_parts(const char *agreement, const char *kind, const char *ident,
                                  const char *digest, const char *const *parts, size_t nparts,
                                  int64_t seq, size_t *len)
{
    const char *strs[] = {agreement, digest, ident, kind};
    size_t need = prefix_room(strs) + LIC__STORE_SUFFIX_MAX, plen[8];
    if (nparts > sizeof plen / sizeof plen[0])
        return NULL;
    for (size_t i = 0; i < nparts; i++)
        need += plen[i] = strlen(parts[i]);
    char *out = lic__malloc(need);
    if (!out)
        return NULL;
    char *p = put_prefix(out, strs);
    for (size_t i = 0; i < nparts; i++) {
        memcpy(p, parts[i], plen[i]);
        p += plen[i];
    }
    p += lic__store_row_suffix(seq, p);
    if (len)
        *len = (size_t)(p - out);
    return out;
}

bool lic__store_payload(const char *content, const char **p, size_t *n)
{
    const char *start = strstr(content, ",\"payload\":");
    const char *end = strrchr(content, ',');
    if (!start || !end || end <= start || strncmp(end, ",\"seq\":", 7))
        return false;
    start += strlen(",\"payload\":");
    *p = start;
    *n = (size_t)(end - start);
    return true;
}

void lic_store_strings_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* ---- events ---- */

static json_t *scalar_json(const lic_ynode *n)
{
    if (n->plain && (n->len == 0 || lic__yscalar_is(n, "null") || lic__yscalar_is(n, "~")))
        return json_null();
    if (n->plain && lic__yscalar_is(n, "true"))
        return json_true();
    if (n->plain && lic__yscalar_is(n, "false"))
        return json_false();
    return json_stringn_nocheck(n->text, n->len);
}

static json_t *node_json(const lic_ynode *n)
{
    if (n->type == LIC_Y_SCALAR)
        return scalar_json(n);
    json_t *j = n->type == LIC_Y_MAP ? json_object() : json_array();
    for (size_t i = 0; j && i < n->n; i++) {
        int bad = n->type == LIC_Y_MAP
                      ? json_object_setn_new_nocheck(j, n->pairs[i].key->text, n->pairs[i].key->len,
                                                     node_json(n->pairs[i].value))
                      : json_array_append_new(j, node_json(n->items[i]));
        if (bad) {
            json_decref(j);
            return NULL;
        }
    }
    return j;
}

static json_t *lines_json(const lic_agreement *a, const lic_sale_line *v, size_t n);

/* The canonical JSON of event e, whose node is n. */
static char *event_json(const lic_agreement *a, const lic_event *e, const lic_ynode *n)
{
    json_t *j = node_json(n);
    if (!j)
        return NULL;
    if (e->type == LIC_EV_REPORT && e->file) {
        json_object_del(j, "file");
        json_t *lines = lines_json(a, e->lines, e->nlines);
        if (!lines || json_object_set_new(j, "lines", lines)) {
            json_decref(j);
            return NULL;
        }
    }
    char *s = json_dumps(j, JSON_FLAGS);
    json_decref(j);
    return s;
}

static bool is_jsonl(const char *t, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (t[i] == '#')
            while (i < len && t[i] != '\n')
                i++;
        else if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r' && t[i] != '\n')
            return t[i] == '{';
    }
    return false;
}

/* The events' nodes, in file order, into *nodes (arena memory). */
static lic_err event_nodes(lic_arena *ar, const char *text, size_t len, lic_ynode ***nodes, size_t *n)
{
    lic_diags d;
    lic_diags_init(&d);
    lic_ynode *root = NULL;
    lic_err rc = LIC_OK;
    *n = 0;
    if (!is_jsonl(text, len)) {
        rc = lic__yaml_parse(ar, "-", text, len, 0, &d, &root);
        if (!rc && root && root->type == LIC_Y_SEQ)
            *nodes = root->items, *n = root->n;
        lic_diags_fini(&d);
        return rc;
    }
    size_t cap = 0, line = 0;
    for (size_t i = 0; i < len && !rc;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        line++;
        lic_ynode *one = NULL;
        if (lic__yaml_parse_jsonl(ar, "-", text + i, end - i, (int)line - 1, &d, &one) == LIC_ENOMEM)
            rc = LIC_ENOMEM;
        i = end + 1;
        if (!one || one->type != LIC_Y_MAP)
            continue; /* blank, comment or malformed: never an accepted event */
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            lic_ynode **v = lic__arena_alloc(ar, cap * sizeof *v);
            if (!v)
                rc = LIC_ENOMEM;
            else if (*n)
                memcpy(v, *nodes, *n * sizeof *v);
            *nodes = v;
        }
        if (!rc)
            (*nodes)[(*n)++] = one;
    }
    lic_diags_fini(&d);
    return rc;
}

static const lic_ynode *node_at(lic_ynode **nodes, size_t n, lic_pos pos, size_t *from)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = (*from + k) % n; /* accepted events come in file order */
        if (nodes[i]->line == pos.line && nodes[i]->col == pos.col) {
            *from = i + 1;
            return nodes[i];
        }
    }
    return NULL;
}

lic_err lic_store_canon_events(const char *path, const lic_agreement *a, const lic_events *ev,
                               char ***out)
{
    *out = NULL;
    lic_diags d;
    lic_diags_init(&d);
    char *text = NULL;
    size_t len = 0;
    lic_err rc = lic__read_input(path, &d, &text, &len);
    lic_diags_fini(&d);
    if (rc)
        return rc;
    rc = lic_store_canon_events_mem(text, len, a, ev, out);
    lic__free(text);
    return rc;
}

lic_err lic_store_canon_events_mem(const char *text, size_t len, const lic_agreement *a,
                                   const lic_events *ev, char ***out)
{
    *out = NULL;
    lic_err rc;
    lic_arena ar;
    lic__arena_init(&ar);
    lic_ynode **nodes = NULL;
    size_t n = 0, from = 0;
    rc = event_nodes(&ar, text, len, &nodes, &n);
    char **v = rc ? NULL : calloc(ev->n ? ev->n : 1, sizeof *v);
    if (!rc && !v)
        rc = LIC_ENOMEM;
    for (size_t i = 0; !rc && i < ev->n; i++) {
        const lic_ynode *node = node_at(nodes, n, ev->v[i].pos, &from);
        if (!node)
            rc = LIC_ECORRUPT; /* the file changed under us */
        else if (!(v[i] = event_json(a, &ev->v[i], node)))
            rc = LIC_ENOMEM;
    }
    lic__arena_fini(&ar);
    if (rc) {
        lic_store_strings_free(v, ev->n);
        return rc;
    }
    *out = v;
    return LIC_OK;
}

/* ---- sales lines ---- */

static int set_amount(json_t *o, const char *key, lic_amount v, int digits)
{
    char buf[48];
    lic_amount_format(v, digits, buf, sizeof buf);
    return json_object_set_new(o, key, json_string(buf));
}

static json_t *line_json(const lic_agreement *a, const lic_sale_line *l)
{
    char per[LIC_PERIOD_STRLEN], day[LIC_DATE_STRLEN], units[24];
    int dg = l->currency->digits;
    json_t *o = json_object();
    lic_period_str(l->period, per);
    snprintf(units, sizeof units, "%lld", (long long)l->units);
    int bad = !o || json_object_set_new(o, "period", json_string(per)) ||
              json_object_set_new(o, "country", json_string(lic_country_code(l->country))) ||
              json_object_set_new(o, "currency", json_string(l->currency->code)) ||
              json_object_set_new(o, "units", json_string(units)) || set_amount(o, "gross_sales", l->gross, dg) ||
              set_amount(o, "deductions", l->deductions, dg) ||
              set_amount(o, "third_party_royalties", l->third_party_royalties, dg);
    if (!bad && l->date != LIC_DATE_NONE) {
        lic_date_str(l->date, day);
        bad = json_object_set_new(o, "date", json_string(day));
    }
    if (!bad && l->product)
        bad = json_object_set_new(o, "product", json_string(l->product));
    if (!bad && l->field >= 0)
        bad = json_object_set_new(o, "field", json_string(lic_fieldtree_path(a->fields, l->field)));
    if (!bad && l->fx_rate) {
        char rate[64];
        lic_rate_format_decimal(l->fx_rate, rate, sizeof rate);
        bad = json_object_set_new(o, "fx_rate", json_string(rate));
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *lines_json(const lic_agreement *a, const lic_sale_line *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, line_json(a, &v[i]))) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

/* ---- canonical lines, written directly ----
 * A report of a million lines would spend most of its import building
 * jansson objects only to dump them, so the lines (and the report event
 * around them) are written here byte for byte as json_dumps writes them
 * with JSON_SORT_KEYS | JSON_COMPACT: keys in bytewise order, no spaces,
 * and any string that is not plain printable ASCII handed to jansson
 * itself, so its escaping stays jansson's. */

static void cb_lit(lic__buf *b, const char *s)
{
    lic__buf_put(b, s, strlen(s));
}

/* A JSON string as json_dumps writes it (NULL or invalid UTF-8: the
 * buffer fails, as json_string's NULL made the old builder fail). */
static void cb_str(lic__buf *b, const char *s)
{
    size_t n = 0;
    bool plain = s != NULL;
    for (; plain && s[n]; n++)
        plain = (unsigned char)s[n] >= 0x20 && (unsigned char)s[n] < 0x7F && s[n] != '"' && s[n] != '\\';
    if (plain) {
        lic__buf_put(b, "\"", 1);
        lic__buf_put(b, s, n);
        lic__buf_put(b, "\"", 1);
        return;
    }
    json_t *j = s ? json_string(s) : NULL;
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    json_decref(j);
    if (!t)
        b->oom = true;
    else
        cb_lit(b, t);
    free(t);
}

/* ,"key":"value" (the comma unless first). */
static void cb_key(lic__buf *b, const char *key, const char *value, bool first)
{
    if (!first)
        lic__buf_put(b, ",", 1);
    lic__buf_put(b, "\"", 1);
    cb_lit(b, key);
    lic__buf_put(b, "\":", 2);
    cb_str(b, value);
}

static void cb_amount(lic__buf *b, const char *key, lic_amount v, int digits)
{
    char buf[48];
    lic_amount_format(v, digits, buf, sizeof buf);
    cb_key(b, key, buf, false);
}

/* One line, as line_json() builds it, keys sorted. */
static void cb_line(lic__buf *b, const lic_agreement *a, const lic_sale_line *l)
{
    char per[LIC_PERIOD_STRLEN], day[LIC_DATE_STRLEN], units[24];
    int dg = l->currency->digits;
    lic_period_str(l->period, per);
    snprintf(units, sizeof units, "%lld", (long long)l->units);
    lic__buf_put(b, "{", 1);
    cb_key(b, "country", lic_country_code(l->country), true);
    cb_key(b, "currency", l->currency->code, false);
    if (l->date != LIC_DATE_NONE) {
        lic_date_str(l->date, day);
        cb_key(b, "date", day, false);
    }
    cb_amount(b, "deductions", l->deductions, dg);
    if (l->field >= 0)
        cb_key(b, "field", lic_fieldtree_path(a->fields, l->field), false);
    if (l->fx_rate) { /* the extension column: the licensee's own rate */
        char rate[64];
        lic_rate_format_decimal(l->fx_rate, rate, sizeof rate);
        cb_key(b, "fx_rate", rate, false);
    }
    cb_amount(b, "gross_sales", l->gross, dg);
    cb_key(b, "period", per, false);
    if (l->product)
        cb_key(b, "product", l->product, false);
    cb_amount(b, "third_party_royalties", l->third_party_royalties, dg);
    cb_key(b, "units", units, false);
    lic__buf_put(b, "}", 1);
}

/* A line's JSON on the stack, for the usual line whose texts need no
 * escaping: one buffer put per line instead of some thirty (a large
 * import spent a quarter of its time in them).  Any text that is not
 * plain, or too long, clears ok and the line goes through cb_line, which
 * writes the same bytes for a plain line. */
typedef struct line_w {
    char *p, *end;
    bool ok;
} line_w;

static void lw_put(line_w *w, const char *s, size_t n)
{
    if (n > (size_t)(w->end - w->p)) {
        w->ok = false;
        return;
    }
    memcpy(w->p, s, n);
    w->p += n;
}

/* keyq is the key with its quotes, colon and the value's opening quote. */
static void lw_str(line_w *w, const char *keyq, size_t klen, const char *v)
{
    size_t n = 0;
    if (!v) {
        w->ok = false; /* cb_str's NULL */
        return;
    }
    for (; v[n]; n++)
        if ((unsigned char)v[n] < 0x20 || (unsigned char)v[n] >= 0x7F || v[n] == '"' || v[n] == '\\') {
            w->ok = false;
            return;
        }
    lw_put(w, keyq, klen);
    lw_put(w, v, n);
    lw_put(w, "\"", 1);
}

#define LW_STR(w, keyq, v) lw_str(w, keyq, sizeof keyq - 1, v)

static void lw_amount(line_w *w, const char *keyq, size_t klen, lic_amount v, int digits)
{
    char buf[48];
    size_t n = lic_amount_format(v, digits, buf, sizeof buf);
    lw_put(w, keyq, klen);
    lw_put(w, buf, n);
    lw_put(w, "\"", 1);
}

#define LW_AMOUNT(w, keyq, v, dg) lw_amount(w, keyq, sizeof keyq - 1, v, dg)

/* Line l as cb_line writes it, into buf; its length, or 0 when the line
 * must go through cb_line. */
static size_t fast_line(const lic_agreement *a, const lic_sale_line *l, char *buf, size_t cap)
{
    if (l->fx_rate)
        return 0; /* the extension column: rare, left to cb_line */
    char tmp[LIC_DATE_STRLEN > LIC_PERIOD_STRLEN ? LIC_DATE_STRLEN : LIC_PERIOD_STRLEN];
    int dg = l->currency->digits;
    line_w w = {buf, buf + cap, true};
    LW_STR(&w, "{\"country\":\"", lic_country_code(l->country));
    LW_STR(&w, ",\"currency\":\"", l->currency->code);
    if (l->date != LIC_DATE_NONE) {
        lic_date_str(l->date, tmp);
        LW_STR(&w, ",\"date\":\"", tmp);
    }
    LW_AMOUNT(&w, ",\"deductions\":\"", l->deductions, dg);
    if (l->field >= 0)
        LW_STR(&w, ",\"field\":\"", lic_fieldtree_path(a->fields, l->field));
    LW_AMOUNT(&w, ",\"gross_sales\":\"", l->gross, dg);
    lic_period_str(l->period, tmp);
    LW_STR(&w, ",\"period\":\"", tmp);
    if (l->product)
        LW_STR(&w, ",\"product\":\"", l->product);
    LW_AMOUNT(&w, ",\"third_party_royalties\":\"", l->third_party_royalties, dg);
    LW_AMOUNT(&w, ",\"units\":\"", l->units, 0); /* an integer: "%lld" */
    lw_put(&w, "}", 1);
    return w.ok ? (size_t)(w.p - buf) : 0;
}

void lic__store_canon_line(lic__buf *b, const lic_agreement *a, const lic_sale_line *l)
{
    char line[512];
    size_t k = fast_line(a, l, line, sizeof line);
    if (k)
        lic__buf_put(b, line, k);
    else
        cb_line(b, a, l);
}

/* Bytes to reserve for n lines: most lines are under 256 bytes, and one
 * growth in place beats a dozen doublings of a large report. */
#define LINE_GUESS 256

lic_err lic_store_canon_lines(const lic_agreement *a, const lic_sale_line *v, size_t n, char **out)
{
    lic__buf b = {0};
    if (n && n < SIZE_MAX / LINE_GUESS && (b.v = lic__malloc(n * LINE_GUESS)))
        b.cap = n * LINE_GUESS;
    lic__buf_put(&b, "[", 1);
    for (size_t i = 0; i < n && !b.oom; i++) {
        if (i)
            lic__buf_put(&b, ",", 1);
        lic__store_canon_line(&b, a, &v[i]);
    }
    lic__buf_put(&b, "]", 1);
    if (b.oom) {
        lic__free(b.v);
        *out = NULL;
        return LIC_ENOMEM;
    }
    *out = b.v;
    return LIC_OK;
}


lic_err lic__store_report_frame(const char *id, lic_date date, lic_period period, char **head, char **tail)
{
    char day[LIC_DATE_STRLEN], per[LIC_PERIOD_STRLEN];
    lic_date_str(date, day);
    lic_period_str(period, per);
    lic__buf h = {0}, t = {0};
    lic__buf_put(&h, "{", 1);
    cb_key(&h, "date", day, true);
    cb_key(&h, "id", id, false);
    cb_key(&h, "kind", "royalty", false);
    cb_lit(&h, ",\"lines\":");
    cb_key(&t, "period", per, false);
    cb_key(&t, "type", "report", false);
    lic__buf_put(&t, "}", 1);
    if (h.oom || t.oom) {
        lic__free(h.v);
        lic__free(t.v);
        *head = *tail = NULL;
        return LIC_ENOMEM;
    }
    *head = h.v;
    *tail = t.v;
    return LIC_OK;
}

lic_err lic_store_canon_report(const char *id, lic_date date, lic_period period, const char *lines_json_text,
                               char **out)
{
    char day[LIC_DATE_STRLEN], per[LIC_PERIOD_STRLEN];
    lic_date_str(date, day);
    lic_period_str(period, per);
    json_error_t err;
    json_t *lines = json_loads(lines_json_text, 0, &err);
    json_t *o = lines ? json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "date", day, "id", id, "kind", "royalty",
                                  "period", per, "type", "report", "lines", lines)
                      : NULL;
    *out = o ? json_dumps(o, JSON_FLAGS) : NULL;
    json_decref(o);
    if (*out)
        return LIC_OK;
    return lines ? LIC_ENOMEM : LIC_EINVAL;
}

bool lic_store_row_payload(const char *content, const char **p, size_t *n)
{
    return lic__store_payload(content, p, n);
}
