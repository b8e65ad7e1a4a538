/* The evaluation's results as JSON: the shape `tas evaluate did` prints
 * and /api/v1/evaluation answers (docs/evaluation.md). */
#ifndef TAS_WEB_EVALUATION_JSON_H
#define TAS_WEB_EVALUATION_JSON_H

#include <jansson.h>

#include "core/evaluate.h"

/* A number, or null for NaN and infinity (JSON has neither). */
json_t *ev_num(double x);
/* The Poisson model's numbers, or {"error": why}. */
json_t *ev_poisson_json(enum ev_error e, const struct ev_poisson *f);
/* The cost per event avoided, with its assumptions. */
json_t *ev_cost_json(const struct ev_cost *c);
/* The event study's coefficients and pre-trend test, or {"error": why}. */
json_t *ev_event_json(enum ev_error e, const struct ev_event_study *es);
/* The whole result: label, sign convention, periods, groups, DiD, the
 * regression (fe its error), event and poisson (taken over), and the
 * schools and pupils behind them. */
json_t *ev_result_json(const struct ev_panel *p, const struct ev_table *t, enum ev_error fe,
                       const struct ev_fit *f, json_t *event, json_t *poisson);

#endif
