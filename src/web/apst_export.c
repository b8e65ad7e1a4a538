#include "web/apst_export.h"
#include "web/xlsx_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/apst.h"
#include "lib/csv.h"

bool apst_holiday_withheld(const struct apst_mi *mi)
{
    return mi->holiday_pupils > 0 && mi->holiday_pupils < mi->threshold;
}

size_t apst_cost_lines(const struct apst_mi *mi, struct apst_cost_line out[APST_COST_LINES])
{
    const struct apst_cost_plan *c = &mi->costs;
    bool w = apst_holiday_withheld(mi);
    char fte[16];
    apst_fte_text(mi->staff.fte, fte, sizeof fte);
    struct {
        const char *group, *label;
        int64_t pence;
        bool withheld;
    } l[APST_COST_LINES] = {
        {"set-up", "Taskforce office and meeting space", c->office, false},
        {"set-up", "Equipment", c->equipment, false},
        {"set-up", "Total set-up", c->setup_total, false},
        {"a year", "Taskforce Manager", c->manager, false},
        {"a year", "School SLT time", c->slt, false},
        {"a year", NULL, c->specialists, false},
        {"a year", "Holiday provision (\xc2\xa3" "350 a pupil)", c->holiday, w},
        {"a year", "Total a year", c->year_total, w},
    };
    for (size_t i = 0; i < APST_COST_LINES; i++) {
        out[i].group = l[i].group;
        if (l[i].label)
            snprintf(out[i].label, sizeof out[i].label, "%s", l[i].label);
        else
            snprintf(out[i].label, sizeof out[i].label, "Specialists (%s FTE at \xc2\xa3" "46,000)", fte);
        out[i].pence = l[i].pence;
        out[i].withheld = l[i].withheld;
    }
    return APST_COST_LINES;
}

static void signed_money(int64_t pence, char *out, size_t outsz)
{
    char m[28];
    apst_money_text(pence < 0 ? -pence : pence, m, sizeof m);
    size_t n = strlen(m);
    if (outsz < n + 2)
        return;
    out[0] = pence > 0 ? '+' : pence < 0 ? '-' : '\0';
    memcpy(out + (out[0] ? 1 : 0), m, n + 1);
}

size_t apst_compare_lines(const struct apst_mi *mi, struct apst_compare_line out[APST_COMPARE_LINES])
{
    const struct apst_cost_compare *cc = &mi->compare;
    size_t n = 0;
    for (size_t i = 0; i <= APST_COST_LINE_COUNT && n < APST_COMPARE_LINES; i++) {
        bool total = i == APST_COST_LINE_COUNT;
        const struct apst_cost_cmp_line *l = total ? &cc->total : &cc->line[i];
        struct apst_compare_line *o = &out[n++];
        memset(o, 0, sizeof *o);
        o->total = total;
        o->code = total ? "total" : codes_apst_cost_line.entries[i].code;
        snprintf(o->label, sizeof o->label, "%s", total ? "Total" : codes_apst_cost_line.entries[i].label);
        o->planned_known = !l->planned_withheld;
        o->actual_known = l->source != APST_COST_NONE && !l->actual_withheld;
        o->variance_known = o->planned_known && o->actual_known;
        o->planned_pence = l->planned;
        o->actual_pence = l->actual;
        o->variance_pence = l->variance;
        if (o->planned_known)
            apst_money_text(l->planned, o->planned, sizeof o->planned);
        else
            snprintf(o->planned, sizeof o->planned, "c");
        if (l->actual_withheld)
            snprintf(o->actual, sizeof o->actual, "c");
        else if (o->actual_known)
            apst_money_text(l->actual, o->actual, sizeof o->actual);
        if (o->variance_known)
            signed_money(l->variance, o->variance, sizeof o->variance);
        else if (l->planned_withheld || l->actual_withheld)
            snprintf(o->variance, sizeof o->variance, "c");
        o->source = total ? "" : l->source == APST_COST_ENTERED ? "entered"
                              : l->source == APST_COST_DERIVED ? "from the staff in post and the log" : "";
    }
    return n;
}

/* Every row of the return, in order, to a writer. */
typedef void (*row_fn)(void *arg, const char *section, const char *measure, const char *value, const char *pct);

static void pct_text(int pc, char *out, size_t outsz)
{
    if (pc < 0)
        out[0] = '\0';
    else
        snprintf(out, outsz, "%d%%", pc);
}

