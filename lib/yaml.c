/*
 * yaml.c - build a positioned YAML tree from libfyaml's event stream.
 *
 * The builder keeps an explicit stack of open collections, so deep inputs
 * cannot exhaust the C stack; depth is capped at LIC_YAML_MAX_DEPTH.
 * Collections grow by doubling inside the arena (the old copy is simply
 * abandoned: the arena frees everything at once).
 */
#include "yaml.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfyaml.h>

typedef struct anchor {
    const char *name;
    size_t len;
    lic_ynode *node;
} anchor;

typedef struct builder {
    lic_arena *arena;
    const char *text; /* the input, which the marks' input_pos index */
    size_t len;
    const char *file;
    int line_offset;
    lic_diags *diags;
    lic_ynode *stack[LIC_YAML_MAX_DEPTH + 1];
    size_t cap[LIC_YAML_MAX_DEPTH + 1];
    lic_ynode *pending_key[LIC_YAML_MAX_DEPTH + 1];
    int depth;
    anchor *anchors;
    size_t nanchors, anchors_cap;
    lic_ynode *root;
    size_t weight;
} builder;

static lic_err fail(builder *b, int line, int col, const char *fmt, const char *arg)
{
    lic_err rc = lic_diags_add(b->diags, LIC_SEV_ERROR, b->file, line, col,
                               "yaml", "", fmt, arg);
    return rc ? rc : LIC_EPARSE;
}

static void mark_of(struct fy_event *ev, builder *b, int *line, int *col)
{
    const struct fy_mark *m = fy_event_start_mark(ev);
    *line = m ? m->line + 1 + b->line_offset : 0;
    *col = m ? m->column + 1 : 0;
}

static lic_err add_anchor(builder *b, struct fy_token *tok, lic_ynode *node)
{
    if (!tok)
        return LIC_OK;
    size_t len;
    const char *name = fy_token_get_text(tok, &len);
    if (!name)
        return LIC_ENOMEM;
    if (b->nanchors == b->anchors_cap) {
        size_t cap = b->anchors_cap ? b->anchors_cap * 2 : 16;
        anchor *v = lic__arena_alloc(b->arena, cap * sizeof *v);
        if (!v)
            return LIC_ENOMEM;
        if (b->nanchors)
            memcpy(v, b->anchors, b->nanchors * sizeof *v);
        b->anchors = v;
        b->anchors_cap = cap;
    }
    char *copy = lic__arena_strndup(b->arena, name, len);
    if (!copy)
        return LIC_ENOMEM;
    /* A later anchor of the same name shadows the earlier (YAML 1.2). */
    b->anchors[b->nanchors++] = (anchor){copy, len, node};
    return LIC_OK;
}

static lic_ynode *find_anchor(builder *b, const char *name, size_t len)
{
    for (size_t i = b->nanchors; i-- > 0;)
        if (b->anchors[i].len == len && !memcmp(b->anchors[i].name, name, len))
            return b->anchors[i].node;
    return NULL;
}

static lic_err grow(builder *b, lic_ynode *c, size_t *cap, size_t elem)
{
    if (c->n < *cap)
        return LIC_OK;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *v = lic__arena_alloc(b->arena, ncap * elem);
    if (!v)
        return LIC_ENOMEM;
    void *old = c->type == LIC_Y_MAP ? (void *)c->pairs : (void *)c->items;
    if (c->n)
        memcpy(v, old, c->n * elem);
    if (c->type == LIC_Y_MAP)
        c->pairs = v;
    else
        c->items = v;
    *cap = ncap;
    return LIC_OK;
}

