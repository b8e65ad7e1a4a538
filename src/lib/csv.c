#include "lib/csv.h"

#include <stdio.h>
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

void csv_end_row(struct csv *w)
{
    buf_puts(w->b, "\r\n");
    w->mid_row = false;
}
