/*
 * agreement.c - load an agreement file: the top level, parties,
 * technology, term, grants and milestones (FORMAT 2, 2.2); payments and
 * the other rules are in agreement_pay.c and agreement_rules.c.
 *
 * NOTES ON THE DESIGN
 * - The YAML tree and every loaded structure share one arena, owned by
 *   the agreement (a->priv), so strings can point into the tree.
 * - Order matters: currency, regions and the field tree are read first,
 *   because amounts, territories and fields elsewhere are checked
 *   against them.  Milestone anchors are resolved after all milestones
 *   are read, then deadlines are checked for cycles.
 */
#include "load_int.h"

#include "sha256.h"
#include <stdio.h>
#include <string.h>

static const char *const top_keys[] = {
    "licet", "id", "title", "effective", "currency", "rounding", "calendar", "calendars",
    "parties", "territories", "fields", "technology", "term", "grants", "milestones",
    "payments", "reporting", "licensor_obligations", "governance", "audit", "breach",
    "force_majeure", "exclusivity", "options", "renegotiation", "improvements",
    "change_of_control", "termination", "disputes", NULL};

static void header(ld_ctx *c, const lic_ynode *root)
{
    lic_agreement *a = c->a;
    lic_ynode *v = ld_require(c, root, "licet");
    if (v) {
        size_t o = ld_push_key(c, "licet");
        long ver;
        if (ld_int(c, v, 1, 1, &ver))
            a->version = (int)ver;
        ld_pop(c, o);
    }
    if ((v = ld_require(c, root, "id")) != NULL) {
        size_t o = ld_push_key(c, "id");
        ld_id(c, v, &a->id);
        ld_pop(c, o);
    }
    LD_OPT(c, root, "title", ld_string(c, v_, &a->title));
    if ((v = ld_require(c, root, "effective")) != NULL) {
        size_t o = ld_push_key(c, "effective");
        ld_date_v(c, v, &a->effective);
        ld_pop(c, o);
    }
    a->currency = lic_currency_find("USD");
    if ((v = ld_require(c, root, "currency")) != NULL) {
        size_t o = ld_push_key(c, "currency");
        const lic_currency *cur = v->type == LIC_Y_SCALAR ? lic_currency_find(v->text) : NULL;
        if (cur)
            a->currency = cur;
        else
            ld_error(c, v, "expected an ISO 4217 currency code like USD or EUR, got \"%s\"",
                     v->type == LIC_Y_SCALAR ? v->text : ld_kind(v));
        ld_pop(c, o);
    }
    c->digits = a->currency ? a->currency->digits : 2;
    static const char *const roundings[] = {"half_even", "half_up", NULL};
    int r = 0;
    LD_OPT(c, root, "rounding", ld_enum(c, v_, roundings, &r));
    a->rounding = (lic_rounding)r;
}

static void parties(ld_ctx *c, const lic_ynode *root)
{
    lic_ynode *p = ld_require(c, root, "parties");
    if (!p)
        return;
    size_t o = ld_push_key(c, "parties");
    if (ld_is_map(c, p)) {
        static const char *const keys[] = {"licensor", "licensee", NULL};
        static const char *const pkeys[] = {"id", "name", NULL};
        ld_check_keys(c, p, keys);
        lic_party *slots[] = {&c->a->licensor, &c->a->licensee};
        for (int i = 0; i < 2; i++) {
            lic_ynode *m = ld_require(c, p, keys[i]);
            if (!m)
                continue;
            size_t o2 = ld_push_key(c, keys[i]);
            slots[i]->pos = ld_pos(m);
            if (ld_is_map(c, m)) {
                ld_check_keys(c, m, pkeys);
                lic_ynode *id = ld_require(c, m, "id");
                if (id) {
                    size_t o3 = ld_push_key(c, "id");
                    ld_id(c, id, &slots[i]->id);
                    ld_pop(c, o3);
                }
                LD_OPT(c, m, "name", ld_string(c, v_, &slots[i]->name));
            }
            ld_pop(c, o2);
        }
    }
    ld_pop(c, o);
}

static void regions(ld_ctx *c, const lic_ynode *root)
{
    lic_ynode *t = lic__ymap_get(root, "territories");
    if (!t)
        return;
    size_t o = ld_push_key(c, "territories");
    if (ld_is_map(c, t)) {
        for (size_t i = 0; i < t->n; i++) {
            const lic_ynode *k = t->pairs[i].key;
            size_t o2 = ld_push_key(c, k->text);
            const char *name;
            lic_tset set;
            lic_strlist names;
            if (ld_id(c, k, &name) && ld_territories(c, t->pairs[i].value, &set, &names)) {
                lic_err rc = lic_regions_define(c->a->regions, name, &set);
                if (rc == LIC_ENOMEM)
                    c->oom = rc;
                else if (rc)
                    ld_error(c, k, "region name \"%s\" is a country code; choose another name", name);
            }
            ld_pop(c, o2);
        }
    }
    ld_pop(c, o);
}

