#include "service/svc_retention.h"
#include "lib/count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "service/svc_audit.h"
#include "store/q_retention.h"

enum svc_status svc_retention_get(struct svc_ctx *c, struct retention_rule rules[RET__COUNT],
                                  bool *may_edit)
{
    if (!svc_allowed(c, ACT_LIST, RES_AUDIT, 0, 0, 0))
        return SVC_FORBIDDEN;
    memset(rules, 0, sizeof(struct retention_rule) * RET__COUNT);
    if (may_edit)
        *may_edit = svc_allowed(c, ACT_DELETE, RES_PUPIL, 0, 0, 0);
    return svc_from_store(q_retention_rules(c->db, rules));
}

enum svc_status svc_retention_set(struct svc_ctx *c, const char *const months[RET__COUNT],
                                  const char *const ages[RET__COUNT], struct field_errors *errs,
                                  struct retention_rule rules[RET__COUNT])
{
    if (!svc_allowed(c, ACT_DELETE, RES_PUPIL, 0, 0, 0))
        return SVC_FORBIDDEN;
    for (int t = 0; t < RET__COUNT; t++) {
        rules[t].months = 0;
        rules[t].until_age = 0;
        retention_rule_parse(months[t], ages[t], &rules[t], retention_code((enum retention_type)t), errs);
    }
    if (errs->count)
        return SVC_INVALID;
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    for (int t = 0; t < RET__COUNT; t++) {
        if (q_retention_set(c->db, (enum retention_type)t, &rules[t], c->now, c->who->user_id) != STORE_OK) {
            store_rollback(c->db);
            return SVC_ERROR;
        }
    }
    struct audit_event ev = {.action = "edit", .kind = "retention", .detail = "retention settings"};
    if (svc_audit_record(c, &ev) != SVC_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return SVC_ERROR;
    }
    return SVC_OK;
}

/* Candidates are collected first and acted on after, so no statement is
 * stepping over rows that are being changed. */
struct due_list {
    struct retention_item *items;
    size_t n, cap;
    bool oom;
    enum retention_type type;
    struct retention_rule rule;
    int32_t today;
};

static void consider(void *arg, const struct retention_candidate *cand)
{
    struct due_list *l = arg;
    int32_t anchor, dob = 0;
    if (cand->anchor[0]) {
        if (day_parse(cand->anchor, &anchor) != 0)
            return;   /* an unreadable date: keep rather than guess */
    } else {
        anchor = (int32_t)(cand->anchor_at / 86400);
    }
    bool has_dob = day_parse(cand->dob, &dob) == 0;
    int32_t due = retention_due_day(anchor, &l->rule, has_dob, dob);
    if (due > l->today)
        return;
    l->items = svc_room(l->items, l->n, &l->cap, sizeof *l->items, 32, &l->oom);
    if (l->oom)
        return;
    struct retention_item *it = &l->items[l->n++];
    memset(it, 0, sizeof *it);
    it->type = l->type;
    it->id = cand->id;
    it->count = 1;
    day_format(due, it->due_on);
}

static enum svc_status act(struct svc_ctx *c, const struct retention_item *it)
{
    const char *kind = retention_code(it->type);
    struct audit_event ev = {.action = retention_effect(it->type), .kind = kind,
                             .resource_id = it->id, .detail = "retention", .flags = AUDIT_FLAG_SYSTEM};
    /* Where the record lies is read before it goes (an erased consent can
     * no longer say), so the entry is shown to that authority's DPO. */
    /* an outcome item's id is the pupil's */
    if (q_audit_subject(c->db, it->type == RET_OUTCOME ? "pupil" : kind, it->id, &ev.pupil_id, &ev.school_id, &ev.authority_id) != STORE_ROW)
        ev.pupil_id = ev.school_id = ev.authority_id = 0;
    enum store_rc rc = STORE_ERROR;
    switch (it->type) {
    case RET_CASE: rc = q_retention_anonymise_case(c->db, it->id, c->now); break;
    case RET_CONSENT: rc = q_retention_erase_consent(c->db, it->id); break;
    case RET_PUPIL: rc = q_retention_anonymise_pupil(c->db, it->id, c->now); break;
    case RET_OUTCOME: rc = q_retention_erase_outcomes(c->db, it->id); break;
    case RET_AUDIT: case RET_SESSION: case RET__COUNT: break;
    }
    if (rc != STORE_OK)
        return SVC_ERROR;
    return svc_audit_record(c, &ev);
}

