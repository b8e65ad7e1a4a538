/* Enters a planned demo year (core/demo_year) through the service
 * functions, event by event, each on its own day: the services' context
 * says that day is today, so every rule about dates (nothing held in the
 * future, consent before discussion, feedback after the meeting) is
 * checked as if a person had typed it then.  A refusal means the plan is
 * wrong: the load stops and says which event failed. */
#ifndef TAS_CLI_DEMO_YEAR_LOAD_H
#define TAS_CLI_DEMO_YEAR_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "core/demo.h"
#include "core/demo_year.h"
#include "store/store.h"

struct demo_year_ids {
    int64_t services[DY_SERVICE__COUNT];
    int64_t teams[DY_MAX_TEAMS];
    int64_t practitioners[DY_MAX_PRACTITIONERS];
    size_t meetings_held, meetings_cancelled, meetings_planned, pupils, actions, outcomes;
};

/* Seconds for an event on a day: 08:00 UTC plus seq seconds (keeps the
 * order of a day's events in their timestamps). */
int64_t demo_year_clock(int32_t day, int64_t seq);

/* plan: the authority already loaded (ids filled in).  coordinator_id and
 * lead_id: the demo accounts that coordinate and lead the teams; the
 * coordinator's principal records everything.  0 ok; -1 after printing
 * why. */
int demo_year_load(struct store *s, const struct demo_plan *plan, const struct demo_year *y,
                   int64_t coordinator_id, int64_t lead_id, struct demo_year_ids *out);

/* After the year: link the demo practitioner account to its practitioner
 * record, add the supported pupils' outcome records (as their schools
 * would send them), and plan the current year's remaining meetings of
 * every team from today.  0 ok; -1 after printing why. */
int demo_year_finish(struct store *s, const struct demo_plan *plan, const struct demo_year *y,
                     int64_t coordinator_id, int64_t practitioner_user_id, int64_t now,
                     struct demo_year_ids *ids);

#endif
