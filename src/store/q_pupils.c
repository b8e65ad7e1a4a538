#include "store/q_pupils.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

#define PUPIL_COLS "p.id, p.school_id, p.upn, p.forenames, p.surname, p.date_of_birth, " \
                   "p.gender, p.ethnicity, p.nc_year, p.sen_provision, s.authority_id, s.name, p.former_upn"

Q_READER(read_pupil, struct pupil_row, p.id, p.school_id, p.upn, p.forenames, p.surname, p.date_of_birth, p.gender,
         p.ethnicity, p.nc_year, p.sen_provision, authority_id, school_name, p.former_upn)

Q_BINDER(bind_pupil, struct pupil, Q_IN(school_id), Q_IN(upn), Q_IN(forenames), Q_IN(surname), Q_IN(date_of_birth),
         Q_IN(gender), Q_IN(ethnicity), Q_IN(nc_year), Q_IN(sen_provision), Q_IN(former_upn))

enum store_rc q_pupil_insert(struct store *s, struct pupil *p, int64_t now)
{
    return q_insert_rec(s,
        "INSERT INTO pupils (school_id, upn, forenames, surname, date_of_birth, gender, "
        "ethnicity, nc_year, sen_provision, former_upn, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id", bind_pupil, p, now, &p->id);
}

enum store_rc q_pupil_update(struct store *s, const struct pupil *p, int64_t now)
{
    return q_update_rec(s,
        "UPDATE pupils SET school_id = ?, upn = ?, forenames = ?, surname = ?, date_of_birth = ?, "
        "gender = ?, ethnicity = ?, nc_year = ?, sen_provision = ?, former_upn = ?, updated_at = ? WHERE id = ?",
        bind_pupil, p, now, p->id);
}

enum store_rc q_pupil_get(struct store *s, int64_t id, struct pupil_row *out)
{
    return q_get_id(s,
        "SELECT " PUPIL_COLS " FROM pupils p JOIN schools s ON s.id = p.school_id WHERE p.id = ?",
                    id, read_pupil, out);
}

#define PUPIL_WHERE " FROM pupils p JOIN schools s ON s.id = p.school_id WHERE " \
    VIS_FILTER("s.authority_id", "p.school_id") \
    " AND (? = 0 OR p.school_id = ?)" \
    " AND (? = '' OR lower(p.surname) LIKE ? ESCAPE '\\' OR lower(p.forenames) LIKE ? ESCAPE '\\'" \
    " OR lower(p.forenames || ' ' || p.surname) LIKE ? ESCAPE '\\' OR p.upn = upper(?) OR p.former_upn = upper(?))"

static int bind_pupil_filter(struct store_stmt *st, const struct visibility *v, const void *filter, bool page)
{
    (void)page;
    const struct pupil_filter *f = filter;
    const char *q = f->search ? f->search : "";
    char like[256];
    if (q_like_pattern(q, like, sizeof like) < 0)
        return -1;
    return q_bind_params(st, 1,
        Q_PARAMS(QP_VIS(v), QP_INT_TWICE(f->school_id), QP_TEXT(q), QP_TEXT(like), QP_TEXT(like), QP_TEXT(like),
                 QP_TEXT(q), QP_TEXT(q)));
}

Q_SINK(pupil, struct pupil_row, read_pupil)

enum store_rc q_pupil_list(struct store *s, const struct visibility *v, const struct pupil_filter *f,
                           const struct page_req *pg, int64_t *total,
                           void (*fn)(void *arg, const struct pupil_row *r), void *arg)
{
    if (f->search && strlen(f->search) > Q_SEARCH_MAX) {
        *total = 0;
        return STORE_OK;
    }
    struct pupil_sink k = {fn, arg};
    struct q_list l = {"SELECT count(*)" PUPIL_WHERE,
                       "SELECT " PUPIL_COLS PUPIL_WHERE " ORDER BY p.surname, p.forenames, p.id LIMIT ? OFFSET ?",
                       bind_pupil_filter, v, f, pupil_each, &k};
    return q_list_page(s, &l, pg, total);
}

enum store_rc q_pupil_id_by_upn(struct store *s, const char *upn, int64_t *id)
{
    /* stored in capitals */
    enum store_rc rc = q_int(s, "SELECT id FROM pupils WHERE upn = upper(?)", Q_PARAMS(QP_TEXT(upn)), id);
    return rc == STORE_OK ? STORE_ROW : rc;
}

enum store_rc q_pupil_id_by_former_upn(struct store *s, const char *upn, int64_t *id)
{
    /* Two rows at most are read: a second says the number is not one pupil's. */
    struct store_stmt *st = store_prepare(s, "SELECT id FROM pupils WHERE former_upn = upper(?) AND former_upn <> '' "
                                             "ORDER BY id LIMIT 2");
    if (!st)
        return STORE_ERROR;
    store_bind_text(st, 1, upn);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW) {
        *id = store_col_int(st, 0);
        rc = store_step(st);
        rc = rc == STORE_ROW ? STORE_CONSTRAINT : rc == STORE_DONE ? STORE_ROW : rc;
    }
    store_done(st);
    return rc;
}
