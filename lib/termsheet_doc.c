/*
 * termsheet_doc.c - the term sheet's document model and its two emitters.
 *
 * Sections build a list of blocks (headings, paragraphs, bullet lists,
 * tables) of plain text in an arena; lic__ts_emit writes them as Markdown
 * or as a standalone HTML5 page.  Escaping happens only here: Markdown
 * needs little (table cells must not break the row), HTML needs all of
 * & < > " '.  See termsheet_int.h for the sticky-error convention.
 */
#include "termsheet_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "licet/termsheet.h"

/* ------------------------------------------------------------------ */
/* Growable buffer                                                     */
/* ------------------------------------------------------------------ */

void lic__tsbuf_init(lic__tsbuf *b, size_t max)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->max = max;
    b->err = LIC_OK;
}

void lic__tsbuf_fini(lic__tsbuf *b)
{
    lic__free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* Makes room for `extra` more bytes and a NUL; false (error set) if not. */
static bool buf_reserve(lic__tsbuf *b, size_t extra)
{
    if (b->err)
        return false;
    if (extra > b->max || b->len > b->max - extra) {
        b->err = LIC_ETOOBIG;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = lic__realloc(b->p, cap);
    if (!p) {
        b->err = LIC_ENOMEM;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void lic__tsbuf_addn(lic__tsbuf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void lic__tsbuf_add(lic__tsbuf *b, const char *s)
{
    lic__tsbuf_addn(b, s, strlen(s));
}

void lic__tsbuf_addf(lic__tsbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* ------------------------------------------------------------------ */
/* Building the document                                               */
/* ------------------------------------------------------------------ */

void lic__ts_init(lic__ts *d, const lic_agreement *a)
{
    memset(d, 0, sizeof *d);
    d->a = a;
    lic__arena_init(&d->arena);
}

void lic__ts_fini(lic__ts *d)
{
    lic__arena_fini(&d->arena);
    d->first = d->last = NULL;
}

/* Arena memory, or NULL with the error recorded.  The model is bounded by
 * the same cap as the output, so a huge agreement fails early. */
static void *ts_alloc(lic__ts *d, size_t n)
{
    if (d->err)
        return NULL;
    if (d->arena.used_total > LIC_TERMSHEET_MAX_BYTES) {
        d->err = LIC_ETOOBIG;
        return NULL;
    }
    void *p = lic__arena_alloc(&d->arena, n);
    if (!p)
        d->err = LIC_ENOMEM;
    return p;
}

char *lic__ts_buf(lic__ts *d, size_t n)
{
    return ts_alloc(d, n);
}

static const char *ts_strndup(lic__ts *d, const char *s, size_t n)
{
    char *r = ts_alloc(d, n + 1);
    if (!r)
        return "";
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

const char *lic__ts_fmt(lic__ts *d, const char *fmt, ...)
{
    if (d->err)
        return "";
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return "";
    char *r = ts_alloc(d, (size_t)n + 1);
    if (!r)
        return "";
    va_start(ap, fmt);
    vsnprintf(r, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return r;
}

const char *lic__ts_take(lic__ts *d, lic__tsbuf *b)
{
    const char *r = "";
    if (b->err && !d->err)
        d->err = b->err;
    else if (!b->err && b->len > 0)
        r = ts_strndup(d, b->p, b->len);
    lic__tsbuf_fini(b);
    return r;
}

static lic__ts_block *ts_block(lic__ts *d, lic__ts_kind kind)
{
    lic__ts_block *blk = ts_alloc(d, sizeof *blk);
    if (!blk)
        return NULL;
    blk->kind = kind;
    if (d->last)
        d->last->next = blk;
    else
        d->first = blk;
    d->last = blk;
    return blk;
}

void lic__ts_heading(lic__ts *d, int level, const char *text)
{
    lic__ts_block *blk = ts_block(d, LIC__TS_HEADING);
    if (!blk)
        return;
    blk->level = level < 1 ? 1 : level > 4 ? 4 : level;
    blk->text = text ? text : "";
}

void lic__ts_para(lic__ts *d, const char *text)
{
    lic__ts_block *blk = ts_block(d, LIC__TS_PARA);
    if (blk)
        blk->text = text ? text : "";
}

void lic__ts_list(lic__ts *d)
{
    (void)ts_block(d, LIC__TS_LIST);
}

void lic__ts_item(lic__ts *d, const char *label, const char *text)
{
    if (!d->last || d->last->kind != LIC__TS_LIST)
        lic__ts_list(d);
    lic__ts_itemnode *it = ts_alloc(d, sizeof *it);
    if (!it)
        return;
    it->label = label;
    it->text = text ? text : "";
    lic__ts_block *blk = d->last;
    if (blk->last_item)
        blk->last_item->next = it;
    else
        blk->items = it;
    blk->last_item = it;
}

void lic__ts_table(lic__ts *d, int ncols, const char *const *head)
{
    lic__ts_block *blk = ts_block(d, LIC__TS_TABLE);
    if (!blk)
        return;
    blk->ncols = ncols < 1 ? 1 : ncols > LIC__TS_MAX_COLS ? LIC__TS_MAX_COLS : ncols;
    for (int i = 0; i < blk->ncols; i++)
        blk->head[i] = head[i] ? head[i] : "";
}

void lic__ts_row(lic__ts *d, const char *const *cells)
{
    if (d->err || !d->last || d->last->kind != LIC__TS_TABLE)
        return;
    lic__ts_rownode *row = ts_alloc(d, sizeof *row);
    if (!row)
        return;
    lic__ts_block *blk = d->last;
    for (int i = 0; i < blk->ncols; i++)
        row->cells[i] = cells[i] ? cells[i] : "";
    if (blk->last_row)
        blk->last_row->next = row;
    else
        blk->rows = row;
    blk->last_row = row;
}

/* ------------------------------------------------------------------ */
/* Markdown                                                            */
/* ------------------------------------------------------------------ */

/* Inline text: a line break would end the block, so it becomes a space;
 * inside a table cell '|' would end the cell, so it is escaped. */
static void md_text(lic__tsbuf *b, const char *s, bool cell)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        if (*s == '\n' || *s == '\r' || *s == '\t')
            rep = " ";
        else if (cell && *s == '|')
            rep = "\\|";
        if (!rep)
            continue;
        lic__tsbuf_addn(b, run, (size_t)(s - run));
        lic__tsbuf_add(b, rep);
        run = s + 1;
    }
    lic__tsbuf_add(b, run);
}

static void md_table(lic__tsbuf *b, const lic__ts_block *blk)
{
    lic__tsbuf_add(b, "|");
    for (int i = 0; i < blk->ncols; i++) {
        lic__tsbuf_add(b, " ");
        md_text(b, blk->head[i], true);
        lic__tsbuf_add(b, " |");
    }
    lic__tsbuf_add(b, "\n|");
    for (int i = 0; i < blk->ncols; i++)
        lic__tsbuf_add(b, "---|");
    lic__tsbuf_add(b, "\n");
    for (const lic__ts_rownode *r = blk->rows; r; r = r->next) {
        lic__tsbuf_add(b, "|");
        for (int i = 0; i < blk->ncols; i++) {
            lic__tsbuf_add(b, " ");
            md_text(b, r->cells[i], true);
            lic__tsbuf_add(b, " |");
        }
        lic__tsbuf_add(b, "\n");
    }
}

static void md_block(lic__tsbuf *b, const lic__ts_block *blk)
{
    switch (blk->kind) {
    case LIC__TS_HEADING:
        lic__tsbuf_addn(b, "####", (size_t)blk->level);
        lic__tsbuf_add(b, " ");
        md_text(b, blk->text, false);
        lic__tsbuf_add(b, "\n");
        break;
    case LIC__TS_PARA:
        md_text(b, blk->text, false);
        lic__tsbuf_add(b, "\n");
        break;
    case LIC__TS_LIST:
        for (const lic__ts_itemnode *it = blk->items; it; it = it->next) {
            lic__tsbuf_add(b, "- ");
            if (it->label) {
                lic__tsbuf_add(b, "**");
                md_text(b, it->label, false);
                lic__tsbuf_add(b, ":** ");
            }
            md_text(b, it->text, false);
            lic__tsbuf_add(b, "\n");
        }
        break;
    case LIC__TS_TABLE:
        md_table(b, blk);
        break;
    }
}

/* A list that got no items (its section had nothing to say) is not
 * written at all, in either format. */
static bool block_empty(const lic__ts_block *blk)
{
    return blk->kind == LIC__TS_LIST && !blk->items;
}

static void emit_markdown(lic__tsbuf *b, const lic__ts *d)
{
    bool first = true;
    for (const lic__ts_block *blk = d->first; blk; blk = blk->next) {
        if (block_empty(blk))
            continue;
        if (!first)
            lic__tsbuf_add(b, "\n"); /* a blank line between blocks */
        md_block(b, blk);
        first = false;
    }
}

/* ------------------------------------------------------------------ */
/* HTML                                                                */
/* ------------------------------------------------------------------ */

static void html_text(lic__tsbuf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (!rep)
            continue;
        lic__tsbuf_addn(b, run, (size_t)(s - run));
        lic__tsbuf_add(b, rep);
        run = s + 1;
    }
    lic__tsbuf_add(b, run);
}

static void html_table(lic__tsbuf *b, const lic__ts_block *blk)
{
    lic__tsbuf_add(b, "<table>\n<thead><tr>");
    for (int i = 0; i < blk->ncols; i++) {
        lic__tsbuf_add(b, "<th>");
        html_text(b, blk->head[i]);
        lic__tsbuf_add(b, "</th>");
    }
    lic__tsbuf_add(b, "</tr></thead>\n<tbody>\n");
    for (const lic__ts_rownode *r = blk->rows; r; r = r->next) {
        lic__tsbuf_add(b, "<tr>");
        for (int i = 0; i < blk->ncols; i++) {
            lic__tsbuf_add(b, "<td>");
            html_text(b, r->cells[i]);
            lic__tsbuf_add(b, "</td>");
        }
        lic__tsbuf_add(b, "</tr>\n");
    }
    lic__tsbuf_add(b, "</tbody>\n</table>\n");
}

static void html_block(lic__tsbuf *b, const lic__ts_block *blk)
{
    switch (blk->kind) {
    case LIC__TS_HEADING:
        lic__tsbuf_addf(b, "<h%d>", blk->level);
        html_text(b, blk->text);
        lic__tsbuf_addf(b, "</h%d>\n", blk->level);
        break;
    case LIC__TS_PARA:
        lic__tsbuf_add(b, "<p>");
        html_text(b, blk->text);
        lic__tsbuf_add(b, "</p>\n");
        break;
    case LIC__TS_LIST:
        lic__tsbuf_add(b, "<ul>\n");
        for (const lic__ts_itemnode *it = blk->items; it; it = it->next) {
            lic__tsbuf_add(b, "<li>");
            if (it->label) {
                lic__tsbuf_add(b, "<strong>");
                html_text(b, it->label);
                lic__tsbuf_add(b, ":</strong> ");
            }
            html_text(b, it->text);
            lic__tsbuf_add(b, "</li>\n");
        }
        lic__tsbuf_add(b, "</ul>\n");
        break;
    case LIC__TS_TABLE:
        html_table(b, blk);
        break;
    }
}

static const char html_style[] =
    "body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;"
    "padding:0 1em;line-height:1.45;color:#222}\n"
    "h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}\n"
    "table{border-collapse:collapse;margin:.5em 0}\n"
    "th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;"
    "vertical-align:top}\nth{background:#f2f2f2}\n";

static void emit_html(lic__tsbuf *b, const lic__ts *d)
{
    /* The page title is the first heading's text. */
    const char *title = "Term sheet";
    if (d->first && d->first->kind == LIC__TS_HEADING)
        title = d->first->text;
    lic__tsbuf_add(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                      "<meta charset=\"utf-8\">\n<title>");
    html_text(b, title);
    lic__tsbuf_add(b, "</title>\n<style>\n");
    lic__tsbuf_add(b, html_style);
    lic__tsbuf_add(b, "</style>\n</head>\n<body>\n");
    for (const lic__ts_block *blk = d->first; blk; blk = blk->next)
        if (!block_empty(blk))
            html_block(b, blk);
    lic__tsbuf_add(b, "</body>\n</html>\n");
}

lic_err lic__ts_emit(const lic__ts *d, bool html, char **out, size_t *len)
{
    lic__tsbuf b;
    lic__tsbuf_init(&b, LIC_TERMSHEET_MAX_BYTES);
    if (html)
        emit_html(&b, d);
    else
        emit_markdown(&b, d);
    if (!b.err && b.len == 0)
        lic__tsbuf_add(&b, "\n"); /* an empty document is still a line */
    if (b.err) {
        lic_err rc = b.err;
        lic__tsbuf_fini(&b);
        return rc;
    }
    *out = b.p;
    if (len)
        *len = b.len;
    return LIC_OK;
}
