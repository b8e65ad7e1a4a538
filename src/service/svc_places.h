/* Use cases for local authorities and schools. */
#ifndef TAS_SERVICE_SVC_PLACES_H
#define TAS_SERVICE_SVC_PLACES_H

#include "core/validate.h"
#include "service/svc.h"
#include "store/q_authorities.h"
#include "store/q_schools.h"

/* Returns the stored authority.  Checks ACT_CREATE on RES_AUTHORITY (installation-wide), then
 * the fields (core/validate.c: LA code, name); a duplicate LA code is a field error. */
enum svc_status svc_authority_create(struct svc_ctx *c, const struct authority_form *f,
                                     struct field_errors *errs, struct authority *out);
/* Returns the stored authority.  Checks ACT_VIEW (hidden or missing: SVC_NOT_FOUND) then
 * ACT_EDIT (SVC_FORBIDDEN) on the authority, then the fields as svc_authority_create. */
enum svc_status svc_authority_update(struct svc_ctx *c, int64_t id, const struct authority_form *f,
                                     struct field_errors *errs, struct authority *out);
/* Returns the authority.  Checks ACT_VIEW on it; hidden: SVC_NOT_FOUND. */
enum svc_status svc_authority_get(struct svc_ctx *c, int64_t id, struct authority *out);
/* Calls fn for each authority the user may list, by name.  SVC_FORBIDDEN when they may list
 * none. */
enum svc_status svc_authority_list(struct svc_ctx *c,
                                   void (*fn)(void *arg, const struct authority *a), void *arg);

/* Returns the stored school.  Checks ACT_CREATE on RES_SCHOOL, the fields (URN, name, phase,
 * figures), that the authority exists (else a field error) and that the user may create a
 * school there (SVC_FORBIDDEN); a duplicate URN is a field error. */
enum svc_status svc_school_create(struct svc_ctx *c, const struct school_form *f,
                                  struct field_errors *errs, struct school *out);
/* Returns the stored school.  Checks ACT_VIEW (hidden or missing: SVC_NOT_FOUND) then ACT_EDIT
 * (SVC_FORBIDDEN) on the school as it is, the fields as svc_school_create and ACT_EDIT at its
 * new authority. */
enum svc_status svc_school_update(struct svc_ctx *c, int64_t id, const struct school_form *f,
                                  struct field_errors *errs, struct school *out);
/* Returns the school.  Checks ACT_VIEW on it; hidden: SVC_NOT_FOUND. */
enum svc_status svc_school_get(struct svc_ctx *c, int64_t id, struct school *out);
/* Calls fn for one page of the schools the user may list whose name or URN contains search
 * (NULL: all), by name.  SVC_FORBIDDEN when they may list none. */
enum svc_status svc_school_list(struct svc_ctx *c, const char *search, const struct page_req *pg,
                                int64_t *total, void (*fn)(void *arg, const struct school *s),
                                void *arg);
#endif
