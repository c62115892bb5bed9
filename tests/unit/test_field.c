/*
 * test_field.c - field-of-use trees and sets of fields (FORMAT 1: a field
 * includes every field below it; a node stands for "this field other than
 * its named children").
 */
#include "testutil.h"

#include <stdio.h>

#include "alloc.h"
#include "licet/field.h"

static int add(lic_fieldtree *t, const char *path)
{
    int node = -1;
    assert_int_equal(lic_fieldtree_add(t, path, strlen(path), &node), LIC_OK);
    return node;
}

static int find(const lic_fieldtree *t, const char *path)
{
    return lic_fieldtree_find(t, path, strlen(path));
}

/* therapeutics: [oncology, rare-disease], diagnostics: [] (FORMAT 2). */
static lic_fieldtree *example_tree(void)
{
    lic_fieldtree *t = lic_fieldtree_new();
    assert_non_null(t);
    add(t, "therapeutics/oncology");
    add(t, "therapeutics/rare-disease");
    add(t, "diagnostics");
    return t;
}

/* The set a grant gets from naming these paths. */
static lic_fset named(const lic_fieldtree *t, const char *a, const char *b)
{
    lic_fset s;
    lic_fset_clear(&s);
    if (a)
        lic_fset_add(t, &s, find(t, a));
    if (b)
        lic_fset_add(t, &s, find(t, b));
    return s;
}

static char buf[4096];

static const char *fmt(const lic_fieldtree *t, lic_fset s)
{
    size_t len = lic_fset_format(t, &s, buf, sizeof buf);
    assert_int_equal(len, strlen(buf));
    return buf;
}

/* ---- building the tree ---------------------------------------------- */

static void add_creates_missing_ancestors_first(void **state)
{
    (void)state;
    lic_fieldtree *t = lic_fieldtree_new();
    assert_non_null(t);
    assert_int_equal(add(t, "therapeutics/oncology/solid"), 2);
    assert_int_equal(lic_fieldtree_count(t), 3);
    assert_string_equal(lic_fieldtree_path(t, 0), "therapeutics");
    assert_string_equal(lic_fieldtree_path(t, 1), "therapeutics/oncology");
    assert_string_equal(lic_fieldtree_path(t, 2),
                        "therapeutics/oncology/solid");
    assert_int_equal(lic_fieldtree_parent(t, 0), -1);
    assert_int_equal(lic_fieldtree_parent(t, 1), 0);
    assert_int_equal(lic_fieldtree_parent(t, 2), 1);
    lic_fieldtree_free(t);
}

static void add_numbers_nodes_in_insertion_order(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    assert_int_equal(lic_fieldtree_count(t), 4);
    assert_int_equal(find(t, "therapeutics"), 0);
    assert_int_equal(find(t, "therapeutics/oncology"), 1);
    assert_int_equal(find(t, "therapeutics/rare-disease"), 2);
    assert_int_equal(find(t, "diagnostics"), 3);
    assert_int_equal(lic_fieldtree_parent(t, 2), 0);
    lic_fieldtree_free(t);
}

static void add_existing_path_returns_its_node(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    assert_int_equal(add(t, "therapeutics"), 0);
    assert_int_equal(add(t, "therapeutics/rare-disease"), 2);
    assert_int_equal(lic_fieldtree_count(t), 4);
    assert_int_equal(lic_fieldtree_add(t, "diagnostics", 11, NULL), LIC_OK);
    lic_fieldtree_free(t);
}

static void add_reads_exactly_len_bytes(void **state)
{
    (void)state;
    lic_fieldtree *t = lic_fieldtree_new();
    assert_non_null(t);
    int node = -1;
    assert_int_equal(lic_fieldtree_add(t, "diagnostics/extra", 11, &node),
                     LIC_OK);
    assert_int_equal(node, 0);
    assert_int_equal(lic_fieldtree_count(t), 1);
    assert_string_equal(lic_fieldtree_path(t, 0), "diagnostics");
    lic_fieldtree_free(t);
}

static void find_matches_whole_paths_only(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    assert_int_equal(find(t, "therapeutics/oncology"), 1);
    assert_int_equal(find(t, "oncology"), -1);
    assert_int_equal(find(t, "thera"), -1);
    assert_int_equal(find(t, "therapeutics/"), -1);
    assert_int_equal(find(t, "Therapeutics"), -1);
    assert_int_equal(find(t, ""), -1);
    assert_int_equal(lic_fieldtree_find(t, "therapeutics/oncology", 12), 0);
    assert_int_equal(lic_fieldtree_find(NULL, "x", 1), -1);
    lic_fieldtree_free(t);
}

