/*
 * ics.c - lic_ics_render: a state's deadlines and windows as iCalendar.
 *
 * Two passes.  First the state's lists are turned into a flat array of
 * items (date, UID, summary, description, category, status), each string
 * owned by the item; the array is sorted by date, then UID, so the output
 * does not depend on the order of the engine's lists.  Then libical builds
 * one VCALENDAR from the array and writes it.
 *
 * Design notes:
 *   - Everything that varies comes from the state: DTSTAMP is the as-of
 *     date at 00:00:00Z, not the clock, so output is byte-identical for
 *     the same state (RFC 5545 3.8.7.2 only asks that it be a UTC time).
 *   - Deadlines are whole days (FORMAT 1: no times, no time zones), so DUE,
 *     DTSTART and DTEND are DATE values and no VTIMEZONE is needed.
 *   - A VTODO here has DUE and no DTSTART, so the alarm is RELATED=END
 *     (RFC 5545 3.8.6.3: a trigger related to START needs a DTSTART).
 *   - Done items keep their UID and become COMPLETED (or CANCELLED when
 *     waived) rather than disappearing, so a re-import closes the entry a
 *     calendar already has instead of leaving it stale.
 *   - Our allocations go through lic__ wrappers (so the out-of-memory
 *     sweep reaches them); libical allocates for itself, and every libical
 *     constructor's NULL is checked.
 */
#include "licet/ics.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "alloc.h"

typedef struct ics_item {
    lic_date date;             /* DUE, or a window's first day */
    lic_date until;            /* a window's last day; LIC_DATE_NONE unknown */
    lic_date done;             /* COMPLETED date; LIC_DATE_NONE */
    bool is_window;            /* VEVENT rather than VTODO */
    icalproperty_status status;
    const char *category;
    char *uid, *summary, *description;
} ics_item;

typedef struct ics_list {
    const lic_state *s;
    const char *agreement_id;
    char as_of[LIC_DATE_STRLEN];
    ics_item *v;
    size_t n, cap;
    bool oom;
} ics_list;

/* ---- items ------------------------------------------------------------ */

static void item_free(ics_item *it)
{
    lic__free(it->uid);
    lic__free(it->summary);
    lic__free(it->description);
}

/* Appends `it`, taking its strings; on any missing string or a failed
 * growth the strings are freed and the list marked out of memory. */
static void push(ics_list *l, ics_item it)
{
    bool ok = !l->oom && it.uid && it.summary && it.description;
    if (ok && l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        ics_item *v = lic__realloc(l->v, cap * sizeof *v);
        ok = v != NULL;
        if (ok) {
            l->v = v;
            l->cap = cap;
        }
    }
    if (ok) {
        l->v[l->n++] = it;
        return;
    }
    l->oom = true;
    item_free(&it);
}

/* "<pre><id><post>@<agreement id>.licet". */
static char *make_uid(const ics_list *l, const char *pre, const char *id, const char *post)
{
    return lic__asprintf("%s%s%s@%s.licet", pre, id, post, l->agreement_id);
}

/* The VTODO status for a status word of engine.h.  `done` (the day it was
 * achieved, satisfied, paid or cured) makes any other word COMPLETED. */
static icalproperty_status todo_status(const char *status, lic_date done)
{
    static const struct {
        const char *word;
        icalproperty_status ical;
    } map[] = {
        {"waived", ICAL_STATUS_CANCELLED},   {"lapsed", ICAL_STATUS_CANCELLED},
        {"pending_verification", ICAL_STATUS_INPROCESS},
        {"achieved", ICAL_STATUS_COMPLETED}, {"satisfied", ICAL_STATUS_COMPLETED},
        {"paid", ICAL_STATUS_COMPLETED},     {"cured", ICAL_STATUS_COMPLETED},
    };
    for (size_t i = 0; status && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(status, map[i].word))
            return map[i].ical;
    return done != LIC_DATE_NONE ? ICAL_STATUS_COMPLETED : ICAL_STATUS_NEEDSACTION;
}

/* "Status on 2027-12-31: achieved (2026-06-30)." followed by `extra`. */
static char *describe(const ics_list *l, const char *status, lic_date done, const char *extra)
{
    char on[LIC_DATE_STRLEN] = "";
    if (done != LIC_DATE_NONE)
        lic_date_str(done, on);
    return lic__asprintf("Status on %s: %s%s%s%s.%s%s", l->as_of, status ? status : "unknown",
                         *on ? " (" : "", on, *on ? ")" : "", *extra ? " " : "", extra);
}

/* What a VTODO is about: its UID is uid_pre + id + uid_post. */
typedef struct todo_ref {
    const char *uid_pre, *id, *uid_post, *category;
} todo_ref;

