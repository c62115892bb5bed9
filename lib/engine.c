/*
 * engine.c - lic_engine_eval(): the driver of the lifecycle engine.
 *
 * 1. Choose the events that count: recorded on or before known-at (when
 *    given) and dated on or before as-of (amendments: effective on or
 *    before as-of), ordered by date, ties in file order.
 * 2. Apply amendments (engine_amend.c); compute what only events decide
 *    (sales facts, achievements) once.
 * 3. Run passes (see engine_int.h), each recording rejected events, until
 *    the next pass would repeat the last one (pass_repeats: it would read
 *    the same from the last pass's rights, royalty increases and grant
 *    pieces), or a pass's rights equal the previous pass's (then one final
 *    pass), at most MAX_PASSES.
 * 4. Sort every list in its documented order and compute the receipt.
 */
#include "engine_int.h"
#include "sha256.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PASSES 8

static const char *const deal_names[] = {"active", "terminating", "sell_off", "terminated", "expired"};

const char *lic_deal_state_name(lic_deal_state s)
{
    return (unsigned)s < 5 ? deal_names[s] : "?";
}

static int by_date_seq(const void *x, const void *y)
{
    const lic_event *a = *(const lic_event *const *)x, *b = *(const lic_event *const *)y;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static lic_err select_events(eng *g)
{
    size_t n = g->ev ? g->ev->n : 0;
    /* not zeroed: only the first ne and namends entries are ever read */
    g->e = lic__arena_alloc_raw(g->arena, (n ? n : 1) * sizeof *g->e);
    g->amends = lic__arena_alloc_raw(g->arena, (n ? n : 1) * sizeof *g->amends);
    if (!g->e || !g->amends)
        return LIC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const lic_event *e = &g->ev->v[i];
        /* The names events give (milestones, invoices, breaches) are read
         * by every pass, and each lies apart from its event: a cache miss
         * apiece when first compared.  Fetched here, they arrive while
         * the selection goes on. */
        if (e->ref)
            __builtin_prefetch(e->ref);
        if (e->nlines) /* a report's lines too: the sales facts read them next */
            __builtin_prefetch(e->lines);
        if (g->known_at != LIC_DATE_NONE && e->recorded > g->known_at)
            continue;
        if (e->type == LIC_EV_AMENDMENT) {
            if (e->effective <= g->as_of)
                g->amends[g->namends++] = e;
        } else if (e->date <= g->as_of)
            g->e[g->ne++] = e;
    }
    eng_sort(g->e, g->ne, sizeof *g->e, by_date_seq);
    for (size_t i = 0; i < g->ne; i++)
        g->nbt[g->e[i]->type]++;
    for (int t = 0; t < LIC_EV_COUNT; t++) {
        g->bt[t] = lic__arena_alloc_raw(g->arena, (g->nbt[t] ? g->nbt[t] : 1) * sizeof *g->bt[t]);
        if (!g->bt[t])
            return LIC_ENOMEM;
        g->nbt[t] = 0;
    }
    for (size_t i = 0; i < g->ne; i++)
        g->bt[g->e[i]->type][g->nbt[g->e[i]->type]++] = g->e[i];
    return LIC_OK;
}

/* An amendment governs from its effective date E: breaches that had
 * arisen by E - 1 under the terms then in force stand, even if the new
 * terms would not produce them (a retroactive amendment, effective before
 * a deadline passed, leaves nothing to carry).  They are taken from an
 * evaluation of the same events as of E - 1, which itself applies only
 * the amendments effective before E. */
static lic_err carry_breaches(eng *g, const lic_agreement *orig)
{
    lic_date last = LIC_DATE_NONE;
    for (size_t i = 0; i < g->namends; i++)
        if (last == LIC_DATE_NONE || g->amends[i]->effective > last)
            last = g->amends[i]->effective;
    if (last == LIC_DATE_NONE || last <= orig->effective.v)
        return LIC_OK;
    lic_state *pre = NULL;
    lic_err rc = lic_engine_eval(orig, g->ev, last - 1, g->known_at, &pre);
    if (rc)
        return rc;
    g->carried = lic__arena_alloc(g->arena, (pre->nbreaches ? pre->nbreaches : 1) * sizeof *g->carried);
    for (size_t i = 0; g->carried && i < pre->nbreaches; i++) {
        const lic_st_breach *b = &pre->breaches[i];
        g->carried[g->ncarried++] = (struct eng_carried){lic__arena_strdup(g->arena, b->ref),
                                                         lic__arena_strdup(g->arena, b->cls), b->party, b->since};
    }
    lic_state_free(pre);
    return g->carried ? LIC_OK : LIC_ENOMEM;
}

