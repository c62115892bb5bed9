/*
 * fuzz_events.c - libFuzzer target for the events loader (FORMAT 3).
 *
 * Loads one fixed agreement (below: milestones with and without an
 * extensions rule, options, patents, a field tree with several leaves,
 * party ids) once, then feeds arbitrary bytes to lic_events_load_mem()
 * (and runs the engine on whatever loads)
 * and frees whatever it returns.  The first character that is not blank
 * or a comment picks the path: `{` reads JSON Lines, anything else a YAML
 * list, so the corpus holds both.  Built and run by fuzz/run.sh under
 * ASan and UBSan; a crash, a leak, a read past `len` (the buffer is
 * deliberately not NUL-terminated) or a broken contract below is a
 * finding.
 *
 * Contracts checked (events.h): on LIC_OK *out is set, events were
 * rejected exactly when there are error diagnostics (at least one per
 * rejected event), and every accepted event is whole: a known type, real
 * dates, a unique id, seq equal to its index, and what the loader
 * promises to have checked against the agreement (a payment in the
 * agreement's currency and above zero, an extension on a milestone with
 * an extensions rule, an option, patent or sublicense that exists, report
 * lines with a country, a currency and a date inside their period).  On
 * failure *out is NULL, the code is one the header promises, and
 * LIC_EINVALID comes with at least one error.  A violation aborts so
 * libFuzzer saves the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "licet/agreement.h"
#include "licet/error.h"
#include "licet/engine.h"
#include "licet/events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char agreement_yaml[] =
    "licet: 1\n"
    "id: FUZZ-EV\n"
    "effective: 2025-01-15\n"
    "currency: USD\n"
    "parties:\n"
    "  licensor: { id: unix, name: University }\n"
    "  licensee: { id: beta, name: Beta }\n"
    "fields:\n"
    "  therapeutics: [oncology, rare-disease]\n"
    "  diagnostics: [companion]\n"
    "technology:\n"
    "  patents:\n"
    "    - { id: US-1, countries: [US], expires: 2038-05-01 }\n"
    "    - { id: EP-2, countries: [DE, FR, GB], expires: 2039-02-11 }\n"
    "grants:\n"
    "  - { id: G1, fields: [therapeutics/oncology], territories: [US, EU], exclusivity: exclusive,"
    " sublicensable: true }\n"
    "  - { id: G2, fields: [therapeutics/rare-disease], territories: [WORLD], exclusivity: exclusive }\n"
    "milestones:\n"
    "  - id: M1\n"
    "    kind: regulatory\n"
    "    due: { after: effective, months: 18 }\n"
    "    payment: { amount: \"250000\", due: { days: 30 } }\n"
    "    extensions: { max: 2, each: { months: 6 }, fee: \"50000\" }\n"
    "  - { id: M2, kind: development, due: { after: M1, months: 12 } }\n"
    "  - { id: M3, kind: regulatory, due: 2033-06-30, extensions: { max: 1, each: { days: 90 } } }\n"
    "options:\n"
    "  - id: O1\n"
    "    grant: { fields: [therapeutics/oncology], territories: [JP], exclusivity: exclusive }\n"
    "    window: { from: { after: M2, days: 0 }, until: { after: M2, days: 180 } }\n"
    "    fee: \"500000\"\n"
    "  - id: O2\n"
    "    grant: { fields: [diagnostics/companion], territories: [US], exclusivity: non_exclusive }\n"
    "    window: { from: effective, until: { after: effective, years: 5 } }\n"
    "payments:\n"
    "  sublicense_income:\n"
    "    kinds: [upfront, milestone, equity, other]\n"
    "    shares: [{ share: \"25%\" }]\n";

static lic_agreement *agreement(void)
{
    static lic_agreement *a;
    if (!a) {
        lic_diags d;
        lic_diags_init(&d);
        if (lic_agreement_load_mem("fuzz-agreement.yaml", agreement_yaml,
                                   sizeof agreement_yaml - 1, &d, &a) != LIC_OK)
            abort(); /* the fixed agreement must load */
        lic_diags_fini(&d);
    }
    return a;
}

static int by_string(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int known_id(const char *id, const char *const *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ids[i], id))
            return 1;
    return 0;
}

static void check_lines(const lic_sale_line *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!l[i].currency || l[i].country < 0)
            abort();
        if (lic_period_first(l[i].period) == LIC_DATE_NONE)
            abort();
        if (l[i].date != LIC_DATE_NONE && (l[i].date < lic_period_first(l[i].period) ||
                                           l[i].date > lic_period_last(l[i].period)))
            abort();
    }
}

