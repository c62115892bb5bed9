/*
 * serve.c - `licet serve`: the HTTP API and the web pages over a
 * portfolio store, with libmicrohttpd (epoll, a thread pool).  Each pool
 * thread opens its own store connection on first use; they are closed
 * when the server stops (SIGINT or SIGTERM).
 */
#define _GNU_SOURCE /* getaddrinfo's AI_NUMERICSERV in glibc's headers */
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../cli/cmd.h"
#include "serve_int.h"

static _Thread_local lic_store *thread_store;

lic_store *srv_thread_store(srv *sv)
{
    if (thread_store)
        return thread_store;
    char err[600];
    lic_store *s = NULL;
    if (lic_store_open(sv->cfg.db, 0, err, sizeof err, &s)) {
        fprintf(stderr, "licet serve: %s\n", err);
        return NULL;
    }
    pthread_mutex_lock(&sv->lock);
    if (sv->nstores == sv->capstores) {
        size_t cap = sv->capstores ? 2 * sv->capstores : 16;
        lic_store **v = realloc(sv->stores, cap * sizeof *v);
        if (v)
            sv->stores = v, sv->capstores = cap;
    }
    bool kept = sv->nstores < sv->capstores;
    if (kept)
        sv->stores[sv->nstores++] = s;
    pthread_mutex_unlock(&sv->lock);
    if (!kept) {
        lic_store_close(s);
        return NULL;
    }
    return thread_store = s;
}

static const char help[] =
    "usage: licet serve [--db URL] [--listen HOST:PORT] [--threads N] [--max-body BYTES]\n"
    "                   [--timeout SECONDS] [--max-connections N] [--session-hours H]\n"
    "                   [--insecure-cookies] [--today DATE]\n"
    "\n"
    "Serves the portfolio store (--db, $LICET_DB or ./licet.db) over HTTP: the JSON\n"
    "API under /api (described at /api/openapi.json), the licensor's dashboard and\n"
    "the licensee portal.  Listens on 127.0.0.1:8080 by default; port 0 picks a free\n"
    "port.  The first line printed is the URL.  Users are made with `licet user add`.\n"
    "--insecure-cookies leaves the Secure flag off the session cookie, for a plain-HTTP\n"
    "set-up other than localhost; put the server behind TLS otherwise.\n"
    "--today DATE makes the server work on DATE instead of the clock's date (the\n"
    "default as-of date, a report's receipt, a review's date): for demonstrations\n"
    "and tests; sessions still expire by the clock.\n"
    "Stops on SIGINT or SIGTERM.\n";

static bool number_arg(const char *opt, const char *v, unsigned long long max, unsigned long long *out)
{
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (!*v || *end || n == 0 || n > max) {
        fprintf(stderr, "licet serve: %s expects a number from 1 to %llu, got \"%s\"\n", opt, max, v);
        return false;
    }
    *out = n;
    return true;
}

/* Sets the numeric option o to v; false (message printed) when v is not
 * a number in range or o is not a numeric option. */
static bool number_opt(srv_config *c, const char *o, const char *v)
{
    static const struct { const char *name; unsigned long long max; } opts[] = {
        {"--threads", 256}, {"--max-body", (unsigned long long)1 << 40}, {"--timeout", 3600},
        {"--max-connections", 100000}, {"--session-hours", 24 * 365},
    };
    size_t i = 0;
    while (i < sizeof opts / sizeof opts[0] && strcmp(o, opts[i].name))
        i++;
    unsigned long long n;
    if (i == sizeof opts / sizeof opts[0]) {
        fprintf(stderr, "licet serve: unexpected argument: %s\n%s", o, help);
        return false;
    }
    if (!number_arg(o, v, opts[i].max, &n))
        return false;
    switch (i) {
    case 0: c->threads = (unsigned)n; break;
    case 1: c->max_body = (size_t)n; break;
    case 2: c->timeout = (unsigned)n; break;
    case 3: c->max_connections = (unsigned)n; break;
    default: c->session_ttl = (int64_t)n * 3600; break;
    }
    return true;
}

static int parse(int argc, char **argv, srv_config *c)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(help, stdout);
            return 0;
        } else if (!strcmp(o, "--insecure-cookies"))
            c->insecure_cookies = true;
        else if (!v) {
            fprintf(stderr, "licet serve: unexpected argument: %s\n%s", o, help);
            return 2;
        } else if (!strcmp(o, "--db"))
            c->db = argv[++i];
        else if (!strcmp(o, "--listen"))
            c->listen = argv[++i];
        else if (!strcmp(o, "--today")) {
            if (!cli_date_arg("serve", o, v, &c->today))
                return 2;
            i++;
        } else if (number_opt(c, o, v))
            i++;
        else
            return 2;
    }
    return -1;
}

