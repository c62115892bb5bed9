/*
 * page_users.c - /admin/users (admin only, route.c): the accounts of the
 * store with their role, party and whether they are disabled; a form to
 * add a user; per user, a button to disable or enable it and a form to
 * set its password.
 *
 * The list is the one GET /api/users serves, run through page_api, so
 * the page and the API cannot disagree.  The buttons and forms carry
 * data-* attributes only: app.js posts them to POST /api/users and
 * /api/users/{name}/disable|enable|password with the CSRF token and
 * reloads or says what the server answered.
 */
#include <string.h>

#include "page.h"

static const char *const roles[] = {"manager", "auditor", "licensee", "admin"};

static void attr(srv_buf *b, const char *name, const char *value)
{
    srv_buf_printf(b, " %s=\"", name);
    srv_buf_html(b, value ? value : "");
    srv_buf_puts(b, "\"");
}

/* The disable/enable button; none on the admin's own row (the API
 * refuses it: an admin does not lock itself out). */
static void toggle_button(srv_buf *b, const char *name, bool disabled, bool self)
{
    if (self) {
        srv_buf_puts(b, "<span class=\"dim\">you</span>");
        return;
    }
    srv_buf_printf(b, "<button type=\"button\" class=\"btn btn-small%s\"", disabled ? "" : " btn-danger");
    attr(b, "data-user-action", disabled ? "enable" : "disable");
    attr(b, "data-user", name);
    srv_buf_printf(b, ">%s</button>", disabled ? "Enable" : "Disable");
}

static void password_form(srv_buf *b, const char *name)
{
    srv_buf_puts(b, "<form class=\"pw-form\"");
    attr(b, "data-user", name);
    srv_buf_puts(b, "><input type=\"password\" name=\"password\" minlength=\"8\" required "
                    "autocomplete=\"new-password\" aria-label=\"New password for ");
    srv_buf_html(b, name);
    srv_buf_puts(b, "\" placeholder=\"new password\"><button type=\"submit\" class=\"btn btn-small\">"
                    "Set password</button></form>");
}

static void user_row(srv_buf *b, json_t *u, const char *me)
{
    const char *name = page_str(u, "name"), *party = page_str(u, "party");
    bool disabled = json_is_true(json_object_get(u, "disabled"));
    srv_buf_puts(b, "<tr class=\"user-row\"");
    attr(b, "data-user", name);
    srv_buf_puts(b, "><td class=\"user-name\">");
    srv_buf_html(b, name);
    srv_buf_puts(b, "</td><td>");
    srv_buf_html(b, page_str(u, "role"));
    srv_buf_puts(b, "</td><td>");
    if (party)
        srv_buf_html(b, party);
    else
        srv_buf_puts(b, "<span class=\"dim\">—</span>");
    srv_buf_puts(b, "</td><td class=\"user-state\">");
    page_badge(b, disabled ? "disabled" : "active");
    srv_buf_puts(b, "</td><td class=\"actions\">");
    toggle_button(b, name, disabled, name && !strcmp(name, me));
    srv_buf_puts(b, "</td><td>");
    password_form(b, name);
    srv_buf_puts(b, "<p class=\"result\" role=\"status\"></p></td></tr>\n");
}

static void users_table(srv_buf *b, json_t *users, const char *me)
{
    srv_buf_puts(b, "<section class=\"card\"><div class=\"tablewrap\"><table class=\"grid users-table\">"
                    "<thead><tr><th>Name</th><th>Role</th><th>Party</th><th>State</th><th></th>"
                    "<th>Password</th></tr></thead><tbody>\n");
    json_t *u;
    size_t i;
    json_array_foreach(users, i, u) user_row(b, u, me);
    srv_buf_puts(b, "</tbody></table></div></section>\n");
}

static void add_form(srv_buf *b)
{
    srv_buf_puts(b, "<section class=\"card\"><h2>Add a user</h2>"
                    "<form id=\"user-add-form\" class=\"stack\" method=\"post\" action=\"/api/users\">"
                    "<div class=\"row\"><label>Name <input name=\"name\" required maxlength=\"63\" "
                    "pattern=\"[A-Za-z0-9._@\\-]+\" autocomplete=\"off\"></label>"
                    "<label>Role <select name=\"role\">");
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        srv_buf_printf(b, "<option value=\"%s\">%s</option>", roles[i], roles[i]);
    srv_buf_puts(b, "</select></label>"
                    "<label>Party <input name=\"party\" maxlength=\"63\" placeholder=\"a licensee's "
                    "parties.licensee.id\"></label>"
                    "<label>Password <input name=\"password\" type=\"password\" minlength=\"8\" required "
                    "autocomplete=\"new-password\"></label></div>"
                    "<button type=\"submit\" class=\"btn btn-primary\">Add user</button>"
                    "<p id=\"user-add-result\" class=\"result\" role=\"status\"></p></form></section>\n");
}

void page_users(srv_req *r, srv_resp *out)
{
    json_t *list = page_api(r, api_users, NULL, NULL);
    if (!list) {
        page_fail(r, out, 503, "the portfolio store is not available");
        return;
    }
    srv_buf b = {0};
    page_begin(r, &b, "Users", "users");
    srv_buf_puts(&b, "<div class=\"pagehead\"><div><h1>Users</h1><p class=\"sub\">Who may sign in, and as "
                     "what.  A disabled user is signed out at once and its API tokens are refused until it "
                     "is enabled again.</p></div></div>\n");
    users_table(&b, json_object_get(list, "users"), r->user.name);
    add_form(&b);
    page_end(&b);
    json_decref(list);
    page_send(out, 200, &b);
}
