/* Turning results into responses: HTML through the templates with the
 * layout's context, or JSON for the API; and the error pages. */
#ifndef TAS_WEB_VIEW_H
#define TAS_WEB_VIEW_H

#include "core/errors.h"
#include "service/svc.h"
#include "web/http.h"

struct page_req;

/* A page context holding what the layout needs (title, user, CSRF token,
 * navigation); section names the current navigation item. */
json_t *view_page(struct req *rq, const char *title, const char *section);
/* A list page's "Download this list (CSV)" link, as ctx.csv_href: the
 * page's address + ".csv" with its filters but not its paging (the file
 * holds the whole list), only for those the policy lets export kind k.
 * The template shows it with {{> list_csv_link}}. */
void view_list_csv_link(struct req *rq, json_t *ctx, enum resource_kind k);
/* Renders tmpl with ctx (the reference is taken) as the response. */
void view_render(struct req *rq, struct resp *rs, int status, const char *tmpl, json_t *ctx);
/* Renders tmpl with ctx (the reference is taken) into out, without the
 * layout: a part of a page, kept apart (web/page_cache.h).  0, or -1 with
 * the template's error logged. */
int view_render_part(struct req *rq, const char *tmpl, json_t *ctx, struct buf *out);
/* data (reference taken) as the JSON response. */
void view_json(struct resp *rs, int status, json_t *data);
/* An error for a person (HTML page) or a program (JSON {"error": ...}). */
void view_error(struct req *rq, struct resp *rs, int status, const char *title, const char *message);
/* The error response for a service status other than SVC_OK/SVC_INVALID. */
void view_svc_error(struct req *rq, struct resp *rs, enum svc_status st);
/* True after answering a failure (any st but SVC_OK) with view_svc_error:
 * "if (view_failed(rq, rs, st)) return;". */
bool view_failed(struct req *rq, struct resp *rs, enum svc_status st);
/* view_failed, where what was sent and refused (SVC_INVALID) is answered
 * with its field errors in JSON: the API's answer, or a download's. */
bool view_failed_json(struct req *rq, struct resp *rs, enum svc_status st, const struct field_errors *e);
/* [{field, href, message}] for the error summary and the API. */
json_t *view_errors(const struct field_errors *e);
/* The API's answer to invalid input: 422 with the field errors. */
void view_invalid_json(struct resp *rs, const struct field_errors *e);
/* How a save ends.  view_answer_save answers every status it can alone
 * and returns what is left to the handler:
 *   SAVE_OK        st was SVC_OK: the handler answers the success (often
 *                  with view_saved);
 *   SAVE_FORM      invalid input from a page: the handler shows its form
 *                  again, with the errors and status 400;
 *   SAVE_ANSWERED  answered: the API's 422 with e's field errors for
 *                  SVC_INVALID, or view_svc_error's page for any other
 *                  failure. */
enum save_next { SAVE_ANSWERED, SAVE_OK, SAVE_FORM };
enum save_next view_answer_save(struct req *rq, struct resp *rs, enum svc_status st,
                                const struct field_errors *e);
/* A save's success: the API gets status and {kind: record}; a page is
 * redirected to the address printed from fmt.  record's reference is
 * taken either way (a page may pass NULL). */
/* One-time form tokens, so a form sent twice makes one record.  Every
 * page has a fresh random "form_token" (view_page) that create forms send
 * back ({{> form_token}}).  form_once_begin, before a signed-in form POST's
 * handler: claims the token, or, when an earlier POST had it, answers with
 * the record that POST made (a redirect there; it waits for a concurrent
 * one to finish) and returns true.  form_once_end, after the handler,
 * records where a saving POST redirected to (view_saved's address of the
 * record), or forgets a token whose POST made nothing, so the form can be
 * sent again once corrected. */
