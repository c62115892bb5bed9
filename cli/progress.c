/*
 * progress.c - progress lines on stderr for the long imports (`licet
 * import-sales`, `licet import`): on when stderr is a terminal, or when
 * --progress asks for it; silent otherwise.
 *
 * The library calls the hook often (every 1024 lines, every row); the
 * hook looks at the clock and prints at most once a second, nothing in
 * the first second.  On a terminal the line is rewritten in place
 * (\r ... erase to the end of the line); elsewhere each report is a line
 * of its own.  When --progress was given, a last line says how much was
 * done in how long, however short it was.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void cli_progress_init(cli_progress *p, const char *cmd, bool forced)
{
    *p = (cli_progress){.cmd = cmd, .forced = forced};
    p->tty = isatty(STDERR_FILENO) == 1;
    p->on = forced || p->tty;
    p->start = p->last = p->phase_start = now_seconds();
}

/* What a phase counts, for the line. */
static const char *unit_of(const char *phase)
{
    if (!strcmp(phase, "reading") || !strcmp(phase, "storing"))
        return "lines";
    if (!strcmp(phase, "agreements"))
        return "agreement versions";
    return "ledger rows";
}

/* "12000 of 40000 ledger rows (30.0%), 8000/s, ETA 3 s" and the like. */
static void format_line(const cli_progress *p, double t, char *buf, size_t len)
{
    const lic_pf_progress_info *i = &p->info;
    double dt = t - p->phase_start > 0.001 ? t - p->phase_start : 0.001;
    int n = snprintf(buf, len, "%s%llu", strcmp(i->phase, "storing") ? " " : " storing ", (unsigned long long)i->done);
    if (i->total)
        n += snprintf(buf + n, len - (size_t)n, " of %llu", (unsigned long long)i->total);
    n += snprintf(buf + n, len - (size_t)n, " %s", unit_of(i->phase));
    if (!strcmp(i->phase, "storing"))
        return;
    if (i->total_bytes)
        n += snprintf(buf + n, len - (size_t)n, ", %.1f of %.1f MB (%.0f%%)", (double)i->bytes / 1e6,
                      (double)i->total_bytes / 1e6, 100.0 * (double)i->bytes / (double)i->total_bytes);
    else if (i->total)
        n += snprintf(buf + n, len - (size_t)n, " (%.0f%%)", 100.0 * (double)i->done / (double)i->total);
    n += snprintf(buf + n, len - (size_t)n, ", %.0f %s/s", (double)i->done / dt,
                  !strcmp(i->phase, "reading") ? "lines" : !strcmp(i->phase, "ledger") ? "rows" : "versions");
    if (i->bytes)
        n += snprintf(buf + n, len - (size_t)n, ", %.1f MB/s", (double)i->bytes / 1e6 / dt);
    double left = i->total_bytes && i->bytes ? dt * (double)(i->total_bytes - i->bytes) / (double)i->bytes
                  : i->total && i->done ? dt * (double)(i->total - i->done) / (double)i->done : -1;
    if (left >= 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, ", ETA %.0f s", left);
}

static void print_line(cli_progress *p, double t)
{
    char line[300];
    format_line(p, t, line, sizeof line);
    if (p->tty)
        fprintf(stderr, "\r%s:%s\033[K", p->cmd, line);
    else
        fprintf(stderr, "%s:%s\n", p->cmd, line);
    fflush(stderr);
    p->shown = true;
    p->last = t;
}

static void on_progress(void *ctx, const lic_pf_progress_info *i)
{
    cli_progress *p = ctx;
    bool new_phase = !p->info.phase || strcmp(p->info.phase, i->phase);
    double t = now_seconds();
    if (new_phase)
        p->phase_start = t;
    p->info = *i;
    if (t - p->start >= 1.0 && (new_phase || t - p->last >= 1.0))
        print_line(p, t);
}

const lic_pf_progress *cli_progress_hook(cli_progress *p, lic_pf_progress *hook)
{
    *hook = (lic_pf_progress){on_progress, p};
    return p->on ? hook : NULL;
}

void cli_progress_done(cli_progress *p, bool ok)
{
    if (!p->on)
        return;
    if (p->tty && p->shown)
        fputs(ok ? "\r\033[K" : "\n", stderr);
    if (ok && (p->forced || p->shown) && p->info.phase) {
        const char *unit = unit_of(p->info.phase);
        int n = (int)strlen(unit) - (p->info.done == 1); /* "1 line" */
        fprintf(stderr, "%s: done, %llu %.*s in %.1f s\n", p->cmd, (unsigned long long)p->info.done, n, unit,
                now_seconds() - p->start);
    }
    else if (ok && p->forced)
        fprintf(stderr, "%s: done in %.1f s\n", p->cmd, now_seconds() - p->start);
}
