/* Writing CSV (RFC 4180) a row at a time, safe to open in a spreadsheet.
 *
 * Text that a spreadsheet would run as a formula (its first character is
 * = + - @ a tab or a carriage return: OWASP's "CSV injection") is written
 * with a ' in front, inside quotes, so it stays text.  There is no
 * exception for "-" before a digit: "-1+1|cmd" is a formula too.  Numbers
 * the program itself made go through csv_int, which writes them as they
 * are, so a count is still a number in the sheet. */
#ifndef TAS_LIB_CSV_H
#define TAS_LIB_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/buf.h"

struct csv {
    struct buf *b;
    bool mid_row;     /* a field was written on this row: the next needs a comma */
};

#define CSV_INIT(buf) {(buf), false}

void csv_text(struct csv *w, const char *s);   /* NULL writes an empty field */
void csv_int(struct csv *w, int64_t n);
/* A number as text ("-0.40", "+0.32", "-5.6%") written as a number, without
 * the + and unquoted; anything else (a "c", "z", "1 in 70") as csv_text. */
void csv_number(struct csv *w, const char *s);
void csv_end_row(struct csv *w);               /* CRLF */

/* Reading, a line at a time (the command line's imports).  csv_split
 * splits s in place into fields at commas; a field may be "quoted", with ""
 * for a quote inside.  Returns the number of fields (more than max: max+1),
 * or -1 for a stray or unclosed quote. */
int csv_split(char *s, char **f, int max);
/* Takes the line ending (and a UTF-8 byte-order mark on line 1) off. */
void csv_chomp(char *s, size_t line);
/* Reads a file a line at a time, each chomped: line 1 goes to header, each
 * later line that is not blank to row (both may write into s; a non-zero
 * return stops the reading).  *lines receives how many lines were read.
 * 0, or -1 when reading failed or a callback stopped it. */
int csv_each_line(FILE *in, int (*header)(void *arg, const char *s), int (*row)(void *arg, char *s, size_t line),
                  void *arg, size_t *lines);

#endif
