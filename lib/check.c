/*
 * check.c - lints over a loaded agreement and portfolio conflicts.
 *
 * The loader rejects what is malformed; these checks find what is well
 * formed but likely wrong in a deal: a milestone nobody can verify, an
 * exclusive grant without diligence, a remedy stepping down a territory
 * never granted, tiers that do not climb, deadlines after the term,
 * patents outside every grant, sublicense shares with nothing
 * sublicensable, and the terms written `redacted` or `unknown`.
 */
#include "licet/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct ck {
    const lic_agreement *a;
    lic_diags *d;
    lic_err rc;
} ck;

static void emit(ck *c, lic_severity sev, lic_pos pos, const char *code, const char *path,
                 const char *fmt, ...) LIC_PRINTF(6, 7);
static void emit(ck *c, lic_severity sev, lic_pos pos, const char *code, const char *path,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lic_err rc = lic_diags_addv(c->d, sev, c->a->file, pos.line, pos.col, code, path, fmt, ap);
    va_end(ap);
    if (rc)
        c->rc = rc;
}

static void milestones(ck *c)
{
    const lic_agreement *a = c->a;
    char path[64];
    for (size_t i = 0; i < a->nmilestones; i++) {
        const lic_milestone *m = &a->milestones[i];
        snprintf(path, sizeof path, "milestones[%zu]", i);
        if (!m->acceptance && m->verification == LIC_VERIFY_NONE)
            emit(c, LIC_SEV_WARNING, m->pos, "no-acceptance", path,
                 "milestone %s has neither acceptance criteria nor verification: achievement can be disputed", m->id);
        else if (!m->acceptance)
            emit(c, LIC_SEV_WARNING, m->pos, "no-acceptance", path,
                 "milestone %s has no acceptance criteria", m->id);
        else if (m->verification == LIC_VERIFY_NONE)
            emit(c, LIC_SEV_WARNING, m->pos, "no-verification", path,
                 "milestone %s does not say how achievement is verified (self_certified, evidence or third_party)", m->id);
        if (m->breach_class && a->breach.nclasses && !lic_agreement_breach_class(a, m->breach_class))
            emit(c, LIC_SEV_WARNING, m->pos, "unknown-class", path,
                 "breach class \"%s\" of milestone %s is not defined under breach.classes", m->breach_class, m->id);
        lic_date due, end = LIC_DATE_NONE;
        if (a->term.ends.st == LIC_V_KNOWN)
            end = a->term.ends.v;
        if (end != LIC_DATE_NONE && !lic_dexpr_resolve(a, &m->due, true, &due) && due > end) {
            char ds[LIC_DATE_STRLEN], es[LIC_DATE_STRLEN];
            lic_date_str(due, ds);
            lic_date_str(end, es);
            snprintf(path, sizeof path, "milestones[%zu].due", i);
            emit(c, LIC_SEV_WARNING, m->due.pos, "after-term", path,
                 "milestone %s is due %s, after the term ends (%s)", m->id, ds, es);
        }
    }
}

static bool has_diligence(const lic_agreement *a, size_t g)
{
    for (size_t i = 0; i < a->exclusivity.nperformance; i++)
        if (a->exclusivity.performance[i].grant_index == (int)g)
            return true;
    for (size_t i = 0; i < a->nmilestones; i++) {
        const lic_milestone *m = &a->milestones[i];
        if (m->owner != LIC_PARTY_LICENSOR && m->due.st != LIC_V_ABSENT &&
            m->breach_class && !strcmp(m->breach_class, "diligence"))
            return true;
    }
    return false;
}

