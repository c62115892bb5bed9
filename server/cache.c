/*
 * cache.c - what the server keeps between requests: loaded agreement
 * texts, and evaluated states as JSON.
 *
 * Both are safe to keep because of what they are keyed by.  A loaded
 * agreement is keyed by the SHA-256 of its text: a new version has a new
 * key, and the loaded value is never changed (the engine takes it
 * const), so threads share it without copying.  A state is a pure
 * function of the agreement text, the ledger and the dates (the engine's
 * contract), so its JSON is keyed by the text's hash, the ledger's head
 * (the last row number: any append changes it, from this process or
 * another one on the same database) and the dates.  Loaded agreements
 * live as long as the process; the state cache is emptied when full.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "licet/portfolio.h"
#include "srv.h"

#define STATE_CACHE_MAX 2048

typedef struct ag_entry {
    char sha[65];
    char *id;
    int version;
    lic_agreement *a;
    struct ag_entry *next;
    struct ag_entry *next_by_ptr; /* the chain of by_ptr[] */
} ag_entry;

typedef struct st_entry {
    char *key;
    char *json;
    struct st_entry *next;
} st_entry;

#define NBUCKETS 1024

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static ag_entry *agreements[NBUCKETS];
static ag_entry *by_ptr[NBUCKETS]; /* the same entries, by their lic_agreement */
static st_entry *states[NBUCKETS];
static size_t nstates;

static unsigned bucket(const char *key)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 16777619u;
    return h % NBUCKETS;
}

static unsigned ptr_bucket(const lic_agreement *a)
{
    uintptr_t v = (uintptr_t)a;
    return (unsigned)((v >> 4) ^ (v >> 14)) % NBUCKETS;
}

static lic_agreement *ag_find(const char *sha, const char *id)
{
    for (ag_entry *e = agreements[bucket(sha)]; e; e = e->next)
        if (!strcmp(e->sha, sha) && !strcmp(e->id, id))
            return e->a;
    return NULL;
}

/* Keeps a, unless another thread kept the same text first: then a is
 * freed and theirs returned. */
static const lic_agreement *ag_keep(const char *sha, const char *id, int version, lic_agreement *a)
{
    pthread_mutex_lock(&lock);
    lic_agreement *have = ag_find(sha, id);
    ag_entry *e = have ? NULL : calloc(1, sizeof *e);
    if (e && (e->id = strdup(id)) != NULL) {
        memcpy(e->sha, sha, 65);
        e->version = version, e->a = a;
        unsigned b = bucket(sha);
        e->next = agreements[b];
        agreements[b] = e;
        b = ptr_bucket(a);
        e->next_by_ptr = by_ptr[b];
        by_ptr[b] = e;
        have = a;
        a = NULL;
    } else if (e)
        free(e);
    pthread_mutex_unlock(&lock);
    lic_agreement_free(a);
    return have;
}

const lic_agreement *srv_agreement(lic_store *s, const char *id, int *version, unsigned *status)
{
    char sha[65];
    lic_err rc = lic_store_agreement_head(s, id, version, sha);
    if (rc) {
        *status = rc == LIC_ENOTFOUND ? 404 : 503;
        return NULL;
    }
    pthread_mutex_lock(&lock);
    const lic_agreement *a = ag_find(sha, id);
    pthread_mutex_unlock(&lock);
    if (a)
        return a;
    lic_diags d;
    lic_diags_init(&d);
    lic_agreement *loaded = NULL;
    int v = 0;
    rc = lic_pf_agreement_version(s, id, *version, &d, &loaded, &v);
    lic_diags_fini(&d);
    if (rc) {
        *status = rc == LIC_ENOTFOUND ? 404 : rc == LIC_EINVALID ? 500 : 503;
        return NULL;
    }
    a = ag_keep(sha, id, v, loaded);
    if (!a)
        *status = 503;
    return a;
}

bool srv_deal_eval(srv_req *r, const lic_agreement *a, const char *id, lic_date as_of, lic_date known_at, srv_deal *d, srv_resp *out)
{
    *d = (srv_deal){0};
    lic_diags diags;
    lic_diags_init(&diags);
    lic_err rc = lic_pf_events(r->store, id, a, &diags, &d->ev);
    if (rc == LIC_EIO || rc == LIC_EBUSY || rc == LIC_ECORRUPT) {
        lic_diags_fini(&diags);
        srv_error(out, 503, "the ledger of %s cannot be read", id);
        return false;
    }
    if (!rc)
        rc = lic_engine_eval(a, d->ev, as_of, known_at, &d->st);
    if (rc && rc != LIC_ENOMEM)
        srv_error_diags(out, "the ledger does not load against the agreement's latest version", &diags);
    else if (rc)
        srv_error(out, 500, "out of memory");
    lic_diags_fini(&diags);
    if (rc)
        srv_deal_free(d);
    return rc == LIC_OK;
}

