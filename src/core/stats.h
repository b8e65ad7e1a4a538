/* Statistical tables for the dashboard and the learning report, and their
 * disclosure control.  Pure: no I/O, SQL or HTML.
 *
 * A table has fixed columns (Primary, Secondary, Other, Total) and rows of
 * one kind each: a count (optionally with a percentage of a base cell), a
 * ratio of two cells (an average), or money.  Rows about children (cases,
 * pupils, actions) are "controlled": when the table is marked for
 * publication, counts from 1 to threshold-1 are shown as "c", and so is
 * whatever would let a reader work them back out:
 *   - across columns: Primary + Secondary + Other = Total;
 *   - down a partition (rows that split one whole, e.g. Male/Female/...):
 *     the rows add up to the column's base;
 *   - percentages whose numerator or base is suppressed are withheld;
 *   - ratios whose numerator or denominator is suppressed are withheld.
 * True zeros stay 0 (official statistics: 0 only for a true 0). */
#ifndef TAS_CORE_STATS_H
#define TAS_CORE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum stat_col { COL_PRIMARY = 0, COL_SECONDARY, COL_OTHER, COL_TOTAL, STAT_NCOLS };

enum stat_kind {
    STAT_COUNT = 0,     /* n; with a base, also n/base as a percentage */
    STAT_RATIO,         /* num/den, one decimal place */
    STAT_MONEY          /* pence, shown as pounds */
};

struct stat_cell {
    int64_t n;                        /* count, or pence for money */
    const struct stat_cell *base;     /* percentage base (count rows), or NULL */
    const struct stat_cell *num, *den;/* ratio rows */
    bool suppressed;                  /* shown as "c" */
    bool pct_withheld;                /* percentage not shown */
};

#define STAT_LABEL_MAX 96
#define STAT_MAX_ROWS 64

struct stat_row {
    char label[STAT_LABEL_MAX];
    char group[STAT_LABEL_MAX];       /* sub-heading the row sits under ("" none) */
    enum stat_kind kind;
    bool controlled;                  /* about children: subject to suppression */
    int partition;                    /* rows with the same non-zero number split one whole */
    struct stat_cell cells[STAT_NCOLS];
};

enum chart_kind { CHART_NONE = 0, CHART_BAR, CHART_STACKED, CHART_LINE };

struct stat_table {
    const char *key;                  /* "meetings", "gender", ... (static) */
    const char *title;                /* static */
    const char *description;          /* static: what the figures are */
    const char *figure;               /* the learning report's figure, e.g. "Figure 3a" */
    enum chart_kind chart;
    const char *chart_rows;           /* chart only the rows with this label, named by group */
    bool show_other;                  /* the Other column has something in it */
    size_t nrows;
    struct stat_row rows[STAT_MAX_ROWS];
};

/* Column headings: "Primary", "Secondary", "Other phases", "Total". */
const char *stat_col_label(enum stat_col c);
/* The columns shown, in order (Primary, Secondary, Other when used,
 * Total), into cols[STAT_NCOLS]; returns how many. */
int stat_columns(const struct stat_table *t, int cols[STAT_NCOLS]);
/* Which column a school phase code counts under. */
enum stat_col stat_col_of_phase(const char *phase);

/* Appends a row (NULL when the table is full); cells start at zero. */
struct stat_row *stat_add_row(struct stat_table *t, const char *group, const char *label,
                              enum stat_kind kind, bool controlled, int partition);
/* Adds v to column col and to Total. */
void stat_add(struct stat_row *r, enum stat_col col, int64_t v);
/* Sets each cell's base to the same column of base_row. */
void stat_set_base(struct stat_row *r, const struct stat_row *base_row);
/* Makes r a ratio row: num/den column by column. */
void stat_set_ratio(struct stat_row *r, const struct stat_row *num, const struct stat_row *den);
/* Finds a row by label (and group, unless NULL), or NULL. */
struct stat_row *stat_find(struct stat_table *t, const char *group, const char *label);

/* Primary and secondary suppression over a set of tables at once (ratios
 * and percentages may point across tables).  threshold < 2 suppresses
 * nothing.  After the quick rule (a lone hidden cell in an identity takes
 * the smallest other count with it), the tables are audited (stat_audit)
 * and one more cell is hidden next to any hidden cell a reader could still
 * work out, until none can be: the smallest non-zero count, or a zero
 * where only zeros are left (so "c" may hide a zero, and a reader cannot
 * assume a hidden cell is at least 1).  Percentages and ratios are then
 * withheld as described above. */
void stat_suppress(struct stat_table *tables, size_t ntables, int threshold);

/* How many hidden cells a reader could work out exactly by linear
 * arithmetic from the cells shown and the tables' identities (each row's
 * phases add up to its Total, each partition's rows to their base),
 * assuming only that a hidden count is 0 or more (core/disclosure.h);
 * the first such cell in *first (when not NULL).  -1 if it could not tell. */
int stat_audit(const struct stat_table *tables, size_t ntables, const struct stat_cell **first);

/* Text for a cell: "c" when suppressed, "12", "2.5", "£1,150"; pct_out
 * gets "59%" or "" (no base, base 0, or withheld).  Percentages are whole
 * numbers computed from unrounded counts, half away from zero. */
void stat_cell_text(const struct stat_row *r, enum stat_col col, char *out, size_t outsz,
                    char *pct_out, size_t pctsz);
/* Value of a ratio cell (0 when den is 0), for JSON and charts. */
double stat_ratio_value(const struct stat_cell *c);
/* Whole-number percentage, or -1 when there is none to show. */
int stat_pct(const struct stat_cell *c);

#endif
