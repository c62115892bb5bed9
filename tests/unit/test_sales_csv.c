/*
 * test_sales_csv.c - the sales report reader (include/licet/sales.h) and
 * report files in events (`file:` of a report event).
 *
 * The header: columns in any order, x_ columns, unknown, missing and
 * duplicate columns; the defaults (units, deductions, royalties 0; field
 * the agreement's only one); every line checked as an inline report line
 * is, with the same messages, named FILE:LINE:COL: COLUMN; malformed CSV;
 * whole-file loading; and events whose reports read a CSV next to them.
 * Agreements (AGR: USD, two fields; AGR_JPY: one field) come from
 * events_fixture.h.
 */
#include "events_fixture.h"

#include <sys/stat.h>
#include <unistd.h>

#include "licet/sales.h"
#include "sales_int.h"
#include "sales_trace.h"

#define HEADER "period,date,product,country,field,units,gross_sales,deductions,currency,third_party_royalties\n"

static lic_sales_reader *R;
static lic_sale_line L;

static int reader_setup(void **state)
{
    R = NULL;
    return setup(state);
}

static int reader_teardown(void **state)
{
    lic_sales_reader_free(R);
    R = NULL;
    return teardown(state);
}

/* Opens `csv` as q2.csv against `a` with fresh diagnostics. */
static lic_err open_as(const lic_agreement *a, const char *csv)
{
    lic_diags_fini(&D);
    lic_diags_init(&D);
    lic_sales_reader_free(R);
    R = (lic_sales_reader *)1; /* must be set by the call */
    return lic_sales_reader_open_mem(a, "q2.csv", csv, strlen(csv), &D, &R);
}

static void open_ok_as(const lic_agreement *a, const char *csv)
{
    lic_err rc = open_as(a, csv);
    if (rc || D.n)
        print_diags();
    assert_int_equal(rc, LIC_OK);
    assert_non_null(R);
    assert_int_equal(D.n, 0);
}

static void open_ok(const char *csv)
{
    open_ok_as(agr, csv);
}

/* The header is wrong: the open fails with exactly these diagnostics. */
static void expect_header_errors(const lic_agreement *a, const char *csv, const char *const *want)
{
    lic_err rc = open_as(a, csv);
    assert_int_equal(rc, LIC_EINVALID);
    assert_null(R);
    size_t n = 0;
    while (want[n])
        n++;
    if (D.n != n)
        print_diags();
    assert_int_equal(D.n, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(diag_line(i), want[i]);
}

/* The next line is read. */
static void next_ok(void)
{
    int got = lic_sales_reader_next(R, &L);
    if (got != 1)
        print_diags();
    assert_int_equal(got, 1);
}

/* A one-line report whose line fails with exactly the diagnostic `want`. */
static void expect_line_error_as(const lic_agreement *a, const char *csv, const char *want)
{
    open_ok_as(a, csv);
    assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EINVALID);
    if (D.n != 1)
        print_diags();
    assert_int_equal(D.n, 1);
    assert_string_equal(diag_line(0), want);
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
}

static void expect_line_error(const char *csv, const char *want)
{
    expect_line_error_as(agr, csv, want);
}

/* ---- the header ---- */

static void format_example_reads_exactly(void **state)
{
    (void)state;
    open_ok(HEADER "2026-Q2,,BX-101,US,therapeutics/oncology,1200,\"1500000.00\",\"45000.00\",USD,0\n");
    next_ok();
    assert_period(L.period, LIC_PERIOD_QUARTER, 2026, 2);
    assert_int_equal(L.date, LIC_DATE_NONE);
    assert_string_equal(L.product, "BX-101");
    assert_int_equal(L.country, country("US"));
    assert_int_equal(L.field, field(agr, "therapeutics/oncology"));
    assert_int_equal(L.units, 1200);
    assert_int_equal(L.gross, 150000000);
    assert_int_equal(L.deductions, 4500000);
    assert_int_equal(L.third_party_royalties, 0);
    assert_ptr_equal(L.currency, lic_currency_find("USD"));
    assert_int_equal(L.pos.line, 2);
    assert_int_equal(L.pos.col, 1);
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
}

static void columns_may_come_in_any_order(void **state)
{
    (void)state;
    open_ok("currency,third_party_royalties,gross_sales,field,country,date,period,units,product,"
            "deductions\r\n"
            "EUR,\"10.5\",1000.25,therapeutics/rare-disease,DE,2026-05-20,2026-05,7,\"Kit, large\",1\r\n");
    next_ok();
    assert_ptr_equal(L.currency, lic_currency_find("EUR"));
    assert_int_equal(L.third_party_royalties, 1050);
    assert_int_equal(L.gross, 100025);
    assert_int_equal(L.field, field(agr, "therapeutics/rare-disease"));
    assert_int_equal(L.country, country("DE"));
    assert_int_equal(L.date, YMD(2026, 5, 20));
    assert_period(L.period, LIC_PERIOD_MONTH, 2026, 5);
    assert_int_equal(L.units, 7);
    assert_string_equal(L.product, "Kit, large");
    assert_int_equal(L.deductions, 100);
}

static void only_period_country_gross_sales_and_currency_are_needed(void **state)
{
    (void)state;
    open_ok_as(agr_jpy, "country,gross_sales,currency,period\nJP,3000000,JPY,2026-Q2\n");
    next_ok();
    assert_int_equal(L.units, 0);
    assert_int_equal(L.deductions, 0);
    assert_int_equal(L.third_party_royalties, 0);
    assert_int_equal(L.date, LIC_DATE_NONE);
    assert_null(L.product);
    assert_int_equal(L.gross, 3000000);
    /* field: the agreement's only one */
    assert_int_equal(L.field, field(agr_jpy, "diagnostics/companion"));
}

static void empty_cells_are_values_not_given(void **state)
{
    (void)state;
    open_ok_as(agr_jpy, HEADER "2026-Q2,,,JP,,,500,,JPY,\n"
                               "2026-Q2,,\"\",JP,diagnostics/companion,\"\",5,\"\",JPY,\"\"\n");
    next_ok();
    assert_int_equal(L.date, LIC_DATE_NONE);
    assert_null(L.product);
    assert_int_equal(L.field, field(agr_jpy, "diagnostics/companion"));
    assert_int_equal(L.units, 0);
    assert_int_equal(L.deductions, 0);
    assert_int_equal(L.third_party_royalties, 0);
    next_ok();
    assert_null(L.product);
    assert_int_equal(L.gross, 5);
}

static void x_columns_are_kept_and_read_by_name(void **state)
{
    (void)state;
    open_ok("x_agreement,period,country,gross_sales,currency,field,x_note\n"
            "A-1,2026-Q2,US,10,USD,therapeutics/oncology,\"first, of two\"\n"
            "A-2,2026-Q2,US,20,USD,therapeutics/oncology,\n");
    size_t n;
    const char *const *names = lic_sales_reader_xcols(R, &n);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "x_agreement");
    assert_string_equal(names[1], "x_note");
    assert_int_equal(lic_sales_reader_xcol_index(R, "x_agreement"), 0);
    assert_int_equal(lic_sales_reader_xcol_index(R, "x_note"), 1);
    assert_int_equal(lic_sales_reader_xcol_index(R, "x_other"), -1);
    assert_int_equal(lic_sales_reader_xcol_index(R, "country"), -1); /* only x_ columns */
    assert_null(lic_sales_reader_xcol(R, "x_agreement")); /* no line yet */
    assert_null(lic_sales_reader_xcol_at(R, 0));
    next_ok();
    assert_string_equal(lic_sales_reader_xcol(R, "x_agreement"), "A-1");
    assert_string_equal(lic_sales_reader_xcol(R, "x_note"), "first, of two");
    assert_string_equal(lic_sales_reader_xcol_at(R, 0), "A-1");
    assert_string_equal(lic_sales_reader_xcol_at(R, 1), "first, of two");
    assert_null(lic_sales_reader_xcol_at(R, 2));
    assert_null(lic_sales_reader_xcol(R, "x_other"));
    assert_null(lic_sales_reader_xcol(R, "country")); /* only x_ columns */
    next_ok();
    assert_string_equal(lic_sales_reader_xcol(R, "x_agreement"), "A-2");
    assert_string_equal(lic_sales_reader_xcol(R, "x_note"), "");
    assert_string_equal(lic_sales_reader_xcol_at(R, 1), "");
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
    assert_null(lic_sales_reader_xcol(R, "x_agreement"));
    assert_null(lic_sales_reader_xcol_at(R, 0));
}

