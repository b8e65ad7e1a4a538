/* Sign-in throttling: growing delays after repeated failures, then a
 * temporary lock.  Pure arithmetic over a small state so it is tested
 * without clocks or a database. */
#ifndef TAS_CORE_THROTTLE_H
#define TAS_CORE_THROTTLE_H

#include <stdint.h>

struct throttle_rules {
    int free_failures;      /* failures allowed before any delay (3) */
    int max_delay;          /* cap on the delay in seconds (60) */
    int lock_after;         /* failures that lock the key (10) */
    int lock_seconds;       /* how long a lock lasts (900) */
    int first_delay;        /* seconds of the first delay, doubling after (1) */
};

struct throttle_state {
    int64_t failures;
    int64_t next_attempt_at;
    int64_t locked_until;
    int64_t last_failure;       /* when the last failure was recorded; 0 none */
};

extern const struct throttle_rules throttle_default_rules;

enum throttle_verdict { THROTTLE_ALLOW = 0, THROTTLE_WAIT, THROTTLE_LOCKED };

/* May an attempt be made now?  *wait_seconds says how long until it may. */
enum throttle_verdict throttle_check(const struct throttle_state *s, int64_t now,
                                     int64_t *wait_seconds);
/* Records a failed attempt made at now.  Failures older than lock_seconds
 * (with no lock in force) are forgotten first, so the odd mistyped password
 * over a day never adds up to a lock. */
void throttle_fail(const struct throttle_rules *r, struct throttle_state *s, int64_t now);

#endif
