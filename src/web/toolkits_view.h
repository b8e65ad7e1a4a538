/* The screening toolkits' part of the pupil page (h_toolkits.c): the
 * pupil's completions, newest first, and a chart of scores over time per
 * toolkit, as ctx["toolkits"].  Nothing is added when the user may not
 * see the pupil's case records. */
#ifndef TAS_WEB_TOOLKITS_VIEW_H
#define TAS_WEB_TOOLKITS_VIEW_H

#include <jansson.h>

#include "service/svc.h"
#include "store/q_pupils.h"

void toolkits_pupil_section(struct svc_ctx *c, const struct pupil_row *p, json_t *ctx);

#endif