static void unknown_column_is_an_error_unless_prefixed_x(void **state)
{
    (void)state;
    expect_header_errors(agr, "period,country,grosssales,currency,field,Region,x_\n",
                         (const char *const[]){
                             "q2.csv:1:16: unknown column \"grosssales\" (did you mean \"gross_sales\"? "
                             "names of your own start with x_)",
                             "q2.csv:1:42: unknown column \"Region\" (expected period, date, product, "
                             "country, field, units, gross_sales, deductions, currency, "
                             "third_party_royalties, fx_rate, or a name starting with x_)",
                             "q2.csv:1:49: unknown column \"x_\" (expected period, date, product, country, "
                             "field, units, gross_sales, deductions, currency, third_party_royalties, "
                             "fx_rate, or "
                             "a name starting with x_)",
                             "q2.csv:1:1: missing required column \"gross_sales\" (FORMAT 4 requires "
                             "period, country, gross_sales and currency)",
                             NULL});
}

static void required_columns_are_named_when_missing(void **state)
{
    (void)state;
    expect_header_errors(agr_jpy, "\xEF\xBB\xBF" "product,units\n",
                         (const char *const[]){
                             "q2.csv:1:1: missing required column \"period\" (FORMAT 4 requires period, "
                             "country, gross_sales and currency)",
                             "q2.csv:1:1: missing required column \"country\" (FORMAT 4 requires period, "
                             "country, gross_sales and currency)",
                             "q2.csv:1:1: missing required column \"gross_sales\" (FORMAT 4 requires "
                             "period, country, gross_sales and currency)",
                             "q2.csv:1:1: missing required column \"currency\" (FORMAT 4 requires period, "
                             "country, gross_sales and currency)",
                             NULL});
}

static void field_column_is_needed_when_the_agreement_has_several(void **state)
{
    (void)state;
    expect_header_errors(agr, "period,country,gross_sales,currency\n",
                         (const char *const[]){
                             "q2.csv:1:1: missing column \"field\" (the agreement has several fields, so "
                             "each line names one)",
                             NULL});
}

static void duplicate_and_empty_column_names_are_errors(void **state)
{
    (void)state;
    expect_header_errors(agr_jpy, "period,country,gross_sales,currency,,x_a,country,x_a\n",
                         (const char *const[]){
                             "q2.csv:1:37: empty column name (each column of the header needs a name)",
                             "q2.csv:1:42: duplicate column \"country\" (first at column 8)",
                             "q2.csv:1:50: duplicate column \"x_a\" (first at column 38)",
                             NULL});
}

static void header_row_is_required(void **state)
{
    (void)state;
    expect_header_errors(agr, "",
                         (const char *const[]){
                             "q2.csv:1:1: expected a header row naming the columns, like "
                             "period,country,gross_sales,currency; got an empty file",
                             NULL});
    expect_header_errors(agr, "\n" HEADER,
                         (const char *const[]){
                             "q2.csv:1:1: expected a header row naming the columns, like "
                             "period,country,gross_sales,currency; got a blank line",
                             NULL});
}

/* ---- each line is checked ---- */

static void bad_amount_names_file_line_column_and_column_name(void **state)
{
    (void)state;
    expect_line_error(HEADER "2026-Q2,,BX-101,US,therapeutics/oncology,1,\"12,5\",0,USD,0\n",
                      "q2.csv:2:44: gross_sales: expected an amount with at most 2 decimals like "
                      "\"1234.56\", got \"12,5\"");
}

static void amounts_follow_the_lines_own_currency(void **state)
{
    (void)state;
    expect_line_error_as(agr_jpy, "period,country,gross_sales,currency,deductions\n"
                                  "2026-Q2,JP,100,JPY,10.5\n",
                         "q2.csv:2:20: deductions: expected an amount with at most 0 decimals like "
                         "\"1234.56\", got \"10.5\"");
    open_ok_as(agr_jpy, "period,country,gross_sales,currency\n2026-Q2,BH,1.005,BHD\n");
    next_ok();
    assert_int_equal(L.gross, 1005);
}

static void bad_values_are_named_by_column(void **state)
{
    (void)state;
    const char *h = "period,country,field,gross_sales,currency,date,units\n";
    struct {
        const char *row, *want;
    } cases[] = {
        {"2026-Q2,USA,therapeutics/oncology,1,USD,,\n",
         "q2.csv:2:9: country: expected an ISO 3166-1 alpha-2 country code like US, got \"USA\""},
        {"2026-Q2,US,oncology,1,USD,,\n",
         "q2.csv:2:12: field: unknown field \"oncology\" (the agreement's fields: tree has no such path)"},
        {"2026-Q2,US,therapeutics/oncology,1,usd,,\n",
         "q2.csv:2:36: currency: expected an ISO 4217 currency code like USD, got \"usd\""},
        {"2026-Q5,US,therapeutics/oncology,1,USD,,\n",
         "q2.csv:2:1: period: expected a period like 2026-Q2, 2026-H1, 2026-05 or 2026, got \"2026-Q5\""},
        {"2026-Q2,US,therapeutics/oncology,1,USD,2026-02-30,\n",
         "q2.csv:2:40: date: no such day \"2026-02-30\""},
        {"2026-Q2,US,therapeutics/oncology,1,USD,2026-07-01,\n",
         "q2.csv:2:40: date: 2026-07-01 is outside the line's period 2026-Q2"},
        {"2026-Q2,US,therapeutics/oncology,1,USD,,-5\n",
         "q2.csv:2:41: units: expected a whole number from 0 to 2000000000, got \"-5\""},
        {"2026-Q2, US,therapeutics/oncology,1,USD,,\n",
         "q2.csv:2:9: country: expected an ISO 3166-1 alpha-2 country code like US, got \" US\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char csv[300];
        snprintf(csv, sizeof csv, "%s%s", h, cases[i].row);
        expect_line_error(csv, cases[i].want);
    }
}

static void empty_required_cell_is_an_error(void **state)
{
    (void)state;
    expect_line_error(HEADER "2026-Q2,,,,therapeutics/oncology,,1,,USD,\n",
                      "q2.csv:2:11: country: required, but the cell is empty");
    expect_line_error(HEADER "2026-Q2,,,US,,,1,,USD,\n",
                      "q2.csv:2:14: field: the cell is empty, but the agreement has several fields "
                      "(name one of them)");
}

static void row_must_have_one_value_per_column(void **state)
{
    (void)state;
    expect_line_error("period,country,gross_sales,currency,field\n2026-Q2,US,1,USD\n",
                      "q2.csv:2:1: expected 5 values (one per column of the header), got 4");
    expect_line_error("period,country,gross_sales,currency,field\n"
                      "2026-Q2,US,1,USD,therapeutics/oncology,x\n",
                      "q2.csv:2:40: expected 5 values (one per column of the header), got 6");
}

static void a_bad_line_is_reported_and_reading_goes_on(void **state)
{
    (void)state;
    open_ok_as(agr_jpy, "period,country,gross_sales,currency\n"
                        "2026-Q2,JP,1,JPY\n"
                        "2026-Q2,XX,2,JPY\n"
                        "\n"
                        "2026-Q2,JP,3,JPY\n");
    next_ok();
    assert_int_equal(L.gross, 1);
    assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EINVALID);
    next_ok(); /* the blank line is skipped */
    assert_int_equal(L.gross, 3);
    assert_int_equal(L.pos.line, 5);
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
    assert_int_equal(D.n, 1);
    assert_string_equal(diag_line(0), "q2.csv:3:9: country: expected an ISO 3166-1 alpha-2 country "
                                      "code like US, got \"XX\"");
}

static void malformed_csv_is_fatal(void **state)
{
    (void)state;
    open_ok_as(agr_jpy, "period,country,gross_sales,currency\n"
                        "2026-Q2,JP,1,JPY\n"
                        "2026-Q2,JP,\"2\"x,JPY\n"
                        "2026-Q2,JP,3,JPY\n");
    next_ok();
    assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EPARSE);
    assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EPARSE);
    assert_int_equal(D.n, 1);
    assert_string_equal(diag_line(0), "q2.csv:3:15: expected a comma or the end of the line after the "
                                      "closing quote, got 'x'");
}