/* Attaches a finished node to the open collection (or makes it the root). */
static lic_err attach(builder *b, lic_ynode *node)
{
    b->weight += node->weight;
    if (b->weight > LIC_YAML_MAX_WEIGHT)
        return fail(b, node->line, node->col,
                    "document too large (more than 2,000,000 nodes with aliases expanded)%s", "");
    if (b->depth == 0) {
        b->root = node;
        return LIC_OK;
    }
    int d = b->depth;
    lic_ynode *c = b->stack[d];
    c->weight += node->weight;
    if (c->type == LIC_Y_SEQ) {
        lic_err rc = grow(b, c, &b->cap[d], sizeof(lic_ynode *));
        if (rc)
            return rc;
        c->items[c->n++] = node;
        return LIC_OK;
    }
    if (!b->pending_key[d]) {
        if (node->type != LIC_Y_SCALAR)
            return fail(b, node->line, node->col,
                        "mapping keys must be plain scalars%s", "");
        if (c->n >= LIC_YAML_MAX_KEYS)
            return fail(b, node->line, node->col,
                        "mapping has more than 4096 keys%s", "");
        for (size_t i = 0; i < c->n; i++)
            if (c->pairs[i].key->len == node->len &&
                !memcmp(c->pairs[i].key->text, node->text, node->len))
                return fail(b, node->line, node->col, "duplicate key \"%s\"",
                            node->text);
        b->pending_key[d] = node;
        return LIC_OK;
    }
    lic_err rc = grow(b, c, &b->cap[d], sizeof(lic_ypair));
    if (rc)
        return rc;
    c->pairs[c->n++] = (lic_ypair){b->pending_key[d], node};
    b->pending_key[d] = NULL;
    return LIC_OK;
}

static lic_ynode *new_node(builder *b, struct fy_event *ev, lic_ytype type)
{
    lic_ynode *n = lic__arena_alloc(b->arena, sizeof *n);
    if (!n)
        return NULL;
    n->type = type;
    n->weight = 1;
    mark_of(ev, b, &n->line, &n->col);
    return n;
}

/* A scalar's text (NULL when out of memory).  A plain scalar on one line
 * has no escapes and nothing to fold: its text is its source bytes, found
 * by the token's marks.  libfyaml 0.7.12 would format a copy of each one
 * that ends its line (a block mapping's every value), at about 1,400
 * instructions apiece.  Checked equal to fy_token_get_text on 780,000
 * such scalars (examples, tests, fuzz corpora, with CRLF line ends and
 * trailing blanks and comments added). */
static const char *scalar_text(builder *b, struct fy_token *tok, enum fy_node_style style,
                               size_t *len)
{
    const struct fy_mark *s = style == FYNS_PLAIN ? fy_token_start_mark(tok) : NULL;
    const struct fy_mark *e = s ? fy_token_end_mark(tok) : NULL;
    if (e && s->line == e->line && s->input_pos <= e->input_pos && e->input_pos <= b->len) {
        *len = e->input_pos - s->input_pos;
        return b->text + s->input_pos;
    }
    return fy_token_get_text(tok, len);
}

static lic_err on_scalar(builder *b, struct fy_event *ev)
{
    lic_ynode *n = new_node(b, ev, LIC_Y_SCALAR);
    if (!n)
        return LIC_ENOMEM;
    enum fy_node_style style = fy_event_get_node_style(ev);
    size_t len;
    const char *text = scalar_text(b, ev->scalar.value, style, &len);
    if (!text)
        return LIC_ENOMEM;
    n->text = lic__arena_strndup(b->arena, text, len);
    if (!n->text)
        return LIC_ENOMEM;
    n->len = len;
    n->plain = style == FYNS_PLAIN;
    /* libfyaml marks a quoted scalar at its first character; point at
     * the opening quote, where a reader's eye goes. */
    if ((style == FYNS_SINGLE_QUOTED || style == FYNS_DOUBLE_QUOTED) && n->col > 1)
        n->col--;
    lic_err rc = add_anchor(b, ev->scalar.anchor, n);
    return rc ? rc : attach(b, n);
}

static lic_err on_alias(builder *b, struct fy_event *ev)
{
    size_t len;
    const char *name = fy_token_get_text(ev->alias.anchor, &len);
    if (!name)
        return LIC_ENOMEM;
    lic_ynode *target = find_anchor(b, name, len);
    int line, col;
    mark_of(ev, b, &line, &col);
    if (!target) {
        char *copy = lic__arena_strndup(b->arena, name, len);
        return copy ? fail(b, line, col, "unknown alias \"*%s\"", copy) : LIC_ENOMEM;
    }
    for (int d = 1; d <= b->depth; d++)
        if (b->stack[d] == target)
            return fail(b, line, col, "alias \"*%s\" refers to a collection that contains it",
                        target->text ? target->text : "");
    return attach(b, target);
}

