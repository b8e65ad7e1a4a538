#include "core/survey.h"

#include <string.h>


static const struct code_entry likert[] = {
    {"1", "Strongly disagree", NULL}, {"2", "Disagree", NULL}, {"3", "Neither agree nor disagree", NULL},
    {"4", "Agree", NULL}, {"5", "Strongly agree", NULL}};
const struct code_list codes_survey_likert = {"survey_likert", likert, 5};

static const struct code_entry sentiments[] = {
    {"1", "Very negative", NULL}, {"2", "Negative", NULL}, {"3", "Neutral", NULL}, {"4", "Positive", NULL},
    {"5", "Very positive", NULL}};
const struct code_list codes_survey_sentiment = {"survey_sentiment", sentiments, 5};

int survey_items(const char *text, char items[SURVEY_MAX_ITEMS][SURVEY_ITEM_MAX])
{
    int n = 0;
    const char *p = text ? text : "";
    while (*p) {
        size_t len = strcspn(p, "\n");
        const char *a = p, *b = p + len;
        while (a < b && (*a == ' ' || *a == '\t' || *a == '\r'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
            b--;
        if (b > a) {
            if (n == SURVEY_MAX_ITEMS || (size_t)(b - a) >= SURVEY_ITEM_MAX)
                return -1;
            memcpy(items[n], a, (size_t)(b - a));
            items[n][b - a] = '\0';
            n++;
        }
        p += len;
        if (*p)
            p++;
    }
    return n ? n : -1;
}

void survey_add_score(struct survey_results *r, int g, int item, int score)
{
    if (g < 0 || g >= SURVEY_GROUPS || item < 0 || item >= SURVEY_MAX_ITEMS || score < 1 || score > 5)
        return;
    r->sum[g][item] += score;
    r->answered[g][item]++;
    if (score >= 4)
        r->agree[g][item]++;
}

static void withhold(struct survey_results *r, int g)
{
    r->withheld[g] = true;
    r->respondents[g] = 0;
    memset(r->sum[g], 0, sizeof r->sum[g]);
    memset(r->answered[g], 0, sizeof r->answered[g]);
    memset(r->agree[g], 0, sizeof r->agree[g]);
    r->sentiment_sum[g] = r->sentiment_n[g] = 0;
}

void survey_suppress(struct survey_results *r, int min)
{
    if (min < 2)
        return;
    int hidden = 0, shown = 0, smallest = -1;
    bool small[SURVEY_GROUPS] = {false};
    for (int g = 0; g < SURVEY_GROUPS; g++) {
        if (r->respondents[g] > 0 && r->respondents[g] < min) {
            small[g] = true;
            hidden++;
        } else if (r->respondents[g] > 0) {
            shown++;
            if (smallest < 0 || r->respondents[g] < r->respondents[smallest])
                smallest = g;
        }
    }
    if (hidden == 1 && shown > 0)
        small[smallest] = true;
    for (int g = 0; g < SURVEY_GROUPS; g++)
        if (small[g])
            withhold(r, g);
}

int survey_mean10(const struct survey_results *r, int g, int item)
{
    if (g < 0 || g >= SURVEY_GROUPS || item < 0 || item >= SURVEY_MAX_ITEMS || r->withheld[g] ||
        !r->answered[g][item])
        return -1;
    return (int)((r->sum[g][item] * 20 + r->answered[g][item]) / (2 * r->answered[g][item]));
}
