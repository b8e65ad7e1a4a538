/* Use cases for local authorities and schools. */
#ifndef TAS_SERVICE_SVC_PLACES_H
#define TAS_SERVICE_SVC_PLACES_H

#include "core/validate.h"
#include "service/svc.h"
#include "store/q_authorities.h"
#include "store/q_schools.h"

enum svc_status svc_authority_create(struct svc_ctx *c, const struct authority_form *f,
                                     struct field_errors *errs, struct authority *out);
enum svc_status svc_authority_update(struct svc_ctx *c, int64_t id, const struct authority_form *f,
                                     struct field_errors *errs, struct authority *out);
enum svc_status svc_authority_get(struct svc_ctx *c, int64_t id, struct authority *out);
enum svc_status svc_authority_list(struct svc_ctx *c,
                                   void (*fn)(void *arg, const struct authority *a), void *arg);

enum svc_status svc_school_create(struct svc_ctx *c, const struct school_form *f,
                                  struct field_errors *errs, struct school *out);
enum svc_status svc_school_update(struct svc_ctx *c, int64_t id, const struct school_form *f,
                                  struct field_errors *errs, struct school *out);
enum svc_status svc_school_get(struct svc_ctx *c, int64_t id, struct school *out);
enum svc_status svc_school_list(struct svc_ctx *c, const char *search, const struct page_req *pg,
                                int64_t *total, void (*fn)(void *arg, const struct school *s),
                                void *arg);
#endif
