#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "lib/count.h"
#include "core/demo.h"
#include "core/upn.h"


static const char *const todays[] = {"2026-11-23", "2025-07-10", "2026-08-31", "2026-09-01"};

/* September that starts the academic year containing today. */
static int acyear_of(const char *today)
{
    int y = atoi(today);
    int m = atoi(today + 5);
    return m >= 9 ? y : y - 1;
}

static int nc_number(const char *nc)
{
    return strcmp(nc, "R") == 0 ? 0 : atoi(nc);
}

static void rng_known_vector(void **state)
{
    (void)state;
    /* splitmix64 reference output for seed 0: pins the stream on every
     * platform, so a demo database is reproducible anywhere. */
    struct demo_rng r;
    demo_rng_seed(&r, 0);
    assert_true(demo_rng_next(&r) == UINT64_C(0xE220A8397B1DCDAF));
    assert_true(demo_rng_next(&r) == UINT64_C(0x6E789E6AA1B965F4));
}

static void rng_below_in_range_and_even(void **state)
{
    (void)state;
    struct demo_rng r;
    demo_rng_seed(&r, 42);
    assert_int_equal(demo_rng_below(&r, 0), 0);
    assert_int_equal(demo_rng_below(&r, 1), 0);
    unsigned counts[7] = {0};
    for (int i = 0; i < 70000; i++) {
        uint32_t x = demo_rng_below(&r, 7);
        assert_true(x < 7);
        counts[x]++;
    }
    for (int k = 0; k < 7; k++) { /* expect 10,000 each; sd about 90 */
        assert_true(counts[k] > 9500);
        assert_true(counts[k] < 10500);
    }
    /* Near 2^32 the naive modulo would be badly skewed; check range and
     * that both halves are hit about equally. */
    uint32_t big = UINT32_C(3000000000);
    unsigned low = 0;
    for (int i = 0; i < 20000; i++) {
        uint32_t x = demo_rng_below(&r, big);
        assert_true(x < big);
        low += x < big / 2;
    }
    assert_true(low > 9400 && low < 10600);
}

static void rng_weighted_follows_weights(void **state)
{
    (void)state;
    struct demo_rng r;
    demo_rng_seed(&r, 7);
    const unsigned w[] = {0, 1, 3, 0};
    unsigned counts[4] = {0};
    for (int i = 0; i < 40000; i++)
        counts[demo_rng_weighted(&r, w, 4)]++;
    assert_int_equal(counts[0], 0);
    assert_int_equal(counts[3], 0);
    assert_true(counts[1] > 9400 && counts[1] < 10600);
    const unsigned zero[] = {0, 0};
    assert_int_equal(demo_rng_weighted(&r, zero, 2), 0);
    assert_int_equal(demo_rng_weighted(&r, w, 0), 0);
}

static void same_seed_same_plan(void **state)
{
    (void)state;
    struct demo_plan *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    memset(b, 0xA5, sizeof *b); /* the plan must not depend on old contents */
    assert_int_equal(demo_plan_authority(12345, "2026-11-23", a), 0);
    assert_int_equal(demo_plan_authority(12345, "2026-11-23", b), 0);
    assert_memory_equal(&a->authority, &b->authority, sizeof a->authority);
    assert_int_equal(a->nschools, b->nschools);
    assert_memory_equal(a->schools, b->schools, sizeof a->schools);
    assert_memory_equal(a->estab, b->estab, sizeof a->estab);
    assert_int_equal(a->npupils, b->npupils);
    assert_memory_equal(a->pupils, b->pupils, a->npupils * sizeof *a->pupils);
    assert_int_equal(a->nusers, b->nusers);
    assert_memory_equal(a->users, b->users, sizeof a->users);
    demo_plan_free(a);
    demo_plan_free(b);
    demo_plan_free(b); /* idempotent */
    free(a);
    free(b);
}

/* FNV-1a over every field as text, so the digest does not depend on
 * padding, byte order or double formatting. */