static void reset_pass(eng *g)
{
    lic_state *s = g->s;
    s->ngrants = s->nmilestones = s->nobligations = s->nbreaches = s->nrights = 0;
    /* what the previous pass decided, for this pass's royalties */
    g->prev_adj = s->adjustments, g->nprev_adj = s->nadjustments;
    g->prev_pieces = g->pieces, g->nprev_pieces = g->npieces;
    g->pieces = NULL, g->npieces = 0;
    g->npass_cov = 0;
    s->ninvoices = s->ndeadlines = s->nwindows = s->nflags = s->nadjustments = 0;
    s->nindeterminate = g->nind_base;
    s->nrejected = g->nrej_base;
    s->grants = NULL, s->milestones = NULL, s->obligations = NULL, s->breaches = NULL;
    s->rights = NULL, s->invoices = NULL, s->deadlines = NULL, s->windows = NULL;
    s->flags = NULL, s->adjustments = NULL;
    if (g->nind_base == 0) {
        s->indeterminate = NULL;
        g->cap_ind = 0;
    }
    g->cap_grants = g->cap_ms = g->cap_obl = g->cap_br = g->cap_rt = g->cap_inv = 0;
    g->cap_dl = g->cap_win = g->cap_flag = g->cap_adj = 0;
    if (g->nrej_base == 0) {
        s->rejected = NULL;
        g->cap_rej = 0;
    }
    g->br = NULL, g->nbr = g->cap_brw = 0;
    g->apps = NULL, g->napps = g->cap_apps = 0;
    g->app_by_inv = NULL, g->app_off = NULL;
    memset(&s->balance, 0, sizeof s->balance);
    size_t no = g->a->noptions;
    g->opt_exercised = lic__arena_alloc(g->arena, (no ? no : 1) * sizeof *g->opt_exercised);
    if (!g->opt_exercised)
        g->oom = LIC_ENOMEM;
    for (size_t i = 0; g->opt_exercised && i < no; i++)
        g->opt_exercised[i] = LIC_DATE_NONE;
}

static void run_pass(eng *g)
{
    reset_pass(g);
    if (g->oom)
        return;
    eng_termination(g);
    eng_milestones(g);
    eng_obligations(g);
    eng_options(g);
    eng_invoices(g);
    eng_invoices_settle(g);
    eng_breaches(g);
    eng_rights(g);
    eng_grants(g);
    eng_windows(g);
    eng_finish(g);
}

static bool same_rights(const eng *g)
{
    if (g->s->nrights != g->nprev_rights)
        return false;
    for (size_t i = 0; i < g->nprev_rights; i++) {
        const lic_st_right *a = &g->s->rights[i], *b = &g->prev_rights[i];
        if (strcmp(a->id, b->id) || a->since != b->since || a->applied != b->applied ||
            a->applied_on != b->applied_on)
            return false;
    }
    return true;
}

static bool same_adjustment(const lic_st_adjustment *a, const lic_st_adjustment *b)
{
    return a->since == b->since && a->add == b->add && eng_same_str(a->source, b->source);
}

/* Does a pass read the right (the previous pass's rights are read only
 * through rights_read and right_named)? */
static bool read_right(const lic_st_right *r)
{
    lic_action act = r->remedy->action;
    return r->applied && (act == LIC_ACT_TERMINATE || act == LIC_ACT_EXTEND_DEADLINES || act == LIC_ACT_FEE);
}

/* The applied rights a pass acts on (engine_deal.c eng_termination,
 * engine_pay.c remedy_fees), in order: the same from a and b? */
static bool same_acted_on(const lic_st_right *a, size_t na, const lic_st_right *b, size_t nb)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < na && !read_right(&a[i]))
            i++;
        while (j < nb && !read_right(&b[j]))
            j++;
        if (i == na || j == nb)
            return i == na && j == nb;
        if (strcmp(a[i].id, b[j].id) || a[i].remedy != b[j].remedy || a[i].applied_on != b[j].applied_on)
            return false;
        i++, j++;
    }
}

static const lic_st_right *right_named(const lic_st_right *v, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].id, id))
            return &v[i];
    return NULL;
}

/* Would the pass just run, given its own rights instead of the previous
 * pass's, read the same from them?  A pass reads the applied rights that
 * terminate, extend deadlines or charge a fee, and the right a termination
 * for breach or change of control names (engine_deal.c). */
