/* The AP taskforce's MI return as rows (section, measure, value, per cent),
 * written as CSV (lib/csv.c: formula-safe) or as an XLSX sheet
 * (libxlsxwriter), in the same layout as the page: suppressed counts are
 * "c".  Also the lines of its cost estimate, for the page. */
#ifndef TAS_WEB_APST_EXPORT_H
#define TAS_WEB_APST_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"
#include "service/svc_apst.h"

struct apst_cost_line {
    const char *group;
    char label[96];
    int64_t pence;
    bool withheld;                     /* shown as "c": it would reveal a small count of pupils */
};
#define APST_COST_LINES 8
/* The set-up and yearly lines; the holiday line and the year's total are
 * withheld when between 1 and threshold-1 pupils had holiday provision. */
size_t apst_cost_lines(const struct apst_mi *mi, struct apst_cost_line out[APST_COST_LINES]);
bool apst_holiday_withheld(const struct apst_mi *mi);

/* Planned against actual (svc_apst_mi's compare), as text for the page and
 * the files: money as "£1,234" (the files: whole pounds), variance signed,
 * "c" where it would reveal a small count of pupils, "" where not known. */
struct apst_compare_line {
    const char *code;                  /* a cost line, or "total" */
    char label[96];
    char planned[32], actual[32], variance[32];
    const char *source;                /* "entered", "from the staff in post and the log", "" */
    int64_t planned_pence, actual_pence, variance_pence;
    bool planned_known, actual_known, variance_known;
    bool total;
};
#define APST_COMPARE_LINES 7
size_t apst_compare_lines(const struct apst_mi *mi, struct apst_compare_line out[APST_COMPARE_LINES]);

void apst_return_csv(const struct apst_taskforce_row *t, const struct apst_mi *mi, struct buf *out);
/* 0 ok, -1 on failure. */
int apst_return_xlsx(const struct apst_taskforce_row *t, const struct apst_mi *mi, struct buf *out);

#endif
