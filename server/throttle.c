/*
 * throttle.c - slowing down password guessing.  After THROTTLE_FAILS
 * failed sign-ins for one name within THROTTLE_WINDOW seconds, that name
 * is refused for THROTTLE_LOCK seconds, whatever the password.  Names
 * that do not exist count the same, so the answer says nothing about
 * which names do.  The count lives in this process only (a few hundred
 * bytes per name, in a fixed table): several servers behind a load
 * balancer each allow as many guesses, which argon2id's cost per guess
 * still keeps slow.
 */
#include <pthread.h>
#include <string.h>

#include "srv.h"

#define THROTTLE_FAILS 5
#define THROTTLE_WINDOW 900
#define THROTTLE_LOCK 300
#define SLOTS 1024

typedef struct slot {
    char name[64];
    int fails;
    int64_t first, locked_until;
} slot;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static slot slots[SLOTS];

/* The slot of name; a name that lands on another's slot takes it over
 * (the table is a bound on memory, not a record). */
static slot *slot_of(const char *name)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    slot *s = &slots[h % SLOTS];
    if (strcmp(s->name, name)) {
        memset(s, 0, sizeof *s);
        snprintf(s->name, sizeof s->name, "%s", name);
    }
    return s;
}

bool srv_throttle_blocked(const char *name, int64_t now, int64_t *retry_after)
{
    pthread_mutex_lock(&lock);
    slot *s = slot_of(name);
    bool blocked = s->locked_until > now;
    *retry_after = blocked ? s->locked_until - now : 0;
    pthread_mutex_unlock(&lock);
    return blocked;
}

void srv_throttle_failed(const char *name, int64_t now)
{
    pthread_mutex_lock(&lock);
    slot *s = slot_of(name);
    if (!s->fails || now - s->first > THROTTLE_WINDOW)
        s->fails = 0, s->first = now;
    if (++s->fails >= THROTTLE_FAILS) {
        s->locked_until = now + THROTTLE_LOCK;
        s->fails = 0;
    }
    pthread_mutex_unlock(&lock);
}

void srv_throttle_passed(const char *name)
{
    pthread_mutex_lock(&lock);
    slot *s = slot_of(name);
    s->fails = 0;
    pthread_mutex_unlock(&lock);
}
