#include "cli/demo_apst_load.h"
#include "lib/count.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "core/upn.h"
#include "service/svc_apst.h"
#include "service/svc_outcomes.h"
#include "service/svc_places.h"
#include "service/svc_pupils.h"
#include "service/svc_users.h"

static int failed(const char *what, enum svc_status st, const struct field_errors *e)
{
    char w[80];
    snprintf(w, sizeof w, "demo taskforce: %s", what);
    return cli_svc_failed(w, st, e);
}

/* A day n days before today, as "YYYY-MM-DD". */
static void ago(int32_t today, int n, char out[11])
{
    day_format(today - n, out);
}

/* Synthetic pupils of the AP school: made-up names, years 9 to 11. */
static const struct {
    const char *forenames, *surname, *gender, *ethnicity, *nc_year, *sen;
} ap_pupils[] = {
    {"Tyler", "Brookes", "M", "WBRI", "10", "K"}, {"Aaliyah", "Grant", "F", "MWBC", "11", "E"},
    {"Kai", "Mensah", "M", "BAFR", "10", "K"},    {"Jade", "Holloway", "F", "WBRI", "9", "K"},
    {"Reece", "Dunmore", "M", "WBRI", "11", "N"}, {"Nadia", "Rahman", "F", "ABAN", "10", "K"},
    {"Connor", "Walsh", "M", "WIRI", "11", "K"},  {"Leon", "Achterberg", "M", "WOTH", "9", "E"},
};
#define NAP (COUNT(ap_pupils))

