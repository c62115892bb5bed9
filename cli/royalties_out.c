/*
 * royalties_out.c - a royalty statement for spreadsheets: CSV (RFC 4180,
 * one row per band, then the true-ups, credits and the total, told apart
 * by the first column) and an .xlsx workbook (libxlsxwriter) with the same
 * rows under a header.  Amounts in the CSV are the exact decimal strings;
 * in the workbook they are numbers, as spreadsheets hold them (binary
 * floating point, exact to the cent below 10^13), formatted to the
 * currency's digits, so finance can sum them.  The total_due row carries
 * the due date in the last column.
 */
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "cmd.h"

#define NCOLS 15
static const char *const header[NCOLS] = {
    "kind", "period", "schedule", "country", "product", "status", "gross", "deductions_allowed",
    "net_sales", "rate", "base", "band_royalty", "royalty", "stacking_reduction", "due"};

/* One output row as strings; `num` marks the amount columns. */
typedef struct row {
    char c[NCOLS][64];
} row;

static bool is_amount(int col)
{
    return col >= 6 && col != 9 && col != 14;
}

static void amount(row *r, int col, lic_amount v, int digits)
{
    lic_amount_format(v, digits, r->c[col], sizeof r->c[col]);
}

/* Calls out(r, u) for every row of the statement. */
static int rows(const lic_state *s, const lic_st_statement *x, int (*out)(const row *, void *), void *u)
{
    const lic_roy_statement *st = x->st;
    int dg = s->agreement->currency->digits, rc = 0;
    char ps[LIC_PERIOD_STRLEN];
    lic_period_str(st->period, ps);
    for (size_t i = 0; i < st->nlines && !rc; i++) {
        const lic_roy_line *l = &st->lines[i];
        for (size_t b = 0; b < (l->nbands ? l->nbands : 1) && !rc; b++) {
            row r = {0};
            snprintf(r.c[0], 64, "line");
            snprintf(r.c[1], 64, "%s", ps);
            snprintf(r.c[2], 64, "%s", l->schedule ? l->schedule : "");
            snprintf(r.c[3], 64, "%s", lic_country_code(l->country));
            snprintf(r.c[4], 64, "%s", l->product ? l->product : "");
            snprintf(r.c[5], 64, "%s", lic_roy_status_name(l->status));
            amount(&r, 6, l->gross, dg), amount(&r, 7, l->deductions_allowed, dg), amount(&r, 8, l->net_sales, dg);
            if (l->nbands) {
                const lic_roy_band *bd = &l->bands[b];
                if (bd->is_fixed)
                    amount(&r, 9, bd->fixed, dg);
                else
                    lic_rate_format_percent(bd->rate, r.c[9], sizeof r.c[9]);
                amount(&r, 10, bd->base, dg), amount(&r, 11, bd->royalty, dg);
            }
            amount(&r, 12, l->royalty, dg), amount(&r, 13, l->stacking_reduction, dg);
            rc = out(&r, u);
        }
    }
    for (size_t i = 0; i < st->ntrue_ups && !rc; i++) {
        row r = {0};
        snprintf(r.c[0], 64, "true_up"), snprintf(r.c[1], 64, "%s", ps);
        snprintf(r.c[2], 64, "%s", st->true_ups[i].schedule);
        amount(&r, 12, st->true_ups[i].amount, dg);
        rc = out(&r, u);
    }
    for (size_t i = 0; i < x->ncredits && !rc; i++) {
        row r = {0};
        snprintf(r.c[0], 64, "credit"), snprintf(r.c[1], 64, "%s", ps);
        snprintf(r.c[5], 64, "%s", x->credits[i].kind);
        amount(&r, 12, -x->credits[i].amount, dg);
        rc = out(&r, u);
    }
    row r = {0};
    snprintf(r.c[0], 64, "total_due"), snprintf(r.c[1], 64, "%s", ps);
    if (x->due != LIC_DATE_NONE)
        lic_date_str(x->due, r.c[14]);
    if (st->known)
        amount(&r, 12, x->total_due, dg);
    return rc ? rc : out(&r, u);
}

static void csv_field(FILE *f, const char *v)
{
    if (!strpbrk(v, ",\"\r\n")) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
    for (; *v; v++) {
        if (*v == '"')
            fputc('"', f);
        fputc(*v, f);
    }
    fputc('"', f);
}

static int csv_row(const row *r, void *u)
{
    FILE *f = u;
    for (int i = 0; i < NCOLS; i++) {
        if (i)
            fputc(',', f);
        csv_field(f, r->c[i]);
    }
    fputs("\r\n", f);
    return ferror(f) ? 1 : 0;
}

int cli_royalties_csv(FILE *f, const lic_state *s, const lic_st_statement *x)
{
    row h;
    for (int i = 0; i < NCOLS; i++)
        snprintf(h.c[i], sizeof h.c[i], "%s", header[i]);
    return csv_row(&h, f) || rows(s, x, csv_row, f) ? 1 : 0;
}

typedef struct sheet {
    lxw_worksheet *ws;
    lxw_format *num;
    lxw_row_t at;
} sheet;

static int xlsx_row(const row *r, void *u)
{
    sheet *sh = u;
    for (int i = 0; i < NCOLS; i++) {
        if (!r->c[i][0])
            continue;
        if (is_amount(i) || (i == 10 && strchr(r->c[i], '.')))
            worksheet_write_number(sh->ws, sh->at, (lxw_col_t)i, strtod(r->c[i], NULL), sh->num);
        else
            worksheet_write_string(sh->ws, sh->at, (lxw_col_t)i, r->c[i], NULL);
    }
    sh->at++;
    return 0;
}

int cli_royalties_xlsx(const char *path, const lic_state *s, const lic_st_statement *x)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        fprintf(stderr, "licet royalties: cannot write %s\n", path);
        return 1;
    }
    char ps[LIC_PERIOD_STRLEN], fmt[32] = "#,##0";
    int dg = s->agreement->currency->digits;
    lic_period_str(x->st->period, ps);
    if (dg > 0)
        snprintf(fmt + 5, sizeof fmt - 5, ".%.*s", dg, "000000");
    sheet sh = {workbook_add_worksheet(wb, "Statement"), workbook_add_format(wb), 3};
    format_set_num_format(sh.num, fmt);
    worksheet_write_string(sh.ws, 0, 0, s->agreement->id, NULL);
    worksheet_write_string(sh.ws, 0, 1, ps, NULL);
    worksheet_write_string(sh.ws, 0, 2, s->agreement->currency->code, NULL);
    for (int i = 0; i < NCOLS; i++)
        worksheet_write_string(sh.ws, 2, (lxw_col_t)i, header[i], NULL);
    rows(s, x, xlsx_row, &sh);
    lxw_error err = workbook_close(wb);
    if (err) {
        fprintf(stderr, "licet royalties: cannot write %s: %s\n", path, lxw_strerror(err));
        return 1;
    }
    return 0;
}
