/* The home page: what this person can do, by role. */
#include "core/policy.h"
#include "web/router.h"
#include "web/view.h"

static void card(json_t *cards, const struct req *rq, enum resource_kind k, const char *href,
                 const char *title, const char *text)
{
    struct resource r = {.kind = k, .id = 0, .authority_id = 0, .school_id = 0};
    if (policy_decide(&rq->sess.who, ACT_LIST, &r).allow)
        json_array_append_new(cards, json_pack("{s:s, s:s, s:s}", "href", href, "title", title,
                                               "text", text));
}

static void h_home(struct req *rq, struct resp *rs)
{
    json_t *ctx = view_page(rq, "Home", "home");
    json_t *cards = json_array();
    card(cards, rq, RES_PUPIL, "/pupils", "Pupils",
         "Find a pupil, or add one whose family has agreed to a discussion.");
    card(cards, rq, RES_SCHOOL, "/schools", "Schools",
         "Schools in the programme and comparison schools.");
    card(cards, rq, RES_EVALUATION, "/evaluation", "Did it work? Evaluation",
         "Referral and exclusion rates per 100 pupils in TAS and comparison schools, before and after.");
    card(cards, rq, RES_AUTHORITY, "/authorities", "Local authorities",
         "The authorities this service holds records for.");
    json_object_set_new(ctx, "cards", cards);
    json_t *roles = json_array();
    for (size_t i = 0; i < rq->sess.who.ngrants; i++)
        json_array_append_new(roles, json_pack("{s:s}", "label", role_label(rq->sess.who.grants[i].role)));
    json_object_set_new(ctx, "roles", roles);
    view_render(rq, rs, 200, "home", ctx);
}

static const struct route home_routes[] = {
    {"GET", "/", h_home, 0},
};

ROUTE_TABLE(home_table, home_routes);