/* The same mistake inline and in a CSV gives the same message. */
static void csv_and_inline_lines_say_the_same(void **state)
{
    (void)state;
    /* country, gross_sales, date, currency: one of them wrong */
    const char *cases[][4] = {
        {"JP", "\"12,5\"", "2026-04-01", "JPY"},
        {"U5", "1", "2026-04-01", "JPY"},
        {"JP", "1", "2026-09-01", "JPY"},
        {"JP", "1", "2026-04-01", "EURO"},
    };
    const char *cols[] = {"gross_sales", "country", "date", "currency"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char ev[300], csv[300];
        snprintf(ev, sizeof ev,
                 "- { date: 2026-08-01, type: report, kind: royalty, period: 2026-Q2, lines: [{ "
                 "country: %s, gross_sales: %s, date: %s, currency: %s }] }\n",
                 cases[i][0], cases[i][1], cases[i][2], cases[i][3]);
        assert_int_equal(load_as(agr_jpy, "ev.yaml", ev), LIC_OK);
        assert_int_equal(D.n, 1);
        char *inline_msg = lic__strdup(D.v[0].msg);
        snprintf(csv, sizeof csv, "period,country,gross_sales,date,currency\n2026-Q2,%s,%s,%s,%s\n",
                 cases[i][0], cases[i][1], cases[i][2], cases[i][3]);
        open_ok_as(agr_jpy, csv);
        assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EINVALID);
        assert_int_equal(D.n, 1);
        assert_string_equal(D.v[0].msg, inline_msg);
        assert_string_equal(D.v[0].path, cols[i]);
        lic__free(inline_msg);
    }
}

/* ---- whole files ---- */

/* A scratch directory for files, removed by rm_scratch(). */
static char scratch[64];

static void mk_scratch(void)
{
    snprintf(scratch, sizeof scratch, "/tmp/licet-csv-XXXXXX");
    assert_non_null(mkdtemp(scratch));
}

static char *scratch_path(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", scratch, name);
    return buf[k];
}

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(scratch_path(name), "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void rm_scratch(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    assert_int_equal(system(cmd), 0);
}

static const char Q2[] = "period,country,gross_sales,currency,product\n"
                         "2026-Q2,JP,100,JPY,Kit A\n"
                         "2026-Q2,JP,200,JPY,Kit A\n"
                         "2026-Q2,US,3.5,USD,Kit B\n";

static void load_reads_a_whole_file_into_its_own_memory(void **state)
{
    (void)state;
    mk_scratch();
    write_file("q2.csv", Q2);
    lic_sales *s = (lic_sales *)1;
    assert_int_equal(lic_sales_load(agr_jpy, scratch_path("q2.csv"), &D, &s), LIC_OK);
    assert_int_equal(D.n, 0);
    assert_int_equal(s->n, 3);
    assert_string_equal(s->file, scratch_path("q2.csv"));
    assert_string_equal(s->v[0].product, "Kit A");
    assert_ptr_equal(s->v[0].product, s->v[1].product); /* one copy for a run of one product */
    assert_string_equal(s->v[2].product, "Kit B");
    assert_int_equal(s->v[2].gross, 350);
    assert_int_equal(s->v[2].pos.line, 4);
    unsigned char sha[32];
    crypto_hash_sha256(sha, (const unsigned char *)Q2, strlen(Q2));
    assert_memory_equal(s->sha256, sha, 32);
    lic_sales_free(s);
    lic_sales_free(NULL);
    rm_scratch();
}

static void load_stops_at_the_first_bad_line(void **state)
{
    (void)state;
    mk_scratch();
    write_file("q2.csv", "period,country,gross_sales,currency\n2026-Q2,JP,1,JPY\n2026-Q2,JP,x,JPY\n"
                         "2026-Q2,JP,y,JPY\n");
    lic_sales *s = (lic_sales *)1;
    assert_int_equal(lic_sales_load(agr_jpy, scratch_path("q2.csv"), &D, &s), LIC_EINVALID);
    assert_null(s);
    assert_int_equal(D.n, 1);
    char want[256];
    snprintf(want, sizeof want, "%s:3:12: gross_sales: expected an amount with at most 0 decimals "
                                "like \"1234.56\", got \"x\"", scratch_path("q2.csv"));
    assert_string_equal(diag_line(0), want);
    rm_scratch();
}

static void missing_file_is_an_io_error(void **state)
{
    (void)state;
    lic_sales *s = (lic_sales *)1;
    assert_int_equal(lic_sales_load(agr, "/nonexistent/q2.csv", &D, &s), LIC_EIO);
    assert_null(s);
    assert_string_equal(diag_line(0), "/nonexistent/q2.csv: cannot read the file: No such file or directory");
    lic_diags_fini(&D);
    lic_diags_init(&D);
    R = (lic_sales_reader *)1;
    assert_int_equal(lic_sales_reader_open(agr, "/nonexistent/q2.csv", &D, &R), LIC_EIO);
    assert_null(R);
    assert_int_equal(D.n, 1);
}

static void a_large_file_streams(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("period,country,gross_sales,currency,x_n\n", f);
    for (int i = 0; i < 100000; i++)
        fprintf(f, "2026-Q2,JP,%d,JPY,%d\n", i, i);
    rewind(f);
    assert_int_equal(lic_sales_reader_open_file(agr_jpy, f, "big.csv", &D, &R), LIC_OK);
    int n = 0;
    while (lic_sales_reader_next(R, &L) == 1) {
        assert_int_equal(L.gross, n);
        assert_int_equal(strtol(lic_sales_reader_xcol(R, "x_n"), NULL, 10), n);
        n++;
    }
    assert_int_equal(n, 100000);
    assert_int_equal(D.n, 0);
    lic_sales_reader_free(R);
    R = NULL;
    fclose(f);
}

/* A report of n lines for reading ahead: a product and x_n on every
 * line, a bad country on the lines in bad[] (ended by 0), and a stray
 * quote on line `fatal` (0: none). */
static char *ahead_csv(int n, const int *bad, int fatal)
{
    size_t cap = (size_t)n * 64 + 128, at = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    at += (size_t)snprintf(t, cap, "period,country,gross_sales,currency,product,x_n\n");
    for (int i = 2; i <= n + 1; i++) {
        bool b = false;
        for (const int *k = bad; *k; k++)
            b = b || *k == i;
        if (i == fatal)
            at += (size_t)snprintf(t + at, cap - at, "2026-Q2,JP,\"%d\"x,JPY,P,%d\n", i, i);
        else
            at += (size_t)snprintf(t + at, cap - at, "2026-Q2,%s,%d,JPY,P%d,%d\n", b ? "XX" : "JP", i, i % 7, i);
    }
    return t;
}

/* ---- parts of a file (lic_sales_reader_open_at) ---- */

/* What reading one line gave: the return code, the row's offset, its
 * line (read well) or the diagnostic (rejected). */
typedef struct got_line {
    int rc;
    uint64_t off;
    int line;
    lic_amount gross;
    char diag[160];
} got_line;

/* Reads the rest of R into g[]; the count (at most max). */
static size_t read_rest(got_line *g, size_t max)
{
    size_t n = 0;
    for (;;) {
        size_t before = D.n;
        int rc = lic_sales_reader_next(R, &L);
        if (rc == 0)
            return n;
        assert_true(n < max);
        g[n] = (got_line){.rc = rc, .off = lic_sales_reader_offset(R), .line = rc == 1 ? L.pos.line : 0,
                          .gross = rc == 1 ? L.gross : 0};
        if (D.n > before)
            lic_diag_format(&D.v[D.n - 1], g[n].diag, sizeof g[n].diag);
        n++;
        if (rc < -(int)LIC_EINVALID || rc == -(int)LIC_EPARSE)
            return n; /* fatal */
    }
}

/* Opens the part of scratch file `name` from byte `from` into R, lines
 * counted at once or (lazy) when a message needs them. */
