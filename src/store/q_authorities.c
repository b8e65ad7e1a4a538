#include "store/q_authorities.h"

static void read_authority(struct store_stmt *st, void *row)
{
    struct authority *a = row;
    a->id = store_col_int(st, 0);
    store_col_copy(st, 1, a->la_code, sizeof a->la_code);
    store_col_copy(st, 2, a->name, sizeof a->name);
}

Q_SINK(authority, struct authority, read_authority)

static int bind_authority(struct store_stmt *st, const void *rec)
{
    const struct authority *a = rec;
    store_bind_text(st, 1, a->la_code);
    store_bind_text(st, 2, a->name);
    return 3;
}

enum store_rc q_authority_insert(struct store *s, struct authority *a, int64_t now)
{
    return q_insert_rec(s,
        "INSERT INTO authorities (la_code, name, created_at, updated_at) "
        "VALUES (?, ?, ?, ?) RETURNING id", bind_authority, a, now, &a->id);
}

enum store_rc q_authority_update(struct store *s, const struct authority *a, int64_t now)
{
    return q_update_rec(s,
        "UPDATE authorities SET la_code = ?, name = ?, updated_at = ? WHERE id = ?", bind_authority, a, now, a->id);
}

enum store_rc q_authority_get(struct store *s, int64_t id, struct authority *out)
{
    return q_get_id(s,
        "SELECT id, la_code, name FROM authorities WHERE id = ?", id, read_authority, out);
}

enum store_rc q_authority_list(struct store *s, const struct visibility *v,
                               void (*fn)(void *arg, const struct authority *a), void *arg)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT id, la_code, name FROM authorities a WHERE (? = 1 OR a.id IN ("
        VIS_SLOTS8 ") OR a.id IN (SELECT authority_id FROM schools WHERE id IN ("
        VIS_SLOTS32 "))) ORDER BY name, id");
    if (q_bind_visibility(st, 1, v) < 0)
        return q_refuse(st);
    return store_each_row(st, authority_each, &(struct authority_sink){fn, arg});
}
