/*
 * agreement_ms.c - milestones (FORMAT 2.2), the resolution of milestone
 * anchors in date expressions, and the deadline-cycle check.
 */
#include "load_int.h"

#include <stdio.h>
#include <string.h>

static const char *const ms_keys[] = {
    "id", "title", "kind", "owner", "due", "deliverables", "acceptance", "verification",
    "payment", "breach_class", "extensions", "catch_up", "when", "repeat", "on_miss", NULL};

static void ms_payment(ld_ctx *c, const lic_ynode *n, lic_milestone *m)
{
    static const char *const keys[] = {"amount", "due", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    m->payment.present = true;
    lic_ynode *x = ld_require(c, n, "amount");
    if (x) {
        size_t o = ld_push_key(c, "amount");
        ld_amount_v(c, x, c->digits, &m->payment.amount);
        ld_pop(c, o);
    }
    LD_OPT(c, n, "due", ld_duration_v(c, v_, &m->payment.due));
}

static void ms_extensions(ld_ctx *c, const lic_ynode *n, lic_milestone *m)
{
    static const char *const keys[] = {"max", "each", "fee", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    m->extensions.present = true;
    long max = 1;
    LD_OPT(c, n, "max", ld_int(c, v_, 0, 100, &max));
    m->extensions.max = (int)max;
    lic_ynode *x = ld_require(c, n, "each");
    if (x) {
        size_t o = ld_push_key(c, "each");
        ld_duration_v(c, x, &m->extensions.each);
        ld_pop(c, o);
    }
    LD_OPT(c, n, "fee", ld_amount_v(c, v_, c->digits, &m->extensions.fee));
}

/* when: { net_sales_in_year: {exceeds|reaches: X} } or { first_sale_in: [CC] } */
static void ms_when(ld_ctx *c, const lic_ynode *n, lic_milestone *m)
{
    static const char *const keys[] = {"net_sales_in_year", "cumulative_net_sales",
                                       "cumulative_units", "first_sale_in", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    if (n->n != 1) {
        ld_error(c, n, "expected exactly one condition (net_sales_in_year, cumulative_net_sales, cumulative_units or first_sale_in)");
        return;
    }
    const lic_ynode *k = n->pairs[0].key, *v = n->pairs[0].value;
    size_t o = ld_push_key(c, k->text);
    if (lic__yscalar_is(k, "first_sale_in")) {
        m->when.cond = LIC_COND_FIRST_SALE_IN;
        m->when.where.has_territories =
            ld_territories(c, v, &m->when.where.territories, &m->when.where.territory_names);
    } else {
        bool units = lic__yscalar_is(k, "cumulative_units");
        m->when.cond = units ? LIC_COND_CUMULATIVE_UNITS
                       : lic__yscalar_is(k, "net_sales_in_year") ? LIC_COND_NET_SALES_IN_YEAR
                                                                 : LIC_COND_CUMULATIVE_NET_SALES;
        static const char *const ck[] = {"exceeds", "reaches", NULL};
        if (ld_is_map(c, v)) {
            ld_check_keys(c, v, ck);
            lic_ynode *ex = lic__ymap_get(v, "exceeds"), *re = lic__ymap_get(v, "reaches");
            if (!!ex == !!re)
                ld_error(c, v, "expected exactly one of exceeds or reaches");
            else {
                m->when.reaches = re != NULL;
                size_t o2 = ld_push_key(c, re ? "reaches" : "exceeds");
                ld_amount_v(c, re ? re : ex, units ? 0 : c->digits, &m->when.threshold);
                ld_pop(c, o2);
            }
        }
    }
    ld_pop(c, o);
}

static void milestone(ld_ctx *c, const lic_ynode *n, int idx, lic_milestone *m)
{
    static const char *const kinds[] = {"development", "regulatory", "commercial", "sales", NULL};
    static const char *const verif[] = {"self_certified", "evidence", "third_party", NULL};
    static const char *const repeats[] = {"once", "every_year", NULL};
    m->pos = ld_pos(n);
    m->breach_class = "diligence";
    m->owner = LIC_PARTY_LICENSEE;
    m->due.ref_index = -1;
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, ms_keys);
    lic_ynode *x;
    if ((x = ld_require(c, n, "id"))) {
        size_t o = ld_push_key(c, "id");
        if (ld_id(c, x, &m->id))
            for (int j = 0; j < idx; j++)
                ld_dup(c, x, m->id, c->a->milestones[j].id, c->a->milestones[j].pos);
        ld_pop(c, o);
    }
    LD_OPT(c, n, "title", ld_string(c, v_, &m->title));
    int k = 0;
    if ((x = ld_require(c, n, "kind"))) {
        size_t o = ld_push_key(c, "kind");
        ld_enum(c, x, kinds, &k);
        ld_pop(c, o);
    }
    m->kind = (lic_ms_kind)k;
    LD_OPT(c, n, "owner", ld_party_role(c, v_, &m->owner));
    LD_OPT(c, n, "due", ld_dexpr(c, v_, false, idx, &m->due));
    LD_OPT(c, n, "deliverables", ld_strlist(c, v_, false, &m->deliverables));
    LD_OPT(c, n, "acceptance", ld_string(c, v_, &m->acceptance));
    int vi = -1;
    LD_OPT(c, n, "verification", ld_enum(c, v_, verif, &vi));
    m->verification = vi < 0 ? LIC_VERIFY_NONE : (lic_verification)(vi + 1);
    LD_OPT(c, n, "payment", (ms_payment(c, v_, m), 0));
    LD_OPT(c, n, "breach_class", ld_id(c, v_, &m->breach_class));
    LD_OPT(c, n, "extensions", (ms_extensions(c, v_, m), 0));
    LD_OPT(c, n, "catch_up", ld_strlist(c, v_, true, &m->catch_up));
    LD_OPT(c, n, "when", (ms_when(c, v_, m), 0));
    int r = 0;
    LD_OPT(c, n, "repeat", ld_enum(c, v_, repeats, &r));
    m->repeat_every_year = r == 1;
    if ((x = lic__ymap_get(n, "on_miss"))) {
        size_t o = ld_push_key(c, "on_miss");
        m->has_on_miss = ld_remedy(c, x, &m->on_miss);
        ld_pop(c, o);
    }
    bool sales = m->kind == LIC_MS_SALES;
    if (sales && m->when.cond == LIC_COND_NONE && !lic__ymap_get(n, "when"))
        ld_error(c, n, "a sales milestone needs when: (the sales condition)");
}

void lic__load_milestones(ld_ctx *c, const lic_ynode *root)
{
    lic_ynode *ms = lic__ymap_get(root, "milestones");
    if (!ms)
        return;
    size_t o = ld_push_key(c, "milestones");
    if (ld_is_seq(c, ms)) {
        c->a->milestones = ld_array(c, ms, sizeof *c->a->milestones, &c->a->nmilestones);
        for (size_t i = 0; i < c->a->nmilestones; i++) {
            size_t o2 = ld_push_index(c, i);
            milestone(c, ms->items[i], (int)i, &c->a->milestones[i]);
            ld_pop(c, o2);
        }
    }
    ld_pop(c, o);
}

int lic_agreement_milestone_index(const lic_agreement *a, const char *id)
{
    for (size_t i = 0; id && i < a->nmilestones; i++)
        if (a->milestones[i].id && !strcmp(a->milestones[i].id, id))
            return (int)i;
    return -1;
}

const lic_missing *lic_agreement_missing_at(const lic_agreement *a, lic_pos pos)
{
    for (size_t i = 0; i < a->nmissing; i++)
        if (a->missing[i].pos.line == pos.line && a->missing[i].pos.col == pos.col)
            return &a->missing[i];
    return NULL;
}

int lic_agreement_grant_index(const lic_agreement *a, const char *id)
{
    for (size_t i = 0; id && i < a->ngrants; i++)
        if (a->grants[i].id && !strcmp(a->grants[i].id, id))
            return (int)i;
    return -1;
}

/* "effective, first_commercial_sale, M1, M2" for unknown-anchor messages,
 * or just the milestone ids when `anchors` is false. */
static void known_anchors(const lic_agreement *a, bool anchors, char *buf, size_t size)
{
    size_t len = (size_t)snprintf(buf, size, "%s", anchors ? "effective, first_commercial_sale" : "");
    for (size_t i = 0; i < a->nmilestones && len < size; i++)
        if (a->milestones[i].id)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", a->milestones[i].id);
}

/* known_anchors into buf unless it holds them already (an empty list is
 * simply built again): only a message needs them. */
static const char *known_names(const lic_agreement *a, bool anchors, char *buf, size_t size)
{
    if (!buf[0])
        known_anchors(a, anchors, buf, size);
    return buf;
}

/* Diagnostics for resolved refs are reported with the path saved when the
 * expression was read; we report at a synthetic node carrying the pos. */
static void ref_error(ld_ctx *c, const ld_ref *r, const char *fmt, const char *a1, const char *a2)
{
    lic_err rc = lic_diags_add(c->diags, LIC_SEV_ERROR, c->file, r->pos.line, r->pos.col,
                               "error", r->path, fmt, a1, a2);
    if (rc)
        c->oom = rc;
}

/* Depth-first search over "milestone i's deadline rests on milestone j". */
static bool cycle_from(const lic_agreement *a, int i, int *state, int *stack, int depth,
                       int *cycle_len)
{
    state[i] = 1;
    stack[depth] = i;
    const lic_dexpr *e = &a->milestones[i].due;
    int j = e->st == LIC_V_KNOWN && e->anchor == LIC_ANCHOR_MILESTONE ? e->ref_index : -1;
    if (j >= 0) {
        if (state[j] == 1) {
            int start = 0;
            while (stack[start] != j)
                start++;
            for (int k = start; k <= depth; k++)
                stack[k - start] = stack[k];
            *cycle_len = depth - start + 1;
            return true;
        }
        if (state[j] == 0 && cycle_from(a, j, state, stack, depth + 1, cycle_len))
            return true;
    }
    state[i] = 2;
    return false;
}

static void check_cycles(ld_ctx *c)
{
    lic_agreement *a = c->a;
    size_t n = a->nmilestones;
    if (!n)
        return;
    int *state = ld_alloc(c, n * sizeof *state), *stack = ld_alloc(c, n * sizeof *stack);
    if (!state || !stack)
        return;
    for (size_t i = 0; i < n; i++) {
        int len = 0;
        if (state[i] || !cycle_from(a, (int)i, state, stack, 0, &len))
            continue;
        char chain[400];
        size_t pos = 0;
        for (int k = 0; k <= len && pos < sizeof chain; k++)
            pos += (size_t)snprintf(chain + pos, sizeof chain - pos, "%s%s", k ? " -> " : "",
                                    a->milestones[stack[k % len]].id);
        const lic_milestone *m = &a->milestones[stack[0]];
        char path[64];
        snprintf(path, sizeof path, "milestones[%d].due", stack[0]);
        lic_err rc = lic_diags_add(c->diags, LIC_SEV_ERROR, c->file, m->due.pos.line,
                                   m->due.pos.col, "error", path,
                                   "deadlines depend on each other in a cycle: %s", chain);
        if (rc)
            c->oom = rc;
        /* Mark the cycle done so it is reported once. */
        for (int k = 0; k < len; k++)
            state[stack[k]] = 2;
    }
}

void lic__load_resolve(ld_ctx *c)
{
    lic_agreement *a = c->a;
    /* Lists of names for messages, built at the first (known_names). */
    char known[1024] = "", ids[1024] = "";
    for (size_t i = 0; i < c->nrefs; i++) {
        ld_ref *r = &c->refs[i];
        r->e->ref_index = lic_agreement_milestone_index(a, r->e->ref);
        if (r->e->ref_index < 0)
            ref_error(c, r, "unknown anchor \"%s\" (known: %s)", r->e->ref,
                      known_names(a, true, known, sizeof known));
        else if (r->e->ref_index == r->self) {
            ref_error(c, r, "a milestone's deadline cannot be anchored to itself (\"%s\")%s",
                      r->e->ref, "");
            r->e->ref_index = -1;
        }
    }
    for (size_t i = 0; i < a->nmilestones; i++) {
        lic_milestone *m = &a->milestones[i];
        m->catch_up_index = m->catch_up.n ? ld_alloc(c, m->catch_up.n * sizeof(int)) : NULL;
        for (size_t j = 0; m->catch_up_index && j < m->catch_up.n; j++) {
            m->catch_up_index[j] = lic_agreement_milestone_index(a, m->catch_up.v[j]);
            if (m->catch_up_index[j] < 0) {
                char path[64];
                snprintf(path, sizeof path, "milestones[%zu].catch_up[%zu]", i, j);
                lic_err rc = lic_diags_add(c->diags, LIC_SEV_ERROR, c->file, m->pos.line, m->pos.col,
                                           "error", path, "unknown milestone \"%s\" (known: %s)",
                                           m->catch_up.v[j], known_names(a, false, ids, sizeof ids));
                if (rc)
                    c->oom = rc;
            }
        }
    }
    check_cycles(c);
}