/* PREFIX/SEG (PREFIX alone when empty) into path, cut at size - 1 bytes
 * as snprintf would cut it, without snprintf's cost; its length. */
static size_t join_field(char *path, size_t size, const char *prefix, const char *seg)
{
    const char *parts[] = {prefix, *prefix ? "/" : "", seg};
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        size_t k = strlen(parts[i]);
        if (k > size - 1 - n)
            k = size - 1 - n;
        memcpy(path + n, parts[i], k);
        n += k;
    }
    path[n] = '\0';
    return n;
}

/* Adds PREFIX/SEG (seg is the scalar n) to the field tree; the full path
 * is left in `path`.  False after reporting a problem. */
static bool add_field(ld_ctx *c, const lic_ynode *n, const char *prefix, char *path, size_t size)
{
    const char *seg;
    if (!ld_id(c, n, &seg))
        return false;
    size_t len = join_field(path, size, prefix, seg);
    int node;
    lic_err rc = lic_fieldtree_add(c->a->fields, path, len, &node);
    if (rc == LIC_ETOOBIG)
        ld_error(c, n, "too many fields (at most %d)", LIC_FIELD_MAX);
    else if (rc)
        c->oom = rc;
    return rc == LIC_OK;
}

/* fields: a map of name -> list of children or a nested map; [] or null
 * for a leaf. */
static void field_tree(ld_ctx *c, const lic_ynode *n, const char *prefix)
{
    if (n->type == LIC_Y_SCALAR && n->plain && n->len == 0)
        return;
    if (n->type == LIC_Y_SEQ) {
        for (size_t i = 0; i < n->n; i++) {
            size_t o = ld_push_index(c, i);
            const lic_ynode *it = n->items[i];
            if (it->type == LIC_Y_MAP)
                field_tree(c, it, prefix);
            else {
                char path[512];
                add_field(c, it, prefix, path, sizeof path);
            }
            ld_pop(c, o);
        }
        return;
    }
    if (!ld_is_map(c, n))
        return;
    for (size_t i = 0; i < n->n; i++) {
        const lic_ynode *k = n->pairs[i].key;
        size_t o = ld_push_key(c, k->text);
        char path[512];
        if (add_field(c, k, prefix, path, sizeof path))
            field_tree(c, n->pairs[i].value, path);
        ld_pop(c, o);
    }
}

static void calendars(ld_ctx *c, const lic_ynode *root)
{
    lic_agreement *a = c->a;
    lic_ynode *cals = lic__ymap_get(root, "calendars");
    if (cals) {
        size_t o = ld_push_key(c, "calendars");
        if (ld_is_map(c, cals)) {
            a->own_calendars = ld_alloc(c, (cals->n + 1) * sizeof *a->own_calendars);
            for (size_t i = 0; a->own_calendars && i < cals->n; i++) {
                const lic_ynode *k = cals->pairs[i].key, *v = cals->pairs[i].value;
                size_t o2 = ld_push_key(c, k->text);
                static const char *const keys[] = {"holidays", NULL};
                lic_date *days = NULL;
                size_t nd = 0;
                if (ld_is_map(c, v)) {
                    ld_check_keys(c, v, keys);
                    lic_ynode *h = ld_require(c, v, "holidays");
                    size_t o3 = ld_push_key(c, "holidays");
                    if (h && ld_is_seq(c, h)) {
                        days = ld_array(c, h, sizeof *days, &nd);
                        for (size_t j = 0; j < nd; j++) {
                            size_t o4 = ld_push_index(c, j);
                            ld_date(c, h->items[j], &days[j]);
                            ld_pop(c, o4);
                        }
                    }
                    ld_pop(c, o3);
                }
                lic_calendar *cal = lic_calendar_new(k->text, days, nd);
                if (!cal)
                    c->oom = LIC_ENOMEM;
                else
                    a->own_calendars[a->nown_calendars++] = cal;
                ld_pop(c, o2);
            }
        }
        ld_pop(c, o);
    }
    a->calendar_name = "WEEKENDS";
    lic_ynode *v = lic__ymap_get(root, "calendar");
    if (v) {
        size_t o = ld_push_key(c, "calendar");
        if (ld_string(c, v, &a->calendar_name)) {
            for (size_t i = 0; i < a->nown_calendars; i++)
                if (!strcmp(lic_calendar_name(a->own_calendars[i]), a->calendar_name))
                    a->calendar = a->own_calendars[i];
            if (!a->calendar)
                a->calendar = lic_calendar_builtin(a->calendar_name);
            if (!a->calendar)
                ld_error(c, v, "unknown calendar \"%s\" (known: WEEKENDS, US, GB-EAW, or one under calendars:)",
                         a->calendar_name);
        }
        ld_pop(c, o);
    }
    if (!a->calendar)
        a->calendar = lic_calendar_builtin("WEEKENDS");
}

