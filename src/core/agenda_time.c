#include "core/agenda_time.h"
#include "lib/count.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/text_words.h"

int agenda_default_minutes(enum agenda_kind k)
{
    return k == AGENDA_REVIEW ? 10 : 15;
}

static bool before(const struct agenda_item *a, const struct agenda_item *b)
{
    bool pa = a->position > 0, pb = b->position > 0;
    if (pa != pb)
        return pa;
    if (pa && a->position != b->position)
        return a->position < b->position;
    return a->rule_rank < b->rule_rank;
}

void agenda_running_order(struct agenda_item *it, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct agenda_item x = it[i];
        size_t j = i;
        while (j > 0 && before(&x, &it[j - 1])) {
            it[j] = it[j - 1];
            j--;
        }
        it[j] = x;
    }
}

bool agenda_move(struct agenda_item *it, size_t n, size_t i, int dir)
{
    for (size_t k = 0; k < n; k++)
        it[k].position = (int)k + 1;
    if (i >= n || dir == 0 || (dir < 0 && i == 0) || (dir > 0 && i + 1 >= n))
        return false;
    size_t j = dir < 0 ? i - 1 : i + 1;
    struct agenda_item x = it[i];
    it[i] = it[j];
    it[j] = x;
    it[i].position = (int)i + 1;
    it[j].position = (int)j + 1;
    return true;
}

int agenda_schedule(struct agenda_item *it, size_t n, const char *start)
{
    if (!start || strlen(start) != 5 || !isdigit((unsigned char)start[0]) || !isdigit((unsigned char)start[1]) ||
        start[2] != ':' || !isdigit((unsigned char)start[3]) || !isdigit((unsigned char)start[4]))
        return -1;
    int h = (start[0] - '0') * 10 + (start[1] - '0'), m = (start[3] - '0') * 10 + (start[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    int t = h * 60 + m;
    for (size_t i = 0; i < n; i++) {
        int len = it[i].minutes >= AGENDA_SLOT_MIN && it[i].minutes <= AGENDA_SLOT_MAX
                      ? it[i].minutes : agenda_default_minutes(it[i].kind);
        it[i].start_min = t;
        t += len;
        it[i].end_min = t;
    }
    return 0;
}

void agenda_clock(int minutes, char out[6])
{
    int m = ((minutes % 1440) + 1440) % 1440;
    snprintf(out, 6, "%02d:%02d", (m / 60) % 100, m % 60);
}

/* ---- cohort discussions ---- */

static bool word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

static bool has_word(const char *text, const char *word)
{
    return text_has_word(text, word, strlen(word), true);
}

/* Words that name a group of pupils.  "Year 6" and the key stages are the
 * National Curriculum's (DfE, "The national curriculum in England"). */
static const char *const group_words[] = {
    "year", "years", "yr", "y1", "y2", "y3", "y4", "y5", "y6", "y7", "y8", "y9", "y10", "y11", "y12", "y13",
    "reception", "nursery", "eyfs", "ks1", "ks2", "ks3", "ks4", "ks5", "key stage", "sixth form",
    "cohort", "cohorts", "group", "groups", "class", "classes", "form", "forms", "pupils", "students",
    "children", "boys", "girls", "learners", "leavers", "starters", "intake", "transition", "whole school",
    "families", "siblings", "sen support", "ehcp", "pupil premium", "looked after", "young carers", "eal",
};

/* The first UPN-shaped token or (dates) full date in text. */
static enum cohort_text_problem scan_identifiers(const char *text, bool dates)
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        /* A UPN: one letter then 12 digits (DfE, "Unique pupil numbers"). */
        if (isalpha(c) && (i == 0 || !word_char((unsigned char)text[i - 1]))) {
            size_t d = 0;
            while (i + 1 + d < len && isdigit((unsigned char)text[i + 1 + d]))
                d++;
            if (d == 12)
                return COHORT_TEXT_UPN;
        }
        /* A full date: d/m/yyyy, d.m.yyyy, d-m-yyyy or yyyy-mm-dd. */
        if (dates && isdigit(c) && (i == 0 || !isdigit((unsigned char)text[i - 1]))) {
            size_t a = 0;
            while (i + a < len && isdigit((unsigned char)text[i + a]))
                a++;
            char sep = i + a < len ? text[i + a] : '\0';
            if ((sep == '/' || sep == '.' || sep == '-') && a >= 1 && a <= 4) {
                size_t p = i + a + 1, b = 0;
                while (p + b < len && isdigit((unsigned char)text[p + b]))
                    b++;
                if (b >= 1 && b <= 2 && p + b < len && text[p + b] == sep) {
                    size_t q = p + b + 1, cnt = 0;
                    while (q + cnt < len && isdigit((unsigned char)text[q + cnt]))
                        cnt++;
                    if ((a <= 2 && cnt == 4) || (a == 4 && cnt >= 1 && cnt <= 2))
                        return COHORT_TEXT_DATE;
                }
            }
        }
    }
    return COHORT_TEXT_OK;
}

