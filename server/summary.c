/*
 * summary.c - the line of the portfolio page for one deal, read off its
 * status (FORMAT 5) as of a date: its state, the next deadline, what is
 * overdue, the breaches still open with the days left to cure, the
 * exclusive grants at risk, and the money open and overdue.
 *
 * "At risk" is the licensor's question "could this exclusivity end?":
 * an exclusive or sole grant in force while a breach of the licensee is
 * open (its remedy ladder may step the grant down or revert it), or while
 * a right of the licensor has arisen and is not yet applied.
 */
#include <string.h>

#include "srv.h"

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int days_between(lic_date from, const char *to)
{
    lic_date d;
    if (!to || lic_date_parse(to, strlen(to), &d))
        return 0;
    return (int)(d - from);
}

static json_t *next_deadline(json_t *st, lic_date as_of)
{
    json_t *d, *best = NULL;
    size_t i;
    json_array_foreach(json_object_get(st, "deadlines"), i, d)
    {
        int days = days_between(as_of, str(d, "date"));
        if (days >= 0 && (!best || strcmp(str(d, "date"), str(best, "date")) < 0))
            best = d;
    }
    if (!best)
        return json_null();
    return json_pack("{s:s,s:s,s:s?,s:i}", "date", str(best, "date"), "what", str(best, "what"), "ref",
                     str(best, "ref"), "days", days_between(as_of, str(best, "date")));
}

/* Ids of the items of list whose status is one of the given ones. */
static json_t *ids_with(json_t *st, const char *list, const char *a, const char *b)
{
    json_t *out = json_array(), *x;
    size_t i;
    json_array_foreach(json_object_get(st, list), i, x)
    {
        const char *s = str(x, "status");
        if (s && (!strcmp(s, a) || (b && !strcmp(s, b))))
            json_array_append_new(out, json_string(str(x, "id")));
    }
    return out;
}

static json_t *open_breaches(json_t *st, lic_date as_of, bool *licensee_breach)
{
    json_t *out = json_array(), *b;
    size_t i;
    json_array_foreach(json_object_get(st, "breaches"), i, b)
    {
        const char *s = str(b, "status"), *cure_by = str(b, "cure_by");
        if (!s || !strcmp(s, "cured") || !strcmp(s, "waived"))
            continue;
        const char *party = str(b, "party");
        *licensee_breach |= !party || !strcmp(party, "licensee");
        json_t *o = json_pack("{s:s,s:s?,s:s,s:s?,s:s?}", "id", str(b, "id"), "class", str(b, "class"), "status",
                              s, "party", party, "cure_by", cure_by);
        if (cure_by)
            json_object_set_new(o, "days_left", json_integer(days_between(as_of, cure_by)));
        json_array_append_new(out, o);
    }
    return out;
}

static bool right_pending(json_t *st)
{
    json_t *r;
    size_t i;
    json_array_foreach(json_object_get(st, "rights"), i, r)
    {
        const char *holder = str(r, "holder");
        if (holder && !strcmp(holder, "licensor") && !json_is_true(json_object_get(r, "applied")))
            return true;
    }
    return false;
}

static json_t *at_risk(json_t *st, bool risk)
{
    json_t *out = json_array(), *g;
    size_t i;
    if (!risk)
        return out;
    json_array_foreach(json_object_get(st, "grants"), i, g)
    {
        const char *x = str(g, "exclusivity");
        if (x && (!strcmp(x, "exclusive") || !strcmp(x, "sole")))
            json_array_append_new(out, json_string(str(g, "id")));
    }
    return out;
}

json_t *srv_summary(json_t *st, lic_date as_of)
{
    bool licensee_breach = false;
    json_t *breaches = open_breaches(st, as_of, &licensee_breach);
    json_t *balance = json_object_get(st, "balance");
    json_t *o = json_pack("{s:s?,s:o,s:o,s:o,s:o,s:o,s:O*}", "state", str(st, "state"), "next_deadline",
                          next_deadline(st, as_of), "overdue_invoices", ids_with(st, "invoices", "overdue", NULL),
                          "late", ids_with(st, "obligations", "late", "overdue"), "open_breaches", breaches,
                          "exclusivity_at_risk", at_risk(st, licensee_breach || right_pending(st)), "balance",
                          balance);
    json_t *missed = ids_with(st, "milestones", "missed", NULL);
    json_object_set_new(o, "missed_milestones", missed);
    json_object_set_new(o, "flags", json_integer((json_int_t)json_array_size(json_object_get(st, "flags"))));
    return o;
}