int demo_apst_load(struct svc_ctx *c, const struct demo_plan *plan, const char *password)
{
    struct field_errors e = {0};
    enum svc_status st;
    int32_t today = 0;
    day_parse(c->today, &today);
    int acad = academic_year_of(today);
    char la[24], urn[8];
    snprintf(la, sizeof la, "%lld", (long long)plan->authority.id);
    snprintf(urn, sizeof urn, "19%.3s9", plan->authority.la_code);
    struct school ap;
    struct school_form sf = {.urn = urn, .name = "Riverside Alternative Provision Academy", .phase = "ap",
                             .pupils_on_roll = "64", .fsm_pct = "58.0", .sen_pct = "83.0", .tas_member = "no",
                             .authority_id = la};
    if ((st = svc_school_create(c, &sf, &e, &ap)) != SVC_OK)
        return failed("AP school", st, &e);

    int64_t pupils[NAP];
    for (size_t i = 0; i < NAP; i++) {
        /* UPN: the LA's code, a PRU's establishment number (1xxx), the year
         * and a serial, with its check letter (DfE, "Unique pupil numbers"). */
        char body[24], upn[32], sid[24], y[16];
        snprintf(body, sizeof body, "%.3s1100%02d%03u", plan->authority.la_code, acad % 100, (unsigned)(i + 1) % 1000);
        snprintf(upn, sizeof upn, "%c%s", upn_check_letter(body), body);
        snprintf(sid, sizeof sid, "%lld", (long long)ap.id);
        /* Born in December of the academic year that puts them in their NC year. */
        int nc = 0;
        sscanf(ap_pupils[i].nc_year, "%d", &nc);
        snprintf(y, sizeof y, "%d", acad - 5 - nc);
        struct pupil_form pf = {upn, ap_pupils[i].forenames, ap_pupils[i].surname, "10", "12", y,
                                ap_pupils[i].gender, ap_pupils[i].ethnicity, ap_pupils[i].nc_year, ap_pupils[i].sen,
                                sid};
        struct pupil out;
        memset(&e, 0, sizeof e);
        if ((st = svc_pupil_create(c, &pf, &e, &out)) != SVC_OK)
            return failed("AP pupil", st, &e);
        pupils[i] = out.id;
    }

    char started[11], d1[11], d2[11];
    ago(today, 420, started);   /* before its first specialists and referrals */
    struct apst_form af = {"Riverside specialist taskforce", "", "Morgan Ellis", "0.6", started, "3"};
    char apid[24];
    snprintf(apid, sizeof apid, "%lld", (long long)ap.id);
    af.school_id = apid;
    int64_t tf = 0;
    memset(&e, 0, sizeof e);
    if ((st = svc_apst_create(c, &af, &e, &tf)) != SVC_OK)
        return failed("taskforce", st, &e);
    struct apst_taskforce_row tfr;
    if ((st = svc_apst_get(c, tf, &tfr)) != SVC_OK)
        return failed("taskforce", st, &e);

    /* Its Taskforce Manager and one specialist (the mental health
     * therapist) have accounts: team-scope grants on the taskforce's team;
     * the specialist's detail is their type, which consent must cover. */
    struct role_grant gm = {.role = ROLE_APST_MANAGER, .scope = SCOPE_TEAM, .scope_id = tfr.team_id,
                            .authority_id = tfr.authority_id};
    struct role_grant gs = gm;
    gs.role = ROLE_APST_SPECIALIST;
    snprintf(gs.detail, sizeof gs.detail, "mental_health");
    struct user_form um = {DEMO_APST_MANAGER, "Morgan Ellis", NULL, password};
    struct user_form us = {DEMO_APST_SPECIALIST, "Priya Shah", NULL, password};
    memset(&e, 0, sizeof e);
    if ((st = svc_user_create(c, &um, &gm, 1, &e, NULL)) != SVC_OK ||
        (st = svc_user_create(c, &us, &gs, 1, &e, NULL)) != SVC_OK)
        return failed("taskforce accounts", st, &e);

    /* Five specialists; four recommended types in post, the speech and
     * language therapist (hardest to recruit) not yet. */
    static const struct {
        const char *kind, *name, *fte, *days, *home, *funding, *supervision;
        int started_ago, left_ago;
    } specs[] = {
        {"mental_health", "Priya Shah", "0.6", "3", "CAMHS", "secondment", "home_clinical", 400, 0},
        {"youth_family", "Dan Okoro", "1", "5", "Early Help", "direct", "manager", 400, 0},
        {"youth_family", "Ellie Marsh", "1", "5", "", "direct", "manager", 200, 0},
        {"ed_psych", "Dr Ruth Kaplan", "0.2", "1", "Educational psychology service", "joint", "home_clinical", 300, 0},
        {"youth_justice", "Marcus Bell", "0.5", "3", "Youth justice service", "secondment", "home_clinical", 300, 0},
        {"salt", "Holly Fenn", "0.4", "2", "NHS speech and language therapy", "secondment", "home_clinical", 400, 60},
    };
    int64_t spec_ids[COUNT(specs)];
    for (size_t i = 0; i < COUNT(specs); i++) {
        ago(today, specs[i].started_ago, d1);
        if (specs[i].left_ago)
            ago(today, specs[i].left_ago, d2);
        struct apst_specialist_form f = {specs[i].kind, specs[i].name, specs[i].fte, specs[i].days, specs[i].home,
                                         specs[i].funding, specs[i].supervision, d1,
                                         specs[i].left_ago ? d2 : "", i == 0 ? DEMO_APST_SPECIALIST : NULL};
        memset(&e, 0, sizeof e);
        if ((st = svc_apst_specialist_add(c, tf, &f, &e, &spec_ids[i])) != SVC_OK)
            return failed("specialist", st, &e);
    }

    ago(today, 420, d1);
    ago(today, 55, d2);
    struct apst_agreement_form a1 = {"data_sharing", "NHS CAMHS and the local authority", d1, d2};
    char d3[11], d4[11];
    ago(today, 300, d3);
    ago(today, -65, d4);
    struct apst_agreement_form a2 = {"secondment", "Youth justice service", d3, d4};
    memset(&e, 0, sizeof e);
    if ((st = svc_apst_agreement_add(c, tf, &a1, &e, NULL)) != SVC_OK ||
        (st = svc_apst_agreement_add(c, tf, &a2, &e, NULL)) != SVC_OK)
        return failed("agreement", st, &e);

    /* Referrals: the AP pupils, and two outreach pupils of a mainstream
     * secondary school. */
    int64_t outreach[2] = {0, 0};
    size_t nout = 0;
    for (size_t i = 0; i < plan->npupils && nout < 2; i++) {
        const struct pupil *p = &plan->pupils[i];
        if (!strcmp(plan->schools[p->school_id].phase, "secondary") && p->id > 0)
            outreach[nout++] = p->id;
    }
    static const char *const routes[] = {"formal", "conversation", "self_family", "spotted"};
    static const char *const triage[] = {"accepted", "accepted", "accepted", "accepted", "accepted",
                                         "accepted", "waiting_list", "pending", "accepted", "declined"};
    static const char *const tiers[] = {"specialist", "targeted", "targeted", "specialist", "targeted",
                                        "universal", "targeted", "", "targeted", ""};
    static const char *const engagement[] = {"engaged", "engaged", "ended_early", "engaged", "refused",
                                             "engaged", "", "", "engaged", ""};
    int64_t refs[NAP + 2];
    size_t nref = 0;
    for (size_t i = 0; i < NAP + nout; i++) {
        int64_t pupil = i < NAP ? pupils[i] : outreach[i - NAP];
        char pid[24], lead[24];
        snprintf(pid, sizeof pid, "%lld", (long long)pupil);
        ago(today, 90 - (int)i * 7, d1);
        struct apst_referral_form rf = {pid, NULL, i < NAP ? routes[i % 4] : "conversation", d1,
                                        i < NAP ? "Head of year" : "Mainstream SENCO",
                                        i < NAP ? "" : "At risk of exclusion: outreach to stay in mainstream",
                                        {0}};
        /* Consent: mostly the family's for every type; a young person's own
         * on a self-referral; a safeguarding concern; one outreach family
         * agreeing to the youth worker only; one not recorded yet. */
        static const char *const all_kinds[] = {"mental_health", "youth_family", "ed_psych", "salt", "post16",
                                                "youth_justice"};
        rf.consent.on = d1;
        if (i == 7) {
            rf.consent.on = NULL;
        } else if (i == 3) {
            rf.consent = (struct apst_consent_form){"young_person", "The pupil (Year 9)", d1, NULL,
                                                    {"mental_health", "youth_family"}, 2};
        } else if (i == 4) {
            rf.consent = (struct apst_consent_form){"safeguarding", "", d1,
                                                    "Disclosure to a member of staff; DSL informed the same day",
                                                    {NULL}, 0};
        } else if (i == NAP + 1) {
            rf.consent = (struct apst_consent_form){"family", "Parent", d1, NULL, {"youth_family"}, 1};
        } else {
            rf.consent.basis = "family";
            rf.consent.by = "Parent or carer";
            for (size_t k = 0; k < 6; k++)
                rf.consent.kinds[k] = all_kinds[k];
            rf.consent.nkinds = 6;
        }
        memset(&e, 0, sizeof e);
        if ((st = svc_apst_referral_create(c, tf, &rf, &e, &refs[nref])) != SVC_OK)
            return failed("referral", st, &e);
        size_t k = i % (COUNT(triage));
        if (strcmp(triage[k], "pending") != 0) {
            snprintf(lead, sizeof lead, "%lld", (long long)spec_ids[i % 5]);
            struct apst_triage_form tfm = {triage[k], i % 2 ? "yes" : "", tiers[k],
                                           strcmp(triage[k], "accepted") ? "" : lead, engagement[k], ""};
            memset(&e, 0, sizeof e);
            if ((st = svc_apst_referral_triage(c, refs[nref], &tfm, &e)) != SVC_OK)
                return failed("triage", st, &e);
        }
        nref++;
    }

    /* Free school meals and social care from the outcome records, for the return. */
    for (size_t i = 0; i < NAP; i++) {
        if (i % 2 && i % 3)
            continue;
        struct outcome_form of = {i % 3 == 0 ? "fsm" : "social_care", "1", "9", NULL, "", "", "",
                                  i % 3 == 0 ? "" : "CIN", "", "", ""};
        char y[16];
        snprintf(y, sizeof y, "%d", acad - 1);
        of.starts_year = y;
        memset(&e, 0, sizeof e);
        if ((st = svc_outcome_record(c, pupils[i], &of, &e, NULL)) != SVC_OK)
            return failed("outcome record", st, &e);
    }

    /* Attendance in the autumn term so far, for the return's outcomes (AP pupils'
     * attendance is low: DfE, "Pupil absence in schools in England"). */
    int32_t sept = day_from_ymd(acad, 9, 1);
    if (today - sept >= 21) {
        char sd[4], sm[4], sy[8], ed[4], em[4], ey[8], poss[12], miss[12];
        int y, m, d;
        ymd_from_day(sept, &y, &m, &d);
        snprintf(sd, sizeof sd, "%d", d), snprintf(sm, sizeof sm, "%d", m), snprintf(sy, sizeof sy, "%d", y % 10000);
        int32_t last = today - 1 < day_from_ymd(acad, 12, 18) ? today - 1 : day_from_ymd(acad, 12, 18);
        ymd_from_day(last, &y, &m, &d);
        snprintf(ed, sizeof ed, "%d", d), snprintf(em, sizeof em, "%d", m), snprintf(ey, sizeof ey, "%d", y % 10000);
        int64_t possible = (int64_t)(last - sept) * 10 / 7;   /* two sessions a weekday */
        for (size_t i = 0; i < NAP; i++) {
            snprintf(poss, sizeof poss, "%lld", (long long)possible);
            snprintf(miss, sizeof miss, "%lld", (long long)(possible * (int64_t)(10 + 5 * (i % 5)) / 100));
            struct outcome_form of = {"attendance", sd, sm, sy, ed, em, ey, "", poss, miss, ""};
            memset(&e, 0, sizeof e);
            if ((st = svc_outcome_record(c, pupils[i], &of, &e, NULL)) != SVC_OK)
                return failed("attendance", st, &e);
        }
    }

    /* A term of the intervention log. */
    static const char *const acts[] = {"pupil", "family", "professionals", "pupil", "out_of_hours", "pupil"};
    for (int w = 0; w < 10; w++) {
        for (size_t s = 0; s < 5; s++) {
            char sp[24], rf[24], mins[8];
            size_t r = ((size_t)w + s) % nref;
            const char *act = acts[((size_t)w + s) % 6];
            snprintf(sp, sizeof sp, "%lld", (long long)spec_ids[s]);
            snprintf(rf, sizeof rf, "%lld", (long long)refs[r]);
            snprintf(mins, sizeof mins, "%d", 30 + 15 * (int)((w * 5 + s) % 5));
            ago(today, 70 - w * 7 + (int)s, d1);
            struct apst_intervention_form iv = {sp, rf, d1, act, mins};
            memset(&e, 0, sizeof e);
            st = svc_apst_intervention_add(c, tf, &iv, &e, NULL);
            if (st == SVC_INVALID && e.count && !strcmp(e.items[0].field, "delivered_on"))
                continue;   /* a day before the referral would be odd, but the log allows it */
            if (st != SVC_OK)
                return failed("intervention", st, &e);
        }
        char sp[24];
        snprintf(sp, sizeof sp, "%lld", (long long)spec_ids[w % 2 ? 1 : 3]);
        ago(today, 70 - w * 7, d1);
        struct apst_intervention_form g = {sp, "", d1, w % 2 ? "group" : "staff_training", "60"};
        memset(&e, 0, sizeof e);
        if ((st = svc_apst_intervention_add(c, tf, &g, &e, NULL)) != SVC_OK)
            return failed("group work", st, &e);
    }

    /* Last week's case meeting (skipped when that day is not a school day). */
    int32_t md = today - 7;
    while (day_weekday(md) > 5)
        md--;
    day_format(md, d1);
    int64_t meeting = 0;
    memset(&e, 0, sizeof e);
    if (svc_apst_meeting_add(c, tf, d1, "09:00", &e, &meeting) == SVC_OK) {
        char r0[24], r1[24];
        snprintf(r0, sizeof r0, "%lld", (long long)refs[nref - 1]);
        snprintf(r1, sizeof r1, "%lld", (long long)refs[0]);
        struct apst_item_form items[] = {
            {"new_referral", r0, "", "Outreach sessions offered at the pupil's own school", "taskforce", ""},
            {"held_case", r1, "", "Keep weekly sessions; joint visit with the educational psychologist",
             "lead_specialist", "Priya Shah"},
            {"significant_event", r1, "safeguarding", "DSL informed; strategy discussion requested", "manager_slt",
             "Taskforce Manager and deputy head"},
        };
        for (size_t i = 0; i < COUNT(items); i++) {
            memset(&e, 0, sizeof e);
            if ((st = svc_apst_item_add(c, meeting, &items[i], &e, NULL)) != SVC_OK)
                return failed("meeting decision", st, &e);
        }
    }
    return 0;
}