/* The contracts of an accepted event that the loader checked. */
static void check_event(const lic_agreement *a, const lic_events *ev, size_t i)
{
    const lic_event *e = &ev->v[i];
    if ((unsigned)e->type >= LIC_EV_COUNT || e->seq != i)
        abort();
    if (!lic_date_in_range(e->date) || !lic_date_in_range(e->recorded))
        abort();
    if (!e->id || !e->id[0])
        abort();
    switch (e->type) {
    case LIC_EV_MILESTONE_ACHIEVED:
    case LIC_EV_MILESTONE_ACCEPTED:
    case LIC_EV_MILESTONE_REJECTED:
        if (!e->ref || lic_agreement_milestone_index(a, e->ref) < 0)
            abort();
        break;
    case LIC_EV_EXTENSION: {
        int m = e->ref ? lic_agreement_milestone_index(a, e->ref) : -1;
        if (m < 0 || !a->milestones[m].extensions.present)
            abort();
        if (e->has_by && e->to_date != LIC_DATE_NONE)
            abort();
        break;
    }
    case LIC_EV_PAYMENT:
        if (e->currency != a->currency || !e->has_amount || e->amount <= 0)
            abort();
        break;
    case LIC_EV_FX:
        if (!e->fx_from || !e->fx_to || e->rate <= 0 || e->has_period == (e->on != LIC_DATE_NONE))
            abort();
        break;
    case LIC_EV_REPORT:
        if (!e->has_period || (e->no_sales && (e->nlines || e->file)))
            abort();
        check_lines(e->lines, e->nlines);
        break;
    case LIC_EV_AUDIT:
        if (e->nperiods == 0)
            abort();
        check_lines(e->lines, e->nlines);
        break;
    case LIC_EV_EXERCISE:
        if (!e->ref == !e->option)
            abort();
        if (e->option) {
            size_t k = 0;
            while (k < a->noptions && strcmp(a->options[k].id, e->option))
                k++;
            if (k == a->noptions)
                abort();
        }
        break;
    case LIC_EV_PATENT_STATUS: {
        size_t k = 0;
        while (k < a->technology.npatents && strcmp(a->technology.patents[k].id, e->ref))
            k++;
        if (k == a->technology.npatents)
            abort();
        break;
    }
    case LIC_EV_SUBLICENSE_INCOME:
    case LIC_EV_LIQUIDITY_EVENT:
    case LIC_EV_ASSIGNMENT:
        if (!e->currency || !e->has_amount)
            abort();
        break;
    case LIC_EV_SUBLICENSE:
    case LIC_EV_IMPROVEMENT:
        if (!e->id_given)
            abort();
        break;
    case LIC_EV_AMENDMENT:
        if (e->nset == 0 || !e->set)
            abort();
        break;
    default:
        break;
    }
}

/* Ids are unique; a sublicense_income names an accepted sublicense. */
static void check_ids(const lic_events *ev)
{
    const char **ids = malloc((ev->n ? ev->n : 1) * sizeof *ids);
    const char **subs = malloc((ev->n ? ev->n : 1) * sizeof *subs);
    size_t nsubs = 0;
    if (!ids || !subs)
        abort();
    for (size_t i = 0; i < ev->n; i++) {
        ids[i] = ev->v[i].id;
        if (ev->v[i].type == LIC_EV_SUBLICENSE)
            subs[nsubs++] = ev->v[i].id;
    }
    qsort(ids, ev->n, sizeof *ids, by_string);
    for (size_t i = 1; i < ev->n; i++)
        if (!strcmp(ids[i - 1], ids[i]))
            abort();
    for (size_t i = 0; i < ev->n; i++)
        if (ev->v[i].type == LIC_EV_SUBLICENSE_INCOME && !known_id(ev->v[i].ref, subs, nsubs))
            abort();
    free(ids);
    free(subs);
}

/* The engine must take any events the loader accepts: evaluate on two
 * dates (one with a known-at date) and render the JSON, byte-identical
 * twice. */
static void run_engine(const lic_agreement *a, const lic_events *ev)
{
    static const lic_date dates[][2] = {{20600, LIC_DATE_NONE}, {22000, 20700}};
    for (size_t k = 0; k < 2; k++) {
        lic_state *s1 = NULL, *s2 = NULL;
        if (lic_engine_eval(a, ev, dates[k][0], dates[k][1], &s1) ||
            lic_engine_eval(a, ev, dates[k][0], dates[k][1], &s2))
            abort();
        char *j1 = lic_state_json(s1), *j2 = lic_state_json(s2);
        if (!j1 || !j2 || strcmp(j1, j2))
            abort();
        free(j1);
        free(j2);
        lic_state_free(s1);
        lic_state_free(s2);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const lic_agreement *a = agreement();
    lic_diags diags;
    lic_events *ev = NULL;

    lic_diags_init(&diags);
    lic_err rc = lic_events_load_mem("fuzz-events", (const char *)data, size, a, &diags, &ev);
    if (rc == LIC_OK) {
        if (!ev)
            abort();
        if ((ev->nrejected > 0) != (diags.nerrors > 0) || diags.nerrors < ev->nrejected)
            abort();
        for (size_t i = 0; i < ev->n; i++)
            check_event(a, ev, i);
        check_ids(ev);
        run_engine(a, ev);
    } else {
        if (ev)
            abort();
        if (rc != LIC_EINVALID && rc != LIC_ETOOBIG && rc != LIC_ENOMEM)
            abort();
        if (rc == LIC_EINVALID && diags.nerrors == 0)
            abort();
    }
    /* Every diagnostic must be printable: exercise the formatter too. */
    for (size_t i = 0; i < diags.n; i++) {
        char buf[256];
        (void)lic_diag_format(&diags.v[i], buf, sizeof buf);
    }
    lic_events_free(ev);
    lic_diags_fini(&diags);
    return 0;
}
