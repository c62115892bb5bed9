/*
 * termsheet.c - lic_termsheet_render: builds the term sheet's document
 * section by section, then writes it as Markdown or HTML.
 *
 * The sections live in termsheet_deal.c (basics, grants, milestones),
 * termsheet_pay.c (payments) and termsheet_terms.c (obligations to
 * disputes); the document model and emitters in termsheet_doc.c.  This
 * table is the one place that fixes their order.
 */
#include "licet/termsheet.h"

#include "termsheet_int.h"

static void (*const sections[])(lic__ts *) = {
    lic__ts_header,       lic__ts_parties,
    lic__ts_technology,   lic__ts_term,
    lic__ts_grants,       lic__ts_milestones,
    lic__ts_payments,     lic__ts_reporting,
    lic__ts_licensor_obligations, lic__ts_governance,
    lic__ts_audit,        lic__ts_breach,
    lic__ts_force_majeure, lic__ts_exclusivity,
    lic__ts_options,      lic__ts_renegotiation,
    lic__ts_improvements, lic__ts_change_of_control,
    lic__ts_termination,  lic__ts_disputes,
    lic__ts_missing,
};

lic_err lic_termsheet_render(const lic_agreement *a, bool html, char **out, size_t *len)
{
    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!a || !out)
        return LIC_EINVAL;
    lic__ts d;
    lic__ts_init(&d, a);
    for (size_t i = 0; i < sizeof sections / sizeof sections[0] && !d.err; i++)
        sections[i](&d);
    lic_err rc = d.err;
    if (!rc)
        rc = lic__ts_emit(&d, html, out, len);
    lic__ts_fini(&d);
    return rc;
}

void lic_termsheet_free(char *s)
{
    lic__free(s);
}