/* Fills the parts every VTODO shares and pushes it, taking `summary`. */
static void push_todo(ics_list *l, lic_date due, todo_ref r, const char *status, lic_date done,
                      char *summary, const char *extra)
{
    ics_item it = {.date = due, .until = LIC_DATE_NONE, .done = done, .category = r.category,
                   .status = todo_status(status, done), .summary = summary};
    it.uid = make_uid(l, r.uid_pre, r.id, r.uid_post);
    it.description = describe(l, status, done, extra);
    push(l, it);
}

/* ---- milestones, obligations, invoices, breaches ------------------------ */

static void collect_milestones(ics_list *l)
{
    const lic_agreement *a = l->s->agreement;
    for (size_t i = 0; i < l->s->nmilestones; i++) {
        const lic_st_milestone *m = &l->s->milestones[i];
        if (m->due == LIC_DATE_NONE || !m->id)
            continue;
        int k = lic_agreement_milestone_index(a, m->id);
        const char *title = k >= 0 ? a->milestones[k].title : NULL;
        char extra[64] = "", orig[LIC_DATE_STRLEN];
        if (m->original_due != LIC_DATE_NONE && m->original_due != m->due) {
            lic_date_str(m->original_due, orig);
            snprintf(extra, sizeof extra, "Originally due %s.", orig);
        }
        char *summary = title ? lic__asprintf("Milestone %s due: %s", m->id, title)
                              : lic__asprintf("Milestone %s due", m->id);
        lic_date done = m->status && !strcmp(m->status, "achieved") ? m->achieved_on
                                                                      : LIC_DATE_NONE;
        todo_ref r = {"milestone:", m->id, "", "Milestone"};
        push_todo(l, m->due, r, m->status, done, summary, extra);
    }
}

/* How an obligation of each kind (engine.h) is named: its id is
 * `prefix` + a suffix (a period, an item id), and `title_of` finds the
 * agreement's title for that suffix where there is one.  When
 * `title_is_name` the title stands in for the suffix ("Notice of change
 * of control due"). */
typedef const char *(*title_fn)(const lic_agreement *a, const char *suffix);

static const char *licensor_title(const lic_agreement *a, const char *id)
{
    for (size_t i = 0; i < a->nlicensor_obligations; i++)
        if (!strcmp(a->licensor_obligations[i].id, id))
            return a->licensor_obligations[i].title;
    return NULL;
}

static const char *wind_down_title(const lic_agreement *a, const char *id)
{
    for (size_t i = 0; i < a->termination.nwind_down; i++)
        if (!strcmp(a->termination.wind_down[i].id, id))
            return a->termination.wind_down[i].title;
    return NULL;
}

static const char *notice_title(const lic_agreement *a, const char *what)
{
    (void)a;
    return !strcmp(what, "change_of_control") ? "change of control" : NULL;
}

static const struct obligation_kind {
    const char *kind, *prefix, *label, *category;
    title_fn title_of;
    bool title_is_name;
} obligation_kinds[] = {
    {"royalty_report", "report:royalty:", "Royalty report", "Royalty report", NULL, false},
    {"progress_report", "report:progress:", "Progress report", "Progress report", NULL, false},
    {"committee", "committee:", "Committee meeting", "Committee meeting", NULL, false},
    {"licensor", "licensor:", "Licensor obligation", "Licensor obligation", licensor_title,
     false},
    {"wind_down", "wind_down:", "Wind-down item", "Wind-down", wind_down_title, false},
    {"disclose", "disclose:", "Improvement disclosure", "Improvement disclosure", NULL, false},
    {"notice", "notice:", "Notice", "Notice", notice_title, true},
};

static const struct obligation_kind *obligation_kind(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof obligation_kinds / sizeof obligation_kinds[0]; i++)
        if (!strcmp(kind, obligation_kinds[i].kind))
            return &obligation_kinds[i];
    return NULL;
}

/* "Royalty report 2027-Q1 due", "Licensor obligation KH1 due: Transfer
 * ...", "Notice of change of control due"; "Obligation <id> due" for a
 * kind or id shape this table does not know. */
static char *obligation_summary(const lic_agreement *a, const lic_st_obligation *o,
                                const struct obligation_kind *k)
{
    size_t plen = k ? strlen(k->prefix) : 0;
    if (!k || strncmp(o->id, k->prefix, plen))
        return lic__asprintf("Obligation %s due", o->id);
    const char *suffix = o->id + plen;
    const char *title = k->title_of ? k->title_of(a, suffix) : NULL;
    if (title && k->title_is_name)
        return lic__asprintf("%s of %s due", k->label, title);
    if (title)
        return lic__asprintf("%s %s due: %s", k->label, suffix, title);
    return lic__asprintf("%s %s due", k->label, suffix);
}

