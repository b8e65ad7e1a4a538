/* The service layer: each use case (create a pupil, sign in, ...) in one
 * function that checks the policy, validates, and stores, in that order.
 * The web handlers and the CLI (including `tas demo`) both call these, so
 * there is exactly one path by which data enters tas.
 *
 * The contract every use case in svc_*.h keeps unless its comment says
 * otherwise (each prototype's comment adds what it returns, checks and
 * hides):
 *  - Returns an enum svc_status; out parameters hold a record only on
 *    SVC_OK.  SVC_ERROR means storage failed.
 *  - Checks, in this order: the record it acts on (missing or hidden:
 *    SVC_NOT_FOUND); the policy (core/policy.c) for the action, answering
 *    SVC_FORBIDDEN; what was typed (core validation), answering SVC_INVALID
 *    with errs naming each field to fix; the records the form names (they
 *    must exist and be in reach, or the field is in error); then storage.
 *  - A hidden record, one the user may not view, answers SVC_NOT_FOUND,
 *    exactly as one that does not exist, so ids cannot be probed.  Only a
 *    record the user may view but not change answers SVC_FORBIDDEN.
 *  - A list answers SVC_FORBIDDEN when the user may list nothing of the
 *    kind; otherwise it calls fn once per row the user may see (never a
 *    hidden one), in the order its comment states, and paged lists set
 *    *total to the rows the filter selects. */
#ifndef TAS_SERVICE_SVC_H
#define TAS_SERVICE_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/policy.h"
#include "store/store.h"

enum svc_status {
    SVC_OK = 0,
    SVC_INVALID,     /* field errors say what to fix */
    SVC_FORBIDDEN,   /* the policy said no */
    SVC_NOT_FOUND,
    SVC_CONFLICT,    /* e.g. a duplicate that is not a field error */
    SVC_ERROR        /* storage failed; nothing was changed */
};

struct svc_ctx {
    struct store *db;
    const struct principal *who;   /* never NULL; an empty principal may do nothing */
    int64_t now;                   /* Unix seconds */
    char today[11];                /* YYYY-MM-DD (UTC) */
    char remote_addr[64];          /* where the request came from ("cli" on the command line), for the audit trail */
};

/* Fills c for one request: today from now (UTC), remote_addr from
 * svc_origin_set. */
void svc_ctx_init(struct svc_ctx *c, struct store *db, const struct principal *who, int64_t now);
/* A status's name for logs and messages ("ok", "not found", ...). */
const char *svc_status_text(enum svc_status st);
/* The address svc_ctx_init copies into remote_addr on this thread: the web
 * dispatch sets the connection's address for each request (so the many
 * handlers that build a ctx need not); NULL resets it to "cli". */
void svc_origin_set(const char *remote_addr);
/* True if the policy allows; a one-line wrapper so use cases read plainly. */
int svc_allowed(const struct svc_ctx *c, enum action a, enum resource_kind k,
                int64_t id, int64_t authority_id, int64_t school_id);
/* The same for a resource built by the caller (facts such as pupil_id
 * set); case facts are completed from the database first. */
int svc_decide(const struct svc_ctx *c, enum action a, struct resource *r);
/* The records' generation (store_records_generation), which a page kept
 * in memory (web/page_cache.h) is keyed by: read before the page is made. */
enum svc_status svc_records_generation(struct svc_ctx *c, int64_t *gen);
/* Maps a storage result: rows and done are success, constraint a conflict. */
enum svc_status svc_from_store(enum store_rc rc);
/* Maps the result of reading one record (q_*_get, or a change that answers
 * STORE_DONE when its record is not there): a row (or STORE_OK) is SVC_OK,
 * STORE_DONE is SVC_NOT_FOUND, anything else SVC_ERROR.  The usual
 * start of a use case on a record:
 *     if (rc != STORE_ROW) return svc_from_get(rc); */
enum svc_status svc_from_get(enum store_rc rc);
struct field_errors;
/* Maps the result of a save whose one constraint is a key typed in the
 * form (an LA code, a URN, a UPN, a meeting's date and time): a
 * constraint is field's error taken (SVC_INVALID), anything else as
 * svc_from_store. */
enum svc_status svc_from_save(enum store_rc rc, struct field_errors *errs, const char *field, const char *taken);
/* A GOV.UK date input's three boxes into out (YYYY-MM-DD): 0, or -1
 * after adding the error to field ("Enter the date <what>" when all are
 * empty, "The date <what> must be a real date"). */
struct field_errors;
int svc_date_parts(const char *d, const char *m, const char *y, const char *field, const char *what, char out[11],
                   struct field_errors *errs);
/* Text helpers of the use cases' validation: true for NULL or only
 * spaces, tabs and line ends; and a copy into dst (n bytes), cut on a
 * UTF-8 boundary when it does not fit. */
bool svc_blank(const char *s);
void svc_copy(char *dst, size_t n, const char *src);
/* Room for element n of a growing array of *cap elements of size bytes
 * (one way to grow the lists the use cases gather): rows itself while it
 * has room, else rows reallocated to twice *cap (first elements at the
 * start) with *cap updated.  When memory runs out it sets *failed and
 * answers rows untouched (still the caller's to free): every caller then
 * gives up on what it was gathering. */
void *svc_room(void *rows, size_t n, size_t *cap, size_t size, size_t first, bool *failed);
/* A list handed on with only the rows the user may see, one way for the
 * lists whose store query cannot filter it all: SVC_ROW_FILTER(name, T,
 * keep) declares struct name {c, fn, arg, all, shown, hidden} (the
 * context, the caller's callback and its argument; whether every row may
 * be passed on unchecked; the rows passed on and left out) and name_row,
 * the store's row callback, which passes on to fn each row for which all
 * or keep(c, row) is true.
 *     struct name f = {.c = c, .fn = fn, .arg = arg};  then  q_...(..., name_row, &f) */
#define SVC_ROW_FILTER(name, T, keep) \
    struct name { \
        struct svc_ctx *c; \
        void (*fn)(void *arg, const T *row); \
        void *arg; \
        bool all; \
        int64_t shown, hidden; \
    }; \
    static void name##_row(void *arg, const T *row) \
    { \
        struct name *f = arg; \
        if (f->all || keep(f->c, row)) { \
            f->shown++; \
            f->fn(f->arg, row); \
        } else { \
            f->hidden++; \
        } \
    }
/* What the user may list of kind k, into v: SVC_OK, or SVC_FORBIDDEN when
 * the policy lets them see none at all.  The start of every list. */
enum svc_status svc_list_visible(const struct svc_ctx *c, enum resource_kind k, struct visibility *v);
/* The same for the lists filtered by authority and school alone
 * (authorities, schools, pupils, the audit log): SVC_FORBIDDEN unless
 * the user may list all of kind k or some authority's or school's; a
 * reach by team or by pupil alone does not open them. */
enum svc_status svc_list_visible_places(const struct svc_ctx *c, enum resource_kind k, struct visibility *v);
/* Whether the user may take a whole list of kind k away as a file: SVC_OK
 * when the policy lets them export everything they may list of it,
 * SVC_FORBIDDEN otherwise (nothing to list, no export, or an export
 * narrower than the list). */
enum svc_status svc_list_exportable(const struct svc_ctx *c, enum resource_kind k);
/* The principal for command-line administration (platform administrator). */
const struct principal *svc_system_principal(void);

#endif
