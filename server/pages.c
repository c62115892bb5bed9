/* pages.c - placeholder while the pages are written (replaced). */
#include "srv.h"
static void todo(srv_resp *out) { srv_error(out, 501, "page not written yet"); }
void page_login(srv_req *r, srv_resp *out) { (void)r; todo(out); }
void page_home(srv_req *r, srv_resp *out) { (void)r; todo(out); }
void page_portfolio(srv_req *r, srv_resp *out) { (void)r; todo(out); }
void page_agreement(srv_req *r, srv_resp *out) { (void)r; todo(out); }
void page_calendar(srv_req *r, srv_resp *out) { (void)r; todo(out); }
void page_review(srv_req *r, srv_resp *out) { (void)r; todo(out); }
void page_portal(srv_req *r, srv_resp *out) { (void)r; todo(out); }
