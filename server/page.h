/*
 * page.h - what the HTML pages of `licet serve` share (internal to
 * server/page_*.c): the layout every page is drawn in, the small pieces
 * they all write (badges, dates, amounts, the "as of" form) and the SVG
 * charts of the agreement page.
 *
 * Pages are written server-side into a srv_buf.  Every piece of text that
 * comes from data goes through srv_buf_html; the Content-Security-Policy
 * forbids inline scripts and style attributes, so pages carry classes
 * and data-* attributes only and /assets/app.js and /assets/app.css do
 * the rest.  The session's CSRF token reaches the script through
 * <meta name="csrf-token">.
 */
#ifndef LICET_SERVER_PAGE_H
#define LICET_SERVER_PAGE_H

#include "srv.h"

/* ---- the layout (page_layout.c) ---- */

/* Opens the page: head, the header with the user and sign-out, the nav
 * (`active` is the nav entry to mark: "portfolio", "calendar", "review",
 * "portal", "users" or NULL), then <main>. */
void page_begin(const srv_req *r, srv_buf *b, const char *title, const char *active);
/* Closes <main> and the page. */
void page_end(srv_buf *b);
/* Answers with the page in b (takes its memory); 500 when it ran out. */
void page_send(srv_resp *out, unsigned status, srv_buf *b);
/* Answers with a page that says what went wrong, in the layout. */
void page_fail(const srv_req *r, srv_resp *out, unsigned status, const char *message);

/* ---- small pieces (page_bits.c) ---- */

/* <span class="badge ...">word</span>, coloured by what the word means
 * (overdue red, paid green, ...); words with '_' are shown with spaces. */
void page_badge(srv_buf *b, const char *word);
/* "2027-10-14", or a dash for LIC_DATE_NONE. */
void page_date(srv_buf *b, lic_date d);
/* A decimal string from the status JSON ("179700.00") with thousands
 * separators and the currency code; a dash for NULL (indeterminate). */
void page_money(srv_buf *b, const char *decimal, const char *currency);
/* Whether a decimal string from the status JSON is an amount other than
 * zero (false for NULL). */
bool page_nonzero(const char *decimal);
/* An exact amount in the currency's minor units, as page_money. */
void page_amount(srv_buf *b, lic_amount a, const lic_currency *c);
/* "today", "in 12 days", "3 days ago". */
void page_days(srv_buf *b, int days);
/* The form that picks the "as of" date of a page (a GET to action). */
void page_as_of_form(srv_buf *b, const char *action, lic_date as_of, const char *label);
/* "?as_of=2027-12-31" when the request named one, else "". */
void page_as_of_query(const srv_req *r, char *out, size_t n);
/* The request's ?as_of= (default today); false and an HTML 400 in out
 * when it is not a date. */
bool page_as_of_or_respond(const srv_req *r, srv_resp *out, lic_date *as_of);
/* The string member key of o, or NULL. */
const char *page_str(json_t *o, const char *key);
/* Days from `from` to the date string to (0 when to is not a date). */
int page_days_until(lic_date from, const char *to);
/* The territories as the agreement names them ("EUROPE_CORE, US"). */
void page_territories(srv_buf *b, const lic_tset *t, const lic_regions *custom);
/* The fields in the fewest paths ("therapeutics/oncology"). */
void page_fields(srv_buf *b, const lic_fieldtree *tree, const lic_fset *f);

/* ---- data the pages read ---- */

/* The status (FORMAT 5) of agreement a as of the date, from the cache
 * (page_bits.c); NULL when it cannot be computed. */
json_t *page_status(const srv_req *r, const char *id, const lic_agreement *a, lic_date as_of);
/* Runs an API handler for the page's request (with params[0] = id when
 * id is not NULL) and returns its JSON answer, or NULL when it failed.
 * Pages show what the API serves without a second implementation. */
json_t *page_api(const srv_req *r, srv_handler h, const char *id, const lic_agreement *a);

/* ---- the time axis of the charts (page_svg.c) ---- */

/* Dates from..to drawn between x0 and x1 (SVG user units). */
typedef struct page_axis {
    lic_date from, to;
    double x0, x1;
} page_axis;

/* The x of d, clamped to the axis. */
double page_x(const page_axis *ax, lic_date d);
/* Opens an <svg> of the given size that scales to its container; label is
 * what a screen reader says of it. */
void page_svg_open(srv_buf *b, int width, int height, const char *label);
/* Grid lines and labels for years (and quarters on a short axis), from
 * y top to y bottom, labels above top. */
void page_svg_ticks(srv_buf *b, const page_axis *ax, double top, double bottom);
/* The dashed line of the as-of date, with its label. */
void page_svg_as_of(srv_buf *b, const page_axis *ax, lic_date as_of, double top, double bottom);
/* A bar from a to b (clamped) on the row at y, with a tooltip. */
void page_svg_bar(srv_buf *b, const page_axis *ax, lic_date a, lic_date z, double y, double h, const char *fill,
                  const char *tip);
/* A row's label at the left. */
void page_svg_label(srv_buf *b, double y, const char *text, const char *sub);

/* ---- charts and sections of the agreement page ---- */

/* page_timeline.c: milestones, cure periods, windows and rights on one
 * time axis, as inline SVG. */
void page_timeline(srv_buf *b, const lic_state *st);
/* page_grants.c: the grants in force by field x territory, with their
 * exclusivity over time (what rights and options changed), table and SVG. */
void page_grants(srv_buf *b, const lic_state *st);
/* page_royalties.c: royalties by period as an SVG bar chart and a table
 * with the statements' downloads. */
void page_royalties(srv_buf *b, const lic_state *st, const char *id);
/* page_tables.c: the deal's lists as tables. */
void page_milestones_table(srv_buf *b, const lic_state *st);
void page_breaches_table(srv_buf *b, const lic_state *st);
void page_invoices_table(srv_buf *b, const lic_state *st);
void page_flags_list(srv_buf *b, const lic_state *st);

#endif
