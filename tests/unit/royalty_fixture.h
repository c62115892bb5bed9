/*
 * royalty_fixture.h - for the royalty calculator's tests (test_royalty.c,
 * test_royalty_lines.c): an agreement in USD granting oncology in US, DE
 * and JP with the payments a test gives, a marginal schedule, periods
 * and sales lines.
 */
#ifndef LIC_TEST_ROYALTY_FIXTURE_H
#define LIC_TEST_ROYALTY_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "licet/royalty.h"
#include "licet/territory.h"
#include "testutil.h"

#define HEAD                                                                          \
    "licet: 1\nid: R\ntitle: t\neffective: 2026-01-01\ncurrency: USD\n"                \
    "parties:\n  licensor: { id: u, name: U }\n  licensee: { id: l, name: L }\n"     \
    "fields:\n  therapeutics: [oncology]\nterm:\n  ends: 2040-12-31\n"                  \
    "grants:\n  - { id: G1, fields: [therapeutics/oncology], territories: [US, DE, JP], " \
    "exclusivity: exclusive }\n"

/* Cap 10%; 3% up to 1000.00 of the year's net sales, 5% above. */
#define MARGINAL                                                                        \
    "  royalties:\n    deductions: { cap: \"10%\" }\n    schedules:\n      - name: s\n" \
    "        tiers: { method: marginal, bands: [{ up_to: \"1000\", rate: \"3%\" }, { rate: \"5%\" }] }\n"

/* HEAD with `payments` loaded into *a; its messages printed when it
 * does not load. */
static inline lic_err roy_fixture_load(const char *payments, lic_agreement **a)
{
    char text[4096];
    snprintf(text, sizeof text, "%spayments:\n%s", HEAD, payments);
    lic_diags d;
    lic_diags_init(&d);
    *a = NULL;
    lic_err rc = lic_agreement_load_mem("t.yaml", text, strlen(text), &d, a);
    for (size_t i = 0; rc && i < d.n; i++) {
        char buf[512];
        lic_diag_format(&d.v[i], buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
    lic_diags_fini(&d);
    return rc;
}

static inline lic_period period(const char *s)
{
    lic_period p;
    assert_int_equal(lic_period_parse(s, strlen(s), &p), LIC_OK);
    return p;
}

/* A USD line in oncology; amounts in cents. */
static inline lic_sale_line line(const char *p, const char *cc, lic_amount gross, lic_amount ded, lic_amount tpr)
{
    return (lic_sale_line){.period = period(p), .date = LIC_DATE_NONE, .country = lic_country_index(cc, 2),
                           .field = 1, .gross = gross, .deductions = ded, .third_party_royalties = tpr,
                           .currency = lic_currency_find("USD")};
}

#endif
