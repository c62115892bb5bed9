/*
 * page_login.c - the sign-in page and the start page.
 *
 * Signing in is the API's (POST /api/login sets the session cookie); the
 * page is only the form, which app.js posts as JSON.  The start page
 * sends each user where their work is: a licensee to its portal, the
 * licensor's staff to the portfolio, and anyone not signed in to /login.
 */
#include "page.h"

void page_login(srv_req *r, srv_resp *out)
{
    if (r->authed) {
        srv_redirect(out, "/");
        return;
    }
    srv_buf b = {0};
    page_begin(r, &b, "Sign in", NULL);
    srv_buf_puts(&b,
                 "<section class=\"card login\">\n<h1>Sign in</h1>\n"
                 "<p class=\"dim\">The licensor's dashboard and the licensee portal.</p>\n"
                 "<form id=\"login-form\" class=\"stack\" method=\"post\" action=\"/api/login\">\n"
                 "<label>Name <input name=\"name\" autocomplete=\"username\" required maxlength=\"63\" "
                 "autofocus></label>\n"
                 "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" "
                 "required></label>\n"
                 "<p id=\"login-error\" class=\"err\" role=\"alert\" hidden></p>\n"
                 "<button type=\"submit\" class=\"btn btn-primary\">Sign in</button>\n"
                 "</form>\n"
                 "<noscript><p class=\"err\">Signing in needs JavaScript (the page's own script, "
                 "nothing from elsewhere).</p></noscript>\n"
                 "</section>\n");
    page_end(&b);
    page_send(out, 200, &b);
}

void page_home(srv_req *r, srv_resp *out)
{
    if (!r->authed)
        srv_redirect(out, "/login");
    else if (r->user.role == LIC_ROLE_LICENSEE)
        srv_redirect(out, "/portal");
    else
        srv_redirect(out, "/portfolio");
}