static lic_err on_start(builder *b, struct fy_event *ev, lic_ytype type,
                        struct fy_token *anchor_tok)
{
    lic_ynode *n = new_node(b, ev, type);
    if (!n)
        return LIC_ENOMEM;
    if (b->depth == LIC_YAML_MAX_DEPTH)
        return fail(b, n->line, n->col, "nesting deeper than 64 levels%s", "");
    lic_err rc = add_anchor(b, anchor_tok, n);
    if (rc)
        return rc;
    b->depth++;
    b->stack[b->depth] = n;
    b->cap[b->depth] = 0;
    b->pending_key[b->depth] = NULL;
    return LIC_OK;
}

static lic_err on_end(builder *b)
{
    lic_ynode *n = b->stack[b->depth];
    b->depth--;
    /* Weight was added to this node as children attached; the parent
     * gets it now. */
    b->weight -= n->weight - 1;
    return attach(b, n);
}

static lic_err on_event(builder *b, struct fy_event *ev, int *docs)
{
    switch (ev->type) {
    case FYET_DOCUMENT_START:
        if (++*docs > 1) {
            int line, col;
            mark_of(ev, b, &line, &col);
            return fail(b, line, col, "only one YAML document is allowed per file%s", "");
        }
        return LIC_OK;
    case FYET_SCALAR:
        return on_scalar(b, ev);
    case FYET_ALIAS:
        return on_alias(b, ev);
    case FYET_MAPPING_START:
        return on_start(b, ev, LIC_Y_MAP, ev->mapping_start.anchor);
    case FYET_SEQUENCE_START:
        return on_start(b, ev, LIC_Y_SEQ, ev->sequence_start.anchor);
    case FYET_MAPPING_END:
    case FYET_SEQUENCE_END:
        return on_end(b);
    default:
        return LIC_OK;
    }
}

/* libfyaml reports syntax errors through its diag object.  We use its
 * collect-errors mode and keep the first error, which is the one that
 * stopped the parse.  Its printing mode is not usable: in 0.7.12 it draws
 * the offending source line into a stack buffer sized from the terminal
 * width, and overruns it (found by fuzzing) when output is not a terminal
 * and the line is wider than 80 columns.  The collect mode has a small
 * leak of its own inside libfyaml (the collected error records); the
 * sanitizer runs suppress leaks whose stack is inside libfyaml
 * (tests/lsan.supp). */
static struct fy_diag *quiet_diag(void)
{
    struct fy_diag_cfg cfg;
    fy_diag_cfg_default(&cfg);
    cfg.fp = NULL;
    cfg.output_fn = NULL;
    cfg.colorize = false;
    cfg.show_source = false;
    struct fy_diag *diag = fy_diag_create(&cfg);
    if (diag)
        fy_diag_set_collect_errors(diag, true);
    return diag;
}

/* A parser and its diag, kept per thread between files: creating and
 * destroying them cost as much as parsing a 30-line agreement.  A
 * parser is kept only after a clean parse (fy_parser_reset then drops
 * the input and its state); after any error both are destroyed, so no
 * collected error or half-read stream reaches the next file.  Thread
 * exit frees a thread's pair through the key's destructor. */
typedef struct yparser {
    struct fy_diag *diag;
    struct fy_parser *fyp;
} yparser;

static pthread_once_t yparser_once = PTHREAD_ONCE_INIT;
static pthread_key_t yparser_key;
static bool yparser_keyed; /* false: no key, every parse makes its own */

static void yparser_free(void *arg)
{
    yparser *p = arg;
    if (!p)
        return;
    if (p->fyp)
        fy_parser_destroy(p->fyp);
    if (p->diag)
        fy_diag_unref(p->diag);
    lic__free(p);
}

static void yparser_make_key(void)
{
    yparser_keyed = pthread_key_create(&yparser_key, yparser_free) == 0;
}

/* This thread's kept parser (taken from it: not reentered while in use),
 * or a new one; NULL when out of memory. */
