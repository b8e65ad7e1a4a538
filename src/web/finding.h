/* The list filters people asked for (issue 10): team, school, "this term"
 * and a name, read from the query string and offered on the page as a
 * GOV.UK form (GET, no JavaScript).  Used by the meetings, cases and work
 * lists. */
#ifndef TAS_WEB_FINDING_H
#define TAS_WEB_FINDING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/errors.h"
#include "lib/buf.h"
#include "service/svc.h"
#include "web/http.h"

#define FINDING_NAME_MAX 100

struct finding {
    int64_t team_id;          /* ?team=, 0 any */
    int64_t school_id;        /* ?school=, 0 any */
    bool this_term;           /* ?term=this */
    char name[FINDING_NAME_MAX + 1];   /* ?q=, trimmed ("" any; longer is cut) */
    char from[11], to[11];    /* "this term" (core/termwin.h), "" when not asked */
    char term_label[80];      /* "Autumn term: 1 August to 18 December 2026" */
    int64_t serving[64];      /* with a school: the teams serving it (svc_teams_serving) */
    size_t nserving;
};

/* A date in a GET filter form: the GOV.UK date input's NAME-day,
 * NAME-month and NAME-year, or NAME as one value ("YYYY-MM-DD" or
 * "D/M/YYYY") as links and the API send it.  text is what to check:
 * "" when nothing was typed, "YYYY-MM-DD" for a real date, else what was
 * typed (which the checks then refuse).  day, month and year are what the
 * date input shows again. */
struct query_date {
    const char *day, *month, *year;
    char text[40];
};
void finding_query_date(struct req *rq, const char *name, struct query_date *q);
/* The date input field for q (form.h's fld_date), with its error from e. */
json_t *finding_date_field(const char *name, const char *legend, const struct query_date *q,
                           const struct field_errors *e, const char *hint);
/* The same for a date held as iso ("YYYY-MM-DD"), in its three parts;
 * empty boxes when iso is NULL or not a date (the dashboards' filters). */
json_t *finding_iso_date_field(const char *name, const char *legend, const char *iso, const struct field_errors *e,
                               const char *hint);

/* One date format for people (issue 10): every string member of ctx, at
 * any depth, named "date" or ending "_on" or "_discussed" whose value is a "YYYY-MM-DD"
 * date gets a sibling "<name>_label" ("4 December 2026") unless it has
 * one.  view_render calls it, so templates show {{given_on_label}}. */
void finding_date_labels(json_t *ctx);

/* A POST form's GOV.UK date input: the boxes name-day, name-month and
 * name-year as one "D/M/YYYY" for a service that takes a date as text
 * ("" when all three are empty); NULL when the request sent none of them
 * (the API, which sends one value under name). */
const char *finding_form_date(struct req *rq, const char *name);
/* A GOV.UK date input (fld_date) for a POST form: what was typed in
 * name's three boxes when the request sent them, else value (a date as
 * the services take it: YYYY-MM-DD or D/M/YYYY) split into its parts. */
json_t *finding_form_date_field(struct req *rq, const char *name, const char *legend, const char *value,
                                const struct field_errors *e, const char *hint);

/* Reads the filters; the term window from svc_this_term. */
void finding_read(struct req *rq, struct svc_ctx *c, struct finding *f);
/* Appends the filters set as "&team=..&school=..&term=this&q=..". */
void finding_query(const struct finding *f, struct buf *b);
/* Adds the form's fields to ctx: team_filter (the teams the user may see),
 * school_filter (the schools the user may list; left out when none),
 * term_filter (a checkbox) and name_filter (a text input labelled
 * name_label), and "filtered" when any is set. */
void finding_fields(struct svc_ctx *c, const struct finding *f, json_t *ctx, const char *name_label,
                    const char *name_hint);
/* The API's note of "this term" ({from, to, label}), or NULL when not asked. */
json_t *finding_term_json(const struct finding *f);
/* The same as a list's API answer holds it, {"term": {...}} (for
 * view_list_page's api_more), or NULL when not asked. */
json_t *finding_term_answer(const struct finding *f);
/* True when any filter is set. */
bool finding_any(const struct finding *f);
/* Does an item of a list pass the filters?  team_id 0: not judged by
 * team; school_id 0: judged by whether its team serves the school; name:
 * the pupil's (or, for a meeting, the team's); day: the date the term
 * filter looks at (NULL: not judged by term). */
bool finding_keeps(const struct finding *f, int64_t team_id, int64_t school_id, const char *name,
                   const char *day);
/* Does text hold f->name (ASCII case folded)?  True when no name is set. */
bool finding_name_matches(const struct finding *f, const char *text);
/* The statistics pages' filters (the dashboard; with schools false, the
 * referral results, which have no school or phase filter), sent by GET:
 * read from the query string (dates from the GOV.UK date inputs or as one
 * value from a link or the API); written back as a query string for links
 * to the exports; and the form's fields (from_hint: the from date's
 * example), the choices from svc_dashboard_choices. */
struct dash_filter_form;
struct dash_filter;
void finding_dash_read(struct req *rq, bool schools, struct dash_filter_form *f);
void finding_dash_query(const struct dash_filter *f, bool schools, bool publish, struct buf *b);
/* The form shows what the figures are for (the dates taken by default
 * too): in's values from the filter f used; ids holds the numbers' text. */
struct dash_shown {
    char authority[24], team[24], school[24];
};
void finding_dash_show(struct dash_filter_form *in, const struct dash_filter *f, struct dash_shown *ids);
json_t *finding_dash_fields(const struct svc_ctx *c, const struct dash_filter_form *in, bool schools,
                            const char *from_hint, const struct field_errors *e);

/* Is day ("YYYY-MM-DD") in this term?  True when "this term" is not set;
 * false for "" when it is. */
bool finding_in_term(const struct finding *f, const char *day);

#endif
