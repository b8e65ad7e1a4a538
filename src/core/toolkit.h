/* Screening toolkits: a versioned definition (sections, items, answer
 * scales, bands with thresholds) read from a small text format, and the
 * scoring of one completion.  Pure: the text comes in as a string.
 *
 * The format (docs/outcomes.md has the full description), one statement a
 * line, fields separated by '|', blank lines and lines starting with '#'
 * ignored:
 *
 *   toolkit | NAME | VERSION | TITLE
 *   about   | TEXT
 *   scale   | ID | VALUE = LABEL | VALUE = LABEL ...
 *   section | ID | TITLE
 *   item    | ID | SCALE-ID | TEXT [| WEIGHT]
 *   band    | MIN-SCORE | CODE | LABEL [| flag]
 *
 * Items belong to the section above them.  The score is the sum of each
 * answer's value times its item's weight (1 unless given); a higher score
 * means more concern.  A completion is in the last band whose minimum it
 * reaches.  The lowest minimum of the bands marked "flag" is the threshold:
 * a completion reaching it when the one before did not (or there was none)
 * has crossed it. */
#ifndef TAS_CORE_TOOLKIT_H
#define TAS_CORE_TOOLKIT_H

#include <stdbool.h>
#include <stddef.h>

#define TK_NAME_MAX 41
#define TK_ID_MAX 17
#define TK_TEXT_MAX 241
#define TK_MAX_SCALES 8
#define TK_MAX_OPTIONS 8
#define TK_MAX_SECTIONS 12
#define TK_MAX_ITEMS 96
#define TK_MAX_BANDS 8
#define TK_MAX_VERSION 9999
#define TK_MAX_ERRORS 16

struct tk_option {
    int value;
    char label[TK_TEXT_MAX];
};

struct tk_scale {
    char id[TK_ID_MAX];
    size_t noptions;
    struct tk_option options[TK_MAX_OPTIONS];
};

struct tk_section {
    char id[TK_ID_MAX];
    char title[TK_TEXT_MAX];
};

struct tk_item {
    char id[TK_ID_MAX];
    size_t section;      /* index into sections */
    size_t scale;        /* index into scales */
    int weight;
    char text[TK_TEXT_MAX];
};

struct tk_band {
    int min;
    char code[TK_ID_MAX];
    char label[TK_TEXT_MAX];
    bool flag;
};

/* Large (about 40 KB): allocate it. */
struct toolkit_def {
    char name[TK_NAME_MAX];
    int version;
    char title[TK_TEXT_MAX];
    char about[TK_TEXT_MAX];
    size_t nscales, nsections, nitems, nbands;
    struct tk_scale scales[TK_MAX_SCALES];
    struct tk_section sections[TK_MAX_SECTIONS];
    struct tk_item items[TK_MAX_ITEMS];
    struct tk_band bands[TK_MAX_BANDS];
    bool has_threshold;
    int threshold;
};

struct tk_error {
    int line;            /* 1-based; 0 for the file as a whole */
    char field[24];      /* "name", "version", "scale", ... */
    char message[160];
};

struct tk_errors {
    size_t count;
    struct tk_error items[TK_MAX_ERRORS];
};

/* Parses and checks a definition strictly: every problem is reported with
 * its line and field (up to TK_MAX_ERRORS).  0 when valid. */
int toolkit_parse(const char *text, struct toolkit_def *out, struct tk_errors *errs);

/* Index of an item by id, or -1. */
int toolkit_item_index(const struct toolkit_def *d, const char *id);

/* Answers: one value per item (d->nitems of them), TK_UNANSWERED when none. */
#define TK_UNANSWERED (-1)

/* Reads "id=value,id=value" into answers (unlisted items unanswered).
 * -1 with a message for an unknown item, a repeated one, or a value the
 * item's scale does not offer. */
int toolkit_answers_parse(const struct toolkit_def *d, const char *text, int *answers, char *msg,
                          size_t msgsz);
/* Writes answers in that form (answered items only); -1 if it does not fit. */
int toolkit_answers_format(const struct toolkit_def *d, const int *answers, char *out, size_t outsz);

struct tk_score {
    int score;
    size_t band;                         /* index into bands */
    int section_scores[TK_MAX_SECTIONS];
    size_t answered;
    bool complete;                       /* every item answered */
};

/* Scores answers; -1 when a value is not on its item's scale. */
int toolkit_score(const struct toolkit_def *d, const int *answers, struct tk_score *out);

/* Whether a score crosses the threshold: it reaches it and the previous
 * completion (when has_prev) did not.  False when there is no threshold. */
bool toolkit_threshold_crossed(const struct toolkit_def *d, bool has_prev, int prev_score, int score);

#endif
