/*
 * testutil.h - shared includes for the cmocka unit tests.
 */
#ifndef LIC_TESTUTIL_H
#define LIC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#endif
