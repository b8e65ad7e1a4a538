#include "store/q_authorities.h"
#include "store/q_map.h"
#include "store/q_params.h"

Q_READER(read_authority, struct authority, id, la_code, name)

Q_SINK(authority, struct authority, read_authority)

Q_BINDER(bind_authority, struct authority, Q_IN(la_code), Q_IN(name))

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
    return q_rows(s,
        "SELECT id, la_code, name FROM authorities a WHERE (? = 1 OR a.id IN ("
        VIS_SLOTS8 ") OR a.id IN (SELECT authority_id FROM schools WHERE id IN ("
        VIS_SLOTS32 "))) ORDER BY name, id",
        Q_PARAMS(QP_VIS(v)), authority_each, &(struct authority_sink){fn, arg});
}

enum store_rc q_authority_count(struct store *s, int64_t *n)
{
    return store_get_int(store_prepare(s, "SELECT count(*) FROM authorities"), n);
}
