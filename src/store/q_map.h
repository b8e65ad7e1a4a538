/* Reading a row by a table rather than by hand.
 *
 * A reader names the fields of its struct in the order of the SELECT's
 * columns; the kind of each column read comes from the field's C type, so a
 * text column cannot land in an integer and no column number is written by
 * hand (the position in the list is the column).  Borrowed from how GNU
 * Taler's exchange reads rows (GNUNET_PQ_result_spec), without the names:
 * both backends answer by position.
 *
 *     Q_READER(read_cost, struct apst_cost_row, id, taskforce_id, line, amount_pence);
 *
 * defines `static void read_cost(struct store_stmt *st, void *row)`, a
 * store_row_fn that zeroes the row and reads column i into the i-th field:
 * int64_t, int and unsigned by store_col_int, bool as store_col_int != 0, double by
 * store_col_double, char arrays by store_col_copy (NULL reads as "",
 * longer text is cut to the field).  A field of any other type does not
 * compile.  A reader that computes (a NULL meaning something, a column
 * split in two) stays written out by hand. */
#ifndef TAS_STORE_Q_MAP_H
#define TAS_STORE_Q_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "lib/count.h"

enum q_kind { Q_I64, Q_INT, Q_UINT, Q_BOOL, Q_DBL, Q_TEXT, Q_BAD };

struct q_field {
    enum q_kind kind;
    size_t off;
    size_t size;
    bool opt;  /* binding: 0 or "" is bound as NULL (an optional reference or value) */
};

struct q_map {
    size_t rowsize;
    size_t n;
    const struct q_field *f;
};

/* Zeroes row (m->rowsize bytes) and reads columns 0..n-1 into it. */
void q_read_map(struct store_stmt *st, const struct q_map *m, void *row);

/* The kind of a field, from its type.  A char array decays to char *, so
 * the inner _Generic tells it from a char pointer, which is Q_BAD; a field
 * of a type not listed does not compile, and Q_BAD does not either (the
 * negative array size in Q_FIELD). */
#define Q_KIND_OF(x) \
    _Generic((x), int64_t: Q_I64, int: Q_INT, unsigned: Q_UINT, bool: Q_BOOL, double: Q_DBL, \
             char *: _Generic(&(x), char(*)[sizeof(x)]: Q_TEXT, default: Q_BAD))
#define Q_CHECKED_(k) ((k) + 0 * sizeof(char[(k) == Q_BAD ? -1 : 1]))
#define Q_FIELD_OPT(T, f, o) {Q_CHECKED_(Q_KIND_OF(((T *)0)->f)), offsetof(T, f), sizeof(((T *)0)->f), o}
#define Q_FIELD(T, f) Q_FIELD_OPT(T, f, false)

#define Q_READER(name, T, ...) \
    static void name(struct store_stmt *st, void *row) \
    { \
        static const struct q_field fields_[] = {Q_FIELDS_(T, __VA_ARGS__)}; \
        static const struct q_map map_ = {sizeof(T), COUNT(fields_), fields_}; \
        q_read_map(st, &map_, row); \
    }

/* Binding a record by a table: Q_BINDER(name, T, Q_IN(f), Q_OPT(g), ...)
 * defines `static int name(struct store_stmt *st, const void *rec)`, a
 * q_bind_rec_fn (store/q_common.h) binding the fields from parameter 1 in
 * the order listed and answering the next index.  Q_IN binds the value as
 * it is (a bool as 0 or 1); Q_OPT binds NULL for an id of 0 or an empty
 * text, as q_bind_opt_id and q_bind_opt_text. */
int q_bind_map(struct store_stmt *st, int idx, const struct q_map *m, const void *rec);
#define Q_IN(f) Q_FIELD_OPT(q_rec_, f, false)
#define Q_OPT(f) Q_FIELD_OPT(q_rec_, f, true)
#define Q_BINDER(name, T, ...) \
    static int name(struct store_stmt *st, const void *rec) \
    { \
        typedef T q_rec_; \
        static const struct q_field fields_[] = {__VA_ARGS__}; \
        static const struct q_map map_ = {sizeof(T), COUNT(fields_), fields_}; \
        return q_bind_map(st, 1, &map_, rec); \
    }