static void technology(ld_ctx *c, const lic_ynode *root)
{
    lic_ynode *t = lic__ymap_get(root, "technology");
    if (!t)
        return;
    size_t o = ld_push_key(c, "technology");
    static const char *const keys[] = {"description", "patents", "exclusivities", "know_how", NULL};
    if (ld_is_map(c, t)) {
        ld_check_keys(c, t, keys);
        LD_OPT(c, t, "description", ld_string(c, v_, &c->a->technology.description));
        LD_OPT(c, t, "know_how", ld_strlist(c, v_, false, &c->a->technology.know_how));
        lic_ynode *p = lic__ymap_get(t, "patents");
        if (p) {
            size_t o2 = ld_push_key(c, "patents");
            if (ld_is_seq(c, p)) {
                lic_patent *v = ld_array(c, p, sizeof *v, &c->a->technology.npatents);
                c->a->technology.patents = v;
                for (size_t i = 0; i < c->a->technology.npatents; i++) {
                    size_t o3 = ld_push_index(c, i);
                    const lic_ynode *m = p->items[i];
                    static const char *const pk[] = {"id", "countries", "expires", NULL};
                    v[i].pos = ld_pos(m);
                    if (ld_is_map(c, m)) {
                        ld_check_keys(c, m, pk);
                        lic_ynode *x;
                        if ((x = ld_require(c, m, "id"))) {
                            size_t o4 = ld_push_key(c, "id");
                            if (ld_id(c, x, &v[i].id))
                                for (size_t j = 0; j < i; j++)
                                    ld_dup(c, x, v[i].id, v[j].id, v[j].pos);
                            ld_pop(c, o4);
                        }
                        LD_REQ(c, m, "countries", ld_territories(c, v_, &v[i].countries, &v[i].country_names));
                        LD_REQ(c, m, "expires", ld_date_v(c, v_, &v[i].expires));
                    }
                    ld_pop(c, o3);
                }
            }
            ld_pop(c, o2);
        }
        lic_ynode *e = lic__ymap_get(t, "exclusivities");
        if (e) {
            size_t o2 = ld_push_key(c, "exclusivities");
            if (ld_is_seq(c, e)) {
                lic_reg_exclusivity *v = ld_array(c, e, sizeof *v, &c->a->technology.nexclusivities);
                c->a->technology.exclusivities = v;
                for (size_t i = 0; i < c->a->technology.nexclusivities; i++) {
                    size_t o3 = ld_push_index(c, i);
                    const lic_ynode *m = e->items[i];
                    static const char *const ek[] = {"country", "expires", NULL};
                    v[i].pos = ld_pos(m);
                    if (ld_is_map(c, m)) {
                        ld_check_keys(c, m, ek);
                        lic_ynode *x;
                        if ((x = ld_require(c, m, "country"))) {
                            size_t o4 = ld_push_key(c, "country");
                            v[i].country = x->type == LIC_Y_SCALAR ? lic_country_index(x->text, x->len) : -1;
                            if (v[i].country < 0)
                                ld_error(c, x, "expected an ISO 3166-1 alpha-2 country code, got %s%s%s",
                                         x->type == LIC_Y_SCALAR ? "\"" : "",
                                         x->type == LIC_Y_SCALAR ? x->text : ld_kind(x),
                                         x->type == LIC_Y_SCALAR ? "\"" : "");
                            ld_pop(c, o4);
                        }
                        LD_REQ(c, m, "expires", ld_date_v(c, v_, &v[i].expires));
                    }
                    ld_pop(c, o3);
                }
            }
            ld_pop(c, o2);
        }
    }
    ld_pop(c, o);
}