static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(0x100000001B3);
    }
    h ^= 0xFF; /* field separator */
    return h * UINT64_C(0x100000001B3);
}

static uint64_t fnv_int(uint64_t h, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    return fnv(h, buf);
}

static uint64_t plan_digest(const struct demo_plan *p)
{
    uint64_t h = UINT64_C(0xCBF29CE484222325);
    h = fnv(h, p->authority.la_code);
    h = fnv(h, p->authority.name);
    for (size_t i = 0; i < p->nschools; i++) {
        const struct school *s = &p->schools[i];
        h = fnv(h, s->urn);
        h = fnv(h, p->estab[i]);
        h = fnv(h, s->name);
        h = fnv(h, s->phase);
        h = fnv_int(h, s->pupils_on_roll);
        h = fnv_int(h, (long long)(s->fsm_pct * 10 + 0.5));
        h = fnv_int(h, (long long)(s->sen_pct * 10 + 0.5));
        h = fnv_int(h, s->tas_member);
    }
    for (size_t i = 0; i < p->npupils; i++) {
        const struct pupil *u = &p->pupils[i];
        h = fnv_int(h, u->school_id);
        h = fnv(h, u->upn);
        h = fnv(h, u->forenames);
        h = fnv(h, u->surname);
        h = fnv(h, u->date_of_birth);
        h = fnv(h, u->gender);
        h = fnv(h, u->ethnicity);
        h = fnv(h, u->nc_year);
        h = fnv(h, u->sen_provision);
    }
    for (size_t i = 0; i < p->nusers; i++) {
        h = fnv(h, p->users[i].username);
        h = fnv(h, p->users[i].display_name);
    }
    return h;
}

/* Pinned output: the same plan from any compiler, platform or optimisation
 * level (argument evaluation order once made gcc and clang disagree).
 * Changing the generator on purpose means updating these values. */
static void plan_is_pinned(void **state)
{
    (void)state;
    struct demo_plan *p = malloc(sizeof *p);
    assert_non_null(p);
    assert_int_equal(demo_plan_authority(1, "2026-11-23", p), 0);
    assert_string_equal(p->authority.la_code, "804");
    assert_string_equal(p->authority.name, "Hollinsmoor Borough Council");
    assert_string_equal(p->schools[0].name, "St Joseph's Catholic Primary School");
    assert_string_equal(p->schools[0].urn, "130048");
    assert_string_equal(p->pupils[0].upn, "E804317224095");
    assert_string_equal(p->pupils[0].surname, "Davies");
    assert_string_equal(p->pupils[0].date_of_birth, "2019-10-17");
    uint64_t d = plan_digest(p);
    if (d != UINT64_C(0x8CD6BBB216CFE2F8))
        print_error("plan digest changed: %016llx\n", (unsigned long long)d);
    assert_true(d == UINT64_C(0x8CD6BBB216CFE2F8));
    demo_plan_free(p);
    free(p);
}

static void different_seeds_differ(void **state)
{
    (void)state;
    struct demo_plan *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(demo_plan_authority(1, "2026-11-23", a), 0);
    assert_int_equal(demo_plan_authority(2, "2026-11-23", b), 0);
    assert_true(memcmp(a->schools, b->schools, sizeof a->schools) != 0);
    size_t same_names = 0, same_upns = 0, n = a->npupils < b->npupils ? a->npupils : b->npupils;
    for (size_t i = 0; i < n; i++) {
        same_names += strcmp(a->pupils[i].surname, b->pupils[i].surname) == 0 &&
                      strcmp(a->pupils[i].forenames, b->pupils[i].forenames) == 0;
        same_upns += strcmp(a->pupils[i].upn, b->pupils[i].upn) == 0;
    }
    assert_true(same_names < n / 20);
    assert_int_equal(same_upns, 0);
    size_t same_school_names = 0;
    for (size_t i = 0; i < a->nschools; i++)
        same_school_names += strcmp(a->schools[i].name, b->schools[i].name) == 0;
    assert_true(same_school_names < 4);
    demo_plan_free(a);
    demo_plan_free(b);
    free(a);
    free(b);
}

