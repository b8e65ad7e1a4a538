/* The home page: what this person can do, by role.  One card for each
 * place the navigation offers them (web/view.c decides those from the
 * policy), so the page and the menu never disagree. */
#include <string.h>

#include "core/policy.h"
#include "lib/count.h"
#include "web/router.h"
#include "web/view.h"

static const struct {
    const char *href, *text;
} card_text[] = {
    {"/work", "Overdue actions, cases due for review, minutes and feedback still to write, and the actions you "
              "or your school own."},
    {"/pupils", "Find a pupil, or add one whose family has agreed to a discussion."},
    {"/cases", "The cases of pupils brought to TAS: their discussions, actions, referrals and outcomes."},
    {"/teams", "The TAS teams, their schools and members, and their planned meetings."},
    {"/meetings", "Meetings past and planned: agendas, minutes, attendance and actions."},
    {"/dashboard", "Figures on meetings, cases, actions and costs, and the printable learning report."},
    {"/stories", "Change stories and what families and schools said about TAS."},
    {"/schools", "Schools in the programme and comparison schools."},
    {"/authorities", "The authorities this service holds records for."},
    {"/settings", "Services, practitioners, the signposting playbook and term dates."},
    {"/break-glass", "Emergency access to a pupil's records, and its review."},
    {"/audit", "Who saw and changed what, subject access and retention."},
    {"/users", "User accounts, their roles and sign-in security."},
    {"/evaluation", "Did it work? Referral and exclusion rates per 100 pupils in TAS and comparison schools, "
                    "before and after."},
    {"/extract", "The pseudonymised extract of the records for evaluation."},
    {"/budget", "The pooled budget: the year's money, interventions commissioned and the board's report."},
};

static void h_home(struct req *rq, struct resp *rs)
{
    json_t *ctx = view_page(rq, "Home", "home");
    json_t *cards = json_array();
    json_t *nav = json_object_get(ctx, "nav");
    size_t i;
    json_t *item;
    json_array_foreach(nav, i, item) {
        const char *href = json_string_value(json_object_get(item, "href"));
        if (!href || strcmp(href, "/") == 0)
            continue;
        const char *text = "";   /* a place added to the menu without words here still gets its card */
        for (size_t k = 0; k < COUNT(card_text); k++)
            if (strcmp(href, card_text[k].href) == 0)
                text = card_text[k].text;
        json_array_append_new(cards, json_pack("{s:s, s:O, s:s}", "href", href, "title",
                                               json_object_get(item, "label"), "text", text));
    }
    json_object_set_new(ctx, "cards", cards);
    json_t *roles = json_array();
    for (size_t g = 0; g < rq->sess.who.ngrants; g++)
        json_array_append_new(roles, json_pack("{s:s}", "label", role_label(rq->sess.who.grants[g].role)));
    json_object_set_new(ctx, "roles", roles);
    view_render(rq, rs, 200, "home", ctx);
}

static const struct route home_routes[] = {
    {"GET", "/", h_home, 0},
};

ROUTE_TABLE(home_table, home_routes);
