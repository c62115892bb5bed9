/*
 * body.c - reading JSON request bodies: an object, its string members
 * checked for length and content.  Pure functions of the bytes (no
 * connection), so fuzz/fuzz_body.c drives them directly.
 */
#include <string.h>

#include "srv.h"

#define MAX_JSON_BODY ((size_t)1 << 20)

json_t *srv_parse_object(const char *text, size_t len, char *err, size_t errlen)
{
    json_error_t je;
    json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        snprintf(err, errlen, "body:%d:%d: not JSON: %s", je.line, je.column, je.text);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        snprintf(err, errlen, "body: expected a JSON object");
        return NULL;
    }
    return v;
}

const char *srv_member(json_t *o, const char *key, bool required, size_t max, char *err, size_t errlen)
{
    json_t *v = json_object_get(o, key);
    if (!v) {
        if (required)
            snprintf(err, errlen, "body: \"%s\" is missing", key);
        else
            err[0] = '\0';
        return NULL;
    }
    if (!json_is_string(v)) {
        snprintf(err, errlen, "body: \"%s\" must be a string", key);
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 0 || n > max || strlen(s) != n) {
        snprintf(err, errlen, "body: \"%s\" must be 1 to %zu bytes", key, max);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
            snprintf(err, errlen, "body: \"%s\" must not contain control characters", key);
            return NULL;
        }
    return s;
}

json_t *srv_body_object(srv_req *r, srv_resp *out)
{
    size_t len;
    const char *text = srv_body_text(r, MAX_JSON_BODY, &len, out);
    if (!text)
        return NULL;
    char err[300];
    json_t *o = srv_parse_object(text, len, err, sizeof err);
    if (!o)
        srv_error(out, 400, "%s", err);
    return o;
}