enum svc_status svc_retention_run(struct svc_ctx *c, const char *today, bool dry_run,
                                  void (*fn)(void *arg, const struct retention_item *it), void *arg,
                                  struct retention_report *out)
{
    memset(out, 0, sizeof *out);
    if (!svc_allowed(c, ACT_DELETE, RES_PUPIL, 0, 0, 0))
        return SVC_FORBIDDEN;
    int32_t day;
    if (!today || day_parse(today, &day) != 0)
        return SVC_INVALID;
    struct retention_rule rules[RET__COUNT] = {{0, 0}};
    if (store_begin_write(c->db) != STORE_OK)
        return SVC_ERROR;
    enum svc_status st = svc_from_store(q_retention_rules(c->db, rules));
    /* Counted kinds: everything older than the cut-off date goes.  The
     * audit entries due are counted before this run adds its own. */
    int64_t cutoff[RET__COUNT];
    cutoff[RET_SESSION] = (int64_t)day_add_months(day, -rules[RET_SESSION].months) * 86400;
    cutoff[RET_AUDIT] = (int64_t)day_add_months(day, -rules[RET_AUDIT].months) * 86400;
    struct retention_item audit = {.type = RET_AUDIT};
    int64_t audit_up_to = 0;
    if (st == SVC_OK)
        st = svc_from_store(q_retention_audit_count(c->db, cutoff[RET_AUDIT], &audit.count, &audit_up_to));
    day_format((int32_t)(cutoff[RET_AUDIT] / 86400), audit.due_on);
    /* Outcomes are found before pupils are anonymised: both read the same pupils. */
    static const enum retention_type per_record[] = {RET_CASE, RET_CONSENT, RET_OUTCOME, RET_PUPIL};
    static enum store_rc (*const finders[])(struct store *, retention_fn, void *) = {
        q_retention_cases, q_retention_consents, q_retention_outcomes, q_retention_pupils};
    for (size_t k = 0; st == SVC_OK && k < COUNT(per_record); k++) {
        struct due_list l = {.type = per_record[k], .rule = rules[per_record[k]], .today = day};
        st = svc_from_store(finders[k](c->db, consider, &l));
        if (l.oom)
            st = SVC_ERROR;
        for (size_t i = 0; st == SVC_OK && i < l.n; i++) {
            if (fn)
                fn(arg, &l.items[i]);
            if (!dry_run)
                st = act(c, &l.items[i]);
            out->done[l.type]++;
        }
        free(l.items);
    }
    if (st == SVC_OK) {
        struct retention_item it = {.type = RET_SESSION};
        st = svc_from_store(q_retention_sessions(c->db, cutoff[RET_SESSION], !dry_run, &it.count));
        day_format((int32_t)(cutoff[RET_SESSION] / 86400), it.due_on);
        if (st == SVC_OK && it.count) {
            out->done[RET_SESSION] = it.count;
            if (fn)
                fn(arg, &it);
        }
    }
    if (st == SVC_OK && audit.count) {
        int64_t removed = 0;
        out->done[RET_AUDIT] = audit.count;
        if (fn)
            fn(arg, &audit);
        if (!dry_run)
            st = svc_audit_prune(c, audit_up_to, &removed);
    }
    if (st == SVC_OK && !dry_run) {
        /* One closing entry with the totals, so the run itself is on the trail. */
        char detail[96];   /* the audit entry's detail holds 95 bytes */
        snprintf(detail, sizeof detail,
                 "retention run: cases %lld, consents %lld, pupils %lld, outcomes %lld, audit %lld, sessions %lld",
                 (long long)out->done[RET_CASE], (long long)out->done[RET_CONSENT],
                 (long long)out->done[RET_PUPIL], (long long)out->done[RET_OUTCOME], (long long)out->done[RET_AUDIT],
                 (long long)out->done[RET_SESSION]);
        struct audit_event ev = {.action = "retention", .kind = "retention", .detail = detail,
                                 .flags = AUDIT_FLAG_SYSTEM};
        st = svc_audit_record(c, &ev);
    }
    if (st == SVC_OK && dry_run) {
        store_rollback(c->db);   /* a dry run read inside the same snapshot, and changed nothing */
        return SVC_OK;
    }
    if (st != SVC_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return st == SVC_OK ? SVC_ERROR : st;
    }
    return SVC_OK;
}
