/*
 * events_fields.c - the type-specific keys of each event (FORMAT 3).
 *
 * One reader per event type, each checking what can be checked from the
 * agreement alone: the milestone, option, patent or party named exists,
 * amounts parse in their currency, a payment is in the agreement's
 * currency.  What depends on other events (an option's window, a right's
 * existence, the extension count) is the engine's to check.
 */
#include "events_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sales_int.h"

#define K(...) (const char *const[]){__VA_ARGS__, NULL}

static const char *const *const keys_by_type[LIC_EV_COUNT] = {
    [LIC_EV_MILESTONE_ACHIEVED] = K("milestone", "evidence"),
    [LIC_EV_MILESTONE_ACCEPTED] = K("milestone", "reason"),
    [LIC_EV_MILESTONE_REJECTED] = K("milestone", "reason"),
    [LIC_EV_EXTENSION] = K("milestone", "by", "to"),
    [LIC_EV_WAIVER] = K("ref", "by"),
    [LIC_EV_FORCE_MAJEURE] = K("party", "from", "to", "affects"),
    [LIC_EV_REPORT] = K("kind", "period", "file", "lines", "no_sales"),
    [LIC_EV_PAYMENT] = K("amount", "currency", "invoice"),
    [LIC_EV_FX] = K("from", "to", "rate", "period", "on"),
    [LIC_EV_NOTICE] = K("kind", "ref", "by", "sent", "received"),
    [LIC_EV_CURE_STARTED] = K("ref"),
    [LIC_EV_RATE] = K("name", "rate", "on"),
    [LIC_EV_LIQUIDITY_EVENT] = K("consideration", "currency"),
    [LIC_EV_ASSIGNMENT] = K("consideration", "currency"),
    [LIC_EV_CURE] = K("ref"),
    [LIC_EV_EXERCISE] = K("right", "option", "by"),
    [LIC_EV_SUBLICENSE] = K("sublicensee", "territories", "fields"),
    [LIC_EV_SUBLICENSE_INCOME] = K("sublicense", "amount", "currency", "kind"),
    [LIC_EV_PATENT_STATUS] = K("patent", "status"),
    [LIC_EV_AMENDMENT] = K("set", "effective"),
    [LIC_EV_AUDIT] = K("periods", "findings", "cost"),
    [LIC_EV_CHANGE_OF_CONTROL] = K("party", "acquirer"),
    [LIC_EV_TERMINATION] = K("by", "reason", "right", "effective"),
    [LIC_EV_COMMITTEE_MEETING] = K("minutes"),
    [LIC_EV_DELIVERED] = K("ref"),
    [LIC_EV_IMPROVEMENT] = K("owner", "title"),
};

const char *const *ev_keys(lic_event_type t)
{
    return keys_by_type[t];
}

/* ---- shared readers ---- */

bool ev_amount(ld_ctx *c, const lic_ynode *n, int digits, lic_amount *out)
{
    if (!ld_is_scalar(c, n))
        return false;
    lic_err rc = lic_amount_parse(n->text, n->len, digits, out);
    if (rc == LIC_OK)
        return true;
    ld_error(c, n, "expected an amount with at most %d decimals like \"1234.56\", got \"%.*s\"",
             digits, n->len > 40 ? 40 : (int)n->len, n->text);
    return false;
}

bool ev_rate(ld_ctx *c, const lic_ynode *n, lic_rate *out)
{
    if (!ld_is_scalar(c, n))
        return false;
    if (lic_rate_parse(n->text, n->len, out) == LIC_OK && *out > 0)
        return true;
    ld_error(c, n, "expected a positive rate like \"1.0842\" or \"4.5%%\", got \"%.*s\"",
             n->len > 40 ? 40 : (int)n->len, n->text);
    return false;
}

bool ev_currency(ld_ctx *c, const lic_ynode *n, const lic_currency **out)
{
    if (!ld_is_scalar(c, n))
        return false;
    if (n->len == 3 && (*out = lic_currency_find(n->text)) != NULL)
        return true;
    ld_error(c, n, "expected an ISO 4217 currency code like USD, got \"%.*s\"",
             n->len > 40 ? 40 : (int)n->len, n->text);
    return false;
}

