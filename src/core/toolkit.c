/* Toolkit definitions: the line format's parser and checks, answers, and
 * scoring (see toolkit.h for the format). */
#include "core/toolkit.h"
#include "lib/count.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 12
#define LINE_MAX_LEN 1024

struct parse {
    struct toolkit_def *d;
    struct tk_errors *errs;
    int line;
    bool seen_toolkit;
};

__attribute__((format(printf, 3, 4)))
static void fail(struct parse *p, const char *field, const char *fmt, ...)
{
    if (p->errs->count >= TK_MAX_ERRORS)
        return;
    struct tk_error *e = &p->errs->items[p->errs->count++];
    e->line = p->line;
    snprintf(e->field, sizeof e->field, "%s", field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Splits a line in place at '|'; returns the number of fields. */
static size_t split(char *line, char **f)
{
    size_t n = 0;
    char *s = line;
    for (;;) {
        char *bar = strchr(s, '|');
        if (bar)
            *bar = '\0';
        if (n < MAX_FIELDS)
            f[n] = trim(s);
        n++;
        if (!bar)
            break;
        s = bar + 1;
    }
    return n;
}

/* Whole number in [min, max]; 0 ok. */
static int number(const char *s, long min, long max, int *out)
{
    if (!*s)
        return -1;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (*end || v < min || v > max)
        return -1;
    *out = (int)v;
    return 0;
}

static bool is_id(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n >= max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    return true;
}

/* Text a person reads: present, short enough, no control characters. */
static int text(struct parse *p, const char *field, const char *s, char *out, size_t outsz)
{
    size_t n = strlen(s);
    if (n == 0) {
        fail(p, field, "The %s is empty", field);
        return -1;
    }
    if (n >= outsz) {
        fail(p, field, "The %s is longer than %zu characters", field, outsz - 1);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
            fail(p, field, "The %s has a control character", field);
            return -1;
        }
    memcpy(out, s, n + 1);
    return 0;
}

static int id(struct parse *p, const char *field, const char *s, char *out)
{
    if (!is_id(s, TK_ID_MAX)) {
        fail(p, field, "The %s id must be 1 to %d of a-z, 0-9, - and _", field, TK_ID_MAX - 1);
        return -1;
    }
    snprintf(out, TK_ID_MAX, "%s", s);
    return 0;
}

static int arity(struct parse *p, const char *kw, size_t n, size_t min, size_t max)
{
    if (n >= min && n <= max)
        return 0;
    if (min == max)
        fail(p, kw, "A %s line has %zu fields, not %zu", kw, min, n);
    else
        fail(p, kw, "A %s line has %zu to %zu fields, not %zu", kw, min, max, n);
    return -1;
}

/* Refuses a kw line when the toolkit already holds max of its kind (what,
 * the plural, names them), the one check every repeated line makes. */
static int full(struct parse *p, const char *kw, const char *what, size_t have, size_t max)
{
    if (have < max)
        return 0;
    fail(p, kw, "At most %zu %s", max, what);
    return -1;
}

static void st_toolkit(struct parse *p, char **f, size_t n)
{
    struct toolkit_def *d = p->d;
    if (p->seen_toolkit) {
        fail(p, "toolkit", "The toolkit line appears twice");
        return;
    }
    p->seen_toolkit = true;
    if (arity(p, "toolkit", n, 4, 4))
        return;
    if (!is_id(f[1], TK_NAME_MAX))
        fail(p, "name", "The name must be 1 to %d of a-z, 0-9, - and _", TK_NAME_MAX - 1);
    else
        snprintf(d->name, sizeof d->name, "%s", f[1]);
    if (number(f[2], 1, TK_MAX_VERSION, &d->version))
        fail(p, "version", "The version must be a whole number from 1 to %d", TK_MAX_VERSION);
    (void)text(p, "title", f[3], d->title, sizeof d->title);
}

static void st_about(struct parse *p, char **f, size_t n)
{
    if (arity(p, "about", n, 2, 2) == 0)
        (void)text(p, "about", f[1], p->d->about, sizeof p->d->about);
}

static int scale_index(const struct toolkit_def *d, const char *sid)
{
    for (size_t i = 0; i < d->nscales; i++)
        if (strcmp(d->scales[i].id, sid) == 0)
            return (int)i;
    return -1;
}

static int option(struct parse *p, char *s, struct tk_option *o)
{
    char *eq = strchr(s, '=');
    if (!eq) {
        fail(p, "option", "An answer must be written VALUE = LABEL");
        return -1;
    }
    *eq = '\0';
    if (number(trim(s), 0, 100, &o->value)) {
        fail(p, "option", "An answer's value must be a whole number from 0 to 100");
        return -1;
    }
    return text(p, "option", trim(eq + 1), o->label, sizeof o->label);
}

static void st_scale(struct parse *p, char **f, size_t n)
{
    struct toolkit_def *d = p->d;
    /* At least two answers to choose from. */
    if (arity(p, "scale", n, 4, 2 + TK_MAX_OPTIONS) ||
        full(p, "scale", "scales", d->nscales, TK_MAX_SCALES))
        return;
    struct tk_scale *s = &d->scales[d->nscales];
    if (id(p, "scale", f[1], s->id))
        return;
    if (scale_index(d, s->id) >= 0) {
        fail(p, "scale", "The scale %s is defined twice", s->id);
        return;
    }
    for (size_t i = 2; i < n; i++) {
        if (option(p, f[i], &s->options[s->noptions]))
            return;
        for (size_t j = 0; j < s->noptions; j++)
            if (s->options[j].value == s->options[s->noptions].value) {
                fail(p, "option", "The value %d appears twice in scale %s", s->options[j].value, s->id);
                return;
            }
        s->noptions++;
    }
    d->nscales++;
}

static void st_section(struct parse *p, char **f, size_t n)
{
    struct toolkit_def *d = p->d;
    if (arity(p, "section", n, 3, 3) ||
        full(p, "section", "sections", d->nsections, TK_MAX_SECTIONS))
        return;
    struct tk_section *s = &d->sections[d->nsections];
    if (id(p, "section", f[1], s->id) || text(p, "title", f[2], s->title, sizeof s->title))
        return;
    for (size_t i = 0; i < d->nsections; i++)
        if (strcmp(d->sections[i].id, s->id) == 0) {
            fail(p, "section", "The section %s is defined twice", s->id);
            return;
        }
    d->nsections++;
}

static void st_item(struct parse *p, char **f, size_t n)
{
    struct toolkit_def *d = p->d;
    if (arity(p, "item", n, 4, 5))
        return;
    if (d->nsections == 0) {
        fail(p, "item", "An item must follow a section line");
        return;
    }
    if (full(p, "item", "items", d->nitems, TK_MAX_ITEMS))
        return;
    struct tk_item *it = &d->items[d->nitems];
    if (id(p, "item", f[1], it->id))
        return;
    if (toolkit_item_index(d, it->id) >= 0) {
        fail(p, "item", "The item %s is defined twice", it->id);
        return;
    }
    int sc = scale_index(d, f[2]);
    if (sc < 0) {
        fail(p, "scale", "The scale %s is not defined above", f[2]);
        return;
    }
    it->weight = 1;
    if (n == 5 && number(f[4], 1, 10, &it->weight)) {
        fail(p, "weight", "The weight must be a whole number from 1 to 10");
        return;
    }
    if (text(p, "text", f[3], it->text, sizeof it->text))
        return;
    it->section = d->nsections - 1;
    it->scale = (size_t)sc;
    d->nitems++;
}

static void st_band(struct parse *p, char **f, size_t n)
{
    struct toolkit_def *d = p->d;
    if (arity(p, "band", n, 4, 5) || full(p, "band", "bands", d->nbands, TK_MAX_BANDS))
        return;
    struct tk_band *b = &d->bands[d->nbands];
    if (number(f[1], 0, 100000, &b->min)) {
        fail(p, "min", "A band's minimum score must be a whole number from 0");
        return;
    }
    if (d->nbands > 0 && b->min <= d->bands[d->nbands - 1].min) {
        fail(p, "min", "Bands must be in order of their minimum score, each higher than the last");
        return;
    }
    if (id(p, "band", f[2], b->code) || text(p, "label", f[3], b->label, sizeof b->label))
        return;
    for (size_t i = 0; i < d->nbands; i++)
        if (strcmp(d->bands[i].code, b->code) == 0) {
            fail(p, "band", "The band %s is defined twice", b->code);
            return;
        }
    if (n == 5 && strcmp(f[4], "flag") != 0) {
        fail(p, "flag", "The last field of a band line may only be \"flag\"");
        return;
    }
    b->flag = n == 5;
    if (b->flag && !d->has_threshold) {
        d->has_threshold = true;
        d->threshold = b->min;
    }
    d->nbands++;
}

static void statement(struct parse *p, char *line)
{
    char *f[MAX_FIELDS];
    size_t n = split(line, f);
    if (n > MAX_FIELDS) {
        fail(p, "line", "Too many fields (at most %d)", MAX_FIELDS);
        return;
    }
    if (!p->seen_toolkit && strcmp(f[0], "toolkit") != 0) {
        fail(p, "toolkit", "The first line must be the toolkit line");
        p->seen_toolkit = true;   /* say it once */
    }
    static const struct {
        const char *kw;
        void (*fn)(struct parse *, char **, size_t);
    } kws[] = {{"toolkit", st_toolkit}, {"about", st_about}, {"scale", st_scale},
               {"section", st_section}, {"item", st_item}, {"band", st_band}};
    for (size_t i = 0; i < COUNT(kws); i++)
        if (strcmp(f[0], kws[i].kw) == 0) {
            kws[i].fn(p, f, n);
            return;
        }
    fail(p, "line", "Unknown statement \"%.40s\"", f[0]);
}

/* What must hold of the whole: something to answer, and bands from the lowest score. */
static void whole(struct parse *p)
{
    const struct toolkit_def *d = p->d;
    p->line = 0;
    if (!d->name[0] || !d->version)
        fail(p, "toolkit", "There is no valid toolkit line");
    if (d->nitems == 0)
        fail(p, "item", "There are no items");
    for (size_t i = 0; i < d->nsections; i++) {
        bool any = false;
        for (size_t j = 0; j < d->nitems; j++)
            any |= d->items[j].section == i;
        if (!any)
            fail(p, "section", "The section %s has no items", d->sections[i].id);
    }
    if (d->nbands == 0)
        fail(p, "band", "There are no bands");
    else if (d->bands[0].min != 0)
        fail(p, "band", "The first band must start at 0, so every score has a band");
}

int toolkit_parse(const char *src, struct toolkit_def *out, struct tk_errors *errs)
{
    memset(out, 0, sizeof *out);
    memset(errs, 0, sizeof *errs);
    struct parse p = {.d = out, .errs = errs};
    char line[LINE_MAX_LEN];
    const char *s = src ? src : "";
    while (*s) {
        p.line++;
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (len >= sizeof line) {
            fail(&p, "line", "The line is longer than %zu characters", sizeof line - 1);
        } else {
            memcpy(line, s, len);
            line[len] = '\0';
            char *t = trim(line);
            if (*t && *t != '#')
                statement(&p, t);
        }
        s = nl ? nl + 1 : s + len;
    }
    whole(&p);
    return errs->count ? -1 : 0;
}

int toolkit_item_index(const struct toolkit_def *d, const char *iid)
{
    for (size_t i = 0; i < d->nitems; i++)
        if (strcmp(d->items[i].id, iid) == 0)
            return (int)i;
    return -1;
}

static bool on_scale(const struct toolkit_def *d, size_t item, int v)
{
    const struct tk_scale *s = &d->scales[d->items[item].scale];
    for (size_t i = 0; i < s->noptions; i++)
        if (s->options[i].value == v)
            return true;
    return false;
}

static int one_answer(const struct toolkit_def *d, char *pair, int *answers, char *msg, size_t msgsz)
{
    char *eq = strchr(pair, '=');
    int v = 0;
    if (eq)
        *eq = '\0';
    int i = toolkit_item_index(d, trim(pair));
    if (i < 0) {
        snprintf(msg, msgsz, "Unknown item \"%.20s\"", trim(pair));
        return -1;
    }
    if (answers[i] != TK_UNANSWERED) {
        snprintf(msg, msgsz, "Item %s is answered twice", d->items[i].id);
        return -1;
    }
    if (!eq || number(trim(eq + 1), 0, 100, &v) || !on_scale(d, (size_t)i, v)) {
        snprintf(msg, msgsz, "Item %s: the answer is not on its scale", d->items[i].id);
        return -1;
    }
    answers[i] = v;
    return 0;
}

int toolkit_answers_parse(const struct toolkit_def *d, const char *src, int *answers, char *msg, size_t msgsz)
{
    for (size_t i = 0; i < d->nitems; i++)
        answers[i] = TK_UNANSWERED;
    char buf[TK_MAX_ITEMS * 24];
    if (strlen(src) >= sizeof buf) {
        snprintf(msg, msgsz, "Too many answers");
        return -1;
    }
    strcpy(buf, src);
    char *save = NULL;
    for (char *pair = strtok_r(buf, ",", &save); pair; pair = strtok_r(NULL, ",", &save)) {
        if (!*trim(pair))
            continue;
        if (one_answer(d, pair, answers, msg, msgsz))
            return -1;
    }
    return 0;
}

int toolkit_answers_format(const struct toolkit_def *d, const int *answers, char *out, size_t outsz)
{
    size_t len = 0;
    if (outsz == 0)
        return -1;
    out[0] = '\0';
    for (size_t i = 0; i < d->nitems; i++) {
        if (answers[i] == TK_UNANSWERED)
            continue;
        int w = snprintf(out + len, outsz - len, "%s%s=%d", len ? "," : "", d->items[i].id, answers[i]);
        if (w < 0 || (size_t)w >= outsz - len)
            return -1;
        len += (size_t)w;
    }
    return 0;
}

int toolkit_score(const struct toolkit_def *d, const int *answers, struct tk_score *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < d->nitems; i++) {
        if (answers[i] == TK_UNANSWERED)
            continue;
        if (!on_scale(d, i, answers[i]))
            return -1;
        int pts = answers[i] * d->items[i].weight;
        out->score += pts;
        out->section_scores[d->items[i].section] += pts;
        out->answered++;
    }
    out->complete = out->answered == d->nitems;
    for (size_t b = 0; b < d->nbands; b++)
        if (out->score >= d->bands[b].min)
            out->band = b;
    return 0;
}

bool toolkit_threshold_crossed(const struct toolkit_def *d, bool has_prev, int prev_score, int score)
{
    if (!d->has_threshold || score < d->threshold)
        return false;
    return !has_prev || prev_score < d->threshold;
}
