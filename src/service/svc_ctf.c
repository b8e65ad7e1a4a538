#include "service/svc_ctf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/upn.h"
#include "core/validate.h"
#include "service/svc_audit.h"
#include "service/svc_outcomes.h"
#include "service/svc_pupils.h"
#include "store/q_ctf.h"
#include "store/q_pupils.h"

/* UPNs seen in the file, so a pupil given twice is refused the second time
 * (open addressing; 14 bytes a pupil). */
struct upn_set {
    char (*slots)[14];
    size_t cap, n;
};

static uint64_t upn_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* 1 when s was there already, 0 when added, -1 out of memory. */
static int upn_set_add(struct upn_set *u, const char *s)
{
    if (2 * (u->n + 1) > u->cap) {
        size_t cap = u->cap ? 2 * u->cap : 1024;
        char (*x)[14] = calloc(cap, sizeof *x);
        if (!x)
            return -1;
        for (size_t i = 0; i < u->cap; i++)
            if (u->slots[i][0]) {
                size_t j = upn_hash(u->slots[i]) & (cap - 1);
                while (x[j][0])
                    j = (j + 1) & (cap - 1);
                memcpy(x[j], u->slots[i], 14);
            }
        free(u->slots);
        u->slots = x;
        u->cap = cap;
    }
    size_t j = upn_hash(s) & (u->cap - 1);
    while (u->slots[j][0]) {
        if (strcmp(u->slots[j], s) == 0)
            return 1;
        j = (j + 1) & (u->cap - 1);
    }
    size_t n = strnlen(s, 13);   /* a checked UPN: 13 characters */
    memcpy(u->slots[j], s, n);
    u->slots[j][n] = '\0';
    u->n++;
    return 0;
}

struct run {
    struct svc_ctx *c;
    struct ctf_report *rep;
    struct field_errors *errs;
    const struct ctf_named_school *school;   /* where the pupils go: rep->source, or rep->dest on a transfer in */
    bool began;               /* the write transaction is open */
    enum svc_status status;   /* SVC_OK until something stops the import */
    struct upn_set seen;
    void (*progress)(void *arg, size_t pupils);
    void *arg;
};

/* Adds what is said about pupil p to a list of max entries (*n listed). */
static void add_entry(struct ctf_entry *list, size_t *n, size_t max, const struct ctf_pupil *p, const char *upn,
                      const char *field, const char *text)
{
    if (*n == max)
        return;
    struct ctf_entry *x = &list[(*n)++];
    x->index = p->index;
    x->line = p->line;
    snprintf(x->upn, sizeof x->upn, "%s", upn ? upn : "");
    snprintf(x->field, sizeof x->field, "%s", field);
    snprintf(x->text, sizeof x->text, "%s", text);
}

static void reject(struct run *r, const struct ctf_pupil *p, const char *upn, const char *field, const char *why)
{
    r->rep->rejected++;
    add_entry(r->rep->rejects, &r->rep->nrejects, CTF_REJECTS_MAX, p, upn, field, why);
}

/* Why a school named in the header is not one here, or not only one. */
enum found { FOUND, NOT_GIVEN, NOT_FOUND, BAD_SHAPE, DISAGREE, AMBIGUOUS, FOUND_ERROR };

