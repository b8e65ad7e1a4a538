#include "store/q_calendar.h"
#include "store/q_map.h"
#include "store/q_params.h"

#include <string.h>

#define CAL_COLS "m.id, m.team_id, t.authority_id, t.host_school_id, m.meeting_date, m.start_time, m.status, " \
                 "m.mode, m.voided_at IS NOT NULL, m.ics_sequence, t.duration_minutes, t.name, " \
                 "CASE WHEN m.location <> '' THEN m.location ELSE t.location END, " \
                 "s.name, a.la_code"
#define CAL_FROM " FROM meetings m JOIN teams t ON t.id = m.team_id JOIN schools s ON s.id = t.host_school_id " \
                 "JOIN authorities a ON a.id = t.authority_id"

Q_READER(read_cal, struct cal_meeting, id, team_id, authority_id, host_school_id, date, start_time, status, mode,
         voided, sequence, duration_minutes, team_name, location, school_name, la_code)

enum store_rc q_cal_meeting_get(struct store *s, int64_t id, struct cal_meeting *out)
{
    return q_get_id(s, "SELECT " CAL_COLS CAL_FROM " WHERE m.id = ?", id, read_cal, out);
}

Q_SINK(cal, struct cal_meeting, read_cal)

enum store_rc q_cal_meeting_list(struct store *s, const struct visibility *v, const char *from, const char *to,
                                 void (*fn)(void *arg, const struct cal_meeting *m), void *arg)
{
    return q_rows(s,
        "SELECT " CAL_COLS CAL_FROM " WHERE " VIS_TEAM_FILTER("t.id", "t.authority_id", "t.host_school_id")
        " AND m.meeting_date >= ? AND m.meeting_date <= ? ORDER BY m.meeting_date, m.start_time, m.id",
        Q_PARAMS(QP_TEAM_VIS(v), QP_TEXT(from), QP_TEXT(to)), cal_each, &(struct cal_sink){fn, arg});
}

enum store_rc q_cal_feed_set(struct store *s, int64_t user_id, const char *token_hash, int64_t now)
{
    return q_run(s,
        "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
        Q_PARAMS(QP_INT(user_id), QP_TEXT(token_hash), QP_INT(now)));
}

enum store_rc q_cal_feed_delete(struct store *s, int64_t user_id)
{
    enum store_rc rc = q_exec_id(s, "DELETE FROM calendar_feeds WHERE user_id = ?", user_id);
    if (rc == STORE_OK && store_changes(s) == 0)
        return STORE_DONE;
    return rc;
}

enum store_rc q_cal_feed_user(struct store *s, const char *token_hash, int64_t *user_id)
{
    return q_int(s, "SELECT user_id FROM calendar_feeds WHERE token_hash = ?", Q_PARAMS(QP_TEXT(token_hash)), user_id);
}

enum store_rc q_cal_feed_created(struct store *s, int64_t user_id, int64_t *created_at)
{
    return q_int(s, "SELECT created_at FROM calendar_feeds WHERE user_id = ?", Q_PARAMS(QP_INT(user_id)), created_at);
}
