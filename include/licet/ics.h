/*
 * ics.h - a deal's deadlines as an iCalendar file (RFC 5545), for
 * `licet calendar`.
 *
 * lic_ics_render() turns an evaluated state (engine.h) into one VCALENDAR
 * that a licensing manager imports into, or subscribes to from, any
 * calendar program:
 *
 *   - one VTODO per dated milestone, obligation, invoice and breach cure
 *     deadline: DUE as a DATE, a plain-English SUMMARY ("Milestone M1 due:
 *     First IND filing"), STATUS (COMPLETED with the day it was done,
 *     CANCELLED when waived or lapsed, IN-PROCESS while a milestone awaits
 *     verification, NEEDS-ACTION otherwise), CATEGORIES naming the kind,
 *     and a DISPLAY alarm LIC_ICS_ALARM_DAYS days before the deadline;
 *   - one all-day VEVENT per window (option, renegotiation, change of
 *     control, sunset) from its first day to the day after its last
 *     (DTEND is exclusive in RFC 5545).
 *
 * Items without a date are left out.  Every item's UID is
 * "<licet id>@<agreement id>.licet" ("milestone:M1@UNIX-BETA-2025-01.licet",
 * "breach:M2:cure@...", "window:option:O1@..."), so importing a newer
 * calendar updates entries rather than duplicating them.  DTSTAMP is the
 * state's as-of date at 00:00:00Z, never the clock: the same state gives
 * byte-identical output, and a later as-of date gives a later DTSTAMP,
 * which is what calendar programs compare to keep the newest copy.  Items
 * are ordered by date, then UID.
 *
 * The document is built with libical and written with CRLF line ends and
 * lines folded at 75 octets, as RFC 5545 requires.
 */
#ifndef LICET_ICS_H
#define LICET_ICS_H

#include <stddef.h>

#include "licet/engine.h"

#define LIC_ICS_PRODID "-//licet//licet 0.1.0//EN"
#define LIC_ICS_ALARM_DAYS 14

/* Renders `s` (whose agreement must be set) as an iCalendar document.
 * Returns a NUL-terminated string owned by the caller, freed with free(),
 * and its length in *len (len may be NULL).  Returns NULL when memory runs
 * out or `s` is NULL; nothing is left allocated then. */
char *lic_ics_render(const lic_state *s, size_t *len);

#endif
