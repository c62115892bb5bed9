/*
 * agreement_rules.c - the rule sections of an agreement: reporting,
 * licensor obligations, governance, audit (2.4); breach and force majeure
 * (2.5); exclusivity, options, renegotiation (2.6); improvements, change
 * of control, termination, disputes (2.7).  Also the enum names and
 * lic_dexpr_resolve.
 */
#include "load_int.h"

#include <stdio.h>
#include <string.h>

/* Runs `fn` on root[key] under the key's path, if present. */
#define SECTION(c, root, key, fn)                               \
    LD_OPT(c, root, key, (fn(c, v_), 0))

static void report_rule(ld_ctx *c, const lic_ynode *n, lic_report_rule *r)
{
    static const char *const keys[] = {"every", "due", "due_on", "payment_due", "from", NULL};
    static const char *const every[] = {"month", "quarter", "half", "year", NULL};
    r->pos = ld_pos(n);
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    r->present = true;
    int e = 1;
    LD_REQ(c, n, "every", ld_enum(c, v_, every, &e));
    r->every = (lic_period_kind)e;
    LD_OPT(c, n, "due", ld_duration_v(c, v_, &r->due));
    lic_ynode *on = lic__ymap_get(n, "due_on");
    if (on) {
        size_t o = ld_push_key(c, "due_on");
        if (ld_is_seq(c, on)) {
            r->due_on = ld_array(c, on, sizeof *r->due_on, &r->ndue_on);
            for (size_t i = 0; i < r->ndue_on; i++) {
                size_t o2 = ld_push_index(c, i);
                ld_month_day(c, on->items[i], &r->due_on[i].month, &r->due_on[i].day);
                ld_pop(c, o2);
            }
        }
        ld_pop(c, o);
    }
    if (!!lic__ymap_get(n, "due") == !!on)
        ld_error(c, n, "expected exactly one of due or due_on");
    lic_ynode *pd = lic__ymap_get(n, "payment_due");
    if (pd) {
        size_t o = ld_push_key(c, "payment_due");
        static const char *const pk[] = {"after", "days", "business_days", "months", "years", NULL};
        if (ld_is_map(c, pd)) {
            ld_check_keys(c, pd, pk);
            lic_ynode *after = ld_require(c, pd, "after");
            if (after && !lic__yscalar_is(after, "report")) {
                size_t o2 = ld_push_key(c, "after");
                ld_error(c, after, "expected report, got \"%s\"", after->type == LIC_Y_SCALAR ? after->text : "?");
                ld_pop(c, o2);
            }
            bool any;
            r->payment_after_report = true;
            r->payment_due.st = LIC_V_KNOWN;
            r->payment_due.pos = ld_pos(pd);
            ld_duration_fields(c, pd, &r->payment_due.v, &any);
        }
        ld_pop(c, o);
    }
    LD_OPT(c, n, "from", ld_dexpr(c, v_, true, -1, &r->from));
}

static void reporting(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"royalty_report", "progress_report", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    LD_OPT(c, n, "royalty_report", (report_rule(c, v_, &c->a->reporting.royalty_report), 0));
    LD_OPT(c, n, "progress_report", (report_rule(c, v_, &c->a->reporting.progress_report), 0));
}