bool cohort_text_has_upn(const char *text)
{
    return text && scan_identifiers(text, false) == COHORT_TEXT_UPN;
}

enum cohort_text_problem cohort_text_check(const char *text)
{
    if (!text || !*text)
        return COHORT_TEXT_EMPTY;
    if (strlen(text) >= COHORT_TEXT_MAX)
        return COHORT_TEXT_LONG;
    enum cohort_text_problem p = scan_identifiers(text, true);
    if (p != COHORT_TEXT_OK)
        return p;
    for (size_t i = 0; i < COUNT(group_words); i++)
        if (has_word(text, group_words[i]))
            return COHORT_TEXT_OK;
    return COHORT_TEXT_NOT_COHORT;
}

const char *cohort_text_message(enum cohort_text_problem p)
{
    switch (p) {
    case COHORT_TEXT_EMPTY: return "Enter the year group or cohort discussed";
    case COHORT_TEXT_LONG: return "The cohort must be 200 characters or fewer";
    case COHORT_TEXT_UPN:
        return "Remove the pupil number: a cohort discussion must not identify a child";
    case COHORT_TEXT_DATE:
        return "Remove the date: a cohort discussion must not identify a child (a date of birth, say)";
    case COHORT_TEXT_NOT_COHORT:
        return "Describe a group of pupils, for example \"Year 6 transition to secondary\" or \"Reception class\"";
    case COHORT_TEXT_OK: break;
    }
    return "";
}

/* The forename followed by the surname's initial: "Sam T" or "Sam T." */
static bool has_name_initial(const char *text, const char *forename, const char *surname)
{
    if (!forename || !surname || !isalpha((unsigned char)surname[0]))
        return false;
    size_t n = strcspn(forename, " -");
    if (n < 2)
        return false;
    size_t tl = strlen(text);
    for (size_t i = 0; i + n + 2 <= tl; i++) {
        if (i > 0 && word_char((unsigned char)text[i - 1]))
            continue;
        size_t k = 0;
        while (k < n && tolower((unsigned char)text[i + k]) == tolower((unsigned char)forename[k]))
            k++;
        if (k != n || text[i + n] != ' ')
            continue;
        unsigned char ini = (unsigned char)text[i + n + 1];
        unsigned char after = i + n + 2 < tl ? (unsigned char)text[i + n + 2] : '\0';
        if (tolower(ini) == tolower((unsigned char)surname[0]) && !word_char(after))
            return true;
    }
    return false;
}

bool cohort_names_pupil(const char *text, const char *forename, const char *surname)
{
    if (!text || !*text)
        return false;
    if (text_has_name_part(text, forename) && text_has_name_part(text, surname))
        return true;
    return has_name_initial(text, forename, surname);
}
