/*
 * test_sales_like.c - lines like the last (lib/sales_csv.c): a sales
 * report's lines that repeat the last pattern's bytes but for the
 * country and the amounts, read straight from the tokenizer's buffer.
 *
 * Every report here is read with the reader's fast ways and with only
 * the slow one (lic__sale_line_read), at several chunk sizes, and the
 * two traces (every member of every line, its offset, its x_ values,
 * the messages) must be the same; the count of lines read as like the
 * last is asserted exactly, so that a test fails if that way is not
 * taken.  lic_sales_reader_xcols_same is checked against the values.
 * The agreement AGR (USD, two fields) comes from events_fixture.h.
 */
#include "events_fixture.h"

#include "licet/sales.h"
#include "sales_int.h"
#include "sales_trace.h"

static lic_sale_line L;

/* Every line of csv (against agr, read `chunk` bytes at a time, with the
 * fast ways or only the slow one), each member, its offset and x_
 * values, then the messages; *liked: the lines read as like the last. */
/* The current line's x_ values, one string (valid until the next call). */
static const char *xs_line(const lic_sales_reader *r, const char *const *xs, size_t nx)
{
    static char buf[1024];
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nx; i++)
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s\x1f", lic_sales_reader_xcol(r, xs[i]));
    return buf;
}

static char *full_trace(const char *csv, size_t chunk, bool fast, size_t *liked)
{
    char prev[1024] = "";
    lic_diags d;
    lic_diags_init(&d);
    lic_sales_reader *r = NULL;
    lic__csv *t;
    assert_int_equal(lic__csv_open_mem(csv, strlen(csv), chunk, &t), LIC_OK);
    assert_int_equal(lic__sales_reader_open_csv(agr, t, "s.csv", &d, &r), LIC_OK);
    lic__sales_reader_set_fast(r, fast);
    size_t cap = 1 << 20, at = 0, nx;
    char *out = malloc(cap);
    assert_non_null(out);
    const char *const *xs = lic_sales_reader_xcols(r, &nx);
    int got;
    while ((got = lic_sales_reader_next(r, &L)) != 0) {
        at += (size_t)snprintf(out + at, cap - at, "%d", got);
        if (got == 1)
            at += (size_t)snprintf(out + at, cap - at,
                                   " %d/%d/%d %d %s %s %d %lld %lld %lld %lld %s %lld %d:%d @%llu", L.period.kind,
                                   L.period.year, L.period.index, L.date, L.product ? L.product : "-",
                                   lic_country_code(L.country), L.field, (long long)L.units, (long long)L.gross,
                                   (long long)L.deductions, (long long)L.third_party_royalties, L.currency->code,
                                   (long long)L.fx_rate, L.pos.line, L.pos.col,
                                   (unsigned long long)lic_sales_reader_offset(r));
        for (size_t i = 0; got == 1 && i < nx; i++)
            at += (size_t)snprintf(out + at, cap - at, " %s=%s", xs[i], lic_sales_reader_xcol(r, xs[i]));
        if (got == 1 && lic_sales_reader_xcols_same(r)) /* then the same as the last line's: checked here */
            assert_true(prev[0] && !strcmp(prev, xs_line(r, xs, nx)));
        if (got == 1)
            snprintf(prev, sizeof prev, "%s", xs_line(r, xs, nx));
        else
            prev[0] = '\0';
        at += (size_t)snprintf(out + at, cap - at, "\n");
        assert_true(at < cap);
        if (got < 0 && got != -(int)LIC_EINVALID)
            break;
    }
    *liked = lic__sales_reader_like_lines(r);
    return trace_done(out, at, cap, r, &d);
}

/* csv reads the same with lines like the last as only the slow way,
 * whatever the chunk size; the count of lines read as like the last
 * (with the default chunk). */
static size_t like_reads_as_slow(const char *csv)
{
    size_t liked, none;
    char *slow = full_trace(csv, 0, false, &none);
    assert_int_equal(none, 0);
    char *fast = full_trace(csv, 0, true, &liked);
    assert_string_equal(fast, slow);
    free(fast);
    static const size_t chunks[] = {1, 7, 64, 97, 130, 200};
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        size_t k;
        char *t = full_trace(csv, chunks[i], true, &k);
        assert_string_equal(t, slow);
        free(t);
    }
    free(slow);
    return liked;
}

/* A sorted report: each line of a period repeats the last but for the
 * country and the amounts, whatever their widths.  Five of twelve are
 * read as like the last (lines 5, 9, 11, 12, 13); the others the usual
 * way: the first (line 2), a country not seen before (3 DE, 4 FR, 6 JP),
 * another period or x_ value (7, 10), and line 8, as the reader waits a
 * line after a pattern that the very next line was not like (line 6's). */
