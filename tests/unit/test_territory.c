/*
 * test_territory.c - the country table, territory sets, built-in and
 * agreement regions, resolving names, and formatting sets (FORMAT 1).
 */
#include "testutil.h"

#include <stdio.h>

#include "alloc.h"
#include "licet/territory.h"

/* The number of a code that must exist. */
static int cc(const char *code)
{
    int idx = lic_country_index(code, strlen(code));
    assert_true(idx >= 0);
    return idx;
}

/* A set from space-separated codes: "DE FR US". */
static lic_tset set_of(const char *codes)
{
    lic_tset s;
    lic_tset_clear(&s);
    char code[3] = {0};
    for (const char *p = codes; *p; ) {
        if (*p == ' ') {
            p++;
            continue;
        }
        code[0] = p[0];
        code[1] = p[1];
        lic_tset_add(&s, cc(code));
        p += 2;
    }
    return s;
}

static lic_tset builtin(const char *name)
{
    lic_tset s;
    assert_true(lic_region_builtin(name, &s));
    return s;
}

static char buf[2048];

static const char *fmt(lic_tset s)
{
    size_t len = lic_tset_format(&s, buf, sizeof buf);
    assert_int_equal(len, strlen(buf));
    return buf;
}

static const char *describe(lic_tset s, const lic_regions *custom)
{
    size_t len = lic_tset_describe(&s, custom, buf, sizeof buf);
    assert_int_equal(len, strlen(buf));
    return buf;
}

/* ---- the country table ---------------------------------------------- */

static void country_table_has_249_assigned_codes(void **state)
{
    (void)state;
    assert_int_equal(lic_country_count(), 249);
}

static void country_numbers_follow_code_order_and_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < (int)lic_country_count(); i++) {
        const char *code = lic_country_code(i);
        assert_non_null(code);
        assert_int_equal(strlen(code), 2);
        assert_int_equal(lic_country_index(code, 2), i);
        assert_non_null(lic_country_name(i));
        if (i > 0)
            assert_true(strcmp(lic_country_code(i - 1), code) < 0);
    }
    assert_string_equal(lic_country_code(0), "AD");
    assert_string_equal(lic_country_code(248), "ZW");
}

static void country_names_are_english_short_names(void **state)
{
    (void)state;
    assert_string_equal(lic_country_name(cc("US")), "United States of America");
    assert_string_equal(lic_country_name(cc("GB")), "United Kingdom");
    assert_string_equal(lic_country_name(cc("DE")), "Germany");
    assert_string_equal(lic_country_name(cc("GR")), "Greece");
    assert_string_equal(lic_country_name(cc("CI")), "Côte d'Ivoire");
    assert_string_equal(lic_country_name(cc("AD")), "Andorra");
}

static void country_index_needs_two_upper_case_assigned_letters(void **state)
{
    (void)state;
    assert_int_equal(lic_country_index("us", 2), -1);
    assert_int_equal(lic_country_index("Us", 2), -1);
    assert_int_equal(lic_country_index("UK", 2), -1); /* reserved, not GB */
    assert_int_equal(lic_country_index("EU", 2), -1); /* a region */
    assert_int_equal(lic_country_index("XK", 2), -1); /* user-assigned */
    assert_int_equal(lic_country_index("U", 1), -1);
    assert_int_equal(lic_country_index("USA", 3), -1);
    assert_int_equal(lic_country_index("", 0), -1);
    assert_int_equal(lic_country_index(NULL, 2), -1);
}

static void country_index_reads_exactly_len_bytes(void **state)
{
    (void)state;
    assert_int_equal(lic_country_index("USA", 2), cc("US"));
}

static void country_out_of_range_is_null(void **state)
{
    (void)state;
    assert_null(lic_country_code(-1));
    assert_null(lic_country_code(249));
    assert_null(lic_country_name(-1));
    assert_null(lic_country_name(249));
}

/* ---- sets ------------------------------------------------------------ */

