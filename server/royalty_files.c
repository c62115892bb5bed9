/*
 * royalty_files.c - a royalty statement as a download: CSV (one row per
 * band, as `licet royalties --csv`) or an XLSX workbook (libxlsxwriter,
 * which writes only to a file: a temporary one, read back and removed).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cmd.h"
#include "srv.h"

/* The whole of an open file, from its start, into the body. */
static bool slurp(FILE *f, srv_buf *b)
{
    char chunk[65536];
    size_t n;
    rewind(f);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        srv_buf_put(b, chunk, n);
    return !ferror(f) && !b->oom;
}

static void attach(srv_resp *out, const lic_state *s, const lic_st_statement *x, const char *ext)
{
    char ps[LIC_PERIOD_STRLEN], disp[300];
    lic_period_str(x->st->period, ps);
    snprintf(disp, sizeof disp, "attachment; filename=\"%s-%s.%s\"", s->agreement->id, ps, ext);
    srv_add_header(out, "Content-Disposition", disp);
}

static void as_csv(srv_resp *out, const lic_state *s, const lic_st_statement *x)
{
    FILE *f = tmpfile();
    srv_buf b = {0};
    bool ok = f && !cli_royalties_csv(f, s, x) && !fflush(f) && slurp(f, &b);
    if (f)
        fclose(f);
    if (!ok) {
        srv_buf_free(&b);
        srv_error(out, 500, "the statement could not be written");
        return;
    }
    out->status = 200;
    out->ctype = "text/csv; charset=utf-8";
    out->body = b;
    attach(out, s, x, "csv");
}

static void as_xlsx(srv_resp *out, const lic_state *s, const lic_st_statement *x)
{
    char path[] = "/tmp/licet-statement-XXXXXX";
    int fd = mkstemp(path);
    srv_buf b = {0};
    bool ok = fd >= 0 && !cli_royalties_xlsx(path, s, x);
    FILE *f = ok ? fopen(path, "rb") : NULL;
    ok = f && slurp(f, &b);
    if (f)
        fclose(f);
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
    if (!ok) {
        srv_buf_free(&b);
        srv_error(out, 500, "the workbook could not be written");
        return;
    }
    out->status = 200;
    out->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    out->body = b;
    attach(out, s, x, "xlsx");
}

void srv_royalties_file(srv_req *r, srv_resp *out, const lic_state *s, const lic_st_statement *x,
                        const char *format)
{
    (void)r;
    if (!strcmp(format, "csv"))
        as_csv(out, s, x);
    else
        as_xlsx(out, s, x);
}
