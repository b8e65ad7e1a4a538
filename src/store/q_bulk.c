#include "store/q_bulk.h"

static void opt_id(struct store_stmt *st, int idx, int64_t v)
{
    if (v > 0)
        store_bind_int(st, idx, v);
    else
        store_bind_null(st, idx);
}

static void opt_flag(struct store_stmt *st, int idx, int v)
{
    if (v >= 0)
        store_bind_int(st, idx, v);
    else
        store_bind_null(st, idx);
}

enum store_rc q_bulk_authority(struct store *s, int64_t id, const char *la_code, const char *name)
{
    struct store_stmt *st = store_prepare(s, "INSERT INTO authorities (id, la_code, name, created_at, updated_at) "
                                             "VALUES (?,?,?,0,0)");
    store_bind_int(st, 1, id);
    store_bind_text(st, 2, la_code);
    store_bind_text(st, 3, name);
    return store_exec_done(st);
}

enum store_rc q_bulk_service(struct store *s, int64_t id, int64_t authority_id, const char *code, const char *name,
                             const char *org_kind)
{
    struct store_stmt *st = store_prepare(s, "INSERT INTO services (id, authority_id, code, name, org_kind, "
                                             "created_at, updated_at) VALUES (?,?,?,?,?,0,0)");
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, authority_id);
    store_bind_text(st, 3, code);
    store_bind_text(st, 4, name);
    store_bind_text(st, 5, org_kind);
    return store_exec_done(st);
}

enum store_rc q_bulk_resource(struct store *s, int64_t id, int64_t authority_id, const char *title, const char *kind)
{
    struct store_stmt *st = store_prepare(s, "INSERT INTO resources (id, authority_id, title, kind, audience, "
                                             "created_at, updated_at) VALUES (?,?,?,?,'both',0,0)");
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, authority_id);
    store_bind_text(st, 3, title);
    store_bind_text(st, 4, kind);
    return store_exec_done(st);
}

enum store_rc q_bulk_school(struct store *s, int64_t id, int64_t authority_id, const char *urn, const char *name,
                            const char *phase)
{
    struct store_stmt *st = store_prepare(s, "INSERT INTO schools (id, authority_id, urn, name, phase, tas_member, "
                                             "created_at, updated_at) VALUES (?,?,?,?,?,1,0,0)");
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, authority_id);
    store_bind_text(st, 3, urn);
    store_bind_text(st, 4, name);
    store_bind_text(st, 5, phase);
    return store_exec_done(st);
}

enum store_rc q_bulk_population(struct store *s, int64_t school_id, const char *dimension, const char *category,
                                int64_t pupils)
{
    struct store_stmt *st = store_prepare(s, "INSERT INTO school_population (school_id, dimension, category, pupils) "
                                             "VALUES (?,?,?,?)");
    store_bind_int(st, 1, school_id);
    store_bind_text(st, 2, dimension);
    store_bind_text(st, 3, category);
    store_bind_int(st, 4, pupils);
    return store_exec_done(st);
}

enum store_rc q_bulk_team(struct store *s, int64_t id, int64_t authority_id, int64_t school_id, const char *name)
{
    struct store_stmt *st = store_prepare(s, "INSERT INTO teams (id, authority_id, host_school_id, name, cadence, "
                                             "created_at, updated_at) VALUES (?,?,?,?,'three_weekly',0,0)");
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, authority_id);
    store_bind_int(st, 3, school_id);
    store_bind_text(st, 4, name);
    enum store_rc rc = store_exec_done(st);
    if (rc != STORE_OK)
        return rc;
    st = store_prepare(s, "INSERT INTO team_schools (team_id, school_id) VALUES (?,?)");
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, school_id);
    return store_exec_done(st);
}

enum store_rc q_bulk_team_member(struct store *s, int64_t team_id, int64_t service_id)
{
    struct store_stmt *st = store_prepare(s, "INSERT INTO team_members (team_id, service_id) VALUES (?,?)");
    store_bind_int(st, 1, team_id);
    store_bind_int(st, 2, service_id);
    return store_exec_done(st);
}