static yparser *yparser_take(void)
{
    pthread_once(&yparser_once, yparser_make_key);
    yparser *p = yparser_keyed ? pthread_getspecific(yparser_key) : NULL;
    if (p) {
        pthread_setspecific(yparser_key, NULL);
        return p;
    }
    p = lic__malloc(sizeof *p);
    if (!p)
        return NULL;
    p->diag = quiet_diag();
    struct fy_parse_cfg cfg = {
        .flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2,
        .diag = p->diag,
    };
    p->fyp = p->diag ? fy_parser_create(&cfg) : NULL;
    if (!p->fyp) {
        yparser_free(p);
        return NULL;
    }
    return p;
}

/* Keeps p for this thread's next parse when `clean` (and it resets);
 * destroys it otherwise. */
static void yparser_give_back(yparser *p, bool clean)
{
    void *iter = NULL;
    if (clean && yparser_keyed && !fy_diag_errors_iterate(p->diag, &iter) &&
        fy_parser_reset(p->fyp) == 0 && pthread_setspecific(yparser_key, p) == 0)
        return;
    yparser_free(p);
}

static lic_err syntax_error(builder *b, struct fy_diag *diag)
{
    void *iter = NULL;
    struct fy_diag_error *err = fy_diag_errors_iterate(diag, &iter);
    lic_err rc;
    if (!err)
        rc = lic_diags_add(b->diags, LIC_SEV_ERROR, b->file, 0, 0, "yaml", "",
                           "YAML syntax error");
    else
        rc = lic_diags_add(b->diags, LIC_SEV_ERROR, b->file, err->line + b->line_offset,
                           err->column, "yaml", "", "YAML syntax error: %.200s", err->msg);
    return rc ? rc : LIC_EPARSE;
}

/* Reports the invalid byte at `bad`, placed by counting lines and
 * characters over the (valid) text before it. */
static lic_err utf8_error(builder *b, const unsigned char *p, size_t bad)
{
    int line = 1, col = 1;
    for (size_t i = 0; i < bad;) {
        if (p[i] == '\n') {
            line++;
            col = 1;
        } else
            col++;
        i += lic__utf8_len(p + i, bad - i);
    }
    char byte[8];
    snprintf(byte, sizeof byte, "0x%02X", p[bad]);
    lic_err rc = lic_diags_add(b->diags, LIC_SEV_ERROR, b->file, line + b->line_offset,
                               col, "yaml", "", "invalid UTF-8 (byte %s); save the file as UTF-8",
                               byte);
    return rc ? rc : LIC_EPARSE;
}

/* Valid text is the rule, so the check only validates (ASCII eight bytes
 * at a time); the position is worked out when there is an error. */
static lic_err check_utf8(builder *b, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        uint64_t w;
        if (len - i >= 8 && (memcpy(&w, p + i, 8), !(w & UINT64_C(0x8080808080808080)))) {
            i += 8;
            continue;
        }
        size_t k = lic__utf8_len(p + i, len - i);
        if (k == 0)
            return utf8_error(b, p, i);
        i += k;
    }
    return LIC_OK;
}

lic_err lic__yaml_parse(lic_arena *arena, const char *file, const char *text,
                        size_t len, int line_offset, lic_diags *diags,
                        lic_ynode **root)
{
    builder b = {.arena = arena, .text = text, .len = len, .file = file,
                 .line_offset = line_offset, .diags = diags};
    *root = NULL;
    if (len > LIC_YAML_MAX_BYTES)
        return fail(&b, 0, 0, "file larger than 16 MiB%s", "");
    lic_err urc = check_utf8(&b, text, len);
    if (urc)
        return urc;
    yparser *p = yparser_take();
    if (!p)
        return LIC_ENOMEM;
    lic_err rc = LIC_ENOMEM;
    bool clean = false;
    if (fy_parser_set_string(p->fyp, text, len))
        goto out;
    rc = LIC_OK;
    int docs = 0;
    struct fy_event *ev;
    while (!rc && (ev = fy_parser_parse(p->fyp)) != NULL) {
        rc = on_event(&b, ev, &docs);
        fy_parser_event_free(p->fyp, ev);
    }
    if (!rc && fy_parser_get_stream_error(p->fyp))
        rc = syntax_error(&b, p->diag);
    if (!rc) {
        *root = b.root;
        clean = true;
    }
out:
    yparser_give_back(p, clean);
    return rc;
}

