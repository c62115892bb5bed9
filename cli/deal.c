/*
 * deal.c - what status, calendar and conflicts share: loading an
 * agreement with its events and printing what was rejected.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

int cli_load_deal(const char *cmd, const char *file, const char *events, lic_agreement **a,
                  lic_events **ev)
{
    lic_diags d;
    lic_diags_init(&d);
    *a = NULL;
    *ev = NULL;
    lic_err rc = lic_agreement_load(file, &d, a);
    if (!rc && events)
        rc = lic_events_load(events, *a, &d, ev);
    for (size_t i = 0; i < d.n; i++) {
        char line[2048];
        lic_diag_format(&d.v[i], line, sizeof line);
        if (d.v[i].sev == LIC_SEV_ERROR)
            fprintf(stderr, "%s\n", line);
    }
    lic_diags_fini(&d);
    if (rc) {
        if (rc != LIC_EINVALID && rc != LIC_EIO)
            fprintf(stderr, "licet %s: %s\n", cmd, lic_strerror(rc));
        lic_agreement_free(*a);
        *a = NULL;
        return 1;
    }
    return 0;
}

bool cli_date_arg(const char *cmd, const char *opt, const char *s, lic_date *out)
{
    if (lic_date_parse(s, strlen(s), out) == LIC_OK)
        return true;
    fprintf(stderr, "licet %s: %s expects a date like 2027-06-30, got \"%s\"\n", cmd, opt, s);
    return false;
}

void cli_print_rejected(const lic_state *s)
{
    for (size_t i = 0; i < s->nrejected; i++) {
        char where[600];
        lic_event_where(s->events, s->rejected[i].event, where, sizeof where);
        fprintf(stderr, "%s: event %s (%s) rejected: %s\n", where, s->rejected[i].event->id,
                lic_event_type_name(s->rejected[i].event->type), s->rejected[i].reason);
    }
}