static void bad_today_is_refused(void **state)
{
    (void)state;
    struct demo_plan *p = malloc(sizeof *p);
    assert_non_null(p);
    assert_int_equal(demo_plan_authority(1, "23/11/2026", p), -1);
    demo_plan_free(p);
    assert_int_equal(demo_plan_authority(1, NULL, p), -1);
    demo_plan_free(p);
    assert_int_equal(demo_plan_authority(1, "2026-13-01", p), -1);
    assert_null(p->pupils);
    demo_plan_free(p);
    free(p);
}

static int is_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static void check_schools(const struct demo_plan *p)
{
    assert_true(is_digits(p->authority.la_code, 3));
    assert_true(strlen(p->authority.name) > 8);
    assert_null(strstr(p->authority.name, "Bedford"));
    assert_int_equal(p->authority.id, 0);
    assert_int_equal(p->nschools, 24);
    for (size_t i = 0; i < p->nschools; i++) {
        const struct school *s = &p->schools[i];
        int secondary = (i >= 12 && i < 18) || i >= 22;
        assert_int_equal(s->tas_member, i < 18);
        assert_string_equal(s->phase, secondary ? "secondary" : "primary");
        assert_non_null(code_find(&codes_phase, s->phase));
        assert_int_equal(s->id, 0);
        assert_int_equal(s->authority_id, 0);
        if (secondary) {
            assert_in_range(s->pupils_on_roll, 570, 1400);
            assert_true(p->estab[i][0] == '4');
        } else {
            assert_in_range(s->pupils_on_roll, 70, 900);
            assert_true(p->estab[i][0] == '2' || p->estab[i][0] == '3');
        }
        /* one decimal place, in range */
        assert_true(s->fsm_pct >= 5.0 && s->fsm_pct <= 45.0);
        assert_true(s->sen_pct >= 8.0 && s->sen_pct <= 25.0);
        double f10 = s->fsm_pct * 10, s10 = s->sen_pct * 10;
        assert_true(f10 - (double)(long)(f10 + 0.5) < 1e-9 &&
                    (double)(long)(f10 + 0.5) - f10 < 1e-9);
        assert_true(s10 - (double)(long)(s10 + 0.5) < 1e-9 &&
                    (double)(long)(s10 + 0.5) - s10 < 1e-9);
        assert_true(is_digits(s->urn, 6));
        assert_in_range(atol(s->urn), 100000, 149999);
        assert_true(is_digits(p->estab[i], 4));
        assert_true(strlen(s->name) > 8);
        assert_true(strstr(s->name, "School") || strstr(s->name, "Academy") ||
                    strstr(s->name, "College"));
        for (size_t k = 0; k < i; k++) {
            assert_string_not_equal(s->name, p->schools[k].name);
            assert_string_not_equal(s->urn, p->schools[k].urn);
            assert_string_not_equal(p->estab[i], p->estab[k]);
        }
    }
}

static void schools_have_the_right_shape(void **state)
{
    (void)state;
    struct demo_plan *p = malloc(sizeof *p);
    assert_non_null(p);
    for (uint64_t seed = 0; seed < 20; seed++) {
        assert_int_equal(demo_plan_authority(seed * 7919, "2026-11-23", p), 0);
        check_schools(p);
        demo_plan_free(p);
    }
    free(p);
}

static int estab_known(const struct demo_plan *p, const char *e4)
{
    for (size_t i = 0; i < p->nschools; i++)
        if (memcmp(p->estab[i], e4, 4) == 0)
            return 1;
    return 0;
}

