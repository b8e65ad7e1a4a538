/* The board's report as a workbook (libxlsxwriter): the same cells as the
 * page and the CSV (suppressed counts "c", costs withheld with them), one
 * sheet for the interventions and one for the unit costs with their
 * sources.  Text is written as text, never as a formula. */
#ifndef TAS_WEB_BUDGET_EXPORT_H
#define TAS_WEB_BUDGET_EXPORT_H

#include "lib/buf.h"
#include "service/svc_budget.h"

/* 0 ok, -1 on failure (out then holds nothing useful). */
int budget_xlsx(const struct budget_report *r, struct buf *out);

#endif
