/*
 * test_state_json.c - lic_state_json() writes its text directly; it must
 * be what jansson dumps (JSON_PRESERVE_ORDER | JSON_INDENT(2), then a
 * newline), as when the object was a jansson tree.
 *
 * jansson parsing the text and dumping it again must give the very same
 * bytes: that checks the layout and every escape.  The states are every
 * scenario of tests/status/cases that loads cleanly, on two dates, and
 * one state given awkward strings by hand (quotes, backslashes, control
 * bytes, multi-byte UTF-8, bytes that are not UTF-8, NULLs).  A string
 * jansson would not take (NULL, or not UTF-8) was no value: its member is
 * left out, as json_object_set_new left it out.
 */
#include "testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "licet/engine.h"
#include "licet/events.h"
#include "status_cases.h"


/* text is exactly what jansson dumps of what it parses from it. */
static void assert_jansson_round_trip(const char *text)
{
    json_error_t err;
    json_t *o = json_loads(text, 0, &err);
    if (!o)
        fail_msg("jansson cannot parse the state: %s (line %d)\n%s", err.text, err.line, text);
    char *again = json_dumps(o, JSON_PRESERVE_ORDER | JSON_INDENT(2));
    json_decref(o);
    assert_non_null(again);
    size_t n = strlen(again);
    assert_int_equal(strlen(text), n + 1);
    assert_memory_equal(text, again, n);
    assert_int_equal(text[n], '\n');
    free(again);
}

static void every_status_case_renders_as_jansson_dumps_it(void **state)
{
    (void)state;
    DIR *d = opendir(TU_STATUS_CASES);
    assert_non_null(d);
    struct dirent *e;
    size_t n = 0;
    const char *dates[] = {"2026-06-30", "2030-12-31"};
    while ((e = readdir(d))) {
        lic_agreement *a;
        lic_events *ev;
        if (e->d_name[0] == '.' || !tu_status_case_load(e->d_name, &a, &ev))
            continue;
        for (int k = 0; k < 2; k++) {
            lic_date as_of;
            assert_int_equal(lic_date_parse(dates[k], 10, &as_of), LIC_OK);
            lic_state *s = NULL;
            assert_int_equal(lic_engine_eval(a, ev, as_of, k ? LIC_DATE_NONE : as_of, &s), LIC_OK);
            char *text = lic_state_json(s);
            assert_non_null(text);
            assert_jansson_round_trip(text);
            free(text);
            lic_state_free(s);
        }
        lic_events_free(ev);
        lic_agreement_free(a);
        n++;
    }
    closedir(d);
    assert_true(n >= 100); /* most cases load: the test means something */
}

/* The parsed object of the text of s (checked as above). */
static json_t *render(const lic_state *s)
{
    char *text = lic_state_json(s);
    assert_non_null(text);
    assert_jansson_round_trip(text);
    json_t *o = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(o);
    return o;
}

static void awkward_strings_escape_and_invalid_ones_are_left_out(void **state)
{
    (void)state;
    lic_agreement *a;
    lic_events *ev;
    /* a case with milestones, obligations, deadlines and flags */
    DIR *d = opendir(TU_STATUS_CASES);
    assert_non_null(d);
    struct dirent *e;
    lic_state *s = NULL;
    lic_date as_of;
    assert_int_equal(lic_date_parse("2030-12-31", 10, &as_of), LIC_OK);
    while (!s && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !tu_status_case_load(e->d_name, &a, &ev))
            continue;
        assert_int_equal(lic_engine_eval(a, ev, as_of, LIC_DATE_NONE, &s), LIC_OK);
        if (s->nmilestones >= 2 && s->nobligations >= 2 && s->ndeadlines >= 1)
            break;
        lic_state_free(s);
        s = NULL;
        lic_events_free(ev);
        lic_agreement_free(a);
    }
    closedir(d);
    assert_non_null(s);

    static const char awkward[] = "q\"b\\s/ \b\f\n\r\t \x01\x1f\x7f caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 end";
    static const char overlong[] = "bad \xc0\xaf";
    static const char surrogate[] = "bad \xed\xa0\x80";
    static const char cut[] = "cut \xe2\x82";
    s->milestones[0].id = awkward;
    s->milestones[0].status = overlong;     /* left out */
    s->milestones[1].id = surrogate;        /* left out */
    s->milestones[1].indeterminate = cut;   /* left out */
    s->obligations[0].kind = NULL;          /* json_string(NULL): left out */
    s->deadlines[0].ref = NULL;             /* jstr: null */
    s->obligations[1].id = "";

    /* the premise: jansson takes none of these as a value */
    json_t *x = json_object();
    json_object_set_new(x, "a", json_string(overlong));
    json_object_set_new(x, "b", json_string(surrogate));
    json_object_set_new(x, "c", json_string(cut));
    json_object_set_new(x, "d", json_string(NULL));
    assert_int_equal(json_object_size(x), 0);
    json_decref(x);

    json_t *o = render(s);
    json_t *m0 = json_array_get(json_object_get(o, "milestones"), 0);
    json_t *m1 = json_array_get(json_object_get(o, "milestones"), 1);
    assert_string_equal(json_string_value(json_object_get(m0, "id")), awkward);
    assert_null(json_object_get(m0, "status"));
    assert_non_null(json_object_get(m0, "due"));
    assert_null(json_object_get(m1, "id"));
    assert_null(json_object_get(m1, "indeterminate"));
    assert_non_null(json_object_get(m1, "status"));
    json_t *o0 = json_array_get(json_object_get(o, "obligations"), 0);
    assert_null(json_object_get(o0, "kind"));
    assert_non_null(json_object_get(o0, "id"));
    json_t *d0 = json_array_get(json_object_get(o, "deadlines"), 0);
    assert_true(json_is_null(json_object_get(d0, "ref")));
    json_t *o1 = json_array_get(json_object_get(o, "obligations"), 1);
    assert_string_equal(json_string_value(json_object_get(o1, "id")), "");
    json_decref(o);

    /* the escapes, as jansson writes them */
    char *text = lic_state_json(s);
    assert_non_null(strstr(text, "\"id\": \"q\\\"b\\\\s/ \\b\\f\\n\\r\\t \\u0001\\u001F\x7f caf\xc3\xa9"));
    free(text);

    lic_state_free(s);
    lic_events_free(ev);
    lic_agreement_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_status_case_renders_as_jansson_dumps_it),
        cmocka_unit_test(awkward_strings_escape_and_invalid_ones_are_left_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
