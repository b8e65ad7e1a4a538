/* Use cases for pupils. */
#ifndef TAS_SERVICE_SVC_PUPILS_H
#define TAS_SERVICE_SVC_PUPILS_H

#include "core/validate.h"
#include "service/svc.h"
#include "store/q_pupils.h"

enum svc_status svc_pupil_create(struct svc_ctx *c, const struct pupil_form *f,
                                 struct field_errors *errs, struct pupil *out);
enum svc_status svc_pupil_update(struct svc_ctx *c, int64_t id, const struct pupil_form *f,
                                 struct field_errors *errs, struct pupil *out);
enum svc_status svc_pupil_get(struct svc_ctx *c, int64_t id, struct pupil_row *out);
enum svc_status svc_pupil_list(struct svc_ctx *c, const struct pupil_filter *f,
                               const struct page_req *pg, int64_t *total,
                               void (*fn)(void *arg, const struct pupil_row *r), void *arg);
#endif
