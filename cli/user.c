/*
 * user.c - `licet user`: the accounts of `licet serve`, kept in the
 * portfolio store (licet/auth.h): add, list, passwd, token, disable,
 * enable.
 *
 * A password is read from the first line of a file (--password-file) or
 * of the standard input, never from the command line, where every user
 * of the machine could read it (ps, /proc).  On a terminal it is asked
 * for without echo, twice.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "licet/auth.h"

static const char user_help[] =
    "usage: licet user add [--db URL] NAME --role ROLE [--party PARTY] [--password-file FILE]\n"
    "       licet user list [--db URL]\n"
    "       licet user passwd [--db URL] NAME [--password-file FILE]\n"
    "       licet user token [--db URL] NAME [--label LABEL]\n"
    "       licet user disable [--db URL] NAME\n"
    "       licet user enable [--db URL] NAME\n"
    "\n"
    "The accounts of `licet serve`, kept in the portfolio store.\n"
    "  add     creates a user.  NAME is 1-63 letters, digits, '.', '_', '@', '-'.\n"
    "          ROLE is admin, manager, licensee or auditor; a licensee is bound to\n"
    "          PARTY, the licensee's id in its agreements (parties.licensee.id);\n"
    "          the other roles take no party.\n"
    "  list    prints every user: name, role, for a licensee its party, and\n"
    "          \"disabled\" for a disabled one.\n"
    "  passwd  sets a user's password (its sessions and tokens stay valid).\n"
    "  token   creates an API token for the user and prints it: lic_ and 64 hex\n"
    "          digits, shown only this once (the store keeps only its SHA-256).\n"
    "  disable stops a user: it cannot sign in, its sessions end at once and its\n"
    "          API tokens are refused until it is enabled again.\n"
    "  enable  lets a disabled user in again (its API tokens work again).\n"
    "The password (at least 8 bytes) is the first line of FILE, or of the standard\n"
    "input without --password-file (asked for twice on a terminal); never an\n"
    "argument.  Passwords are stored as argon2id hashes.\n"
    "Exit status: 0 done, 1 refused (the message says why), 2 usage.\n";

enum { O_ROLE = 1, O_PARTY = 2, O_PWFILE = 4, O_LABEL = 8 };

typedef struct opts {
    const char *cmd; /* "user add", ... for messages */
    const char *db, *role, *party, *pwfile, *label, *name;
} opts;

/* The password buffer: one byte more than the longest password, to see
 * a longer one, and one for the NUL. */
typedef struct password {
    char v[LIC_AUTH_PASSWORD_MAX + 2];
} password;

static void wipe(void *p, size_t n)
{
    volatile unsigned char *b = p;
    while (n--)
        *b++ = 0;
}

/* The first line of f without its newline (and a CR before it). */
static void read_line(FILE *f, password *pw)
{
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF && c != '\n')
        if (n < sizeof pw->v - 1)
            pw->v[n++] = (char)c;
    if (n && pw->v[n - 1] == '\r')
        n--;
    pw->v[n] = '\0';
}

/* Reads a line from the terminal on stdin without echo, after prompt. */
static void ask(const char *prompt, password *pw)
{
    struct termios old, quiet;
    bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    fputs(prompt, stderr);
    fflush(stderr);
    read_line(stdin, pw);
    if (restore)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
}

/* The password from o->pwfile or stdin; prints why not.  0 or 1. */
static int read_password(const opts *o, password *pw)
{
    if (o->pwfile) {
        FILE *f = fopen(o->pwfile, "r");
        if (!f) {
            fprintf(stderr, "licet %s: cannot read %s: %s\n", o->cmd, o->pwfile, strerror(errno));
            return 1;
        }
        read_line(f, pw);
        fclose(f);
        return 0;
    }
    if (!isatty(STDIN_FILENO)) {
        read_line(stdin, pw);
        return 0;
    }
    password again;
    ask("Password: ", pw);
    ask("Password again: ", &again);
    int differ = strcmp(pw->v, again.v) != 0;
    wipe(&again, sizeof again);
    if (differ)
        fprintf(stderr, "licet %s: the passwords differ\n", o->cmd);
    return differ;
}

static int user_add(lic_store *s, const opts *o)
{
    lic_user u = {0};
    if (!lic_role_parse(o->role, &u.role)) {
        fprintf(stderr, "licet %s: unknown role \"%s\" (admin, manager, licensee or auditor)\n", o->cmd, o->role);
        return 2;
    }
    const char *party = o->party ? o->party : "";
    if (strlen(o->name) >= sizeof u.name || strlen(party) >= sizeof u.party) {
        fprintf(stderr, "licet %s: the %s is longer than 63 characters\n", o->cmd,
                strlen(o->name) >= sizeof u.name ? "name" : "party");
        return 1;
    }
    snprintf(u.name, sizeof u.name, "%s", o->name);
    snprintf(u.party, sizeof u.party, "%s", party);
    password pw;
    int rc = read_password(o, &pw);
    if (!rc && lic_auth_user_add(s, &u, pw.v, (int64_t)time(NULL))) {
        fprintf(stderr, "licet %s: %s\n", o->cmd, lic_store_errmsg(s));
        rc = 1;
    }
    wipe(&pw, sizeof pw);
    if (!rc && u.party[0])
        printf("user %s added (%s of party %s)\n", u.name, lic_role_name(u.role), u.party);
    else if (!rc)
        printf("user %s added (%s)\n", u.name, lic_role_name(u.role));
    return rc;
}

