/* SQL for toolkit definitions (one row per version) and completions
 * (migration 0010). */
#ifndef TAS_STORE_Q_TOOLKITS_H
#define TAS_STORE_Q_TOOLKITS_H

#include "core/toolkit.h"
#include "store/q_common.h"

struct toolkit_def_row {
    int64_t id;
    char name[TK_NAME_MAX];
    int version;
    char title[TK_TEXT_MAX];
    int64_t loaded_at;
};

/* STORE_CONSTRAINT when the name and version are already there. */
enum store_rc q_toolkit_def_insert(struct store *s, struct toolkit_def_row *r, const char *body, int64_t by);
/* One version with its body (*body allocated: free it), by id. */
enum store_rc q_toolkit_def_get(struct store *s, int64_t id, struct toolkit_def_row *out, char **body);
/* The newest version of a name, with its body (as q_toolkit_def_get). */
enum store_rc q_toolkit_def_latest(struct store *s, const char *name, struct toolkit_def_row *out, char **body);
/* Every version of every toolkit, by name then version. */
enum store_rc q_toolkit_def_list(struct store *s, void (*fn)(void *arg, const struct toolkit_def_row *r),
                                 void *arg);

#define TK_ANSWERS_MAX (TK_MAX_ITEMS * 24)

struct toolkit_completion_row {
    int64_t id;
    int64_t pupil_id;
    int64_t case_id;             /* 0 none */
    int64_t definition_id;
    int version;
    char answers[TK_ANSWERS_MAX];
    char status[10];             /* draft | complete */
    bool scored;                 /* score and band hold (complete) */
    int64_t score;
    char band[TK_ID_MAX];
    char completed_on[11];       /* "" for a draft */
    int64_t created_by;
    int64_t created_at, updated_at;
    /* joined, read only */
    char name[TK_NAME_MAX];
    char title[TK_TEXT_MAX];
};

enum store_rc q_toolkit_completion_insert(struct store *s, struct toolkit_completion_row *r);
/* Saves answers, status, score, band and completed_on of a draft; STORE_DONE
 * (no change) when it is no longer a draft. */
enum store_rc q_toolkit_completion_save(struct store *s, const struct toolkit_completion_row *r);
enum store_rc q_toolkit_completion_get(struct store *s, int64_t id, struct toolkit_completion_row *out);
/* A pupil's completions, oldest first (completed by their date, drafts last). */
enum store_rc q_toolkit_completion_list(struct store *s, int64_t pupil_id,
                                        void (*fn)(void *arg, const struct toolkit_completion_row *r),
                                        void *arg);
/* The pupil's completed completion of the toolkit `name` (any version)
 * that comes last before the one completed on `on` with this id (by date,
 * then id): STORE_ROW or STORE_DONE. */
enum store_rc q_toolkit_completion_previous(struct store *s, int64_t pupil_id, const char *name, const char *on,
                                            int64_t id, struct toolkit_completion_row *out);

#endif
