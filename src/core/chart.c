#include "core/chart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int layout(const struct stat_table *t, struct chart_geom *out);

/* Colour-blind safe (Okabe-Ito order) and distinct in greyscale print. */
static const char *const palette[CHART_MAX_SERIES] = {
    "#0072b2", "#e69f00", "#009e73", "#505a5f", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
};

/* Drawn half a page wide (beside its table), so the drawing is small and
 * its text large enough to read when scaled to that width. */
#define W 480
#define LABEL_W 90              /* stacked bars: the column names at the left */
#define VALUE_W 44
#define TOP 8
#define AXIS_H 28

/* The value plotted for a cell, and whether there is one. */
static bool cell_value(const struct stat_row *r, int col, bool percent, double *v)
{
    const struct stat_cell *c = &r->cells[col];
    if (c->suppressed || (percent && c->pct_withheld))
        return false;
    if (r->kind == STAT_RATIO) {
        *v = stat_ratio_value(c);
    } else if (percent) {
        if (!c->base || c->base->n <= 0)
            return false;
        *v = 100.0 * (double)c->n / (double)c->base->n;
    } else {
        *v = (double)c->n;
        if (r->kind == STAT_MONEY)
            *v /= 100.0;
    }
    return true;
}

static void value_text(const struct stat_row *r, int col, bool percent, char *out, size_t n)
{
    char pct[16];
    stat_cell_text(r, (enum stat_col)col, out, n, pct, sizeof pct);
    if (percent && strcmp(out, "c") != 0)
        snprintf(out, n, "%s", pct[0] ? pct : "x");
}

/* 1, 2 or 5 times a power of ten, at least v (and at least 1). */
static double nice_ceiling(double v)
{
    double step = 1;
    while (step * 10 <= v)
        step *= 10;
    if (v <= step)
        return step;
    if (v <= 2 * step)
        return 2 * step;
    if (v <= 5 * step)
        return 5 * step;
    return 10 * step;
}

/* Round steps: a maximum of 1 or 5 (times a power of ten) in five steps,
 * 2 in four, 100% in quarters. */
static void axis(struct chart_geom *g, double max, bool horizontal)
{
    double lead = max;
    while (lead >= 10)
        lead /= 10;
    int steps = (g->percent && max == 100) || (lead > 1.5 && lead < 2.5) ? 4 : 5;
    g->nticks = (size_t)steps + 1;
    for (size_t i = 0; i < g->nticks; i++) {
        double v = max * (double)i / steps;
        if (v == (double)(long long)v)
            snprintf(g->ticks[i].text, sizeof g->ticks[i].text, "%lld%s", (long long)v, g->percent ? "%" : "");
        else
            snprintf(g->ticks[i].text, sizeof g->ticks[i].text, "%.1f%s", v, g->percent ? "%" : "");
        if (horizontal) {
            g->tick_pos[i] = g->plot_x + (int)((double)g->plot_w * (double)i / steps + 0.5);
            g->ticks[i].x = g->tick_pos[i];
            g->ticks[i].y = g->plot_y + g->plot_h + 18;
        } else {
            g->tick_pos[i] = g->plot_y + g->plot_h - (int)((double)g->plot_h * (double)i / steps + 0.5);
            g->ticks[i].x = g->plot_x - 6;
            g->ticks[i].y = g->tick_pos[i] + 4;
        }
    }
}

static bool rows_have_base(const struct stat_table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].kind != STAT_COUNT || !t->rows[i].cells[COL_TOTAL].base)
            return false;
    return t->nrows > 0;
}

static void add_series(struct chart_geom *g, const char *name)
{
    if (g->nseries >= CHART_MAX_SERIES)
        return;
    struct chart_series *s = &g->series[g->nseries];
    snprintf(s->name, sizeof s->name, "%s", name);
    s->fill = palette[g->nseries];
    s->points[0] = '\0';
    g->nseries++;
}

