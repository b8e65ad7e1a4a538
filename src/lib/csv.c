#include "lib/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sep(struct csv *w)
{
    if (w->mid_row)
        buf_putc(w->b, ',');
    w->mid_row = true;
}

void csv_text(struct csv *w, const char *s)
{
    sep(w);
    if (!s)
        s = "";
    bool formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        buf_putc(w->b, '"');
    if (formula)
        buf_putc(w->b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(w->b, '"');
        buf_putc(w->b, *p);
    }
    if (quote)
        buf_putc(w->b, '"');
}

void csv_int(struct csv *w, int64_t n)
{
    sep(w);
    buf_printf(w->b, "%lld", (long long)n);
}

/* A decimal number as shown on a page ("-0.40", "+0.32", "-5.6%"): only
 * an optional sign, digits, at most one point and an optional % pass as
 * a number (a leading + dropped, so no spreadsheet reads a formula). */
static bool plain_number(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    size_t digits = strspn(s, "0123456789");
    if (!digits)
        return false;
    s += digits;
    if (*s == '.') {
        s++;
        size_t frac = strspn(s, "0123456789");
        if (!frac)
            return false;
        s += frac;
    }
    if (*s == '%')
        s++;
    return *s == '\0';
}

void csv_number(struct csv *w, const char *s)
{
    if (!s || !plain_number(s)) {
        csv_text(w, s);
        return;
    }
    sep(w);
    buf_puts(w->b, s[0] == '+' ? s + 1 : s);
}

void csv_end_row(struct csv *w)
{
    buf_puts(w->b, "\r\n");
    w->mid_row = false;
}

/* ---- reading ---- */

/* Splits s in place into fields at commas; a field may be "quoted", with ""
 * for a quote inside.  Returns the number of fields (more than max: max+1),
 * or -1 for a stray or unclosed quote. */
int csv_split(char *s, char **f, int max)
{
    int n = 0;
    for (;;) {
        char *out = s;
        if (n == max)
            return max + 1;
        f[n++] = s;
        if (*s == '"') {
            for (s++;; s++) {
                if (!*s)
                    return -1;
                if (*s == '"' && s[1] != '"')
                    break;
                s += *s == '"';
                *out++ = *s;
            }
            s++;
            if (*s && *s != ',')
                return -1;
        } else {
            for (; *s && *s != ','; s++) {
                if (*s == '"')
                    return -1;
                *out++ = *s;
            }
        }
        int more = *s == ',';
        *out = '\0';
        if (!more)
            return n;
        s++;
    }
}

/* Takes the line ending (and a byte-order mark on line 1) off. */
void csv_chomp(char *s, size_t line)
{
    size_t len = strlen(s);
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        s[--len] = '\0';
    if (line == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
        memmove(s, s + 3, len - 2);
}

int csv_each_line(FILE *in, int (*header)(void *arg, const char *s), int (*row)(void *arg, char *s, size_t line),
                  void *arg, size_t *lines)
{
    char *s = NULL;
    size_t cap = 0, line = 0;
    int rc = 0;
    while (rc == 0 && getline(&s, &cap, in) != -1) {
        csv_chomp(s, ++line);
        if (line == 1)
            rc = header(arg, s);
        else if (s[strspn(s, " \t")])
            rc = row(arg, s, line);
    }
    free(s);
    *lines = line;
    return rc == 0 && !ferror(in) ? 0 : -1;
}