/* Q_FIELDS_(T, a, b, ...) is Q_FIELD(T, a), Q_FIELD(T, b), ...: up to 40 fields. */
#define Q_CAT_(a, b) a##b
#define Q_XCAT_(a, b) Q_CAT_(a, b)
#define Q_FIELDS_(T, ...) Q_XCAT_(Q_F, Q_NARGS_(__VA_ARGS__))(T, __VA_ARGS__)
#define Q_NARGS_(...) Q_NARGS_N_(__VA_ARGS__, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
#define Q_NARGS_N_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, _33, _34, _35, _36, _37, _38, _39, _40, N, ...) N
#define Q_F1(T, a) Q_FIELD(T, a)
#define Q_F2(T, a, ...) Q_FIELD(T, a), Q_F1(T, __VA_ARGS__)
#define Q_F3(T, a, ...) Q_FIELD(T, a), Q_F2(T, __VA_ARGS__)
#define Q_F4(T, a, ...) Q_FIELD(T, a), Q_F3(T, __VA_ARGS__)
#define Q_F5(T, a, ...) Q_FIELD(T, a), Q_F4(T, __VA_ARGS__)
#define Q_F6(T, a, ...) Q_FIELD(T, a), Q_F5(T, __VA_ARGS__)
#define Q_F7(T, a, ...) Q_FIELD(T, a), Q_F6(T, __VA_ARGS__)
#define Q_F8(T, a, ...) Q_FIELD(T, a), Q_F7(T, __VA_ARGS__)
#define Q_F9(T, a, ...) Q_FIELD(T, a), Q_F8(T, __VA_ARGS__)
#define Q_F10(T, a, ...) Q_FIELD(T, a), Q_F9(T, __VA_ARGS__)
#define Q_F11(T, a, ...) Q_FIELD(T, a), Q_F10(T, __VA_ARGS__)
#define Q_F12(T, a, ...) Q_FIELD(T, a), Q_F11(T, __VA_ARGS__)
#define Q_F13(T, a, ...) Q_FIELD(T, a), Q_F12(T, __VA_ARGS__)
#define Q_F14(T, a, ...) Q_FIELD(T, a), Q_F13(T, __VA_ARGS__)
#define Q_F15(T, a, ...) Q_FIELD(T, a), Q_F14(T, __VA_ARGS__)
#define Q_F16(T, a, ...) Q_FIELD(T, a), Q_F15(T, __VA_ARGS__)
#define Q_F17(T, a, ...) Q_FIELD(T, a), Q_F16(T, __VA_ARGS__)
#define Q_F18(T, a, ...) Q_FIELD(T, a), Q_F17(T, __VA_ARGS__)
#define Q_F19(T, a, ...) Q_FIELD(T, a), Q_F18(T, __VA_ARGS__)
#define Q_F20(T, a, ...) Q_FIELD(T, a), Q_F19(T, __VA_ARGS__)
#define Q_F21(T, a, ...) Q_FIELD(T, a), Q_F20(T, __VA_ARGS__)
#define Q_F22(T, a, ...) Q_FIELD(T, a), Q_F21(T, __VA_ARGS__)
#define Q_F23(T, a, ...) Q_FIELD(T, a), Q_F22(T, __VA_ARGS__)
#define Q_F24(T, a, ...) Q_FIELD(T, a), Q_F23(T, __VA_ARGS__)
#define Q_F25(T, a, ...) Q_FIELD(T, a), Q_F24(T, __VA_ARGS__)
#define Q_F26(T, a, ...) Q_FIELD(T, a), Q_F25(T, __VA_ARGS__)
#define Q_F27(T, a, ...) Q_FIELD(T, a), Q_F26(T, __VA_ARGS__)
#define Q_F28(T, a, ...) Q_FIELD(T, a), Q_F27(T, __VA_ARGS__)
#define Q_F29(T, a, ...) Q_FIELD(T, a), Q_F28(T, __VA_ARGS__)
#define Q_F30(T, a, ...) Q_FIELD(T, a), Q_F29(T, __VA_ARGS__)
#define Q_F31(T, a, ...) Q_FIELD(T, a), Q_F30(T, __VA_ARGS__)
#define Q_F32(T, a, ...) Q_FIELD(T, a), Q_F31(T, __VA_ARGS__)
#define Q_F33(T, a, ...) Q_FIELD(T, a), Q_F32(T, __VA_ARGS__)
#define Q_F34(T, a, ...) Q_FIELD(T, a), Q_F33(T, __VA_ARGS__)
#define Q_F35(T, a, ...) Q_FIELD(T, a), Q_F34(T, __VA_ARGS__)
#define Q_F36(T, a, ...) Q_FIELD(T, a), Q_F35(T, __VA_ARGS__)
#define Q_F37(T, a, ...) Q_FIELD(T, a), Q_F36(T, __VA_ARGS__)
#define Q_F38(T, a, ...) Q_FIELD(T, a), Q_F37(T, __VA_ARGS__)
#define Q_F39(T, a, ...) Q_FIELD(T, a), Q_F38(T, __VA_ARGS__)
#define Q_F40(T, a, ...) Q_FIELD(T, a), Q_F39(T, __VA_ARGS__)

#endif