static void layout_bars(const struct stat_table *t, struct chart_geom *g)
{
    int cols[STAT_NCOLS];
    size_t ncols = (size_t)stat_columns(t, cols);
    for (size_t s = 0; s < ncols; s++)
        add_series(g, stat_col_label((enum stat_col)cols[s]));
    g->percent = rows_have_base(t);
    /* Each category's name above its bars, so long names need no margin. */
    const int bar_h = 12, gap = 2, group_gap = 10, label_h = 16;
    int group_h = label_h + (int)ncols * (bar_h + gap) + group_gap;
    g->plot_x = 4;
    g->plot_y = TOP;
    g->plot_w = W - g->plot_x - VALUE_W;
    g->plot_h = (int)t->nrows * group_h;
    g->height = g->plot_y + g->plot_h + AXIS_H;
    g->labels_above = true;
    double max = 0, v;
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t s = 0; s < ncols; s++)
            if (cell_value(&t->rows[i], cols[s], g->percent, &v) && v > max)
                max = v;
    max = g->percent && max > 50 ? 100 : nice_ceiling(max);
    axis(g, max, true);
    for (size_t i = 0; i < t->nrows && g->ncats < CHART_MAX_CATS; i++) {
        const struct stat_row *r = &t->rows[i];
        int gy = g->plot_y + (int)i * group_h;
        struct chart_label *cl = &g->cats[g->ncats++];
        snprintf(cl->text, sizeof cl->text, "%s", r->label);
        cl->x = g->plot_x;
        cl->y = gy + 12;
        for (size_t s = 0; s < ncols && g->nmarks < CHART_MAX_MARKS; s++) {
            struct chart_mark *m = &g->marks[g->nmarks++];
            memset(m, 0, sizeof *m);
            m->series = (int)s;
            m->cat = (int)i;
            m->x = g->plot_x;
            m->y = gy + label_h + (int)s * (bar_h + gap);
            m->h = bar_h;
            m->w = cell_value(r, cols[s], g->percent, &v) ? (int)((double)g->plot_w * v / max + 0.5) : 0;
            value_text(r, cols[s], g->percent, m->value, sizeof m->value);
            m->text_x = m->x + m->w + 4;
            m->text_y = m->y + bar_h - 2;
        }
    }
}

static void layout_stacked(const struct stat_table *t, struct chart_geom *g)
{
    int cols[STAT_NCOLS];
    size_t ncols = (size_t)stat_columns(t, cols);
    for (size_t i = 0; i < t->nrows; i++)
        add_series(g, t->rows[i].label);
    g->percent = true;
    const int bar_h = 24, gap = 14;
    g->plot_x = LABEL_W;
    g->plot_y = TOP;
    g->plot_w = W - LABEL_W - VALUE_W;
    g->plot_h = (int)ncols * (bar_h + gap);
    g->height = g->plot_y + g->plot_h + AXIS_H;
    axis(g, 100, true);
    for (size_t s = 0; s < ncols; s++) {
        int c = cols[s];
        double total = 0, v;
        bool hidden = false;
        for (size_t i = 0; i < t->nrows; i++) {
            if (t->rows[i].cells[c].suppressed)
                hidden = true;
            else if (cell_value(&t->rows[i], c, false, &v))
                total += v;
        }
        struct chart_label *cl = &g->cats[g->ncats++];
        snprintf(cl->text, sizeof cl->text, "%s", stat_col_label((enum stat_col)c));
        int y = g->plot_y + (int)s * (bar_h + gap);
        cl->x = LABEL_W - 8;
        cl->y = y + bar_h / 2 + 4;
        if (hidden || total <= 0)
            continue;   /* a split with a hidden part would reveal it */
        double acc = 0;
        for (size_t i = 0; i < t->nrows && g->nmarks < CHART_MAX_MARKS; i++) {
            if (!cell_value(&t->rows[i], c, false, &v))
                continue;
            struct chart_mark *m = &g->marks[g->nmarks++];
            memset(m, 0, sizeof *m);
            m->series = (int)i;
            m->cat = (int)s;
            int x0 = g->plot_x + (int)((double)g->plot_w * acc / total + 0.5);
            acc += v;
            int x1 = g->plot_x + (int)((double)g->plot_w * acc / total + 0.5);
            m->x = x0;
            m->y = y;
            m->w = x1 - x0;
            m->h = bar_h;
            snprintf(m->value, sizeof m->value, "%d%%", (int)(100.0 * v / total + 0.5));
            m->text_x = m->w >= 34 ? x0 + 3 : -1;
            m->text_y = y + bar_h / 2 + 4;
        }
    }
}