static void lines_like_the_last_read_as_the_usual_way_reads_them(void **state)
{
    (void)state;
    const char *csv = SALES_SORTED;
    assert_int_equal(like_reads_as_slow(csv), 5);
    lic_sales_reader *R = NULL;
    assert_int_equal(lic_sales_reader_open_mem(agr, "q2.csv", csv, strlen(csv), &D, &R), LIC_OK);
    static const struct {
        const char *country;
        lic_amount gross, ded;
        const char *ag;
    } want[] = {{"US", 137039143, 3956695, "A1"}, {"DE", 500, 1, "A1"}, {"FR", 1234567899, 0, "A1"},
                {"US", 700, 100, "A1"},          {"JP", 50, 25, "A1"}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        assert_int_equal(lic_sales_reader_next(R, &L), 1);
        assert_int_equal(L.country, country(want[i].country));
        assert_int_equal(L.gross, want[i].gross);
        assert_int_equal(L.deductions, want[i].ded);
        assert_int_equal(L.pos.line, (int)i + 2);
        assert_int_equal(L.field, field(agr, "therapeutics/oncology"));
        assert_string_equal(lic_sales_reader_xcol(R, "x_ag"), want[i].ag);
        /* known the same only on the like line (line 5), after the pattern's own (line 4) */
        assert_int_equal(lic_sales_reader_xcols_same(R), i == 3);
    }
    assert_int_equal(lic__sales_reader_like_lines(R), 1); /* line 5 */
    lic_sales_reader_free(R);
}

/* Rows that are not like the pattern are read the usual way, with the
 * usual messages: an amount of three decimals, a quote, a cell more or
 * less, a CR, a longer row, a country not seen or not a country, an
 * empty gross, other bytes in the lead or the tail, a blank line, a
 * byte past ASCII, no line end at the end.  Lines 3, 4 (a negative
 * amount, which reads as the usual way reads it) and 21 are like the
 * last. */
static void rows_unlike_the_pattern_are_read_the_usual_way(void **state)
{
    (void)state;
    const char *csv = "x_ag,period,country,field,gross_sales,deductions,currency,x_note\n"
                      "A1,2026-Q1,US,therapeutics/oncology,10.00,1.00,USD,n\n"
                      "A1,2026-Q1,US,therapeutics/oncology,11.00,1.00,USD,n\n"
                      "A1,2026-Q1,US,therapeutics/oncology,-12.00,1.00,USD,n\n"
                      "A1,2026-Q1,US,therapeutics/oncology,13.000,1.00,USD,n\n"
                      "A1,2026-Q1,US,therapeutics/oncology,\"14,00\",1.00,USD,n\n"
                      "A1,2026-Q1,US,therapeutics/oncology,15.00,1.00,USD,n,extra\n"
                      "A1,2026-Q1,US,therapeutics/oncology,16.00,1.00,USD\n"
                      "A1,2026-Q1,US,therapeutics/oncology,17.00,1.00,USD,n\r\n"
                      "A1,2026-Q1,US,therapeutics/oncology,18.00,1.00,USD,a note much longer than the "
                      "pattern's, past what a pattern holds\n"
                      "A1,2026-Q1,DE,therapeutics/oncology,19.00,1.00,USD,n\n"
                      "A1,2026-Q1,ZZ,therapeutics/oncology,20.00,1.00,USD,n\n"
                      "A1,2026-Q1,us,therapeutics/oncology,21.00,1.00,USD,n\n"
                      "A1,2026-Q1,US,therapeutics/oncology,,1.00,USD,n\n"
                      "A1,2026-Q1,US,therapeutics/rare-disease,23.00,1.00,USD,n\n"
                      "A1,2026-Q1,US,therapeutics/oncology,24.00,1.00,EUR,n\n"
                      "A1,2026-Q1,US,therapeutics/oncology,25.00,1.00,USD,m\n"
                      "\n"
                      "A1,2026-Q1,US,therapeutics/oncology,26.00,1.00,USD,m\xc3\xa9\n"
                      "A1,2026-Q1,US,therapeutics/oncology,27.00\n"
                      "A1,2026-Q1,US,therapeutics/oncology,28.00,1.00,USD,m\n"
                      "A1,2026-Q1,US,therapeutics/oncology,29.00,1.00,USD,m";
    size_t liked = like_reads_as_slow(csv);
    assert_int_equal(liked, 3);
    char *t = full_trace(csv, 0, true, &liked);
    const char *want = /* the slow way's, here too (like_reads_as_slow) */
        "s.csv:6:37: gross_sales: expected an amount with at most 2 decimals like \"1234.56\", got \"14,00\"\n"
        "s.csv:7:54: expected 8 values (one per column of the header), got 9\n"
        "s.csv:8:1: expected 8 values (one per column of the header), got 7\n"
        "s.csv:10:90: expected 8 values (one per column of the header), got 9\n"
        "s.csv:12:12: country: expected an ISO 3166-1 alpha-2 country code like US, got \"ZZ\"\n"
        "s.csv:13:12: country: expected an ISO 3166-1 alpha-2 country code like US, got \"us\"\n"
        "s.csv:14:37: gross_sales: required, but the cell is empty\n"
        "s.csv:20:1: expected 8 values (one per column of the header), got 5\n";
    const char *msgs = strstr(t, "s.csv:");
    assert_non_null(msgs);
    assert_string_equal(msgs, want);
    free(t);
}