/* A party: its role or the id the agreement gives it. */
bool ev_party(ld_ctx *c, const lic_ynode *n, lic_party_role *out)
{
    if (!ld_is_scalar(c, n))
        return false;
    const lic_agreement *a = c->a;
    if (lic__yscalar_is(n, "licensor") || (a->licensor.id && lic__yscalar_is(n, a->licensor.id)))
        *out = LIC_PARTY_LICENSOR;
    else if (lic__yscalar_is(n, "licensee") || (a->licensee.id && lic__yscalar_is(n, a->licensee.id)))
        *out = LIC_PARTY_LICENSEE;
    else {
        ld_error(c, n, "expected licensor, licensee, %s or %s, got \"%.*s\"",
                 a->licensor.id ? a->licensor.id : "?", a->licensee.id ? a->licensee.id : "?",
                 n->len > 40 ? 40 : (int)n->len, n->text);
        return false;
    }
    return true;
}

bool ev_period(ld_ctx *c, const lic_ynode *n, lic_period *out)
{
    if (!ld_is_scalar(c, n))
        return false;
    if (lic_period_parse(n->text, n->len, out) == LIC_OK)
        return true;
    ld_error(c, n, "expected a period like 2026-Q2, 2026-H1, 2026-05 or 2026, got \"%.*s\"",
             n->len > 40 ? 40 : (int)n->len, n->text);
    return false;
}

/* Appends id to the "known: ..." list in buf (size bytes, *len used),
 * stopping quietly when the buffer is full. */
static void add_known(char *buf, size_t size, size_t *len, const char *id)
{
    if (*len >= size - 1)
        return;
    int w = snprintf(buf + *len, size - *len, "%s%s", *len ? ", " : "", id);
    if (w > 0)
        *len = (size_t)w < size - *len ? *len + (size_t)w : size - 1;
}

/* A milestone id that the agreement defines. */
static bool milestone_ref(ld_ctx *c, const lic_ynode *n, const char **out)
{
    if (!ld_string(c, n, out))
        return false;
    if (lic_agreement_milestone_index(c->a, *out) >= 0)
        return true;
    char known[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < c->a->nmilestones; i++)
        add_known(known, sizeof known, &len, c->a->milestones[i].id);
    ld_error(c, n, "unknown milestone \"%s\" (known: %s)", *out, len ? known : "none");
    return false;
}

/* An option id that the agreement defines. */
static bool option_ref(ld_ctx *c, const lic_ynode *n, const char **out)
{
    if (!ld_id(c, n, out))
        return false;
    char known[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < c->a->noptions; i++) {
        if (!strcmp(c->a->options[i].id, *out))
            return true;
        add_known(known, sizeof known, &len, c->a->options[i].id);
    }
    ld_error(c, n, "unknown option \"%s\" (known: %s)", *out, len ? known : "none");
    return false;
}

/* A patent id from the agreement's technology.patents. */
static bool patent_ref(ld_ctx *c, const lic_ynode *n, const char **out)
{
    if (!ld_string(c, n, out))
        return false;
    char known[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < c->a->technology.npatents; i++) {
        if (!strcmp(c->a->technology.patents[i].id, *out))
            return true;
        add_known(known, sizeof known, &len, c->a->technology.patents[i].id);
    }
    ld_error(c, n, "unknown patent \"%s\" (known: %s)", *out, len ? known : "none");
    return false;
}

/* A payment's currency: the agreement's (FORMAT 3: a payment in the wrong
 * currency cannot apply). */
static bool payment_currency(ld_ctx *c, const lic_ynode *n, const lic_currency **out)
{
    if (!ev_currency(c, n, out))
        return false;
    if (*out == c->a->currency)
        return true;
    ld_error(c, n, "payment in %s, but the agreement's currency is %s", (*out)->code,
             c->a->currency->code);
    return false;
}

static bool positive_amount(ld_ctx *c, const lic_ynode *n, int digits, lic_amount *out)
{
    if (!ev_amount(c, n, digits, out))
        return false;
    if (*out > 0)
        return true;
    ld_error(c, n, "expected an amount above zero, got \"%.*s\"", n->len > 40 ? 40 : (int)n->len,
             n->text);
    return false;
}

/* ---- per type ---- */

