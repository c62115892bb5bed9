/*
 * test_sales_run.c - lic_sales_reader_next_run (sales.h): a line and the
 * lines right after it that repeat its cells but for the country and the
 * amounts, read as one run ("lines like the last", lib/sales_csv.c).
 *
 * A run must be exactly what as many calls of lic_sales_reader_next
 * give: every report here is read both ways, at several chunk sizes and
 * several caps, and the traces (every member of every line, its x_
 * values, every return code, the messages) compared; the run's first
 * line must have the offset and lic_sales_reader_xcols_same of the same
 * line read alone.  The lengths of the runs are asserted exactly on
 * small reports, so that a test fails if runs stop being formed.  The
 * agreement AGR (USD, two fields) comes from events_fixture.h.
 */
#include "events_fixture.h"

#include "licet/sales.h"
#include "sales_int.h"
#include "sales_trace.h"

enum { MAXLINE = 4096, CAP = 1 << 20 };
/* How the reader reads: its fast ways, only the slow one, or ahead. */
typedef enum { FAST, SLOW, AHEAD } mode;

/* What the one-at-a-time reading gave for each line number (max 0). */
typedef struct {
    uint64_t off[MAXLINE];
    bool same[MAXLINE];
} per_line;

static per_line ONE;
static lic_sale_line V[64];

static lic_sales_reader *open_csv(const char *csv, size_t chunk, mode m, lic_diags *d)
{
    lic_sales_reader *r = NULL;
    lic__csv *t;
    assert_int_equal(lic__csv_open_mem(csv, strlen(csv), chunk, &t), LIC_OK);
    assert_int_equal(lic__sales_reader_open_csv(agr, t, "s.csv", d, &r), LIC_OK);
    if (m == SLOW)
        lic__sales_reader_set_fast(r, false);
    if (m == AHEAD)
        assert_int_equal(lic__sales_reader_read_ahead(r, true), LIC_OK);
    return r;
}

/* Line l with the reader's x_ values (those of l's run), a trace line. */
static size_t put_line(char *out, size_t at, const lic_sale_line *l, const lic_sales_reader *r)
{
    at += (size_t)snprintf(out + at, CAP - at, "1 %d/%d/%d %d %s %s %d %lld %lld %lld %lld %s %lld %d:%d",
                           l->period.kind, l->period.year, l->period.index, l->date,
                           l->product ? l->product : "-", lic_country_code(l->country), l->field,
                           (long long)l->units, (long long)l->gross, (long long)l->deductions,
                           (long long)l->third_party_royalties, l->currency->code, (long long)l->fx_rate,
                           l->pos.line, l->pos.col);
    size_t nx;
    const char *const *xs = lic_sales_reader_xcols(r, &nx);
    for (size_t i = 0; i < nx; i++) {
        assert_string_equal(lic_sales_reader_xcol(r, xs[i]), lic_sales_reader_xcol_at(r, i));
        at += (size_t)snprintf(out + at, CAP - at, " %s=%s", xs[i], lic_sales_reader_xcol(r, xs[i]));
    }
    at += (size_t)snprintf(out + at, CAP - at, "\n");
    assert_true(at < CAP);
    return at;
}

/* A call that gave no line: its code and the offset. */
static size_t put_none(char *out, size_t at, int got, const lic_sales_reader *r)
{
    at += (size_t)snprintf(out + at, CAP - at, "%d @%llu\n", got,
                           (unsigned long long)lic_sales_reader_offset(r));
    assert_true(at < CAP);
    return at;
}

/* The run's first line has the offset and xcols_same of that line read
 * alone (ONE). */
static void first_as_alone(const lic_sales_reader *r, const lic_sale_line *l)
{
    assert_true(l->pos.line > 0 && l->pos.line < MAXLINE);
    assert_int_equal(lic_sales_reader_offset(r), ONE.off[l->pos.line]);
    assert_int_equal(lic_sales_reader_xcols_same(r), ONE.same[l->pos.line]);
}

/* One call into out, of lic_sales_reader_next when max is 0, else of
 * lic_sales_reader_next_run with max; its return code. */
