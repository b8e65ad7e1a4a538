#include "store/q_map.h"

#include <string.h>

#include "store/q_params.h"

void q_read_map(struct store_stmt *st, const struct q_map *m, void *row)
{
    char *base = row;
    memset(row, 0, m->rowsize);
    for (size_t i = 0; i < m->n; i++) {
        const struct q_field *f = &m->f[i];
        char *at = base + f->off;
        int col = (int)i;
        switch (f->kind) {
        case Q_I64:
            *(int64_t *)(void *)at = store_col_int(st, col);
            break;
        case Q_INT:
            *(int *)(void *)at = (int)store_col_int(st, col);
            break;
        case Q_UINT:
            *(unsigned *)(void *)at = (unsigned)store_col_int(st, col);
            break;
        case Q_BOOL:
            *(bool *)(void *)at = store_col_int(st, col) != 0;
            break;
        case Q_DBL:
            *(double *)(void *)at = store_col_double(st, col);
            break;
        case Q_TEXT:
            store_col_copy(st, col, at, f->size);
            break;
        case Q_BAD:
            break;  /* does not compile (Q_FIELD) */
        }
    }
}

int q_bind_map(struct store_stmt *st, int idx, const struct q_map *m, const void *rec)
{
    const char *base = rec;
    for (size_t i = 0; i < m->n; i++, idx++) {
        const struct q_field *f = &m->f[i];
        const void *at = base + f->off;
        struct q_param a = {.kind = QP_KIND_INT, .opt = f->opt};
        if (f->kind == Q_I64)
            a.i = *(const int64_t *)at;
        else if (f->kind == Q_INT)
            a.i = *(const int *)at;
        else if (f->kind == Q_UINT)
            a.i = *(const unsigned *)at;
        else if (f->kind == Q_BOOL)
            a.i = *(const bool *)at;
        else if (f->kind == Q_DBL)
            a = (struct q_param){.kind = QP_KIND_REAL, .d = *(const double *)at};
        else
            a = (struct q_param){.kind = QP_KIND_TEXT, .opt = f->opt, .t = at};
        q_bind_param(st, idx, &a);
    }
    return idx;
}
