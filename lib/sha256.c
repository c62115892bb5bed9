/*
 * sha256.c - SHA-256 through libcrypto, with libsodium as the fallback
 * (sha256.h says why).
 *
 * The EVP_MD is fetched once per process: an implicit fetch on every
 * EVP_DigestInit costs more than hashing a short event text.
 */
#include "sha256.h"

#include <openssl/evp.h>
#include <pthread.h>

static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static EVP_MD *md; /* kept for the process's life; NULL: no provider */

static void md_fetch(void)
{
    md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void lic__sha256_init(lic__sha256 *h)
{
    pthread_once(&md_once, md_fetch);
    h->evp = md ? EVP_MD_CTX_new() : NULL;
    if (h->evp && EVP_DigestInit_ex2(h->evp, md, NULL) == 1)
        return;
    EVP_MD_CTX_free(h->evp);
    h->evp = NULL;
    crypto_hash_sha256_init(&h->sodium);
}

/* Update and final cannot fail once the context has been initialised for
 * SHA-256 (the default provider's update and final return 1 for any
 * input), so their results are not checked; init is the one step that
 * allocates and is the one that falls back. */
void lic__sha256_update(lic__sha256 *h, const void *data, size_t len)
{
    if (h->evp)
        (void)EVP_DigestUpdate(h->evp, data, len);
    else
        crypto_hash_sha256_update(&h->sodium, data, len);
}

void lic__sha256_final(lic__sha256 *h, unsigned char out[LIC__SHA256_BYTES])
{
    if (h->evp) {
        unsigned int n = 0;
        (void)EVP_DigestFinal_ex(h->evp, out, &n);
        lic__sha256_discard(h);
    } else {
        crypto_hash_sha256_final(&h->sodium, out);
    }
}

void lic__sha256_discard(lic__sha256 *h)
{
    EVP_MD_CTX_free(h->evp);
    h->evp = NULL;
}

void lic__sha256_digest(const void *data, size_t len, unsigned char out[LIC__SHA256_BYTES])
{
    lic__sha256 h;
    lic__sha256_init(&h);
    lic__sha256_update(&h, data, len);
    lic__sha256_final(&h, out);
}
