/*
 * utf8.c - is this valid UTF-8?  (utf8.h)  Written by hand: the check is
 * a dozen lines, and the libraries at hand either accept what licet must
 * refuse (overlong forms, surrogates) or want the whole text at once.
 */
#include "utf8.h"

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0 if the
 * bytes there are not valid UTF-8 (overlong forms, surrogates and code
 * points past U+10FFFF included). */
size_t lic__utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    unsigned cp = c & (0x3Fu >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* YAML files are UTF-8.  We check before libfyaml sees the text: besides
 * giving a clear error, libfyaml 0.7.12 loops forever on some invalid
 * bytes (a directive line holding 0xFF, found by fuzzing). */
