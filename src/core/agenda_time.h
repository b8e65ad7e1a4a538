/* A meeting's running order and time slots (issue 10, item 6), and what a
 * cohort discussion may say (issue 13, item 5).  Pure: no I/O.
 *
 * Running order: every item of an agenda (a pupil's case, or a year group
 * or cohort) has a stored position; 0 means "not placed by hand".  Items
 * placed by hand come first, by position; the others follow in the order
 * the caller gives (the workflow rule, core/workflow.c).  Moving an item
 * numbers them all 1..n first, so a move is a swap of two neighbours.
 *
 * Time slots: the first item starts when the meeting starts; each item
 * lasts its minutes (stored, or the default for its kind); the next item
 * starts when it ends. */
#ifndef TAS_CORE_AGENDA_TIME_H
#define TAS_CORE_AGENDA_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum agenda_kind { AGENDA_REVIEW = 0, AGENDA_NEW, AGENDA_COHORT };

#define AGENDA_SLOT_MIN 1
#define AGENDA_SLOT_MAX 240

/* Minutes given to an item of kind k unless set: review 10, new 15,
 * cohort 15 (a review hears what was done; a new case is presented). */
int agenda_default_minutes(enum agenda_kind k);

struct agenda_item {
    enum agenda_kind kind;
    int64_t id;             /* the discussion's or cohort discussion's id */
    int position;           /* stored; 0 not placed by hand */
    int minutes;            /* stored; 0 the default for the kind */
    int rule_rank;          /* the item's place by the workflow rule (0 first) */
    /* filled by agenda_schedule */
    int start_min, end_min; /* minutes after midnight */
};

/* Sorts items into the running order: those with position > 0 by
 * position, then those with position 0 by rule_rank; ties by rule_rank. */
void agenda_running_order(struct agenda_item *it, size_t n);

/* Moves item index i (of the running order) one place up (dir < 0) or
 * down (dir > 0) and renumbers every position 1..n.  Returns false, and
 * changes only the numbering, when the item is already first or last. */
bool agenda_move(struct agenda_item *it, size_t n, size_t i, int dir);

/* start "HH:MM" (00:00 to 23:59): fills start_min and end_min of each item
 * in the order given.  Returns -1 when start is not a time. */
int agenda_schedule(struct agenda_item *it, size_t n, const char *start);

/* "HH:MM" of minutes after midnight (past midnight wraps: 24:10 is
 * "00:10"); out holds 6 bytes. */
void agenda_clock(int minutes, char out[6]);

/* ---- Cohort discussions ---- */

enum cohort_text_problem {
    COHORT_TEXT_OK = 0,
    COHORT_TEXT_EMPTY,
    COHORT_TEXT_LONG,       /* more than COHORT_TEXT_MAX - 1 bytes */
    COHORT_TEXT_UPN,        /* a letter and 12 digits: a pupil's UPN */
    COHORT_TEXT_DATE,       /* a full date: a date of birth, say */
    COHORT_TEXT_NOT_COHORT  /* says no group of pupils: year, class, cohort, ... */
};

#define COHORT_TEXT_MAX 201

/* Checks that text (trimmed by the caller) describes a group of pupils,
 * not a child: it must name a group ("Year 6", "Reception", "cohort",
 * "pupils", "girls", "transition", "class", ...) and hold no UPN-shaped
 * token and no full date.  Names are checked by the caller against the
 * pupils it knows (cohort_names_pupil). */
enum cohort_text_problem cohort_text_check(const char *text);
/* True when text (any length) holds a UPN-shaped token: minutes and
 * actions may give dates, never a pupil's number. */
bool cohort_text_has_upn(const char *text);
/* The message for a field error (never NULL). */
const char *cohort_text_message(enum cohort_text_problem p);

/* True when text holds both the forename and the surname as whole words
 * (any case), or the forename followed by the surname's initial ("Sam
 * T."): a child named.  Parts of fewer than two letters are not looked
 * for alone. */
bool cohort_names_pupil(const char *text, const char *forename, const char *surname);

#endif
