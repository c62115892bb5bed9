/*
 * test_store.c - the portfolio store: the ledger's canonical content and
 * chain hashing (worked against Python's hashlib), canonical events and
 * reports, and a SQLite store's chain, verification and versions.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "licet/agreement.h"
#include "licet/store.h"
#include "alloc.h"
#include "sha256.h"
#include "store_int.h"

static const char zeros[] = "0000000000000000000000000000000000000000000000000000000000000000";

static void test_sha256_hex(void **state)
{
    (void)state;
    char hex[65];
    lic_store_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_row_content_canonical(void **state)
{
    (void)state;
    char *c = lic_store_row_content("A1", "event", "E1", "d", "{\"date\":\"2026-01-01\"}", 1);
    assert_non_null(c);
    assert_string_equal(c, "{\"agreement\":\"A1\",\"digest\":\"d\",\"ident\":\"E1\",\"kind\":\"event\","
                           "\"payload\":{\"date\":\"2026-01-01\"},\"seq\":1}");
    free(c);
    /* Quotes, backslashes and control characters have one escape each. */
    c = lic_store_row_content("a\"b\\c\n", "event", "@2026-01-01 payment", "d", "{}", 12);
    assert_string_equal(c, "{\"agreement\":\"a\\\"b\\\\c\\u000a\",\"digest\":\"d\",\"ident\":\"@2026-01-01 payment\","
                           "\"kind\":\"event\",\"payload\":{},\"seq\":12}");
    free(c);
}

static void test_row_hash_chain(void **state)
{
    (void)state;
    const char *c = "{\"agreement\":\"A1\",\"digest\":\"d\",\"ident\":\"E1\",\"kind\":\"event\","
                    "\"payload\":{\"date\":\"2026-01-01\"},\"seq\":1}";
    char h[65];
    /* python3: sha256(b'\0' * 32 + c).hexdigest() */
    assert_int_equal(lic_store_row_hash(zeros, c, strlen(c), h), LIC_OK);
    assert_string_equal(h, "006658852ed02d78574f48a25a346a2fa3d3d98511173213803f0b763aa2af95");
    char h2[65];
    assert_int_equal(lic_store_row_hash(h, c, strlen(c), h2), LIC_OK);
    assert_string_not_equal(h2, h); /* the previous hash takes part */
    assert_int_equal(lic_store_row_hash("xyz", c, strlen(c), h), LIC_EINVAL);
}

static void test_canon_report(void **state)
{
    (void)state;
    lic_date d;
    lic_period p;
    assert_int_equal(lic_date_parse("2026-07-20", 10, &d), LIC_OK);
    assert_int_equal(lic_period_parse("2026-Q2", 7, &p), LIC_OK);
    char *out = NULL;
    assert_int_equal(lic_store_canon_report("sales-2026-Q2-r1", d, p, "[{\"country\":\"US\"}]", &out), LIC_OK);
    assert_string_equal(out, "{\"date\":\"2026-07-20\",\"id\":\"sales-2026-Q2-r1\",\"kind\":\"royalty\","
                             "\"lines\":[{\"country\":\"US\"}],\"period\":\"2026-Q2\",\"type\":\"report\"}");
    free(out);
    assert_int_equal(lic_store_canon_report("x", d, p, "not json", &out), LIC_EINVAL);
}

static const char agreement_yaml[] =
    "licet: 1\nid: T1\ntitle: Test\neffective: 2025-01-01\ncurrency: USD\n"
    "parties:\n  licensor: { id: u, name: U }\n  licensee: { id: a, name: A }\n"
    "fields:\n  therapeutics: [oncology]\nterm:\n  ends: 2040-01-01\n"
    "grants:\n  - { id: G1, fields: [therapeutics/oncology], territories: [US], exclusivity: non_exclusive }\n";

/* Events written as YAML come out as sorted JSON with scalars as strings,
 * true/false/null kept, and an id only where one was written. */