static int step(lic_sales_reader *r, size_t max, char *out, size_t *at)
{
    if (!max) {
        int got = lic_sales_reader_next(r, &V[0]);
        if (got == 1) {
            ONE.off[V[0].pos.line] = lic_sales_reader_offset(r);
            ONE.same[V[0].pos.line] = lic_sales_reader_xcols_same(r);
        }
        *at = got == 1 ? put_line(out, *at, &V[0], r) : put_none(out, *at, got, r);
        return got;
    }
    int got = lic_sales_reader_next_run(r, V, max);
    if (got <= 0) {
        *at = put_none(out, *at, got, r);
        return got;
    }
    assert_true((size_t)got <= max);
    first_as_alone(r, &V[0]);
    for (int i = 0; i < got; i++)
        *at = put_line(out, *at, &V[i], r);
    return got;
}

/* Every call's trace of csv read as step reads it, then the messages;
 * a fatal error is asked again (it must come back), and so is the end. */
static char *trace(const char *csv, size_t chunk, mode m, size_t max)
{
    lic_diags d;
    lic_diags_init(&d);
    lic_sales_reader *r = open_csv(csv, chunk, m, &d);
    char *out = malloc(CAP);
    assert_non_null(out);
    size_t at = 0;
    int got;
    while ((got = step(r, max, out, &at)) != 0)
        if (got < 0 && got != -(int)LIC_EINVALID)
            break;
    step(r, max, out, &at); /* after the end (or a fatal error): again */
    return trace_done(out, at, CAP, r, &d);
}

/* csv reads in runs as one line at a time, whatever the chunk size, the
 * cap, and whether the reader reads fast, slow or ahead; the runs' first
 * lines as the same mode's one-at-a-time reading (first_as_alone). */
static void runs_read_as_one_at_a_time(const char *csv)
{
    static const size_t chunks[] = {1, 7, 64, 4096, 0};
    static const size_t maxes[] = {1, 2, 3, 64};
    for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        char *one = trace(csv, chunks[c], FAST, 0);
        for (mode m = FAST; m <= AHEAD; m++) {
            char *alone = trace(csv, chunks[c], m, 0); /* ONE for m */
            assert_string_equal(alone, one);
            free(alone);
            for (size_t k = 0; k < sizeof maxes / sizeof *maxes; k++) {
                char *t = trace(csv, chunks[c], m, maxes[k]);
                assert_string_equal(t, one);
                free(t);
            }
        }
        free(one);
    }
}

/* The return values of csv's runs read with cap max (want ends with
 * the end's 0, 0); ndiags messages. */