/* A header whose amount columns are not side by side, or x_ values
 * that change on every line: no line is like the last, and the reader
 * reads them all the usual way. */
static void no_line_is_like_the_last_when_the_pattern_cannot_hold(void **state)
{
    (void)state;
    char csv[1 << 14];
    size_t at = (size_t)snprintf(csv, sizeof csv, "gross_sales,period,country,field,deductions,currency\n");
    for (int i = 0; i < 50; i++)
        at += (size_t)snprintf(csv + at, sizeof csv - at, "%d.00,2026-Q1,US,therapeutics/oncology,1.00,USD\n",
                               i + 1);
    assert_int_equal(like_reads_as_slow(csv), 0);
    at = (size_t)snprintf(csv, sizeof csv, "x_ref,period,country,field,gross_sales,currency\n");
    for (int i = 0; i < 200; i++)
        at += (size_t)snprintf(csv + at, sizeof csv - at, "R%d,2026-Q1,US,therapeutics/oncology,%d.00,USD\n",
                               i, i + 1);
    assert_true(at < sizeof csv);
    assert_int_equal(like_reads_as_slow(csv), 0);
}

/* Two amounts after a lead that repeats: both points are found at once
 * (like_pair), in the 32 bytes after the lead.  Every pair of these
 * texts, as gross and deductions, reads as the usual way reads it: 1 to
 * 7 digits before the point (taken), 8 (not: the first amount's point
 * past its first word), a point in the other amount only, none, one
 * decimal or three, two points, a sign, a byte that is not a digit.
 * Each pair follows two rows of the commonest shape, so that the
 * pattern is set again after a miss; 779 of the 972 lines are read as
 * like the last (like_pair's or, when it gives up, like_amounts'), with
 * a tail after the amounts (",USD") and with the amounts ending the row
 * (the second's separator the LF). */
static void both_amounts_of_a_like_line_read_as_the_usual_way(void **state)
{
    (void)state;
    static const char *const shapes[] = {
        "1.00", "12.34", "123.45", "1234.56", "12345.67", "123456.78", "1234567.89", "12345678.90",
        "7", "1.5", "1.234", "1.2.3", "-5.00", "1a.00", "12.3a", ".50", "1.", "",
    };
    size_t ns = sizeof shapes / sizeof *shapes, cap = 1 << 17;
    char *csv = malloc(cap);
    assert_non_null(csv);
    for (int last = 0; last < 2; last++) {
        const char *lead = last ? "A1,2026-Q1,US,therapeutics/oncology,USD," : "A1,2026-Q1,US,therapeutics/oncology,";
        size_t at = (size_t)snprintf(csv, cap, "x_ag,period,country,field,%s\n",
                                     last ? "currency,gross_sales,deductions" : "gross_sales,deductions,currency");
        for (size_t i = 0; i < ns; i++)
            for (size_t j = 0; j < ns; j++)
                for (int k = 0; k < 3; k++) /* two of the commonest shape, then the pair */
                    at += (size_t)snprintf(csv + at, cap - at, "%s%s,%s%s\n", lead, k < 2 ? "10.00" : shapes[i],
                                           k < 2 ? "1.00" : shapes[j], last ? "" : ",USD");
        assert_true(at < cap);
        assert_int_equal(like_reads_as_slow(csv), 779);
    }
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(lines_like_the_last_read_as_the_usual_way_reads_them, setup, teardown),
        cmocka_unit_test_setup_teardown(rows_unlike_the_pattern_are_read_the_usual_way, setup, teardown),
        cmocka_unit_test_setup_teardown(no_line_is_like_the_last_when_the_pattern_cannot_hold, setup, teardown),
        cmocka_unit_test_setup_teardown(both_amounts_of_a_like_line_read_as_the_usual_way, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