/* HOST:PORT (IPv4, or [IPv6]:PORT) as a socket address. */
static struct addrinfo *listen_addr(const char *listen)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host) {
        fprintf(stderr, "licet serve: --listen expects HOST:PORT, got \"%s\"\n", listen);
        return NULL;
    }
    size_t n = (size_t)(colon - listen);
    memcpy(host, listen, n);
    host[n] = '\0';
    if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
        memmove(host, host + 1, n - 2);
        host[n - 2] = '\0';
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *ai = NULL;
    int rc = getaddrinfo(host, colon + 1, &hints, &ai);
    if (rc) {
        fprintf(stderr, "licet serve: --listen %s: %s (give a numeric address, e.g. 127.0.0.1:8080)\n", listen,
                gai_strerror(rc));
        return NULL;
    }
    return ai;
}

/* Opens the store once before listening, so a wrong --db fails at once. */
static bool store_usable(const char *url)
{
    char err[600];
    lic_store *s = NULL;
    if (lic_store_open(url, 0, err, sizeof err, &s)) {
        fprintf(stderr, "licet serve: %s\n", err);
        return false;
    }
    lic_store_close(s);
    return true;
}

/* A connection's memory pool: the request line and headers must fit (a
 * larger head gets 431), and it is where the body is read into before it
 * is handed over.  libmicrohttpd zeroes the used pool after each request,
 * so its size is paid per request: 32 KiB (its default) is twice
 * nginx's largest header buffer set (4 x 8 KiB). */
#define CONNECTION_MEMORY ((size_t)32 * 1024)

static struct MHD_Daemon *start(srv *sv, const struct addrinfo *ai)
{
    /* TURBO: optimistic reads on a keep-alive connection, no shutdown()
     * before close; with epoll, one per pool thread. */
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ERROR_LOG |
                     (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    return MHD_start_daemon(flags, 0, NULL, NULL, srv_on_request, sv,
                            MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                            MHD_OPTION_THREAD_POOL_SIZE, sv->cfg.threads,
                            MHD_OPTION_CONNECTION_LIMIT, sv->cfg.max_connections,
                            MHD_OPTION_CONNECTION_TIMEOUT, sv->cfg.timeout,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY,
                            MHD_OPTION_NOTIFY_COMPLETED, srv_on_completed, sv,
                            MHD_OPTION_END);
}

static void print_url(struct MHD_Daemon *d, const struct addrinfo *ai, const char *listen)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[256];
    const char *colon = strrchr(listen, ':');
    size_t n = (size_t)(colon - listen);
    memcpy(host, listen, n);
    host[n] = '\0';
    (void)ai;
    printf("licet serve: http://%s:%u/\n", host, info ? (unsigned)info->port : 0u);
    fflush(stdout);
}

int cmd_serve(int argc, char **argv)
{
    srv sv = {.cfg = {.listen = "127.0.0.1:8080", .threads = 4, .max_connections = 512, .timeout = 30,
                      .max_body = (size_t)256 << 20, .session_ttl = 12 * 3600,
                      .today = LIC_DATE_NONE}};
    int rc = parse(argc, argv, &sv.cfg);
    if (rc >= 0)
        return rc;
    sv.cfg.db = cli_store_url(sv.cfg.db);
    struct addrinfo *ai = listen_addr(sv.cfg.listen);
    if (!ai || !store_usable(sv.cfg.db)) {
        freeaddrinfo(ai);
        return 1;
    }
    pthread_mutex_init(&sv.lock, NULL);
    /* The pool's threads inherit this mask, so only sigwait sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = start(&sv, ai);
    if (!d) {
        fprintf(stderr, "licet serve: cannot listen on %s (in use, or not an address of this machine)\n",
                sv.cfg.listen);
        rc = 1;
    } else {
        print_url(d, ai, sv.cfg.listen);
        int sig = 0;
        sigwait(&stop, &sig);
        MHD_stop_daemon(d);
        rc = 0;
    }
    freeaddrinfo(ai);
    for (size_t i = 0; i < sv.nstores; i++)
        lic_store_close(sv.stores[i]);
    free(sv.stores);
    srv_cache_free();
    pthread_mutex_destroy(&sv.lock);
    return rc;
}
