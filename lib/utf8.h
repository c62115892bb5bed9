/*
 * utf8.h - UTF-8 validation shared by the readers of text the user writes
 * (internal): the YAML reader checks a whole file before libfyaml sees it,
 * the CSV reader checks the rows its fast scan could not vouch for.
 */
#ifndef LIC_UTF8_H
#define LIC_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0 if the
 * bytes there are not valid UTF-8 (overlong forms, surrogates and code
 * points past U+10FFFF included). */
size_t lic__utf8_len(const unsigned char *p, size_t n);

#endif