static void open_part_as(const char *name, uint64_t from, bool lazy)
{
    lic_sales_reader_free(R);
    R = NULL;
    lic_diags_fini(&D);
    lic_diags_init(&D);
    const char *path = scratch_path(name);
    assert_int_equal(lazy ? lic_sales_reader_open_at_lazy(agr_jpy, path, from, &D, &R)
                          : lic_sales_reader_open_at(agr_jpy, path, from, &D, &R),
                     LIC_OK);
}

static void open_part(const char *name, uint64_t from)
{
    open_part_as(name, from, false);
}

/* A header, a blank line, a rejected line and rows of several lengths. */
static const char PARTS[] = "period,country,gross_sales,currency\n"
                            "2026-Q2,JP,1,JPY\n"
                            "2026-Q2,JP,22,JPY\n"
                            "\n"
                            "2026-Q2,XX,333,JPY\n"
                            "2026-Q2,JP,4444,JPY\n"
                            "2026-Q2,JP,5,JPY\n";

/* PARTS as p.csv in the scratch directory, read whole into whole[]: its
 * five lines, the third (line 5, XX) rejected. */
static size_t read_parts_whole(got_line *whole)
{
    mk_scratch();
    write_file("p.csv", PARTS);
    open_part("p.csv", 0);
    size_t n = read_rest(whole, 8);
    assert_int_equal(n, 5);
    assert_int_equal(whole[2].rc, -(int)LIC_EINVALID);
    return n;
}

static void a_part_from_any_byte_reads_the_rows_after_it_as_the_whole_file_does(void **state)
{
    (void)state;
    got_line whole[8], part[8];
    size_t n = read_parts_whole(whole);
    assert_int_equal(whole[0].off, 36); /* after the header */
    assert_int_equal(whole[2].off, 72); /* after the blank line */
    assert_int_equal(whole[3].line, 6);
    assert_int_equal(lic_sales_reader_offset(R), sizeof PARTS - 1); /* the end: the size */
    for (uint64_t from = 0; from <= sizeof PARTS - 1; from++) {
        /* the first row starting at or after from: after the LF at or after from - 1 */
        uint64_t start = 36;
        if (from > 36) {
            start = from;
            while (start - 1 < sizeof PARTS - 1 && PARTS[start - 1] != '\n')
                start++;
        }
        open_part("p.csv", from);
        assert_int_equal(lic_sales_reader_offset(R), start);
        size_t k = read_rest(part, 8), first = 0;
        while (first < n && whole[first].off < start)
            first++;
        assert_int_equal(k, n - first);
        for (size_t i = 0; i < k; i++) {
            assert_int_equal(part[i].rc, whole[first + i].rc);
            assert_int_equal(part[i].off, whole[first + i].off);
            assert_int_equal(part[i].line, whole[first + i].line);
            assert_int_equal(part[i].gross, whole[first + i].gross);
            assert_string_equal(part[i].diag, whole[first + i].diag);
        }
        assert_int_equal(lic_sales_reader_offset(R), sizeof PARTS - 1);
    }
    rm_scratch();
}

static void a_part_cut_inside_a_quoted_line_end_starts_where_no_row_does(void **state)
{
    (void)state;
    mk_scratch();
    static const char q[] = "period,country,gross_sales,currency,product\n"
                            "2026-Q2,JP,1,JPY,\"Kit\nA\"\n"   /* a product over two lines */
                            "2026-Q2,JP,2,JPY,B\n";
    write_file("q.csv", q);
    got_line whole[4], part[4];
    open_part("q.csv", 0);
    assert_int_equal(read_rest(whole, 4), 2);
    assert_int_equal(whole[0].off, 44);
    assert_int_equal(whole[1].off, 69);
    assert_int_equal(whole[1].line, 4); /* the quoted line end counts */
    /* cut inside the quoted value: the part starts on the value's second
     * line (offset 66), where no row of the whole file starts */
    open_part("q.csv", 50);
    assert_int_equal(lic_sales_reader_offset(R), 66);
    assert_int_equal(read_rest(part, 4), 1);
    assert_int_equal(part[0].rc, -(int)LIC_EPARSE);
    assert_int_equal(part[0].off, 66);
    char want[256];
    snprintf(want, sizeof want, "%s:3:2: a quote inside an unquoted value (quote the whole value and "
                                "double the quote: \"5\"\" disk\")", scratch_path("q.csv"));
    assert_string_equal(part[0].diag, want);
    rm_scratch();
}

/* The rule: a lazy part gives the lines, offsets and messages of the
 * whole file; its lines carry no number (0) until a message needs the
 * count, and the file's numbers from then on. */
static void a_lazy_part_numbers_its_lines_once_a_message_needs_them(void **state)
{
    (void)state;
    got_line whole[8], part[8];
    size_t n = read_parts_whole(whole), counted_at = 0;
    for (uint64_t from = 37; from <= sizeof PARTS - 1; from++) { /* past the first row's start */
        open_part_as("p.csv", from, true);
        size_t k = read_rest(part, 8), first = n - k;
        for (size_t i = 0; i < k; i++) {
            assert_int_equal(part[i].rc, whole[first + i].rc);
            assert_int_equal(part[i].off, whole[first + i].off);
            assert_int_equal(part[i].gross, whole[first + i].gross);
            assert_string_equal(part[i].diag, whole[first + i].diag); /* "p.csv:5:..." */
            bool known = first <= 2 && first + i >= 2; /* the rejected line's message made the count */
            assert_int_equal(part[i].line, known ? whole[first + i].line : 0);
            counted_at += first + i == 2;
        }
    }
    assert_true(counted_at > 0); /* some parts held the rejected line */
    /* a part after the rejected line never counts: no number at all */
    open_part_as("p.csv", 73, true);
    assert_int_equal(read_rest(part, 8), 2);
    assert_int_equal(part[0].line, 0);
    assert_int_equal(part[1].line, 0);
    assert_int_equal(part[1].gross, 5);
    assert_int_equal(D.n, 0);
    rm_scratch();
}

/* The rule, for runs (lic_sales_reader_next_run): a lazy part's lines,
 * those read as like the last too, carry line 0 until a call gives a
 * message, and the file's numbers from that call on.  Rows 2 to 13 and
 * 15 to 26 are alike; row 14's country is refused; the part starts at
 * row 4 (byte 74). */
static void a_lazy_part_read_in_runs_numbers_its_lines_from_the_first_message(void **state)
{
    (void)state;
    char csv[1024];
    size_t at = (size_t)snprintf(csv, sizeof csv, "period,country,gross_sales,currency\n");
    for (int i = 2; i <= 26; i++)
        at += (size_t)snprintf(csv + at, sizeof csv - at, "2026-Q2,%s,%d,JPY\n", i == 14 ? "XX" : "JP", 100 + i);
    assert_true(at < sizeof csv);
    mk_scratch();
    write_file("r.csv", csv);
    open_part_as("r.csv", 74, true);
    lic_sale_line run[64];
    int got, calls = 0, longest = 0, line = 4; /* the row each line must be */
    while ((got = lic_sales_reader_next_run(R, run, 64)) != 0) {
        calls++;
        if (got == -(int)LIC_EINVALID) {
            assert_int_equal(line, 14);
            assert_int_equal(D.n, 1);
            line++;
            continue;
        }
        assert_true(got > 0);
        longest = got > longest ? got : longest;
        for (int i = 0; i < got; i++, line++) {
            assert_int_equal(run[i].gross, 100 + line);
            assert_int_equal(run[i].pos.line, line < 14 ? 0 : line);
        }
    }
    assert_int_equal(line, 27);
    assert_true(longest > 2); /* lines like the last, in runs */
    assert_true(calls < 20);
    char buf[320], want[320];
    lic_diag_format(&D.v[0], buf, sizeof buf);
    snprintf(want, sizeof want, "%s:14:9: country: expected an ISO 3166-1 alpha-2 country code like US, got \"XX\"",
             scratch_path("r.csv"));
    assert_string_equal(buf, want);
    rm_scratch();
}

/* The rule: when the lines before a lazy part cannot be counted (the
 * file shrank under it), its messages have no line and an "io" message
 * says why, once. */
