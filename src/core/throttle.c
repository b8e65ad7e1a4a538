#include "core/throttle.h"

const struct throttle_rules throttle_default_rules = {3, 60, 10, 900, 1};

enum throttle_verdict throttle_check(const struct throttle_state *s, int64_t now,
                                     int64_t *wait_seconds)
{
    *wait_seconds = 0;
    if (s->locked_until > now) {
        *wait_seconds = s->locked_until - now;
        return THROTTLE_LOCKED;
    }
    if (s->next_attempt_at > now) {
        *wait_seconds = s->next_attempt_at - now;
        return THROTTLE_WAIT;
    }
    return THROTTLE_ALLOW;
}

void throttle_fail(const struct throttle_rules *r, struct throttle_state *s, int64_t now)
{
    /* After a lock has run out, start counting afresh so one more slip does
     * not lock the account again at once. */
    if (s->locked_until && s->locked_until <= now && s->failures >= r->lock_after)
        s->failures = 0, s->locked_until = 0;
    if (s->locked_until <= now && s->last_failure && now - s->last_failure > r->lock_seconds)
        s->failures = 0;
    s->last_failure = now;
    s->failures++;
    if (s->failures >= r->lock_after) {
        s->locked_until = now + r->lock_seconds;
        s->next_attempt_at = s->locked_until;
        return;
    }
    if (s->failures > r->free_failures) {
        int64_t shift = s->failures - r->free_failures - 1;
        int64_t first = r->first_delay > 0 ? r->first_delay : 1;
        int64_t delay = shift >= 30 ? r->max_delay : first << shift;
        if (delay > r->max_delay)
            delay = r->max_delay;
        s->next_attempt_at = now + delay;
    }
}