static bool rd_milestone(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    EV_REQ(c, n, "milestone", ok, milestone_ref(c, v_, &e->ref));
    LD_OPT(c, n, e->type == LIC_EV_MILESTONE_ACHIEVED ? "evidence" : "reason",
           ok &= ld_string(c, v_, &e->text));
    return ok;
}

static bool rd_extension(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true, any = false;
    EV_REQ(c, n, "milestone", ok, milestone_ref(c, v_, &e->ref));
    lic_ynode *by = lic__ymap_get(n, "by"), *to = lic__ymap_get(n, "to");
    e->to_date = LIC_DATE_NONE;
    if (by && to) {
        ld_error(c, to, "give either by (a duration) or to (a date), not both");
        return false;
    }
    if (by) {
        size_t o = ld_push_key(c, "by");
        if (ld_is_map(c, by)) {
            static const char *const dur_keys[] = {"days", "business_days", "months", "years", NULL};
            size_t before = c->diags->nerrors;
            ld_check_keys(c, by, dur_keys);
            bool keys_ok = c->diags->nerrors == before;
            if (!ld_duration_fields(c, by, &e->by_dur, &any) || !keys_ok)
                ok = false;
            else if (!any) {
                ld_error(c, by, "expected a duration like {months: 6}");
                ok = false;
            }
        } else
            ok = false;
        ld_pop(c, o);
        e->has_by = true;
    }
    if (to)
        LD_OPT(c, n, "to", ok &= ld_date(c, v_, &e->to_date));
    if (ok && e->ref) {
        const lic_milestone *m = &c->a->milestones[lic_agreement_milestone_index(c->a, e->ref)];
        if (!m->extensions.present) {
            ld_error(c, n, "milestone %s allows no extensions (it has no extensions: rule)", m->id);
            return false;
        }
    }
    return ok;
}

static bool rd_ref(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    EV_REQ(c, n, "ref", ok, ld_string(c, v_, &e->ref));
    return ok;
}

static bool rd_waiver(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = rd_ref(c, n, e);
    e->party = LIC_PARTY_LICENSOR;
    LD_OPT(c, n, "by", ok &= ev_party(c, v_, &e->party));
    return ok;
}

static bool rd_force_majeure(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    e->from = e->to = LIC_DATE_NONE;
    EV_REQ(c, n, "party", ok, ev_party(c, v_, &e->party));
    EV_REQ(c, n, "from", ok, ld_date(c, v_, &e->from));
    LD_OPT(c, n, "to", ok &= ld_date(c, v_, &e->to));
    LD_OPT(c, n, "affects", ok &= ld_strlist(c, v_, false, &e->affects));
    if (ok && e->to != LIC_DATE_NONE && e->to < e->from) {
        size_t o = ld_push_key(c, "to");
        ld_error(c, lic__ymap_get(n, "to"), "force majeure ends before it begins (from is later)");
        ld_pop(c, o);
        ok = false;
    }
    return ok;
}

/* The path of a report file: as written when absolute, else relative to
 * the events file's directory (FORMAT 3). */
static char *report_path(ld_ctx *c, const char *file)
{
    size_t dl = file[0] == '/' ? 0 : strlen(c->dir), fl = strlen(file);
    char *path = ld_alloc(c, dl + fl + 1);
    if (path) {
        memcpy(path, c->dir, dl);
        memcpy(path + dl, file, fl + 1);
    }
    return path;
}

/* Reads the lines of the report file into e (sales_csv.c).  A problem in
 * the file is reported at its own line and column (the diagnostic names
 * the CSV file), which rejects this event only.  Events loaded from
 * memory have no directory, so they cannot name a file: silently taking
 * the report as one without sales would be wrong, and reading a path
 * relative to the current directory would make the result depend on
 * where the program runs (and let any events text read any file). */
