#include "web/dash_export.h"
#include "web/xlsx_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "lib/csv.h"

void dash_csv(const struct stat_table *t, struct buf *out)
{
    int cols[STAT_NCOLS];
    int nc = stat_columns(t, cols);
    struct csv w = CSV_INIT(out);
    csv_text(&w, "Group");
    csv_text(&w, "Measure");
    for (int i = 0; i < nc; i++) {
        char h[48];
        csv_text(&w, stat_col_label((enum stat_col)cols[i]));
        snprintf(h, sizeof h, "%s %%", stat_col_label((enum stat_col)cols[i]));
        csv_text(&w, h);
    }
    csv_end_row(&w);
    for (size_t r = 0; r < t->nrows; r++) {
        const struct stat_row *row = &t->rows[r];
        csv_text(&w, row->group);
        csv_text(&w, row->label);
        for (int i = 0; i < nc; i++) {
            const struct stat_cell *x = &row->cells[cols[i]];
            char text[48], pct[16];
            stat_cell_text(row, (enum stat_col)cols[i], text, sizeof text, pct, sizeof pct);
            if (row->kind == STAT_COUNT && !x->suppressed) {
                csv_int(&w, x->n);
            } else {
                if (row->kind == STAT_MONEY && !x->suppressed)   /* plain pounds, no symbol or commas */
                    snprintf(text, sizeof text, "%.2f", (double)x->n / 100.0);
                csv_text(&w, text);
            }
            char *pc = strchr(pct, '%');
            if (pc)
                *pc = '\0';
            csv_text(&w, pct);
        }
        csv_end_row(&w);
    }
}

void dash_csv_answer(const struct stat_table *t, struct resp *rs)
{
    buf_reset(&rs->body);
    dash_csv(t, &rs->body);
    rs->status = 200;
    rs->content_type = "text/csv; charset=utf-8";
    snprintf(rs->disposition, sizeof rs->disposition, "attachment; filename=\"tas-%s.csv\"", t->key);
}

/* Sheet names: at most 31 characters, none of []:*?/\ */
static void sheet_name(const struct stat_table *t, char *out, size_t n)
{
    snprintf(out, n < 32 ? n : 32, "%s", t->key);
}

static void write_sheet(lxw_workbook *wb, const struct stat_table *t, lxw_format *bold, lxw_format *money,
                        lxw_format *ratio)
{
    char name[32];
    sheet_name(t, name, sizeof name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return;
    int cols[STAT_NCOLS];
    int nc = stat_columns(t, cols);
    worksheet_write_string(ws, 0, 0, t->title, bold);
    worksheet_write_string(ws, 1, 0, t->description, NULL);
    worksheet_write_string(ws, 3, 0, "Group", bold);
    worksheet_write_string(ws, 3, 1, "Measure", bold);
    for (int i = 0; i < nc; i++) {
        char h[48];
        worksheet_write_string(ws, 3, (lxw_col_t)(2 + 2 * i), stat_col_label((enum stat_col)cols[i]), bold);
        snprintf(h, sizeof h, "%s %%", stat_col_label((enum stat_col)cols[i]));
        worksheet_write_string(ws, 3, (lxw_col_t)(3 + 2 * i), h, bold);
    }
    worksheet_set_column(ws, 0, 1, 40, NULL);
    for (size_t r = 0; r < t->nrows; r++) {
        const struct stat_row *row = &t->rows[r];
        lxw_row_t y = (lxw_row_t)(4 + r);
        worksheet_write_string(ws, y, 0, row->group, NULL);
        worksheet_write_string(ws, y, 1, row->label, NULL);
        for (int i = 0; i < nc; i++) {
            const struct stat_cell *c = &row->cells[cols[i]];
            lxw_col_t x = (lxw_col_t)(2 + 2 * i);
            if (c->suppressed) {
                worksheet_write_string(ws, y, x, "c", NULL);
            } else if (row->kind == STAT_RATIO) {
                if (c->den && c->den->n)
                    worksheet_write_number(ws, y, x, stat_ratio_value(c), ratio);
                else
                    worksheet_write_string(ws, y, x, "z", NULL);
            } else if (row->kind == STAT_MONEY) {
                worksheet_write_number(ws, y, x, (double)c->n / 100.0, money);
            } else {
                worksheet_write_number(ws, y, x, (double)c->n, NULL);
            }
            int p = stat_pct(c);
            if (p >= 0)
                worksheet_write_number(ws, y, (lxw_col_t)(x + 1), p, NULL);
        }
    }
}

int dash_xlsx(const struct stat_table *tables, size_t n, bool exact, int threshold, struct buf *out)
{
    struct xlsx_file xf;
    lxw_workbook *wb = xlsx_open(&xf);
    if (!wb)
        return -1;
    lxw_format *bold = xlsx_format(wb, true, NULL);
    lxw_format *money = xlsx_format(wb, false, "\xc2\xa3#,##0");
    lxw_format *ratio = xlsx_format(wb, false, "0.0");
    lxw_worksheet *about = workbook_add_worksheet(wb, "About");
    worksheet_write_string(about, 0, 0, "Team Around the School: dashboard tables", bold);
    char note[200];
    if (exact)
        snprintf(note, sizeof note, "Internal: exact counts. Not for publication.");
    else
        snprintf(note, sizeof note, "For publication: counts from 1 to %d are shown as c, with the figures that "
                 "would reveal them; z means not applicable.", threshold - 1);
    worksheet_write_string(about, 1, 0, note, NULL);
    for (size_t i = 0; i < n; i++)
        write_sheet(wb, &tables[i], bold, money, ratio);
    return xlsx_finish(&xf, wb, out);
}