static void licensor_obligations(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"id", "title", "due", "on_late", NULL};
    static const char *const on_late[] = {"none", "extend_milestones", NULL};
    lic_agreement *a = c->a;
    if (!ld_is_seq(c, n))
        return;
    a->licensor_obligations = ld_array(c, n, sizeof *a->licensor_obligations, &a->nlicensor_obligations);
    for (size_t i = 0; i < a->nlicensor_obligations; i++) {
        lic_licensor_obligation *ob = &a->licensor_obligations[i];
        const lic_ynode *m = n->items[i];
        size_t o = ld_push_index(c, i);
        ob->pos = ld_pos(m);
        if (ld_is_map(c, m)) {
            ld_check_keys(c, m, keys);
            LD_REQ(c, m, "id", ld_id(c, v_, &ob->id));
            for (size_t j = 0; j < i; j++)
                ld_dup(c, m, ob->id, a->licensor_obligations[j].id, a->licensor_obligations[j].pos);
            LD_OPT(c, m, "title", ld_string(c, v_, &ob->title));
            LD_REQ(c, m, "due", ld_dexpr(c, v_, false, -1, &ob->due));
            int ol = 0;
            LD_OPT(c, m, "on_late", ld_enum(c, v_, on_late, &ol));
            ob->extend_milestones = ol == 1;
        }
        ld_pop(c, o);
    }
}

static void governance(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"committee", NULL};
    static const char *const ck[] = {"every", "from", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    lic_ynode *cm = lic__ymap_get(n, "committee");
    if (!cm)
        return;
    size_t o = ld_push_key(c, "committee");
    if (ld_is_map(c, cm)) {
        ld_check_keys(c, cm, ck);
        c->a->committee.present = true;
        c->a->committee.pos = ld_pos(cm);
        LD_REQ(c, cm, "every", ld_duration_v(c, v_, &c->a->committee.every));
        LD_OPT(c, cm, "from", ld_dexpr(c, v_, true, -1, &c->a->committee.from));
    }
    ld_pop(c, o);
}

static void audit(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"lookback_years", "notice", "cost_shift", NULL};
    static const char *const ck[] = {"threshold", "inclusive", "base", "window", NULL};
    static const char *const bases[] = {"due", "paid", NULL};
    static const char *const windows[] = {"period", "year", "any_12_months", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    __typeof__(c->a->audit) *au = &c->a->audit;
    au->present = true;
    long y = 0;
    LD_OPT(c, n, "lookback_years", ld_int(c, v_, 1, 100, &y));
    au->lookback_years = (int)y;
    LD_OPT(c, n, "notice", ld_duration_v(c, v_, &au->notice));
    lic_ynode *cs = lic__ymap_get(n, "cost_shift");
    if (!cs)
        return;
    size_t o = ld_push_key(c, "cost_shift");
    if (ld_is_map(c, cs)) {
        ld_check_keys(c, cs, ck);
        au->cost_shift.present = true;
        LD_REQ(c, cs, "threshold", ld_rate_v(c, v_, &au->cost_shift.threshold));
        LD_OPT(c, cs, "inclusive", ld_bool(c, v_, &au->cost_shift.inclusive));
        int b = 0, w = 0;
        LD_OPT(c, cs, "base", ld_enum(c, v_, bases, &b));
        LD_OPT(c, cs, "window", ld_enum(c, v_, windows, &w));
        au->cost_shift.base_paid = b == 1;
        au->cost_shift.window = w;
    }
    ld_pop(c, o);
}

static void breach_classes(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"cure", "notice_required", NULL};
    static const char *const cure_keys[] = {"days", "business_days", "months", "years", "extendable_to", NULL};
    __typeof__(c->a->breach) *b = &c->a->breach;
    if (!ld_is_map(c, n))
        return;
    b->classes = ld_alloc(c, (n->n + 1) * sizeof *b->classes);
    for (size_t i = 0; b->classes && i < n->n; i++) {
        const lic_ynode *k = n->pairs[i].key, *v = n->pairs[i].value;
        lic_breach_class *bc = &b->classes[b->nclasses++];
        size_t o = ld_push_key(c, k->text);
        ld_id(c, k, &bc->name);
        bc->pos = ld_pos(k);
        bc->notice_required = true;
        if (ld_is_map(c, v)) {
            ld_check_keys(c, v, keys);
            LD_OPT(c, v, "notice_required", ld_bool(c, v_, &bc->notice_required));
            lic_ynode *cure = ld_require(c, v, "cure");
            if (cure) {
                size_t o2 = ld_push_key(c, "cure");
                /* cure: {days: 60, extendable_to: {days: 120}} */
                if (cure->type == LIC_Y_MAP) {
                    ld_check_keys(c, cure, cure_keys);
                    lic_ynode *ext = lic__ymap_get(cure, "extendable_to");
                    if (ext) {
                        size_t o3 = ld_push_key(c, "extendable_to");
                        ld_duration_v(c, ext, &bc->extendable_to);
                        ld_pop(c, o3);
                    }
                    bool any;
                    bc->cure.st = LIC_V_KNOWN;
                    bc->cure.pos = ld_pos(cure);
                    ld_duration_fields(c, cure, &bc->cure.v, &any);
                    if (!any)
                        ld_error(c, cure, "expected a duration with days, business_days, months or years");
                } else
                    ld_duration_v(c, cure, &bc->cure);
                ld_pop(c, o2);
            }
        }
        ld_pop(c, o);
    }
}

