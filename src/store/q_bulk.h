/* Bulk loading for the generated England (tas generate): plain INSERTs
 * with ids chosen by the caller, meant to run inside one transaction.
 * Nothing here validates: the generator only produces valid rows. */
#ifndef TAS_STORE_Q_BULK_H
#define TAS_STORE_Q_BULK_H

#include <stddef.h>

#include "store/store.h"

enum store_rc q_bulk_authority(struct store *s, int64_t id, const char *la_code, const char *name);
enum store_rc q_bulk_service(struct store *s, int64_t id, int64_t authority_id, const char *code, const char *name,
                             const char *org_kind);
enum store_rc q_bulk_resource(struct store *s, int64_t id, int64_t authority_id, const char *title, const char *kind);
enum store_rc q_bulk_school(struct store *s, int64_t id, int64_t authority_id, const char *urn, const char *name,
                            const char *phase);
/* A team hosted by one school, with that school as its only member school. */
enum store_rc q_bulk_population(struct store *s, int64_t school_id, const char *dimension, const char *category,
                                int64_t pupils);
enum store_rc q_bulk_team(struct store *s, int64_t id, int64_t authority_id, int64_t school_id, const char *name);
enum store_rc q_bulk_team_member(struct store *s, int64_t team_id, int64_t service_id);
enum store_rc q_bulk_meeting(struct store *s, int64_t id, int64_t team_id, const char *date, const char *status,
                             const char *mode);
enum store_rc q_bulk_attendance(struct store *s, int64_t meeting_id, int64_t service_id, const char *role);
enum store_rc q_bulk_pupil(struct store *s, int64_t id, int64_t school_id, const char *upn, const char *gender,
                           const char *ethnicity, const char *nc_year, const char *sen);
/* Flags: 1, 0, or -1 for not recorded (NULL). */
enum store_rc q_bulk_case(struct store *s, int64_t id, int64_t pupil_id, int64_t team_id, int summary, int ect,
                          int prior_sen, int prior_paed, int prior_eh);
enum store_rc q_bulk_discussion(struct store *s, int64_t id, int64_t meeting_id, int64_t case_id, const char *kind);
enum store_rc q_bulk_action(struct store *s, int64_t case_id, int64_t discussion_id, int64_t owner_service_id,
                            const char *setting, const char *nature, int64_t resource_id);
/* One outcome record (source 'import'); ends_on NULL for none; the
 * sessions given only where the kind has them (attendance, suspension). */
enum store_rc q_bulk_outcome(struct store *s, int64_t pupil_id, const char *kind, const char *starts_on,
                             const char *ends_on, const char *code, int64_t possible, int64_t missed,
                             int64_t sessions);

/* Setting aside, for a bulk load into a fresh database, what makes each
 * row slow to insert: the secondary indexes of the tables above (built
 * again afterwards in one sort each, rather than one b-tree insert per row)
 * and their triggers (the dashboard's staleness marks: the caller marks
 * everything stale once, q_rollup_mark_all, instead).  q_bulk_defer drops
 * them and keeps their definitions in d; q_bulk_restore creates them again,
 * in their original order, from the same text, and frees d.  Both inside
 * the load's write transaction.  SQLite's catalogue (sqlite_master); a
 * PostgreSQL backend would disable its triggers and indexes instead. */
struct q_bulk_deferred {
    size_t n;
    char **sql;     /* CREATE INDEX / CREATE TRIGGER statements */
};
enum store_rc q_bulk_defer(struct store *s, struct q_bulk_deferred *d);
enum store_rc q_bulk_restore(struct store *s, struct q_bulk_deferred *d);
void q_bulk_deferred_free(struct q_bulk_deferred *d);

#endif
