/*
 * status_cases.h - loading one case of tests/status/cases/ in a unit test
 * (test_engine_many.c, test_state_json.c): the suite's agreements and
 * events as a portfolio to evaluate.
 */
#ifndef LIC_STATUS_CASES_H
#define LIC_STATUS_CASES_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "licet/agreement.h"
#include "licet/events.h"

#define TU_STATUS_CASES "tests/status/cases"

/* The agreement file of the case in `dir`: the one its `agreement` file
 * names in tests/status/agreements/, else its own agreement.yaml. */
static inline void tu_status_case_agreement(const char *dir, char *path, size_t cap)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/agreement", dir);
    FILE *f = fopen(p, "r");
    char name[256] = "";
    if (f) {
        if (!fgets(name, sizeof name, f))
            name[0] = '\0';
        fclose(f);
        name[strcspn(name, "\n")] = '\0';
        snprintf(path, cap, "tests/status/agreements/%s", name);
    } else
        snprintf(path, cap, "%s/agreement.yaml", dir);
}

/* Loads case `name` into *a and *ev (the caller frees them); false,
 * with both NULL, when it has no events file or does not load cleanly. */
static inline bool tu_status_case_load(const char *name, lic_agreement **a, lic_events **ev)
{
    char dir[512], ap[1024], ep[1024];
    snprintf(dir, sizeof dir, "%s/%s", TU_STATUS_CASES, name);
    tu_status_case_agreement(dir, ap, sizeof ap);
    snprintf(ep, sizeof ep, "%s/events.yaml", dir);
    lic_diags d;
    lic_diags_init(&d);
    *a = NULL, *ev = NULL;
    FILE *f = fopen(ep, "r");
    if (f)
        fclose(f);
    bool ok = lic_agreement_load(ap, &d, a) == LIC_OK && f && lic_events_load(ep, *a, &d, ev) == LIC_OK &&
              d.nerrors == 0;
    lic_diags_fini(&d);
    if (!ok) {
        lic_events_free(*ev);
        lic_agreement_free(*a);
        *a = NULL, *ev = NULL;
    }
    return ok;
}

#endif