static void test_canon_events(void **state)
{
    (void)state;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *a = NULL;
    assert_int_equal(lic_agreement_load_mem("t.yaml", agreement_yaml, strlen(agreement_yaml), &d, &a), LIC_OK);
    char path[] = "/tmp/licet-test-events-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char ev_text[] = "- { type: payment, date: 2026-05-01, amount: 100.00, currency: USD }\n"
                           "- { date: 2026-05-02, type: milestone_achieved, milestone: NOPE }\n"
                           "- { id: P2, date: 2026-05-03, type: payment, amount: \"5\", currency: USD, note: 'a \"q\"' }\n";
    assert_int_equal(write(fd, ev_text, sizeof ev_text - 1), (ssize_t)(sizeof ev_text - 1));
    close(fd);
    lic_events *ev = NULL;
    assert_int_equal(lic_events_load(path, a, &d, &ev), LIC_OK);
    assert_int_equal(ev->n, 2);
    char **canon = NULL;
    assert_int_equal(lic_store_canon_events(path, a, ev, &canon), LIC_OK);
    assert_string_equal(canon[0], "{\"amount\":\"100.00\",\"currency\":\"USD\",\"date\":\"2026-05-01\",\"type\":\"payment\"}");
    assert_string_equal(canon[1], "{\"amount\":\"5\",\"currency\":\"USD\",\"date\":\"2026-05-03\",\"id\":\"P2\","
                                  "\"note\":\"a \\\"q\\\"\",\"type\":\"payment\"}");
    lic_store_strings_free(canon, ev->n);
    lic_events_free(ev);
    lic_agreement_free(a);
    lic_diags_fini(&d);
    unlink(path);
}