/* ---- JSON Lines: a fast path for lines that are plain JSON ----
 *
 * libfyaml spends most of a large import's time on JSON Lines (a report
 * row holds its lines inline: one ledger line can be megabytes).  A line
 * that is a strict JSON object, written with spaces as the only blanks,
 * reads the same as YAML (YAML 1.2 is a superset of JSON), so it is read
 * here into the same positioned tree: strings become "-quoted scalars
 * (YAML's quoted style) placed at their opening quote, numbers and true/false/null
 * plain scalars, and columns count characters as libfyaml does.  Anything
 * else (YAML flow syntax, tabs, comments, escapes JSON lacks, characters
 * YAML does not allow unescaped, duplicate keys, the depth and key caps,
 * syntax errors) goes to libfyaml, so every message stays as it was.
 * There is no node or size cap here: JSON has no aliases, so the tree is
 * proportional to the line.  Scalar texts are decoded into one arena
 * buffer the size of the line, each at its own offset in the line, and
 * NUL-terminated there (a decoded text never outgrows its source, and
 * the byte after a token is a delimiter no other text uses). */

enum { JP_OK, JP_FALLBACK, JP_NOMEM };

typedef struct jparse {
    lic_arena *arena;
    const char *s, *p, *end; /* the line, the next byte, the line's end */
    char *copy;              /* the arena copy scalars are decoded into */
    size_t cont;             /* UTF-8 continuation bytes before p */
    int line;
    lic_ynode **stk;         /* children of the open collections */
    size_t nstk, capstk;
} jparse;

static int jp_value(jparse *j, int depth, lic_ynode **out);

static void jp_space(jparse *j)
{
    while (j->p < j->end && *j->p == ' ')
        j->p++;
}

static lic_ynode *jp_node(jparse *j, lic_ytype type)
{
    lic_ynode *n = lic__arena_alloc(j->arena, sizeof *n);
    if (!n)
        return NULL;
    n->type = type;
    n->line = j->line;
    size_t col = (size_t)(j->p - j->s) - j->cont + 1;
    n->col = col < INT_MAX ? (int)col : INT_MAX;
    n->weight = 1;
    return n;
}

static int jp_push(jparse *j, lic_ynode *n)
{
    if (j->nstk == j->capstk) {
        size_t cap = j->capstk ? j->capstk * 2 : 256;
        lic_ynode **v = lic__realloc(j->stk, cap * sizeof *v);
        if (!v)
            return JP_NOMEM;
        j->stk = v;
        j->capstk = cap;
    }
    j->stk[j->nstk++] = n;
    return JP_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Appends code point u (not a surrogate, not 0) as UTF-8. */
static char *put_utf8(char *o, unsigned u)
{
    if (u < 0x80) {
        *o++ = (char)u;
    } else if (u < 0x800) {
        *o++ = (char)(0xC0 | u >> 6);
        *o++ = (char)(0x80 | (u & 0x3F));
    } else {
        *o++ = (char)(0xE0 | u >> 12);
        *o++ = (char)(0x80 | ((u >> 6) & 0x3F));
        *o++ = (char)(0x80 | (u & 0x3F));
    }
    return o;
}

/* One escape after a backslash at q; the end of it, or NULL to fall back. */
static const char *jp_escape(const char *q, const char *end, char **o)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k = q < end ? memchr(from, *q, sizeof from - 1) : NULL;
    if (k) {
        *(*o)++ = to[k - from];
        return q + 1;
    }
    if (q >= end || *q != 'u' || end - q < 5)
        return NULL;
    unsigned u = 0;
    for (int i = 1; i <= 4; i++) {
        int h = hexval(q[i]);
        if (h < 0)
            return NULL;
        u = u << 4 | (unsigned)h;
    }
    /* Surrogate pairs and NUL: rare, and libfyaml's reading is the rule. */
    if (u == 0 || (u >= 0xD800 && u <= 0xDFFF))
        return NULL;
    *o = put_utf8(*o, u);
    return q + 5;
}