static void term(ld_ctx *c, const lic_ynode *root)
{
    lic_agreement *a = c->a;
    lic_ynode *t = lic__ymap_get(root, "term");
    if (!t)
        return;
    size_t o = ld_push_key(c, "term");
    a->term.pos = ld_pos(t);
    static const char *const keys[] = {"ends", NULL};
    if (ld_is_map(c, t)) {
        ld_check_keys(c, t, keys);
        lic_ynode *e = ld_require(c, t, "ends");
        size_t o2 = ld_push_key(c, "ends");
        if (lic__yscalar_is(e, "last_patent_expiry")) {
            a->term.last_patent_expiry = true;
            a->term.ends.pos = ld_pos(e);
        } else if (e)
            ld_date_v(c, e, &a->term.ends);
        ld_pop(c, o2);
    }
    ld_pop(c, o);
}

static void grants(ld_ctx *c, const lic_ynode *root)
{
    lic_agreement *a = c->a;
    lic_ynode *g = ld_require(c, root, "grants");
    if (!g)
        return;
    size_t o = ld_push_key(c, "grants");
    if (ld_is_seq(c, g)) {
        if (g->n == 0)
            ld_error(c, g, "an agreement needs at least one grant");
        a->grants = ld_array(c, g, sizeof *a->grants, &a->ngrants);
        static const char *const keys[] = {"id", "fields", "territories", "exclusivity",
                                           "sublicensable", "from", "until", NULL};
        for (size_t i = 0; i < a->ngrants; i++) {
            lic_grant *gr = &a->grants[i];
            const lic_ynode *m = g->items[i];
            size_t o2 = ld_push_index(c, i);
            gr->pos = ld_pos(m);
            gr->exclusivity = LIC_EXCL_NON_EXCLUSIVE;
            if (ld_is_map(c, m)) {
                ld_check_keys(c, m, keys);
                lic_ynode *x;
                if ((x = ld_require(c, m, "id"))) {
                    size_t o3 = ld_push_key(c, "id");
                    if (ld_id(c, x, &gr->id))
                        for (size_t j = 0; j < i; j++)
                            ld_dup(c, x, gr->id, a->grants[j].id, a->grants[j].pos);
                    ld_pop(c, o3);
                }
                ld_scope(c, m, &gr->scope);
                if (!lic__ymap_get(m, "territories"))
                    ld_error(c, m, "missing required key \"territories\"");
                if (!gr->scope.has_fields && !lic__ymap_get(m, "fields")) {
                    gr->scope.fields = lic_fieldtree_all(a->fields);
                    gr->scope.has_fields = true;
                }
                if ((x = ld_require(c, m, "exclusivity"))) {
                    size_t o3 = ld_push_key(c, "exclusivity");
                    ld_exclusivity(c, x, &gr->exclusivity);
                    ld_pop(c, o3);
                }
                LD_OPT(c, m, "sublicensable", ld_bool(c, v_, &gr->sublicensable));
                LD_OPT(c, m, "from", ld_date_v(c, v_, &gr->from));
                LD_OPT(c, m, "until", ld_date_v(c, v_, &gr->until));
                if (gr->from.st == LIC_V_KNOWN && gr->until.st == LIC_V_KNOWN &&
                    gr->until.v < gr->from.v) {
                    size_t o3 = ld_push_key(c, "until");
                    ld_error(c, lic__ymap_get(m, "until"), "ends before the grant starts (from)");
                    ld_pop(c, o3);
                }
            }
            ld_pop(c, o2);
        }
    }
    ld_pop(c, o);
}

/* term.ends: last_patent_expiry becomes the latest patent expiry when every
 * expiry is known (agreement.h); otherwise it stays indeterminate. */
static void resolve_term_end(lic_agreement *a)
{
    if (!a->term.last_patent_expiry || a->technology.npatents == 0)
        return;
    lic_date last = LIC_DATE_NONE;
    for (size_t i = 0; i < a->technology.npatents; i++) {
        const lic_date_v *e = &a->technology.patents[i].expires;
        if (e->st != LIC_V_KNOWN) {
            a->term.ends.st = e->st;
            return;
        }
        if (last == LIC_DATE_NONE || e->v > last)
            last = e->v;
    }
    a->term.ends.st = LIC_V_KNOWN;
    a->term.ends.v = last;
}