static void a_lazy_part_that_cannot_count_its_lines_says_so(void **state)
{
    (void)state;
    mk_scratch();
    write_file("s.csv", PARTS);
    open_part_as("s.csv", 37, true); /* from byte 53, "2026-Q2,JP,22,JPY" (line 3) */
    assert_int_equal(lic_sales_reader_next(R, &L), 1); /* the tokenizer holds the rest now */
    assert_int_equal(L.gross, 22);
    assert_int_equal(truncate(scratch_path("s.csv"), 10), 0);
    assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EINVALID);
    assert_int_equal(D.n, 2);
    char buf[320], want[320];
    lic_diag_format(&D.v[0], buf, sizeof buf);
    snprintf(want, sizeof want, "%s: country: expected an ISO 3166-1 alpha-2 country code like US, got \"XX\"",
             scratch_path("s.csv"));
    assert_string_equal(buf, want);
    lic_diag_format(&D.v[1], buf, sizeof buf);
    snprintf(want, sizeof want, "%s: cannot count the lines before byte 53: the messages about this part of the "
                                "file have no line numbers", scratch_path("s.csv"));
    assert_string_equal(buf, want);
    assert_int_equal(lic_sales_reader_next(R, &L), 1);
    assert_int_equal(L.gross, 4444);
    assert_int_equal(L.pos.line, 0);
    rm_scratch();
}

static void offsets_are_the_same_reading_ahead(void **state)
{
    (void)state;
    static const int bad[] = {7, 0};
    char *t = ahead_csv(5000, bad, 0);
    got_line *a = malloc(5001 * sizeof *a), *b = malloc(5001 * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    open_ok_as(agr_jpy, t);
    size_t n = read_rest(a, 5001);
    uint64_t end = lic_sales_reader_offset(R);
    open_ok_as(agr_jpy, t);
    assert_int_equal(lic_sales_reader_read_ahead(R), LIC_OK);
    assert_int_equal(read_rest(b, 5001), n);
    assert_int_equal(n, 5000);
    assert_int_equal(end, strlen(t));
    assert_int_equal(lic_sales_reader_offset(R), end);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(a[i].off, b[i].off);
        assert_int_equal(a[i].rc, b[i].rc);
    }
    free(a);
    free(b);
    free(t);
}


/* Every call's return, line, product, x_ cell and the diagnostics so
 * far, as one text per call. */
static char *ahead_trace(const char *csv, bool ahead, int stop_after)
{
    lic_diags d;
    lic_diags_init(&d);
    lic_sales_reader *r = NULL;
    assert_int_equal(lic_sales_reader_open_mem(agr_jpy, "a.csv", csv, strlen(csv), &d, &r), LIC_OK);
    if (ahead)
        assert_int_equal(lic_sales_reader_read_ahead(r), LIC_OK);
    size_t cap = 1 << 20, at = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    t[0] = '\0';
    int got = 1;
    for (int calls = 0; calls != stop_after && (got == 1 || got == -(int)LIC_EINVALID || calls < 3); calls++) {
        lic_sale_line l = {0};
        got = lic_sales_reader_next(r, &l);
        const char *x = lic_sales_reader_xcol(r, "x_n");
        at += (size_t)snprintf(t + at, cap - at, "%d %lld %d %s %s %zu\n", got,
                               got == 1 ? (long long)l.gross : -1LL, got == 1 ? l.pos.line : -1,
                               got == 1 && l.product ? l.product : "-", x ? x : "-", d.n);
        assert_true(at < cap);
    }
    for (size_t i = 0; i < d.n; i++) {
        char m[512];
        lic_diag_format(&d.v[i], m, sizeof m);
        at += (size_t)snprintf(t + at, cap - at, "%s\n", m);
    }
    lic_sales_reader_free(r);
    lic_diags_fini(&d);
    return t;
}

/* Reading ahead gives every call exactly what reading directly gives:
 * lines across many batches, bad lines with their messages at the same
 * call, a fatal error repeated, the end repeated. */
static void reading_ahead_gives_the_same_calls(void **state)
{
    (void)state;
    static const int bad[] = {3, 2049, 2050, 4097, 9000, 0};
    char *csv = ahead_csv(10000, bad, 0);
    char *direct = ahead_trace(csv, false, -1), *ahead = ahead_trace(csv, true, -1);
    assert_string_equal(direct, ahead);
    assert_non_null(strstr(direct, "a.csv:2050:9: country: expected an ISO 3166-1 alpha-2"));
    char want[64];
    snprintf(want, sizeof want, "\n%d -1 -1 - 9000 5\n", -(int)LIC_EINVALID);
    assert_non_null(strstr(direct, want)); /* the fifth bad line, its x_ cell, its message */
    free(direct);
    free(ahead);
    free(csv);
    static const int none[] = {0};
    csv = ahead_csv(5000, none, 4500);
    direct = ahead_trace(csv, false, -1), ahead = ahead_trace(csv, true, -1);
    assert_string_equal(direct, ahead);
    assert_non_null(strstr(direct, "a.csv:4500:"));
    free(direct);
    free(ahead);
    free(csv);
}

/* A caller that stops early frees the reader while the thread is ahead:
 * nothing hangs and nothing leaks (ASan). */
static void reading_ahead_may_stop_early(void **state)
{
    (void)state;
    static const int none[] = {0};
    char *csv = ahead_csv(20000, none, 0);
    char *direct = ahead_trace(csv, false, 10), *ahead = ahead_trace(csv, true, 10);
    assert_string_equal(direct, ahead);
    free(direct);
    free(ahead);
    free(csv);
}

/* Amounts of every shape (and texts that only look like amounts), in a
 * currency with decimals and one without, on lines whose texts repeat
 * and change: each read directly with the reader's fast line path, with
 * only lic__sale_line_read (ahead_trace cannot turn the fast path off,
 * so this reads through sales_int.h), and both again reading ahead (the
 * thread recalling every line's texts), and the fast path reading ahead
 * with the thread sharing the texts with the caller as it has time (ways
 * 0 to 4), every call gives the same line, value and messages. */
static char *shapes_trace(const char *csv, int way)
{
    lic_diags d;
    lic_diags_init(&d);
    lic_sales_reader *r = NULL;
    lic__csv *t;
    assert_int_equal(lic__csv_open_mem(csv, strlen(csv), 0, &t), LIC_OK);
    assert_int_equal(lic__sales_reader_open_csv(agr_jpy, t, "s.csv", &d, &r), LIC_OK);
    lic__sales_reader_set_fast(r, way != 1 && way != 3);
    if (way >= 2)
        assert_int_equal(lic__sales_reader_read_ahead(r, way != 4), LIC_OK);
    size_t cap = 1 << 22, at = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    int got;
    while ((got = lic_sales_reader_next(r, &L)) != 0) {
        at += (size_t)snprintf(out + at, cap - at, "%d %lld %lld %lld %s %s\n", got,
                               got == 1 ? (long long)L.gross : 0, got == 1 ? (long long)L.deductions : 0,
                               got == 1 ? (long long)L.units : 0, got == 1 ? L.currency->code : "-",
                               lic_sales_reader_xcol_at(r, 0));
        assert_true(at < cap);
        if (got < 0 && got != -(int)LIC_EINVALID)
            break;
    }
    return trace_done(out, at, cap, r, &d);
}

/* csv read every way (shapes_trace's 0 to 4) gives the slow way's trace. */
static void every_way_reads_as_the_slow_one(const char *csv)
{
    char *slow = shapes_trace(csv, 1);
    for (int way = 0; way <= 4; way++) {
        char *t = shapes_trace(csv, way);
        assert_string_equal(t, slow);
        free(t);
    }
    free(slow);
}

