/*
 * termsheet_text.c - the term sheet's phrases: money with thousands
 * separators, rates, durations, dates, date expressions with their dates
 * worked out, scopes and remedies, in the English a licensing manager
 * reads.
 *
 * Every helper returns a string in the document's arena (never NULL, ""
 * after an error).  Values written `redacted` or `unknown` read as such;
 * nothing here guesses a missing term.  No floating point: amounts and
 * rates are formatted from their integers by money.c.
 */
#include "termsheet_int.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

const char *lic__ts_state(lic_vstate st)
{
    switch (st) {
    case LIC_V_REDACTED: return "redacted";
    case LIC_V_UNKNOWN: return "unknown";
    case LIC_V_ABSENT: return "not stated";
    case LIC_V_KNOWN: break;
    }
    return "";
}

/* "-1234567.89" -> "-1,234,567.89": commas every three digits of the
 * integer part, counted from the decimal point. */
static const char *group_digits(lic__ts *d, const char *plain)
{
    char out[64];
    size_t o = 0;
    const char *p = plain;
    if (*p == '-')
        out[o++] = *p++;
    size_t intlen = strcspn(p, ".");
    for (size_t i = 0; i < intlen; i++) {
        if (i > 0 && (intlen - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = p[i];
    }
    size_t rest = strlen(p + intlen);
    if (o + rest >= sizeof out)
        return lic__ts_fmt(d, "%s", plain); /* cannot happen for int64 */
    memcpy(out + o, p + intlen, rest + 1);
    return lic__ts_fmt(d, "%s", out);
}

static int currency_digits(const lic__ts *d)
{
    return d->a->currency ? d->a->currency->digits : 2;
}

const char *lic__ts_money(lic__ts *d, lic_amount v)
{
    char plain[48];
    lic_amount_format(v, currency_digits(d), plain, sizeof plain);
    const char *code = d->a->currency ? d->a->currency->code : "";
    const char *grouped = group_digits(d, plain);
    return *code ? lic__ts_fmt(d, "%s %s", code, grouped) : grouped;
}

const char *lic__ts_money_v(lic__ts *d, const lic_amount_v *v)
{
    return v->st == LIC_V_KNOWN ? lic__ts_money(d, v->v) : lic__ts_state(v->st);
}

const char *lic__ts_count_v(lic__ts *d, const lic_amount_v *v)
{
    if (v->st != LIC_V_KNOWN)
        return lic__ts_state(v->st);
    char plain[48];
    lic_amount_format(v->v, 0, plain, sizeof plain);
    return group_digits(d, plain);
}

const char *lic__ts_rate(lic__ts *d, lic_rate r)
{
    char text[48];
    lic_rate_format_percent(r, text, sizeof text);
    return lic__ts_fmt(d, "%s", text);
}

const char *lic__ts_rate_v(lic__ts *d, const lic_rate_v *v)
{
    return v->st == LIC_V_KNOWN ? lic__ts_rate(d, v->v) : lic__ts_state(v->st);
}

const char *lic__ts_dur(lic__ts *d, const lic_duration *dur)
{
    /* Four parts of at most 11 digits and a unit each fit easily. */
    char text[192];
    lic_duration_format(dur, text, sizeof text);
    return lic__ts_fmt(d, "%s", text);
}

const char *lic__ts_dur_v(lic__ts *d, const lic_duration_v *v)
{
    return v->st == LIC_V_KNOWN ? lic__ts_dur(d, &v->v) : lic__ts_state(v->st);
}

const char *lic__ts_notice(lic__ts *d, const lic_duration_v *v)
{
    if (v->st != LIC_V_KNOWN)
        return lic__ts_fmt(d, "%s", lic__ts_state(v->st));
    /* The possessive: "90 days' notice", "1 month's notice". */
    const char *text = lic__ts_dur(d, &v->v);
    size_t n = strlen(text);
    return lic__ts_fmt(d, "%s%s", text, n > 0 && text[n - 1] == 's' ? "'" : "'s");
}

const char *lic__ts_date(lic__ts *d, lic_date day)
{
    if (day == LIC_DATE_NONE)
        return "not stated";
    char text[LIC_DATE_STRLEN];
    lic_date_str(day, text);
    return lic__ts_fmt(d, "%s", text);
}

const char *lic__ts_month_day(lic__ts *d, int month, int day)
{
    static const char *const names[] = {
        "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    if (month < 1 || month > 12)
        return lic__ts_fmt(d, "%02d-%02d", month, day);
    return lic__ts_fmt(d, "%d %s", day, names[month - 1]);
}

const char *lic__ts_date_v(lic__ts *d, const lic_date_v *v)
{
    return v->st == LIC_V_KNOWN ? lic__ts_date(d, v->v) : lic__ts_state(v->st);
}

/* ------------------------------------------------------------------ */
/* Date expressions (FORMAT 1)                                         */
/* ------------------------------------------------------------------ */

static const char *anchor_desc(lic__ts *d, const lic_dexpr *e)
{
    switch (e->anchor) {
    case LIC_ANCHOR_DATE: return lic__ts_date(d, e->date);
    case LIC_ANCHOR_EFFECTIVE: return "the effective date";
    case LIC_ANCHOR_MILESTONE: return e->ref ? e->ref : "a milestone";
    case LIC_ANCHOR_FCS: return "the first commercial sale";
    case LIC_ANCHOR_FCS_IN: {
        const char *cc = lic_country_code(e->country);
        return lic__ts_fmt(d, "the first commercial sale in %s", cc ? cc : "?");
    }
    }
    return "";
}

const char *lic__ts_dexpr_desc(lic__ts *d, const lic_dexpr *e)
{
    if (e->st != LIC_V_KNOWN)
        return lic__ts_state(e->st);
    if (!lic_duration_is_zero(&e->dur))
        return lic__ts_fmt(d, "%s after %s", lic__ts_dur(d, &e->dur),
                           anchor_desc(d, e));
    /* Zero offset: the anchor itself ("the day M2 is achieved"). */
    if (e->anchor == LIC_ANCHOR_MILESTONE)
        return lic__ts_fmt(d, "the day %s is achieved", anchor_desc(d, e));
    return anchor_desc(d, e);
}

/* A plain date reads as itself; anything else gets its reasoning. */
static const char *dated(lic__ts *d, const lic_dexpr *e, lic_date day,
                         const char *condition)
{
    if (e->anchor == LIC_ANCHOR_DATE && lic_duration_is_zero(&e->dur))
        return lic__ts_date(d, day);
    if (e->anchor == LIC_ANCHOR_EFFECTIVE && lic_duration_is_zero(&e->dur))
        return lic__ts_fmt(d, "%s (the effective date)", lic__ts_date(d, day));
    return lic__ts_fmt(d, "%s%s: %s", lic__ts_date(d, day), condition,
                       lic__ts_dexpr_desc(d, e));
}

const char *lic__ts_dexpr_when(lic__ts *d, const lic_dexpr *e)
{
    if (e->st == LIC_V_REDACTED || e->st == LIC_V_UNKNOWN)
        return lic__ts_fmt(d, "date %s", lic__ts_state(e->st));
    if (e->st != LIC_V_KNOWN)
        return "not stated";
    lic_date day = LIC_DATE_NONE;
    lic_err rc = lic_dexpr_resolve(d->a, e, false, &day);
    if (rc == LIC_OK)
        return dated(d, e, day, "");
    if (rc == LIC_ENOTFOUND && e->anchor == LIC_ANCHOR_MILESTONE) {
        /* FORMAT 1: a milestone anchor is pending until achieved; on the
         * reading that it is achieved on its own deadline we can still
         * give a date, and say that this is the assumption. */
        rc = lic_dexpr_resolve(d->a, e, true, &day);
        if (rc == LIC_OK)
            return dated(d, e, day,
                         lic__ts_fmt(d, " if %s is achieved on its deadline",
                                     anchor_desc(d, e)));
    }
    if (rc == LIC_EINDETERMINATE)
        return lic__ts_fmt(d, "%s (date indeterminate: it rests on a redacted "
                              "or unknown term)", lic__ts_dexpr_desc(d, e));
    if (rc == LIC_ENOTFOUND)
        return lic__ts_fmt(d, "%s (date not yet known)", lic__ts_dexpr_desc(d, e));
    return lic__ts_dexpr_desc(d, e);
}

/* ------------------------------------------------------------------ */
/* Words, lists, scopes                                                */
/* ------------------------------------------------------------------ */

const char *lic__ts_word(lic__ts *d, const char *name)
{
    if (!name)
        return "";
    /* Arena strings are the document's own, so editing this copy is fine. */
    char *r = (char *)lic__ts_fmt(d, "%s", name);
    for (char *p = r; *p; p++)
        if (*p == '_')
            *p = '-';
    return r;
}

const char *lic__ts_party(lic_party_role r)
{
    switch (r) {
    case LIC_PARTY_LICENSEE: return "the licensee";
    case LIC_PARTY_LICENSOR: return "the licensor";
    case LIC_PARTY_JOINT: return "both parties jointly";
    case LIC_PARTY_EITHER: return "either party";
    }
    return "";
}

const char *lic__ts_join(lic__ts *d, const lic_strlist *l, const char *sep)
{
    lic__tsbuf b;
    lic__tsbuf_init(&b, LIC_TERMSHEET_MAX_BYTES);
    for (size_t i = 0; i < l->n; i++) {
        if (i > 0)
            lic__tsbuf_add(&b, sep);
        lic__tsbuf_add(&b, l->v[i] ? l->v[i] : "");
    }
    return lic__ts_take(d, &b);
}

const char *lic__ts_ordinal(lic__ts *d, long n)
{
    const char *suffix = "th";
    long tens = n % 100;
    if (tens < 11 || tens > 13) {
        switch (n % 10) {
        case 1: suffix = "st"; break;
        case 2: suffix = "nd"; break;
        case 3: suffix = "rd"; break;
        default: break;
        }
    }
    return lic__ts_fmt(d, "%ld%s", n, suffix);
}

/* Names as written in the file are what the reader knows; the computed
 * description is the fallback when the loader kept no names. */
const char *lic__ts_fields(lic__ts *d, const lic_scope *s)
{
    if (!s->has_fields)
        return "all fields";
    if (s->field_names.n > 0)
        return lic__ts_join(d, &s->field_names, ", ");
    if (!d->a->fields)
        return "";
    size_t n = lic_fset_format(d->a->fields, &s->fields, NULL, 0);
    char *text = lic__ts_buf(d, n + 1);
    if (!text)
        return "";
    lic_fset_format(d->a->fields, &s->fields, text, n + 1);
    return text;
}

const char *lic__ts_territories(lic__ts *d, const lic_scope *s)
{
    if (!s->has_territories)
        return "all territories";
    if (s->territory_names.n > 0)
        return lic__ts_join(d, &s->territory_names, ", ");
    char text[1024]; /* 256 codes of "XX, " at most */
    lic_tset_describe(&s->territories, d->a->regions, text, sizeof text);
    return lic__ts_fmt(d, "%s", text);
}

const char *lic__ts_grant_part(lic__ts *d, const char *grant, const lic_scope *part)
{
    const char *who = grant ? grant : "every grant";
    const char *where = part->has_territories
        ? lic__ts_fmt(d, " in %s", lic__ts_territories(d, part)) : "";
    const char *what = part->has_fields
        ? lic__ts_fmt(d, " for %s", lic__ts_fields(d, part)) : "";
    return lic__ts_fmt(d, "%s%s%s", who, what, where);
}

/* ------------------------------------------------------------------ */
/* Remedies (FORMAT 2.5)                                               */
/* ------------------------------------------------------------------ */

static const char *remedy_core(lic__ts *d, const lic_remedy *r)
{
    switch (r->action) {
    case LIC_ACT_ROYALTY_INCREASE:
        return lic__ts_fmt(d, "royalty increase of %s", lic__ts_rate_v(d, &r->add));
    case LIC_ACT_STEP_DOWN:
        return lic__ts_fmt(d, "step-down of %s to %s",
                           lic__ts_grant_part(d, r->grant, &r->part),
                           lic__ts_word(d, lic_exclusivity_name(r->to)));
    case LIC_ACT_REVERT:
        return lic__ts_fmt(d, "reversion of %s to the licensor",
                           lic__ts_grant_part(d, r->grant, &r->part));
    case LIC_ACT_FEE:
        return lic__ts_fmt(d, "fee of %s", lic__ts_money_v(d, &r->amount));
    case LIC_ACT_TERMINATE:
        return "termination";
    case LIC_ACT_EXTEND_DEADLINES:
        return lic__ts_fmt(d, "licensee deadlines extended by %s",
                           lic__ts_dur_v(d, &r->days));
    }
    return lic__ts_word(d, lic_action_name(r->action));
}

const char *lic__ts_remedy(lic__ts *d, const lic_remedy *r)
{
    const char *notice = r->notice.st != LIC_V_ABSENT
        ? lic__ts_fmt(d, " on %s notice", lic__ts_notice(d, &r->notice)) : "";
    return lic__ts_fmt(d, "%s%s%s", remedy_core(d, r), notice,
                       r->automatic ? " (automatic)" : "");
}
