/*
 * calendar_data.h - the built-in calendars' holiday lists (internal).
 *
 * The data files data/calendars/NAME.txt are turned into C by
 * scripts/embed-calendars.sh at build time (build/gen/calendars.c).  Each
 * entry holds the calendar's name (the file's basename without ".txt")
 * and its dates as one string of "YYYY-MM-DD\n" lines, comments and blank
 * lines already removed and every date's shape checked by the script.
 * lib/calendar.c parses these strings on first use.
 */
#ifndef LIC_CALENDAR_DATA_H
#define LIC_CALENDAR_DATA_H

#include <stddef.h>

struct lic__cal_data {
    const char *name;  /* e.g. "GB-EAW" */
    const char *dates; /* "2020-01-01\n2020-04-10\n...", possibly "" */
};

/* lic__cal_data_count entries, in the order the files were given, then a
 * {NULL, NULL} sentinel (so the array is never empty). */
extern const struct lic__cal_data lic__cal_data[];
extern const size_t lic__cal_data_count;

#endif