static void remedies(ld_ctx *c, const lic_ynode *n)
{
    __typeof__(c->a->breach) *b = &c->a->breach;
    if (!ld_is_map(c, n))
        return;
    b->ladders = ld_alloc(c, (n->n + 1) * sizeof *b->ladders);
    for (size_t i = 0; b->ladders && i < n->n; i++) {
        const lic_ynode *k = n->pairs[i].key, *v = n->pairs[i].value;
        lic_ladder *l = &b->ladders[b->nladders++];
        size_t o = ld_push_key(c, k->text);
        ld_id(c, k, &l->cls);
        l->pos = ld_pos(k);
        if (ld_is_seq(c, v)) {
            l->rungs = ld_array(c, v, sizeof *l->rungs, &l->nrungs);
            for (size_t j = 0; j < l->nrungs; j++) {
                size_t o2 = ld_push_index(c, j);
                ld_remedy(c, v->items[j], &l->rungs[j]);
                ld_pop(c, o2);
            }
        }
        ld_pop(c, o);
    }
}

static void repeated(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"class", "count", "within", "remedy", NULL};
    __typeof__(c->a->breach) *b = &c->a->breach;
    if (!ld_is_seq(c, n))
        return;
    b->repeated = ld_array(c, n, sizeof *b->repeated, &b->nrepeated);
    for (size_t i = 0; i < b->nrepeated; i++) {
        lic_repeated *r = &b->repeated[i];
        const lic_ynode *m = n->items[i];
        size_t o = ld_push_index(c, i);
        r->pos = ld_pos(m);
        if (ld_is_map(c, m)) {
            ld_check_keys(c, m, keys);
            LD_REQ(c, m, "class", ld_id(c, v_, &r->cls));
            long cnt = 2;
            LD_REQ(c, m, "count", ld_int(c, v_, 2, 1000, &cnt));
            r->count = (int)cnt;
            LD_OPT(c, m, "within", ld_duration_v(c, v_, &r->within));
            LD_REQ(c, m, "remedy", ld_remedy(c, v_, &r->remedy));
        }
        ld_pop(c, o);
    }
}

static void breach(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"classes", "cure_from", "remedies", "repeated", NULL};
    static const char *const froms[] = {"received", "sent", "notice_date", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    SECTION(c, n, "classes", breach_classes);
    int f = 0;
    LD_OPT(c, n, "cure_from", ld_enum(c, v_, froms, &f));
    c->a->breach.cure_from = f;
    SECTION(c, n, "remedies", remedies);
    SECTION(c, n, "repeated", repeated);
}

static void force_majeure(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"max", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    c->a->force_majeure.present = true;
    LD_OPT(c, n, "max", ld_duration_v(c, v_, &c->a->force_majeure.max));
}

static void grant_ref(ld_ctx *c, const lic_ynode *n, const char **id, int *index)
{
    *index = -1;
    if (ld_id(c, n, id) && (*index = lic_agreement_grant_index(c->a, *id)) < 0)
        ld_error(c, n, "unknown grant \"%s\"", *id);
}

