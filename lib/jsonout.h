/*
 * jsonout.h - the few jansson helpers every JSON renderer of the library
 * shares (internal): dates as strings or null, amounts as decimal strings
 * in a currency's minor digits, optional strings, and the final text with
 * its trailing newline.
 */
#ifndef LIC_JSONOUT_H
#define LIC_JSONOUT_H

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "licet/date.h"
#include "licet/money.h"
#include "receipt.h"

static inline json_t *lic__jdate(lic_date d)
{
    if (d == LIC_DATE_NONE)
        return json_null();
    char buf[LIC_DATE_STRLEN];
    lic_date_str(d, buf);
    return json_string(buf);
}

static inline json_t *lic__jamount(lic_amount v, int digits, bool known)
{
    if (!known)
        return json_null();
    char buf[48];
    lic_amount_format(v, digits, buf, sizeof buf);
    return json_string(buf);
}

static inline json_t *lic__jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The receipt of FORMAT 5: the inputs' SHA-256 in hex and the engine. */
static inline json_t *lic__jreceipt(const unsigned char sha256[32])
{
    char hex[65];
    lic__receipt_hex(sha256, hex);
    json_t *r = json_object();
    json_object_set_new(r, "inputs_sha256", json_string(hex));
    json_object_set_new(r, "engine", json_string(LIC__RECEIPT_ENGINE));
    return r;
}

/* Renders and releases o: indented, keys in insertion order, a final
 * newline; free() the result.  NULL when out of memory. */
static inline char *lic__jdump(json_t *o)
{
    char *text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_INDENT(2));
    json_decref(o);
    if (!text)
        return NULL;
    size_t len = strlen(text);
    char *out = realloc(text, len + 2);
    if (!out) {
        free(text);
        return NULL;
    }
    out[len] = '\n';
    out[len + 1] = '\0';
    return out;
}

#endif
