/* Turning results into responses: HTML through the templates with the
 * layout's context, or JSON for the API; and the error pages. */
#ifndef TAS_WEB_VIEW_H
#define TAS_WEB_VIEW_H

#include "core/errors.h"
#include "service/svc.h"
#include "web/http.h"

/* A page context holding what the layout needs (title, user, CSRF token,
 * navigation); section names the current navigation item. */
json_t *view_page(struct req *rq, const char *title, const char *section);
/* Renders tmpl with ctx (the reference is taken) as the response. */
void view_render(struct req *rq, struct resp *rs, int status, const char *tmpl, json_t *ctx);
/* data (reference taken) as the JSON response. */
void view_json(struct resp *rs, int status, json_t *data);
/* An error for a person (HTML page) or a program (JSON {"error": ...}). */
void view_error(struct req *rq, struct resp *rs, int status, const char *title, const char *message);
/* The error response for a service status other than SVC_OK/SVC_INVALID. */
void view_svc_error(struct req *rq, struct resp *rs, enum svc_status st);
/* [{field, href, message}] for the error summary and the API. */
json_t *view_errors(const struct field_errors *e);
/* The API's answer to invalid input: 422 with the field errors. */
void view_invalid_json(struct resp *rs, const struct field_errors *e);
/* Adds breadcrumbs [{href,label}] to a page context: pairs of href, label, ending in NULL. */
void view_breadcrumbs(json_t *page, ...);

#endif