static void exclusivity(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"performance", "sunset", NULL};
    static const char *const pk[] = {"grant", "territories", "fields", "min_net_sales", "every", "from", "on_miss", NULL};
    static const char *const sk[] = {"grant", "on", NULL};
    __typeof__(c->a->exclusivity) *ex = &c->a->exclusivity;
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    lic_ynode *p = lic__ymap_get(n, "performance");
    if (p) {
        size_t o = ld_push_key(c, "performance");
        if (ld_is_seq(c, p)) {
            ex->performance = ld_array(c, p, sizeof *ex->performance, &ex->nperformance);
            for (size_t i = 0; i < ex->nperformance; i++) {
                lic_perf_rule *r = &ex->performance[i];
                const lic_ynode *m = p->items[i];
                size_t o2 = ld_push_index(c, i);
                r->pos = ld_pos(m);
                r->every = LIC_PERIOD_YEAR;
                if (ld_is_map(c, m)) {
                    ld_check_keys(c, m, pk);
                    LD_REQ(c, m, "grant", (grant_ref(c, v_, &r->grant, &r->grant_index), 0));
                    ld_scope(c, m, &r->part);
                    LD_REQ(c, m, "min_net_sales", ld_amount_v(c, v_, c->digits, &r->min_net_sales));
                    LD_OPT(c, m, "every", ld_period_kind(c, v_, &r->every));
                    long y = 0;
                    LD_OPT(c, m, "from", ld_int(c, v_, 1900, 9999, &y));
                    r->from_year = (int)y;
                    LD_REQ(c, m, "on_miss", ld_remedy(c, v_, &r->on_miss));
                }
                ld_pop(c, o2);
            }
        }
        ld_pop(c, o);
    }
    lic_ynode *s = lic__ymap_get(n, "sunset");
    if (s) {
        size_t o = ld_push_key(c, "sunset");
        if (ld_is_map(c, s)) {
            ld_check_keys(c, s, sk);
            ex->sunset.present = true;
            ex->sunset.pos = ld_pos(s);
            LD_REQ(c, s, "grant", (grant_ref(c, v_, &ex->sunset.grant, &ex->sunset.grant_index), 0));
            LD_REQ(c, s, "on", ld_date_v(c, v_, &ex->sunset.on));
        }
        ld_pop(c, o);
    }
}

static void options(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"id", "title", "grant", "window", "fee", NULL};
    static const char *const gk[] = {"fields", "territories", "exclusivity", "sublicensable", NULL};
    static const char *const wk[] = {"from", "until", NULL};
    lic_agreement *a = c->a;
    if (!ld_is_seq(c, n))
        return;
    a->options = ld_array(c, n, sizeof *a->options, &a->noptions);
    for (size_t i = 0; i < a->noptions; i++) {
        lic_option *op = &a->options[i];
        const lic_ynode *m = n->items[i];
        size_t o = ld_push_index(c, i);
        op->pos = ld_pos(m);
        op->exclusivity = LIC_EXCL_NON_EXCLUSIVE;
        if (ld_is_map(c, m)) {
            ld_check_keys(c, m, keys);
            LD_REQ(c, m, "id", ld_id(c, v_, &op->id));
            for (size_t j = 0; j < i; j++)
                ld_dup(c, m, op->id, a->options[j].id, a->options[j].pos);
            LD_OPT(c, m, "title", ld_string(c, v_, &op->title));
            lic_ynode *g = ld_require(c, m, "grant");
            if (g) {
                size_t o2 = ld_push_key(c, "grant");
                if (ld_is_map(c, g)) {
                    ld_check_keys(c, g, gk);
                    ld_scope(c, g, &op->scope);
                    if (!lic__ymap_get(g, "fields")) {
                        op->scope.fields = lic_fieldtree_all(a->fields);
                        op->scope.has_fields = true;
                    }
                    LD_OPT(c, g, "exclusivity", ld_exclusivity(c, v_, &op->exclusivity));
                    LD_OPT(c, g, "sublicensable", ld_bool(c, v_, &op->sublicensable));
                }
                ld_pop(c, o2);
            }
            lic_ynode *w = ld_require(c, m, "window");
            if (w) {
                size_t o2 = ld_push_key(c, "window");
                if (ld_is_map(c, w)) {
                    ld_check_keys(c, w, wk);
                    LD_REQ(c, w, "from", ld_dexpr(c, v_, true, -1, &op->window_from));
                    LD_REQ(c, w, "until", ld_dexpr(c, v_, true, -1, &op->window_until));
                }
                ld_pop(c, o2);
            }
            LD_OPT(c, m, "fee", ld_amount_v(c, v_, c->digits, &op->fee));
        }
        ld_pop(c, o);
    }
}

