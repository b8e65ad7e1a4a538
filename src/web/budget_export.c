#include "web/budget_export.h"
#include "lib/count.h"
#include "web/xlsx_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

static void money_or_text(lxw_worksheet *ws, lxw_row_t y, lxw_col_t x, const struct stat_cell *n, int64_t spend,
                          lxw_format *money)
{
    int64_t v = 0;
    if (n->suppressed)
        worksheet_write_string(ws, y, x, "c", NULL);
    else if (budget_cost_per(spend, n->n, &v) != 0)
        worksheet_write_string(ws, y, x, "z", NULL);
    else
        worksheet_write_number(ws, y, x, (double)v / 100.0, money);
}

static void report_sheet(lxw_workbook *wb, const struct budget_report *r, lxw_format *bold, lxw_format *money)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Interventions");
    if (!ws)
        return;
    char title[120], note[240];
    snprintf(title, sizeof title, "Team Around the School: pooled budget %s", r->year.label);
    snprintf(note, sizeof note, "For publication: counts from 1 to %d are shown as c, with the figures that would "
             "reveal them; z means not applicable.", r->threshold - 1);
    worksheet_write_string(ws, 0, 0, title, bold);
    worksheet_write_string(ws, 1, 0, note, NULL);
    static const char *const head[] = {"Intervention", "Provider", "Measure", "Primary", "Secondary",
                                       "Other phases", "Total"};
    for (size_t i = 0; i < COUNT(head); i++)
        worksheet_write_string(ws, 3, (lxw_col_t)i, head[i], bold);
    worksheet_set_column(ws, 0, 2, 32, NULL);
    lxw_row_t y = 4;
    for (size_t i = 0; i < r->n; i++) {
        const struct stat_table *t = &r->tables[i];
        const struct budget_report_item *it = &r->items[i];
        for (int k = 0; k < BR__ROWS + 2; k++, y++) {
            worksheet_write_string(ws, y, 0, it->iv.name, NULL);
            worksheet_write_string(ws, y, 1, it->iv.provider, NULL);
            if (k < BR_SPEND) {
                const struct stat_row *row = &t->rows[k];
                worksheet_write_string(ws, y, 2, row->label, NULL);
                for (int col = 0; col < STAT_NCOLS; col++) {
                    if (row->cells[col].suppressed)
                        worksheet_write_string(ws, y, (lxw_col_t)(3 + col), "c", NULL);
                    else
                        worksheet_write_number(ws, y, (lxw_col_t)(3 + col), (double)row->cells[col].n, NULL);
                }
            } else if (k == BR_SPEND) {
                worksheet_write_string(ws, y, 2, "Committed spend", NULL);
                worksheet_write_number(ws, y, 3 + COL_TOTAL, (double)it->committed / 100.0, money);
            } else {
                bool pupil = k == BR__ROWS;
                worksheet_write_string(ws, y, 2, pupil ? "Cost per pupil placed" : "Cost per improvement", NULL);
                money_or_text(ws, y, 3 + COL_TOTAL, &t->rows[pupil ? BR_PLACED : BR_IMPROVED].cells[COL_TOTAL],
                              it->committed, money);
            }
        }
    }
}

static void costs_sheet(lxw_workbook *wb, const struct budget_report *r, lxw_format *bold, lxw_format *money)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Unit costs");
    if (!ws)
        return;
    static const char *const head[] = {"Cost avoided", "Unit cost", "Spend equals", "Set by the authority",
                                       "Published source", "Address"};
    for (size_t i = 0; i < COUNT(head); i++)
        worksheet_write_string(ws, 0, (lxw_col_t)i, head[i], bold);
    worksheet_set_column(ws, 0, 0, 40, NULL);
    worksheet_set_column(ws, 4, 5, 60, NULL);
    for (int i = 0; i < BUDGET_COST__COUNT; i++) {
        const struct budget_cost_default *d = &budget_cost_defaults[i];
        lxw_row_t y = (lxw_row_t)(1 + i);
        int64_t v = r->costs.pence[i];
        worksheet_write_string(ws, y, 0, d->label, NULL);
        if (v > 0) {
            worksheet_write_number(ws, y, 1, (double)v / 100.0, money);
            worksheet_write_number(ws, y, 2, (double)r->spend / (double)v, NULL);
        } else {
            worksheet_write_string(ws, y, 1, "Not set: enter your local figure", NULL);
            worksheet_write_string(ws, y, 2, "z", NULL);
        }
        worksheet_write_string(ws, y, 3, r->costs.own[i] ? "Yes" : "No", NULL);
        worksheet_write_string(ws, y, 4, d->source, NULL);
        worksheet_write_string(ws, y, 5, d->url, NULL);
    }
}

int budget_xlsx(const struct budget_report *r, struct buf *out)
{
    struct xlsx_file xf;
    lxw_workbook *wb = xlsx_open(&xf);
    if (!wb)
        return -1;
    lxw_format *bold = xlsx_format(wb, true, NULL);
    lxw_format *money = xlsx_format(wb, false, "\xc2\xa3#,##0.00");
    report_sheet(wb, r, bold, money);
    costs_sheet(wb, r, bold, money);
    return xlsx_finish(&xf, wb, out);
}
