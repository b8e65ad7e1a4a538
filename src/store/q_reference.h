/* SQL for an authority's reference data: services, practitioners, the
 * signposting playbook (table resources), term dates and closure days.
 * Service file: service/svc_reference.c. */
#ifndef TAS_STORE_Q_REFERENCE_H
#define TAS_STORE_Q_REFERENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct service_row { int64_t id; int64_t authority_id; char code[32]; char name[120]; char org_kind[20]; bool active; };
enum store_rc q_service_list(struct store *s, int64_t authority_id, bool active_only,
                             void (*fn)(void *arg, const struct service_row *r), void *arg);
/* STORE_ROW found, STORE_DONE not found (same for every _get below). */
enum store_rc q_service_get(struct store *s, int64_t id, struct service_row *out);
struct practitioner_row { int64_t id; int64_t authority_id; int64_t service_id; int64_t school_id; int64_t user_id; char name[120]; char job_title[120]; char email[160]; bool active; char service_name[120]; };
enum store_rc q_practitioner_list(struct store *s, int64_t authority_id, int64_t service_id /* 0 all */, bool active_only,
                                  void (*fn)(void *arg, const struct practitioner_row *r), void *arg);
enum store_rc q_practitioner_get(struct store *s, int64_t id, struct practitioner_row *out);

/* Services.  Insert sets r->id; STORE_CONSTRAINT when the code is taken in
 * that authority.  A change (q_ref_update) keeps the code and the
 * authority: records point at services by id. */
enum store_rc q_service_insert(struct store *s, struct service_row *r, int64_t now);
/* STORE_ROW when the authority already has a service with this code. */
enum store_rc q_service_by_code(struct store *s, int64_t authority_id, const char *code,
                                struct service_row *out);

/* The signposting playbook. */
struct resource_row {
    int64_t id;
    int64_t authority_id;
    char title[160];
    char kind[16];        /* course, workshop, guidance, website, service, other */
    char audience[16];    /* school, parents, both */
    char url[400];        /* "" when none */
    char description[2000];
    bool active;
};
enum store_rc q_resource_list(struct store *s, int64_t authority_id, bool active_only,
                              void (*fn)(void *arg, const struct resource_row *r), void *arg);
enum store_rc q_resource_get(struct store *s, int64_t id, struct resource_row *out);
enum store_rc q_resource_insert(struct store *s, struct resource_row *r, int64_t now);

/* Services, practitioners and playbook entries are one shape, served by
 * one implementation: row points at a struct service_row,
 * practitioner_row or resource_row as k says (each starts with its id).
 * Get: STORE_ROW found, STORE_DONE not found.  Insert sets the row's id
 * (STORE_CONSTRAINT: a service code taken); update writes the row with
 * that id.  The q_service_* ... functions above are these for one kind. */
enum q_ref_kind { Q_REF_SERVICE, Q_REF_PRACTITIONER, Q_REF_RESOURCE };
enum store_rc q_ref_get(struct store *s, enum q_ref_kind k, int64_t id, void *out);
/* The authority's records of kind k in list order (active first, by name),
 * each(arg, row) for each; service_id > 0 keeps a service's practitioners. */
enum store_rc q_ref_list(struct store *s, enum q_ref_kind k, int64_t authority_id, bool active_only,
                         int64_t service_id, void (*each)(void *arg, const void *row), void *arg);
enum store_rc q_ref_insert(struct store *s, enum q_ref_kind k, void *row, int64_t now);
enum store_rc q_ref_update(struct store *s, enum q_ref_kind k, const void *row, int64_t now);

/* Term dates: the half-terms recorded for one academic year (0..6 of them,
 * by number), as "YYYY-MM-DD" text. */
struct term_row {
    int half_term;        /* 1..6 */
    char starts_on[11];
    char ends_on[11];
};
/* Fills out[0..n) in half-term order; *n is how many were found. */
enum store_rc q_terms_get(struct store *s, int64_t authority_id, int academic_year,
                          struct term_row out[6], size_t *n);
/* Replaces the year's half-terms with t[0..n) (call inside a transaction). */
enum store_rc q_terms_replace(struct store *s, int64_t authority_id, int academic_year,
                              const struct term_row *t, size_t n);

/* Closure days: days inside a half-term when schools are closed. */
struct closure_row {
    int64_t id;
    int64_t authority_id;
    char closed_on[11];
    char reason[200];
};
/* Closure days between from and to inclusive ("YYYY-MM-DD"), in date order. */
enum store_rc q_closure_list(struct store *s, int64_t authority_id, const char *from, const char *to,
                             void (*fn)(void *arg, const struct closure_row *r), void *arg);
enum store_rc q_closure_get(struct store *s, int64_t id, struct closure_row *out);
/* STORE_CONSTRAINT when that day is already a closure day. */
enum store_rc q_closure_insert(struct store *s, struct closure_row *r);
enum store_rc q_closure_delete(struct store *s, int64_t id);

/* User accounts holding a role in the authority (user_roles.authority_id, or
 * an authority-scoped grant of it), not disabled,
 * for the practitioner's "linked account" select; username order. */
struct ref_user_row {
    int64_t id;
    char username[64];
    char display_name[128];
};
enum store_rc q_authority_users(struct store *s, int64_t authority_id,
                                void (*fn)(void *arg, const struct ref_user_row *r), void *arg);
/* STORE_ROW when user id holds some role in the authority. */
enum store_rc q_user_in_authority(struct store *s, int64_t user_id, int64_t authority_id);

/* STORE_ROW when another service of the authority (not except_id) has the
 * same name, ignoring case (ASCII) and the spaces around it. */
enum store_rc q_service_name_taken(struct store *s, int64_t authority_id, const char *name, int64_t except_id);

#endif
