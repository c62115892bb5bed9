/*
 * fuzz_agreement.c - libFuzzer target for the agreement loader.
 *
 * Feeds arbitrary bytes to lic_agreement_load_mem() and frees whatever it
 * returns.  An agreement that loads then goes where `licet check` and
 * `licet show` take it: the lints, the portfolio check (against itself and
 * a NULL entry), date resolution and both term sheet renderings.  Built and run by fuzz/run.sh under ASan and UBSan; a crash, a
 * leak, a read past `len` (the buffer is deliberately not NUL-terminated)
 * or a broken contract below is a finding.
 *
 * Contracts checked (agreement.h): on LIC_OK *out is set and the
 * diagnostics hold no errors; on failure *out is NULL, the code is one
 * of those the header promises (plus LIC_EPARSE for YAML syntax errors),
 * and a rejected input has at least one error diagnostic.  A violation aborts so libFuzzer saves the
 * input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "licet/agreement.h"
#include "licet/check.h"
#include "licet/error.h"
#include "licet/termsheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the front ends do with an agreement that loaded. */
static void use(lic_agreement *a, lic_diags *diags)
{
    lic_agreement *pf[3] = {a, NULL, a};
    lic_date day;

    if (lic_check_agreement(a, diags) != LIC_OK)
        return; /* LIC_ENOMEM only */
    if (lic_check_portfolio(pf, 3, diags) != LIC_OK)
        return;
    for (size_t i = 0; i < a->ngrants; i++) {
        (void)lic_grant_first_day(a, &a->grants[i]);
        (void)lic_grant_last_day(a, &a->grants[i]);
    }
    for (size_t i = 0; i < a->nmilestones; i++) {
        (void)lic_dexpr_resolve(a, &a->milestones[i].due, true, &day);
        (void)lic_dexpr_resolve(a, &a->milestones[i].due, false, &day);
    }
    for (int html = 0; html <= 1; html++) {
        char *doc = NULL;
        size_t len = 0;
        lic_err rc = lic_termsheet_render(a, html, &doc, &len);
        if ((rc == LIC_OK) != (doc != NULL))
            abort();
        if (doc && doc[len] != '\0')
            abort();
        lic_termsheet_free(doc);
    }
}

#ifdef LIC_FUZZ_SKIP_KNOWN_HANGS
/* libfyaml 0.7.12 (Debian 12) loops forever on a directive line whose
 * name holds a byte >= 0x80 ("%x\xff\n").  Until the loader rejects
 * invalid UTF-8 before calling libfyaml, FUZZ_CFLAGS=-DLIC_FUZZ_SKIP_KNOWN_HANGS
 * skips such inputs so a run can look for other bugs. */
static int known_hang(const uint8_t *p, size_t n)
{
    int bol = 1, directive = 0;
    for (size_t i = 0; i < n; i++) {
        if (bol && p[i] == '%')
            directive = 1;
        if (directive && p[i] >= 0x80)
            return 1;
        bol = p[i] == '\n' || p[i] == '\r';
        if (bol)
            directive = 0;
    }
    return 0;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lic_diags diags;
    lic_agreement *a = NULL;
    lic_err rc;

#ifdef LIC_FUZZ_SKIP_KNOWN_HANGS
    if (known_hang(data, size))
        return -1; /* libFuzzer: do not add to the corpus */
#endif
    lic_diags_init(&diags);
    rc = lic_agreement_load_mem("fuzz.yaml", (const char *)data, size,
                                &diags, &a);
    if (rc == LIC_OK) {
        if (a == NULL || diags.nerrors != 0)
            abort();
    } else {
        if (a != NULL)
            abort();
        if (rc != LIC_EINVALID && rc != LIC_EPARSE && rc != LIC_ETOOBIG &&
            rc != LIC_ENOMEM && rc != LIC_EIO)
            abort();
        /* "LIC_EINVALID (errors in diags)": a rejection must say why. */
        if ((rc == LIC_EINVALID || rc == LIC_EPARSE) && diags.nerrors == 0)
            abort();
    }
    if (rc == LIC_OK)
        use(a, &diags);
    /* Every diagnostic must be printable: exercise the formatter too. */
    for (size_t i = 0; i < diags.n; i++) {
        char buf[256];
        (void)lic_diag_format(&diags.v[i], buf, sizeof buf);
    }
    lic_agreement_free(a);
    lic_diags_fini(&diags);
    return 0;
}
