/*
 * export.h - a whole portfolio store as plain files a person can read
 * and diff (`licet export DIR`), and such a directory read back into a
 * new, empty store (`licet import DIR`), on either backend.
 *
 * The directory:
 *
 *   DIR/manifest.json                 what the export holds (written last)
 *   DIR/agreements/ID/vN.yaml         every version's text, byte for byte
 *   DIR/ledger.jsonl                  every ledger row, in seq order, one a line:
 *     {"seq":N,"agreement":A,"kind":K,"ident":I,"digest":D,"payload":P,
 *      "prev_hash":H0,"hash":H}
 *
 * P is the row's canonical JSON embedded verbatim (a JSON string holding
 * it when it is not a one-line JSON object).  The manifest names the
 * format (format "licet-export", format_version 1), the store's schema
 * version, the licet version that wrote it, every agreement with the
 * SHA-256 of each of its versions, the number of rows and the last
 * row's hash.  Nothing in it depends on the time or the backend, so two
 * exports of the same portfolio are identical files.  Users, sessions
 * and API tokens are not exported: they are secrets.
 *
 * Reading re-appends every row through lic_store_append(), so the store
 * computes the chain again, and checks every recomputed hash against the
 * exported one and every version against the manifest's SHA-256: a
 * mismatch means the files were changed after the export, and nothing is
 * imported.  All of it is one transaction.
 */
#ifndef LICET_EXPORT_H
#define LICET_EXPORT_H

#include <stdint.h>

#include "licet/portfolio.h"
#include "licet/store.h"

#define LIC_EXPORT_FORMAT_VERSION 1

/* What an export holds. */
typedef struct lic_export_summary {
    int64_t agreements, versions, rows;
    char last_hash[65]; /* hex; 64 zeros for an empty ledger */
} lic_export_summary;

/* Writes the store to `dir`, which must not exist or be empty (its
 * parent must exist).  `licet_version` goes into the manifest.  The
 * chain is verified first: LIC_ECORRUPT, nothing written, when it does
 * not.  The export holds what was committed when it started.  On failure
 * a one-line reason is in why[] (LIC_EIO for files; the store's own
 * failures as their lic_err); a directory without manifest.json is an
 * incomplete export. */
lic_err lic_export_write(lic_store *s, const char *dir, const char *licet_version,
                         lic_export_summary *sum, char *why, size_t whylen) LIC_MUST_CHECK;

/* Reads the export in `dir` into `s`, which must hold no agreement and
 * no ledger row (accounts are allowed): LIC_EINVAL otherwise.  One
 * transaction: on any failure nothing is kept.  LIC_EINVALID when the
 * directory is not a readable export; LIC_ECORRUPT when a row's
 * recomputed hash (or a version's SHA-256) is not the exported one; why[]
 * names the file, line and row.  `progress` (may be NULL) hears of the
 * versions ("agreements") and rows ("ledger") stored. */
lic_err lic_export_read(lic_store *s, const char *dir, const lic_pf_progress *progress,
                        lic_export_summary *sum, char *why, size_t whylen) LIC_MUST_CHECK;

#endif