static void grants(ck *c)
{
    const lic_agreement *a = c->a;
    char path[64];
    for (size_t i = 0; i < a->ngrants; i++) {
        const lic_grant *g = &a->grants[i];
        snprintf(path, sizeof path, "grants[%zu]", i);
        if ((g->exclusivity == LIC_EXCL_EXCLUSIVE || g->exclusivity == LIC_EXCL_SOLE) && !has_diligence(a, i))
            emit(c, LIC_SEV_WARNING, g->pos, "no-diligence", path,
                 "%s grant %s has no diligence milestone and no exclusivity performance rule",
                 lic_exclusivity_name(g->exclusivity), g->id);
    }
    for (size_t p = 0; p < a->technology.npatents; p++) {
        const lic_patent *pt = &a->technology.patents[p];
        lic_tset covered;
        lic_tset_clear(&covered);
        for (size_t i = 0; i < a->ngrants; i++)
            covered = lic_tset_union(covered, a->grants[i].scope.territories);
        lic_tset out = lic_tset_diff(pt->countries, covered);
        if (!lic_tset_is_empty(&out)) {
            char list[256];
            lic_tset_format(&out, list, sizeof list);
            snprintf(path, sizeof path, "technology.patents[%zu]", p);
            emit(c, LIC_SEV_WARNING, pt->pos, "patent-uncovered", path,
                 "patent %s covers %s, where no grant applies", pt->id, list);
        }
    }
}

/* Grants and licensor obligations that run past the term (FORMAT 2). */
static void after_term(ck *c)
{
    const lic_agreement *a = c->a;
    if (a->term.ends.st != LIC_V_KNOWN)
        return;
    lic_date end = a->term.ends.v;
    char path[64], ds[LIC_DATE_STRLEN], es[LIC_DATE_STRLEN];
    lic_date_str(end, es);
    for (size_t i = 0; i < a->ngrants; i++) {
        const lic_grant *g = &a->grants[i];
        if (g->until.st != LIC_V_KNOWN || g->until.v <= end)
            continue;
        lic_date_str(g->until.v, ds);
        snprintf(path, sizeof path, "grants[%zu].until", i);
        emit(c, LIC_SEV_WARNING, g->until.pos, "after-term", path,
             "grant %s runs until %s, after the term ends (%s)", g->id, ds, es);
    }
    for (size_t i = 0; i < a->nlicensor_obligations; i++) {
        const lic_licensor_obligation *ob = &a->licensor_obligations[i];
        lic_date due;
        if (lic_dexpr_resolve(a, &ob->due, true, &due) || due <= end)
            continue;
        lic_date_str(due, ds);
        snprintf(path, sizeof path, "licensor_obligations[%zu].due", i);
        emit(c, LIC_SEV_WARNING, ob->due.pos, "after-term", path,
             "licensor obligation %s is due %s, after the term ends (%s)", ob->id, ds, es);
    }
}

static void remedy(ck *c, const lic_remedy *r, const char *path)
{
    const lic_agreement *a = c->a;
    if (r->grant_index < 0 || (size_t)r->grant_index >= a->ngrants)
        return;
    const lic_grant *g = &a->grants[r->grant_index];
    if (r->part.has_territories && !lic_tset_contains(&g->scope.territories, &r->part.territories)) {
        lic_tset out = lic_tset_diff(r->part.territories, g->scope.territories);
        char list[256];
        lic_tset_format(&out, list, sizeof list);
        emit(c, LIC_SEV_ERROR, r->pos, "remedy-scope", path,
             "%s names territories outside grant %s: %s", lic_action_name(r->action), g->id, list);
    }
    if (r->part.has_fields && !lic_fset_contains(&g->scope.fields, &r->part.fields)) {
        lic_fset out = lic_fset_diff(r->part.fields, g->scope.fields);
        char list[256];
        lic_fset_format(a->fields, &out, list, sizeof list);
        emit(c, LIC_SEV_ERROR, r->pos, "remedy-scope", path,
             "%s names fields outside grant %s: %s", lic_action_name(r->action), g->id, list);
    }
}