static void tset_add_has_remove_count(void **state)
{
    (void)state;
    lic_tset s;
    lic_tset_clear(&s);
    assert_true(lic_tset_is_empty(&s));
    lic_tset_add(&s, cc("US"));
    lic_tset_add(&s, cc("US"));
    lic_tset_add(&s, cc("ZW"));
    lic_tset_add(&s, cc("AD"));
    assert_int_equal(lic_tset_count(&s), 3);
    assert_true(lic_tset_has(&s, cc("US")));
    assert_false(lic_tset_has(&s, cc("GB")));
    lic_tset_remove(&s, cc("US"));
    assert_false(lic_tset_has(&s, cc("US")));
    assert_int_equal(lic_tset_count(&s), 2);
}

static void tset_ignores_numbers_outside_the_table(void **state)
{
    (void)state;
    lic_tset s;
    lic_tset_clear(&s);
    lic_tset_add(&s, -1);
    lic_tset_add(&s, 249);
    lic_tset_add(&s, 255);
    lic_tset_add(&s, 1000);
    assert_true(lic_tset_is_empty(&s));
    assert_false(lic_tset_has(&s, 249));
    assert_false(lic_tset_has(&s, -5));
}

static void tset_union_intersect_diff(void **state)
{
    (void)state;
    lic_tset a = set_of("DE FR US"), b = set_of("FR GB JP");
    lic_tset u = lic_tset_union(a, b), i = lic_tset_intersect(a, b);
    lic_tset d = lic_tset_diff(a, b);
    assert_string_equal(fmt(u), "DE, FR, GB, JP, US");
    assert_string_equal(fmt(i), "FR");
    assert_string_equal(fmt(d), "DE, US");
    lic_tset expect = set_of("US DE");
    assert_true(lic_tset_equal(&d, &expect));
}

static void tset_overlaps_contains_equal(void **state)
{
    (void)state;
    lic_tset a = set_of("DE FR US"), b = set_of("FR"), c = set_of("GB JP");
    lic_tset empty;
    lic_tset_clear(&empty);
    assert_true(lic_tset_overlaps(&a, &b));
    assert_false(lic_tset_overlaps(&a, &c));
    assert_false(lic_tset_overlaps(&a, &empty));
    assert_true(lic_tset_contains(&a, &b));
    assert_false(lic_tset_contains(&b, &a));
    assert_true(lic_tset_contains(&a, &a));
    assert_true(lic_tset_contains(&a, &empty));
    assert_false(lic_tset_contains(&empty, &a));
    assert_true(lic_tset_equal(&a, &a));
    assert_false(lic_tset_equal(&a, &b));
}

static void tset_next_visits_members_in_code_order(void **state)
{
    (void)state;
    lic_tset s = set_of("ZW US AD GB");
    const char *want[] = {"AD", "GB", "US", "ZW"};
    size_t k = 0;
    for (int i = lic_tset_next(&s, 0); i >= 0; i = lic_tset_next(&s, i + 1)) {
        assert_true(k < 4);
        assert_string_equal(lic_country_code(i), want[k++]);
    }
    assert_int_equal(k, 4);
    assert_int_equal(lic_tset_next(&s, cc("ZW") + 1), -1);
    assert_int_equal(lic_tset_next(&s, 1000), -1);
    assert_int_equal(lic_tset_next(&s, -3), cc("AD"));
    lic_tset empty;
    lic_tset_clear(&empty);
    assert_int_equal(lic_tset_next(&empty, 0), -1);
}

/* ---- built-in regions ----------------------------------------------- */

static void builtin_regions_are_the_nine_of_format_1(void **state)
{
    (void)state;
    /* Also the order describe tries regions of equal size. */
    const char *names[] = {"WORLD", "EUROPE", "EEA", "EU", "NORTH_AMERICA",
                           "LATAM", "APAC", "MENA", "AFRICA"};
    assert_int_equal(lic_region_builtin_count(), 9);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(lic_region_builtin_name(i), names[i]);
    assert_null(lic_region_builtin_name(9));
}

/* The counts in docs/territories.md; a misspelled code would be dropped
 * from its region and change its count. */