static int cmp_upn(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void check_pupils(const struct demo_plan *p, const char *today)
{
    int acyear = acyear_of(today);
    assert_non_null(p->pupils);
    size_t per_school[24] = {0};
    size_t tas_total = 0;
    const char **upns = malloc(p->npupils * sizeof *upns);
    assert_non_null(upns);
    for (size_t i = 0; i < p->npupils; i++) {
        const struct pupil *pu = &p->pupils[i];
        assert_in_range(pu->school_id, 0, (int64_t)p->nschools - 1);
        const struct school *s = &p->schools[pu->school_id];
        per_school[pu->school_id]++;
        tas_total += s->tas_member;
        if (i > 0) /* grouped by school, in school order */
            assert_true(pu->school_id >= p->pupils[i - 1].school_id);
        assert_int_equal(pu->id, 0);

        /* UPN: valid, permanent, this LA, a known school, a plausible year */
        assert_int_equal(upn_validate(pu->upn), UPN_OK);
        assert_memory_equal(pu->upn + 1, p->authority.la_code, 3);
        assert_true(estab_known(p, pu->upn + 4));
        upns[i] = pu->upn;

        assert_non_null(code_find(&codes_gender, pu->gender));
        assert_non_null(code_find(&codes_ethnicity, pu->ethnicity));
        assert_non_null(code_find(&codes_nc_year, pu->nc_year));
        assert_non_null(code_find(&codes_sen_provision, pu->sen_provision));
        assert_true(pu->forenames[0] != '\0' && pu->surname[0] != '\0');

        int ncy = nc_number(pu->nc_year);
        if (strcmp(s->phase, "primary") == 0)
            assert_in_range(ncy, 0, 6);
        else
            assert_in_range(ncy, 7, 11);

        /* age on 31 August before the school year = NC year + 4 */
        assert_int_equal(strlen(pu->date_of_birth), 10);
        int by = atoi(pu->date_of_birth), bm = atoi(pu->date_of_birth + 5);
        int bd = atoi(pu->date_of_birth + 8);
        assert_in_range(bm, 1, 12);
        assert_in_range(bd, 1, 31);
        int age = acyear - by - (bm >= 9 ? 1 : 0);
        assert_int_equal(age, ncy + 4);

        /* year of allocation: the year they started school, or later */
        int yy = (pu->upn[8] - '0') * 10 + (pu->upn[9] - '0');
        int started = (acyear - ncy) % 100;
        int since = (yy - started + 100) % 100;
        assert_in_range(since, 0, ncy);
    }
    qsort(upns, p->npupils, sizeof *upns, cmp_upn);
    for (size_t i = 1; i < p->npupils; i++)
        assert_string_not_equal(upns[i - 1], upns[i]);
    free(upns);

    for (size_t i = 0; i < p->nschools; i++) {
        if (p->schools[i].tas_member)
            assert_in_range(per_school[i], 15, 25);
        else
            assert_in_range(per_school[i], 4, 6);
    }
    assert_in_range(tas_total, 300, 450);
}

static void pupils_are_valid_and_consistent(void **state)
{
    (void)state;
    struct demo_plan *p = malloc(sizeof *p);
    assert_non_null(p);
    for (size_t t = 0; t < COUNT(todays); t++) {
        for (uint64_t seed = 1; seed <= 5; seed++) {
            assert_int_equal(demo_plan_authority(seed, todays[t], p), 0);
            check_pupils(p, todays[t]);
            demo_plan_free(p);
        }
    }
    free(p);
}

/* The brief's worked example: in 2026/27 Year 7 were born 1 Sep 2014 to
 * 31 Aug 2015.  On 31 August 2026 (still 2025/26) that cohort is Year 6. */
static void birth_ranges_follow_the_academic_year(void **state)
{
    (void)state;
    static const struct {
        const char *today, *nc, *from, *to;
    } cases[] = {
        {"2026-11-23", "7", "2014-09-01", "2015-08-31"},
        {"2026-09-01", "7", "2014-09-01", "2015-08-31"},
        {"2026-08-31", "6", "2014-09-01", "2015-08-31"},
        {"2026-08-31", "7", "2013-09-01", "2014-08-31"},
        {"2026-08-31", "8", "2012-09-01", "2013-08-31"},
        {"2026-11-23", "R", "2021-09-01", "2022-08-31"},
        {"2027-03-15", "11", "2010-09-01", "2011-08-31"},
    };
    struct demo_plan *p = malloc(sizeof *p);
    assert_non_null(p);
    for (size_t c = 0; c < COUNT(cases); c++) {
        assert_int_equal(demo_plan_authority(77, cases[c].today, p), 0);
        size_t seen = 0;
        for (size_t i = 0; i < p->npupils; i++) {
            const struct pupil *pu = &p->pupils[i];
            if (strcmp(pu->nc_year, cases[c].nc) != 0)
                continue;
            seen++;
            assert_true(strcmp(pu->date_of_birth, cases[c].from) >= 0);
            assert_true(strcmp(pu->date_of_birth, cases[c].to) <= 0);
        }
        assert_true(seen > 0);
        demo_plan_free(p);
    }
    free(p);
}

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

static void distributions_look_like_tas(void **state)
{
    (void)state;
    struct demo_plan *p = malloc(sizeof *p);
    assert_non_null(p);
    size_t n = 0, male = 0, female = 0, nonbinary = 0, wbri = 0, woth = 0, asian = 0,
           black = 0, mixed = 0, sen_n = 0, sen_k = 0, sen_e = 0;
    size_t prim = 0, prim_m = 0, sec = 0, sec_m = 0, y79 = 0, y1011 = 0;
    size_t by_year[7] = {0};
    size_t prim_schools = 0, prim_typical = 0;
    static const char *const asian_codes[] = {"AIND", "APKN", "ABAN", "AOTH", "CHNE"};
    static const char *const black_codes[] = {"BAFR", "BCRB", "BOTH"};
    static const char *const mixed_codes[] = {"MWBC", "MWBA", "MWAS", "MOTH"};
    for (uint64_t seed = 101; seed <= 104; seed++) {
        assert_int_equal(demo_plan_authority(seed, "2026-11-23", p), 0);
        for (size_t i = 0; i < p->nschools; i++) {
            if (strcmp(p->schools[i].phase, "primary") != 0)
                continue;
            prim_schools++;
            prim_typical += p->schools[i].pupils_on_roll >= 200 &&
                            p->schools[i].pupils_on_roll <= 450;
        }
        for (size_t i = 0; i < p->npupils; i++) {
            const struct pupil *pu = &p->pupils[i];
            int secondary = strcmp(p->schools[pu->school_id].phase, "secondary") == 0;
            int m = pu->gender[0] == 'M';
            n++;
            male += m;
            female += pu->gender[0] == 'F';
            nonbinary += pu->gender[0] == 'X';
            wbri += strcmp(pu->ethnicity, "WBRI") == 0;
            woth += strcmp(pu->ethnicity, "WOTH") == 0;
            asian += in_list(pu->ethnicity, asian_codes, COUNT(asian_codes));
            black += in_list(pu->ethnicity, black_codes, COUNT(black_codes));
            mixed += in_list(pu->ethnicity, mixed_codes, COUNT(mixed_codes));
            sen_n += pu->sen_provision[0] == 'N';
            sen_k += pu->sen_provision[0] == 'K';
            sen_e += pu->sen_provision[0] == 'E';
            int ncy = nc_number(pu->nc_year);
            if (secondary) {
                sec++;
                sec_m += m;
                if (ncy <= 9)
                    y79++;
                else
                    y1011++;
            } else {
                prim++;
                prim_m += m;
                if (ncy >= 0 && ncy <= 6)
                    by_year[ncy]++;
            }
        }
        demo_plan_free(p);
    }
    free(p);
    assert_true(n > 1200);
    /* percentages of all pupils; targets 63/35/1 and the census mix */
    assert_in_range(male * 100 / n, 56, 70);
    assert_in_range(female * 100 / n, 28, 42);
    assert_in_range(nonbinary * 1000 / n, 1, 25);
    assert_in_range(wbri * 100 / n, 55, 73);
    assert_in_range(woth * 100 / n, 4, 13);
    assert_in_range(asian * 100 / n, 7, 18);
    assert_in_range(black * 100 / n, 3, 10);
    assert_in_range(mixed * 100 / n, 3, 10);
    assert_in_range(sen_n * 100 / n, 37, 53);
    assert_in_range(sen_k * 100 / n, 37, 53);
    assert_in_range(sen_e * 100 / n, 6, 15);
    /* primary cases more male than secondary (69% vs 53%) */
    assert_in_range(prim_m * 100 / prim, 62, 76);
    assert_in_range(sec_m * 100 / sec, 43, 63);
    /* the pilot's peaks: Years 1, 2 and 5 each above Reception and Years
     * 3, 4 and 6; and more cases per year group in Y7-9 (3) than Y10-11 (2) */
    static const int peaks[] = {1, 2, 5}, others[] = {0, 3, 4, 6};
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 4; j++)
            assert_true(by_year[peaks[i]] > by_year[others[j]]);
    assert_true(2 * y79 > 3 * y1011);
    /* most primaries have 200-450 on roll */
    assert_true(prim_typical * 100 / prim_schools >= 40);
}

