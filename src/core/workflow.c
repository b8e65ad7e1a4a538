/* TAS workflow rules that need no database: consent, agenda order, action
 * states, overdue and review.  Pure functions; dates are day numbers. */
#include "core/workflow.h"

#include "core/codes.h"

#include <stdlib.h>
#include <string.h>

/* ---- Consent ---- */

/* Consent given with a future date does not count yet, so the record that
 * governs today is the latest one given on or before today.  Only when
 * every record is in the future is the answer "not yet". */
enum consent_verdict consent_check(const struct consent_fact *f, size_t n, int32_t today,
                                   int64_t service_id)
{
    if (!f || n == 0)
        return CONSENT_NONE;
    const struct consent_fact *cur = NULL;
    for (size_t i = 0; i < n; i++)
        if (f[i].given_on <= today && (!cur || f[i].given_on >= cur->given_on))
            cur = &f[i];  /* >= so a later entry wins a tie */
    if (!cur)
        return CONSENT_NOT_YET;
    if (cur->withdrawn_on != 0 && cur->withdrawn_on <= today)
        return CONSENT_WITHDRAWN;
    /* Sharing happens through the TAS discussion, so without consent to
     * discuss no service may be told anything either. */
    if (!cur->covers_discussion)
        return CONSENT_NO_DISCUSSION;
    if (service_id == 0)
        return CONSENT_OK;
    for (size_t i = 0; i < cur->nservices && cur->service_ids; i++)
        if (cur->service_ids[i] == service_id)
            return CONSENT_OK;
    return CONSENT_NOT_SERVICE;
}

const char *consent_message(enum consent_verdict v)
{
    switch (v) {
    case CONSENT_OK:
        return "The parent or carer has given consent.";
    case CONSENT_NONE:
        return "There is no record of parental consent for this pupil. Record the parent or "
               "carer's consent before adding them to an agenda.";
    case CONSENT_NOT_YET:
        return "The consent recorded starts on a later date, so it does not apply yet. Check "
               "the date it was given, or wait until then.";
    case CONSENT_WITHDRAWN:
        return "The parent or carer has withdrawn consent. The pupil cannot be discussed "
               "unless new consent is recorded.";
    case CONSENT_NO_DISCUSSION:
        return "The parent or carer has not agreed to the pupil being discussed at the Team "
               "Around the School meeting. Ask them, and record their consent if they agree.";
    case CONSENT_NOT_SERVICE:
        return "The family has not agreed to share information with this service. Ask the "
               "parent or carer, and record the service on their consent if they agree.";
    default:
        return "Consent could not be checked. Check the pupil's consent record.";
    }
}

/* ---- Agenda ---- */

static int cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* A total order, so qsort's instability cannot show. */
static int agenda_cmp(const void *pa, const void *pb)
{
    const struct agenda_entry *a = pa, *b = pb;
    int c;
    if (a->review != b->review)
        return a->review ? -1 : 1;
    if (a->review) {
        if ((c = cmp_i64(b->overdue_actions, a->overdue_actions)))
            return c;
        if ((c = cmp_i64(b->open_actions, a->open_actions)))
            return c;
        /* Longest known first; an unknown first date (0) goes last. */
        if ((a->first_discussed == 0) != (b->first_discussed == 0))
            return a->first_discussed == 0 ? 1 : -1;
        if ((c = cmp_i64(a->first_discussed, b->first_discussed)))
            return c;
    } else if ((c = cmp_i64(a->created, b->created))) {
        return c;
    }
    if ((c = cmp_i64(a->case_id, b->case_id)))
        return c;
    /* Only duplicated case ids get here: settle them on every field. */
    if ((c = cmp_i64(a->created, b->created)))
        return c;
    if ((c = cmp_i64(a->first_discussed, b->first_discussed)))
        return c;
    if ((c = cmp_i64(a->overdue_actions, b->overdue_actions)))
        return c;
    return cmp_i64(a->open_actions, b->open_actions);
}

void agenda_order(struct agenda_entry *e, size_t n)
{
    if (e && n > 1)
        qsort(e, n, sizeof *e, agenda_cmp);
}

/* ---- Actions ---- */

static const char *const status_codes[ACTION_STATUS__COUNT] = {"open", "done", "not_done"};

ENUM_CODES(action_status, enum action_status, status_codes, "")

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (!strchr(" \t\r\n\f\v", *s))
            return false;
    return true;
}

const char *action_transition_check(enum action_status from, enum action_status to,
                                    const char *reason)
{
    if ((unsigned)from >= ACTION_STATUS__COUNT || (unsigned)to >= ACTION_STATUS__COUNT)
        return "Choose whether the action is open, done or not done";
    if (to == ACTION_NOT_DONE && blank(reason))
        return "Give the reason the action was not done";
    return NULL;
}

bool action_overdue(enum action_status s, int32_t due, int32_t today)
{
    return s == ACTION_OPEN && due != 0 && due < today;
}

/* ---- Follow-up ---- */

/* last_discussed 0 means never discussed: a new case waits for its first
 * meeting rather than being "due for review". */
bool case_due_for_review(bool open, int overdue_actions, int open_actions, int32_t last_discussed,
                         int32_t today, int review_after_days)
{
    if (!open)
        return false;
    if (overdue_actions > 0)
        return true;
    return open_actions > 0 && last_discussed != 0 &&
           (int64_t)today - last_discussed > review_after_days;
}