/* Top level: the order of sections is the order of dependencies. */
static void load_root(ld_ctx *c, const lic_ynode *root)
{
    if (!root || root->type != LIC_Y_MAP) {
        ld_error(c, root, "expected the agreement as a mapping with licet: 1, id, effective, ..., got %s",
                 ld_kind(root));
        return;
    }
    ld_check_keys(c, root, top_keys);
    header(c, root);
    calendars(c, root);
    parties(c, root);
    regions(c, root);
    lic_ynode *f = lic__ymap_get(root, "fields");
    if (f) {
        c->a->has_fields = true;
        size_t o = ld_push_key(c, "fields");
        field_tree(c, f, "");
        ld_pop(c, o);
    }
    technology(c, root);
    term(c, root);
    grants(c, root);
    lic__load_milestones(c, root);
    lic_ynode *p = lic__ymap_get(root, "payments");
    if (p) {
        size_t o = ld_push_key(c, "payments");
        ld_payments(c, p);
        ld_pop(c, o);
    }
    ld_rules(c, root);
    lic__load_resolve(c);
    resolve_term_end(c->a);
}

void lic_agreement_free(lic_agreement *a)
{
    if (!a)
        return;
    lic_regions_free(a->regions);
    lic_fieldtree_free(a->fields);
    for (size_t i = 0; i < a->nown_calendars; i++)
        lic_calendar_free(a->own_calendars[i]);
    lic_arena *arena = a->priv;
    lic__arena_fini(arena);
    lic__free(arena);
}

/* A new, empty agreement with its own arena; NULL when out of memory.
 * The arena's first block is sized for a text of text_len bytes (0: not
 * known): a loaded agreement takes about 8 KiB and 12 bytes per byte of
 * YAML, so most take one block, not two of which the second is mostly
 * unused, and loading many small files grows the heap half as often. */
static lic_agreement *agreement_new(const char *name, size_t text_len)
{
    lic_arena *arena = lic__malloc(sizeof *arena);
    if (!arena)
        return NULL;
    lic__arena_init(arena);
    size_t first = text_len && text_len < (1u << 16) ? 8192 + 12 * text_len : 0;
    if (first && !lic__arena_reserve(arena, first)) {
        lic__free(arena);
        return NULL;
    }
    lic_agreement *a = lic__arena_alloc(arena, sizeof *a);
    char *fname = a ? lic__arena_strdup(arena, name) : NULL;
    if (!fname) {
        lic__arena_fini(arena);
        lic__free(arena);
        return NULL;
    }
    a->priv = arena;
    a->file = fname;
    a->regions = lic_regions_new();
    a->fields = lic_fieldtree_new();
    if (!a->regions || !a->fields) {
        lic_agreement_free(a);
        return NULL;
    }
    return a;
}

/* Loads a's sections from `root`; LIC_EINVALID when errors were added. */
static lic_err load_tree(lic_agreement *a, const lic_ynode *root, lic_diags *diags)
{
    size_t before = diags->nerrors;
    ld_ctx c = {.a = a, .arena = a->priv, .diags = diags, .file = a->file, .digits = 2};
    load_root(&c, root);
    a->tree = root;
    if (c.oom)
        return c.oom;
    return diags->nerrors > before ? LIC_EINVALID : LIC_OK;
}

lic_err lic_agreement_load_mem(const char *name, const char *text, size_t len,
                               lic_diags *diags, lic_agreement **out)
{
    *out = NULL;
    lic_agreement *a = agreement_new(name, len);
    if (!a)
        return LIC_ENOMEM;
    lic_ynode *root = NULL;
    lic_err rc = lic__yaml_parse(a->priv, a->file, text, len, 0, diags, &root);
    if (!rc)
        rc = load_tree(a, root, diags);
    if (rc == LIC_EPARSE)
        rc = LIC_EINVALID;
    if (rc) {
        lic_agreement_free(a);
        return rc;
    }
    lic__sha256_digest(text, len, a->sha256);
    *out = a;
    return LIC_OK;
}

lic_err lic__agreement_load_tree(const lic_agreement *orig, const lic_ynode *root,
                                 lic_diags *diags, lic_agreement **out)
{
    *out = NULL;
    lic_agreement *a = agreement_new(orig->file, 0);
    if (!a)
        return LIC_ENOMEM;
    lic_err rc = load_tree(a, root, diags);
    if (rc) {
        lic_agreement_free(a);
        return rc;
    }
    memcpy(a->sha256, orig->sha256, sizeof a->sha256);
    *out = a;
    return LIC_OK;
}

lic_err lic_agreement_load(const char *path, lic_diags *diags, lic_agreement **out)
{
    char *buf;
    size_t len;
    *out = NULL;
    lic_err rc = lic__read_input(path, diags, &buf, &len);
    if (rc)
        return rc;
    rc = lic_agreement_load_mem(path, buf, len, diags, out);
    lic__free(buf);
    return rc;
}
