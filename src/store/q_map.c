#include "store/q_map.h"

#include <string.h>

#include "store/q_common.h"

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
        const char *at = base + f->off;
        switch (f->kind) {
        case Q_I64:
            if (f->opt)
                q_bind_opt_id(st, idx, *(const int64_t *)(const void *)at);
            else
                store_bind_int(st, idx, *(const int64_t *)(const void *)at);
            break;
        case Q_INT:
            if (f->opt)
                q_bind_opt_id(st, idx, *(const int *)(const void *)at);
            else
                store_bind_int(st, idx, *(const int *)(const void *)at);
            break;
        case Q_BOOL:
            store_bind_int(st, idx, *(const bool *)(const void *)at ? 1 : 0);
            break;
        case Q_DBL:
            store_bind_double(st, idx, *(const double *)(const void *)at);
            break;
        case Q_TEXT:
            if (f->opt)
                q_bind_opt_text(st, idx, at);
            else
                store_bind_text(st, idx, at);
            break;
        case Q_BAD:
            break;  /* does not compile (Q_FIELD) */
        }
    }
    return idx;
}