static void collect_obligations(ics_list *l)
{
    for (size_t i = 0; i < l->s->nobligations; i++) {
        const lic_st_obligation *o = &l->s->obligations[i];
        if (o->due == LIC_DATE_NONE || !o->id)
            continue;
        const struct obligation_kind *k = obligation_kind(o->kind);
        char extra[64];
        snprintf(extra, sizeof extra, "Owed by the %s.", lic_party_role_name(o->party));
        todo_ref r = {"", o->id, "", k ? k->category : "Obligation"};
        push_todo(l, o->due, r, o->status, o->done_on,
                  obligation_summary(l->s->agreement, o, k), extra);
    }
}

static void collect_invoices(ics_list *l)
{
    const lic_currency *cur = l->s->agreement->currency;
    int digits = cur ? cur->digits : 2;
    const char *code = cur ? cur->code : "";
    for (size_t i = 0; i < l->s->ninvoices; i++) {
        const lic_st_invoice *v = &l->s->invoices[i];
        if (v->due == LIC_DATE_NONE || !v->id)
            continue;
        char amount[32], paid[32], extra[96] = "";
        lic_amount_format(v->amount, digits, amount, sizeof amount);
        lic_amount_format(v->paid, digits, paid, sizeof paid);
        char *summary;
        if (v->known) {
            summary = lic__asprintf("Invoice %s due: %s %s", v->id, amount, code);
            snprintf(extra, sizeof extra, "Paid %s of %s %s.", paid, amount, code);
        } else
            summary = lic__asprintf("Invoice %s due: amount not known", v->id);
        todo_ref r = {"", v->id, "", "Invoice"};
        push_todo(l, v->due, r, v->status, v->paid_on, summary, extra);
    }
}

static void collect_breaches(ics_list *l)
{
    for (size_t i = 0; i < l->s->nbreaches; i++) {
        const lic_st_breach *b = &l->s->breaches[i];
        if (b->cure_by == LIC_DATE_NONE || !b->id)
            continue;
        char since[LIC_DATE_STRLEN], extra[96] = "";
        lic_date_str(b->since, since);
        if (b->since != LIC_DATE_NONE)
            snprintf(extra, sizeof extra, "The %s has been in breach since %s.",
                     lic_party_role_name(b->party), since);
        lic_date done = b->status && !strcmp(b->status, "cured") ? b->resolved_on
                                                                   : LIC_DATE_NONE;
        char *summary = lic__asprintf("Cure deadline for %s (%s)", b->id,
                                      b->cls ? b->cls : "breach");
        todo_ref r = {"", b->id, ":cure", "Cure deadline"};
        push_todo(l, b->cure_by, r, b->status, done, summary, extra);
    }
}

/* ---- windows -------------------------------------------------------------- */

static const struct window_kind {
    const char *kind, *label;
} window_kinds[] = {
    {"option", "Option window"},
    {"renegotiation", "Renegotiation window"},
    {"change_of_control", "Change-of-control termination window"},
    {"sunset", "Exclusivity sunset window"},
};

static const char *window_label(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof window_kinds / sizeof window_kinds[0]; i++)
        if (!strcmp(kind, window_kinds[i].kind))
            return window_kinds[i].label;
    return "Window";
}

/* What tells a window from others of its kind, with the kind taken out
 * of the id: "O1" for an option, "1" for "renegotiation:1", "G1" for a
 * sunset on G1, "" for "right:change_of_control" (one of its kind). */
static const char *window_key(const lic_st_window *w)
{
    const char *id = w->id ? w->id : "";
    if (!w->kind)
        return id;
    size_t klen = strlen(w->kind), len = strlen(id);
    if (!strncmp(id, w->kind, klen) && (id[klen] == '\0' || id[klen] == ':'))
        return id[klen] ? id + klen + 1 : id + klen;
    if (len > klen && id[len - klen - 1] == ':' && !strcmp(id + len - klen, w->kind))
        return "";
    return id;
}

/* "window:option:O1", "window:renegotiation:1", "window:change_of_control". */
static char *window_uid(const ics_list *l, const lic_st_window *w)
{
    const char *key = window_key(w);
    return lic__asprintf("window:%s%s%s@%s.licet", w->kind ? w->kind : "window",
                         *key ? ":" : "", key, l->agreement_id);
}