static void remedies(ck *c)
{
    const lic_agreement *a = c->a;
    char path[128];
    for (size_t i = 0; i < a->nmilestones; i++)
        if (a->milestones[i].has_on_miss) {
            snprintf(path, sizeof path, "milestones[%zu].on_miss", i);
            remedy(c, &a->milestones[i].on_miss, path);
        }
    for (size_t i = 0; i < a->breach.nladders; i++) {
        const lic_ladder *l = &a->breach.ladders[i];
        if (a->breach.nclasses && !lic_agreement_breach_class(a, l->cls))
            emit(c, LIC_SEV_WARNING, l->pos, "unknown-class", "breach.remedies",
                 "remedy ladder for class \"%s\", which breach.classes does not define", l->cls);
        for (size_t j = 0; j < l->nrungs; j++) {
            snprintf(path, sizeof path, "breach.remedies.%s[%zu]", l->cls, j);
            remedy(c, &l->rungs[j], path);
        }
    }
    for (size_t i = 0; i < a->breach.nrepeated; i++) {
        snprintf(path, sizeof path, "breach.repeated[%zu].remedy", i);
        remedy(c, &a->breach.repeated[i].remedy, path);
    }
    for (size_t i = 0; i < a->exclusivity.nperformance; i++) {
        snprintf(path, sizeof path, "exclusivity.performance[%zu]", i);
        remedy(c, &a->exclusivity.performance[i].on_miss, path);
    }
}

static void tiers(ck *c)
{
    const lic_royalties *r = &c->a->payments.royalties;
    char path[128];
    for (size_t s = 0; s < r->nschedules; s++) {
        const lic_schedule *sc = &r->schedules[s];
        lic_amount prev = -1;
        for (size_t b = 0; b < sc->nbands; b++) {
            const lic_band *bd = &sc->bands[b];
            snprintf(path, sizeof path, "payments.royalties.schedules[%zu].tiers.bands[%zu]", s, b);
            if (bd->up_to.st == LIC_V_ABSENT && b + 1 < sc->nbands)
                emit(c, LIC_SEV_ERROR, bd->pos, "tiers", path,
                     "only the last band may be open-ended (no up_to)");
            if (bd->up_to.st != LIC_V_KNOWN)
                continue;
            if (bd->up_to.v <= prev)
                emit(c, LIC_SEV_ERROR, bd->up_to.pos, "tiers", path,
                     "band bounds must increase: up_to is not above the previous band's");
            prev = bd->up_to.v;
            if (bd->amount.st != LIC_V_ABSENT && sc->method != LIC_TIERS_WHOLE)
                emit(c, LIC_SEV_ERROR, bd->pos, "tiers", path,
                     "a fixed amount band needs method: whole");
        }
    }
}

static void sublicensing(ck *c)
{
    const lic_agreement *a = c->a;
    if (!a->payments.sublicense_income.present)
        return;
    for (size_t i = 0; i < a->ngrants; i++)
        if (a->grants[i].sublicensable)
            return;
    emit(c, LIC_SEV_WARNING, a->payments.sublicense_income.pos, "not-sublicensable",
         "payments.sublicense_income", "sublicense income is shared but no grant is sublicensable");
}

static void missing_terms(ck *c)
{
    for (size_t i = 0; i < c->a->nmissing; i++) {
        const lic_missing *m = &c->a->missing[i];
        emit(c, LIC_SEV_WARNING, m->pos, "missing-term", m->path,
             "term is %s; results that depend on it will be indeterminate",
             m->st == LIC_V_REDACTED ? "redacted" : "unknown");
    }
}

lic_err lic_check_agreement(const lic_agreement *a, lic_diags *d)
{
    ck c = {a, d, LIC_OK};
    milestones(&c);
    grants(&c);
    after_term(&c);
    remedies(&c);
    tiers(&c);
    sublicensing(&c);
    missing_terms(&c);
    return c.rc;
}

/* Field paths of two agreements overlap when one is the other or lies
 * below it ("therapeutics" and "therapeutics/oncology"). */
static bool path_within(const char *inner, const char *outer)
{
    size_t n = strlen(outer);
    return !strncmp(inner, outer, n) && (inner[n] == '\0' || inner[n] == '/');
}

