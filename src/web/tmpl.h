/* HTML templates: a strict Mustache subset rendered over a jansson context.
 *
 *   {{a.b}}  {{.}}           escaped value (string, integer, real, true;
 *                            false/null/missing/object/array print nothing)
 *   {{{x_html}}} {{& x_html}} raw value; only for names ending in _html, so
 *                            escaping is the default everywhere else
 *   {{#a}}..{{/a}}           section: once per array element, or once with
 *                            a truthy value pushed (falsy: missing, null,
 *                            false, "", [], {}; 0 is truthy)
 *   {{^a}}..{{/a}}           inverted section: renders when a is falsy
 *   {{> name}}               partial, with the current context stack
 *   {{! comment }}
 *   @index @number @first @last   position in the innermost array section
 *
 * A dotted name's first segment is searched from the innermost context
 * outward; later segments look inside that value (all-digit segments index
 * arrays).  Lines holding only whitespace and one section, close, partial
 * or comment tag are dropped entirely (a standalone partial's indentation
 * is dropped too, not applied to its lines).  No delimiter changes, no
 * lambdas.
 *
 * Templates are parsed once, at load; a set is read-only afterwards, so any
 * number of threads may render from it at once. */
#ifndef TAS_WEB_TMPL_H
#define TAS_WEB_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "lib/buf.h"

/* Partials nest at most this deep below the template being rendered. */
#define TMPL_MAX_DEPTH 16
/* A render visits at most this many nodes (text, values, sections, partials,
 * each time it passes them): sections nested in sections multiply, so a
 * mistaken template could otherwise hold a worker for minutes.  The largest
 * real page (the dashboard, about 15,000 on the demo authority) visits under
 * a hundredth of it. */
#ifndef TMPL_MAX_STEPS   /* the fuzz build sets a lower one (Makefile) */
#define TMPL_MAX_STEPS 2000000
#endif

struct tmpl_set;

/* Parses every embedded "templates/<name>.html" (known as "<name>").  On a
 * syntax error returns NULL and writes "templates/x.html:LINE: reason" into
 * err. */
struct tmpl_set *tmpl_load_embedded(char *err, size_t errlen);

/* Same, from an explicit list (for tests): names[i] -> sources[i]
 * (NUL-terminated).  Names are template names ("layout"); errors still read
 * "templates/layout.html:LINE: reason". */
struct tmpl_set *tmpl_load(size_t n, const char *const *names, const char *const *sources,
                           char *err, size_t errlen);

void tmpl_free(struct tmpl_set *ts);

bool tmpl_exists(const struct tmpl_set *ts, const char *name);

/* Renders template name with ctx (a JSON object; NULL is treated as empty)
 * appended to out.  Returns 0, or -1 for an unknown template or partial,
 * partial depth > TMPL_MAX_DEPTH, more than TMPL_MAX_STEPS or out of memory, with a message in err;
 * on failure out is cut back to its length before the call. */
int tmpl_render(const struct tmpl_set *ts, const char *name, const json_t *ctx, struct buf *out,
                char *err, size_t errlen);

#endif