static void renegotiation(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"every", "from", "after", "length", NULL};
    lic_agreement *a = c->a;
    if (!ld_is_seq(c, n))
        return;
    a->renegotiation = ld_array(c, n, sizeof *a->renegotiation, &a->nrenegotiation);
    for (size_t i = 0; i < a->nrenegotiation; i++) {
        lic_renegotiation *r = &a->renegotiation[i];
        const lic_ynode *m = n->items[i];
        size_t o = ld_push_index(c, i);
        r->pos = ld_pos(m);
        r->ms_index = -1;
        if (ld_is_map(c, m)) {
            ld_check_keys(c, m, keys);
            lic_ynode *after = lic__ymap_get(m, "after");
            r->recurring = after == NULL;
            if (after) {
                size_t o2 = ld_push_key(c, "after");
                if (ld_id(c, after, &r->after) &&
                    (r->ms_index = lic_agreement_milestone_index(a, r->after)) < 0)
                    ld_error(c, after, "unknown milestone \"%s\"", r->after);
                ld_pop(c, o2);
            } else {
                LD_REQ(c, m, "every", ld_duration_v(c, v_, &r->every));
                LD_REQ(c, m, "from", ld_date_v(c, v_, &r->from));
            }
            LD_REQ(c, m, "length", ld_duration_v(c, v_, &r->length));
        }
        ld_pop(c, o);
    }
}

static void improvements(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"licensee", "licensor", NULL};
    static const char *const lk[] = {"owner", "disclose", "grant_back", NULL};
    static const char *const ok[] = {"included", NULL};
    static const char *const backs[] = {"none", "non_exclusive_royalty_free", "non_exclusive_royalty_bearing",
                                        "exclusive_royalty_free", "exclusive_royalty_bearing", NULL};
    __typeof__(c->a->improvements) *im = &c->a->improvements;
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    lic_ynode *le = lic__ymap_get(n, "licensee");
    if (le) {
        size_t o = ld_push_key(c, "licensee");
        if (ld_is_map(c, le)) {
            ld_check_keys(c, le, lk);
            im->licensee.present = true;
            im->licensee.owner = LIC_PARTY_LICENSEE;
            LD_OPT(c, le, "owner", ld_party_role(c, v_, &im->licensee.owner));
            LD_OPT(c, le, "disclose", ld_duration_v(c, v_, &im->licensee.disclose));
            int b;
            LD_OPT(c, le, "grant_back", ld_enum(c, v_, backs, &b) ? (im->licensee.grant_back = backs[b], 0) : 0);
        }
        ld_pop(c, o);
    }
    lic_ynode *lo = lic__ymap_get(n, "licensor");
    if (lo) {
        size_t o = ld_push_key(c, "licensor");
        if (ld_is_map(c, lo)) {
            ld_check_keys(c, lo, ok);
            im->licensor.present = true;
            LD_OPT(c, lo, "included", ld_bool(c, v_, &im->licensor.included));
        }
        ld_pop(c, o);
    }
}

