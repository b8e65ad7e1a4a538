#include "core/audit_words.h"
#include "lib/count.h"

#include <stdio.h>
#include <string.h>

struct word {
    const char *code, *past, *trying;   /* "view", "Viewed", "view" */
};

static const struct word actions[] = {
    {"view", "Viewed", "view"},
    {"list", "Listed", "list"},
    {"create", "Added", "add"},
    {"edit", "Changed", "change"},
    {"status", "Changed the status of", "change the status of"},
    {"close", "Closed", "close"},
    {"reopen", "Reopened", "reopen"},
    {"withdraw", "Recorded the withdrawal of", "withdraw"},
    {"held", "Recorded as held", "record as held"},
    {"cancel", "Cancelled", "cancel"},
    {"reinstate", "Reinstated", "reinstate"},
    {"move", "Moved", "move"},
    {"notes", "Wrote notes on", "write notes on"},
    {"attendance", "Recorded attendance at", "record attendance at"},
    {"plan", "Planned", "plan"},
    {"void", "Voided (entered by mistake)", "void"},
    {"assign", "Assigned a specialist to", "assign a specialist to"},
    {"unassign", "Ended a specialist's work on", "end a specialist's work on"},
    {"unhold", "Undid \"held\" on", "undo \"held\" on"},
    {"delete", "Removed", "remove"},
    {"export", "Exported", "export"},
    {"release", "Released to evaluators", "release to evaluators"},
    {"anonymise", "Anonymised", "anonymise"},
    {"erase", "Erased", "erase"},
    {"retention", "Applied the retention periods to", "apply retention to"},
    {"sign-in", "Signed in as", "sign in as"},
    {"sign-out", "Signed out", "sign out"},
};

static const struct { const char *code, *one, *many; } kinds[] = {
    {"pupil", "the pupil's record", "pupils"},
    {"case", "a TAS case", "TAS cases"},
    {"consent", "a consent record", "consent records"},
    {"action", "an action", "actions"},
    {"referral", "a referral", "referrals"},
    {"discussion", "a discussion at a meeting", "discussions"},
    {"meeting", "a meeting's agenda", "meetings"},
    {"audit", "the audit log", "the audit log"},
    {"break_glass", "emergency access", "emergency access"},
    {"extract", "the pseudonymised extract", "the pseudonymised extract"},
    {"change_story", "a change story", "change stories"},
    {"retention", "records", "records"},
    {"settings", "a setting", "settings"},
    {"user", "a user", "users"},
    /* The other records kept with the pupil's id. */
    {"outcome", "an outcome record (attendance, suspensions...)", "outcome records"},
    {"toolkit_completion", "a screening toolkit", "screening toolkits"},
    {"worklist_flag", "a work-list flag", "work-list flags"},
    {"placement", "a placement on a commissioned intervention", "placements"},
    {"apst_referral", "a referral to a specialist taskforce", "taskforce referrals"},
    {"apst_consent", "the consent of a taskforce referral", "taskforce referral consents"},
};

void audit_describe(const char *action, const char *kind, bool refused, char *out, size_t n)
{
    const struct word *w = NULL;
    for (size_t i = 0; action && i < COUNT(actions); i++)
        if (!strcmp(actions[i].code, action))
            w = &actions[i];
    const char *thing = kind ? kind : "";
    bool list = action && !strcmp(action, "list");
    for (size_t i = 0; kind && i < COUNT(kinds); i++)
        if (!strcmp(kinds[i].code, kind))
            thing = list ? kinds[i].many : kinds[i].one;
    if (!w) {
        snprintf(out, n, "%s %s%s", action ? action : "", thing, refused ? ": refused" : "");
        return;
    }
    if (refused)
        snprintf(out, n, "Tried to %s %s: refused", w->trying, thing);
    else if (list)
        snprintf(out, n, "%s %s (in a search or list)", w->past, thing);
    else if (!strcmp(w->code, "sign-out"))
        snprintf(out, n, "%s", w->past);
    else
        snprintf(out, n, "%s %s", w->past, thing);
}
