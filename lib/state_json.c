/*
 * state_json.c - lic_state_json(): the FORMAT 5 object of a state, keys in
 * the order FORMAT 5 lists them, amounts as decimal strings, dates as
 * strings or null.
 *
 * The text is written straight into one growing buffer.  It is byte for
 * byte what jansson printed for the same object built as a tree and
 * dumped with JSON_PRESERVE_ORDER | JSON_INDENT(2) (as lic_state_json did
 * until it went direct, and as lic_statement_json still does):
 *
 *   - "{" or "[", then each member on its own line indented two spaces a
 *     level, members separated by ","; "}" or "]" on its own line at the
 *     container's level; an empty container is "{}" or "[]";
 *   - a member is "\"key\": value"; integers in decimal, true, false,
 *     null;
 *   - strings escape '"' and '\\' with a backslash, \b \f \n \r \t by
 *     name and the other bytes below 0x20 as \u00XX (upper-case hex); all
 *     else, UTF-8 included, is copied;
 *   - a string that is NULL or not valid UTF-8 was no jansson value at
 *     all (json_string returned NULL), so setting it failed: its member,
 *     or array element, is left out entirely (jstr: NULL is null).
 *
 * Why not jansson: a state of a ten-year deal is some 2,500 small jansson
 * nodes, each malloc'd and freed; rendering took eight times as long as
 * evaluating, and the freed nodes left glibc's fast bins full, so that
 * the next evaluation's first large allocation sorted them (about 15,000
 * instructions and 450 cache misses an evaluation in bench/engine.sh's
 * loop).  tests/unit/test_state_json.c parses this text with jansson and
 * dumps it back: the two must be the same bytes.
 */
#include "engine_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "receipt.h"
#include "utf8.h"

typedef struct jw {
    lic__buf b;
    int depth;   /* containers open */
    bool empty;  /* the innermost container has no member yet */
} jw;

/* Appends n bytes.  The buffer is NUL-terminated only at the end
 * (lic_state_json): most pieces are a few bytes, and lic__buf_put's call
 * and terminator cost more than the copy. */
static inline void put(jw *w, const char *s, size_t n)
{
    if (w->b.cap - w->b.n > n) {
        memcpy(w->b.v + w->b.n, s, n);
        w->b.n += n;
    } else
        lic__buf_put(&w->b, s, n);
}

#define PUT_LIT(w, lit) put((w), (lit), sizeof(lit) - 1)

/* A new line indented two spaces a level (depth is at most 4 here; the
 * loop keeps any depth right). */
static void newline(jw *w)
{
    static const char ws[] = "\n                                ";
    size_t n = (size_t)w->depth * 2;
    put(w, ws, n < sizeof ws - 2 ? n + 1 : sizeof ws - 1);
    for (n = n < sizeof ws - 2 ? 0 : n - (sizeof ws - 2); n; ) {
        size_t k = n < sizeof ws - 2 ? n : sizeof ws - 2;
        put(w, ws + 1, k);
        n -= k;
    }
}

/* Before a member or an element: the separator from the one before. */
static void sep(jw *w)
{
    if (!w->empty)
        PUT_LIT(w, ",");
    newline(w);
    w->empty = false;
}

static void open_c(jw *w, char c)
{
    put(w, &c, 1);
    w->depth++;
    w->empty = true;
}

static void close_c(jw *w, char c)
{
    w->depth--;
    if (!w->empty)
        newline(w);
    put(w, &c, 1);
    w->empty = false; /* its parent holds it */
}

/* The member's key (FORMAT 5's keys are plain ASCII: no escapes). */
static void key(jw *w, const char *k)
{
    sep(w);
    PUT_LIT(w, "\"");
    put(w, k, strlen(k));
    PUT_LIT(w, "\": ");
}

/* Would jansson take s as a string (json_string(s) not NULL)? */
static bool str_ok(const char *s)
{
    if (!s)
        return false;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n) {
        size_t k = *p < 0x80 ? 1 : lic__utf8_len(p, n);
        if (!k)
            return false;
        p += k, n -= k;
    }
    return true;
}

