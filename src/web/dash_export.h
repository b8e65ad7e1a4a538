/* The dashboard's tables as files: CSV (one table) and XLSX (every table,
 * one sheet each, through libxlsxwriter).  Cells hold what the page shows:
 * suppressed counts are "c", withheld percentages are empty. */
#ifndef TAS_WEB_DASH_EXPORT_H
#define TAS_WEB_DASH_EXPORT_H

#include <stdbool.h>

#include "core/stats.h"
#include "lib/buf.h"
#include "web/http.h"

/* Header: Group, Measure, then per column "<col>" and "<col> %". */
void dash_csv(const struct stat_table *t, struct buf *out);
/* Answers with t as a CSV file, tas-<key>.csv. */
void dash_csv_answer(const struct stat_table *t, struct resp *rs);
/* 0 ok, -1 on failure (out then holds nothing useful). */
int dash_xlsx(const struct stat_table *tables, size_t n, bool exact, int threshold, struct buf *out);

#endif