void srv_deal_free(srv_deal *d)
{
    lic_state_free(d->st);
    lic_events_free(d->ev);
    lic_agreement_free(d->a);
    *d = (srv_deal){0};
}

/* The SHA-256 of the text a (from srv_agreement) was loaded from. */
static bool ag_sha(const lic_agreement *a, char sha[65])
{
    bool found = false;
    pthread_mutex_lock(&lock);
    for (ag_entry *e = by_ptr[ptr_bucket(a)]; e && !found; e = e->next_by_ptr)
        if (e->a == a) {
            memcpy(sha, e->sha, 65);
            found = true;
        }
    pthread_mutex_unlock(&lock);
    return found;
}

/* The key of r->ag's state: keyed by the text r->ag was loaded from (not
 * the agreement's head read again, which costs a query and could name a
 * version newer than the one evaluated). */
static char *state_key(const srv_req *r, const char *id, int64_t head, lic_date as_of, lic_date known_at)
{
    char sha[65], a[LIC_DATE_STRLEN] = "", k[LIC_DATE_STRLEN] = "-";
    if (!r->ag || !ag_sha(r->ag, sha))
        return NULL;
    lic_date_str(as_of, a);
    if (known_at != LIC_DATE_NONE)
        lic_date_str(known_at, k);
    size_t n = strlen(id) + 65 + 3 * 24;
    char *key = malloc(n);
    if (key)
        snprintf(key, n, "%s|%s|%lld|%s|%s", id, sha, (long long)head, a, k);
    return key;
}

static char *state_get(const char *key)
{
    char *json = NULL;
    pthread_mutex_lock(&lock);
    for (st_entry *e = states[bucket(key)]; e; e = e->next)
        if (!strcmp(e->key, key)) {
            json = strdup(e->json);
            break;
        }
    pthread_mutex_unlock(&lock);
    return json;
}

static void states_clear(void)
{
    for (size_t b = 0; b < NBUCKETS; b++)
        while (states[b]) {
            st_entry *e = states[b];
            states[b] = e->next;
            free(e->key);
            free(e->json);
            free(e);
        }
    nstates = 0;
}

/* Keeps a copy of json under key (takes key). */
static void state_put(char *key, const char *json)
{
    st_entry *e = malloc(sizeof *e);
    char *copy = strdup(json);
    if (!e || !copy) {
        free(e), free(copy), free(key);
        return;
    }
    e->key = key, e->json = copy;
    pthread_mutex_lock(&lock);
    if (nstates >= STATE_CACHE_MAX)
        states_clear();
    unsigned b = bucket(key);
    e->next = states[b];
    states[b] = e;
    nstates++;
    pthread_mutex_unlock(&lock);
}

char *srv_status_json(srv_req *r, const char *id, lic_date as_of, lic_date known_at, unsigned *status)
{
    int64_t head = 0;
    if (lic_store_head(r->store, &head)) {
        *status = 503;
        return NULL;
    }
    char *key = state_key(r, id, head, as_of, known_at);
    char *json = key ? state_get(key) : NULL;
    if (json) {
        free(key);
        return json;
    }
    srv_deal d;
    srv_resp scratch = {0};
    if (!srv_deal_eval(r, r->ag, id, as_of, known_at, &d, &scratch)) {
        *status = scratch.status;
        srv_buf_free(&scratch.body);
        free(key);
        return NULL;
    }
    json = lic_state_json(d.st);
    srv_deal_free(&d);
    if (json && key)
        state_put(key, json);
    else
        free(key);
    if (!json)
        *status = 500;
    return json;
}

void srv_cache_free(void)
{
    pthread_mutex_lock(&lock);
    states_clear();
    for (size_t b = 0; b < NBUCKETS; b++)
        by_ptr[b] = NULL;
    for (size_t b = 0; b < NBUCKETS; b++)
        while (agreements[b]) {
            ag_entry *e = agreements[b];
            agreements[b] = e->next;
            lic_agreement_free(e->a);
            free(e->id);
            free(e);
        }
    pthread_mutex_unlock(&lock);
}