/* A character YAML accepts unescaped inside a "-quoted scalar
 * (c-printable, YAML 1.2, 5.1), besides tab which we leave to libfyaml. */
static bool printable(unsigned u)
{
    return (u >= 0x20 && u <= 0x7E) || u == 0x85 || (u >= 0xA0 && u <= 0xD7FF) ||
           (u >= 0xE000 && u <= 0xFFFD) || (u >= 0x10000 && u <= 0x10FFFF);
}

static unsigned decode_utf8(const unsigned char *q, size_t k)
{
    if (k == 2)
        return (unsigned)(q[0] & 0x1F) << 6 | (q[1] & 0x3F);
    if (k == 3)
        return (unsigned)(q[0] & 0x0F) << 12 | (unsigned)(q[1] & 0x3F) << 6 | (q[2] & 0x3F);
    return (unsigned)(q[0] & 0x07) << 18 | (unsigned)(q[1] & 0x3F) << 12 | (unsigned)(q[2] & 0x3F) << 6 |
           (q[3] & 0x3F);
}

/* A string at j->p (its opening quote) as a "-quoted scalar. */
static int jp_string(jparse *j, lic_ynode **out)
{
    lic_ynode *n = jp_node(j, LIC_Y_SCALAR);
    if (!n)
        return JP_NOMEM;
    const char *q = j->p + 1, *end = j->end;
    char *start = j->copy + (q - j->s), *o = start;
    for (;;) {
        if (q >= end)
            return JP_FALLBACK;
        unsigned char c = (unsigned char)*q;
        if (c == '"')
            break;
        if (c == '\\') {
            if (!(q = jp_escape(q + 1, end, &o)))
                return JP_FALLBACK;
        } else if (c >= 0x20 && c < 0x7F) {
            *o++ = (char)c;
            q++;
        } else if (c < 0x80) {
            return JP_FALLBACK;
        } else {
            size_t k = lic__utf8_len((const unsigned char *)q, (size_t)(end - q));
            if (k == 0 || !printable(decode_utf8((const unsigned char *)q, k)))
                return JP_FALLBACK;
            memcpy(o, q, k);
            o += k;
            q += k;
            j->cont += k - 1;
        }
    }
    *o = '\0';
    n->text = start;
    n->len = (size_t)(o - start);
    j->p = q + 1;
    *out = n;
    return JP_OK;
}

static bool digit(const char *q, const char *end)
{
    return q < end && *q >= '0' && *q <= '9';
}

/* A number, true, false or null at j->p, as a plain scalar. */
static int jp_plain(jparse *j, lic_ynode **out)
{
    const char *q = j->p, *end = j->end;
    static const char *const words[] = {"true", "false", "null"};
    bool word = false;
    for (size_t i = 0; i < 3 && !word; i++) {
        size_t k = strlen(words[i]);
        if ((size_t)(end - q) >= k && !memcmp(q, words[i], k))
            q += k, word = true;
    }
    if (!word) {
        q += q < end && *q == '-';
        if (q < end && *q == '0')
            q++;
        else if (!digit(q, end))
            return JP_FALLBACK;
        while (digit(q, end))
            q++;
        if (q < end && *q == '.') {
            if (!digit(++q, end))
                return JP_FALLBACK;
            while (digit(q, end))
                q++;
        }
        if (q < end && (*q == 'e' || *q == 'E')) {
            q++;
            q += q < end && (*q == '+' || *q == '-');
            if (!digit(q, end))
                return JP_FALLBACK;
            while (digit(q, end))
                q++;
        }
    }
    /* What follows must end the token for YAML as it does for JSON. */
    if (q < end && *q != ',' && *q != '}' && *q != ']' && *q != ' ')
        return JP_FALLBACK;
    lic_ynode *n = jp_node(j, LIC_Y_SCALAR);
    if (!n)
        return JP_NOMEM;
    char *text = j->copy + (j->p - j->s);
    n->len = (size_t)(q - j->p);
    memcpy(text, j->p, n->len);
    text[n->len] = '\0';
    n->text = text;
    n->plain = true;
    j->p = q;
    *out = n;
    return JP_OK;
}