static size_t field_overlap(const lic_agreement *a, const lic_grant *g, const lic_agreement *b,
                            const lic_grant *h, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    /* A grant without fields: covers every field of its agreement. */
    static const char *const all[] = {""};
    const char *const *gv = g->scope.field_names.n ? g->scope.field_names.v : all;
    const char *const *hv = h->scope.field_names.n ? h->scope.field_names.v : all;
    size_t gn = g->scope.field_names.n ? g->scope.field_names.n : 1;
    size_t hn = h->scope.field_names.n ? h->scope.field_names.n : 1;
    size_t count = 0;
    (void)a;
    (void)b;
    for (size_t i = 0; i < gn; i++)
        for (size_t j = 0; j < hn; j++) {
            const char *x = gv[i], *y = hv[j], *pick = NULL;
            if (!*x || path_within(y, x))
                pick = *y ? y : "all fields";
            else if (!*y || path_within(x, y))
                pick = x;
            if (!pick)
                continue;
            count++;
            if (len < size)
                len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", pick);
        }
    return count;
}

static lic_err conflict(lic_diags *d, const lic_agreement *a, size_t gi, const lic_agreement *b, size_t hi)
{
    const lic_grant *g = &a->grants[gi], *h = &b->grants[hi];
    if (g->exclusivity != LIC_EXCL_EXCLUSIVE && g->exclusivity != LIC_EXCL_SOLE &&
        h->exclusivity != LIC_EXCL_EXCLUSIVE && h->exclusivity != LIC_EXCL_SOLE)
        return LIC_OK;
    lic_tset t = lic_tset_intersect(g->scope.territories, h->scope.territories);
    if (lic_tset_is_empty(&t))
        return LIC_OK;
    lic_date g0 = lic_grant_first_day(a, g), g1 = lic_grant_last_day(a, g);
    lic_date h0 = lic_grant_first_day(b, h), h1 = lic_grant_last_day(b, h);
    if (g0 == LIC_DATE_NONE || h0 == LIC_DATE_NONE)
        return LIC_OK;
    lic_date from = g0 > h0 ? g0 : h0;
    lic_date until = g1 == LIC_DATE_NONE ? h1 : h1 == LIC_DATE_NONE ? g1 : (g1 < h1 ? g1 : h1);
    if (until != LIC_DATE_NONE && until < from)
        return LIC_OK;
    char fields[512], countries[1024], fs[LIC_DATE_STRLEN], us[32] = "the end of the term";
    if (!field_overlap(a, g, b, h, fields, sizeof fields))
        return LIC_OK;
    lic_tset_format(&t, countries, sizeof countries);
    lic_date_str(from, fs);
    if (until != LIC_DATE_NONE)
        lic_date_str(until, us);
    char path[64];
    snprintf(path, sizeof path, "grants[%zu]", hi);
    return lic_diags_add(d, LIC_SEV_ERROR, b->file, h->pos.line, h->pos.col, "conflict", path,
                         "%s grant %s of %s overlaps %s grant %s of %s (%s:%d) for licensor %s: fields %s; countries %s; from %s to %s",
                         lic_exclusivity_name(h->exclusivity), h->id, b->id,
                         lic_exclusivity_name(g->exclusivity), g->id, a->id, a->file, g->pos.line,
                         a->licensor.id, fields, countries, fs, us);
}

lic_err lic_check_portfolio(lic_agreement *const *as, size_t n, lic_diags *d)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const lic_agreement *a = as[i], *b = as[j];
            if (!a || !b || !a->licensor.id || !b->licensor.id || strcmp(a->licensor.id, b->licensor.id))
                continue;
            for (size_t gi = 0; gi < a->ngrants; gi++)
                for (size_t hi = 0; hi < b->ngrants; hi++) {
                    lic_err rc = conflict(d, a, gi, b, hi);
                    if (rc)
                        return rc;
                }
        }
    return LIC_OK;
}
