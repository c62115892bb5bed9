/*
 * fuzz_body.c - libFuzzer target for what `licet serve` reads from a
 * request before any handler runs, and the review body checks: the JSON
 * body reader (server/body.c: srv_parse_object, srv_member), the review
 * decision checks (server/api_review.c's review_payload, reached by
 * including that file: it is static there), the router's path matching
 * (server/route.c, through srv_route_find_for_fuzz; libmicrohttpd has
 * decoded %XX before the router sees a path), and
 * the as_of / known_at query arguments (server/buf.c: srv_dates).  The
 * sales CSV of an upload has its own target, fuzz_csv.c.
 *
 * No libmicrohttpd daemon: fuzz/run.sh links every server file but
 * http.c and serve.c (and api_review.c, included here) beside lib/; what
 * the others need of http.c (srv_arg, srv_header, srv_body_text) is
 * stubbed below.
 *
 * The first byte of the input picks what the rest is (low two bits):
 *   0  a JSON body: parsed, then string members read with srv_member
 *   1  a JSON body: parsed, then checked as a review decision
 *   2  a path (its first byte picks the method): routed
 *   3  "AS_OF&KNOWN_AT": the two query arguments, read by srv_dates
 * Bodies are copied to a buffer of exactly their size (not
 * NUL-terminated), so ASan sees any read past the end.
 *
 * Contracts checked (a violation aborts so libFuzzer saves the input):
 * - a body that is not a JSON object gives NULL and a message starting
 *   "body"; srv_member returns a string of 1..max bytes, no NUL or
 *   control character, or NULL with a message when required;
 * - a review payload, when given, has a valid period and exactly one of
 *   a known decision or a known resolution with a flag kind, and keeps
 *   every decision, resolution or note the body had (a bad one is
 *   refused, not dropped); otherwise there is a message;
 * - a routed path's {} parts are non-empty, hold no '/', their count is
 *   the pattern's, the pattern with the parts put in is the path, and
 *   that routes to the same pattern with the same parts again;
 *   srv_is_upload agrees with the route;
 * - srv_dates either gives real dates or a 400 whose body is a JSON
 *   error with a message.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../server/api_review.c" /* review_payload is static there */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- what http.c would give (no connection here) ---- */

static const char *arg_as_of, *arg_known_at;

const char *srv_arg(const srv_req *r, const char *name)
{
    (void)r;
    if (!strcmp(name, "as_of"))
        return arg_as_of;
    if (!strcmp(name, "known_at"))
        return arg_known_at;
    return NULL;
}

const char *srv_header(const srv_req *r, const char *name)
{
    (void)r, (void)name;
    return NULL;
}

const char *srv_body_text(srv_req *r, size_t max, size_t *len, srv_resp *out)
{
    *len = 0;
    if (r->body_len > max) {
        srv_error(out, 413, "the body is larger than %zu bytes", max);
        return NULL;
    }
    *len = r->body_len;
    return r->body ? r->body : "";
}

#define CHECK(cond)                                                                                                \
    do {                                                                                                           \
        if (!(cond)) {                                                                                             \
            fprintf(stderr, "fuzz_body: contract broken: %s (line %d)\n", #cond, __LINE__);                     \
            abort();                                                                                               \
        }                                                                                                          \
    } while (0)

/* ---- bodies ---- */

static void check_member_result(const char *s, bool required, size_t max, const char *err, bool present)
{
    if (s) {
        size_t n = strlen(s);
        CHECK(n >= 1 && n <= max);
        for (size_t i = 0; i < n; i++)
            CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
    } else if (required || present) {
        CHECK(err[0] != '\0');
        CHECK(!strncmp(err, "body: ", 6));
    }
}

static void members(json_t *o)
{
    static const char *const keys[] = {"period", "decision", "resolution", "note", "name", "password", "label",
                                       "role", "party", ""};
    static const size_t maxes[] = {1, 15, 32, 64, 2000};
    char err[300];
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        for (size_t m = 0; m < sizeof maxes / sizeof maxes[0]; m++) {
            bool required = (i + m) % 2;
            memset(err, 'x', sizeof err);
            err[sizeof err - 1] = '\0';
            const char *s = srv_member(o, keys[i], required, maxes[m], err, sizeof err);
            check_member_result(s, required, maxes[m], err, json_object_get(o, keys[i]) != NULL);
        }
    /* every key the body has, as it has it */
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        err[0] = '\0';
        const char *s = srv_member(o, k, true, 64, err, sizeof err);
        check_member_result(s, true, 64, err, true);
        if (s)
            CHECK(json_is_string(v) && !strcmp(s, json_string_value(v)));
    }
}

