/* Use cases for user accounts: create, password, disable, list, and the
 * principal (roles and scopes) a signed-in user acts as. */
#ifndef TAS_SERVICE_SVC_USERS_H
#define TAS_SERVICE_SVC_USERS_H

#include "core/errors.h"
#include "service/svc.h"
#include "store/q_users.h"

struct user_form {
    const char *username, *display_name, *email, *password;
};

enum svc_status svc_user_create(struct svc_ctx *c, const struct user_form *f,
                                const struct role_grant *grants, size_t ngrants,
                                struct field_errors *errs, int64_t *id);
enum svc_status svc_user_set_password(struct svc_ctx *c, const char *username, const char *password,
                                      struct field_errors *errs);
/* Disabling also ends every session the user has. */
enum svc_status svc_user_set_disabled(struct svc_ctx *c, const char *username, bool disabled);
enum svc_status svc_user_list(struct svc_ctx *c,
                              void (*fn)(void *arg, const struct user_row *u), void *arg);
/* Loads a user's grants (resolving team schools) into p. */
enum svc_status svc_principal_load(struct store *db, int64_t user_id, struct principal *p);
#endif
