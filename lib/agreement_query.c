/*
 * agreement_query.c - questions a loaded agreement can answer on its own:
 * names of enum values, defaults of grants, and date expressions that rest
 * only on the file (effective date, fixed dates, and - when asked to
 * assume on-time performance - milestone deadlines).
 */
#include "licet/agreement.h"

#include <string.h>

const char *lic_exclusivity_name(lic_exclusivity e)
{
    static const char *const n[] = {"exclusive", "sole", "co_exclusive", "non_exclusive"};
    return (unsigned)e < 4 ? n[e] : "?";
}

const char *lic_action_name(lic_action a)
{
    static const char *const n[] = {"royalty_increase", "step_down", "revert", "fee", "terminate", "extend_deadlines"};
    return (unsigned)a < 6 ? n[a] : "?";
}

const char *lic_ms_kind_name(lic_ms_kind k)
{
    static const char *const n[] = {"development", "regulatory", "commercial", "sales"};
    return (unsigned)k < 4 ? n[k] : "?";
}

const char *lic_party_role_name(lic_party_role r)
{
    static const char *const n[] = {"licensee", "licensor", "joint", "either"};
    return (unsigned)r < 4 ? n[r] : "?";
}

const char *lic_verification_name(lic_verification v)
{
    static const char *const n[] = {"none", "self_certified", "evidence", "third_party"};
    return (unsigned)v < 4 ? n[v] : "?";
}

const char *lic_period_kind_name(lic_period_kind k)
{
    static const char *const n[] = {"month", "quarter", "half", "year"};
    return (unsigned)k < 4 ? n[k] : "?";
}

const lic_breach_class *lic_agreement_breach_class(const lic_agreement *a, const char *name)
{
    for (size_t i = 0; name && i < a->breach.nclasses; i++)
        if (a->breach.classes[i].name && !strcmp(a->breach.classes[i].name, name))
            return &a->breach.classes[i];
    return NULL;
}

/* The term's last day, or LIC_DATE_NONE when indeterminate. */
static lic_date term_end(const lic_agreement *a)
{
    /* The loader resolves last_patent_expiry into term.ends. */
    return a->term.ends.st == LIC_V_KNOWN ? a->term.ends.v : LIC_DATE_NONE;
}

lic_date lic_grant_first_day(const lic_agreement *a, const lic_grant *g)
{
    if (g->from.st == LIC_V_KNOWN)
        return g->from.v;
    if (g->from.st == LIC_V_ABSENT && a->effective.st == LIC_V_KNOWN)
        return a->effective.v;
    return LIC_DATE_NONE;
}

lic_date lic_grant_last_day(const lic_agreement *a, const lic_grant *g)
{
    if (g->until.st == LIC_V_KNOWN)
        return g->until.v;
    return g->until.st == LIC_V_ABSENT ? term_end(a) : LIC_DATE_NONE;
}

static lic_err resolve(const lic_agreement *a, const lic_dexpr *e, bool on_time, int depth,
                       lic_date *out)
{
    if (depth > 64)
        return LIC_EINVALID; /* cycles are reported by the loader */
    if (e->st == LIC_V_REDACTED || e->st == LIC_V_UNKNOWN)
        return LIC_EINDETERMINATE;
    if (e->st == LIC_V_ABSENT)
        return LIC_ENOTFOUND;
    lic_date base;
    switch (e->anchor) {
    case LIC_ANCHOR_DATE:
        base = e->date;
        break;
    case LIC_ANCHOR_EFFECTIVE:
        if (a->effective.st != LIC_V_KNOWN)
            return LIC_EINDETERMINATE;
        base = a->effective.v;
        break;
    case LIC_ANCHOR_MILESTONE: {
        if (!on_time || e->ref_index < 0 || (size_t)e->ref_index >= a->nmilestones)
            return LIC_ENOTFOUND;
        lic_err rc = resolve(a, &a->milestones[e->ref_index].due, on_time, depth + 1, &base);
        if (rc)
            return rc;
        break;
    }
    default:
        return LIC_ENOTFOUND;
    }
    *out = lic_date_add_duration(base, &e->dur, a->calendar);
    return LIC_OK;
}

lic_err lic_dexpr_resolve(const lic_agreement *a, const lic_dexpr *e, bool assume_on_time,
                          lic_date *out)
{
    return resolve(a, e, assume_on_time, 0, out);
}
