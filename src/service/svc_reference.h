/* Use cases for an authority's reference data: its services, the
 * practitioners who work in them, the signposting playbook and the term
 * dates (with closure days).  SQL: store/q_reference.c.
 *
 * Every function asks the policy about RES_REFERENCE in the authority the
 * data belongs to: administrators keep everything, case coordinators list,
 * view, add and change, others in the authority (DPO, strategic leads,
 * school leads, practitioners) list and view.  A record of another
 * authority is reported as not found.  Nothing is ever deleted except a
 * closure day: records elsewhere point at services, practitioners and
 * playbook entries, which are made inactive instead. */
#ifndef TAS_SERVICE_SVC_REFERENCE_H
#define TAS_SERVICE_SVC_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/codes.h"
#include "core/errors.h"
#include "service/svc.h"
#include "store/q_reference.h"

/* Code lists for the forms (and the labels in lists). */
extern const struct code_list ref_org_kinds;       /* school local_authority health other */
extern const struct code_list ref_resource_kinds;  /* course workshop guidance website service other */
extern const struct code_list ref_audiences;       /* school parents both */
extern const struct code_list ref_active;          /* yes no */

/* Which authority a request acts in.  requested > 0 (from ?authority= or a
 * form field) wins; the policy still decides whether the user may act
 * there.  Otherwise the authority of the user's first grant that has one;
 * otherwise (a system administrator) the only authority there is.  0 when
 * none can be chosen (several authorities and none asked for). */
int64_t svc_reference_authority(struct svc_ctx *c, int64_t requested);
/* True when the user may do a on reference data of the authority. */
bool svc_reference_may(const struct svc_ctx *c, enum action a, int64_t authority_id);

/* Adds the default services, playbook entries and the English default term
 * dates (with in-term bank holidays as closure days) for the current and
 * next academic year to a new authority.  Skips what is already there, so
 * it is safe to run twice.  Starts no transaction: svc_authority_create
 * calls it, inside the caller's transaction when there is one. */
enum svc_status svc_reference_seed_defaults(struct svc_ctx *c, int64_t authority_id);

/* ---- services ---- */

/* Raw values as typed; NULL when absent.  code is optional on create (made
 * from the name when blank) and ignored on update (codes never change).
 * active: "yes"/"no"; absent means yes on create, unchanged on update. */
struct service_form {
    const char *name;
    const char *code;
    const char *org_kind;
    const char *active;
};

/* A service code made from a name: lower case, runs of anything but
 * letters and digits as one "_", at most 31 characters; "" when the name
 * has no letters or digits. */
void svc_service_code_from_name(const char *name, char out[32]);

/* ---- practitioners ---- */

/* Ids as typed ("" or absent: none, for school_id and user_id). */
struct practitioner_form {
    const char *name;
    const char *job_title;
    const char *email;
    const char *service_id;
    const char *school_id;
    const char *user_id;
    const char *active;
};

/* Accounts that can be linked to a practitioner of the authority (needs
 * permission to add or change reference data there). */
enum svc_status svc_reference_users(struct svc_ctx *c, int64_t authority_id,
                                    void (*fn)(void *arg, const struct ref_user_row *r), void *arg);

/* The user name of an account linked to a practitioner of the authority
 * (needs permission to view reference data there). */
enum svc_status svc_reference_username(struct svc_ctx *c, int64_t authority_id, int64_t user_id,
                                       char out[64]);

/* ---- the signposting playbook ---- */

struct resource_form {
    const char *title;
    const char *kind;
    const char *audience;
    const char *url;
    const char *description;
    const char *active;
};

/* ---- services, practitioners and the playbook, one way ---- */

/* The use cases for any of the three kinds (q says which): out and
 * the form f are the kind's row and form (struct service_row and struct
 * service_form for Q_REF_SERVICE, and so on).  Get: SVC_NOT_FOUND for a
 * record missing or hidden from the user.  Create: in the authority, after
 * the policy allows it there (SVC_FORBIDDEN) and the form checks
 * (SVC_INVALID with errs).  Update: the record id, as get finds it, then
 * edit permission, then the form checks. */
enum svc_status svc_ref_get(struct svc_ctx *c, enum q_ref_kind q, int64_t id, void *out);
/* The authority's records (service_id > 0: one service's practitioners),
 * each(arg, row) for each; SVC_FORBIDDEN unless the user may list there. */
enum svc_status svc_ref_list(struct svc_ctx *c, enum q_ref_kind q, int64_t authority_id, bool active_only,
                             int64_t service_id, void (*each)(void *arg, const void *row), void *arg);
enum svc_status svc_ref_create(struct svc_ctx *c, enum q_ref_kind q, int64_t authority_id, const void *f,
                               struct field_errors *errs, void *out);
enum svc_status svc_ref_update(struct svc_ctx *c, enum q_ref_kind q, int64_t id, const void *f,
                               struct field_errors *errs, void *out);

/* ---- term dates ---- */

/* Academic years tas accepts (the year an academic year starts in). */
#define REF_YEAR_MIN 2000
#define REF_YEAR_MAX 2099

/* "Autumn 1" .. "Summer 2" for half-term 1..6; "" otherwise. */
const char *svc_half_term_label(int number);

/* One date as typed in a GOV.UK date input. */
struct date_parts {
    const char *day;
    const char *month;
    const char *year;
};

/* The six half-terms as typed.  Field names (for errors): t1_starts,
 * t1_ends, ... t6_ends. */
struct terms_form {
    struct date_parts starts[6];
    struct date_parts ends[6];
};

struct closure_form {
    struct date_parts on;   /* field "closed_on" */
    const char *reason;     /* field "reason" (optional) */
};

/* The year's half-terms as recorded (n 0..6) and its closure days (1 August
 * to 31 July).  fn may be NULL. */
enum svc_status svc_terms_get(struct svc_ctx *c, int64_t authority_id, int year,
                              struct term_row terms[6], size_t *n,
                              void (*fn)(void *arg, const struct closure_row *r), void *arg);
/* Validates and stores all six half-terms of the year.  With closures
 * (replace_closures true), the year's closure days become exactly these
 * (errors on field "closure_days"); otherwise they are kept, and
 * add_default_closures adds the English in-term bank holidays. */
enum svc_status svc_terms_save(struct svc_ctx *c, int64_t authority_id, int year,
                               const struct terms_form *f, bool add_default_closures,
                               const struct closure_form *closures, size_t nclosures,
                               bool replace_closures, struct field_errors *errs);
/* Adds one closure day inside the year (and inside one of its half-terms
 * when they are recorded). */
enum svc_status svc_closure_add(struct svc_ctx *c, int64_t authority_id, int year,
                                const struct closure_form *f, struct field_errors *errs,
                                struct closure_row *out);
/* Removes a closure day of the authority. */
enum svc_status svc_closure_remove(struct svc_ctx *c, int64_t authority_id, int64_t closure_id);

#endif
