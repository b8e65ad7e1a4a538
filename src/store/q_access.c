#include "store/q_access.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

#include "store/q_common.h"

enum store_rc q_case_team_pupil(struct store *s, int64_t case_id, int64_t *team_id, int64_t *pupil_id)
{
    return q_row(s, "SELECT team_id, pupil_id FROM cases WHERE id = ?",
        Q_PARAMS(QP_INT(case_id)), q_read_ints, (int64_t *[]){team_id, pupil_id, NULL});
}

#define BG_COLS "b.id, b.user_id, b.pupil_id, b.authority_id, b.school_id, b.role, b.reason, b.at, " \
    "b.expires, coalesce(b.reviewed_by, 0), coalesce(b.reviewed_at, 0), coalesce(u.display_name, ''), " \
    "coalesce(r.display_name, '')"
#define BG_FROM " FROM break_glass b LEFT JOIN users u ON u.id = b.user_id " \
    "LEFT JOIN users r ON r.id = b.reviewed_by "

Q_READER(read_bg, struct break_glass_row, id, user_id, pupil_id, authority_id, school_id, role, reason, at, expires,
         reviewed_by, reviewed_at, user_name, reviewer_name)

Q_SINK(bg, struct break_glass_row, read_bg)

enum store_rc q_break_glass_insert(struct store *s, struct break_glass_row *r)
{
    return q_int(s,
        "INSERT INTO break_glass (user_id, pupil_id, authority_id, school_id, role, reason, at, expires) "
        "VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        Q_PARAMS(QP_INT(r->user_id), QP_INT(r->pupil_id), QP_INT(r->authority_id), QP_INT(r->school_id),
                 QP_TEXT(r->role), QP_TEXT(r->reason), QP_INT(r->at), QP_INT(r->expires)), &r->id);
}

enum store_rc q_break_glass_get(struct store *s, int64_t id, struct break_glass_row *out)
{
    return q_get_id(s, "SELECT " BG_COLS BG_FROM "WHERE b.id = ?", id, read_bg, out);
}

enum store_rc q_break_glass_active(struct store *s, int64_t user_id, int64_t now,
                                   void (*fn)(void *arg, const struct break_glass_row *r), void *arg)
{
    return q_rows(s,
        "SELECT " BG_COLS BG_FROM "WHERE b.user_id = ? AND b.expires > ? ORDER BY b.at DESC, b.id DESC",
        Q_PARAMS(QP_INT(user_id), QP_INT(now)), bg_each, &(struct bg_sink){fn, arg});
}

enum store_rc q_break_glass_list(struct store *s, const struct visibility *v, int64_t limit,
                                 void (*fn)(void *arg, const struct break_glass_row *r), void *arg)
{
    return q_rows(s,
        "SELECT " BG_COLS BG_FROM "WHERE " VIS_FILTER("b.authority_id", "b.school_id")
        " ORDER BY CASE WHEN b.reviewed_at IS NULL THEN 0 ELSE 1 END, b.at DESC, b.id DESC LIMIT ?",
        Q_PARAMS(QP_VIS(v), QP_INT(limit)), bg_each, &(struct bg_sink){fn, arg});
}

enum store_rc q_break_glass_review(struct store *s, int64_t id, int64_t by, int64_t at)
{
    int64_t reviewed;
    return q_int(s,
        "UPDATE break_glass SET reviewed_by = ?, reviewed_at = ? WHERE id = ? AND reviewed_at IS NULL "
        "RETURNING id",
        Q_PARAMS(QP_INT(by), QP_INT(at), QP_INT(id)), &reviewed);
}