static void layout_line(const struct stat_table *t, struct chart_geom *g)
{
    int cols[STAT_NCOLS];
    size_t ncols = (size_t)stat_columns(t, cols);
    for (size_t s = 0; s < ncols; s++)
        add_series(g, stat_col_label((enum stat_col)cols[s]));
    g->percent = false;
    g->plot_x = 40;
    g->plot_y = TOP + 4;
    g->plot_w = W - 40 - 28;
    g->plot_h = 200;
    g->height = g->plot_y + g->plot_h + AXIS_H + 8;
    double max = 0, v;
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t s = 0; s < ncols; s++)
            if (cell_value(&t->rows[i], cols[s], false, &v) && v > max)
                max = v;
    max = nice_ceiling(max);
    axis(g, max, false);
    size_t n = t->nrows;
    for (size_t i = 0; i < n && g->ncats < CHART_MAX_CATS; i++) {
        struct chart_label *cl = &g->cats[g->ncats++];
        snprintf(cl->text, sizeof cl->text, "%s", t->rows[i].label);
        cl->x = g->plot_x + (n > 1 ? (int)((double)g->plot_w * (double)i / (double)(n - 1)) : g->plot_w / 2);
        cl->y = g->plot_y + g->plot_h + 18;
    }
    for (size_t s = 0; s < ncols; s++) {
        struct chart_series *se = &g->series[s];
        size_t o = 0;
        for (size_t i = 0; i < n && i < g->ncats; i++) {
            if (!cell_value(&t->rows[i], cols[s], false, &v))
                continue;   /* a gap in the line, never a guess */
            int x = g->cats[i].x;
            int y = g->plot_y + g->plot_h - (int)((double)g->plot_h * v / max + 0.5);
            int k = snprintf(se->points + o, sizeof se->points - o, "%s%d,%d", o ? " " : "", x, y);
            if (k < 0 || (size_t)k >= sizeof se->points - o)
                break;
            o += (size_t)k;
            if (g->nmarks < CHART_MAX_MARKS) {
                struct chart_mark *m = &g->marks[g->nmarks++];
                memset(m, 0, sizeof *m);
                m->series = (int)s;
                m->cat = (int)i;
                m->x = x;
                m->y = y;
                m->w = m->h = 0;
                value_text(&t->rows[i], cols[s], false, m->value, sizeof m->value);
                m->text_x = -1;
            }
        }
    }
}

int chart_layout(const struct stat_table *src, struct chart_geom *out)
{
    memset(out, 0, sizeof *out);
    /* A chart of some rows only (e.g. the "Yes" of each prior contact),
     * each named by its group.  Copies keep their cells' base pointers. */
    struct stat_table *picked = NULL;
    const struct stat_table *t = src;
    if (src->chart_rows) {
        picked = malloc(sizeof *picked);
        if (!picked)
            return -1;
        *picked = *src;
        picked->nrows = 0;
        for (size_t i = 0; i < src->nrows; i++)
            if (!strcmp(src->rows[i].label, src->chart_rows)) {
                picked->rows[picked->nrows] = src->rows[i];
                snprintf(picked->rows[picked->nrows].label, STAT_LABEL_MAX, "%s", src->rows[i].group);
                picked->nrows++;
            }
        t = picked;
    }
    int rc = layout(t, out);
    free(picked);
    return rc;
}

static int layout(const struct stat_table *t, struct chart_geom *out)
{
    out->kind = t->chart;
    out->width = W;
    if (t->nrows == 0)
        return -1;
    switch (t->chart) {
    case CHART_BAR: layout_bars(t, out); return 0;
    case CHART_STACKED: layout_stacked(t, out); return 0;
    case CHART_LINE: layout_line(t, out); return 0;
    case CHART_NONE: break;
    }
    return -1;
}

/* A small drawing (a third of a page wide): the two labels at the left, the
 * bars in rows, the percentage after each bar, the scale underneath. */
#define PAIR_W 360
#define PAIR_LABEL_W 56
#define PAIR_VALUE_W 64
#define PAIR_BAR_H 24
#define PAIR_GAP 12