static void runs_are_with(const char *csv, size_t max, const int *want, size_t n, size_t ndiags)
{
    lic_sales_reader *R = NULL;
    size_t before = D.n;
    assert_int_equal(lic_sales_reader_open_mem(agr, "s.csv", csv, strlen(csv), &D, &R), LIC_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(lic_sales_reader_next_run(R, V, max), want[i]);
    assert_int_equal(D.n - before, ndiags);
    lic_sales_reader_free(R);
}

static void runs_are(const char *csv, size_t max, const int *want, size_t n)
{
    runs_are_with(csv, max, want, n, 0);
}

/* ---- reports ------------------------------------------------------------ */

/* SORTED: sales_trace.h's SALES_SORTED. */
#define SORTED SALES_SORTED

/* Runs broken by an amount of three decimals (5, which reads well),
 * rejected lines (7: a quoted "15,00", 9: ZZ, 14: an empty gross), a
 * blank line (11), a CR LF line (16), an x_ value that changes (18),
 * other units (21), a quoted cell that reads well (23), another field
 * (24), and a last line without its LF. */
static const char BROKEN[] =
    "x_ag,period,country,field,units,gross_sales,deductions,currency,x_note\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,10.00,1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,11.00,1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,-12.00,1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,13.000,1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,14.00,1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,\"15,00\",1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,16.00,1.00,USD,n\n"
    "A1,2026-Q1,ZZ,therapeutics/oncology,1,17.00,1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,18.00,1.00,USD,n\n"
    "\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,19.00,1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,20.00,1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,,1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,21.00,1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,22.00,1.00,USD,n\r\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,23.00,1.00,USD,n\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,24.00,1.00,USD,m\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,25.00,1.00,USD,m\n"
    "A1,2026-Q1,US,therapeutics/oncology,1,26.00,1.00,USD,m\n"
    "A1,2026-Q1,US,therapeutics/oncology,2,27.00,1.00,USD,m\n"
    "A1,2026-Q1,US,therapeutics/oncology,2,28.00,1.00,USD,m\n"
    "A1,2026-Q1,US,therapeutics/oncology,2,29.00,\"1.00\",USD,m\n"
    "A1,2026-Q1,US,therapeutics/rare-disease,2,30.00,1.00,USD,m\n"
    "A1,2026-Q1,US,therapeutics/rare-disease,2,31.00,1.00,USD,m\n"
    "A1,2026-Q1,US,therapeutics/rare-disease,2,32.00,1.00,USD,m";

/* Runs then malformed CSV (an unclosed quote): fatal, and again. */
static const char FATAL[] = "x_ag,period,country,field,gross_sales,currency\n"
                            "A1,2026-Q1,US,therapeutics/oncology,1.00,USD\n"
                            "A1,2026-Q1,US,therapeutics/oncology,2.00,USD\n"
                            "A1,2026-Q1,US,therapeutics/oncology,3.00,USD\n"
                            "A1,2026-Q1,US,therapeutics/oncology,\"4.00,USD\n"
                            "A1,2026-Q1,US,therapeutics/oncology,5.00,USD\n";

/* Seven lines of one pattern, x_ag A1 (each line 49 bytes, the header 47). */
static const char SAME7[] = "x_ag,period,country,field,gross_sales,currency\n"
                            "A1,2026-Q1,US,therapeutics/oncology,10000.00,USD\n"
                            "A1,2026-Q1,US,therapeutics/oncology,10001.00,USD\n"
                            "A1,2026-Q1,US,therapeutics/oncology,10002.00,USD\n"
                            "A1,2026-Q1,US,therapeutics/oncology,10003.00,USD\n"
                            "A1,2026-Q1,US,therapeutics/oncology,10004.00,USD\n"
                            "A1,2026-Q1,US,therapeutics/oncology,10005.00,USD\n"
                            "A1,2026-Q1,US,therapeutics/oncology,10006.00,USD\n";

/* The country cell of line i of group g (of n lines): in one group in
 * three the same all along, else changing; in the middle of some groups
 * ZZ (rejected) or a quoted "US" (which reads well). */
static const char *country_cell(int g, int i, int n)
{
    static const char *const cc[] = {"US", "DE", "FR", "JP", "GB"};
    if (i == n / 2 && g % 5 == 1)
        return "ZZ";
    if (i == n / 2 && g % 5 == 2)
        return "\"US\"";
    return cc[(g + i * (g % 3)) % 5];
}

/* A long report into buf (867 lines, 56,777 bytes): 60 groups of 1 to
 * 70 lines of one pattern, the x_ value, period, date, product, field or
 * units changing between groups, now and then a blank line, a rejected
 * line or a quoted cell inside a group. */
static void long_report(char *buf, size_t cap)
{
    size_t at = (size_t)snprintf(buf, cap, "x_ag,period,date,product,country,field,units,gross_sales,"
                                           "deductions,currency\n");
    for (int g = 0; g < 60; g++) {
        int n = g % 9 == 4 ? 70 : (g * 7) % 13 + 1, q = g / 6 % 4 + 1;
        for (int i = 0; i < n; i++) {
            if (g % 7 == 3 && i == n / 2)
                at += (size_t)snprintf(buf + at, cap - at, "\n");
            at += (size_t)snprintf(buf + at, cap - at, "A%d,2026-Q%d,2026-%02d-1%d,%s,%s,therapeutics/%s,",
                                   g / 4, q, q * 3 - 1, g % 2, g % 3 ? "P1" : "", country_cell(g, i, n),
                                   g % 4 == 3 ? "rare-disease" : "oncology");
            at += (size_t)snprintf(buf + at, cap - at, "%d,%d.%02d,%d,USD\n", g % 2, i * 37 + g, i % 100, i % 3);
            assert_true(at < cap);
        }
    }
    assert_int_equal(at, 56777);
}

/* SAME7 with x_ag A2 from line 5 on. */
static const char SAME7X[] = "x_ag,period,country,field,gross_sales,currency\n"
                             "A1,2026-Q1,US,therapeutics/oncology,10000.00,USD\n"
                             "A1,2026-Q1,US,therapeutics/oncology,10001.00,USD\n"
                             "A1,2026-Q1,US,therapeutics/oncology,10002.00,USD\n"
                             "A2,2026-Q1,US,therapeutics/oncology,10003.00,USD\n"
                             "A2,2026-Q1,US,therapeutics/oncology,10004.00,USD\n"
                             "A2,2026-Q1,US,therapeutics/oncology,10005.00,USD\n"
                             "A2,2026-Q1,US,therapeutics/oncology,10006.00,USD\n";

/* ---- tests -------------------------------------------------------------- */

static void runs_give_the_lines_codes_and_messages_of_one_at_a_time_reading(void **state)
{
    (void)state;
    runs_read_as_one_at_a_time(SORTED);
    runs_read_as_one_at_a_time(BROKEN);
    runs_read_as_one_at_a_time(FATAL);
    runs_read_as_one_at_a_time(SAME7);
    runs_read_as_one_at_a_time(SAME7X);
    runs_read_as_one_at_a_time("x_ag,period,country,field,gross_sales,currency\n");
}

/* The generated report (long_report): runs across chunk boundaries and
 * up to the cap of 64. */
static void runs_of_a_long_report_read_as_one_at_a_time(void **state)
{
    (void)state;
    char *csv = malloc(1 << 18);
    assert_non_null(csv);
    long_report(csv, 1 << 18);
    runs_read_as_one_at_a_time(csv);
    free(csv);
}

/* SORTED (see above): line 2 is the first pattern, and no line after it
 * is like it (DE not seen); line 3 is read alone (the reader waits a
 * line after a pattern that missed at once); line 4's run takes line 5
 * (US, seen), not JP; line 6 (JP) is a pattern that line 7 (Q2) misses,
 * so line 7 is read alone; line 8's run takes line 9 (DE), not line 10
 * (A2), whose run is lines 10 to 13.  SAME7: one run of seven. */
static void runs_are_as_long_as_the_lines_like_their_first(void **state)
{
    (void)state;
    static const int sorted[] = {1, 1, 2, 1, 1, 2, 4, 0, 0}, same7[] = {7, 0, 0}, same7x[] = {3, 4, 0, 0};
    runs_are(SORTED, 64, sorted, sizeof sorted / sizeof *sorted);
    runs_are(SAME7, 64, same7, sizeof same7 / sizeof *same7);
    runs_are(SAME7, 7, same7, sizeof same7 / sizeof *same7);
    runs_are(SAME7X, 64, same7x, sizeof same7x / sizeof *same7x);
}

/* BROKEN: lines 2-4 (a negative amount is like the others); line 5
 * (three decimals, read the usual way) is the next pattern, with line
 * 6; 7 rejected; 8 like (line 9, ZZ, is not); 9 rejected; 10 like (11
 * is blank); 12, after the blank line, read the usual way and no
 * pattern; 13 like; 14 rejected; 15 like; 16 (CR LF) no pattern; 17 a
 * pattern that 18 (x_note m) misses; 18 read alone while the reader
 * waits; 19-20 (21 has other units); 21-22 (23 is quoted); 23 no
 * pattern; 24-25 (26 has no LF); 26.  FATAL: lines 2-4, then the
 * unclosed quote of line 5, fatal, and again. */
static void runs_stop_at_the_first_line_not_like_their_first(void **state)
{
    (void)state;
    const int E = -(int)LIC_EINVALID, P = -(int)LIC_EPARSE;
    const int broken[] = {3, 2, E, 1, E, 1, 1, 1, E, 1, 1, 1, 1, 2, 2, 1, 2, 1, 0, 0}, fatal[] = {3, P, P};
    runs_are_with(BROKEN, 64, broken, sizeof broken / sizeof *broken, 3);
    runs_are_with(FATAL, 64, fatal, sizeof fatal / sizeof *fatal, 1);
}

/* max caps a run; the next call goes on with the rest of it (lines
 * like the same pattern). */
static void a_cap_cuts_a_run_and_the_next_call_goes_on_with_it(void **state)
{
    (void)state;
    static const int sorted2[] = {1, 1, 2, 1, 1, 2, 2, 2, 0, 0}, same2[] = {2, 2, 2, 1, 0, 0},
                     same3[] = {3, 3, 1, 0, 0}, same6[] = {6, 1, 0, 0}, ones[] = {1, 1, 1, 1, 1, 1, 1, 0, 0};
    runs_are(SORTED, 2, sorted2, sizeof sorted2 / sizeof *sorted2);
    runs_are(SAME7, 2, same2, sizeof same2 / sizeof *same2);
    runs_are(SAME7, 3, same3, sizeof same3 / sizeof *same3);
    runs_are(SAME7, 6, same6, sizeof same6 / sizeof *same6);
    runs_are(SAME7, 1, ones, sizeof ones / sizeof *ones);
    lic_sales_reader *R = NULL;
    assert_int_equal(lic_sales_reader_open_mem(agr, "s.csv", SAME7, strlen(SAME7), &D, &R), LIC_OK);
    for (int line = 2; line <= 8; line += 3) {
        int n = lic_sales_reader_next_run(R, V, 3);
        assert_int_equal(n, line < 8 ? 3 : 1);
        for (int i = 0; i < n; i++) {
            assert_int_equal(V[i].pos.line, line + i);
            assert_int_equal(V[i].pos.col, 1);
            assert_int_equal(V[i].gross, 1000000 + 100 * (line - 2 + i));
            assert_int_equal(V[i].country, country("US"));
        }
    }
    lic_sales_reader_free(R);
}

/* max 0: -LIC_EINVALID, no message, nothing read; the next call still
 * gives the first line (line 2, at byte 47 after the 47-byte header),
 * and max 0 in the middle of the report leaves the rest as it was. */
static void a_cap_of_zero_is_invalid_and_reads_nothing(void **state)
{
    (void)state;
    lic_sales_reader *R = NULL;
    assert_int_equal(lic_sales_reader_open_mem(agr, "s.csv", SAME7, strlen(SAME7), &D, &R), LIC_OK);
    assert_int_equal(lic_sales_reader_next_run(R, V, 0), -(int)LIC_EINVALID);
    assert_int_equal(lic_sales_reader_next_run(R, NULL, 0), -(int)LIC_EINVALID);
    assert_int_equal(lic_sales_reader_offset(R), 47);
    assert_int_equal(lic_sales_reader_next_run(R, V, 2), 2);
    assert_int_equal(V[0].pos.line, 2);
    assert_int_equal(V[0].gross, 1000000);
    assert_int_equal(lic_sales_reader_next_run(R, V, 0), -(int)LIC_EINVALID);
    assert_int_equal(lic_sales_reader_offset(R), 47); /* still the run's first line's */
    assert_int_equal(lic_sales_reader_next_run(R, V, 64), 5);
    assert_int_equal(V[0].pos.line, 4);
    assert_int_equal(V[0].gross, 1000200);
    assert_int_equal(V[4].pos.line, 8);
    assert_int_equal(lic_sales_reader_next_run(R, V, 0), -(int)LIC_EINVALID);
    assert_int_equal(lic_sales_reader_next_run(R, V, 64), 0);
    assert_int_equal(D.n, 0);
    lic_sales_reader_free(R);
}

/* One run of up to max lines of csv: its length n, its first line's
 * number, offset, xcols_same and x_ag. */
static void run_is(lic_sales_reader *R, size_t max, int n, int line, uint64_t off, bool same, const char *ag)
{
    assert_int_equal(lic_sales_reader_next_run(R, V, max), n);
    assert_int_equal(V[0].pos.line, line);
    assert_int_equal(lic_sales_reader_offset(R), off);
    assert_int_equal(lic_sales_reader_xcols_same(R), same);
    assert_string_equal(lic_sales_reader_xcol(R, "x_ag"), ag);
    assert_string_equal(lic_sales_reader_xcol_at(R, 0), ag);
}

/* The header is 47 bytes, each line 49: line k starts at 47 + 49(k - 2).
 * SAME7 by 2: runs at lines 2, 4, 6, 8 (bytes 47, 145, 243, 341); line
 * 2 is the first (x_ values not known the same), lines 4, 6 and 8 are
 * like line 3, 5 and 7 before them (known the same).  SAME7X: runs at
 * line 2 (A1) and line 5 (A2, byte 194, not the same). */
static void after_a_run_offset_and_xcols_same_are_its_first_lines(void **state)
{
    (void)state;
    lic_sales_reader *R = NULL;
    assert_int_equal(lic_sales_reader_open_mem(agr, "s.csv", SAME7, strlen(SAME7), &D, &R), LIC_OK);
    run_is(R, 2, 2, 2, 47, false, "A1");
    run_is(R, 2, 2, 4, 145, true, "A1");
    run_is(R, 2, 2, 6, 243, true, "A1");
    run_is(R, 2, 1, 8, 341, true, "A1");
    lic_sales_reader_free(R);
    assert_int_equal(lic_sales_reader_open_mem(agr, "s.csv", SAME7X, strlen(SAME7X), &D, &R), LIC_OK);
    run_is(R, 64, 3, 2, 47, false, "A1");
    run_is(R, 64, 4, 5, 194, false, "A2");
    lic_sales_reader_free(R);
    assert_int_equal(D.n, 0);
}

/* After the last run: 0, and 0 again, the offset the file's size (SAME7:
 * 47 + 7 x 49 = 390); a report of only a header (47), or of two 46-byte
 * lines and two blank ones (141), the same. */
static void after_the_last_run_the_end_is_zero_and_zero_again(void **state)
{
    (void)state;
    static const char *const csv[] = {SAME7, "x_ag,period,country,field,gross_sales,currency\n",
                                      "x_ag,period,country,field,gross_sales,currency\n"
                                      "A1,2026-Q1,US,therapeutics/oncology,10.00,USD\n"
                                      "A1,2026-Q1,US,therapeutics/oncology,11.00,USD\n\n\n"};
    static const int first[] = {7, 0, 2};
    static const uint64_t size[] = {390, 47, 141};
    for (size_t i = 0; i < 3; i++) {
        lic_sales_reader *R = NULL;
        assert_int_equal(lic_sales_reader_open_mem(agr, "s.csv", csv[i], strlen(csv[i]), &D, &R), LIC_OK);
        assert_int_equal(lic_sales_reader_next_run(R, V, 64), first[i]);
        for (int k = 0; k < 3; k++) {
            assert_int_equal(lic_sales_reader_next_run(R, V, 64), 0);
            assert_int_equal(lic_sales_reader_offset(R), size[i]);
        }
        assert_int_equal(lic_sales_reader_next(R, V), 0);
        lic_sales_reader_free(R);
    }
    assert_int_equal(D.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(runs_give_the_lines_codes_and_messages_of_one_at_a_time_reading, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(runs_of_a_long_report_read_as_one_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(runs_are_as_long_as_the_lines_like_their_first, setup, teardown),
        cmocka_unit_test_setup_teardown(runs_stop_at_the_first_line_not_like_their_first, setup, teardown),
        cmocka_unit_test_setup_teardown(a_cap_cuts_a_run_and_the_next_call_goes_on_with_it, setup, teardown),
        cmocka_unit_test_setup_teardown(a_cap_of_zero_is_invalid_and_reads_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(after_a_run_offset_and_xcols_same_are_its_first_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(after_the_last_run_the_end_is_zero_and_zero_again, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
