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

/* Sets *id to the new user's.  Checks ACT_CREATE on RES_USER, and for each grant that the
 * principal may give it (a system-wide grant needs ACT_EDIT on every user; others ACT_CREATE at
 * the grant's authority), else SVC_FORBIDDEN; then the fields (user name, display name, email,
 * the password policy); a user name already taken is a field error. */
enum svc_status svc_user_create(struct svc_ctx *c, const struct user_form *f,
                                const struct role_grant *grants, size_t ngrants,
                                struct field_errors *errs, int64_t *id);
/* A new user with one role, from a form: role (code), place ("system",
 * "authority:N" or "school:N") and detail (optional, e.g. "senco"). */
struct grant_form {
    const char *role, *place, *detail;
};
/* As svc_user_create with the one grant the form names; an unknown role or place is a field
 * error. */
enum svc_status svc_user_add(struct svc_ctx *c, const struct user_form *f, const struct grant_form *g,
                             struct field_errors *errs, int64_t *id);
/* The places where the principal may give a new user a role: fn(arg,
 * value, label) with values as svc_user_add takes them.
 * Checks ACT_CREATE on RES_USER (SVC_FORBIDDEN); lists only places where the principal may
 * create users. */
enum svc_status svc_user_places(struct svc_ctx *c, void (*fn)(void *arg, const char *value, const char *label),
                                void *arg);
/* Checks ACT_EDIT or ACT_LIST on RES_USER, then ACT_EDIT on the user found by name
 * (SVC_FORBIDDEN; an unknown name: SVC_NOT_FOUND), then the password policy (SVC_INVALID); ends
 * every session the user has. */
enum svc_status svc_user_set_password(struct svc_ctx *c, const char *username, const char *password,
                                      struct field_errors *errs);
/* Stores password (checked already) as user_id's and, as someone else may
 * have had the old one, ends their sessions: all of them, or all but
 * keep_handle's when it is not NULL (one way for an administrator's reset
 * and the user's own change).  Nothing is changed unless all is done. */
enum svc_status svc_user_store_password(struct svc_ctx *c, int64_t user_id, const char *password,
                                        const char *keep_handle);
/* SVC_OK when the principal may take action a on this user: in every
 * authority the user's grants lie in. */
enum svc_status svc_user_may(struct svc_ctx *c, enum action a, int64_t user_id);
/* One user, for administrators (the password hash is cleared).
 * Checks ACT_VIEW on the user; hidden: SVC_NOT_FOUND. */
enum svc_status svc_user_get(struct svc_ctx *c, int64_t id, struct user_row *out);
/* Disabling also ends every session the user has.  Nobody disables
 * themselves (SVC_CONFLICT): an installation could lose its last
 * administrator that way.
 * Checks the user found by name as svc_user_set_password. */
enum svc_status svc_user_set_disabled(struct svc_ctx *c, const char *username, bool disabled);
/* Calls fn for each user the principal may view, by user name, hashes cleared.  Checks ACT_LIST
 * on RES_USER (SVC_FORBIDDEN). */
enum svc_status svc_user_list(struct svc_ctx *c,
                              void (*fn)(void *arg, const struct user_row *u), void *arg);
/* Loads a user's grants (resolving team schools) into p.
 * SVC_OK, or SVC_ERROR when storage fails; no policy (it builds the policy's input). */
enum svc_status svc_principal_load(struct store *db, int64_t user_id, struct principal *p);
#endif