static void segments_must_be_ids(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    const char *bad[] = {"", "/", "/a", "a/", "a//b", "-a", ".a", "_a",
                         "a b", "a/b!c", "therapeutics/ oncology", "é",
                         "a/-b", "a\tb"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int node = 77;
        assert_int_equal(
            lic_fieldtree_add(t, bad[i], strlen(bad[i]), &node), LIC_EPARSE);
        assert_int_equal(node, 77);
    }
    /* A NUL inside the given length is not part of any id. */
    assert_int_equal(lic_fieldtree_add(t, "a\0b", 3, NULL), LIC_EPARSE);
    assert_int_equal(lic_fieldtree_count(t), 4);
    add(t, "9lives");
    add(t, "A1._-z/b");
    assert_int_equal(lic_fieldtree_count(t), 7);
    lic_fieldtree_free(t);
}

static void invalid_arguments(void **state)
{
    (void)state;
    assert_int_equal(lic_fieldtree_add(NULL, "a", 1, NULL), LIC_EINVAL);
    lic_fieldtree *t = lic_fieldtree_new();
    assert_non_null(t);
    assert_int_equal(lic_fieldtree_add(t, NULL, 0, NULL), LIC_EINVAL);
    assert_null(lic_fieldtree_path(t, 0));
    assert_null(lic_fieldtree_path(t, -1));
    assert_int_equal(lic_fieldtree_parent(t, 5), -1);
    assert_int_equal(lic_fieldtree_count(NULL), 0);
    lic_fieldtree_free(t);
    lic_fieldtree_free(NULL);
}

static void the_513th_node_is_too_big(void **state)
{
    (void)state;
    lic_fieldtree *t = lic_fieldtree_new();
    assert_non_null(t);
    char path[32];
    for (int i = 0; i < LIC_FIELD_MAX; i++) {
        snprintf(path, sizeof path, "f%d", i);
        assert_int_equal(add(t, path), i);
    }
    assert_int_equal(lic_fieldtree_count(t), 512);
    assert_int_equal(lic_fieldtree_add(t, "one-more", 8, NULL), LIC_ETOOBIG);
    /* An existing path is still found, not refused. */
    assert_int_equal(add(t, "f511"), 511);
    assert_int_equal(lic_fieldtree_count(t), 512);
    lic_fset all = lic_fieldtree_all(t);
    assert_int_equal(lic_fset_count(&all), 512);
    lic_fieldtree_free(t);
}

static void a_path_that_does_not_fit_adds_no_ancestors(void **state)
{
    (void)state;
    lic_fieldtree *t = lic_fieldtree_new();
    assert_non_null(t);
    char path[32];
    for (int i = 0; i < LIC_FIELD_MAX - 1; i++) {
        snprintf(path, sizeof path, "f%d", i);
        add(t, path);
    }
    /* Needs two new nodes where one is left. */
    assert_int_equal(lic_fieldtree_add(t, "new/child", 9, NULL), LIC_ETOOBIG);
    assert_int_equal(lic_fieldtree_count(t), 511);
    assert_int_equal(find(t, "new"), -1);
    /* Under an existing parent one new node fits. */
    assert_int_equal(add(t, "f0/child"), 511);
    lic_fieldtree_free(t);
}

static void walk_children_in_insertion_order(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    assert_int_equal(lic_fieldtree_first_child(t, -1), 0);
    assert_int_equal(lic_fieldtree_next_sibling(t, 0), 3);
    assert_int_equal(lic_fieldtree_next_sibling(t, 3), -1);
    assert_int_equal(lic_fieldtree_first_child(t, 0), 1);
    assert_int_equal(lic_fieldtree_next_sibling(t, 1), 2);
    assert_int_equal(lic_fieldtree_next_sibling(t, 2), -1);
    assert_int_equal(lic_fieldtree_first_child(t, 3), -1);
    assert_int_equal(lic_fieldtree_first_child(t, 99), -1);
    lic_fieldtree_free(t);
}