static void amounts_of_every_shape_read_the_same_every_way(void **state)
{
    (void)state;
    static const char *const shapes[] = {
        "0", "7", "12", "1234567", "12345678", "123456789", "1234567890123456", "12345678901234567",
        "123456789012345678", "1234567890123456789", "0.5", "1.25", "12.345", "1234567.89",
        "12345678.9", "12345678.90", "123456789.12", "1.", ".5", "-3.25", "-0", "-12345678.99",
        "00012.30", "1e5", "1 2", "1,2", "+5", "1.2.3", "0.00000001", "0.000000001", "9.99999999",
        "12a", "a12", "1.2a", "-", "--1", "1-", "99999999.99999999",
    };
    size_t ns = sizeof shapes / sizeof *shapes;
    size_t cap = 1 << 20, at = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    at += (size_t)snprintf(csv, cap, "x_n,period,country,gross_sales,deductions,units,currency\n");
    for (int i = 0; i < 3000; i++) {
        const char *g = shapes[(size_t)i % ns], *dd = shapes[(size_t)(i / 3) % ns];
        const char *u = shapes[(size_t)(i / 7) % ns];
        at += (size_t)snprintf(csv + at, cap - at, "%d,2026-Q%d,%s,%s,%s,%s,%s\n", i, 1 + (i / 500) % 4,
                               i % 3 ? "JP" : "US", g, i % 5 ? dd : "", i % 4 ? "" : u,
                               i % 2 ? "JPY" : "USD");
        assert_true(at < cap);
    }
    char *fast = shapes_trace(csv, 0), *slow = shapes_trace(csv, 1), *ahead = shapes_trace(csv, 2);
    char *slow_ahead = shapes_trace(csv, 3), *shared = shapes_trace(csv, 4);
    assert_string_equal(fast, slow);
    assert_string_equal(ahead, slow);
    assert_string_equal(slow_ahead, slow);
    assert_string_equal(shared, slow);
    free(slow_ahead);
    free(shared);
    assert_non_null(strstr(slow, "\n1 1234567800 700 0 USD 4\n")); /* 12345678 and 7 dollars */
    assert_non_null(strstr(slow, "\n1 0 -325 0 USD 58\n"));      /* deductions -3.25 */
    assert_non_null(strstr(slow, "s.csv:14:15: gross_sales: expected an amount with at most 2 decimals "
                                 "like \"1234.56\", got \"12.345\""));
    free(fast);
    free(slow);
    free(ahead);
    free(csv);
}

/* The fast line's amount shortcut (cents_amount) takes 1 to 8 digits,
 * '.', 2 digits in a currency of 2 decimals; every other shape goes to
 * the general parse: these read, every way, as lic__sale_line_read reads
 * them, with exactly these values (cents) or messages. */
static void cents_shortcut_takes_only_digits_point_two_digits(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *want; /* the trace's line, or the message */
    } cases[] = {
        {"0.01", "1 1 0 0 USD"},                   /* the shortest */
        {"12345.67", "1 1234567 0 0 USD"},         /* 8 bytes: all in the first word */
        {"123456.78", "1 12345678 0 0 USD"},       /* 9 bytes: the decimals past it */
        {"9.05", "1 905 0 0 USD"},                 /* a zero after the point */
        {"00000.00", "1 0 0 0 USD"},               /* all zeros */
        {"12345678.99", "1 1234567899 0 0 USD"},   /* 8 digits before the point: the longest */
        {"123456789.12", "1 12345678912 0 0 USD"}, /* 9: the general parse */
        {"1.2", "1 120 0 0 USD"},                  /* one decimal */
        {"00012.5", "1 1250 0 0 USD"},             /* leading zeros, one decimal */
        {"00012.50", "1 1250 0 0 USD"},            /* leading zeros, the shortcut */
        {"-5.00", "1 -500 0 0 USD"},               /* a sign */
        {"7", "1 700 0 0 USD"},                    /* no point */
        {"1.234", NULL}, /* NULL: refused, "expected an amount ..." */
        {"12345.6a", NULL}, /* the last byte */
        {"1234a.67", NULL}, /* a byte before the point */
        {"1234.:7", NULL},  /* ':' is '0' + 10 */
        {"12/45.67", NULL}, /* '/' is '0' - 1 */
        {"12345..7", NULL},
        {"1a.23", NULL},
        {"12.3a", NULL},
        {"1.a3", NULL},
        {".23", NULL},
        {"+1.23", NULL},
    };
    size_t n = sizeof cases / sizeof *cases;
    char csv[4096];
    size_t at = (size_t)snprintf(csv, sizeof csv, "x_n,period,country,gross_sales,currency\n");
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(csv + at, sizeof csv - at, "%zu,2026-Q1,US,%s,USD\n", i, cases[i].text);
    assert_true(at < sizeof csv);
    char *fast = shapes_trace(csv, 0), *slow = shapes_trace(csv, 1);
    for (int way = 2; way <= 4; way++) { /* reading ahead, as in shapes_trace */
        char *t = shapes_trace(csv, way);
        assert_string_equal(t, slow);
        free(t);
    }
    assert_string_equal(fast, slow);
    for (size_t i = 0; i < n; i++) {
        char want[256], where[32];
        int col = snprintf(where, sizeof where, "%zu,2026-Q1,US,", i) + 1;
        if (cases[i].want)
            snprintf(want, sizeof want, "%s%s %zu\n", i ? "\n" : "", cases[i].want, i);
        else
            snprintf(want, sizeof want, "s.csv:%zu:%d: gross_sales: expected an amount with at most 2 "
                                        "decimals like \"1234.56\", got \"%s\"\n", i + 2, col, cases[i].text);
        if (!strstr(slow, want))
            fprintf(stderr, "%s: want %s in\n%s", cases[i].text, want, slow);
        assert_non_null(strstr(slow, want));
    }
    free(fast);
    free(slow);
}

/* The fast line compares each text with the last line's of its column
 * first: a line like the last but in one column reads that column, and a
 * text that differs from the last line's only in a byte no word compare
 * covers (byte 16 of a 25-byte field) is not the last line's. */
static void a_line_like_the_last_but_in_one_column_reads_that_column(void **state)
{
    (void)state;
    open_ok("period,date,country,field,gross_sales,currency\n"
            "2026-Q2,2026-05-20,US,therapeutics/oncology,1.00,USD\n"
            "2026-Q2,2026-05-20,DE,therapeutics/oncology,1.00,USD\n"      /* country */
            "2026-Q3,,DE,therapeutics/oncology,1.00,USD\n"                /* period, no date */
            "2026-Q3,2026-07-21,DE,therapeutics/oncology,1.00,USD\n"      /* date */
            "2026-Q3,2026-07-22,DE,therapeutics/oncology,1.00,USD\n"      /* date, last byte */
            "2026-Q3,2026-07-22,DE,therapeutics/rare-disease,1.00,USD\n"  /* field */
            "2026-Q3,2026-07-22,DE,therapeutics/rare-disease,1.00,EUR\n"  /* currency */
            "2026-Q3,2026-07-22,DE,therapeutics/rare-disease,1.00,EUR\n"  /* the same */
            "2026-Q3,2026-07-22,DE,therapeutics/rarX-disease,1.00,EUR\n"  /* byte 16 */
            "2026-Q3,2026-07-22,DE,therapeutics/rare-disease,2.00,EUR\n"
            "2026-Q3,2026-07-22,DE,therapeutics/rare-disease,1.00,\n");    /* currency empty */
    static const struct {
        int q, y, m, d;
        const char *cc, *field, *cur;
    } want[] = {
        {2, 2026, 5, 20, "US", "therapeutics/oncology", "USD"},
        {2, 2026, 5, 20, "DE", "therapeutics/oncology", "USD"},
        {3, 0, 0, 0, "DE", "therapeutics/oncology", "USD"},
        {3, 2026, 7, 21, "DE", "therapeutics/oncology", "USD"},
        {3, 2026, 7, 22, "DE", "therapeutics/oncology", "USD"},
        {3, 2026, 7, 22, "DE", "therapeutics/rare-disease", "USD"},
        {3, 2026, 7, 22, "DE", "therapeutics/rare-disease", "EUR"},
        {3, 2026, 7, 22, "DE", "therapeutics/rare-disease", "EUR"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        next_ok();
        assert_period(L.period, LIC_PERIOD_QUARTER, 2026, want[i].q);
        assert_int_equal(L.date, want[i].y ? YMD(want[i].y, want[i].m, want[i].d) : LIC_DATE_NONE);
        assert_int_equal(L.country, country(want[i].cc));
        assert_int_equal(L.field, field(agr, want[i].field));
        assert_ptr_equal(L.currency, lic_currency_find(want[i].cur));
        assert_int_equal(L.gross, 100);
        assert_int_equal(L.pos.line, (int)i + 2);
    }
    assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EINVALID);
    assert_int_equal(D.n, 1);
    assert_string_equal(diag_line(0), "q2.csv:10:23: field: unknown field \"therapeutics/rarX-disease\" "
                                      "(the agreement's fields: tree has no such path)");
    next_ok(); /* the last good line's texts again */
    assert_int_equal(L.field, field(agr, "therapeutics/rare-disease"));
    assert_int_equal(L.gross, 200);
    assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EINVALID);
    assert_int_equal(D.n, 2);
    assert_string_equal(diag_line(1), "q2.csv:12:54: currency: required, but the cell is empty");
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
}