static bool report_file(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    if (!c->dir) {
        ld_error(c, n, "cannot read report file \"%s\": these events were not read from a file, "
                       "so there is no directory to find it in (give the lines inline with lines:)",
                 e->file);
        return false;
    }
    char *path = report_path(c, e->file);
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        char why[128] = "";
        if (path && strerror_r(errno, why, sizeof why))
            why[0] = '\0';
        if (path)
            ld_error(c, n, "cannot read report file \"%s\"%s%s", path, why[0] ? ": " : "", why);
        return false;
    }
    lic__csv *csv;
    lic_sales_reader *r;
    lic_err rc = lic__csv_open(f, &csv);
    if (!rc) {
        if (c->on_file_bytes)
            lic__csv_on_read(csv, c->on_file_bytes, c->on_file_arg);
        rc = lic__sales_reader_open_csv(c->a, csv, path, c->diags, &r);
    }
    if (!rc) {
        rc = lic__sales_read_all(r, c->arena, &e->lines, &e->nlines);
        lic_sales_reader_free(r);
    }
    fclose(f);
    if (rc == LIC_ENOMEM)
        c->oom = rc;
    return rc == LIC_OK;
}

static bool rd_report(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    static const char *const kinds[] = {"royalty", "progress", NULL};
    bool ok = true;
    int k = 0;
    EV_REQ(c, n, "kind", ok, ld_enum(c, v_, kinds, &k));
    e->report_kind = (lic_report_kind)k;
    EV_REQ(c, n, "period", ok, (e->has_period = ev_period(c, v_, &e->period)));
    LD_OPT(c, n, "file", ok &= ld_string(c, v_, &e->file));
    LD_OPT(c, n, "no_sales", ok &= ld_bool(c, v_, &e->no_sales));
    if (ok)
        LD_OPT(c, n, "lines", ok &= ev_lines(c, v_, &e->period, &e->lines, &e->nlines));
    if (ok && e->no_sales && (e->nlines || e->file)) {
        ld_error(c, n, "a report with no_sales: true has no lines or file");
        ok = false;
    }
    if (ok && e->file && lic__ymap_get(n, "lines")) {
        ld_error(c, n, "give either file (a CSV sales report) or lines, not both");
        ok = false;
    }
    if (ok && e->file)
        LD_OPT(c, n, "file", ok &= report_file(c, v_, e));
    return ok;
}

static bool rd_payment(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    EV_REQ(c, n, "currency", ok, payment_currency(c, v_, &e->currency));
    if (ok)
        EV_REQ(c, n, "amount", ok,
               (e->has_amount = positive_amount(c, v_, e->currency->digits, &e->amount)));
    LD_OPT(c, n, "invoice", ok &= ld_string(c, v_, &e->ref));
    return ok;
}

static bool rd_fx(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    e->on = LIC_DATE_NONE;
    EV_REQ(c, n, "from", ok, ev_currency(c, v_, &e->fx_from));
    EV_REQ(c, n, "to", ok, ev_currency(c, v_, &e->fx_to));
    EV_REQ(c, n, "rate", ok, ev_rate(c, v_, &e->rate));
    LD_OPT(c, n, "period", ok &= (e->has_period = ev_period(c, v_, &e->period)));
    LD_OPT(c, n, "on", ok &= ld_date(c, v_, &e->on));
    if (ok && e->has_period && e->on != LIC_DATE_NONE) {
        ld_error(c, n, "give either period (an average rate) or on (a day's rate), not both");
        ok = false;
    } else if (ok && !e->has_period && e->on == LIC_DATE_NONE) {
        ld_error(c, n, "missing period (an average rate, like 2026-Q2) or on (a day's rate)");
        ok = false;
    }
    return ok;
}

static bool rd_notice(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    static const char *const kinds[] = {"breach", "termination", "change_of_control", "renegotiation", NULL};
    bool ok = true;
    int k = 0;
    e->sent = e->received = e->date;
    EV_REQ(c, n, "kind", ok, ld_enum(c, v_, kinds, &k));
    e->notice_kind = (lic_notice_kind)k;
    LD_OPT(c, n, "ref", ok &= ld_string(c, v_, &e->ref));
    EV_REQ(c, n, "by", ok, ev_party(c, v_, &e->party));
    LD_OPT(c, n, "sent", ok &= ld_date(c, v_, &e->sent));
    LD_OPT(c, n, "received", ok &= ld_date(c, v_, &e->received));
    if (ok && e->notice_kind == LIC_NOTICE_BREACH && !e->ref) {
        ld_error(c, n, "a breach notice names the breach: ref (e.g. M2 or breach:M2)");
        ok = false;
    }
    return ok;
}

