/*
 * receipt.h - the receipt of FORMAT 5 (internal): the engine that made an
 * output and the inputs' SHA-256 in hex, one definition for the jansson
 * writers (jsonout.h) and the state's direct writer (state_json.c), so
 * that both always print the same receipt.
 */
#ifndef LIC_RECEIPT_H
#define LIC_RECEIPT_H

#define LIC__RECEIPT_ENGINE "licet 0.1.0"

/* The 32 bytes of sha256 as 64 lower-case hex digits and a NUL. */
static inline void lic__receipt_hex(const unsigned char sha256[32], char hex[65])
{
    static const char hexd[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = hexd[sha256[i] >> 4];
        hex[2 * i + 1] = hexd[sha256[i] & 15];
    }
    hex[64] = '\0';
}

#endif