static const char *option_title(const lic_agreement *a, const char *id)
{
    for (size_t i = 0; id && i < a->noptions; i++)
        if (!strcmp(a->options[i].id, id))
            return a->options[i].title;
    return NULL;
}

/* "Option window O1: Expand ...", "Renegotiation window 1", "Exclusivity
 * sunset window G1", "Change-of-control termination window". */
static char *window_summary(const lic_agreement *a, const lic_st_window *w)
{
    const char *label = window_label(w->kind);
    const char *key = window_key(w);
    const char *title = w->kind && !strcmp(w->kind, "option") ? option_title(a, w->id) : NULL;
    if (title)
        return lic__asprintf("%s %s: %s", label, key, title);
    return lic__asprintf("%s%s%s", label, *key ? " " : "", key);
}

static void collect_windows(ics_list *l)
{
    for (size_t i = 0; i < l->s->nwindows; i++) {
        const lic_st_window *w = &l->s->windows[i];
        if (w->from == LIC_DATE_NONE)
            continue;
        char from[LIC_DATE_STRLEN], until[LIC_DATE_STRLEN];
        lic_date_str(w->from, from);
        lic_date_str(w->until, until);
        ics_item it = {.date = w->from, .until = w->until, .done = LIC_DATE_NONE,
                       .is_window = true, .category = window_label(w->kind)};
        it.uid = window_uid(l, w);
        it.summary = window_summary(l->s->agreement, w);
        it.description = w->until == LIC_DATE_NONE
                             ? lic__asprintf("Opens %s. The closing day is not known.", from)
                             : lic__asprintf("Open from %s to %s inclusive.", from, until);
        push(l, it);
    }
}

static int item_cmp(const void *pa, const void *pb)
{
    const ics_item *a = pa, *b = pb;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    return strcmp(a->uid, b->uid);
}

/* ---- libical ------------------------------------------------------------- */

/* Adds `p` to `c`; false when libical could not make it. */
static bool add_prop(icalcomponent *c, icalproperty *p)
{
    if (!p)
        return false;
    icalcomponent_add_property(c, p);
    return true;
}

static struct icaltimetype ical_date(lic_date d)
{
    struct icaltimetype t = icaltime_null_date();
    lic_date_to_ymd(d, &t.year, &t.month, &t.day);
    return t;
}

/* Midnight UTC of `d`, a DATE-TIME. */
static struct icaltimetype ical_utc_midnight(lic_date d)
{
    struct icaltimetype t = icaltime_null_time();
    lic_date_to_ymd(d, &t.year, &t.month, &t.day);
    t.zone = icaltimezone_get_utc_timezone();
    return t;
}

/* TRIGGER;RELATED=END:-P14D: the days before DUE. */
static icalproperty *trigger_new(void)
{
    struct icaltriggertype tr = {.time = icaltime_null_time()};
    tr.duration.is_neg = 1;
    tr.duration.days = LIC_ICS_ALARM_DAYS; /* not icaldurationtype_from_int: "-P2W" */
    icalproperty *p = icalproperty_new_trigger(tr);
    icalparameter *rel = p ? icalparameter_new_related(ICAL_RELATED_END) : NULL;
    if (!rel) {
        if (p)
            icalproperty_free(p);
        return NULL;
    }
    icalproperty_add_parameter(p, rel);
    return p;
}

/* ACTION:DISPLAY, TRIGGER, DESCRIPTION "In 14 days (DATE): SUMMARY". */
static icalcomponent *alarm_new(const ics_item *it)
{
    char due[LIC_DATE_STRLEN];
    lic_date_str(it->date, due);
    char *text = lic__asprintf("In %d days (%s): %s", LIC_ICS_ALARM_DAYS, due, it->summary);
    icalcomponent *al = text ? icalcomponent_new(ICAL_VALARM_COMPONENT) : NULL;
    bool ok = al && add_prop(al, icalproperty_new_action(ICAL_ACTION_DISPLAY));
    ok = ok && add_prop(al, trigger_new());
    ok = ok && add_prop(al, icalproperty_new_description(text));
    lic__free(text);
    if (!ok && al) {
        icalcomponent_free(al);
        al = NULL;
    }
    return al;
}

/* The properties every item has, in a fixed order: UID, DTSTAMP, then the
 * date(s), SUMMARY, DESCRIPTION, CATEGORIES. */