static void out_of_memory_leaves_the_tree_unchanged(void **state)
{
    (void)state;
    lic__alloc_fail_after(0);
    assert_null(lic_fieldtree_new());
    lic__alloc_fail_after(-1);

    lic_fieldtree *t = lic_fieldtree_new();
    assert_non_null(t);
    /* Sweep: fail the n-th allocation until the add succeeds. */
    long n = 0;
    for (;; n++) {
        lic__alloc_fail_after(n);
        lic_err rc = lic_fieldtree_add(t, "a/b/c", 5, NULL);
        lic__alloc_fail_after(-1);
        if (rc == LIC_OK)
            break;
        assert_int_equal(rc, LIC_ENOMEM);
        assert_int_equal(lic_fieldtree_count(t), 0);
        assert_int_equal(lic_fieldtree_first_child(t, -1), -1);
    }
    /* The array grows once (and keeps its room after a later failure),
     * then each of the three path copies fails in turn. */
    assert_int_equal(n, 3);
    assert_int_equal(lic_fieldtree_count(t), 3);
    assert_string_equal(lic_fieldtree_path(t, 2), "a/b/c");
    lic_fieldtree_free(t);
}

/* ---- sets ------------------------------------------------------------ */

static void naming_a_field_adds_its_whole_subtree(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    lic_fset s = named(t, "therapeutics", NULL);
    assert_int_equal(lic_fset_count(&s), 3);
    assert_true(lic_fset_has(&s, 0));
    assert_true(lic_fset_has(&s, 1));
    assert_true(lic_fset_has(&s, 2));
    assert_false(lic_fset_has(&s, 3));
    lic_fset leaf = named(t, "therapeutics/oncology", NULL);
    assert_int_equal(lic_fset_count(&leaf), 1);
    assert_true(lic_fset_has(&leaf, 1));
    lic_fieldtree_free(t);
}

static void adding_a_node_out_of_range_changes_nothing(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    lic_fset s;
    lic_fset_clear(&s);
    lic_fset_add(t, &s, -1);
    lic_fset_add(t, &s, 4);
    lic_fset_add(t, &s, 600);
    assert_true(lic_fset_is_empty(&s));
    assert_false(lic_fset_has(&s, -1));
    assert_false(lic_fset_has(&s, 600));
    lic_fieldtree_free(t);
}

static void all_is_every_node(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    lic_fset all = lic_fieldtree_all(t);
    lic_fset both = named(t, "therapeutics", "diagnostics");
    assert_int_equal(lic_fset_count(&all), 4);
    assert_true(lic_fset_equal(&all, &both));
    lic_fset none = lic_fieldtree_all(NULL);
    assert_true(lic_fset_is_empty(&none));
    lic_fieldtree_free(t);
}

static void diff_keeps_the_parent_residual(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    lic_fset d = lic_fset_diff(named(t, "therapeutics", NULL),
                               named(t, "therapeutics/oncology", NULL));
    assert_int_equal(lic_fset_count(&d), 2);
    assert_true(lic_fset_has(&d, find(t, "therapeutics")));
    assert_true(lic_fset_has(&d, find(t, "therapeutics/rare-disease")));
    assert_false(lic_fset_has(&d, find(t, "therapeutics/oncology")));
    lic_fieldtree_free(t);
}

static void union_and_intersect(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    lic_fset onc = named(t, "therapeutics/oncology", NULL);
    lic_fset rare = named(t, "therapeutics/rare-disease", NULL);
    lic_fset ther = named(t, "therapeutics", NULL);
    lic_fset u = lic_fset_union(onc, rare);
    assert_int_equal(lic_fset_count(&u), 2);
    lic_fset i = lic_fset_intersect(ther, onc);
    assert_true(lic_fset_equal(&i, &onc));
    lic_fset none = lic_fset_intersect(onc, rare);
    assert_true(lic_fset_is_empty(&none));
    lic_fieldtree_free(t);
}

static void overlaps_contains_equal(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    lic_fset ther = named(t, "therapeutics", NULL);
    lic_fset onc = named(t, "therapeutics/oncology", NULL);
    lic_fset diag = named(t, "diagnostics", NULL);
    lic_fset residual = lic_fset_diff(ther, onc);
    assert_true(lic_fset_overlaps(&ther, &onc));
    assert_false(lic_fset_overlaps(&onc, &diag));
    assert_false(lic_fset_overlaps(&residual, &onc));
    assert_true(lic_fset_contains(&ther, &onc));
    assert_false(lic_fset_contains(&onc, &ther));
    assert_false(lic_fset_contains(&residual, &onc));
    assert_true(lic_fset_contains(&ther, &residual));
    assert_true(lic_fset_equal(&ther, &ther));
    assert_false(lic_fset_equal(&ther, &residual));
    lic_fset back = lic_fset_union(residual, onc);
    assert_true(lic_fset_equal(&back, &ther));
    lic_fieldtree_free(t);
}

