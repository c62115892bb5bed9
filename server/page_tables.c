/*
 * page_tables.c - the agreement page's tables, straight from the state
 * (FORMAT 5): milestones, breaches with their cure countdown, the
 * licensor's and licensee's rights, invoices with the balance, and the
 * red flags of the reported periods.
 */
#include <string.h>

#include "page.h"

static void cell_date(srv_buf *b, lic_date d)
{
    srv_buf_puts(b, "<td>");
    page_date(b, d);
    srv_buf_puts(b, "</td>");
}

static void cell_text(srv_buf *b, const char *s)
{
    srv_buf_puts(b, "<td>");
    if (s)
        srv_buf_html(b, s);
    else
        srv_buf_puts(b, "<span class=\"dim\">—</span>");
    srv_buf_puts(b, "</td>");
}

static void cell_badge(srv_buf *b, const char *s)
{
    srv_buf_puts(b, "<td>");
    page_badge(b, s);
    srv_buf_puts(b, "</td>");
}

void page_milestones_table(srv_buf *b, const lic_state *st)
{
    srv_buf_puts(b, "<div class=\"tablewrap\"><table class=\"grid\" id=\"milestones\"><thead><tr><th>Milestone</th>"
                    "<th>Title</th><th>Status</th><th>Due</th><th>Achieved</th><th>Note</th></tr></thead>"
                    "<tbody>\n");
    for (size_t i = 0; i < st->nmilestones; i++) {
        const lic_st_milestone *m = &st->milestones[i];
        int k = lic_agreement_milestone_index(st->agreement, m->id);
        srv_buf_puts(b, "<tr><td><b>");
        srv_buf_html(b, m->id);
        srv_buf_puts(b, "</b></td>");
        cell_text(b, k >= 0 ? st->agreement->milestones[k].title : NULL);
        cell_badge(b, m->status);
        cell_date(b, m->due);
        cell_date(b, m->achieved_on);
        srv_buf_puts(b, "<td class=\"dim\">");
        if (m->indeterminate) {
            srv_buf_puts(b, "indeterminate: ");
            srv_buf_html(b, m->indeterminate);
        } else if (m->extensions)
            srv_buf_printf(b, "%d extension%s", m->extensions, m->extensions == 1 ? "" : "s");
        else if (m->shifted_days)
            srv_buf_printf(b, "moved %d days", m->shifted_days);
        srv_buf_puts(b, "</td></tr>\n");
    }
    srv_buf_puts(b, "</tbody></table></div>\n");
}

static void cure_cell(srv_buf *b, const lic_st_breach *x, lic_date as_of)
{
    srv_buf_puts(b, "<td>");
    if (x->cure_by == LIC_DATE_NONE) {
        srv_buf_puts(b, "<span class=\"dim\">—</span></td>");
        return;
    }
    page_date(b, x->cure_by);
    bool open = strcmp(x->status, "cured") && strcmp(x->status, "waived");
    int days = (int)(x->cure_by - as_of);
    if (open && days >= 0)
        srv_buf_printf(b, " <span class=\"badge %s\">%d day%s left</span>", days <= 14 ? "bad" : "warn", days,
                       days == 1 ? "" : "s");
    srv_buf_puts(b, "</td>");
}

void page_breaches_table(srv_buf *b, const lic_state *st)
{
    if (!st->nbreaches)
        srv_buf_puts(b, "<p class=\"dim\">No breaches by this date.</p>\n");
    else
        srv_buf_puts(b, "<div class=\"tablewrap\"><table class=\"grid\" id=\"breaches\"><thead><tr><th>Breach</th>"
                        "<th>Class</th><th>Party</th><th>Since</th><th>Notice</th><th>Cure by</th><th>Status</th>"
                        "</tr></thead><tbody>\n");
    for (size_t i = 0; i < st->nbreaches; i++) {
        const lic_st_breach *x = &st->breaches[i];
        srv_buf_puts(b, "<tr>");
        cell_text(b, x->id);
        cell_text(b, x->cls);
        cell_text(b, lic_party_role_name(x->party));
        cell_date(b, x->since);
        cell_date(b, x->notice);
        cure_cell(b, x, st->as_of);
        cell_badge(b, x->status);
        srv_buf_puts(b, "</tr>\n");
    }
    if (st->nbreaches)
        srv_buf_puts(b, "</tbody></table></div>\n");
    if (!st->nrights)
        return;
    srv_buf_puts(b, "<h3>Rights that have arisen</h3><div class=\"tablewrap\"><table class=\"grid\" id=\"rights\">"
                    "<thead><tr><th>Right</th><th>Holder</th><th>Action</th><th>Since</th><th>Until</th>"
                    "<th>Applied</th><th>Status</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < st->nrights; i++) {
        const lic_st_right *x = &st->rights[i];
        srv_buf_puts(b, "<tr>");
        cell_text(b, x->id);
        cell_text(b, lic_party_role_name(x->holder));
        cell_text(b, x->remedy ? lic_action_name(x->remedy->action) : NULL);
        cell_date(b, x->since);
        cell_date(b, x->until);
        cell_date(b, x->applied ? x->applied_on : LIC_DATE_NONE);
        cell_badge(b, x->status);
        srv_buf_puts(b, "</tr>\n");
    }
    srv_buf_puts(b, "</tbody></table></div>\n");
}

