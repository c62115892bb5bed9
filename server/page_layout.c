/*
 * page_layout.c - the frame every HTML page is drawn in: the document
 * head (style sheet, script, icon, the session's CSRF token for the
 * script), the header with the signed-in user and sign-out, the nav for
 * the user's role, and the answer itself.
 *
 * The nav is a table, one row per entry, with the roles that see it; the
 * route table (route.c) still decides who may open each page, the nav
 * only avoids showing links that would bounce.
 */
#include <string.h>

#include "page.h"

typedef struct nav_entry {
    const char *key, *href, *label;
    bool staff, licensee; /* who sees the entry */
    bool admin;           /* only admins (of the staff) see it */
    bool dated;           /* the chosen date travels with it */
} nav_entry;

static const nav_entry nav[] = {
    {"portfolio", "/portfolio", "Portfolio", true, false, false, true},
    {"calendar", "/calendar", "Next 90 days", true, false, false, true},
    {"review", "/review", "Review queue", true, false, false, false},
    {"portal", "/portal", "My agreements", false, true, false, true},
    {"users", "/admin/users", "Users", true, false, true, false},
};

static void head(srv_buf *b, const srv_req *r, const char *title)
{
    srv_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    srv_buf_html(b, title);
    srv_buf_puts(b, " · licet</title>\n");
    /* The script reads the token here and sends it in X-CSRF-Token: a
     * cookie alone never changes anything (route.c). */
    if (r->via_cookie) {
        srv_buf_puts(b, "<meta name=\"csrf-token\" content=\"");
        srv_buf_html(b, r->csrf);
        srv_buf_puts(b, "\">\n");
    }
    srv_buf_puts(b, "<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">\n"
                    "<link rel=\"stylesheet\" href=\"/assets/app.css\">\n"
                    "<script src=\"/assets/app.js\" defer></script>\n</head>\n");
}

static void nav_links(srv_buf *b, const srv_req *r, const char *active)
{
    bool licensee = r->user.role == LIC_ROLE_LICENSEE;
    char q[64];
    page_as_of_query(r, q, sizeof q);
    srv_buf_puts(b, "<nav class=\"nav\" aria-label=\"Main\">");
    for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++) {
        if (licensee ? !nav[i].licensee : !nav[i].staff)
            continue;
        if (nav[i].admin && r->user.role != LIC_ROLE_ADMIN)
            continue;
        bool on = active && !strcmp(active, nav[i].key);
        srv_buf_printf(b, "<a href=\"%s", nav[i].href);
        /* The chosen date travels with the dated pages, not to the queue
         * or the users. */
        if (nav[i].dated)
            srv_buf_html(b, q);
        srv_buf_printf(b, "\"%s>%s</a>", on ? " class=\"on\" aria-current=\"page\"" : "", nav[i].label);
    }
    srv_buf_puts(b, "</nav>");
}

static void user_box(srv_buf *b, const srv_req *r)
{
    srv_buf_puts(b, "<div class=\"who\"><span class=\"who-name\" data-testid=\"user\">");
    srv_buf_html(b, r->user.name);
    srv_buf_puts(b, "</span> <span class=\"who-role\">");
    srv_buf_html(b, lic_role_name(r->user.role));
    if (r->user.party[0]) {
        srv_buf_puts(b, " · ");
        srv_buf_html(b, r->user.party);
    }
    srv_buf_puts(b, "</span>");
    /* A real form, so the button is a button; app.js posts it with the
     * CSRF token (the API refuses it without). */
    srv_buf_puts(b, "<form id=\"signout\" class=\"signout\" method=\"post\" action=\"/api/logout\">"
                    "<button type=\"submit\" class=\"btn btn-quiet\">Sign out</button></form></div>");
}

void page_begin(const srv_req *r, srv_buf *b, const char *title, const char *active)
{
    head(b, r, title);
    srv_buf_puts(b, "<body>\n<header class=\"top\"><div class=\"top-in\">"
                    "<a class=\"brand\" href=\"/\"><img src=\"/assets/favicon.svg\" alt=\"\" width=\"22\" "
                    "height=\"22\"> licet</a>");
    if (r->authed) {
        nav_links(b, r, active);
        user_box(b, r);
    }
    srv_buf_puts(b, "</div></header>\n<main class=\"main\">\n");
}

void page_end(srv_buf *b)
{
    srv_buf_puts(b, "</main>\n<footer class=\"foot\">licet · amounts are exact, in each agreement's "
                    "currency · dates are calendar dates</footer>\n</body>\n</html>\n");
}

void page_send(srv_resp *out, unsigned status, srv_buf *b)
{
    srv_buf_free(&out->body);
    if (b->oom) {
        srv_buf_free(b);
        srv_error(out, 500, "out of memory");
        return;
    }
    out->status = status;
    out->ctype = "text/html; charset=utf-8";
    out->body = *b;
    *b = (srv_buf){0};
}

void page_fail(const srv_req *r, srv_resp *out, unsigned status, const char *message)
{
    srv_buf b = {0};
    page_begin(r, &b, "Something went wrong", NULL);
    srv_buf_printf(&b, "<section class=\"card\"><h1>Error %u</h1><p class=\"err\" role=\"alert\">", status);
    srv_buf_html(&b, message);
    srv_buf_puts(&b, "</p><p><a href=\"/\">Back to the start page</a></p></section>\n");
    page_end(&b);
    page_send(out, status, &b);
}