static void next_visits_nodes_in_number_order(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    lic_fset s = named(t, "diagnostics", "therapeutics/rare-disease");
    assert_int_equal(lic_fset_next(&s, 0), 2);
    assert_int_equal(lic_fset_next(&s, 3), 3);
    assert_int_equal(lic_fset_next(&s, 4), -1);
    assert_int_equal(lic_fset_next(&s, -1), 2);
    assert_int_equal(lic_fset_next(&s, 1000), -1);
    lic_fieldtree_free(t);
}

/* ---- formatting ------------------------------------------------------ */

static void format_whole_subtrees_by_their_root(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    assert_string_equal(fmt(t, lic_fieldtree_all(t)),
                        "therapeutics, diagnostics");
    assert_string_equal(fmt(t, named(t, "therapeutics", NULL)),
                        "therapeutics");
    assert_string_equal(fmt(t, named(t, "therapeutics/oncology",
                                     "therapeutics/rare-disease")),
                        "therapeutics/oncology, therapeutics/rare-disease");
    lic_fieldtree_free(t);
}

static void format_residual_parent_as_other(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    lic_fset d = lic_fset_diff(named(t, "therapeutics", NULL),
                               named(t, "therapeutics/oncology", NULL));
    assert_string_equal(fmt(t, d),
                        "therapeutics (other), therapeutics/rare-disease");
    lic_fset only_residual = lic_fset_diff(
        d, named(t, "therapeutics/rare-disease", NULL));
    assert_string_equal(fmt(t, only_residual), "therapeutics (other)");
    lic_fieldtree_free(t);
}

static void format_deep_tree_in_tree_order(void **state)
{
    (void)state;
    lic_fieldtree *t = lic_fieldtree_new();
    assert_non_null(t);
    add(t, "a/b/c");
    add(t, "z");
    add(t, "a/b/d");
    add(t, "a/e");
    lic_fset s = lic_fset_diff(lic_fieldtree_all(t), named(t, "a/b/c", NULL));
    /* Children in insertion order: a/e after a/b although added last. */
    assert_string_equal(fmt(t, s), "a (other), a/b (other), a/b/d, a/e, z");
    assert_string_equal(fmt(t, named(t, "a/b/d", "z")), "a/b/d, z");
    lic_fieldtree_free(t);
}

static void format_empty_set_is_empty_string(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    lic_fset s;
    lic_fset_clear(&s);
    assert_string_equal(fmt(t, s), "");
    lic_fieldtree_free(t);
}

static void format_truncates_and_returns_needed_length(void **state)
{
    (void)state;
    lic_fieldtree *t = example_tree();
    lic_fset s = lic_fieldtree_all(t);
    char small[8];
    assert_int_equal(lic_fset_format(t, &s, small, sizeof small), 25);
    assert_string_equal(small, "therape");
    assert_int_equal(lic_fset_format(t, &s, NULL, 0), 25);
    lic_fieldtree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_creates_missing_ancestors_first),
        cmocka_unit_test(add_numbers_nodes_in_insertion_order),
        cmocka_unit_test(add_existing_path_returns_its_node),
        cmocka_unit_test(add_reads_exactly_len_bytes),
        cmocka_unit_test(find_matches_whole_paths_only),
        cmocka_unit_test(segments_must_be_ids),
        cmocka_unit_test(invalid_arguments),
        cmocka_unit_test(the_513th_node_is_too_big),
        cmocka_unit_test(a_path_that_does_not_fit_adds_no_ancestors),
        cmocka_unit_test(walk_children_in_insertion_order),
        cmocka_unit_test(out_of_memory_leaves_the_tree_unchanged),
        cmocka_unit_test(naming_a_field_adds_its_whole_subtree),
        cmocka_unit_test(adding_a_node_out_of_range_changes_nothing),
        cmocka_unit_test(all_is_every_node),
        cmocka_unit_test(diff_keeps_the_parent_residual),
        cmocka_unit_test(union_and_intersect),
        cmocka_unit_test(overlaps_contains_equal),
        cmocka_unit_test(next_visits_nodes_in_number_order),
        cmocka_unit_test(format_whole_subtrees_by_their_root),
        cmocka_unit_test(format_residual_parent_as_other),
        cmocka_unit_test(format_deep_tree_in_tree_order),
        cmocka_unit_test(format_empty_set_is_empty_string),
        cmocka_unit_test(format_truncates_and_returns_needed_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