static void amount_cell(srv_buf *b, lic_amount a, bool known, const lic_currency *c, bool strong)
{
    srv_buf_puts(b, strong ? "<td class=\"num over\">" : "<td class=\"num\">");
    if (known)
        page_amount(b, a, c);
    else
        page_money(b, NULL, NULL);
    srv_buf_puts(b, "</td>");
}

static void balance(srv_buf *b, const lic_state *st)
{
    const lic_currency *c = st->agreement->currency;
    srv_buf_puts(b, "<dl class=\"balance\"><div><dt>Open</dt><dd>");
    if (st->balance.known)
        page_amount(b, st->balance.open, c);
    else
        page_money(b, NULL, NULL);
    srv_buf_printf(b, "</dd></div><div class=\"%s\"><dt>Overdue</dt><dd>", st->balance.overdue ? "over" : "");
    if (st->balance.overdue_known)
        page_amount(b, st->balance.overdue, c);
    else
        page_money(b, NULL, NULL);
    srv_buf_puts(b, "</dd></div><div><dt>Late interest</dt><dd>");
    page_amount(b, st->balance.interest, c);
    srv_buf_puts(b, "</dd></div><div><dt>Credit</dt><dd>");
    page_amount(b, st->balance.credit, c);
    srv_buf_puts(b, "</dd></div></dl>\n");
}

void page_invoices_table(srv_buf *b, const lic_state *st)
{
    const lic_currency *c = st->agreement->currency;
    balance(b, st);
    if (!st->ninvoices) {
        srv_buf_puts(b, "<p class=\"dim\">No invoices by this date.</p>\n");
        return;
    }
    srv_buf_puts(b, "<div class=\"tablewrap\"><table class=\"grid\" id=\"invoices\"><thead><tr><th>Invoice</th>"
                    "<th>Kind</th><th class=\"num\">Amount</th><th>Due</th><th class=\"num\">Paid</th>"
                    "<th>Paid on</th><th class=\"num\">Interest</th><th>Status</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < st->ninvoices; i++) {
        const lic_st_invoice *x = &st->invoices[i];
        bool overdue = !strcmp(x->status, "overdue");
        srv_buf_printf(b, "<tr%s>", overdue ? " class=\"row-bad\"" : "");
        cell_text(b, x->id);
        cell_text(b, x->kind);
        amount_cell(b, x->amount, x->known, c, false);
        cell_date(b, x->due);
        amount_cell(b, x->paid, true, c, false);
        cell_date(b, x->paid_on);
        amount_cell(b, x->interest, x->interest_known, c, overdue && x->interest);
        cell_badge(b, x->status);
        srv_buf_puts(b, "</tr>\n");
    }
    srv_buf_puts(b, "</tbody></table></div>\n");
}

void page_flags_list(srv_buf *b, const lic_state *st)
{
    if (!st->nflags) {
        srv_buf_puts(b, "<p class=\"dim\">No red flags.</p>\n");
        return;
    }
    srv_buf_puts(b, "<ul class=\"flags\" id=\"flags-list\">");
    for (size_t i = 0; i < st->nflags; i++) {
        const lic_st_flag *f = &st->flags[i];
        srv_buf_puts(b, "<li><span class=\"badge bad\">");
        srv_buf_html(b, f->kind);
        srv_buf_puts(b, "</span>");
        if (f->period) {
            srv_buf_puts(b, " <b>");
            srv_buf_html(b, f->period);
            srv_buf_puts(b, "</b>");
        }
        srv_buf_puts(b, " ");
        srv_buf_html(b, f->detail);
        srv_buf_puts(b, "</li>");
    }
    srv_buf_puts(b, "</ul>\n");
}