static void change_of_control(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"notice", "licensor_may_terminate", NULL};
    __typeof__(c->a->change_of_control) *cc = &c->a->change_of_control;
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    cc->present = true;
    LD_OPT(c, n, "notice", ld_duration_v(c, v_, &cc->notice));
    lic_ynode *t = lic__ymap_get(n, "licensor_may_terminate");
    if (t) {
        size_t o = ld_push_key(c, "licensor_may_terminate");
        cc->may_terminate = true;
        if (lic__yscalar_is(t, "immediately"))
            cc->immediately = true;
        else if (t->type == LIC_Y_SCALAR && !lic__yscalar_is(t, "redacted") && !lic__yscalar_is(t, "unknown"))
            ld_error(c, t, "expected immediately or a duration like {days: 90}, got \"%s\"", t->text);
        else
            ld_duration_v(c, t, &cc->within);
        ld_pop(c, o);
    }
}

static void termination(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"convenience", "no_sales", "post_termination_royalty",
                                       "sell_off", "wind_down", NULL};
    static const char *const ck[] = {"by", "notice", "not_before", NULL};
    static const char *const nk[] = {"consecutive", "every", NULL};
    static const char *const wk[] = {"id", "title", "due", NULL};
    __typeof__(c->a->termination) *t = &c->a->termination;
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    lic_ynode *cv = lic__ymap_get(n, "convenience");
    if (cv) {
        size_t o = ld_push_key(c, "convenience");
        if (ld_is_map(c, cv)) {
            ld_check_keys(c, cv, ck);
            t->convenience.present = true;
            t->convenience.by = LIC_PARTY_LICENSEE;
            LD_OPT(c, cv, "by", ld_party_role(c, v_, &t->convenience.by));
            LD_REQ(c, cv, "notice", ld_duration_v(c, v_, &t->convenience.notice));
            LD_OPT(c, cv, "not_before", ld_dexpr(c, v_, true, -1, &t->convenience.not_before));
        }
        ld_pop(c, o);
    }
    lic_ynode *ns = lic__ymap_get(n, "no_sales");
    if (ns) {
        size_t o = ld_push_key(c, "no_sales");
        if (ld_is_map(c, ns)) {
            ld_check_keys(c, ns, nk);
            t->no_sales.present = true;
            long k = 1;
            LD_REQ(c, ns, "consecutive", ld_int(c, v_, 1, 1000, &k));
            t->no_sales.consecutive = (int)k;
            t->no_sales.every = LIC_PERIOD_QUARTER;
            LD_OPT(c, ns, "every", ld_period_kind(c, v_, &t->no_sales.every));
        }
        ld_pop(c, o);
    }
    LD_OPT(c, n, "post_termination_royalty", ld_rate_v(c, v_, &t->post_termination_royalty));
    LD_OPT(c, n, "sell_off", ld_duration_v(c, v_, &t->sell_off));
    lic_ynode *wd = lic__ymap_get(n, "wind_down");
    if (wd) {
        size_t o = ld_push_key(c, "wind_down");
        if (ld_is_seq(c, wd)) {
            t->wind_down = ld_array(c, wd, sizeof *t->wind_down, &t->nwind_down);
            for (size_t i = 0; i < t->nwind_down; i++) {
                lic_wind_down *w = &t->wind_down[i];
                const lic_ynode *m = wd->items[i];
                size_t o2 = ld_push_index(c, i);
                w->pos = ld_pos(m);
                if (ld_is_map(c, m)) {
                    ld_check_keys(c, m, wk);
                    LD_REQ(c, m, "id", ld_id(c, v_, &w->id));
                    for (size_t j = 0; j < i; j++)
                        ld_dup(c, m, w->id, t->wind_down[j].id, t->wind_down[j].pos);
                    LD_OPT(c, m, "title", ld_string(c, v_, &w->title));
                    LD_REQ(c, m, "due", ld_duration_v(c, v_, &w->due));
                }
                ld_pop(c, o2);
            }
        }
        ld_pop(c, o);
    }
}