/* A blank line is skipped (its row is one empty unquoted value, which
 * the cells say without fields); a line of "" is one value, not blank. */
static void a_line_of_one_quoted_empty_value_is_not_blank(void **state)
{
    (void)state;
    open_ok_as(agr_jpy, "period,country,gross_sales,currency\n\n\"\"\n2026-Q2,JP,1,JPY\n");
    assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EINVALID);
    assert_string_equal(diag_line(0), "q2.csv:3:1: expected 4 values (one per column of the header), got 1");
    next_ok();
    assert_int_equal(L.pos.line, 4);
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
}

/* A country of two bytes is recalled by five bits of each (seen_recall):
 * a text of the same place that is not the same text ("J0", "jp" for
 * "JP") is read as lic__sale_line_read reads it, every way, and the
 * text that had the place is still recalled after it. */
static void a_two_letter_country_is_recalled_only_when_both_bytes_match(void **state)
{
    (void)state;
    static const char csv[] = "x_n,period,country,gross_sales,currency\n"
                              "1,2026-Q1,JP,1.00,USD\n"
                              "2,2026-Q1,US,2.00,USD\n"
                              "3,2026-Q1,JP,3.00,USD\n"
                              "4,2026-Q1,J0,4.00,USD\n" /* the place of JP */
                              "5,2026-Q1,JP,5.00,USD\n"
                              "6,2026-Q1,Jp,6.00,USD\n" /* again */
                              "7,2026-Q1,JP,7.00,USD\n"
                              "8,2026-Q1,USA,8.00,USD\n"; /* three letters: not the table's */
    every_way_reads_as_the_slow_one(csv);
    open_ok_as(agr_jpy, csv); /* one field: no field column */
    static const char *const want[] = {"JP", "US", "JP", NULL, "JP", NULL, "JP"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        if (!want[i]) {
            assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EINVALID);
            continue;
        }
        next_ok();
        assert_int_equal(L.country, country(want[i]));
        assert_int_equal(L.gross, (lic_amount)(i + 1) * 100);
    }
    assert_int_equal(D.n, 2);
    assert_string_equal(diag_line(0), "q2.csv:5:11: country: expected an ISO 3166-1 alpha-2 country "
                                      "code like US, got \"J0\"");
    assert_string_equal(diag_line(1), "q2.csv:7:11: country: expected an ISO 3166-1 alpha-2 country "
                                      "code like US, got \"Jp\"");
    assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EINVALID);
    assert_string_equal(diag_line(2), "q2.csv:9:11: country: expected an ISO 3166-1 alpha-2 country "
                                      "code like US, got \"USA\"");
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
}

/* The two-letter places keep a country, not a slot (seen_recall): every
 * code, far more than a column's SEEN_SLOTS, so that seen_put gives most
 * slots to later texts, reads as its own country on each of three rounds
 * (the second and third from the places), every way alike. */
static void a_country_keeps_its_place_after_its_slot_goes(void **state)
{
    (void)state;
    size_t n = lic_country_count(), cap = 64 + 3 * n * 32, at = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    at += (size_t)snprintf(csv, cap, "period,country,gross_sales,currency\n");
    for (size_t round = 0; round < 3; round++)
        for (size_t i = 0; i < n; i++) {
            size_t c = round == 1 ? n - 1 - i : i; /* backwards once: other neighbours */
            at += (size_t)snprintf(csv + at, cap - at, "2026-Q2,%s,%zu,JPY\n", lic_country_code((int)c),
                                   round * n + i + 1);
            assert_true(at < cap);
        }
    every_way_reads_as_the_slow_one(csv);
    open_ok_as(agr_jpy, csv);
    for (size_t round = 0; round < 3; round++)
        for (size_t i = 0; i < n; i++) {
            next_ok();
            assert_int_equal(L.country, round == 1 ? (int)(n - 1 - i) : (int)i);
            assert_int_equal(L.gross, (lic_amount)(round * n + i + 1));
        }
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
    free(csv);
}

/* fast_texts writes the line as it recalls its texts: a line it refuses
 * after the first (a period seen, a country not yet) is read whole by
 * lic__sale_line_read, every member as it would be, whatever the
 * caller's line held before. */
static void a_line_refused_midway_by_the_fast_line_is_read_whole(void **state)
{
    (void)state;
    open_ok_as(agr_jpy, "period,country,gross_sales,currency\n"
                        "2026-Q2,JP,7,JPY\n"
                        "2026-Q2,DE,8,JPY\n"  /* the period recalled, the country new */
                        "2026-Q2,DE,9,JPY\n"); /* then all recalled */
    for (int i = 0; i < 3; i++) {
        memset(&L, 0xA5, sizeof L);
        next_ok();
        assert_int_equal(L.period.year, 2026);
        assert_int_equal(L.period.index, 2);
        assert_int_equal(L.date, LIC_DATE_NONE);
        assert_null(L.product);
        assert_int_equal(L.country, country(i ? "DE" : "JP"));
        assert_int_equal(L.field, field(agr_jpy, "diagnostics/companion")); /* its only one */
        assert_int_equal(L.units, 0);
        assert_int_equal(L.gross, 7 + i);
        assert_int_equal(L.deductions, 0);
        assert_int_equal(L.third_party_royalties, 0);
        assert_string_equal(L.currency->code, "JPY");
        assert_int_equal(L.fx_rate, 0);
        assert_int_equal(L.pos.line, 2 + i);
        assert_int_equal(L.pos.col, 1);
    }
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
}

/* lic_sales_reader_next takes a row as wide as the header straight to
 * the fast line (set_quick): a blank line, a narrower row and the end
 * (no values) between and after such rows are what they were, every
 * way, the end again at each call after it. */
static void only_a_row_as_wide_as_the_header_goes_straight_to_the_fast_line(void **state)
{
    (void)state;
    static const char csv[] = "x_n,period,country,gross_sales,currency\n"
                              "1,2026-Q1,JP,1.00,USD\n"
                              "\n"
                              "2,2026-Q1,JP\n"
                              "3,2026-Q1,JP,3.00,USD\n";
    every_way_reads_as_the_slow_one(csv);
    open_ok_as(agr_jpy, csv);
    next_ok();
    assert_int_equal(L.gross, 100);
    assert_int_equal(L.pos.line, 2);
    assert_int_equal(lic_sales_reader_next(R, &L), -(int)LIC_EINVALID);
    assert_int_equal(D.n, 1);
    assert_string_equal(diag_line(0), "q2.csv:4:1: expected 5 values (one per column of the header), got 3");
    next_ok();
    assert_int_equal(L.gross, 300);
    assert_int_equal(L.pos.line, 5);
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
    assert_int_equal(lic_sales_reader_next(R, &L), 0);
    assert_int_equal(D.n, 1);
}

static void out_of_memory_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    mk_scratch();
    write_file("q2.csv", Q2);
    long n;
    for (n = 0; n < 200; n++) {
        lic_diags d;
        lic_diags_init(&d);
        lic_sales *s = (lic_sales *)1;
        lic__alloc_fail_after(n);
        lic_err rc = lic_sales_load(agr_jpy, scratch_path("q2.csv"), &d, &s);
        lic__alloc_fail_after(-1);
        lic_diags_fini(&d);
        if (rc == LIC_OK) {
            assert_int_equal(s->n, 3);
            lic_sales_free(s);
            break;
        }
        assert_int_equal(rc, LIC_ENOMEM);
        assert_null(s);
    }
    assert_true(n > 0 && n < 200);
    rm_scratch();
}

/* ---- report files in events ---- */

static const char EVENTS[] =
    "- { date: 2026-07-01, type: payment, amount: \"10\", currency: JPY }\n"
    "- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q2, file: sales/q2.csv }\n"
    "- { date: 2026-08-15, type: report, kind: royalty, period: 2026-Q3, no_sales: true }\n";

