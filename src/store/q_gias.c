#include "store/q_gias.h"
#include "store/q_params.h"

#include <string.h>

#define GIAS_COLS "s.id, s.authority_id, s.urn, s.name, s.phase, s.status, s.establishment_type, s.postcode, " \
                  "s.open_date, s.close_date, s.pupils_on_roll, s.fsm_pct, s.establishment_number"

enum gias_stored_col {
    GS_ID, GS_AUTHORITY, GS_URN, GS_NAME, GS_PHASE, GS_STATUS, GS_TYPE, GS_POSTCODE, GS_OPEN, GS_CLOSE,
    GS_PUPILS, GS_FSM, GS_ESTAB
};

static void read_stored(struct store_stmt *st, void *row)
{
    struct gias_stored *r = row;
    memset(r, 0, sizeof *r);
    r->id = store_col_int(st, GS_ID);
    r->authority_id = store_col_int(st, GS_AUTHORITY);
    store_col_copy(st, GS_URN, r->g.urn, sizeof r->g.urn);
    store_col_copy(st, GS_NAME, r->g.name, sizeof r->g.name);
    store_col_copy(st, GS_PHASE, r->g.phase, sizeof r->g.phase);
    store_col_copy(st, GS_STATUS, r->g.status, sizeof r->g.status);
    store_col_copy(st, GS_TYPE, r->g.type, sizeof r->g.type);
    store_col_copy(st, GS_POSTCODE, r->g.postcode, sizeof r->g.postcode);
    store_col_copy(st, GS_OPEN, r->g.open_date, sizeof r->g.open_date);
    store_col_copy(st, GS_CLOSE, r->g.close_date, sizeof r->g.close_date);
    r->g.pupils_on_roll = store_col_is_null(st, GS_PUPILS) ? -1 : (int32_t)store_col_int(st, GS_PUPILS);
    r->g.fsm_pct = store_col_is_null(st, GS_FSM) ? -1 : store_col_double(st, GS_FSM);
    store_col_copy(st, GS_ESTAB, r->g.estab, sizeof r->g.estab);
}

enum store_rc q_gias_get(struct store *s, const char *urn, struct gias_stored *out)
{
    return q_row(s, "SELECT " GIAS_COLS " FROM schools s WHERE s.urn = ?", Q_PARAMS(QP_TEXT(urn)), read_stored, out);
}

enum store_rc q_gias_authority(struct store *s, const char *la_code, int64_t *id)
{
    return q_int(s, "SELECT id FROM authorities WHERE la_code = ?", Q_PARAMS(QP_TEXT(la_code)), id);
}

/* The columns both statements write, in this order. */
static int bind_gias(struct store_stmt *st, const void *rec)
{
    const struct gias_stored *r = rec;
    return q_bind_params(st, 1,
        Q_PARAMS(QP_INT(r->authority_id), QP_TEXT(r->g.urn), QP_TEXT(r->g.name), QP_TEXT(r->g.phase),
                 QP_TEXT(r->g.status), QP_TEXT(r->g.type), QP_TEXT(r->g.postcode), QP_OPT_TEXT(r->g.open_date),
                 QP_OPT_TEXT(r->g.close_date), QP_NONNEG_INT(r->g.pupils_on_roll), QP_NONNEG_REAL(r->g.fsm_pct),
                 QP_TEXT(r->g.estab)));
}

enum store_rc q_gias_insert(struct store *s, struct gias_stored *rec, int64_t now)
{
    return q_insert_rec(s,
        "INSERT INTO schools (authority_id, urn, name, phase, status, establishment_type, postcode, open_date, "
        "close_date, pupils_on_roll, fsm_pct, establishment_number, tas_member, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0,?,?) RETURNING id",
        bind_gias, rec, now, &rec->id);
}

enum store_rc q_gias_update(struct store *s, const struct gias_stored *rec, int64_t now)
{
    return q_update_rec(s,
        "UPDATE schools SET authority_id = ?, urn = ?, name = ?, phase = ?, status = ?, establishment_type = ?, "
        "postcode = ?, open_date = ?, close_date = ?, pupils_on_roll = coalesce(?, pupils_on_roll), "
        "fsm_pct = coalesce(?, fsm_pct), establishment_number = coalesce(nullif(?, ''), establishment_number), "
        "updated_at = ? WHERE id = ?",
        bind_gias, rec, now, rec->id);
}