/* Copies the children pushed since `from` into the collection n. */
static int jp_close(jparse *j, lic_ynode *n, size_t from)
{
    size_t k = j->nstk - from;
    for (size_t i = from; i < j->nstk; i++)
        n->weight += j->stk[i]->weight;
    if (n->type == LIC_Y_MAP) {
        n->n = k / 2;
        n->pairs = k ? lic__arena_alloc_raw(j->arena, n->n * sizeof *n->pairs) : NULL;
        if (k && !n->pairs)
            return JP_NOMEM;
        for (size_t i = 0; i < n->n; i++)
            n->pairs[i] = (lic_ypair){j->stk[from + 2 * i], j->stk[from + 2 * i + 1]};
    } else {
        n->n = k;
        n->items = k ? lic__arena_alloc_raw(j->arena, k * sizeof *n->items) : NULL;
        if (k && !n->items)
            return JP_NOMEM;
        if (k) /* memcpy's pointers must not be NULL, even for no bytes */
            memcpy(n->items, j->stk + from, k * sizeof *n->items);
    }
    j->nstk = from;
    return JP_OK;
}

/* The key just pushed at the top of a mapping started at `from`: a
 * duplicate or one key too many is libfyaml's to report. */
static bool jp_key_ok(const jparse *j, size_t from)
{
    const lic_ynode *key = j->stk[j->nstk - 1];
    size_t nkeys = (j->nstk - from + 1) / 2;
    if (nkeys > LIC_YAML_MAX_KEYS)
        return false;
    for (size_t i = from; i + 1 < j->nstk; i += 2)
        if (j->stk[i]->len == key->len && !memcmp(j->stk[i]->text, key->text, key->len))
            return false;
    return true;
}

static int jp_collection(jparse *j, int depth, lic_ynode **out)
{
    bool map = *j->p == '{';
    if (depth >= LIC_YAML_MAX_DEPTH)
        return JP_FALLBACK;
    lic_ynode *n = jp_node(j, map ? LIC_Y_MAP : LIC_Y_SEQ);
    if (!n)
        return JP_NOMEM;
    size_t from = j->nstk;
    char close = map ? '}' : ']';
    j->p++;
    jp_space(j);
    int rc = JP_OK;
    if (j->p < j->end && *j->p == close) {
        j->p++;
    } else {
        for (;;) {
            lic_ynode *v = NULL;
            if (map) {
                if (j->p >= j->end || *j->p != '"')
                    return JP_FALLBACK;
                if ((rc = jp_string(j, &v)) || (rc = jp_push(j, v)))
                    return rc;
                if (!jp_key_ok(j, from))
                    return JP_FALLBACK;
                jp_space(j);
                if (j->p >= j->end || *j->p != ':')
                    return JP_FALLBACK;
                j->p++;
                jp_space(j);
            }
            if ((rc = jp_value(j, depth + 1, &v)) || (rc = jp_push(j, v)))
                return rc;
            jp_space(j);
            if (j->p >= j->end)
                return JP_FALLBACK;
            if (*j->p == close) {
                j->p++;
                break;
            }
            if (*j->p != ',')
                return JP_FALLBACK;
            j->p++;
            jp_space(j);
        }
    }
    if ((rc = jp_close(j, n, from)))
        return rc;
    *out = n;
    return JP_OK;
}

static int jp_value(jparse *j, int depth, lic_ynode **out)
{
    if (j->p >= j->end)
        return JP_FALLBACK;
    if (*j->p == '{' || *j->p == '[')
        return jp_collection(j, depth, out);
    if (*j->p == '"')
        return jp_string(j, out);
    return jp_plain(j, out);
}

/* The fast path: JP_OK with *root, JP_FALLBACK, or JP_NOMEM. */
static int jp_line(lic_arena *arena, const char *text, size_t len, int line, lic_ynode **root)
{
    jparse j = {.arena = arena, .s = text, .p = text, .end = text + len, .line = line};
    jp_space(&j);
    if (j.p >= j.end || *j.p != '{')
        return JP_FALLBACK;
    j.copy = lic__arena_alloc_raw(arena, len + 1);
    if (!j.copy)
        return JP_NOMEM;
    int rc = jp_collection(&j, 0, root);
    /* A CR before the line's LF is a line end to YAML too. */
    while (!rc && j.p < j.end && (*j.p == ' ' || *j.p == '\r'))
        j.p++;
    if (!rc && j.p < j.end)
        rc = JP_FALLBACK;
    lic__free(j.stk);
    return rc;
}