enum store_rc q_bulk_meeting(struct store *s, int64_t id, int64_t team_id, const char *date, const char *status,
                             const char *mode)
{
    struct store_stmt *st = store_prepare(s, "INSERT INTO meetings (id, team_id, meeting_date, start_time, status, "
                                             "mode, created_at, updated_at) VALUES (?,?,?,'13:30',?,?,0,0)");
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, team_id);
    store_bind_text(st, 3, date);
    store_bind_text(st, 4, status);
    store_bind_text(st, 5, mode);
    return store_exec_done(st);
}

enum store_rc q_bulk_attendance(struct store *s, int64_t meeting_id, int64_t service_id, const char *role)
{
    struct store_stmt *st = store_prepare(s, "INSERT INTO attendance (meeting_id, service_id, role, status, guest) "
                                             "VALUES (?,?,?,'present',0)");
    store_bind_int(st, 1, meeting_id);
    store_bind_int(st, 2, service_id);
    store_bind_text(st, 3, role);
    return store_exec_done(st);
}

enum store_rc q_bulk_pupil(struct store *s, int64_t id, int64_t school_id, const char *upn, const char *gender,
                           const char *ethnicity, const char *nc_year, const char *sen)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO pupils (id, school_id, upn, forenames, surname, date_of_birth, gender, ethnicity, nc_year, "
        "sen_provision, created_at, updated_at) VALUES (?,?,?,'Generated','Pupil','2014-01-01',?,?,?,?,0,0)");
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, school_id);
    store_bind_text(st, 3, upn);
    store_bind_text(st, 4, gender);
    store_bind_text(st, 5, ethnicity);
    store_bind_text(st, 6, nc_year);
    store_bind_text(st, 7, sen);
    return store_exec_done(st);
}

enum store_rc q_bulk_case(struct store *s, int64_t id, int64_t pupil_id, int64_t team_id, int summary, int ect,
                          int prior_sen, int prior_paed, int prior_eh)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO cases (id, pupil_id, team_id, opened_on, summary_before_meeting, ect_completed, "
        "prior_sen_support, prior_paediatrics, prior_early_help, created_at, updated_at) "
        "VALUES (?,?,?,'2025-09-01',?,?,?,?,?,0,0)");
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, pupil_id);
    store_bind_int(st, 3, team_id);
    opt_flag(st, 4, summary);
    opt_flag(st, 5, ect);
    opt_flag(st, 6, prior_sen);
    opt_flag(st, 7, prior_paed);
    opt_flag(st, 8, prior_eh);
    return store_exec_done(st);
}

enum store_rc q_bulk_discussion(struct store *s, int64_t id, int64_t meeting_id, int64_t case_id, const char *kind)
{
    struct store_stmt *st = store_prepare(s, "INSERT INTO discussions (id, meeting_id, case_id, kind, created_at, "
                                             "updated_at) VALUES (?,?,?,?,0,0)");
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, meeting_id);
    store_bind_int(st, 3, case_id);
    store_bind_text(st, 4, kind);
    return store_exec_done(st);
}

enum store_rc q_bulk_action(struct store *s, int64_t case_id, int64_t discussion_id, int64_t owner_service_id,
                            const char *setting, const char *nature, int64_t resource_id)
{
    struct store_stmt *st = store_prepare(s,
        "INSERT INTO actions (case_id, discussion_id, description, owner_service_id, setting, nature, resource_id, "
        "created_at, updated_at) VALUES (?,?,'Generated action',?,?,?,?,0,0)");
    store_bind_int(st, 1, case_id);
    opt_id(st, 2, discussion_id);
    opt_id(st, 3, owner_service_id);
    store_bind_text(st, 4, setting);
    store_bind_text(st, 5, nature);
    opt_id(st, 6, resource_id);
    return store_exec_done(st);
}