void chart_pair_layout(const char *const labels[2], const double pct[2], const bool have[2],
                       struct chart_pair *out)
{
    memset(out, 0, sizeof *out);
    out->width = PAIR_W;
    out->plot_x = PAIR_LABEL_W;
    out->plot_y = TOP;
    out->plot_w = PAIR_W - PAIR_LABEL_W - PAIR_VALUE_W;
    out->plot_h = 2 * PAIR_BAR_H + 3 * PAIR_GAP;
    out->height = out->plot_y + out->plot_h + AXIS_H;
    for (int i = 0; i < 2; i++) {
        struct chart_pair_bar *b = &out->bars[i];
        snprintf(b->label, sizeof b->label, "%s", labels[i]);
        b->x = out->plot_x;
        b->y = out->plot_y + PAIR_GAP + i * (PAIR_BAR_H + PAIR_GAP);
        b->h = PAIR_BAR_H;
        b->drawn = have[i];
        double v = pct[i] < 0 ? 0 : pct[i] > 100 ? 100 : pct[i];
        b->w = have[i] ? (int)(v * out->plot_w / 100.0 + 0.5) : 0;
        if (have[i])
            snprintf(b->value, sizeof b->value, "%.1f%%", v);
        else
            snprintf(b->value, sizeof b->value, "no data");
        b->text_x = b->x + b->w + 6;
        b->text_y = b->y + PAIR_BAR_H / 2 + 5;
    }
    out->nticks = 5;
    for (size_t i = 0; i < out->nticks; i++) {
        int x = out->plot_x + (int)(i * (size_t)out->plot_w / 4);
        out->tick_pos[i] = x;
        snprintf(out->ticks[i].text, sizeof out->ticks[i].text, "%zu%%", i * 25);
        out->ticks[i].x = x;
        out->ticks[i].y = out->plot_y + out->plot_h + 18;
    }
}

/* ---- scores over time ---- */

#define SCORE_W 480
#define SCORE_H 220
#define SCORE_LEFT 40           /* the value axis labels */
#define SCORE_RIGHT 16
#define SCORE_TOP 12
#define SCORE_BOTTOM 32         /* the dates under the points */

int chart_score_layout(const int *scores, size_t n, const int *marks, size_t nmarks, int max_possible,
                       struct score_chart *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0 || n > CHART_SCORE_POINTS || nmarks > CHART_SCORE_MARKS)
        return -1;
    int top = max_possible > 0 ? max_possible : 1;
    for (size_t i = 0; i < n; i++)
        if (scores[i] > top)
            top = scores[i];
    for (size_t i = 0; i < nmarks; i++)
        if (marks[i] > top)
            top = marks[i];
    /* Five whole steps, so every tick is a whole score. */
    int step = (top + 4) / 5;
    out->top = top = step * 5;
    out->width = SCORE_W;
    out->height = SCORE_H;
    out->plot_x = SCORE_LEFT;
    out->plot_y = SCORE_TOP;
    out->plot_w = SCORE_W - SCORE_LEFT - SCORE_RIGHT;
    out->plot_h = SCORE_H - SCORE_TOP - SCORE_BOTTOM;
#define SCORE_Y(v) (out->plot_y + out->plot_h - (int)((long)(v) * out->plot_h / top))
    out->nticks = 6;
    for (int i = 0; i < 6; i++) {
        out->ticks[i].value = i * step;
        out->ticks[i].x = out->plot_x;
        out->ticks[i].y = SCORE_Y(i * step);
    }
    out->nmarks = nmarks;
    for (size_t i = 0; i < nmarks; i++) {
        out->marks[i].value = marks[i];
        out->marks[i].x = out->plot_x;
        out->marks[i].y = SCORE_Y(marks[i] < 0 ? 0 : marks[i]);
    }
    out->npoints = n;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        struct score_point *p = &out->points[i];
        int v = scores[i] < 0 ? 0 : scores[i];
        p->value = scores[i];
        p->x = n == 1 ? out->plot_x + out->plot_w / 2 : out->plot_x + (int)(i * (size_t)out->plot_w / (n - 1));
        p->y = SCORE_Y(v);
        int w = snprintf(out->line + used, sizeof out->line - used, "%s%d,%d", i ? " " : "", p->x, p->y);
        if (w > 0 && (size_t)w < sizeof out->line - used)
            used += (size_t)w;
    }
#undef SCORE_Y
    return 0;
}

bool chart_all_suppressed(const struct stat_table *t)
{
    int cols[STAT_NCOLS];
    size_t ncols = (size_t)stat_columns(t, cols);
    bool hidden = false;
    double v;
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t c = 0; c < ncols; c++) {
            if (t->rows[i].cells[cols[c]].suppressed)
                hidden = true;
            else if (cell_value(&t->rows[i], cols[c], false, &v) && v != 0)
                return false;   /* something to draw */
        }
    }
    return hidden;
}