static bool add_common(icalcomponent *c, const ics_item *it, struct icaltimetype stamp)
{
    bool ok = add_prop(c, icalproperty_new_uid(it->uid));
    ok = ok && add_prop(c, icalproperty_new_dtstamp(stamp));
    if (it->is_window) {
        ok = ok && add_prop(c, icalproperty_new_dtstart(ical_date(it->date)));
        /* RFC 5545 3.6.1: DTEND is exclusive, so the day after the last. */
        lic_date end = lic_date_add_days(it->until, 1);
        if (it->until != LIC_DATE_NONE)
            ok = ok && add_prop(c, icalproperty_new_dtend(ical_date(end)));
    } else
        ok = ok && add_prop(c, icalproperty_new_due(ical_date(it->date)));
    ok = ok && add_prop(c, icalproperty_new_summary(it->summary));
    ok = ok && add_prop(c, icalproperty_new_description(it->description));
    return ok && add_prop(c, icalproperty_new_categories(it->category));
}

static icalcomponent *item_component(const ics_item *it, struct icaltimetype stamp)
{
    icalcomponent *c = icalcomponent_new(it->is_window ? ICAL_VEVENT_COMPONENT
                                                       : ICAL_VTODO_COMPONENT);
    bool ok = c && add_common(c, it, stamp);
    if (it->is_window)
        ok = ok && add_prop(c, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    else {
        ok = ok && add_prop(c, icalproperty_new_status(it->status));
        if (it->status == ICAL_STATUS_COMPLETED && it->done != LIC_DATE_NONE)
            ok = ok && add_prop(c, icalproperty_new_completed(ical_utc_midnight(it->done)));
        icalcomponent *al = ok ? alarm_new(it) : NULL;
        ok = ok && al;
        if (al)
            icalcomponent_add_component(c, al);
    }
    if (!ok && c) {
        icalcomponent_free(c);
        c = NULL;
    }
    return c;
}

/* X-WR-CALNAME "<id> — <title>": the name calendar programs show. */
static icalproperty *calname_new(const lic_agreement *a, const char *id)
{
    char *name = a->title ? lic__asprintf("%s \xe2\x80\x94 %s", id, a->title)
                          : lic__asprintf("%s", id);
    icalproperty *x = name ? icalproperty_new_x(name) : NULL;
    lic__free(name);
    if (x)
        icalproperty_set_x_name(x, "X-WR-CALNAME");
    return x;
}

/* VCALENDAR with PRODID, VERSION, CALSCALE, METHOD, X-WR-CALNAME. */
static icalcomponent *calendar_new(const lic_agreement *a, const char *id)
{
    icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
    bool ok = cal && add_prop(cal, icalproperty_new_prodid(LIC_ICS_PRODID));
    ok = ok && add_prop(cal, icalproperty_new_version("2.0"));
    ok = ok && add_prop(cal, icalproperty_new_calscale("GREGORIAN"));
    ok = ok && add_prop(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    ok = ok && add_prop(cal, calname_new(a, id));
    if (!ok && cal) {
        icalcomponent_free(cal);
        cal = NULL;
    }
    return cal;
}

static icalcomponent *build(const ics_list *l)
{
    icalcomponent *cal = calendar_new(l->s->agreement, l->agreement_id);
    lic_date stamp_day = l->s->as_of != LIC_DATE_NONE ? l->s->as_of : 0;
    struct icaltimetype stamp = ical_utc_midnight(stamp_day);
    for (size_t i = 0; cal && i < l->n; i++) {
        icalcomponent *c = item_component(&l->v[i], stamp);
        if (!c) {
            icalcomponent_free(cal);
            return NULL;
        }
        icalcomponent_add_component(cal, c);
    }
    return cal;
}

/* ---- the entry point ------------------------------------------------------ */

static char *write_calendar(icalcomponent *cal, size_t *len)
{
    char *text = icalcomponent_as_ical_string_r(cal);
    char *out = text ? lic__strdup(text) : NULL;
    if (text)
        icalmemory_free_buffer(text);
    if (out && len)
        *len = strlen(out);
    return out;
}

char *lic_ics_render(const lic_state *s, size_t *len)
{
    if (len)
        *len = 0;
    if (!s || !s->agreement)
        return NULL;
    ics_list l = {.s = s, .agreement_id = s->agreement->id ? s->agreement->id : "agreement"};
    lic_date_str(s->as_of, l.as_of);
    collect_milestones(&l);
    collect_obligations(&l);
    collect_invoices(&l);
    collect_breaches(&l);
    collect_windows(&l);
    char *out = NULL;
    if (!l.oom) {
        if (l.n)
            qsort(l.v, l.n, sizeof *l.v, item_cmp);
        icalcomponent *cal = build(&l);
        out = cal ? write_calendar(cal, len) : NULL;
        if (cal)
            icalcomponent_free(cal);
    }
    for (size_t i = 0; i < l.n; i++)
        item_free(&l.v[i]);
    lic__free(l.v);
    return out;
}
