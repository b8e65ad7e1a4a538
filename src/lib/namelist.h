/* A list of names in one string, ", " between them, each once and in
 * byte order: the same text whatever order the names were met in (rows
 * from different database backends come in different orders).  Used for
 * "roles without a cost rate" on the dashboard. */
#ifndef TAS_LIB_NAMELIST_H
#define TAS_LIB_NAMELIST_H

#include <stddef.h>

/* Adds name to list (a string in a buffer of cap bytes) unless it is
 * already an item of it: whole items are compared, so "School" is added
 * to "School nurse".  When it would not fit, the list is left as it is. */
void namelist_add(char *list, size_t cap, const char *name);

#endif