bool form_once_begin(struct req *rq, struct resp *rs);
void form_once_end(struct req *rq, const struct resp *rs);
void view_saved(struct req *rq, struct resp *rs, int status, const char *kind, json_t *record,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The CSRF token of a form shown to someone not signed in (sign-in, a
 * feedback link), also set as a cookie: the form must send back the same
 * value (double submit; dispatch checks it). */
const char *view_form_token(struct req *rq, struct resp *rs);
/* The authority a page of authority-wide settings or figures is about:
 * ?authority_id=N, else the authority of the viewer's first grant that
 * names one (0: none; the service then refuses). */
int64_t view_authority(struct req *rq);
/* Adds breadcrumbs [{href,label}] to a page context: pairs of href, label, ending in NULL. */
void view_breadcrumbs(json_t *page, ...);

/* ---- What every handler would otherwise write again ---- */

/* True after answering 403 when allowed is false:
 * "if (view_denied(rq, rs, svc_allowed(&c, ACT_CREATE, RES_SCHOOL, 0, 0, 0))) return;". */
bool view_denied(struct req *rq, struct resp *rs, bool allowed);
/* view_failed for a read that was filling one or more JSON lists or objects
 * (the ones it appends to), which are all dropped when the read failed:
 * "if (view_failed_drop(rq, rs, st, upcoming, recent)) return;". */
#define view_failed_drop(rq, rs, st, ...)                                                                        \
    view_failed_drop_n((rq), (rs), (st), (json_t *[]){__VA_ARGS__},                                              \
                       sizeof((json_t *[]){__VA_ARGS__}) / sizeof(json_t *))
bool view_failed_drop_n(struct req *rq, struct resp *rs, enum svc_status st, json_t *const *made, size_t n);
/* After a read, for a handler whose API answers data (an object; the
 * reference is taken) and whose page shows the same members: the API gets
 * data (200) and NULL comes back; a page gets view_page's context holding
 * data's members and the breadcrumbs given (pairs of href, label, ending
 * in NULL; just NULL for none).  data's members must not be the layout's
 * (page, user, nav, csrf, form_token, breadcrumbs).
 *   if (view_failed(rq, rs, svc_school_get(&c, rq->id, &s)))
 *       return;
 *   json_t *ctx = view_answer_page(rq, rs, json_pack("{s:o}", "school", json_school(&s)), s.name,
 *                                  "schools", "/", "Home", "/schools", "Schools", NULL);
 *   if (!ctx)
 *       return; */
json_t *view_answer_page(struct req *rq, struct resp *rs, json_t *data, const char *title, const char *section,
                         ...);
/* One page of a list: rows (reference taken), total in the whole list,
 * under key.  base is the page's own address with its filters
 * ("/schools?q=x"), for the paging links.  The API gets {page, per_page,
 * total, pages, key: rows} then api_more's members (NULL, or an object
 * whose reference is taken) and NULL comes back.  A page gets view_page's
 * context (title, section; title NULL: a bare object, for a part of a page
 * rendered with view_render_part) holding rows under key, the numbers as
 * "paging" and the links as "pagination" ("page" is the layout's). */
json_t *view_list_page(struct req *rq, struct resp *rs, const struct page_req *pg, int64_t total, const char *base,
                       const char *key, json_t *rows, json_t *api_more, const char *title, const char *section);
/* ctx.count_text: "12 schools" (n, and one or many after it). */
void view_count_text(json_t *ctx, int64_t n, const char *one, const char *many);
/* The form's errors as ctx.errors, for the error summary (none when e is
 * NULL or empty). */
void view_set_errors(json_t *ctx, const struct field_errors *e);
/* A page with a form: view_page's context with e's errors (view_set_errors). */
json_t *view_form_page(struct req *rq, const char *title, const char *section, const struct field_errors *e);
/* The rest of the page that voids a record (a record entered by mistake is
 * kept, marked void, never deleted): the record's JSON (taken), what it is
 * called, the page it belongs to (back: Cancel goes there, the form posts to
 * back/void), the reason typed so far and an example of one; then renders
 * "void_form".  ctx is the page's, made by the caller. */
void view_void_form(struct req *rq, struct resp *rs, int status, json_t *ctx, json_t *rec, const char *noun,
                    const char *back, const char *reason, const char *example, const struct field_errors *e);
/* The links of a form that adds a record (id 0) at base ("/schools") or
 * edits record id: ctx.action (base, or base/id/edit), ctx.cancel_href
 * (base, or base/id) and ctx.editing. */
void view_form_links(json_t *ctx, const char *base, int64_t id);
/* Sets obj's member key to the text printed from fmt (an address, say). */
void view_set_printf(json_t *obj, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Sets obj's member key to the date iso as people read it, "4 December
 * 2026" (core/calendar.h's date_label; "" for none). */
void view_set_date_label(json_t *obj, const char *key, const char *iso);
/* The green banner saying what was just done (text NULL: none). */
void view_flash(json_t *ctx, const char *text);
/* What a page says a moment after a change, by the value of the query's
 * param (?saved=added): notes is {code, text} pairs ending with one whose
 * code is NULL, whose text (NULL: none) is said for any other value.  NULL
 * when the query has no param. */
struct view_note {
    const char *code, *text;
};
const char *view_note(const struct req *rq, const char *param, const struct view_note *notes);

#endif
