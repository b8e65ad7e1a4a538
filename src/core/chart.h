/* Chart geometry for server-rendered SVG: where each bar, segment or
 * point goes, computed from a statistics table.  Pure: the SVG itself is
 * written by a template (templates/dashboard_chart.html) from these
 * numbers.  Suppressed cells draw nothing and are labelled "c". */
#ifndef TAS_CORE_CHART_H
#define TAS_CORE_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "core/stats.h"

#define CHART_MAX_MARKS 256
#define CHART_MAX_SERIES 8
#define CHART_MAX_CATS STAT_MAX_ROWS

struct chart_mark {
    int x, y, w, h;               /* bar or segment; for a line, x,y is the point */
    int series;                   /* index into series[] */
    int cat;                      /* index into cats[] (or the stack's category) */
    char value[32];               /* "59%", "12", "c" */
    int text_x, text_y;           /* where the value label goes; text_x < 0: no label */
};

struct chart_label {
    char text[STAT_LABEL_MAX];
    int x, y;
};

struct chart_series {
    char name[32];
    const char *fill;             /* colour, chosen to print well in greyscale too */
    char points[CHART_MAX_CATS * 12]; /* line charts: "x,y x,y ..." */
};

struct chart_geom {
    enum chart_kind kind;
    int width, height;
    int plot_x, plot_y, plot_w, plot_h;
    bool percent;                 /* values are percentages of a base */
    bool labels_above;            /* category names above their bars (else at the left) */
    size_t nseries;
    struct chart_series series[CHART_MAX_SERIES];
    size_t ncats;
    struct chart_label cats[CHART_MAX_CATS];
    size_t nmarks;
    struct chart_mark marks[CHART_MAX_MARKS];
    size_t nticks;
    struct chart_label ticks[6];  /* value axis */
    int tick_pos[6];
};

/* Lays out table t as its chart kind.  Bars: one group per row, one bar per
 * phase column in use plus Total, as percentages when the rows have a base.
 * Stacked: one bar per column, each split by the rows' shares.  Line: the
 * rows are the x axis (in order), one line per column.  0 ok, -1 when the
 * table has no chart. */
int chart_layout(const struct stat_table *t, struct chart_geom *out);
/* True when the chart of t would draw nothing because of suppression: some
 * value is hidden (shown as "c" to protect privacy) and every other is
 * zero.  The page says so instead of drawing empty axes. */
bool chart_all_suppressed(const struct stat_table *t);

/* Two horizontal bars of one percentage, side by side in time (a case's
 * attendance before and after it was presented), on a 0 to 100% scale.  A
 * side without a value (have[i] false) draws no bar and reads "no data". */
struct chart_pair_bar {
    char label[16];
    bool drawn;
    int x, y, w, h;
    char value[16];               /* "86.7%" or "no data" */
    int text_x, text_y;           /* the value; the label sits at x - 8 */
};

struct chart_pair {
    int width, height;
    int plot_x, plot_y, plot_w, plot_h;
    struct chart_pair_bar bars[2];
    size_t nticks;
    struct chart_label ticks[5];  /* 0%, 25%, ... 100% under the axis */
    int tick_pos[5];              /* their x */
};

void chart_pair_layout(const char *const labels[2], const double pct[2], const bool have[2],
                       struct chart_pair *out);
/* Scores over time (a pupil's completions of one toolkit): one point per
 * score in order, evenly spaced, on a value axis from 0 that reaches the
 * highest of the scores, the marks (band thresholds, drawn as lines) and
 * max_possible (0: unknown).  0 ok, -1 when there is nothing to draw or
 * too much (more than CHART_SCORE_POINTS scores or CHART_SCORE_MARKS marks). */
#define CHART_SCORE_POINTS 64
#define CHART_SCORE_MARKS 8

struct score_point {
    int x, y;
    int value;
};

struct score_chart {
    int width, height;
    int plot_x, plot_y, plot_w, plot_h;
    int top;                                   /* the value at the top of the axis */
    size_t npoints;
    struct score_point points[CHART_SCORE_POINTS];
    char line[CHART_SCORE_POINTS * 12];        /* "x,y x,y ..." for a polyline */
    size_t nmarks;
    struct score_point marks[CHART_SCORE_MARKS]; /* y of each threshold; x unused */
    size_t nticks;
    struct score_point ticks[6];               /* value axis: 0 .. top in 5 steps */
};

int chart_score_layout(const int *scores, size_t n, const int *marks, size_t nmarks, int max_possible,
                       struct score_chart *out);

#endif