/* s quoted and escaped as jansson's dump_string does (s is valid). */
static void quoted(jw *w, const char *s)
{
    PUT_LIT(w, "\"");
    const char *run = s;
    for (;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (s > run)
            put(w, run, (size_t)(s - run));
        if (!c)
            break;
        char esc[8] = {'\\', 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default: {
            static const char hex[] = "0123456789ABCDEF";
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        }
        put(w, esc, n);
        run = s + 1;
    }
    PUT_LIT(w, "\"");
}

/* A string member; left out when s is NULL or not valid UTF-8. */
static void m_str(jw *w, const char *k, const char *s)
{
    if (!str_ok(s))
        return;
    key(w, k);
    quoted(w, s);
}

/* A string element of an array; left out like m_str's. */
static void e_str(jw *w, const char *s)
{
    if (!str_ok(s))
        return;
    sep(w);
    quoted(w, s);
}

static void m_null(jw *w, const char *k)
{
    key(w, k);
    PUT_LIT(w, "null");
}

/* A nullable string: NULL is null (lic__jstr). */
static void m_nstr(jw *w, const char *k, const char *s)
{
    if (s)
        m_str(w, k, s);
    else
        m_null(w, k);
}

static void m_date(jw *w, const char *k, lic_date d)
{
    if (d == LIC_DATE_NONE) {
        m_null(w, k);
        return;
    }
    char buf[LIC_DATE_STRLEN];
    lic_date_str(d, buf);
    m_str(w, k, buf);
}

static void m_amount(jw *w, const lic_state *s, const char *k, lic_amount v, bool known)
{
    if (!known) {
        m_null(w, k);
        return;
    }
    char buf[48];
    lic_amount_format(v, s->agreement->currency->digits, buf, sizeof buf);
    m_str(w, k, buf);
}

static void m_int(jw *w, const char *k, long long v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", v);
    key(w, k);
    put(w, buf, n > 0 ? (size_t)n : 0);
}

static void m_bool(jw *w, const char *k, bool v)
{
    key(w, k);
    if (v)
        PUT_LIT(w, "true");
    else
        PUT_LIT(w, "false");
}

/* Opens an object or array as member k (NULL: as an array element). */
static void m_open(jw *w, const char *k, char c)
{
    if (k)
        key(w, k);
    else
        sep(w);
    open_c(w, c);
}

static void territories(jw *w, const char *k, const lic_tset *t)
{
    m_open(w, k, '[');
    for (int i = lic_tset_next(t, 0); i >= 0; i = lic_tset_next(t, i + 1))
        e_str(w, lic_country_code(i));
    close_c(w, ']');
}

/* Fields as the shortest list of paths: a field whose parent is in the
 * set is covered by the parent. */
static void fields(jw *w, const char *k, const lic_agreement *ag, const lic_fset *f)
{
    m_open(w, k, '[');
    size_t n = lic_fieldtree_count(ag->fields);
    for (size_t i = 0; i < n; i++) {
        int p = lic_fieldtree_parent(ag->fields, (int)i);
        if (lic_fset_has(f, (int)i) && (p < 0 || !lic_fset_has(f, p)))
            e_str(w, lic_fieldtree_path(ag->fields, (int)i));
    }
    close_c(w, ']');
}

static void grants(jw *w, const lic_state *s)
{
    m_open(w, "grants", '[');
    for (size_t i = 0; i < s->ngrants; i++) {
        const lic_st_grant *g = &s->grants[i];
        m_open(w, NULL, '{');
        m_str(w, "id", g->id);
        fields(w, "fields", s->agreement, &g->fields);
        territories(w, "territories", &g->territories);
        m_str(w, "exclusivity", lic_exclusivity_name(g->exclusivity));
        m_date(w, "from", g->from);
        m_date(w, "until", g->until);
        if (g->changed_by) {
            m_str(w, "changed_by", g->changed_by);
            m_date(w, "changed_on", g->changed_on);
        }
        close_c(w, '}');
    }
    close_c(w, ']');
}

static void milestones(jw *w, const lic_state *s)
{
    m_open(w, "milestones", '[');
    for (size_t i = 0; i < s->nmilestones; i++) {
        const lic_st_milestone *m = &s->milestones[i];
        m_open(w, NULL, '{');
        m_str(w, "id", m->id);
        m_str(w, "status", m->status);
        m_date(w, "due", m->due);
        m_date(w, "achieved_on", m->achieved_on);
        if (m->accepted_on != LIC_DATE_NONE)
            m_date(w, "accepted_on", m->accepted_on);
        if (m->original_due != m->due)
            m_date(w, "original_due", m->original_due);
        if (m->extensions)
            m_int(w, "extensions", m->extensions);
        if (m->shifted_days)
            m_int(w, "shifted_days", m->shifted_days);
        if (m->indeterminate)
            m_str(w, "indeterminate", m->indeterminate);
        close_c(w, '}');
    }
    close_c(w, ']');
}

static void obligations(jw *w, const lic_state *s)
{
    m_open(w, "obligations", '[');
    for (size_t i = 0; i < s->nobligations; i++) {
        const lic_st_obligation *x = &s->obligations[i];
        m_open(w, NULL, '{');
        m_str(w, "id", x->id);
        m_str(w, "kind", x->kind);
        m_date(w, "due", x->due);
        m_str(w, "status", x->status);
        m_date(w, "done_on", x->done_on);
        close_c(w, '}');
    }
    close_c(w, ']');
}

static void breaches(jw *w, const lic_state *s)
{
    m_open(w, "breaches", '[');
    for (size_t i = 0; i < s->nbreaches; i++) {
        const lic_st_breach *b = &s->breaches[i];
        m_open(w, NULL, '{');
        m_str(w, "id", b->id);
        m_str(w, "class", b->cls);
        m_str(w, "ref", b->ref);
        m_str(w, "party", lic_party_role_name(b->party));
        m_date(w, "since", b->since);
        m_date(w, "notice", b->notice);
        m_date(w, "cure_by", b->cure_by);
        m_str(w, "status", b->status);
        if (b->resolved_on != LIC_DATE_NONE)
            m_date(w, "resolved_on", b->resolved_on);
        if (b->indeterminate)
            m_str(w, "indeterminate", b->indeterminate);
        close_c(w, '}');
    }
    close_c(w, ']');
}

static void remedy_terms(jw *w, const lic_state *s, const lic_remedy *r)
{
    char buf[48];
    if (r->action == LIC_ACT_ROYALTY_INCREASE && r->add.st == LIC_V_KNOWN) {
        lic_rate_format_percent(r->add.v, buf, sizeof buf);
        m_str(w, "add", buf);
    }
    if (r->grant)
        m_str(w, "grant", r->grant);
    if (r->part.has_territories)
        territories(w, "territories", &r->part.territories);
    if (r->part.has_fields)
        fields(w, "fields", s->agreement, &r->part.fields);
    if (r->action == LIC_ACT_STEP_DOWN)
        m_str(w, "to", lic_exclusivity_name(r->to));
    if (r->action == LIC_ACT_FEE)
        m_amount(w, s, "amount", r->amount.v, r->amount.st == LIC_V_KNOWN);
}

static void rights(jw *w, const lic_state *s)
{
    m_open(w, "rights", '[');
    for (size_t i = 0; i < s->nrights; i++) {
        const lic_st_right *r = &s->rights[i];
        m_open(w, NULL, '{');
        m_str(w, "id", r->id);
        m_str(w, "holder", lic_party_role_name(r->holder));
        m_str(w, "action", lic_action_name(r->remedy->action));
        m_date(w, "since", r->since);
        m_bool(w, "applied", r->applied);
        m_date(w, "applied_on", r->applied_on);
        m_str(w, "status", r->status);
        if (r->until != LIC_DATE_NONE)
            m_date(w, "until", r->until);
        if (r->breach)
            m_str(w, "breach", r->breach);
        remedy_terms(w, s, r->remedy);
        close_c(w, '}');
    }
    close_c(w, ']');
}

static void invoices(jw *w, const lic_state *s)
{
    const char *cur = s->agreement->currency->code;
    m_open(w, "invoices", '[');
    for (size_t i = 0; i < s->ninvoices; i++) {
        const lic_st_invoice *v = &s->invoices[i];
        m_open(w, NULL, '{');
        m_str(w, "id", v->id);
        m_str(w, "kind", v->kind);
        m_amount(w, s, "amount", v->amount, v->known);
        m_str(w, "currency", cur);
        m_date(w, "due", v->due);
        m_amount(w, s, "paid", v->paid, v->known);
        m_str(w, "status", v->status);
        m_amount(w, s, "interest", v->interest, v->known && v->interest_known);
        if (v->paid_on != LIC_DATE_NONE)
            m_date(w, "paid_on", v->paid_on);
        if (v->audit) {
            m_amount(w, s, "underpayment", v->underpayment, v->known);
            m_amount(w, s, "interest_to_audit", v->interest_to_audit, v->known);
        }
        if (v->indeterminate)
            m_str(w, "indeterminate", v->indeterminate);
        close_c(w, '}');
    }
    close_c(w, ']');
}

static void balance(jw *w, const lic_state *s)
{
    bool k = s->balance.known;
    bool ik = true; /* an invoice of unknown amount not yet due bears no interest */
    for (size_t i = 0; i < s->ninvoices; i++)
        ik = ik && s->invoices[i].interest_known;
    m_open(w, "balance", '{');
    m_amount(w, s, "open", s->balance.open, k);
    m_amount(w, s, "overdue", s->balance.overdue, s->balance.overdue_known);
    m_amount(w, s, "interest", s->balance.interest, ik);
    m_amount(w, s, "credit", s->balance.credit, true);
    close_c(w, '}');
}

static void small_lists(jw *w, const lic_state *s)
{
    m_open(w, "deadlines", '[');
    for (size_t i = 0; i < s->ndeadlines; i++) {
        m_open(w, NULL, '{');
        m_date(w, "date", s->deadlines[i].date);
        m_str(w, "what", s->deadlines[i].what);
        m_nstr(w, "ref", s->deadlines[i].ref);
        close_c(w, '}');
    }
    close_c(w, ']');
    m_open(w, "windows", '[');
    for (size_t i = 0; i < s->nwindows; i++) {
        m_open(w, NULL, '{');
        m_str(w, "kind", s->windows[i].kind);
        m_str(w, "id", s->windows[i].id);
        m_date(w, "from", s->windows[i].from);
        m_date(w, "until", s->windows[i].until);
        close_c(w, '}');
    }
    close_c(w, ']');
    m_open(w, "flags", '[');
    for (size_t i = 0; i < s->nflags; i++) {
        m_open(w, NULL, '{');
        m_str(w, "kind", s->flags[i].kind);
        m_nstr(w, "period", s->flags[i].period);
        m_str(w, "detail", s->flags[i].detail);
        close_c(w, '}');
    }
    close_c(w, ']');
    m_open(w, "royalty_adjustments", '[');
    for (size_t i = 0; i < s->nadjustments; i++) {
        char buf[48];
        lic_rate_format_percent(s->adjustments[i].add, buf, sizeof buf);
        m_open(w, NULL, '{');
        m_date(w, "since", s->adjustments[i].since);
        m_str(w, "add", buf);
        m_str(w, "source", s->adjustments[i].source);
        close_c(w, '}');
    }
    close_c(w, ']');
    m_open(w, "indeterminate", '[');
    for (size_t i = 0; i < s->nindeterminate; i++) {
        m_open(w, NULL, '{');
        m_str(w, "what", s->indeterminate[i].what);
        m_str(w, "term", s->indeterminate[i].term);
        m_str(w, "state", s->indeterminate[i].state);
        close_c(w, '}');
    }
    close_c(w, ']');
}

static void rejected(jw *w, const lic_state *s)
{
    m_open(w, "rejected", '[');
    for (size_t i = 0; i < s->nrejected; i++) {
        char where[600];
        lic_event_where(s->events, s->rejected[i].event, where, sizeof where);
        m_open(w, NULL, '{');
        m_str(w, "event", s->rejected[i].event->id);
        m_str(w, "at", where);
        m_str(w, "reason", s->rejected[i].reason);
        close_c(w, '}');
    }
    close_c(w, ']');
}

/* The receipt of FORMAT 5: the inputs' SHA-256 in hex and the engine
 * (lic__jreceipt's: receipt.h). */
static void receipt(jw *w, const unsigned char sha256[32])
{
    char hex[65];
    lic__receipt_hex(sha256, hex);
    m_open(w, "receipt", '{');
    m_str(w, "inputs_sha256", hex);
    m_str(w, "engine", LIC__RECEIPT_ENGINE);
    close_c(w, '}');
}

char *lic_state_json(const lic_state *s)
{
    jw w = {.depth = 0, .empty = true};
    lic__buf_put(&w.b, "{", 1); /* the first put allocates (cap was 0) */
    w.b.n = 0;
    open_c(&w, '{');
    m_str(&w, "agreement", s->agreement->id);
    m_date(&w, "as_of", s->as_of);
    if (s->known_at != LIC_DATE_NONE)
        m_date(&w, "known_at", s->known_at);
    m_str(&w, "state", lic_deal_state_name(s->state));
    if (s->termination_notice != LIC_DATE_NONE && s->termination_notice <= s->as_of) {
        m_date(&w, "termination_effective", s->termination_effective);
        m_date(&w, "sell_off_until", s->sell_off_until);
    }
    m_date(&w, "first_sale", s->first_sale);
    grants(&w, s);
    milestones(&w, s);
    obligations(&w, s);
    breaches(&w, s);
    rights(&w, s);
    invoices(&w, s);
    balance(&w, s);
    small_lists(&w, s);
    rejected(&w, s);
    receipt(&w, s->inputs_sha256);
    close_c(&w, '}');
    PUT_LIT(&w, "\n");
    if (w.b.oom) {
        lic__free(w.b.v);
        return NULL;
    }
    w.b.v[w.b.n] = '\0'; /* put leaves room for it */
    return w.b.v;
}