static void report_file_is_read_relative_to_the_events_file(void **state)
{
    (void)state;
    mk_scratch();
    assert_int_equal(mkdir(scratch_path("sales"), 0700), 0);
    write_file("sales/q2.csv", Q2);
    write_file("events.yaml", EVENTS);
    assert_int_equal(lic_events_load(scratch_path("events.yaml"), agr_jpy, &D, &EV), LIC_OK);
    if (D.n)
        print_diags();
    assert_int_equal(D.n, 0);
    assert_int_equal(EV->n, 3);
    const lic_event *e = &EV->v[1];
    assert_string_equal(e->file, "sales/q2.csv");
    assert_int_equal(e->nlines, 3);
    assert_int_equal(e->lines[1].gross, 200);
    assert_string_equal(e->lines[2].product, "Kit B");
    assert_int_equal(e->lines[2].pos.line, 4);
    /* The receipt covers the CSV's bytes after the events file's. */
    unsigned char sha[32];
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)EVENTS, strlen(EVENTS));
    crypto_hash_sha256_update(&h, (const unsigned char *)Q2, strlen(Q2));
    crypto_hash_sha256_final(&h, sha);
    assert_memory_equal(EV->sha256, sha, 32);
    rm_scratch();
}

static void events_with_a_report_file_survive_out_of_memory(void **state)
{
    (void)state;
    mk_scratch();
    assert_int_equal(mkdir(scratch_path("sales"), 0700), 0);
    write_file("sales/q2.csv", Q2);
    write_file("events.yaml", EVENTS);
    long n;
    for (n = 0; n < 400; n++) {
        lic_diags d;
        lic_diags_init(&d);
        lic_events *ev = (lic_events *)1;
        lic__alloc_fail_after(n);
        lic_err rc = lic_events_load(scratch_path("events.yaml"), agr_jpy, &d, &ev);
        lic__alloc_fail_after(-1);
        if (rc == LIC_OK) {
            assert_int_equal(d.n, 0);
            assert_int_equal(ev->v[1].nlines, 3);
            lic_events_free(ev);
            lic_diags_fini(&d);
            break;
        }
        assert_int_equal(rc, LIC_ENOMEM);
        assert_null(ev);
        lic_diags_fini(&d);
    }
    assert_true(n > 0 && n < 400);
    rm_scratch();
}

static void report_file_may_be_absolute(void **state)
{
    (void)state;
    mk_scratch();
    write_file("q2.csv", Q2);
    char ev[400];
    snprintf(ev, sizeof ev, "- { date: 2026-08-14, type: report, kind: royalty, period: 2026-Q2, file: %s }\n",
             scratch_path("q2.csv"));
    write_file("ev.yaml", ev);
    assert_int_equal(lic_events_load(scratch_path("ev.yaml"), agr_jpy, &D, &EV), LIC_OK);
    assert_int_equal(D.n, 0);
    assert_int_equal(EV->v[0].nlines, 3);
    rm_scratch();
}

static void csv_error_rejects_that_report_only(void **state)
{
    (void)state;
    mk_scratch();
    assert_int_equal(mkdir(scratch_path("sales"), 0700), 0);
    write_file("sales/q2.csv", "period,country,gross_sales,currency\n2026-Q2,JP,100,JPY\n"
                               "2026-Q2,JP,\"1,5\",JPY\n");
    write_file("events.yaml", EVENTS);
    assert_int_equal(lic_events_load(scratch_path("events.yaml"), agr_jpy, &D, &EV), LIC_OK);
    assert_int_equal(EV->n, 2);
    assert_int_equal(EV->nrejected, 1);
    assert_int_equal(EV->v[0].type, LIC_EV_PAYMENT);
    assert_true(EV->v[1].no_sales);
    assert_int_equal(D.n, 1);
    char want[300];
    snprintf(want, sizeof want, "%s:3:12: gross_sales: expected an amount with at most 0 decimals like "
                                "\"1234.56\", got \"1,5\"", scratch_path("sales/q2.csv"));
    assert_string_equal(diag_line(0), want);
    rm_scratch();
}

static void missing_report_file_is_named_at_the_file_key(void **state)
{
    (void)state;
    mk_scratch();
    write_file("events.yaml", EVENTS);
    assert_int_equal(lic_events_load(scratch_path("events.yaml"), agr_jpy, &D, &EV), LIC_OK);
    assert_int_equal(EV->n, 2);
    assert_int_equal(EV->nrejected, 1);
    assert_int_equal(D.n, 1);
    char want[300];
    snprintf(want, sizeof want, "%s:2:75: events[1].file: cannot read report file \"%s\": No such file or directory",
             scratch_path("events.yaml"), scratch_path("sales/q2.csv"));
    assert_string_equal(diag_line(0), want);
    rm_scratch();
}

static void events_from_memory_cannot_name_a_report_file(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-08-15, type: report, kind: royalty, period: 2026-Q2, file: q2.csv }\n",
                    "ev.yaml:1:75: events[0].file: cannot read report file \"q2.csv\": these events "
                    "were not read from a file, so there is no directory to find it in (give the "
                    "lines inline with lines:)");
}

static void report_names_a_file_or_lines_not_both(void **state)
{
    (void)state;
    expect_rejected("- { date: 2026-08-15, type: report, kind: royalty, period: 2026-Q2, file: q2.csv,"
                    " lines: [{ country: US, field: therapeutics/oncology, gross_sales: \"1\" }] }\n",
                    "ev.yaml:1:3: events[0]: give either file (a CSV sales report) or lines, not both");
}

#define T(name) cmocka_unit_test_setup_teardown(name, reader_setup, reader_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(format_example_reads_exactly),
        T(columns_may_come_in_any_order),
        T(only_period_country_gross_sales_and_currency_are_needed),
        T(empty_cells_are_values_not_given),
        T(x_columns_are_kept_and_read_by_name),
        T(unknown_column_is_an_error_unless_prefixed_x),
        T(required_columns_are_named_when_missing),
        T(field_column_is_needed_when_the_agreement_has_several),
        T(duplicate_and_empty_column_names_are_errors),
        T(header_row_is_required),
        T(bad_amount_names_file_line_column_and_column_name),
        T(amounts_follow_the_lines_own_currency),
        T(bad_values_are_named_by_column),
        T(empty_required_cell_is_an_error),
        T(row_must_have_one_value_per_column),
        T(a_bad_line_is_reported_and_reading_goes_on),
        T(malformed_csv_is_fatal),
        T(csv_and_inline_lines_say_the_same),
        T(load_reads_a_whole_file_into_its_own_memory),
        T(load_stops_at_the_first_bad_line),
        T(missing_file_is_an_io_error),
        T(a_large_file_streams),
        T(reading_ahead_gives_the_same_calls),
        T(reading_ahead_may_stop_early),
        T(a_part_from_any_byte_reads_the_rows_after_it_as_the_whole_file_does),
        T(a_part_cut_inside_a_quoted_line_end_starts_where_no_row_does),
        T(a_lazy_part_numbers_its_lines_once_a_message_needs_them),
        T(a_lazy_part_that_cannot_count_its_lines_says_so),
        T(a_lazy_part_read_in_runs_numbers_its_lines_from_the_first_message),
        T(offsets_are_the_same_reading_ahead),
        T(amounts_of_every_shape_read_the_same_every_way),
        T(cents_shortcut_takes_only_digits_point_two_digits),
        T(a_line_like_the_last_but_in_one_column_reads_that_column),
    T(a_two_letter_country_is_recalled_only_when_both_bytes_match),
    T(a_country_keeps_its_place_after_its_slot_goes),
    T(a_line_refused_midway_by_the_fast_line_is_read_whole),
    T(only_a_row_as_wide_as_the_header_goes_straight_to_the_fast_line),
    T(a_line_of_one_quoted_empty_value_is_not_blank),
        T(out_of_memory_is_reported_and_leaks_nothing),
        T(report_file_is_read_relative_to_the_events_file),
        T(events_with_a_report_file_survive_out_of_memory),
        T(report_file_may_be_absolute),
        T(csv_error_rejects_that_report_only),
        T(missing_report_file_is_named_at_the_file_key),
        T(events_from_memory_cannot_name_a_report_file),
        T(report_names_a_file_or_lines_not_both),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
