/*
 * test_engine_many.c - lic_engine_eval_many(): a portfolio evaluated on
 * several threads gives, state for state, what lic_engine_eval gives one
 * at a time.
 *
 * The portfolio is every scenario of tests/status/cases whose agreement
 * and events load cleanly (each case's `agreement` names a file in
 * tests/status/agreements), evaluated as of one date.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "licet/engine.h"
#include "licet/events.h"
#include "status_cases.h"

#define MAX_CASES 512

typedef struct portfolio {
    lic_agreement *a[MAX_CASES];
    lic_events *ev[MAX_CASES];
    size_t n;
} portfolio;

static void load_case(portfolio *p, const char *name)
{
    lic_agreement *a;
    lic_events *ev;
    if (!tu_status_case_load(name, &a, &ev))
        return;
    if (p->n < MAX_CASES) {
        p->a[p->n] = a;
        p->ev[p->n++] = ev;
    } else {
        lic_events_free(ev);
        lic_agreement_free(a);
    }
}

static void load_all(portfolio *p)
{
    DIR *d = opendir(TU_STATUS_CASES);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            load_case(p, e->d_name);
    closedir(d);
    assert_true(p->n >= 100); /* most cases load: the test means something */
}

static void free_all(portfolio *p)
{
    for (size_t i = 0; i < p->n; i++) {
        lic_events_free(p->ev[i]);
        lic_agreement_free(p->a[i]);
    }
}

/* Every state of eval_many on `threads` threads renders to the JSON of
 * lic_engine_eval's. */
static void check_same(unsigned threads)
{
    static portfolio p;
    memset(&p, 0, sizeof p);
    load_all(&p);
    lic_date as_of;
    assert_int_equal(lic_date_parse("2030-12-31", 10, &as_of), LIC_OK);
    static lic_state *many[MAX_CASES];
    assert_int_equal(lic_engine_eval_many((const lic_agreement *const *)p.a, (const lic_events *const *)p.ev,
                                          p.n, as_of, LIC_DATE_NONE, threads, many),
                     LIC_OK);
    for (size_t i = 0; i < p.n; i++) {
        lic_state *one = NULL;
        assert_int_equal(lic_engine_eval(p.a[i], p.ev[i], as_of, LIC_DATE_NONE, &one), LIC_OK);
        char *want = lic_state_json(one), *got = lic_state_json(many[i]);
        assert_non_null(want);
        assert_non_null(got);
        assert_string_equal(got, want);
        free(want);
        free(got);
        lic_state_free(one);
        lic_state_free(many[i]);
    }
    free_all(&p);
}

static void eval_many_on_two_threads_gives_each_state_of_eval(void **state)
{
    (void)state;
    check_same(2);
}

static void eval_many_on_one_thread_per_processor_gives_each_state_of_eval(void **state)
{
    (void)state;
    check_same(0);
}

static void eval_many_on_more_threads_than_agreements_gives_each_state_of_eval(void **state)
{
    (void)state;
    check_same(64);
}

static void eval_many_of_no_agreements_is_ok(void **state)
{
    (void)state;
    lic_state *out[1] = {(lic_state *)1};
    assert_int_equal(lic_engine_eval_many(NULL, NULL, 0, 0, LIC_DATE_NONE, 2, out), LIC_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eval_many_on_two_threads_gives_each_state_of_eval),
        cmocka_unit_test(eval_many_on_one_thread_per_processor_gives_each_state_of_eval),
        cmocka_unit_test(eval_many_on_more_threads_than_agreements_gives_each_state_of_eval),
        cmocka_unit_test(eval_many_of_no_agreements_is_ok),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
