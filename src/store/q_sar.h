/* SQL for a subject access request: every row held about one pupil, table
 * by table, with its column names, so nothing is left out by a view that
 * shows only some fields. */
#ifndef TAS_STORE_Q_SAR_H
#define TAS_STORE_Q_SAR_H

#include <stddef.h>

#include "store/store.h"

#define SAR_MAX_COLS 40

/* One row: section is the kind of record ("pupil", "consents", ...),
 * values[i] NULL where the column is empty (SQL NULL). */
typedef void (*sar_row_fn)(void *arg, const char *section, size_t ncols, const char *const *names,
                           const char *const *values);

enum store_rc q_sar_rows(struct store *s, int64_t pupil_id, sar_row_fn fn, void *arg);

/* The sections in the order q_sar_rows gives them, with a heading each. */
struct sar_section {
    const char *name;
    const char *heading;
};
size_t q_sar_sections(const struct sar_section **out);

#endif