static bool same_rights_read(const eng *g)
{
    const lic_state *s = g->s;
    if (!same_acted_on(s->rights, s->nrights, g->prev_rights, g->nprev_rights))
        return false;
    ENG_FOR_TYPE(g, LIC_EV_TERMINATION, e)
    {
        if (e->reason != LIC_TERM_BREACH && e->reason != LIC_TERM_CHANGE_OF_CONTROL)
            continue;
        const lic_st_right *x = right_named(s->rights, s->nrights, e->ref),
                           *y = right_named(g->prev_rights, g->nprev_rights, e->ref);
        if (!x || !y ? x != y
                     : x->remedy != y->remedy || x->since != y->since || x->until != y->until ||
                           x->holder != y->holder)
            return false;
    }
    return true;
}

/* Would the next pass repeat the pass just run?  It would when what it
 * takes from this pass reads as what this pass took from the previous
 * one: the rights (as far as a pass reads them), the royalty adjustments,
 * and grant pieces that answer every question this pass's royalty
 * calculators asked alike (the pieces are read only through
 * eng_licensed).  Everything else a pass starts from is the same for all
 * passes (reset_pass). */
static bool pass_repeats(const eng *g)
{
    const lic_state *s = g->s;
    if (s->nadjustments != g->nprev_adj || !same_rights_read(g) ||
        !eng_same_cover(g, g->roy_cov, g->nroy_cov, g->pieces, g->npieces) ||
        !eng_same_cover(g, g->pass_cov, g->npass_cov, g->pieces, g->npieces))
        return false;
    for (size_t i = 0; i < s->nadjustments; i++)
        if (!same_adjustment(&s->adjustments[i], &g->prev_adj[i]))
            return false;
    return true;
}

lic_err lic_engine_eval(const lic_agreement *a, const lic_events *ev, lic_date as_of,
                        lic_date known_at, lic_state **out)
{
    *out = NULL;
    lic_arena *arena = lic__malloc(sizeof *arena);
    if (!arena)
        return LIC_ENOMEM;
    lic__arena_init(arena);
    lic_state *s = lic__arena_alloc(arena, sizeof *s);
    if (!s) {
        lic__arena_fini(arena);
        lic__free(arena);
        return LIC_ENOMEM;
    }
    s->priv = arena;
    s->events = ev;
    s->as_of = as_of;
    s->known_at = known_at;
    eng g = {.arena = arena, .a = a, .ev = ev, .as_of = as_of, .known_at = known_at, .s = s};
    lic_err rc = select_events(&g);
    if (!rc)
        rc = carry_breaches(&g, a);
    if (!rc) {
        g.final_pass = true; /* amendments are applied once: record their rejections */
        rc = eng_amend(&g);
        /* facts that only events decide: once, before the passes */
        if (!rc) {
            eng_sales_facts(&g);
            eng_ms_facts(&g);
            rc = g.oom;
        }
        g.nrej_base = s->nrejected;
        g.nind_base = s->nindeterminate;
        g.final_pass = false;
    }
    s->agreement = g.a;
    s->amended_owned = g.amended;
    /* Each pass runs as the final one would (recording rejections): when
     * the next pass would repeat it, the final pass is not run.  The first
     * pass takes no rights, no royalty increases and the written grants
     * (no pieces): a deal that gives it nothing it reads differently is
     * done in one pass.  Else the passes go on until the rights are
     * stable, and then one final pass. */
    bool settled = false;
    for (int pass = 0; !rc && pass < MAX_PASSES; pass++) {
        g.final_pass = true;
        run_pass(&g);
        settled = pass_repeats(&g);
        bool stable = settled || same_rights(&g);
        g.prev_rights = s->rights;
        g.nprev_rights = s->nrights;
        rc = g.oom;
        if (stable)
            break;
    }
    if (!rc && !settled) {
        g.final_pass = true;
        run_pass(&g);
        rc = g.oom;
    }
    s->royalties_owned = g.roy;
    if (!rc)
        rc = lic__state_sort(s);
    if (rc) {
        lic_state_free(s);
        return rc;
    }
    lic__sha256 h;
    lic__sha256_init(&h);
    lic__sha256_update(&h, a->sha256, sizeof a->sha256);
    if (ev)
        lic__sha256_update(&h, ev->sha256, sizeof ev->sha256);
    char dates[2 * LIC_DATE_STRLEN + 1] = "";
    lic_date_str(as_of, dates);
    dates[LIC_DATE_STRLEN - 1] = '/';
    if (known_at != LIC_DATE_NONE)
        lic_date_str(known_at, dates + LIC_DATE_STRLEN);
    lic__sha256_update(&h, dates, strlen(dates));
    lic__sha256_final(&h, s->inputs_sha256);
    *out = s;
    return LIC_OK;
}

void lic_state_free(lic_state *s)
{
    if (!s)
        return;
    lic_agreement_free(s->amended_owned);
    lic_roy_free(s->royalties_owned);
    lic_arena *arena = s->priv;
    lic__arena_fini(arena);
    lic__free(arena);
}
