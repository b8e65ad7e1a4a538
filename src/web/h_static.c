/* Pages and files that hold no personal data. */
#include <stdio.h>

#include "lib/embedded.h"
#include "web/router.h"
#include "web/view.h"

/* A file built into the binary (lib/embedded.h), kept by browsers for an
 * hour; what names it for the 404 when this binary was built without it. */
static void serve_file(struct req *rq, struct resp *rs, const char *name, const char *type, const char *what)
{
    const struct embedded_file *f = embedded_find(name);
    if (!f) {
        char msg[96];
        snprintf(msg, sizeof msg, "No %s is built into this binary.", what);
        view_error(rq, rs, 404, "Not found", msg);
        return;
    }
    buf_append(&rs->body, f->data, f->size);
    rs->status = 200;
    rs->content_type = type;
    rs->cache_control = "public, max-age=3600";
}

static void h_asset_css(struct req *rq, struct resp *rs)
{
    serve_file(rq, rs, "build/assets/tas.css", "text/css; charset=utf-8", "stylesheet");
}

/* The JavaScript files: GOV.UK Frontend's own, and tas-init.js that starts
 * it (templates/layout_end.html).  Pages work without them. */
static void serve_js(struct req *rq, struct resp *rs, const char *name)
{
    serve_file(rq, rs, name, "text/javascript; charset=utf-8", "such script");
}

static void h_asset_govuk_js(struct req *rq, struct resp *rs)
{
    serve_js(rq, rs, "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js");
}

static void h_asset_init_js(struct req *rq, struct resp *rs)
{
    serve_js(rq, rs, "assets/js/tas-init.js");
}

static void h_healthz(struct req *rq, struct resp *rs)
{
    (void)rq;
    buf_puts(&rs->body, "ok\n");
    rs->status = 200;
    rs->content_type = "text/plain; charset=utf-8";
}

static void h_accessibility(struct req *rq, struct resp *rs)
{
    view_render(rq, rs, 200, "accessibility", view_page(rq, "Accessibility statement", NULL));
}

static void h_privacy(struct req *rq, struct resp *rs)
{
    view_render(rq, rs, 200, "privacy", view_page(rq, "Privacy notice", NULL));
}

/* The JSON API's description (docs/openapi.json, OpenAPI 3.1), compiled in.
 * Public, like the stylesheet: it describes the interface (paths, methods,
 * the shapes of requests and answers), holds no data, and a client needs it
 * before it has signed in or been given a token. */
static void h_openapi(struct req *rq, struct resp *rs)
{
    serve_file(rq, rs, "docs/openapi.json", "application/json", "API description");
}

/* Browsers ask for /favicon.ico on every page; answer without a body
 * rather than fill the log with 404s. */
static void h_no_content(struct req *rq, struct resp *rs)
{
    (void)rq;
    rs->status = 204;
    rs->content_type = "text/plain; charset=utf-8";
    rs->cache_control = "public, max-age=86400";
}

static const struct route static_routes[] = {
    {"GET", "/assets/tas.css", h_asset_css, ROUTE_PUBLIC | ROUTE_NO_DB},
    {"GET", "/healthz", h_healthz, ROUTE_PUBLIC | ROUTE_NO_DB},
    {"GET", "/api/v1/openapi.json", h_openapi, ROUTE_PUBLIC | ROUTE_NO_DB},
    {"GET", "/favicon.ico", h_no_content, ROUTE_PUBLIC | ROUTE_NO_DB},
    {"GET", "/accessibility", h_accessibility, ROUTE_PUBLIC},
    {"GET", "/privacy", h_privacy, ROUTE_PUBLIC},
    {"GET", "/assets/govuk-frontend.min.js", h_asset_govuk_js, ROUTE_PUBLIC | ROUTE_NO_DB},
    {"GET", "/assets/tas-init.js", h_asset_init_js, ROUTE_PUBLIC | ROUTE_NO_DB},
};

ROUTE_TABLE(static_table, static_routes);
