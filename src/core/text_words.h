/* Whole words and names in free text: the checks that keep a pupil's name
 * out of a text that must not hold it (a cohort discussion's notes,
 * core/agenda_time.c; a published change story, core/evidence.c). */
#ifndef TAS_CORE_TEXT_WORDS_H
#define TAS_CORE_TEXT_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* word (n bytes) in text as a whole word, any case (ASCII).  A word is
 * letters and any byte of a UTF-8 sequence (so "Zoë" is one word and a
 * match cannot end inside it), and with digits also digits ("y6" is not
 * found in "y61"); without, a digit ends a word ("Sam" is in "Sam2"). */
bool text_has_word(const char *text, const char *word, size_t n, bool digits);

/* Whether a part of name (split at spaces and hyphens) of two letters or
 * more stands in text as a whole word, any case; a digit ends a name. */
bool text_has_name_part(const char *text, const char *name);

#endif
