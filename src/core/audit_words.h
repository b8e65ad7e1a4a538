/* The audit log in words, for people who are not its engineers: a parent
 * reading a subject access answer, a DPO scanning a list.  Pure. */
#ifndef TAS_CORE_AUDIT_WORDS_H
#define TAS_CORE_AUDIT_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* "Viewed the pupil's record", "Changed a TAS case", "Listed pupils (in a
 * search or list)", "Tried to view the pupil's record: refused".  Codes it
 * does not know are given as they are, never dropped. */
void audit_describe(const char *action, const char *kind, bool refused, char *out, size_t n);

#endif