/* name (padded to 24), role, then the party and "disabled" when there
 * are (the role padded to 8 before them); no trailing blanks. */
static int print_user(void *ctx, const lic_user *u)
{
    (void)ctx;
    bool more = u->party[0] || u->disabled;
    printf(more ? "%-24s %-8s" : "%-24s %s", u->name, lic_role_name(u->role));
    if (u->party[0])
        printf(" %s", u->party);
    if (u->disabled)
        printf(" disabled");
    putchar('\n');
    return 0;
}

static int user_list(lic_store *s, const opts *o)
{
    if (lic_auth_users(s, print_user, NULL)) {
        fprintf(stderr, "licet %s: %s\n", o->cmd, lic_store_errmsg(s));
        return 1;
    }
    return 0;
}

static int user_passwd(lic_store *s, const opts *o)
{
    password pw;
    int rc = read_password(o, &pw);
    if (!rc && lic_auth_user_passwd(s, o->name, pw.v)) {
        fprintf(stderr, "licet %s: %s\n", o->cmd, lic_store_errmsg(s));
        rc = 1;
    }
    wipe(&pw, sizeof pw);
    if (!rc)
        printf("user %s: password changed\n", o->name);
    return rc;
}

static int user_token(lic_store *s, const opts *o)
{
    char token[LIC_AUTH_API_TOKEN_LEN + 1];
    if (lic_auth_token_new(s, o->name, o->label, (int64_t)time(NULL), token)) {
        fprintf(stderr, "licet %s: %s\n", o->cmd, lic_store_errmsg(s));
        return 1;
    }
    printf("%s\n", token);
    wipe(token, sizeof token);
    return 0;
}

static int set_disabled(lic_store *s, const opts *o, bool disabled)
{
    if (lic_auth_user_set_disabled(s, o->name, disabled)) {
        fprintf(stderr, "licet %s: %s\n", o->cmd, lic_store_errmsg(s));
        return 1;
    }
    printf("user %s %s\n", o->name, disabled ? "disabled (its sessions ended)" : "enabled");
    return 0;
}

static int user_disable(lic_store *s, const opts *o)
{
    return set_disabled(s, o, true);
}

static int user_enable(lic_store *s, const opts *o)
{
    return set_disabled(s, o, false);
}

static const struct sub {
    const char *name;
    int (*run)(lic_store *s, const opts *o);
    unsigned options; /* the O_ options it takes besides --db */
    bool takes_name;
} subs[] = {
    {"add", user_add, O_ROLE | O_PARTY | O_PWFILE, true},
    {"list", user_list, 0, false},
    {"passwd", user_passwd, O_PWFILE, true},
    {"token", user_token, O_LABEL, true},
    {"disable", user_disable, 0, true},
    {"enable", user_enable, 0, true},
};

static const struct option {
    const char *flag;
    unsigned bit; /* 0: --db, which every subcommand takes */
    size_t field; /* offsetof(opts, ...) */
} options[] = {
    {"--db", 0, offsetof(opts, db)},
    {"--role", O_ROLE, offsetof(opts, role)},
    {"--party", O_PARTY, offsetof(opts, party)},
    {"--password-file", O_PWFILE, offsetof(opts, pwfile)},
    {"--label", O_LABEL, offsetof(opts, label)},
};

/* Prints the message and the help on stderr; returns 2. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(user_help, stderr);
    return 2;
}

/* Parses the arguments after the subcommand into o; -1 to go on, or the
 * exit status. */
static int parse(const struct sub *sub, int argc, char **argv, opts *o)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(user_help, stdout);
            return 0;
        }
        const struct option *opt = NULL;
        for (size_t k = 0; k < sizeof options / sizeof options[0]; k++)
            if (!strcmp(a, options[k].flag))
                opt = &options[k];
        if (opt && opt->bit && !(sub->options & opt->bit))
            return usage_error("licet %s: %s is not an option of this command\n", o->cmd, a);
        if (opt && i + 1 >= argc)
            return usage_error("licet %s: %s needs a value\n", o->cmd, a);
        if (opt)
            *(const char **)((char *)o + opt->field) = argv[++i];
        else if ((a[0] == '-' && a[1]) || !sub->takes_name || o->name)
            return usage_error("licet %s: unexpected argument: %s\n", o->cmd, a);
        else
            o->name = a;
    }
    if (sub->takes_name && !o->name)
        return usage_error("licet %s: which user?\n", o->cmd);
    if ((sub->options & O_ROLE) && !o->role)
        return usage_error("licet %s: --role is required\n", o->cmd);
    return -1;
}

int cmd_user(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(user_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const struct sub *sub = NULL;
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(argv[1], subs[i].name))
            sub = &subs[i];
    if (!sub)
        return usage_error("licet user: unknown subcommand \"%s\"\n", argv[1]);
    char cmd[32];
    snprintf(cmd, sizeof cmd, "user %s", sub->name);
    opts o = {.cmd = cmd};
    int rc = parse(sub, argc, argv, &o);
    if (rc >= 0)
        return rc;
    lic_store *s;
    if (cli_store_open(cmd, cli_store_url(o.db), false, &s))
        return 1;
    rc = sub->run(s, &o);
    lic_store_close(s);
    return rc;
}
