/*
 * sha256.h - SHA-256 for everything licet hashes: agreement texts, event
 * texts, sales files, report lines and the ledger's chain.
 *
 * One door so that every hash comes from the same code.  It is OpenSSL's
 * libcrypto, which uses the CPU's SHA instructions where there are some
 * (about 6x libsodium's portable code on this project's machines; the
 * store's import was two thirds SHA-256 before).  If libcrypto cannot
 * give a context (out of memory, or no SHA-256 provider), the same digest
 * comes from libsodium instead, so hashing never fails and no caller has
 * an error path for it.
 *
 * Usage: lic__sha256_init, any number of lic__sha256_update, then exactly
 * one of lic__sha256_final (the digest) or lic__sha256_discard (on an
 * error path); both release the context.
 */
#ifndef LIC_SHA256_H
#define LIC_SHA256_H

#include <sodium.h>
#include <stddef.h>

#define LIC__SHA256_BYTES 32

struct evp_md_ctx_st;

typedef struct lic__sha256 {
    struct evp_md_ctx_st *evp;      /* NULL: the libsodium fallback is used */
    crypto_hash_sha256_state sodium;
} lic__sha256;

void lic__sha256_init(lic__sha256 *h);
void lic__sha256_update(lic__sha256 *h, const void *data, size_t len);
void lic__sha256_final(lic__sha256 *h, unsigned char out[LIC__SHA256_BYTES]);
void lic__sha256_discard(lic__sha256 *h);

/* The digest of one buffer. */
void lic__sha256_digest(const void *data, size_t len, unsigned char out[LIC__SHA256_BYTES]);

#endif
