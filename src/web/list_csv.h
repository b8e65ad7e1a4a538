/* A list's JSON answer written as CSV: GET /pupils.csv (and every list
 * route marked ROUTE_CSV) runs the list's own JSON handler for the whole
 * list and view_json writes its rows here instead of JSON, so the file
 * holds exactly what the API would give the same user. */
#ifndef TAS_WEB_LIST_CSV_H
#define TAS_WEB_LIST_CSV_H

#include <jansson.h>

#include "lib/buf.h"

/* The largest list one file holds; a longer list is refused (413) rather
 * than cut short without saying so. */
#define LIST_CSV_MAX_ROWS 50000

/* Writes data[key] (an array of objects) to out as RFC 4180 CSV through
 * lib/csv (UTF-8, CRLF, cells that a spreadsheet would run as a formula
 * neutralised): a header row of the fields in the order first met, then
 * a row per element.  A nested object's fields are columns "school.name";
 * an array's values are joined with "; " (an object in it by its "name",
 * "label" or "id"); true and false are "yes" and "no"; null is empty.
 * Returns 0, or -1 when data[key] is not an array. */
int list_csv_write(struct buf *out, const json_t *data, const char *key);

#endif
