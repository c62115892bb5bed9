/*
 * termsheet.h - an agreement as a plain-English term sheet (`licet show`).
 *
 * lic_termsheet_render() turns a loaded agreement into the document a
 * licensing manager reads: parties, technology, grants, milestones with
 * their deadlines worked out where the file allows, payments, obligations,
 * breach and remedies, termination, and finally the terms that are
 * redacted or unknown.  Sections the agreement does not have are left out.
 *
 * The same content comes out as Markdown (the default) or as a standalone
 * HTML5 page with all text escaped.  Rendering is deterministic: the same
 * agreement gives byte-identical output.
 */
#ifndef LICET_TERMSHEET_H
#define LICET_TERMSHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "licet/agreement.h"
#include "licet/error.h"

/* The largest term sheet rendered; past it the result is LIC_ETOOBIG. */
#define LIC_TERMSHEET_MAX_BYTES ((size_t)8 << 20)

/* Renders `a` as Markdown (html false) or an HTML5 page (html true).
 * On success *out is a NUL-terminated string of *len bytes (len may be
 * NULL), owned by the caller and freed with lic_termsheet_free.  On
 * failure (LIC_EINVAL for NULL arguments, LIC_ENOMEM, LIC_ETOOBIG) *out is
 * NULL and nothing is left allocated. */
lic_err lic_termsheet_render(const lic_agreement *a, bool html, char **out,
                             size_t *len) LIC_MUST_CHECK;

/* Frees a string from lic_termsheet_render; NULL is fine. */
void lic_termsheet_free(char *s);

#endif
