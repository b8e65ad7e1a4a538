#include "core/contention.h"

bool contention_side_by_side(struct contention *c)
{
    return c->changes >= c->alone_until;
}

void contention_count(struct contention *c, bool beside, bool ran_again)
{
    uint64_t n = ++c->changes;
    if (!beside)
        return;
    if (ran_again)
        c->window_again++;
    if (++c->window_changes != CONTENTION_WINDOW)   /* one thread ends each window */
        return;
    uint64_t again = c->window_again;
    c->window_changes = 0;
    c->window_again = 0;
    if (again * 100 <= (uint64_t)CONTENTION_HOT_PERCENT * CONTENTION_WINDOW) {
        c->streak = 0;
        return;
    }
    uint64_t doublings = c->streak < CONTENTION_COOL_MAX_DOUBLINGS ? c->streak : CONTENTION_COOL_MAX_DOUBLINGS;
    c->alone_until = n + ((uint64_t)CONTENTION_COOL << doublings);
    c->streak++;
    c->cooled++;
}