static void builtin_region_sizes_match_the_docs(void **state)
{
    (void)state;
    struct { const char *name; size_t n; } want[] = {
        {"WORLD", 249}, {"EUROPE", 52}, {"EEA", 30}, {"EU", 27},
        {"NORTH_AMERICA", 3}, {"LATAM", 29}, {"APAC", 56}, {"MENA", 20},
        {"AFRICA", 60},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        lic_tset s = builtin(want[i].name);
        assert_int_equal(lic_tset_count(&s), want[i].n);
    }
}

static void builtin_region_names_are_exact_and_case_sensitive(void **state)
{
    (void)state;
    lic_tset s;
    assert_false(lic_region_builtin("eu", &s));
    assert_false(lic_region_builtin("Europe", &s));
    assert_false(lic_region_builtin("ASIA", &s));
    assert_false(lic_region_builtin("", &s));
    assert_false(lic_region_builtin(NULL, &s));
    assert_true(lic_region_builtin("EU", NULL));
}

static void eu_is_the_27_member_states_with_greece_not_uk(void **state)
{
    (void)state;
    lic_tset eu = builtin("EU");
    assert_int_equal(lic_tset_count(&eu), 27);
    assert_string_equal(fmt(eu),
                        "AT, BE, BG, CY, CZ, DE, DK, EE, ES, FI, FR, GR, HR, "
                        "HU, IE, IT, LT, LU, LV, MT, NL, PL, PT, RO, SE, SI, "
                        "SK");
    assert_true(lic_tset_has(&eu, cc("GR")));
    assert_false(lic_tset_has(&eu, cc("GB")));
    /* Outermost regions with their own codes are not member states. */
    assert_false(lic_tset_has(&eu, cc("RE")));
    assert_false(lic_tset_has(&eu, cc("AX")));
}

static void eea_is_eu_plus_iceland_liechtenstein_norway(void **state)
{
    (void)state;
    lic_tset eu = builtin("EU"), eea = builtin("EEA");
    assert_true(lic_tset_contains(&eea, &eu));
    assert_string_equal(fmt(lic_tset_diff(eea, eu)), "IS, LI, NO");
}

static void europe_is_geographic_with_russia_without_turkey(void **state)
{
    (void)state;
    lic_tset europe = builtin("EUROPE"), eea = builtin("EEA");
    assert_true(lic_tset_contains(&europe, &eea));
    assert_string_equal(fmt(lic_tset_diff(europe, eea)),
                        "AD, AL, AX, BA, BY, CH, FO, GB, GG, GI, IM, JE, MC, "
                        "MD, ME, MK, RS, RU, SJ, SM, UA, VA");
    assert_false(lic_tset_has(&europe, cc("TR")));
    assert_false(lic_tset_has(&europe, cc("GE")));
    assert_false(lic_tset_has(&europe, cc("KZ")));
    assert_false(lic_tset_has(&europe, cc("GL")));
}

static void world_holds_every_country(void **state)
{
    (void)state;
    lic_tset world = builtin("WORLD");
    for (int i = 0; i < (int)lic_country_count(); i++)
        assert_true(lic_tset_has(&world, i));
    const char *others[] = {"EUROPE", "EEA", "EU", "NORTH_AMERICA", "LATAM",
                            "APAC", "MENA", "AFRICA"};
    for (size_t i = 0; i < 8; i++) {
        lic_tset r = builtin(others[i]);
        assert_true(lic_tset_contains(&world, &r));
    }
}

static void north_america_is_us_canada_mexico_only(void **state)
{
    (void)state;
    assert_string_equal(fmt(builtin("NORTH_AMERICA")), "CA, MX, US");
}

