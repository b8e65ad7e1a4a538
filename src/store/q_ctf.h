/* SQL for the Common Transfer File import (service/svc_ctf.c). */
#ifndef TAS_STORE_Q_CTF_H
#define TAS_STORE_Q_CTF_H

#include "core/records.h"
#include "store/q_common.h"

/* A school as a file's header may name it, with its authority's LA number. */
struct ctf_school {
    struct school s;           /* id, authority_id, urn, estab, name, status */
    char la_code[4];
};

#define CTF_SCHOOLS_MAX 3      /* schools read for one LA and establishment number */

/* The school with this URN: STORE_ROW, or STORE_DONE when no school has it. */
enum store_rc q_ctf_school_by_urn(struct store *s, const char *urn, struct ctf_school *out);
/* The schools with this LA number and establishment number, open ones
 * first, at most CTF_SCHOOLS_MAX of them into out (*n says how many):
 * STORE_OK. */
enum store_rc q_ctf_schools_by_laestab(struct store *s, const char *la_code, const char *estab,
                                       struct ctf_school out[CTF_SCHOOLS_MAX], size_t *n);

#endif