static void disputes(ld_ctx *c, const lic_ynode *n)
{
    static const char *const keys[] = {"negotiation", "mediation", "then", NULL};
    static const char *const thens[] = {"arbitration", "litigation", "expert_determination", NULL};
    if (!ld_is_map(c, n))
        return;
    ld_check_keys(c, n, keys);
    c->a->disputes.present = true;
    LD_OPT(c, n, "negotiation", ld_duration_v(c, v_, &c->a->disputes.negotiation));
    LD_OPT(c, n, "mediation", ld_duration_v(c, v_, &c->a->disputes.mediation));
    int t;
    LD_OPT(c, n, "then", ld_enum(c, v_, thens, &t) ? (c->a->disputes.then = thens[t], 0) : 0);
}

/* Remedies name grants by id; resolve them once all sections are read. */
static void resolve_remedy(ld_ctx *c, lic_remedy *r, const char *where)
{
    if (!r->grant)
        return;
    r->grant_index = lic_agreement_grant_index(c->a, r->grant);
    if (r->grant_index < 0) {
        lic_err rc = lic_diags_add(c->diags, LIC_SEV_ERROR, c->file, r->pos.line, r->pos.col,
                                   "error", where, "unknown grant \"%s\"", r->grant);
        if (rc)
            c->oom = rc;
    }
}

static void resolve_remedies(ld_ctx *c)
{
    lic_agreement *a = c->a;
    char path[128];
    for (size_t i = 0; i < a->nmilestones; i++)
        if (a->milestones[i].has_on_miss) {
            snprintf(path, sizeof path, "milestones[%zu].on_miss", i);
            resolve_remedy(c, &a->milestones[i].on_miss, path);
        }
    for (size_t i = 0; i < a->breach.nladders; i++)
        for (size_t j = 0; j < a->breach.ladders[i].nrungs; j++) {
            snprintf(path, sizeof path, "breach.remedies.%s[%zu]", a->breach.ladders[i].cls, j);
            resolve_remedy(c, &a->breach.ladders[i].rungs[j], path);
        }
    for (size_t i = 0; i < a->breach.nrepeated; i++) {
        snprintf(path, sizeof path, "breach.repeated[%zu].remedy", i);
        resolve_remedy(c, &a->breach.repeated[i].remedy, path);
    }
    for (size_t i = 0; i < a->exclusivity.nperformance; i++) {
        lic_perf_rule *p = &a->exclusivity.performance[i];
        if (!p->on_miss.grant) {
            p->on_miss.grant = p->grant;
            p->on_miss.grant_index = p->grant_index;
            if (!p->on_miss.part.has_territories && !p->on_miss.part.has_fields)
                p->on_miss.part = p->part;
        } else {
            snprintf(path, sizeof path, "exclusivity.performance[%zu].on_miss", i);
            resolve_remedy(c, &p->on_miss, path);
        }
    }
}

void ld_rules(ld_ctx *c, const lic_ynode *root)
{
    SECTION(c, root, "reporting", reporting);
    SECTION(c, root, "licensor_obligations", licensor_obligations);
    SECTION(c, root, "governance", governance);
    SECTION(c, root, "audit", audit);
    SECTION(c, root, "breach", breach);
    SECTION(c, root, "force_majeure", force_majeure);
    SECTION(c, root, "exclusivity", exclusivity);
    SECTION(c, root, "options", options);
    SECTION(c, root, "renegotiation", renegotiation);
    SECTION(c, root, "improvements", improvements);
    SECTION(c, root, "change_of_control", change_of_control);
    SECTION(c, root, "termination", termination);
    SECTION(c, root, "disputes", disputes);
    resolve_remedies(c);
}