static bool rd_rate(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    e->on = e->date;
    EV_REQ(c, n, "name", ok, ld_id(c, v_, &e->ref));
    EV_REQ(c, n, "rate", ok, ev_rate(c, v_, &e->rate));
    LD_OPT(c, n, "on", ok &= ld_date(c, v_, &e->on));
    return ok;
}

static bool rd_consideration(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    EV_REQ(c, n, "currency", ok, ev_currency(c, v_, &e->currency));
    if (ok)
        EV_REQ(c, n, "consideration", ok, (e->has_amount = ev_amount(c, v_, e->currency->digits, &e->amount)));
    return ok;
}

static bool rd_exercise(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    LD_OPT(c, n, "right", ok &= ld_string(c, v_, &e->ref));
    LD_OPT(c, n, "option", ok &= option_ref(c, v_, &e->option));
    e->party = LIC_PARTY_EITHER;
    LD_OPT(c, n, "by", ok &= ev_party(c, v_, &e->party));
    if (ok && !e->ref == !e->option) {
        ld_error(c, n, "an exercise names either a right (from status rights[]) or an option");
        return false;
    }
    return ok;
}

static bool rd_sublicense(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    if (!lic__ymap_get(n, "id")) {
        ld_error(c, n, "a sublicense needs an id (used by sublicense_income events)");
        ok = false;
    }
    EV_REQ(c, n, "sublicensee", ok, ld_string(c, v_, &e->text));
    ld_scope(c, n, &e->scope);
    return ok;
}

static bool rd_sublicense_income(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    static const char *const kinds[] = {"upfront", "milestone", "royalty", "equity", "other", NULL};
    bool ok = true;
    int k = 0;
    EV_REQ(c, n, "sublicense", ok, ld_id(c, v_, &e->ref));
    EV_REQ(c, n, "kind", ok, ld_enum(c, v_, kinds, &k));
    e->income_kind = 1u << k;
    EV_REQ(c, n, "currency", ok, ev_currency(c, v_, &e->currency));
    if (ok)
        EV_REQ(c, n, "amount", ok, (e->has_amount = ev_amount(c, v_, e->currency->digits, &e->amount)));
    return ok;
}

static bool rd_patent_status(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    static const char *const st[] = {"expired", "invalidated", "abandoned", NULL};
    bool ok = true;
    int k = 0;
    EV_REQ(c, n, "patent", ok, patent_ref(c, v_, &e->ref));
    EV_REQ(c, n, "status", ok, ld_enum(c, v_, st, &k));
    e->patent_status = (lic_patent_status)k;
    return ok;
}

static bool rd_amendment(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    e->effective = e->date;
    LD_OPT(c, n, "effective", ok &= ld_date(c, v_, &e->effective));
    lic_ynode *set = ld_require(c, n, "set");
    if (!set)
        return false;
    size_t o = ld_push_key(c, "set");
    if (!ld_is_map(c, set) || set->n == 0) {
        if (set->type == LIC_Y_MAP)
            ld_error(c, set, "expected at least one path: value");
        ld_pop(c, o);
        return false;
    }
    e->set = ld_alloc(c, set->n * sizeof *e->set);
    if (!e->set) {
        ld_pop(c, o);
        return false;
    }
    for (size_t i = 0; i < set->n; i++) {
        e->set[i] = (lic_amend_set){set->pairs[i].key->text, set->pairs[i].value, ld_pos(set->pairs[i].key)};
    }
    e->nset = set->n;
    ld_pop(c, o);
    return ok;
}

static bool rd_audit(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    lic_ynode *p = ld_require(c, n, "periods");
    if (p) {
        size_t o = ld_push_key(c, "periods");
        if (ld_is_seq(c, p)) {
            e->periods = ld_array(c, p, sizeof *e->periods, &e->nperiods);
            if (p->n == 0) {
                ld_error(c, p, "expected at least one audited period like 2026-Q2");
                ok = false;
            }
            for (size_t i = 0; e->periods && i < p->n; i++) {
                size_t o2 = ld_push_index(c, i);
                ok &= ev_period(c, p->items[i], &e->periods[i]);
                ld_pop(c, o2);
            }
        } else
            ok = false;
        ld_pop(c, o);
    } else
        ok = false;
    if (ok && e->nperiods)
        EV_REQ(c, n, "findings", ok, ev_lines(c, v_, &e->periods[0], &e->lines, &e->nlines));
    LD_OPT(c, n, "cost", ok &= (e->has_amount = ev_amount(c, v_, c->a->currency->digits, &e->amount)));
    return ok;
}

