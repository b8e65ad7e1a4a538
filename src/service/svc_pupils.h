/* Use cases for pupils. */
#ifndef TAS_SERVICE_SVC_PUPILS_H
#define TAS_SERVICE_SVC_PUPILS_H

#include "core/validate.h"
#include "service/svc.h"
#include "store/q_pupils.h"

/* Returns the stored pupil.  Checks ACT_CREATE on RES_PUPIL, the fields (core/validate.c: UPN
 * and its check letter, names, date of birth, DfE codes), that the school exists (else a field
 * error) and that the user may add pupils there (SVC_FORBIDDEN); a UPN already recorded is a
 * field error. */
enum svc_status svc_pupil_create(struct svc_ctx *c, const struct pupil_form *f,
                                 struct field_errors *errs, struct pupil *out);
/* Returns the stored pupil.  Checks ACT_VIEW (hidden or missing: SVC_NOT_FOUND) then ACT_EDIT
 * (SVC_FORBIDDEN) on the pupil as recorded, the fields as svc_pupil_create and ACT_EDIT at the
 * new school. */
enum svc_status svc_pupil_update(struct svc_ctx *c, int64_t id, const struct pupil_form *f,
                                 struct field_errors *errs, struct pupil *out);
/* Returns the pupil with their school and authority.  Checks ACT_VIEW on the pupil; hidden:
 * SVC_NOT_FOUND. */
enum svc_status svc_pupil_get(struct svc_ctx *c, int64_t id, struct pupil_row *out);
/* Calls fn for one page of the pupils the user may list that match f, by surname.
 * SVC_FORBIDDEN when they may list none. */
enum svc_status svc_pupil_list(struct svc_ctx *c, const struct pupil_filter *f,
                               const struct page_req *pg, int64_t *total,
                               void (*fn)(void *arg, const struct pupil_row *r), void *arg);
#endif
