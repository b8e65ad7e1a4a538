/* SQL for the Common Transfer File import (service/svc_ctf.c). */
#ifndef TAS_STORE_Q_CTF_H
#define TAS_STORE_Q_CTF_H

#include "core/records.h"
#include "store/q_common.h"

/* The school with this URN and its authority's LA number: STORE_ROW, or
 * STORE_DONE when no school has it. */
enum store_rc q_ctf_school_by_urn(struct store *s, const char *urn, struct school *out, char la_code[4]);

#endif