static int count_rows(void *ctx, const lic_store_row *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static void remove_db(const char *p)
{
    char b[300];
    unlink(p);
    snprintf(b, sizeof b, "%s-wal", p);
    unlink(b);
    snprintf(b, sizeof b, "%s-shm", p);
    unlink(b);
}

/* libcrypto's digest, with libsodium's as the fallback (sha256.h): FIPS
 * 180-2's million 'a', in uneven pieces and at once. */
static void test_sha256_pieces_match_one_shot(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *a = malloc(n);
    assert_non_null(a);
    memset(a, 'a', n);
    unsigned char one[LIC__SHA256_BYTES], parts[LIC__SHA256_BYTES];
    lic__sha256_digest(a, n, one);
    lic__sha256 h;
    lic__sha256_init(&h);
    for (size_t at = 0, k = 1; at < n; at += k, k = k * 3 + 1)
        lic__sha256_update(&h, a + at, at + k > n ? n - at : k);
    lic__sha256_final(&h, parts);
    assert_memory_equal(one, parts, sizeof one);
    char hex[65];
    lic_store_sha256_hex(a, n, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    lic__sha256_init(&h); /* an abandoned digest releases its context (ASan would say) */
    lic__sha256_update(&h, "x", 1);
    lic__sha256_discard(&h);
    free(a);
}

/* A payload given in parts makes the same row as the joined payload. */
static void test_row_content_parts_equal_joined(void **state)
{
    (void)state;
    const char *parts[] = {"{\"lines\":", "[1,2]", "}"};
    size_t len = 0;
    char *p = lic_store_row_content_parts("A1", "report", "2026-Q1", "d", parts, 3, 7, &len);
    char *j = lic_store_row_content("A1", "report", "2026-Q1", "d", "{\"lines\":[1,2]}", 7);
    assert_non_null(p);
    assert_non_null(j);
    assert_string_equal(p, j);
    assert_int_equal(len, strlen(j));
    free(p);
    free(j);
}

/* Report lines in canonical JSON: a plain line takes the fast writer, a
 * product needing escapes and a licensee's fx_rate take the general one;
 * the bytes are jansson's either way. */
static void test_canon_lines_plain_escaped_and_fx(void **state)
{
    (void)state;
    lic_agreement a = {0};
    lic_period q;
    assert_int_equal(lic_period_parse("2026-Q1", 7, &q), LIC_OK);
    const lic_currency *usd = lic_currency_find("USD"), *jpy = lic_currency_find("JPY");
    lic_sale_line v[3] = {
        {.period = q, .date = LIC_DATE_NONE, .country = lic_country_index("US", 2), .field = -1, .units = -12,
         .gross = 123456, .deductions = -5, .third_party_royalties = 0, .currency = usd},
        {.period = q, .date = LIC_DATE_NONE, .country = lic_country_index("DE", 2), .field = -1, .units = 0,
         .gross = 7, .currency = usd, .product = "Kit \"A\"\\1"},
        {.period = q, .date = LIC_DATE_NONE, .country = lic_country_index("JP", 2), .field = -1, .units = 3,
         .gross = 1000, .currency = jpy, .fx_rate = 6500000000, .product = "K"},
    };
    char *out = NULL;
    assert_int_equal(lic_store_canon_lines(&a, v, 3, &out), LIC_OK);
    assert_string_equal(out,
        "[{\"country\":\"US\",\"currency\":\"USD\",\"deductions\":\"-0.05\",\"gross_sales\":\"1234.56\","
        "\"period\":\"2026-Q1\",\"third_party_royalties\":\"0.00\",\"units\":\"-12\"},"
        "{\"country\":\"DE\",\"currency\":\"USD\",\"deductions\":\"0.00\",\"gross_sales\":\"0.07\","
        "\"period\":\"2026-Q1\",\"product\":\"Kit \\\"A\\\"\\\\1\",\"third_party_royalties\":\"0.00\","
        "\"units\":\"0\"},"
        "{\"country\":\"JP\",\"currency\":\"JPY\",\"deductions\":\"0\",\"fx_rate\":\"0.0065\","
        "\"gross_sales\":\"1000\",\"period\":\"2026-Q1\",\"product\":\"K\",\"third_party_royalties\":\"0\","
        "\"units\":\"3\"}]");
    free(out);
}

typedef struct kept_rows {
    char *v[4];
    int n;
} kept_rows;

static int keep_content(void *ctx, const lic_store_row *r)
{
    kept_rows *k = ctx;
    if (k->n == 4)
        return 1;
    k->v[k->n++] = strdup(r->content);
    return 0;
}

/* A row built around its payload in place is the row lic_store_append_parts
 * builds (with room before the payload, and without: then it copies), and
 * the buffer holds the payload's middle again afterwards. */
static void test_append_around_is_append_parts(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/licet-test-around-%ld.db", (long)getpid());
    remove_db(path);
    lic_store *s = NULL;
    char err[300];
    assert_int_equal(lic_store_open(path, LIC_STORE_CREATE, err, sizeof err, &s), LIC_OK);
    const char *mid = "[{\"x\":\"1\"},{\"x\":\"2\"}]";
    const char *parts[] = {"{\"kind\":\"royalty\",\"lines\":", mid, ",\"type\":\"report\"}"};
    int64_t seq = 0;
    assert_int_equal(lic_store_append_parts(s, "A\"1", "report", "2026-Q1", "d1", parts, 3, &seq), LIC_OK);
    for (size_t room = LIC__STORE_ROOM; room; room = room == 3 ? 0 : 3) { /* room, then too little */
        lic__buf b = {0};
        for (size_t i = 0; i < room; i++)
            lic__buf_put(&b, "#", 1);
        lic__buf_put(&b, mid, strlen(mid));
        assert_int_equal(lic__store_append_around(s, "A\"1", "report", "2026-Q1", "d1", parts[0], &b, room,
                                                  parts[2], &seq),
                         LIC_OK);
        assert_int_equal(b.n, room + strlen(mid));
        assert_string_equal(b.v + room, mid);
        lic__free(b.v);
    }
    assert_int_equal(seq, 3);
    kept_rows k = {0};
    lic_store_filter f = {"A\"1", "report", "2026-Q1"};
    assert_int_equal(lic_store_ledger(s, &f, keep_content, &k), LIC_OK);
    assert_int_equal(k.n, 3);
    for (int i = 0; i < 3; i++) { /* the same row but for seq */
        char *want = lic_store_row_content("A\"1", "report", "2026-Q1", "d1",
                                           "{\"kind\":\"royalty\",\"lines\":[{\"x\":\"1\"},{\"x\":\"2\"}],"
                                           "\"type\":\"report\"}", i + 1);
        assert_string_equal(k.v[i], want);
        free(want);
        free(k.v[i]);
    }
    int64_t n = 0, bad = 0;
    char why[200];
    assert_int_equal(lic_store_verify(s, &n, &bad, why, sizeof why), LIC_OK);
    assert_int_equal(n, 3);
    lic_store_close(s);
    remove_db(path);
}

static void test_sqlite_store(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/licet-test-store-%ld.db", (long)getpid());
    remove_db(path);
    lic_store *s = NULL;
    char err[300];
    assert_int_equal(lic_store_open(path, 0, err, sizeof err, &s), LIC_ENOTFOUND);
    assert_null(s);
    assert_int_equal(lic_store_open(path, LIC_STORE_CREATE, err, sizeof err, &s), LIC_OK);
    assert_int_equal(lic_store_schema_version(s), LIC_STORE_SCHEMA_VERSION);

    int v = 0;
    bool same = false;
    assert_int_equal(lic_store_agreement_add(s, "T1", "one", 3, &v, &same), LIC_OK);
    assert_int_equal(v, 1);
    assert_false(same);
    assert_int_equal(lic_store_agreement_add(s, "T1", "one", 3, &v, &same), LIC_OK);
    assert_true(same);
    assert_int_equal(lic_store_agreement_add(s, "T1", "two", 3, &v, &same), LIC_OK);
    assert_int_equal(v, 2);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(lic_store_agreement_get(s, "T1", 1, &text, &len, &v), LIC_OK);
    assert_string_equal(text, "one");
    free(text);
    assert_int_equal(lic_store_agreement_get(s, "T2", 0, &text, &len, &v), LIC_ENOTFOUND);

    int64_t seq = 0;
    assert_int_equal(lic_store_begin(s), LIC_OK);
    assert_int_equal(lic_store_append(s, "T1", "event", "E1", "d1", "{\"a\":\"1\"}", &seq), LIC_OK);
    assert_int_equal(seq, 1);
    lic_store_rollback(s); /* gone: the chain starts again at 1 */
    assert_int_equal(lic_store_append(s, "T1", "event", "E1", "d1", "{\"a\":\"1\"}", &seq), LIC_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(lic_store_append(s, "T1", "event", "E2", "d2", "{\"a\":\"2\"}", &seq), LIC_OK);
    assert_int_equal(seq, 2);
    int64_t n = 0, bad = 0;
    char why[200];
    assert_int_equal(lic_store_verify(s, &n, &bad, why, sizeof why), LIC_OK);
    assert_int_equal(n, 2);
    int rows = 0;
    lic_store_filter f = {"T1", "event", "E2"};
    assert_int_equal(lic_store_ledger(s, &f, count_rows, &rows), LIC_OK);
    assert_int_equal(rows, 1);
    assert_int_equal(lic_store_events_text(s, "T1", &text, &len), LIC_OK);
    assert_string_equal(text, "{\"a\":\"1\"}\n{\"a\":\"2\"}\n");
    free(text);
    lic_store_close(s);
    remove_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_hex),
        cmocka_unit_test(test_sha256_pieces_match_one_shot),
        cmocka_unit_test(test_row_content_parts_equal_joined),
        cmocka_unit_test(test_canon_lines_plain_escaped_and_fx),
        cmocka_unit_test(test_append_around_is_append_parts),
        cmocka_unit_test(test_row_content_canonical),
        cmocka_unit_test(test_row_hash_chain),
        cmocka_unit_test(test_canon_report),
        cmocka_unit_test(test_canon_events),
        cmocka_unit_test(test_sqlite_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
