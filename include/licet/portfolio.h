/*
 * portfolio.h - what the front ends do with a portfolio store: load a
 * deal, store an agreement version, record events, import a sales report.
 *
 * `licet add/record/import-sales/status` and `licet serve` both call
 * these, so a file given on the command line and a body posted to the
 * server are checked by the same code and stored the same way.  Problems
 * with the input are diagnostics (FILE:LINE:COL, sorted); a failure of
 * the store itself is a lic_err with its words in lic_store_errmsg().
 */
#ifndef LICET_PORTFOLIO_H
#define LICET_PORTFOLIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "licet/engine.h"
#include "licet/store.h"

/* The latest version of agreement `id`, loaded.  LIC_ENOTFOUND when the
 * store has no such agreement (message in lic_store_errmsg); LIC_EINVALID
 * when the stored text no longer loads (why in d).  *version may be NULL. */
lic_err lic_pf_agreement(lic_store *s, const char *id, lic_diags *d, lic_agreement **a,
                         int *version) LIC_MUST_CHECK;

/* The same for version `want` (0: the latest). */
lic_err lic_pf_agreement_version(lic_store *s, const char *id, int want, lic_diags *d,
                                 lic_agreement **a, int *version) LIC_MUST_CHECK;

/* The events of agreement `id`'s ledger (lic_store_events_text), loaded
 * against `a` without the size cap of lic_events_load_mem: a ledger holds
 * whole sales reports.  LIC_EINVALID when they do not load (why in d). */
lic_err lic_pf_events(lic_store *s, const char *id, const lic_agreement *a, lic_diags *d,
                      lic_events **ev) LIC_MUST_CHECK;

/* The agreement and its ledger's events (lic_store_events_text), loaded:
 * what `licet status ID` evaluates.  Errors as lic_pf_agreement. */
lic_err lic_pf_deal(lic_store *s, const char *id, lic_diags *d, lic_agreement **a,
                    lic_events **ev) LIC_MUST_CHECK;

/* Checks `len` bytes of agreement text (named `name` in messages) as
 * `licet check` does and stores it as the agreement's next version (or
 * says *unchanged).  LIC_EINVALID, nothing stored, when it has errors.
 * *a receives the loaded agreement (free it) on success. */
lic_err lic_pf_add(lic_store *s, const char *name, const char *text, size_t len, lic_diags *d,
                   lic_agreement **a, int *version, bool *unchanged) LIC_MUST_CHECK;

/* What lic_pf_record did with the events. */
typedef struct lic_pf_tally {
    int stored, already, rejected;
} lic_pf_tally;

/* Records events (YAML list or JSON Lines, FORMAT 3) into agreement `id`'s
 * ledger, checked against `a`, its latest version.  `path` names a file
 * to read (reports with `file:` are read relative to it) or, when text is
 * not NULL, is only the name used in messages for those `len` bytes.
 * Rejected events are diagnostics and counted; the others are stored in
 * one transaction; one already in the ledger is counted, not stored
 * again.  LIC_EINVALID when the input is not an events file at all. */
lic_err lic_pf_record(lic_store *s, const char *id, const lic_agreement *a, const char *path,
                      const char *text, size_t len, lic_diags *d, lic_pf_tally *t) LIC_MUST_CHECK;

/* What lic_pf_import did with a sales report. */
typedef struct lic_pf_import_result {
    size_t nlines;
    int revision;          /* 1 for the first report of the period */
    int64_t seq;           /* the ledger row stored; 0 when already there */
    int64_t already;       /* the row that holds these very lines, or 0 */
    int64_t previous;      /* the row of the revision before, or 0 */
} lic_pf_import_result;

/* Progress of a long import, for a front end to show: the library never
 * prints.  fn is called often (every 1024 sales lines, every ledger row,
 * and once as each phase starts), so it should only look at the clock
 * and say something now and then. */
typedef struct lic_pf_progress_info {
    const char *phase;           /* "reading" (sales lines), "storing" (the report),
                                  * "agreements" (versions), "ledger" (rows) */
    uint64_t done, total;        /* lines, versions or rows so far, and in all (0: not known) */
    uint64_t bytes, total_bytes; /* input bytes consumed so far, and the input's size (0: not known) */
} lic_pf_progress_info;

typedef struct lic_pf_progress {
    void (*fn)(void *ctx, const lic_pf_progress_info *p);
    void *ctx;
} lic_pf_progress;

/* Imports the sales report CSV read from f (named `name` in messages) as
 * the royalty report of period p received on `received`, for agreement
 * `id` (loaded as `a`).  LIC_EINVALID, nothing stored, when the report
 * has a problem (in d).  The same lines again are "already" there;
 * different lines for the period are stored as the next revision.
 * `progress` (may be NULL) hears of the lines read and of the storing. */
lic_err lic_pf_import(lic_store *s, const char *id, const lic_agreement *a, lic_period p,
                      lic_date received, FILE *f, const char *name, lic_diags *d,
                      const lic_pf_progress *progress, lic_pf_import_result *r) LIC_MUST_CHECK;

#endif