static void rows(const struct apst_taskforce_row *t, const struct apst_mi *mi, row_fn row, void *arg)
{
    row(arg, "taskforce", t->name, NULL, NULL);
    row(arg, "AP school", t->school_name, NULL, NULL);
    row(arg, "period from", mi->from, NULL, NULL);
    row(arg, "period to", mi->to, NULL, NULL);
    char n[32];
    apst_fte_text(mi->staff.fte, n, sizeof n);
    row(arg, "staffing", "specialist FTE in post", n, "");
    snprintf(n, sizeof n, "%lld", (long long)mi->staff.headcount);
    row(arg, "staffing", "specialists in post", n, "");
    snprintf(n, sizeof n, "%zu", mi->staff.types);
    row(arg, "staffing", "recommended specialist types in post", n, "");
    for (int i = 0; i < APST_MI__COUNT; i++) {
        const struct stat_table *tb = &mi->t[i];
        for (size_t r = 0; r < tb->nrows; r++) {
            char text[32], pct[16];
            stat_cell_text(&tb->rows[r], COL_TOTAL, text, sizeof text, pct, sizeof pct);
            row(arg, tb->key, tb->rows[r].label, text, pct);
        }
    }
    char h[24], p[16];
    for (size_t k = 0; k < codes_apst_specialist.count && k < APST_MI_KINDS; k++) {
        apst_hours_text(mi->minutes_by_kind[k], h, sizeof h);
        pct_text(apst_pct(mi->minutes_by_kind[k], mi->minutes_total), p, sizeof p);
        row(arg, "hours by specialist type", codes_apst_specialist.entries[k].label, h, p);
    }
    for (size_t k = 0; k < codes_apst_activity.count && k < APST_MI_KINDS; k++) {
        apst_hours_text(mi->minutes_by_activity[k], h, sizeof h);
        pct_text(apst_pct(mi->minutes_by_activity[k], mi->minutes_total), p, sizeof p);
        row(arg, "hours by activity", codes_apst_activity.entries[k].label, h, p);
    }
    apst_hours_text(mi->minutes_total, h, sizeof h);
    row(arg, "hours", "total", h, "");
    struct apst_cost_line l[APST_COST_LINES];
    size_t nl = apst_cost_lines(mi, l);
    for (size_t i = 0; i < nl; i++) {
        char pounds[32], label[160];
        snprintf(pounds, sizeof pounds, "%lld", (long long)((l[i].pence + 50) / 100));
        snprintf(label, sizeof label, "%s (%s)", l[i].label, l[i].group);
        row(arg, "cost at the advice's averages (GBP)", label, l[i].withheld ? "c" : pounds, "");
    }
    /* Planned against actual for the period, in whole pounds: three rows a
     * line (planned, actual, variance: actual less planned). */
    struct apst_compare_line cl[APST_COMPARE_LINES];
    size_t nc = apst_compare_lines(mi, cl);
    for (size_t i = 0; i < nc; i++) {
        char v[32], label[160];
        const struct { const char *what; bool known; int64_t pence; const char *text; } cells[] = {
            {"planned", cl[i].planned_known, cl[i].planned_pence, cl[i].planned},
            {"actual", cl[i].actual_known, cl[i].actual_pence, cl[i].actual},
            {"variance", cl[i].variance_known, cl[i].variance_pence, cl[i].variance},
        };
        for (size_t k = 0; k < 3; k++) {
            int64_t pn = cells[k].pence;
            if (cells[k].known)
                snprintf(v, sizeof v, "%s%lld", pn < 0 ? "-" : "", (long long)(((pn < 0 ? -pn : pn) + 50) / 100));
            else
                snprintf(v, sizeof v, "%s", !strcmp(cells[k].text, "c") ? "c" : "");
            snprintf(label, sizeof label, "%s (%s)", cl[i].label, cells[k].what);
            row(arg, "cost planned and actual (GBP)", label, v, "");
        }
    }
}

static void csv_row(void *arg, const char *section, const char *measure, const char *value, const char *pct)
{
    struct csv *w = arg;
    csv_text(w, section);
    csv_text(w, measure);
    if (value) {
        csv_number(w, value);
        csv_number(w, pct);
    }
    csv_end_row(w);
}

void apst_return_csv(const struct apst_taskforce_row *t, const struct apst_mi *mi, struct buf *out)
{
    struct csv w = CSV_INIT(out);
    csv_row(&w, "section", "measure", "value", "percent");
    rows(t, mi, csv_row, &w);
}

struct sheet {
    lxw_worksheet *ws;
    lxw_row_t r;
};

/* A number the program made is written as a number; "c", "" and text as text. */
static void cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t col, const char *s)
{
    if (!s || !*s)
        return;
    char *end = NULL;
    double v = strtod(s, &end);
    if (end && end != s && (*end == '\0' || (end[0] == '%' && end[1] == '\0')))
        worksheet_write_number(ws, r, col, *end == '%' ? v / 100.0 : v, NULL);
    else
        worksheet_write_string(ws, r, col, s, NULL);
}

static void xlsx_row(void *arg, const char *section, const char *measure, const char *value, const char *pct)
{
    struct sheet *sh = arg;
    /* Text a person typed (the taskforce's and school's names) is only ever
     * a string: libxlsxwriter writes strings as strings, never formulas. */
    worksheet_write_string(sh->ws, sh->r, 0, section, NULL);
    worksheet_write_string(sh->ws, sh->r, 1, measure, NULL);
    cell(sh->ws, sh->r, 2, value);
    cell(sh->ws, sh->r, 3, pct);
    sh->r++;
}

int apst_return_xlsx(const struct apst_taskforce_row *t, const struct apst_mi *mi, struct buf *out)
{
    struct xlsx_file xf;
    lxw_workbook *wb = xlsx_open(&xf);
    if (!wb)
        return -1;
    lxw_format *bold = xlsx_format(wb, true, NULL);
    struct sheet sh = {workbook_add_worksheet(wb, "MI return"), 1};
    static const char *const head[] = {"section", "measure", "value", "percent"};
    for (lxw_col_t c = 0; c < 4; c++)
        worksheet_write_string(sh.ws, 0, c, head[c], bold);
    worksheet_set_column(sh.ws, 0, 0, 34, NULL);
    worksheet_set_column(sh.ws, 1, 1, 60, NULL);
    rows(t, mi, xlsx_row, &sh);
    char note[160];
    snprintf(note, sizeof note, "Counts of pupils from 1 to %d are shown as c, with the figures that would reveal them.",
             mi->threshold - 1);
    worksheet_write_string(sh.ws, sh.r + 1, 0, note, NULL);
    return xlsx_finish(&xf, wb, out);
}
