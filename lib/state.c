/*
 * state.c - the engine's state: the documented order of its lists and
 * the FORMAT 5 JSON object (jansson, keys in the order FORMAT 5 lists
 * them, amounts as decimal strings, dates as strings or null).
 *
 * Orders: grants by id, from, exclusivity, first country, first field;
 * milestones as in the agreement; obligations and invoices by due date
 * then id; breaches and rights by since then id; deadlines by date then
 * what; windows by from, kind, id; flags by period, kind, detail;
 * rejected events in file order;
 * indeterminate items by what.
 */
#include "engine_int.h"

#include "jsonout.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static int cmp_grant(const void *x, const void *y)
{
    const lic_st_grant *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    if (!c)
        c = CMP(a->from, b->from);
    if (!c)
        c = CMP(a->exclusivity, b->exclusivity);
    if (!c)
        c = CMP(lic_tset_next(&a->territories, 0), lic_tset_next(&b->territories, 0));
    for (int i = 0; !c && i < LIC_FSET_WORDS; i++)
        c = CMP(a->fields.w[i], b->fields.w[i]);
    return c;
}

static int cmp_obl(const void *x, const void *y)
{
    const lic_st_obligation *a = x, *b = y;
    int c = CMP(a->due, b->due);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_breach(const void *x, const void *y)
{
    const lic_st_breach *a = x, *b = y;
    int c = CMP(a->since, b->since);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_right(const void *x, const void *y)
{
    const lic_st_right *a = x, *b = y;
    int c = CMP(a->since, b->since);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_inv(const void *x, const void *y)
{
    const lic_st_invoice *a = x, *b = y;
    int c = CMP(a->due, b->due);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_dl(const void *x, const void *y)
{
    const lic_st_deadline *a = x, *b = y;
    int c = CMP(a->date, b->date);
    return c ? c : strcmp(a->what, b->what);
}

static int cmp_win(const void *x, const void *y)
{
    const lic_st_window *a = x, *b = y;
    int c = CMP(a->from, b->from);
    if (!c)
        c = strcmp(a->kind, b->kind);
    return c ? c : strcmp(a->id, b->id);
}

static int cmp_flag(const void *x, const void *y)
{
    const lic_st_flag *a = x, *b = y;
    int c = strcmp(a->period ? a->period : "", b->period ? b->period : "");
    if (!c)
        c = strcmp(a->kind, b->kind);
    return c ? c : strcmp(a->detail, b->detail);
}

static int cmp_rej(const void *x, const void *y)
{
    const lic_st_rejected *a = x, *b = y;
    return CMP(a->event->seq, b->event->seq);
}

static int cmp_ind(const void *x, const void *y)
{
    const lic_st_indet *a = x, *b = y;
    return strcmp(a->what, b->what);
}

static int cmp_adj(const void *x, const void *y)
{
    const lic_st_adjustment *a = x, *b = y;
    int c = CMP(a->since, b->since);
    return c ? c : strcmp(a->source, b->source);
}

/* eng_sort: lists are built as a few runs in order (it merges them). */
#define SORT(s, list, fn) \
    if ((s)->n##list > 1) eng_sort((s)->list, (s)->n##list, sizeof *(s)->list, fn)

lic_err lic__state_sort(lic_state *s)
{
    SORT(s, grants, cmp_grant);
    SORT(s, obligations, cmp_obl);
    SORT(s, breaches, cmp_breach);
    SORT(s, rights, cmp_right);
    SORT(s, invoices, cmp_inv);
    SORT(s, deadlines, cmp_dl);
    SORT(s, windows, cmp_win);
    SORT(s, flags, cmp_flag);
    SORT(s, rejected, cmp_rej);
    SORT(s, indeterminate, cmp_ind);
    SORT(s, adjustments, cmp_adj);
    return LIC_OK;
}

/* ---- JSON ---- */

#define jdate lic__jdate
#define jstr lic__jstr

static json_t *jamount(const lic_state *s, lic_amount v, bool known)
{
    return lic__jamount(v, s->agreement->currency->digits, known);
}

static json_t *jterritories(const lic_tset *t)
{
    json_t *a = json_array();
    for (int i = lic_tset_next(t, 0); i >= 0; i = lic_tset_next(t, i + 1))
        json_array_append_new(a, json_string(lic_country_code(i)));
    return a;
}

/* Fields as the shortest list of paths: a field whose parent is in the
 * set is covered by the parent. */
static json_t *jfields(const lic_agreement *ag, const lic_fset *f)
{
    json_t *a = json_array();
    size_t n = lic_fieldtree_count(ag->fields);
    for (size_t i = 0; i < n; i++) {
        int p = lic_fieldtree_parent(ag->fields, (int)i);
        if (lic_fset_has(f, (int)i) && (p < 0 || !lic_fset_has(f, p)))
            json_array_append_new(a, json_string(lic_fieldtree_path(ag->fields, (int)i)));
    }
    return a;
}

static json_t *grants(const lic_state *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->ngrants; i++) {
        const lic_st_grant *g = &s->grants[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(g->id));
        json_object_set_new(o, "fields", jfields(s->agreement, &g->fields));
        json_object_set_new(o, "territories", jterritories(&g->territories));
        json_object_set_new(o, "exclusivity", json_string(lic_exclusivity_name(g->exclusivity)));
        json_object_set_new(o, "from", jdate(g->from));
        json_object_set_new(o, "until", jdate(g->until));
        if (g->changed_by) {
            json_object_set_new(o, "changed_by", json_string(g->changed_by));
            json_object_set_new(o, "changed_on", jdate(g->changed_on));
        }
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *milestones(const lic_state *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nmilestones; i++) {
        const lic_st_milestone *m = &s->milestones[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(m->id));
        json_object_set_new(o, "status", json_string(m->status));
        json_object_set_new(o, "due", jdate(m->due));
        json_object_set_new(o, "achieved_on", jdate(m->achieved_on));
        if (m->accepted_on != LIC_DATE_NONE)
            json_object_set_new(o, "accepted_on", jdate(m->accepted_on));
        if (m->original_due != m->due)
            json_object_set_new(o, "original_due", jdate(m->original_due));
        if (m->extensions)
            json_object_set_new(o, "extensions", json_integer(m->extensions));
        if (m->shifted_days)
            json_object_set_new(o, "shifted_days", json_integer(m->shifted_days));
        if (m->indeterminate)
            json_object_set_new(o, "indeterminate", json_string(m->indeterminate));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *obligations(const lic_state *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nobligations; i++) {
        const lic_st_obligation *x = &s->obligations[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(x->id));
        json_object_set_new(o, "kind", json_string(x->kind));
        json_object_set_new(o, "due", jdate(x->due));
        json_object_set_new(o, "status", json_string(x->status));
        json_object_set_new(o, "done_on", jdate(x->done_on));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *breaches(const lic_state *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nbreaches; i++) {
        const lic_st_breach *b = &s->breaches[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(b->id));
        json_object_set_new(o, "class", json_string(b->cls));
        json_object_set_new(o, "ref", json_string(b->ref));
        json_object_set_new(o, "party", json_string(lic_party_role_name(b->party)));
        json_object_set_new(o, "since", jdate(b->since));
        json_object_set_new(o, "notice", jdate(b->notice));
        json_object_set_new(o, "cure_by", jdate(b->cure_by));
        json_object_set_new(o, "status", json_string(b->status));
        if (b->resolved_on != LIC_DATE_NONE)
            json_object_set_new(o, "resolved_on", jdate(b->resolved_on));
        if (b->indeterminate)
            json_object_set_new(o, "indeterminate", json_string(b->indeterminate));
        json_array_append_new(a, o);
    }
    return a;
}

static void remedy_terms(const lic_state *s, json_t *o, const lic_remedy *r)
{
    char buf[48];
    if (r->action == LIC_ACT_ROYALTY_INCREASE && r->add.st == LIC_V_KNOWN) {
        lic_rate_format_percent(r->add.v, buf, sizeof buf);
        json_object_set_new(o, "add", json_string(buf));
    }
    if (r->grant)
        json_object_set_new(o, "grant", json_string(r->grant));
    if (r->part.has_territories)
        json_object_set_new(o, "territories", jterritories(&r->part.territories));
    if (r->part.has_fields)
        json_object_set_new(o, "fields", jfields(s->agreement, &r->part.fields));
    if (r->action == LIC_ACT_STEP_DOWN)
        json_object_set_new(o, "to", json_string(lic_exclusivity_name(r->to)));
    if (r->action == LIC_ACT_FEE)
        json_object_set_new(o, "amount", jamount(s, r->amount.v, r->amount.st == LIC_V_KNOWN));
}

static json_t *rights(const lic_state *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nrights; i++) {
        const lic_st_right *r = &s->rights[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(r->id));
        json_object_set_new(o, "holder", json_string(lic_party_role_name(r->holder)));
        json_object_set_new(o, "action", json_string(lic_action_name(r->remedy->action)));
        json_object_set_new(o, "since", jdate(r->since));
        json_object_set_new(o, "applied", json_boolean(r->applied));
        json_object_set_new(o, "applied_on", jdate(r->applied_on));
        json_object_set_new(o, "status", json_string(r->status));
        if (r->until != LIC_DATE_NONE)
            json_object_set_new(o, "until", jdate(r->until));
        if (r->breach)
            json_object_set_new(o, "breach", json_string(r->breach));
        remedy_terms(s, o, r->remedy);
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *invoices(const lic_state *s)
{
    json_t *a = json_array();
    const char *cur = s->agreement->currency->code;
    for (size_t i = 0; i < s->ninvoices; i++) {
        const lic_st_invoice *v = &s->invoices[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(v->id));
        json_object_set_new(o, "kind", json_string(v->kind));
        json_object_set_new(o, "amount", jamount(s, v->amount, v->known));
        json_object_set_new(o, "currency", json_string(cur));
        json_object_set_new(o, "due", jdate(v->due));
        json_object_set_new(o, "paid", jamount(s, v->paid, v->known));
        json_object_set_new(o, "status", json_string(v->status));
        json_object_set_new(o, "interest", jamount(s, v->interest, v->known && v->interest_known));
        if (v->paid_on != LIC_DATE_NONE)
            json_object_set_new(o, "paid_on", jdate(v->paid_on));
        if (v->audit) {
            json_object_set_new(o, "underpayment", jamount(s, v->underpayment, v->known));
            json_object_set_new(o, "interest_to_audit", jamount(s, v->interest_to_audit, v->known));
        }
        if (v->indeterminate)
            json_object_set_new(o, "indeterminate", json_string(v->indeterminate));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *balance(const lic_state *s)
{
    json_t *o = json_object();
    bool k = s->balance.known;
    bool ik = true; /* an invoice of unknown amount not yet due bears no interest */
    for (size_t i = 0; i < s->ninvoices; i++)
        ik = ik && s->invoices[i].interest_known;
    json_object_set_new(o, "open", jamount(s, s->balance.open, k));
    json_object_set_new(o, "overdue", jamount(s, s->balance.overdue, s->balance.overdue_known));
    json_object_set_new(o, "interest", jamount(s, s->balance.interest, ik));
    json_object_set_new(o, "credit", jamount(s, s->balance.credit, true));
    return o;
}

static json_t *small_lists(const lic_state *s, const char *which)
{
    json_t *a = json_array();
    if (!strcmp(which, "deadlines"))
        for (size_t i = 0; i < s->ndeadlines; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "date", jdate(s->deadlines[i].date));
            json_object_set_new(o, "what", json_string(s->deadlines[i].what));
            json_object_set_new(o, "ref", jstr(s->deadlines[i].ref));
            json_array_append_new(a, o);
        }
    else if (!strcmp(which, "windows"))
        for (size_t i = 0; i < s->nwindows; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "kind", json_string(s->windows[i].kind));
            json_object_set_new(o, "id", json_string(s->windows[i].id));
            json_object_set_new(o, "from", jdate(s->windows[i].from));
            json_object_set_new(o, "until", jdate(s->windows[i].until));
            json_array_append_new(a, o);
        }
    else if (!strcmp(which, "flags"))
        for (size_t i = 0; i < s->nflags; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "kind", json_string(s->flags[i].kind));
            json_object_set_new(o, "period", jstr(s->flags[i].period));
            json_object_set_new(o, "detail", json_string(s->flags[i].detail));
            json_array_append_new(a, o);
        }
    else if (!strcmp(which, "indeterminate"))
        for (size_t i = 0; i < s->nindeterminate; i++) {
            json_t *o = json_object();
            json_object_set_new(o, "what", json_string(s->indeterminate[i].what));
            json_object_set_new(o, "term", json_string(s->indeterminate[i].term));
            json_object_set_new(o, "state", json_string(s->indeterminate[i].state));
            json_array_append_new(a, o);
        }
    else if (!strcmp(which, "royalty_adjustments"))
        for (size_t i = 0; i < s->nadjustments; i++) {
            char buf[48];
            lic_rate_format_percent(s->adjustments[i].add, buf, sizeof buf);
            json_t *o = json_object();
            json_object_set_new(o, "since", jdate(s->adjustments[i].since));
            json_object_set_new(o, "add", json_string(buf));
            json_object_set_new(o, "source", json_string(s->adjustments[i].source));
            json_array_append_new(a, o);
        }
    return a;
}

size_t lic_event_where(const lic_events *ev, const lic_event *e, char *buf, size_t n)
{
    int w = snprintf(buf, n, "%s:%d", ev ? ev->file : "-", e->pos.line);
    return w < 0 ? 0 : (size_t)w;
}

static json_t *rejected(const lic_state *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->nrejected; i++) {
        char where[600];
        lic_event_where(s->events, s->rejected[i].event, where, sizeof where);
        json_t *o = json_object();
        json_object_set_new(o, "event", json_string(s->rejected[i].event->id));
        json_object_set_new(o, "at", json_string(where));
        json_object_set_new(o, "reason", json_string(s->rejected[i].reason));
        json_array_append_new(a, o);
    }
    return a;
}

char *lic_state_json(const lic_state *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "agreement", json_string(s->agreement->id));
    json_object_set_new(o, "as_of", jdate(s->as_of));
    if (s->known_at != LIC_DATE_NONE)
        json_object_set_new(o, "known_at", jdate(s->known_at));
    json_object_set_new(o, "state", json_string(lic_deal_state_name(s->state)));
    if (s->termination_notice != LIC_DATE_NONE && s->termination_notice <= s->as_of) {
        json_object_set_new(o, "termination_effective", jdate(s->termination_effective));
        json_object_set_new(o, "sell_off_until", jdate(s->sell_off_until));
    }
    json_object_set_new(o, "first_sale", jdate(s->first_sale));
    json_object_set_new(o, "grants", grants(s));
    json_object_set_new(o, "milestones", milestones(s));
    json_object_set_new(o, "obligations", obligations(s));
    json_object_set_new(o, "breaches", breaches(s));
    json_object_set_new(o, "rights", rights(s));
    json_object_set_new(o, "invoices", invoices(s));
    json_object_set_new(o, "balance", balance(s));
    json_object_set_new(o, "deadlines", small_lists(s, "deadlines"));
    json_object_set_new(o, "windows", small_lists(s, "windows"));
    json_object_set_new(o, "flags", small_lists(s, "flags"));
    json_object_set_new(o, "royalty_adjustments", small_lists(s, "royalty_adjustments"));
    json_object_set_new(o, "indeterminate", small_lists(s, "indeterminate"));
    json_object_set_new(o, "rejected", rejected(s));
    json_object_set_new(o, "receipt", lic__jreceipt(s->inputs_sha256));
    return lic__jdump(o);
}