static void users_cover_every_role(void **state)
{
    (void)state;
    static const struct {
        const char *username, *role, *scope, *detail;
    } want[] = {
        {"admin", "admin", "authority", ""},
        {"dpo", "dpo", "authority", ""},
        {"lead", "strategic_lead", "authority", ""},
        {"coordinator", "case_coordinator", "authority", ""},
        {"head", "school_lead", "school", "head"},
        {"senco", "school_lead", "school", "senco"},
        {"practitioner", "practitioner", "service", "ep"},
        {"evaluator", "evaluator", "authority", ""},
        {"steering", "steering", "authority", ""},
        {"budget.holder", "budget_holder", "authority", ""},
        {"budget.approver", "budget_approver", "authority", ""},
    };
    struct demo_plan *p = malloc(sizeof *p);
    assert_non_null(p);
    assert_int_equal(demo_plan_authority(3, "2026-11-23", p), 0);
    assert_int_equal(p->nusers, COUNT(want));
    int head_school = -2, senco_school = -2;
    for (size_t w = 0; w < COUNT(want); w++) {
        const struct demo_user *u = NULL;
        for (size_t i = 0; i < p->nusers; i++)
            if (strcmp(p->users[i].username, want[w].username) == 0)
                u = &p->users[i];
        assert_non_null(u);
        assert_string_equal(u->role, want[w].role);
        assert_string_equal(u->scope, want[w].scope);
        assert_string_equal(u->detail, want[w].detail);
        assert_true(strlen(u->display_name) > 3);
        if (strcmp(u->scope, "school") == 0) {
            assert_in_range(u->school_index, 0, (int)p->nschools - 1);
            assert_string_equal(p->schools[u->school_index].phase, "primary");
            assert_true(p->schools[u->school_index].tas_member);
        } else {
            assert_int_equal(u->school_index, -1);
        }
        if (strcmp(u->username, "head") == 0)
            head_school = u->school_index;
        if (strcmp(u->username, "senco") == 0)
            senco_school = u->school_index;
    }
    assert_int_equal(head_school, 0);
    assert_int_equal(senco_school, 1);
    demo_plan_free(p);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rng_known_vector),
        cmocka_unit_test(rng_below_in_range_and_even),
        cmocka_unit_test(rng_weighted_follows_weights),
        cmocka_unit_test(same_seed_same_plan),
        cmocka_unit_test(plan_is_pinned),
        cmocka_unit_test(different_seeds_differ),
        cmocka_unit_test(bad_today_is_refused),
        cmocka_unit_test(schools_have_the_right_shape),
        cmocka_unit_test(pupils_are_valid_and_consistent),
        cmocka_unit_test(birth_ranges_follow_the_academic_year),
        cmocka_unit_test(distributions_look_like_tas),
        cmocka_unit_test(users_cover_every_role),
    };
    return cmocka_run_group_tests_name("core/demo", tests, NULL, NULL);
}
