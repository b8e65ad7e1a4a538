/* Screening toolkits: loading definition versions, completing a toolkit
 * for a pupil (drafts saved), scoring, the change since the last
 * completion, and the work-list flag raised when a score crosses the
 * toolkit's threshold.  SQL: store/q_toolkits.c, store/q_outcomes.c (flags).
 *
 * Definitions hold no child data and serve the whole installation: only a
 * platform administrator (the command line) loads them.  Completions are
 * case records about the pupil (RES_CASE, as svc_outcomes.h): created and
 * edited by those who may, read by those who may view; the rest are told
 * "not found".  Changes are written to the audit log. */
#ifndef TAS_SERVICE_SVC_TOOLKITS_H
#define TAS_SERVICE_SVC_TOOLKITS_H

#include <stdbool.h>

#include "core/toolkit.h"
#include "service/svc.h"
#include "store/q_outcomes.h"
#include "store/q_toolkits.h"

/* Loads a definition's text as a new version.  SVC_INVALID with errs when
 * it does not parse; SVC_CONFLICT when the name already has this or a
 * later version with other text (*unchanged true, SVC_OK, when the very
 * same text is already loaded); SVC_FORBIDDEN but for a system
 * administrator.  *out receives the stored row. */
enum svc_status svc_toolkit_load(struct svc_ctx *c, const char *text, struct tk_errors *errs,
                                 struct toolkit_def_row *out, bool *unchanged);
/* Loads the definitions compiled into tas (toolkits/\*.tk) that are not
 * loaded yet; *loaded says how many were new. */
enum svc_status svc_toolkit_load_builtin(struct svc_ctx *c, size_t *loaded);
/* Every loaded version (any signed-in user with a grant). */
enum svc_status svc_toolkit_list(struct svc_ctx *c, void (*fn)(void *arg, const struct toolkit_def_row *r),
                                 void *arg);
/* A definition version parsed (*def allocated: free it). */
enum svc_status svc_toolkit_definition(struct svc_ctx *c, int64_t definition_id, struct toolkit_def **def);

/* Starts a draft of the newest version of toolkit `name` for a pupil,
 * optionally within one of their cases (case_id 0: none). */
enum svc_status svc_toolkit_start(struct svc_ctx *c, int64_t pupil_id, int64_t case_id, const char *name,
                                  int64_t *completion_id);

/* What saving a completion found. */
struct tk_result {
    struct tk_score score;
    bool complete;
    char band_code[TK_ID_MAX];
    char band_label[TK_TEXT_MAX];
    bool has_previous;           /* a completion of the same toolkit before this one */
    int previous_score;
    int previous_version;
    int change;                  /* score - previous_score */
    bool crossed;                /* the threshold was crossed: the pupil was flagged */
    int64_t flag_id;
};

/* Saves a draft's answers ("id=value,..."): complete false keeps it a
 * draft; complete true needs every item answered, scores it, dates it
 * completed_on ("" = today), compares it with the previous completion and
 * raises a work-list flag when the threshold is crossed.  A completed
 * completion cannot be changed (SVC_CONFLICT).  SVC_INVALID with a message
 * in errs (field "answers" or "completed_on"; completing with items
 * unanswered adds one error per item, field "item_<id>"). */
enum svc_status svc_toolkit_save(struct svc_ctx *c, int64_t completion_id, const char *answers, bool complete,
                                 const char *completed_on, struct field_errors *errs, struct tk_result *out);

/* A completion as it is to be shown: the row, its definition version
 * parsed (*def allocated: free it), its answers (def->nitems values,
 * TK_UNANSWERED when none) and, for a completed one, its score, band and
 * change since the completion before it (crossed: it reached the threshold
 * when that one had not).  Hidden or missing: SVC_NOT_FOUND. */
enum svc_status svc_toolkit_completion_read(struct svc_ctx *c, int64_t completion_id,
                                            struct toolkit_completion_row *row, struct toolkit_def **def,
                                            int *answers, struct tk_result *out);
enum svc_status svc_toolkit_completion_get(struct svc_ctx *c, int64_t completion_id,
                                           struct toolkit_completion_row *out);
/* The pupil's completions, oldest first (the chart of scores over time). */
enum svc_status svc_toolkit_completions(struct svc_ctx *c, int64_t pupil_id,
                                        void (*fn)(void *arg, const struct toolkit_completion_row *r),
                                        void *arg);

/* The toolkit the Bedford pilot asked for before a referral to the service
 * with this code (community paediatrics). */
#define TK_CHECKLIST "early-concerns"
#define TK_CHECKLIST_SERVICE "paediatrics"

/* Whether the pupil has a completed `name` toolkit on file (the referral
 * to community paediatrics warns when no early-concerns checklist is). */
enum svc_status svc_toolkit_on_file(struct svc_ctx *c, int64_t pupil_id, const char *name, bool *on_file);

/* The coordinator's list: open flags of pupils the user may see, for those
 * who run TAS meetings (may edit a team), as the work lists are. */
enum svc_status svc_toolkit_flags(struct svc_ctx *c, void (*fn)(void *arg, const struct worklist_flag_row *r),
                                  void *arg);
/* Clears a flag (considered, or put on an agenda). */
enum svc_status svc_toolkit_flag_clear(struct svc_ctx *c, int64_t flag_id);

#endif