static bool digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* The school a header names: by its URN when the file gives one (and then
 * its LA and establishment numbers, when given, must be that school's, as
 * far as they are recorded here), else by its LA number and establishment
 * number (DfE's LAESTAB, schools.establishment_number), an open school
 * before a closed one.  out->id is 0 unless FOUND. */
static enum found find_school(struct svc_ctx *c, const struct ctf_school_id *id, struct ctf_named_school *out)
{
    memset(out, 0, sizeof *out);
    out->given = *id;
    if (!id->urn[0] && !id->lea[0] && !id->estab[0])
        return NOT_GIVEN;
    if ((id->lea[0] && !digits(id->lea, 3)) || (id->estab[0] && !digits(id->estab, 4)))
        return BAD_SHAPE;
    struct ctf_school found[CTF_SCHOOLS_MAX];
    size_t n = 0;
    enum store_rc rc;
    if (id->urn[0]) {
        rc = q_ctf_school_by_urn(c->db, id->urn, &found[0]);
        n = rc == STORE_ROW;
        rc = rc == STORE_ROW || rc == STORE_DONE ? STORE_OK : rc;
    } else if (id->lea[0] && id->estab[0]) {
        rc = q_ctf_schools_by_laestab(c->db, id->lea, id->estab, found, &n);
        /* Two open schools (or, with none open, two closed) are one too many. */
        if (rc == STORE_OK && n > 1 && (strcmp(found[1].s.status, "closed") != 0 ||
                                         strcmp(found[0].s.status, "closed") == 0))
            return AMBIGUOUS;
    } else {
        return NOT_GIVEN;
    }
    if (rc != STORE_OK)
        return FOUND_ERROR;
    if (n == 0)
        return NOT_FOUND;
    const struct ctf_school *f = &found[0];
    out->id = f->s.id;
    out->authority_id = f->s.authority_id;
    out->by_laestab = !id->urn[0];
    snprintf(out->urn, sizeof out->urn, "%s", f->s.urn);
    snprintf(out->estab, sizeof out->estab, "%s", f->s.estab);
    snprintf(out->la_code, sizeof out->la_code, "%s", f->la_code);
    snprintf(out->name, sizeof out->name, "%s", f->s.name);
    if ((id->lea[0] && strcmp(id->lea, f->la_code) != 0) || (id->estab[0] && f->s.estab[0] && strcmp(id->estab, f->s.estab) != 0)) {
        out->id = 0;
        return DISAGREE;
    }
    return FOUND;
}

/* The header's words for a school that could not be used ("file" error). */
static void school_error(struct run *r, const char *which, enum found f, const struct ctf_named_school *x)
{
    const struct ctf_school_id *g = &x->given;
    char msg[400];
    switch (f) {
    case NOT_GIVEN:
        snprintf(msg, sizeof msg, "The file's header does not name its %s school: it needs its URN, or its LEA "
                 "and Estab (the local authority and establishment numbers)", which);
        break;
    case BAD_SHAPE:
        snprintf(msg, sizeof msg, "The file's %s school has LEA \"%.7s\" and Estab \"%.7s\": an LEA is 3 numbers "
                 "and an Estab 4", which, g->lea, g->estab);
        break;
    case NOT_FOUND:
        if (g->urn[0])
            snprintf(msg, sizeof msg, "The file's %s school (URN %s) is not one of the schools recorded here",
                     which, g->urn);
        else
            snprintf(msg, sizeof msg, "The file's %s school (LA %s, establishment number %s) is not one of the "
                     "schools recorded here: record the establishment number in the school's details, or import "
                     "the schools from GIAS", which, g->lea, g->estab);
        break;
    case AMBIGUOUS:
        snprintf(msg, sizeof msg, "The file's %s school (LA %s, establishment number %s) matches more than one "
                 "school recorded here: correct their establishment numbers, or send a file that gives the URN",
                 which, g->lea, g->estab);
        break;
    case DISAGREE:
        if (g->lea[0] && strcmp(g->lea, x->la_code) != 0)
            snprintf(msg, sizeof msg, "The file's %s LA number does not match the school's local authority: URN %s "
                     "is %.160s, in LA %s, but the file gives LA %s", which, x->urn, x->name, x->la_code, g->lea);
        else
            snprintf(msg, sizeof msg, "The file's %s establishment number does not match the school's: URN %s is "
                     "%.160s, establishment number %s, but the file gives %s", which, x->urn, x->name, x->estab,
                     g->estab);
        break;
    default:
        r->status = SVC_ERROR;
        return;
    }
    field_errors_add(r->errs, "file", msg);
    r->status = SVC_INVALID;
}

/* The source school is where the pupils are added or brought up to date;
 * the destination, when the header names one, is only reported (a school
 * here, or not), unless its numbers contradict each other. */
static int on_header(void *arg, const struct ctf_header *h)
{
    struct run *r = arg;
    struct svc_ctx *c = r->c;
    struct ctf_report *rep = r->rep;
    snprintf(rep->version, sizeof rep->version, "%s", h->version);
    /* The pupils' school must be here; the other need not be, but its
     * numbers must not contradict each other. */
    bool in = rep->transfer_in;
    struct ctf_named_school *at = in ? &rep->dest : &rep->source, *other = in ? &rep->source : &rep->dest;
    enum found f = find_school(c, in ? &h->dest : &h->source, at);
    if (f != FOUND) {
        school_error(r, in ? "destination" : "source", f, at);
        return 1;
    }
    r->school = at;
    if (!svc_allowed(c, ACT_CREATE, RES_PUPIL, 0, r->school->authority_id, r->school->id)) {
        struct audit_event ev = {.action = "import", .kind = "school", .resource_id = r->school->id,
                                 .school_id = r->school->id, .authority_id = r->school->authority_id,
                                 .detail = "ctf", .flags = AUDIT_FLAG_REFUSED};
        r->status = svc_audit_record(c, &ev) == SVC_OK ? SVC_FORBIDDEN : SVC_ERROR;
        return 1;
    }
    f = find_school(c, in ? &h->source : &h->dest, other);
    if (f == BAD_SHAPE || f == DISAGREE || f == FOUND_ERROR) {
        school_error(r, in ? "source" : "destination", f, other);
        return 1;
    }
    if (in && other->id == at->id) {
        field_errors_add(r->errs, "file", "The file's source and destination are the same school: it is not a "
                         "transfer in. Import it as the school's own file");
        r->status = SVC_INVALID;
        return 1;
    }
    if (store_begin_write(c->db) != STORE_OK) {
        r->status = SVC_ERROR;
        return 1;
    }
    r->began = true;
    return 0;
}

static bool same_pupil(const struct pupil *a, const struct pupil *b)
{
    return strcmp(a->forenames, b->forenames) == 0 && strcmp(a->surname, b->surname) == 0 &&
           strcmp(a->date_of_birth, b->date_of_birth) == 0 && strcmp(a->gender, b->gender) == 0 &&
           strcmp(a->ethnicity, b->ethnicity) == 0 && strcmp(a->nc_year, b->nc_year) == 0 &&
           strcmp(a->sen_provision, b->sen_provision) == 0 && a->school_id == b->school_id;
}

/* A CTF date (YYYY-MM-DD) into a day number; -1 when it is not one. */
static int ctf_day(const char *s, int32_t *d)
{
    return s[0] && day_parse(s, d) == 0 ? 0 : -1;
}

static int32_t today_day(const struct svc_ctx *c)
{
    int32_t t = 0;
    return day_parse(c->today, &t) == 0 ? t : 0;
}

/* The outcome records a pupil's CTF carries; -1 (rejected) on the first
 * that cannot be read or is refused by the outcome rules. */
struct rec_list {
    struct outcome_record recs[CTF_MAX_YEARS + CTF_MAX_EXCLUSIONS + CTF_MAX_FSM];
    size_t n;
};

static const char *records_of(const struct run *r, const struct ctf_pupil *p, struct rec_list *out,
                              const char **field)
{
    out->n = 0;
    int32_t today = today_day(r->c);
    for (size_t i = 0; i < p->nattendance; i++) {
        const struct ctf_attendance *a = &p->attendance[i];
        struct outcome_record *o = &out->recs[out->n];
        memset(o, 0, sizeof *o);
        o->kind = OUT_ATTENDANCE;
        *field = "attendance";
        if (a->year < 1990 || a->possible < 0 || a->authorised < 0 || a->unauthorised < 0)
            return "an attendance year needs its Year, SessionsPossible, SessionsAuthorised and SessionsUnauthorised";
        /* The year runs from its start (AttendanceStartDate, else 1 September)
         * to 31 August, or to today while it is still going on. */
        char iso[16];
        snprintf(iso, sizeof iso, "%04u-09-01", (unsigned)a->year % 10000u);
        if (a->start_date[0] ? ctf_day(a->start_date, &o->starts) : ctf_day(iso, &o->starts))
            return "the attendance start date must be a real date, YYYY-MM-DD";
        snprintf(iso, sizeof iso, "%04u-08-31", (unsigned)(a->year + 1) % 10000u);
        if (ctf_day(iso, &o->ends) != 0)
            return "the attendance year is not a real year";
        if (o->ends > today)
            o->ends = today;
        o->sessions_possible = a->possible;
        o->sessions_missed = a->authorised + a->unauthorised;
        out->n++;
    }
    for (size_t i = 0; i < p->nexclusions; i++) {
        const struct ctf_exclusion *x = &p->exclusions[i];
        struct outcome_record *o = &out->recs[out->n];
        memset(o, 0, sizeof *o);
        *field = "exclusion";
        if (strcmp(x->category, "LNCH") == 0)
            o->kind = OUT_LUNCHTIME;
        else if (strcmp(x->category, "PERM") == 0)
            o->kind = OUT_EXCLUSION;
        else if (strcmp(x->category, "SUSP") == 0 || strcmp(x->category, "FIXD") == 0)
            o->kind = OUT_SUSPENSION;
        else
            return "an exclusion's Category must be PERM, SUSP, FIXD or LNCH";
        if (ctf_day(x->start_date, &o->starts) != 0)
            return "an exclusion's StartDate must be a real date, YYYY-MM-DD";
        snprintf(o->code, sizeof o->code, "%s", x->reason);
        if (o->kind == OUT_SUSPENSION)
            o->sessions = x->sessions < 0 ? 0 : x->sessions;
        else if (o->kind == OUT_LUNCHTIME)   /* one session a lunchtime; one when the file gives none */
            o->sessions = x->sessions < 1 ? 1 : x->sessions;
        out->n++;
    }
    for (size_t i = 0; i < p->nfsm; i++) {
        const struct ctf_fsm *f = &p->fsm[i];
        struct outcome_record *o = &out->recs[out->n];
        memset(o, 0, sizeof *o);
        o->kind = OUT_FSM;
        *field = "fsm";
        if (ctf_day(f->start_date, &o->starts) != 0)
            return "a free school meals FSMstartDate must be a real date, YYYY-MM-DD";
        if (f->end_date[0] && ctf_day(f->end_date, &o->ends) != 0)
            return "a free school meals FSMendDate must be empty or a real date";
        out->n++;
    }
    return NULL;
}

/* A note for the report: something done or left that is not a refusal. */
static void note(struct run *r, const struct ctf_pupil *p, const char *upn, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void note(struct run *r, const struct ctf_pupil *p, const char *upn, const char *field, const char *fmt, ...)
{
    char text[sizeof r->rep->notelist[0].text];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    r->rep->notes++;
    add_entry(r->rep->notelist, &r->rep->nnotes, CTF_NOTES_MAX, p, upn, field, text);
}

/* Lunchtime exclusions (the school census's own exclusion category, LNCH,
 * in DfE's Common Basic Data Set) are kept as records of their own kind,
 * apart from suspensions; counted for the report. */
static void lunchtimes(struct run *r, const struct ctf_pupil *p)
{
    for (size_t i = 0; i < p->nexclusions; i++)
        r->rep->lunchtimes += strcmp(p->exclusions[i].category, "LNCH") == 0;
}

/* The file's UPN and FormerUPN, checked (check letter, each once in the
 * file) into upn and former ("" when none, or the same as the UPN); false
 * when the pupil is refused. */
static bool pupil_upns(struct run *r, const struct ctf_pupil *p, char upn[32], char former[32])
{
    enum upn_status us = upn_normalise(p->upn, upn, 32) == 0 ? upn_validate(upn) : UPN_BAD_LENGTH;
    if (us != UPN_OK && us != UPN_OK_TEMPORARY) {
        reject(r, p, NULL, "upn", upn_status_message(us));
        return false;
    }
    former[0] = '\0';
    if (p->former_upn[0]) {
        us = upn_normalise(p->former_upn, former, 32) == 0 ? upn_validate(former) : UPN_BAD_LENGTH;
        if (us != UPN_OK && us != UPN_OK_TEMPORARY) {
            char why[160];
            snprintf(why, sizeof why, "the FormerUPN: %s", upn_status_message(us));
            reject(r, p, upn, "former_upn", why);
            return false;
        }
        if (strcmp(former, upn) == 0)
            former[0] = '\0';
    }
    if (p->too_long[0]) {
        char why[96];
        snprintf(why, sizeof why, "the text of %s is too long", p->too_long);
        reject(r, p, upn, p->too_long, why);
        return false;
    }
    if (p->too_many) {
        reject(r, p, upn, "pupil", "too many attendance years, exclusions or free school meals periods");
        return false;
    }
    /* A UPN given twice, or one pupil's FormerUPN another's UPN: which
     * record is whose cannot be told. */
    for (int k = 0; k < 2; k++) {
        const char *u = k ? former : upn;
        int dup = u[0] ? upn_set_add(&r->seen, u) : 0;
        if (dup < 0)
            r->status = SVC_ERROR;
        if (dup != 0) {
            reject(r, p, upn, k ? "former_upn" : "upn",
                   k ? "the FormerUPN is given as the UPN or FormerUPN of an earlier pupil in the file"
                     : "the same UPN is given for an earlier pupil in the file");
            return false;
        }
    }
    return true;
}

/* The stored pupil of a UPN (as_former: the pupil whose former UPN it
 * is), when it may be changed from this school's file: STORE_ROW (pr
 * read), STORE_DONE (no pupil has the UPN), or STORE_CONSTRAINT: another
 * school's pupil, one out of reach, or a former UPN of more than one
 * pupil, which read the same, so a file cannot find out where a UPN is
 * held. */
static enum store_rc pupil_here(struct run *r, const char *upn, bool as_former, struct pupil_row *pr)
{
    int64_t id = 0;
    enum store_rc rc =
        as_former ? q_pupil_id_by_former_upn(r->c->db, upn, &id) : q_pupil_id_by_upn(r->c->db, upn, &id);
    if (rc != STORE_ROW)
        return rc;
    /* On a transfer in, a pupil of the source school here is the pupil
     * joining: moved (when the user may change them). */
    int64_t from = r->rep->transfer_in ? r->rep->source.id : 0;
    if (q_pupil_get(r->c->db, id, pr) != STORE_ROW ||
        (pr->p.school_id != r->school->id && (!from || pr->p.school_id != from)) ||
        !svc_allowed(r->c, ACT_EDIT, RES_PUPIL, id, pr->authority_id, pr->p.school_id))
        return STORE_CONSTRAINT;
    return STORE_ROW;
}

static enum svc_status audited(struct run *r, const char *action, const struct pupil_row *pr, const char *detail)
{
    struct audit_event ev = {.action = action, .kind = "pupil", .resource_id = pr->p.id, .pupil_id = pr->p.id,
                             .school_id = pr->p.school_id, .authority_id = r->school->authority_id,
                             .detail = detail};
    return svc_audit_record(r->c, &ev);
}

/* What place_pupil did. */
struct placed {
    size_t *counted;          /* added, changed or unchanged: counted once its records pass */
    bool replaced;            /* found by the FormerUPN, and given the file's UPN */
    const char *field, *why;  /* a refusal of place_pupil's own; NULL: fe says */
};

/* The pupil added, brought up to date, or left as stored, into pr.  A UPN
 * not stored whose FormerUPN is a pupil here is that pupil, given the new
 * UPN: a temporary UPN replaced by the permanent one becomes the former
 * UPN (DfE, "Unique Pupil Numbers (UPN): a guide for schools and local
 * authorities", version 1.2).  A UPN that is no pupil's but was one's
 * before (their former UPN: the file is older than the change) is that
 * pupil, whose UPN here is kept.  SVC_INVALID (and the like) refuse the
 * pupil, with the field and words in out (or fe). */
static enum svc_status place_pupil(struct run *r, const struct ctf_pupil *p, const char *upn, const char *former,
                                   const struct pupil_form *f, struct pupil *want, struct pupil_row *pr,
                                   struct placed *out, struct field_errors *fe)
{
    struct svc_ctx *c = r->c;
    struct ctf_report *rep = r->rep;
    enum store_rc rc = pupil_here(r, upn, false, pr);
    bool replacing = false, by_former = false;
    if (rc == STORE_DONE && former[0]) {
        rc = pupil_here(r, former, false, pr);
        if (rc == STORE_CONSTRAINT) {
            out->field = "former_upn";
            out->why = "a pupil with this FormerUPN cannot be updated at this school";
            return SVC_INVALID;
        }
        replacing = rc == STORE_ROW;
    }
    if (rc == STORE_DONE) {
        rc = pupil_here(r, upn, true, pr);
        by_former = rc == STORE_ROW;
    }
    if (rc == STORE_CONSTRAINT) {
        out->field = "upn";
        out->why = "a pupil with this UPN cannot be added or updated at this school";
        return SVC_INVALID;
    }
    enum svc_status st;
    if (rc == STORE_DONE) {
        struct pupil made;
        st = svc_pupil_create(c, f, fe, &made);
        if (st == SVC_OK && (st = svc_pupil_get(c, made.id, pr)) == SVC_OK &&
            (st = audited(r, "create", pr, "ctf import")) == SVC_OK)
            out->counted = &rep->added;
        return st;
    }
    if (rc != STORE_ROW)
        return SVC_ERROR;
    want->id = pr->p.id;
    want->school_id = r->school->id;   /* pupil_here: theirs, or the school they move from */
    struct pupil_form kept;
    if (by_former) {
        /* The file is older than the pupil's current UPN, which stays. */
        kept = *f;
        kept.upn = pr->p.upn;
        f = &kept;
        svc_copy(want->upn, sizeof want->upn, pr->p.upn);
        note(r, p, upn, "upn", "this UPN is the pupil's former UPN: their UPN here, %s, is kept", pr->p.upn);
    }
    bool moving = pr->p.school_id != r->school->id;
    if (!replacing && same_pupil(want, &pr->p)) {
        out->counted = &rep->unchanged;
        return SVC_OK;
    }
    struct pupil upd;
    int64_t id = pr->p.id;
    st = svc_pupil_update(c, id, f, fe, &upd);
    if (st == SVC_OK && (st = svc_pupil_get(c, id, pr)) == SVC_OK &&
        (st = audited(r, "edit", pr, replacing ? "ctf import: UPN replaced (FormerUPN)"
                                     : moving  ? "ctf import: transfer in"
                                               : "ctf import")) == SVC_OK)
        out->counted = &rep->changed;
    if (st == SVC_OK && moving) {
        rep->moved++;
        note(r, p, upn, "school", "moved from %.160s (URN %s) to this school", rep->source.name, rep->source.urn);
    }
    out->replaced = st == SVC_OK && replacing;

    if (out->replaced)
        note(r, p, upn, "former_upn", "the pupil recorded with the FormerUPN %s now has this UPN", former);
    return st;
}

/* The pupil's outcome records; false when one is refused. */
static bool pupil_records(struct run *r, const struct ctf_pupil *p, const char *upn, const struct pupil_row *pr,
                          const struct rec_list *recs)
{
    struct ctf_report *rep = r->rep;
    for (size_t i = 0; i < recs->n; i++) {
        const struct outcome_record *o = &recs->recs[i];
        struct field_errors oe = {0};
        struct outcome_import_result res;
        enum svc_status st = svc_outcome_import_one(r->c, pr, o, &oe, &res);
        if (st == SVC_ERROR) {
            r->status = SVC_ERROR;
            return false;
        }
        if (st != SVC_OK) {
            char msg[160];
            snprintf(msg, sizeof msg, "%s record: %.120s", outcome_kind_label(o->kind),
                     st == SVC_FORBIDDEN ? "you may not record outcomes for this pupil"
                                         : oe.count ? oe.items[0].message : "not valid");
            reject(r, p, upn, outcome_kind_code(o->kind), msg);
            return false;
        }
        const struct outcome_row *s = &res.stored;
        switch (res.what) {
        case OUTCOME_ADDED: rep->outcomes_added++; break;
        case OUTCOME_KEPT: rep->outcomes_kept++; break;
        case OUTCOME_UPDATED:
            rep->outcomes_updated++;
            note(r, p, upn, "attendance", "attendance from %s: updated from %lld to %lld sessions possible (%lld "
                 "missed)", s->starts_on, (long long)s->sessions_possible, (long long)o->sessions_possible,
                 (long long)o->sessions_missed);
            break;
        case OUTCOME_KEPT_FEWER:
        case OUTCOME_KEPT_OTHER:
            rep->outcomes_kept++;
            note(r, p, upn, "attendance", "attendance from %s: the file has %lld sessions possible, %lld missed; "
                 "the record stored (%lld possible, %lld missed%s) is kept", s->starts_on,
                 (long long)o->sessions_possible, (long long)o->sessions_missed, (long long)s->sessions_possible,
                 (long long)s->sessions_missed, strcmp(s->source, "import") ? ", entered by hand" : "");
            break;
        }
    }
    return true;
}

/* One pupil; false when it was refused (the reason is in the report). */
static bool one_pupil(struct run *r, const struct ctf_pupil *p)
{
    struct svc_ctx *c = r->c;
    char upn[32], former[32];
    if (!pupil_upns(r, p, upn, former))
        return false;
    /* The pupil as the file has them, through the rules of the pupil form. */
    char dd[3] = "", mm[3] = "", yy[5] = "", school[24];
    if (strlen(p->dob) == 10 && p->dob[4] == '-' && p->dob[7] == '-') {
        memcpy(yy, p->dob, 4);
        memcpy(mm, p->dob + 5, 2);
        memcpy(dd, p->dob + 8, 2);
    }
    snprintf(school, sizeof school, "%lld", (long long)r->school->id);
    struct pupil_form f = {.upn = upn, .forenames = p->forename, .surname = p->surname, .dob_day = dd,
                           .dob_month = mm, .dob_year = yy, .gender = p->gender, .ethnicity = p->ethnicity,
                           .nc_year = p->nc_year, .sen_provision = p->sen_provision[0] ? p->sen_provision : "N",
                           .school_id = school};
    struct field_errors fe = {0};
    struct pupil want;
    if (validate_pupil(&f, c->today, &want, &fe) != 0) {
        reject(r, p, upn, fe.items[0].field, fe.items[0].message);
        return false;
    }
    struct rec_list *recs = malloc(sizeof *recs);
    if (!recs) {
        r->status = SVC_ERROR;
        return false;
    }
    const char *field = "", *why = records_of(r, p, recs, &field);
    if (why) {
        reject(r, p, upn, field, why);
        free(recs);
        return false;
    }
    struct pupil_row pr;
    struct placed placed = {0};
    enum svc_status st = place_pupil(r, p, upn, former, &f, &want, &pr, &placed, &fe);
    bool ok = st == SVC_OK;
    if (st == SVC_INVALID || st == SVC_FORBIDDEN || st == SVC_NOT_FOUND)
        reject(r, p, upn, placed.field ? placed.field : fe.count ? fe.items[0].field : "upn",
               placed.why ? placed.why : fe.count ? fe.items[0].message : "you may not add or update this pupil");
    else if (!ok)
        r->status = SVC_ERROR;
    ok = ok && pupil_records(r, p, upn, &pr, recs);
    if (ok) {
        (*placed.counted)++;
        r->rep->upn_replaced += placed.replaced;
        lunchtimes(r, p);
    }
    free(recs);
    return ok;
}

static int on_pupil(void *arg, const struct ctf_pupil *p)
{
    struct run *r = arg;
    if (++r->rep->pupils % CTF_PROGRESS_EVERY == 0 && r->progress)
        r->progress(r->arg, r->rep->pupils);
    /* A refused pupil's notes are dropped: its refusal is what matters. */
    size_t notes = r->rep->nnotes, counted = r->rep->notes;
    if (!one_pupil(r, p)) {
        r->rep->nnotes = notes;
        r->rep->notes = counted;
    }
    return r->status == SVC_OK ? 0 : 1;
}

static int file_read(void *io, char *buf, int len)
{
    size_t n = fread(buf, 1, (size_t)len, io);
    return n == 0 && ferror((FILE *)io) ? -1 : (int)n;
}

enum svc_status svc_ctf_import(struct svc_ctx *c, FILE *in, bool dry_run, bool transfer_in,
                               void (*progress)(void *arg, size_t pupils), void *arg, struct ctf_report *rep,
                               struct field_errors *errs)
{
    memset(rep, 0, sizeof *rep);
    rep->transfer_in = transfer_in;
    if (!svc_allowed(c, ACT_CREATE, RES_PUPIL, 0, 0, 0))
        return SVC_FORBIDDEN;
    struct run r = {.c = c, .rep = rep, .errs = errs, .status = SVC_OK, .progress = progress, .arg = arg};
    struct ctf_handler h = {.header = on_header, .pupil = on_pupil, .arg = &r, .read = file_read, .io = in};
    struct ctf_error err;
    enum ctf_result cr = ctf_parse(&h, &err);
    free(r.seen.slots);
    enum svc_status st = r.status;
    if (cr == CTF_MALFORMED || cr == CTF_REFUSED) {
        rep->malformed = true;
        rep->error_line = err.line;
        snprintf(rep->error, sizeof rep->error, "%s", err.message);
        st = SVC_INVALID;
    } else if (cr == CTF_NO_MEMORY) {
        st = SVC_ERROR;
    } else if (st == SVC_OK && rep->rejected > 0) {
        st = SVC_INVALID;
    }
    if (progress && st == SVC_OK)
        progress(arg, rep->pupils);
    if (!r.began)
        return st;
    if (st != SVC_OK || dry_run) {
        store_rollback(c->db);
        return st;
    }
    struct audit_event ev = {.action = "import", .kind = "school", .resource_id = r.school->id,
                             .school_id = r.school->id, .authority_id = r.school->authority_id,
                             .detail = transfer_in ? "ctf transfer in" : "ctf"};
    if (svc_audit_record(c, &ev) != SVC_OK || store_commit(c->db) != STORE_OK) {
        store_rollback(c->db);
        return SVC_ERROR;
    }
    rep->written = true;
    return SVC_OK;
}
