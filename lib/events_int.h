/*
 * events_int.h - shared by the events loader's files (internal to lib/).
 *
 * The loader reuses the agreement loader's context and readers
 * (load_int.h) with `a` pointing at the agreement the events belong to.
 * Only readers that do not write to the agreement are used here (never
 * the *_v readers, which record missing terms in it); the cast that drops
 * const in events.c relies on that.
 */
#ifndef LIC_EVENTS_INT_H
#define LIC_EVENTS_INT_H

#include "licet/events.h"
#include "load_int.h"

/* Reads a required key with a reader that sees the value as v_, like
 * LD_REQ, but also makes `ok` false when the key is missing: a reader
 * must never go on with a value it did not get (a payment without a
 * currency, a patent_status without a patent). */
#define EV_REQ(c, map, key, ok, call)                      \
    do {                                                   \
        lic_ynode *v_ = ld_require((c), (map), (key));     \
        if (!v_) {                                         \
            (ok) = false;                                  \
        } else {                                           \
            size_t o_ = ld_push_key((c), (key));           \
            (ok) &= (call);                                \
            ld_pop((c), o_);                               \
        }                                                  \
    } while (0)

/* Reads the type-specific keys of event map n into e; false on error. */
bool ev_read_fields(ld_ctx *c, const lic_ynode *n, lic_event *e);
/* The keys allowed for a type (besides date, type, recorded, id, note). */
const char *const *ev_keys(lic_event_type t);

/* Readers shared by the field readers. */
bool ev_amount(ld_ctx *c, const lic_ynode *n, int digits, lic_amount *out);
bool ev_rate(ld_ctx *c, const lic_ynode *n, lic_rate *out);
bool ev_currency(ld_ctx *c, const lic_ynode *n, const lic_currency **out);
bool ev_party(ld_ctx *c, const lic_ynode *n, lic_party_role *out);
bool ev_period(ld_ctx *c, const lic_ynode *n, lic_period *out);
/* Report lines (inline `lines:` or audit `findings:`); `period` is the
 * default period of each line. */
bool ev_lines(ld_ctx *c, const lic_ynode *n, const lic_period *period,
              lic_sale_line **out, size_t *nout);

#endif