static void review(json_t *o)
{
    char err[300] = "";
    json_t *pl = review_payload(o, err, sizeof err);
    if (!pl) {
        CHECK(err[0] != '\0');
        return;
    }
    const char *period = json_string_value(json_object_get(pl, "period"));
    const char *decision = json_string_value(json_object_get(pl, "decision"));
    const char *resolution = json_string_value(json_object_get(pl, "resolution"));
    json_t *flag = json_object_get(pl, "flag");
    lic_period p;
    CHECK(period && !lic_period_parse(period, strlen(period), &p));
    CHECK(!decision != !resolution);
    CHECK(!decision || one_of(decision, decisions));
    CHECK(!resolution || (one_of(resolution, resolutions) && flag));
    CHECK(!flag || (resolution && json_string_value(json_object_get(flag, "kind"))));
    const char *note = json_string_value(json_object_get(pl, "note"));
    CHECK(!note || (strlen(note) >= 1 && strlen(note) <= 2000));
    /* a member that is there is used or refused, never dropped */
    static const char *const strs[] = {"decision", "resolution", "note"};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        CHECK(!json_object_get(o, strs[i]) || json_object_get(pl, strs[i]));
    char *text = json_dumps(pl, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    CHECK(text != NULL); /* what api_review stores must serialize */
    free(text);
    json_decref(pl);
}

static void body(const uint8_t *data, size_t size, bool as_review)
{
    char *copy = malloc(size ? size : 1); /* exactly size bytes: no NUL after */
    if (!copy)
        return;
    memcpy(copy, data, size);
    /* through srv_body_object, as a handler reads it */
    srv_req r = {.body = copy, .body_len = size};
    srv_resp out = {0};
    json_t *o = srv_body_object(&r, &out);
    char err[300];
    memset(err, 'x', sizeof err);
    json_t *o2 = srv_parse_object(copy, size, err, sizeof err);
    CHECK(!o == !o2);
    if (!o) {
        CHECK(out.status == 400 && out.body.n > 0);
        CHECK(memchr(err, '\0', sizeof err) && !strncmp(err, "body", 4));
        json_t *e = json_loads(out.body.v, 0, NULL);
        CHECK(json_is_string(json_object_get(json_object_get(e, "error"), "message")));
        json_decref(e);
    } else {
        CHECK(json_is_object(o) && json_is_object(o2) && json_equal(o, o2));
        if (as_review)
            review(o);
        else
            members(o);
    }
    json_decref(o);
    json_decref(o2);
    srv_buf_free(&out.body);
    free(copy);
}

/* ---- paths ---- */

static size_t holes(const char *pattern)
{
    size_t n = 0;
    for (const char *p = strstr(pattern, "{}"); p; p = strstr(p + 2, "{}"))
        n++;
    return n;
}

/* pattern with each {} replaced by its part. */
static char *rebuild(const char *pattern, char *const *params)
{
    srv_buf b = {0};
    size_t k = 0;
    for (const char *p = pattern; *p; p++) {
        if (p[0] == '{' && p[1] == '}') {
            srv_buf_puts(&b, params[k]);
            k++, p++;
        } else
            srv_buf_put(&b, p, 1);
    }
    CHECK(!b.oom);
    return b.v;
}

static void route_path(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "get", ""};
    if (!size)
        return;
    const char *method = methods[data[0] % (sizeof methods / sizeof methods[0])];
    char *path = strndup((const char *)data + 1, size - 1); /* as MHD gives it: up to a NUL */
    if (!path)
        return;
    char *params[3] = {0}, *again[3] = {0};
    size_t n = 0, n2 = 0;
    bool wrong = false, wrong2 = false;
    const char *pattern = srv_route_find_for_fuzz(method, path, params, &n, &wrong);
    bool upload = srv_is_upload(method, path);
    if (!pattern) {
        CHECK(n == 0 && !upload);
    } else {
        CHECK(n == holes(pattern)); /* (wrong may be set: a route before it had the path) */
        for (size_t i = 0; i < n; i++)
            CHECK(params[i] && params[i][0] && !strchr(params[i], '/'));
        CHECK(upload == (!strcmp(method, "POST") && strstr(pattern, "/reports") != NULL));
        char *p2 = rebuild(pattern, params);
        CHECK(p2 && !strcmp(p2, path)); /* the parts are the path's segments, as they are */
        const char *pattern2 = srv_route_find_for_fuzz(method, p2, again, &n2, &wrong2);
        CHECK(pattern2 == pattern && n2 == n && wrong2 == wrong);
        for (size_t i = 0; i < n; i++)
            CHECK(!strcmp(params[i], again[i]));
        free(p2);
    }
    for (size_t i = 0; i < n; i++)
        free(params[i]);
    for (size_t i = 0; i < n2; i++)
        free(again[i]);
    free(path);
}

/* ---- query dates ---- */

static void dates(const uint8_t *data, size_t size)
{
    char *text = strndup((const char *)data, size);
    if (!text)
        return;
    char *amp = strchr(text, '&');
    if (amp)
        *amp = '\0';
    arg_as_of = text[0] ? text : NULL; /* an empty as_of is absent */
    arg_known_at = amp ? amp + 1 : NULL;
    srv_req r = {.today = lic_date_from_ymd(2027, 12, 31)};
    srv_resp out = {0};
    lic_date as_of = 0, known_at = 0;
    if (srv_dates(&r, &out, &as_of, &known_at)) {
        CHECK(out.status == 0 && out.body.n == 0);
        CHECK(as_of != LIC_DATE_NONE);
        CHECK(arg_known_at || known_at == LIC_DATE_NONE);
    } else {
        CHECK(out.status == 400);
        json_t *e = json_loads(out.body.v, 0, NULL);
        CHECK(json_is_string(json_object_get(json_object_get(e, "error"), "message")));
        json_decref(e);
    }
    srv_buf_free(&out.body);
    for (int i = 0; i < out.nhdr; i++)
        free(out.hdr[i].value);
    arg_as_of = arg_known_at = NULL;
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] & 3) {
    case 0: body(data + 1, size - 1, false); break;
    case 1: body(data + 1, size - 1, true); break;
    case 2: route_path(data + 1, size - 1); break;
    default: dates(data + 1, size - 1); break;
    }
    return 0;
}