lic_err lic__yaml_parse_jsonl(lic_arena *arena, const char *file, const char *text, size_t len,
                              int line_offset, lic_diags *diags, lic_ynode **root)
{
    *root = NULL;
    int rc = jp_line(arena, text, len, line_offset + 1, root);
    if (rc == JP_OK)
        return LIC_OK;
    if (rc == JP_NOMEM)
        return LIC_ENOMEM;
    *root = NULL;
    return lic__yaml_parse(arena, file, text, len, line_offset, diags, root);
}

/* The loader looks up every known key of every mapping: the name's
 * length is taken once, and compared before any bytes. */
lic_ynode *lic__ymap_get(const lic_ynode *map, const char *name)
{
    if (!map || map->type != LIC_Y_MAP)
        return NULL;
    size_t len = strlen(name);
    for (size_t i = 0; i < map->n; i++) {
        const lic_ynode *k = map->pairs[i].key;
        if (k->len == len && k->type == LIC_Y_SCALAR && !memcmp(k->text, name, len))
            return map->pairs[i].value;
    }
    return NULL;
}

/* ld_check_keys tries each key against every allowed name: most differ
 * in the first byte, which is compared before the name is measured. */
bool lic__yscalar_is(const lic_ynode *n, const char *s)
{
    if (!n || n->type != LIC_Y_SCALAR)
        return false;
    if (n->len == 0)
        return s[0] == '\0';
    if (n->text[0] != s[0])
        return false;
    size_t len = strlen(s);
    return n->len == len && !memcmp(n->text, s, len);
}

/* The first buffer for a file: its size and a byte to see the end by
 * (a regular file's size is known), else 64 KiB.  Not 64 KiB for every
 * file: loading a thousand agreements of a few hundred bytes on a second
 * thread, each 64 KiB block freed gave its arena's pages back and the
 * next took them again (1,215 mprotect calls, a page fault a file). */
static size_t first_cap(int fd, size_t max)
{
    struct stat sb;
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size < 0 || (uint64_t)sb.st_size > max)
        return 65536;
    return (size_t)sb.st_size + 1;
}

/* Reads fd to its end into p (cap bytes, growing, at most max + 1). */
static lic_err read_all(int fd, size_t max, char **p, size_t cap, size_t *n)
{
    for (;;) {
        if (*n == cap) {
            if (cap > max)
                return LIC_ETOOBIG;
            char *q = lic__realloc(*p, cap * 2 + 1);
            if (!q)
                return LIC_ENOMEM;
            *p = q;
            cap *= 2;
        }
        ssize_t got = read(fd, *p + *n, cap - *n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return LIC_EIO;
        if (got == 0)
            return LIC_OK;
        *n += (size_t)got;
    }
}

lic_err lic__read_file(const char *path, size_t max, char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return LIC_EIO;
    size_t cap = first_cap(fd, max), n = 0;
    char *p = lic__malloc(cap + 1);
    lic_err rc = p ? read_all(fd, max, &p, cap, &n) : LIC_ENOMEM;
    int saved = errno;
    close(fd);
    errno = saved;
    if (!rc && n > max)
        rc = LIC_ETOOBIG;
    if (rc) {
        lic__free(p);
        return rc;
    }
    p[n] = '\0';
    *buf = p;
    *len = n;
    return LIC_OK;
}

lic_err lic__read_input(const char *path, lic_diags *diags, char **buf, size_t *len)
{
    lic_err rc = lic__read_file(path, LIC_YAML_MAX_BYTES, buf, len);
    if (rc == LIC_EIO || rc == LIC_ETOOBIG) {
        lic_err rc2 = lic_diags_add(diags, LIC_SEV_ERROR, path, 0, 0, "io", "",
                                    rc == LIC_EIO ? "cannot read the file" : "file larger than 16 MiB");
        return rc2 ? rc2 : rc;
    }
    return rc;
}