static bool rd_change_of_control(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    EV_REQ(c, n, "party", ok, ev_party(c, v_, &e->party));
    EV_REQ(c, n, "acquirer", ok, ld_string(c, v_, &e->text));
    return ok;
}

static bool rd_termination(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    static const char *const reasons[] = {"convenience", "breach", "expiry", "mutual",
                                          "change_of_control", NULL};
    bool ok = true;
    int k = 0;
    e->effective = LIC_DATE_NONE;
    EV_REQ(c, n, "by", ok, ev_party(c, v_, &e->party));
    EV_REQ(c, n, "reason", ok, ld_enum(c, v_, reasons, &k));
    e->reason = (lic_term_reason)k;
    LD_OPT(c, n, "right", ok &= ld_string(c, v_, &e->ref));
    LD_OPT(c, n, "effective", ok &= ld_date(c, v_, &e->effective));
    if (ok && (e->reason == LIC_TERM_BREACH || e->reason == LIC_TERM_CHANGE_OF_CONTROL) && !e->ref) {
        ld_error(c, n, "a termination for %s names the right it exercises: right (from status rights[])",
                 reasons[k]);
        ok = false;
    }
    return ok;
}

static bool rd_committee(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    LD_OPT(c, n, "minutes", ok &= ld_string(c, v_, &e->text));
    return ok;
}

static bool rd_improvement(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    bool ok = true;
    if (!lic__ymap_get(n, "id")) {
        ld_error(c, n, "an improvement needs an id (its disclosure is disclose:<id>)");
        ok = false;
    }
    EV_REQ(c, n, "owner", ok, ev_party(c, v_, &e->party));
    EV_REQ(c, n, "title", ok, ld_string(c, v_, &e->text));
    return ok;
}

typedef bool (*ev_reader)(ld_ctx *, const lic_ynode *, lic_event *);

static const ev_reader readers[LIC_EV_COUNT] = {
    [LIC_EV_MILESTONE_ACHIEVED] = rd_milestone,
    [LIC_EV_MILESTONE_ACCEPTED] = rd_milestone,
    [LIC_EV_MILESTONE_REJECTED] = rd_milestone,
    [LIC_EV_EXTENSION] = rd_extension,
    [LIC_EV_WAIVER] = rd_waiver,
    [LIC_EV_FORCE_MAJEURE] = rd_force_majeure,
    [LIC_EV_REPORT] = rd_report,
    [LIC_EV_PAYMENT] = rd_payment,
    [LIC_EV_FX] = rd_fx,
    [LIC_EV_NOTICE] = rd_notice,
    [LIC_EV_CURE_STARTED] = rd_ref,
    [LIC_EV_RATE] = rd_rate,
    [LIC_EV_LIQUIDITY_EVENT] = rd_consideration,
    [LIC_EV_ASSIGNMENT] = rd_consideration,
    [LIC_EV_CURE] = rd_ref,
    [LIC_EV_EXERCISE] = rd_exercise,
    [LIC_EV_SUBLICENSE] = rd_sublicense,
    [LIC_EV_SUBLICENSE_INCOME] = rd_sublicense_income,
    [LIC_EV_PATENT_STATUS] = rd_patent_status,
    [LIC_EV_AMENDMENT] = rd_amendment,
    [LIC_EV_AUDIT] = rd_audit,
    [LIC_EV_CHANGE_OF_CONTROL] = rd_change_of_control,
    [LIC_EV_TERMINATION] = rd_termination,
    [LIC_EV_COMMITTEE_MEETING] = rd_committee,
    [LIC_EV_DELIVERED] = rd_ref,
    [LIC_EV_IMPROVEMENT] = rd_improvement,
};

bool ev_read_fields(ld_ctx *c, const lic_ynode *n, lic_event *e)
{
    return readers[e->type](c, n, e);
}
