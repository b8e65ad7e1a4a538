/* When changes that may run side by side (PostgreSQL, web/dispatch.c)
 * should take turns instead.  Side by side pays only while conflicts are
 * rare: where many changes meet on the same few rows (small tables, one
 * busy record), most would run two or three times and then queue for a
 * last try alone, slower than taking turns from the start.  So the
 * changes that ran side by side are counted in windows of
 * CONTENTION_WINDOW; when more than CONTENTION_HOT_PERCENT of a window had
 * to run again, the next CONTENTION_COOL changes take turns, then side by
 * side is tried again; each hot window straight after another doubles the
 * turns taken (up to CONTENTION_COOL_MAX_DOUBLINGS times), so a workload
 * that always meets spends little time finding it out again.  Safe to
 * share between threads; the counts are approximate under races (a window
 * may lose a few), never wrong in kind. */
#ifndef TAS_CORE_CONTENTION_H
#define TAS_CORE_CONTENTION_H

#include <stdbool.h>
#include <stdint.h>

enum { CONTENTION_WINDOW = 256, CONTENTION_HOT_PERCENT = 10, CONTENTION_COOL = 1024, CONTENTION_COOL_MAX_DOUBLINGS = 5 };

struct contention {
    _Atomic uint64_t changes;          /* every change counted */
    _Atomic uint64_t window_changes;   /* side by side, in this window */
    _Atomic uint64_t window_again;     /* of those, run again */
    _Atomic uint64_t alone_until;      /* take turns while changes < this */
    _Atomic uint64_t cooled;           /* windows found too contended */
    _Atomic uint64_t streak;           /* of them, straight after each other */
};

/* Whether the next change may run side by side. */
bool contention_side_by_side(struct contention *c);
/* Counts a change: whether it ran side by side, and whether it had to run
 * again after a conflict. */
void contention_count(struct contention *c, bool beside, bool ran_again);

#endif
