#include "store/q_schools.h"
#include "store/q_params.h"

#include <string.h>

#define SCHOOL_COLS "s.id, s.authority_id, s.urn, s.name, s.phase, s.pupils_on_roll, " \
                    "s.fsm_pct, s.sen_pct, s.tas_member, s.status, s.establishment_number"

enum school_col {
    SC_ID, SC_AUTHORITY, SC_URN, SC_NAME, SC_PHASE, SC_PUPILS_ON_ROLL, SC_FSM_PCT, SC_SEN_PCT,
    SC_TAS_MEMBER, SC_STATUS, SC_ESTAB
};

static void read_school(struct store_stmt *st, void *row)
{
    struct school *sc = row;
    sc->id = store_col_int(st, SC_ID);
    sc->authority_id = store_col_int(st, SC_AUTHORITY);
    store_col_copy(st, SC_URN, sc->urn, sizeof sc->urn);
    store_col_copy(st, SC_NAME, sc->name, sizeof sc->name);
    store_col_copy(st, SC_PHASE, sc->phase, sizeof sc->phase);
    sc->pupils_on_roll = store_col_is_null(st, SC_PUPILS_ON_ROLL) ? -1 : (int32_t)store_col_int(st, SC_PUPILS_ON_ROLL);
    sc->fsm_pct = store_col_is_null(st, SC_FSM_PCT) ? -1 : store_col_double(st, SC_FSM_PCT);
    sc->sen_pct = store_col_is_null(st, SC_SEN_PCT) ? -1 : store_col_double(st, SC_SEN_PCT);
    sc->tas_member = store_col_int(st, SC_TAS_MEMBER) != 0;
    store_col_copy(st, SC_STATUS, sc->status, sizeof sc->status);
    store_col_copy(st, SC_ESTAB, sc->estab, sizeof sc->estab);
}

/* Binds the editable columns in the order both INSERT and UPDATE use. */
static int bind_school(struct store_stmt *st, const void *rec)
{
    const struct school *sc = rec;
    return q_bind_params(st, 1,
        Q_PARAMS(QP_INT(sc->authority_id), QP_TEXT(sc->urn), QP_TEXT(sc->name), QP_TEXT(sc->phase),
                 QP_NONNEG_INT(sc->pupils_on_roll), QP_NONNEG_REAL(sc->fsm_pct), QP_NONNEG_REAL(sc->sen_pct),
                 QP_INT(sc->tas_member ? 1 : 0), QP_TEXT(sc->estab)));
}

enum store_rc q_school_insert(struct store *s, struct school *sc, int64_t now)
{
    return q_insert_rec(s,
        "INSERT INTO schools (authority_id, urn, name, phase, pupils_on_roll, fsm_pct, "
        "sen_pct, tas_member, establishment_number, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
        "RETURNING id",
        bind_school, sc, now, &sc->id);
}

enum store_rc q_school_update(struct store *s, const struct school *sc, int64_t now)
{
    return q_update_rec(s,
        "UPDATE schools SET authority_id = ?, urn = ?, name = ?, phase = ?, pupils_on_roll = ?, "
        "fsm_pct = ?, sen_pct = ?, tas_member = ?, establishment_number = ?, updated_at = ? WHERE id = ?",
        bind_school, sc, now, sc->id);
}

enum store_rc q_school_get(struct store *s, int64_t id, struct school *out)
{
    return q_get_id(s,
        "SELECT " SCHOOL_COLS " FROM schools s WHERE s.id = ?", id, read_school, out);
}

#define SCHOOL_WHERE " FROM schools s WHERE " VIS_FILTER("s.authority_id", "s.id") \
    " AND (? = '' OR lower(s.name) LIKE ? ESCAPE '\\' OR s.urn = ?)"

static int bind_school_filter(struct store_stmt *st, const struct visibility *v, const void *filter, bool page)
{
    (void)page;
    const char *search = filter;
    char like[256];
    if (q_like_pattern(search, like, sizeof like) < 0)
        return -1;
    return q_bind_params(st, 1, Q_PARAMS(QP_VIS(v), QP_TEXT(search), QP_TEXT(like), QP_TEXT(search)));
}

Q_SINK(school, struct school, read_school)

enum store_rc q_school_list(struct store *s, const struct visibility *v, const char *search,
                            const struct page_req *pg, int64_t *total,
                            void (*fn)(void *arg, const struct school *sc), void *arg)
{
    if (!search)
        search = "";
    if (strlen(search) > Q_SEARCH_MAX) {
        *total = 0;
        return STORE_OK;
    }
    struct school_sink k = {fn, arg};
    struct q_list l = {"SELECT count(*)" SCHOOL_WHERE,
                       "SELECT " SCHOOL_COLS SCHOOL_WHERE " ORDER BY s.name, s.id LIMIT ? OFFSET ?",
                       bind_school_filter, v, search, school_each, &k};
    return q_list_page(s, &l, pg, total);
}