static void latam_spot_checks(void **state)
{
    (void)state;
    lic_tset latam = builtin("LATAM");
    const char *in[] = {"MX", "BR", "AR", "BZ", "GY", "SR", "GF", "PR",
                        "CU", "DO", "HT", "GP", "MQ"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        assert_true(lic_tset_has(&latam, cc(in[i])));
    const char *out[] = {"JM", "TT", "BS", "AW", "CW", "FK", "US", "ES"};
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        assert_false(lic_tset_has(&latam, cc(out[i])));
}

static void apac_spot_checks(void **state)
{
    (void)state;
    lic_tset apac = builtin("APAC");
    const char *in[] = {"AU", "NZ", "JP", "CN", "KR", "IN", "SG", "TW",
                        "HK", "ID", "PK", "AF", "FJ", "GU"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        assert_true(lic_tset_has(&apac, cc(in[i])));
    const char *out[] = {"IR", "KZ", "UZ", "RU", "AE", "US"};
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        assert_false(lic_tset_has(&apac, cc(out[i])));
}

static void mena_is_world_bank_mena_less_dj_mt_plus_turkey(void **state)
{
    (void)state;
    assert_string_equal(fmt(builtin("MENA")),
                        "AE, BH, DZ, EG, IL, IQ, IR, JO, KW, LB, LY, MA, OM, "
                        "PS, QA, SA, SY, TN, TR, YE");
}

static void africa_is_54_states_plus_six_territories(void **state)
{
    (void)state;
    lic_tset africa = builtin("AFRICA");
    lic_tset territories = set_of("EH IO RE SH TF YT");
    assert_true(lic_tset_contains(&africa, &territories));
    assert_int_equal(lic_tset_count(&africa) - 6, 54);
    /* North Africa is in both AFRICA and MENA. */
    lic_tset mena = builtin("MENA");
    assert_string_equal(fmt(lic_tset_intersect(africa, mena)),
                        "DZ, EG, LY, MA, TN");
}

/* ---- agreement regions and resolving -------------------------------- */

static void regions_define_count_name_set(void **state)
{
    (void)state;
    lic_regions *r = lic_regions_new();
    assert_non_null(r);
    lic_tset dach = set_of("DE AT CH");
    assert_int_equal(lic_regions_define(r, "DACH", &dach), LIC_OK);
    assert_int_equal(lic_regions_count(r), 1);
    assert_string_equal(lic_regions_name(r, 0), "DACH");
    assert_true(lic_tset_equal(lic_regions_set(r, 0), &dach));
    assert_null(lic_regions_name(r, 1));
    assert_null(lic_regions_set(r, 1));
    lic_regions_free(r);
}

static void regions_define_existing_name_replaces_set(void **state)
{
    (void)state;
    lic_regions *r = lic_regions_new();
    assert_non_null(r);
    lic_tset a = set_of("DE AT"), b = set_of("DE AT CH");
    assert_int_equal(lic_regions_define(r, "DACH", &a), LIC_OK);
    assert_int_equal(lic_regions_define(r, "DACH", &b), LIC_OK);
    assert_int_equal(lic_regions_count(r), 1);
    assert_true(lic_tset_equal(lic_regions_set(r, 0), &b));
    lic_regions_free(r);
}

static void regions_define_refuses_country_codes_and_empty_names(void **state)
{
    (void)state;
    lic_regions *r = lic_regions_new();
    assert_non_null(r);
    lic_tset s = set_of("US PR VI GU");
    assert_int_equal(lic_regions_define(r, "US", &s), LIC_EINVAL);
    assert_int_equal(lic_regions_define(r, "", &s), LIC_EINVAL);
    assert_int_equal(lic_regions_count(r), 0);
    /* Lower case is not a country code, so it is a fine region name. */
    assert_int_equal(lic_regions_define(r, "us", &s), LIC_OK);
    lic_regions_free(r);
}

static void regions_grow_past_initial_capacity(void **state)
{
    (void)state;
    lic_regions *r = lic_regions_new();
    assert_non_null(r);
    char name[16];
    for (int i = 0; i < 40; i++) {
        lic_tset s;
        lic_tset_clear(&s);
        lic_tset_add(&s, i);
        snprintf(name, sizeof name, "R%d", i);
        assert_int_equal(lic_regions_define(r, name, &s), LIC_OK);
    }
    assert_int_equal(lic_regions_count(r), 40);
    assert_string_equal(lic_regions_name(r, 39), "R39");
    assert_true(lic_tset_has(lic_regions_set(r, 39), 39));
    lic_regions_free(r);
}

static void regions_free_null_and_count_null(void **state)
{
    (void)state;
    lic_regions_free(NULL);
    assert_int_equal(lic_regions_count(NULL), 0);
    assert_null(lic_regions_name(NULL, 0));
}

static void regions_out_of_memory_leaves_table_unchanged(void **state)
{
    (void)state;
    lic__alloc_fail_after(0);
    assert_null(lic_regions_new());
    lic__alloc_fail_after(-1);

    lic_regions *r = lic_regions_new();
    assert_non_null(r);
    lic_tset s = set_of("DE AT CH");
    /* First the name copy fails, then the array growth. */
    for (long n = 0; n < 2; n++) {
        lic__alloc_fail_after(n);
        assert_int_equal(lic_regions_define(r, "DACH", &s), LIC_ENOMEM);
        lic__alloc_fail_after(-1);
        assert_int_equal(lic_regions_count(r), 0);
    }
    assert_int_equal(lic_regions_define(r, "DACH", &s), LIC_OK);
    lic_regions_free(r);
}

static void resolve_country_code(void **state)
{
    (void)state;
    lic_tset s;
    assert_int_equal(lic_territory_resolve(NULL, "GR", &s), LIC_OK);
    assert_string_equal(fmt(s), "GR");
}

static void resolve_lowercase_code_is_not_found(void **state)
{
    (void)state;
    lic_tset s;
    assert_int_equal(lic_territory_resolve(NULL, "us", &s), LIC_ENOTFOUND);
    assert_int_equal(lic_territory_resolve(NULL, "UK", &s), LIC_ENOTFOUND);
    assert_int_equal(lic_territory_resolve(NULL, "eu", &s), LIC_ENOTFOUND);
    assert_int_equal(lic_territory_resolve(NULL, "", &s), LIC_ENOTFOUND);
}

static void resolve_builtin_region(void **state)
{
    (void)state;
    lic_tset s, eu = builtin("EU");
    assert_int_equal(lic_territory_resolve(NULL, "EU", &s), LIC_OK);
    assert_true(lic_tset_equal(&s, &eu));
}

static void resolve_agreement_region_shadows_builtin(void **state)
{
    (void)state;
    lic_regions *r = lic_regions_new();
    assert_non_null(r);
    lic_tset eu_plus = lic_tset_union(builtin("EU"), set_of("GF GP MQ RE YT"));
    lic_tset dach = set_of("DE AT CH");
    assert_int_equal(lic_regions_define(r, "EU", &eu_plus), LIC_OK);
    assert_int_equal(lic_regions_define(r, "DACH", &dach), LIC_OK);
    lic_tset s;
    assert_int_equal(lic_territory_resolve(r, "EU", &s), LIC_OK);
    assert_int_equal(lic_tset_count(&s), 32);
    assert_int_equal(lic_territory_resolve(r, "DACH", &s), LIC_OK);
    assert_string_equal(fmt(s), "AT, CH, DE");
    /* Other built-in regions and countries still resolve. */
    assert_int_equal(lic_territory_resolve(r, "EEA", &s), LIC_OK);
    assert_int_equal(lic_tset_count(&s), 30);
    assert_int_equal(lic_territory_resolve(r, "DE", &s), LIC_OK);
    assert_string_equal(fmt(s), "DE");
    assert_int_equal(lic_territory_resolve(r, "dach", &s), LIC_ENOTFOUND);
    lic_regions_free(r);
}

/* ---- formatting and describing -------------------------------------- */

static void format_lists_codes_alphabetically(void **state)
{
    (void)state;
    assert_string_equal(fmt(set_of("US FR DE")), "DE, FR, US");
    assert_string_equal(fmt(set_of("JP")), "JP");
}

static void format_empty_set_is_empty_string(void **state)
{
    (void)state;
    lic_tset s;
    lic_tset_clear(&s);
    assert_string_equal(fmt(s), "");
}

static void format_truncates_and_returns_needed_length(void **state)
{
    (void)state;
    lic_tset s = set_of("DE FR US");
    char small[6];
    assert_int_equal(lic_tset_format(&s, small, sizeof small), 10);
    assert_string_equal(small, "DE, F");
    assert_int_equal(lic_tset_format(&s, NULL, 0), 10);
    char one[1] = {'x'};
    assert_int_equal(lic_tset_format(&s, one, 1), 10);
    assert_string_equal(one, "");
}

static void describe_names_eu_then_the_rest(void **state)
{
    (void)state;
    lic_tset s = lic_tset_union(builtin("EU"), set_of("GB US"));
    assert_string_equal(describe(s, NULL), "EU, GB, US");
}

static void describe_whole_world_is_world(void **state)
{
    (void)state;
    assert_string_equal(describe(builtin("WORLD"), NULL), "WORLD");
}

static void describe_prefers_world_over_agreement_region(void **state)
{
    (void)state;
    lic_regions *r = lic_regions_new();
    assert_non_null(r);
    lic_tset all = builtin("WORLD");
    assert_int_equal(lic_regions_define(r, "EVERYWHERE", &all), LIC_OK);
    assert_string_equal(describe(all, r), "WORLD");
    lic_regions_free(r);
}

static void describe_names_the_largest_contained_region(void **state)
{
    (void)state;
    assert_string_equal(describe(builtin("EEA"), NULL), "EEA");
    assert_string_equal(describe(builtin("EUROPE"), NULL), "EUROPE");
    lic_tset eu_is = lic_tset_union(builtin("EU"), set_of("IS"));
    assert_string_equal(describe(eu_is, NULL), "EU, IS");
}

static void describe_never_names_overlapping_regions(void **state)
{
    (void)state;
    /* MX is in both; LATAM is larger, so NORTH_AMERICA is not named. */
    lic_tset americas = lic_tset_union(builtin("LATAM"),
                                       builtin("NORTH_AMERICA"));
    assert_string_equal(describe(americas, NULL), "LATAM, CA, US");
    lic_tset mena_africa = lic_tset_union(builtin("MENA"), builtin("AFRICA"));
    assert_string_equal(describe(mena_africa, NULL),
                        "AFRICA, AE, BH, IL, IQ, IR, JO, KW, LB, OM, PS, QA, "
                        "SA, SY, TR, YE");
}

static void describe_names_several_disjoint_regions_largest_first(void **state)
{
    (void)state;
    lic_tset s = lic_tset_union(builtin("NORTH_AMERICA"), builtin("EU"));
    s = lic_tset_union(s, builtin("APAC"));
    assert_string_equal(describe(s, NULL), "APAC, EU, NORTH_AMERICA");
}

static void describe_uses_agreement_regions(void **state)
{
    (void)state;
    lic_regions *r = lic_regions_new();
    assert_non_null(r);
    lic_tset dach = set_of("DE AT CH");
    assert_int_equal(lic_regions_define(r, "DACH", &dach), LIC_OK);
    assert_string_equal(describe(set_of("AT CH DE FR"), r), "DACH, FR");
    /* EU is larger than DACH, so EU is named and CH is left over. */
    lic_tset eu_ch = lic_tset_union(builtin("EU"), set_of("CH"));
    assert_string_equal(describe(eu_ch, r), "EU, CH");
    lic_regions_free(r);
}

static void describe_agreement_region_wins_a_tie_with_builtin(void **state)
{
    (void)state;
    lic_regions *r = lic_regions_new();
    assert_non_null(r);
    lic_tset na = builtin("NORTH_AMERICA");
    assert_int_equal(lic_regions_define(r, "USMCA", &na), LIC_OK);
    assert_string_equal(describe(na, r), "USMCA");
    lic_regions_free(r);
}

static void describe_skips_regions_of_one_country(void **state)
{
    (void)state;
    lic_regions *r = lic_regions_new();
    assert_non_null(r);
    lic_tset one = set_of("JP");
    assert_int_equal(lic_regions_define(r, "HOME", &one), LIC_OK);
    assert_string_equal(describe(set_of("JP US"), r), "JP, US");
    lic_regions_free(r);
}

static void describe_empty_set_is_empty_string(void **state)
{
    (void)state;
    lic_tset s;
    lic_tset_clear(&s);
    assert_string_equal(describe(s, NULL), "");
}

static void describe_truncates_and_returns_needed_length(void **state)
{
    (void)state;
    lic_tset s = lic_tset_union(builtin("EU"), set_of("GB US"));
    char small[4];
    assert_int_equal(lic_tset_describe(&s, NULL, small, sizeof small), 10);
    assert_string_equal(small, "EU,");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(country_table_has_249_assigned_codes),
        cmocka_unit_test(country_numbers_follow_code_order_and_round_trip),
        cmocka_unit_test(country_names_are_english_short_names),
        cmocka_unit_test(country_index_needs_two_upper_case_assigned_letters),
        cmocka_unit_test(country_index_reads_exactly_len_bytes),
        cmocka_unit_test(country_out_of_range_is_null),
        cmocka_unit_test(tset_add_has_remove_count),
        cmocka_unit_test(tset_ignores_numbers_outside_the_table),
        cmocka_unit_test(tset_union_intersect_diff),
        cmocka_unit_test(tset_overlaps_contains_equal),
        cmocka_unit_test(tset_next_visits_members_in_code_order),
        cmocka_unit_test(builtin_regions_are_the_nine_of_format_1),
        cmocka_unit_test(builtin_region_sizes_match_the_docs),
        cmocka_unit_test(builtin_region_names_are_exact_and_case_sensitive),
        cmocka_unit_test(eu_is_the_27_member_states_with_greece_not_uk),
        cmocka_unit_test(eea_is_eu_plus_iceland_liechtenstein_norway),
        cmocka_unit_test(europe_is_geographic_with_russia_without_turkey),
        cmocka_unit_test(world_holds_every_country),
        cmocka_unit_test(north_america_is_us_canada_mexico_only),
        cmocka_unit_test(latam_spot_checks),
        cmocka_unit_test(apac_spot_checks),
        cmocka_unit_test(mena_is_world_bank_mena_less_dj_mt_plus_turkey),
        cmocka_unit_test(africa_is_54_states_plus_six_territories),
        cmocka_unit_test(regions_define_count_name_set),
        cmocka_unit_test(regions_define_existing_name_replaces_set),
        cmocka_unit_test(regions_define_refuses_country_codes_and_empty_names),
        cmocka_unit_test(regions_grow_past_initial_capacity),
        cmocka_unit_test(regions_free_null_and_count_null),
        cmocka_unit_test(regions_out_of_memory_leaves_table_unchanged),
        cmocka_unit_test(resolve_country_code),
        cmocka_unit_test(resolve_lowercase_code_is_not_found),
        cmocka_unit_test(resolve_builtin_region),
        cmocka_unit_test(resolve_agreement_region_shadows_builtin),
        cmocka_unit_test(format_lists_codes_alphabetically),
        cmocka_unit_test(format_empty_set_is_empty_string),
        cmocka_unit_test(format_truncates_and_returns_needed_length),
        cmocka_unit_test(describe_names_eu_then_the_rest),
        cmocka_unit_test(describe_whole_world_is_world),
        cmocka_unit_test(describe_prefers_world_over_agreement_region),
        cmocka_unit_test(describe_names_the_largest_contained_region),
        cmocka_unit_test(describe_never_names_overlapping_regions),
        cmocka_unit_test(describe_names_several_disjoint_regions_largest_first),
        cmocka_unit_test(describe_uses_agreement_regions),
        cmocka_unit_test(describe_agreement_region_wins_a_tie_with_builtin),
        cmocka_unit_test(describe_skips_regions_of_one_country),
        cmocka_unit_test(describe_empty_set_is_empty_string),
        cmocka_unit_test(describe_truncates_and_returns_needed_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
