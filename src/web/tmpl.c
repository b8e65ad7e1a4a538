/* Mustache-subset templates (see tmpl.h).
 *
 * Every template is compiled at load into a flat array of nodes shared by
 * the whole set; a section node records where its body ends, so rendering
 * walks index ranges and never re-parses.  Names are split into segments
 * once, and partials are resolved to template indices after loading.  All
 * strings live in one arena addressed by 32-bit offsets, which keeps the
 * nodes small.  Rendering only reads the set; its state lives on the stack. */
#include "web/tmpl.h"
#include "lib/count.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/embedded.h"

enum { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };
/* Names that are not a path into the context. */
enum { SP_PATH, SP_DOT, SP_INDEX, SP_NUMBER, SP_FIRST, SP_LAST };

#define NONE UINT32_MAX
/* Sections nested deeper than this in one template are refused at load, so
 * the recursive renderer's stack use stays bounded. */
#define MAX_NEST 64

struct seg {
    uint32_t off;  /* NUL-terminated name in the arena */
    uint32_t idx;  /* the segment as an array index; NONE unless all digits */
};

struct node {
    uint8_t type;    /* N_* */
    uint8_t special; /* SP_* for names */
    uint16_t nseg;
    uint32_t a;      /* TEXT: arena offset; names: first seg; PARTIAL: name offset */
    uint32_t b;      /* TEXT: length; SECTION/INVERTED: index past the body;
                        PARTIAL: template index or NONE */
};

struct tmpl {
    char *name;
    uint32_t first, end; /* node range */
};

struct tmpl_set {
    struct tmpl *t;
    size_t nt;
    struct node *nodes;
    size_t nn, cn;
    struct seg *segs;
    size_t ns, cs;
    char *str;
    size_t sl, sc;
};

/* ---- loading ---------------------------------------------------------- */

struct open_sec {
    uint32_t node;
    size_t pos;             /* of the opening tag, for error lines */
    const char *name;
    size_t namelen;
    char sigil;             /* # or ^ */
};

struct parser {
    struct tmpl_set *ts;
    const char *tname;
    const char *src;
    size_t len;
    char *err;
    size_t errlen;
    bool can_merge;         /* the last node is text that may be extended */
};

static int line_of(const struct parser *p, size_t pos)
{
    int line = 1;
    for (size_t i = 0; i < pos && i < p->len; i++)
        line += p->src[i] == '\n';
    return line;
}

__attribute__((format(printf, 3, 4)))
static int perr(const struct parser *p, size_t pos, const char *fmt, ...)
{
    if (p->err && p->errlen) {
        int n = snprintf(p->err, p->errlen, "templates/%s.html:%d: ", p->tname, line_of(p, pos));
        if (n >= 0 && (size_t)n < p->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

static bool grow(void **pp, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    if (c > NONE - 1 || c > SIZE_MAX / size)
        return false;
    void *q = realloc(*pp, c * size);
    if (!q)
        return false;
    *pp = q;
    *cap = c;
    return true;
}

/* Copies s[0..n) into the arena with a NUL; offset in *off. */
static bool put_str(struct tmpl_set *ts, const char *s, size_t n, bool nul, uint32_t *off)
{
    size_t need = ts->sl + n + (nul ? 1 : 0);
    if (need < ts->sl || !grow((void **)&ts->str, &ts->sc, need, 1))
        return false;
    if (n)
        memcpy(ts->str + ts->sl, s, n);
    *off = (uint32_t)ts->sl;
    ts->sl += n;
    if (nul)
        ts->str[ts->sl++] = '\0';
    return true;
}

static struct node *add_node(struct parser *p, int type)
{
    struct tmpl_set *ts = p->ts;
    if (!grow((void **)&ts->nodes, &ts->cn, ts->nn + 1, sizeof *ts->nodes))
        return NULL;
    struct node *n = &ts->nodes[ts->nn++];
    memset(n, 0, sizeof *n);
    n->type = (uint8_t)type;
    p->can_merge = false;
    return n;
}

static int add_text(struct parser *p, size_t from, size_t to)
{
    struct tmpl_set *ts = p->ts;
    if (to <= from)
        return 0;
    uint32_t off;
    /* Text around a comment or standalone line joins the previous node. */
    bool merge = p->can_merge && ts->nodes[ts->nn - 1].a + ts->nodes[ts->nn - 1].b == ts->sl;
    if (!put_str(ts, p->src + from, to - from, false, &off))
        return perr(p, from, "out of memory");
    if (merge) {
        ts->nodes[ts->nn - 1].b += (uint32_t)(to - from);
    } else {
        struct node *n = add_node(p, N_TEXT);
        if (!n)
            return perr(p, from, "out of memory");
        n->a = off;
        n->b = (uint32_t)(to - from);
    }
    p->can_merge = true;
    return 0;
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}

/* Parses the name s[0..n) of a value or section tag into node. */
static int parse_name(struct parser *p, size_t pos, struct node *node, const char *s, size_t n)
{
    static const struct { const char *name; int sp; } specials[] = {
        {"@index", SP_INDEX}, {"@number", SP_NUMBER}, {"@first", SP_FIRST}, {"@last", SP_LAST},
    };
    if (n == 0)
        return perr(p, pos, "empty name");
    if (n == 1 && s[0] == '.') {
        node->special = SP_DOT;
        return 0;
    }
    if (s[0] == '@') {
        for (size_t i = 0; i < COUNT(specials); i++) {
            if (strlen(specials[i].name) == n && memcmp(specials[i].name, s, n) == 0) {
                node->special = (uint8_t)specials[i].sp;
                return 0;
            }
        }
        return perr(p, pos, "unknown name '%.*s' (only @index, @number, @first, @last)", (int)n, s);
    }
    struct tmpl_set *ts = p->ts;
    size_t first = ts->ns, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') {
            if (!is_name_char(s[i]))
                return perr(p, pos, "bad character in name '%.*s'", (int)n, s);
            continue;
        }
        if (i == start)
            return perr(p, pos, "empty segment in name '%.*s'", (int)n, s);
        if (ts->ns - first >= UINT16_MAX)
            return perr(p, pos, "name too long");
        if (!grow((void **)&ts->segs, &ts->cs, ts->ns + 1, sizeof *ts->segs))
            return perr(p, pos, "out of memory");
        struct seg *sg = &ts->segs[ts->ns];
        if (!put_str(ts, s + start, i - start, true, &sg->off))
            return perr(p, pos, "out of memory");
        sg->idx = 0;
        for (size_t k = start; k < i && sg->idx != NONE; k++) {
            if (s[k] < '0' || s[k] > '9')
                sg->idx = NONE;
            else if (sg->idx >= 100000000u)
                sg->idx = NONE - 1; /* too large to exist: lookup fails */
            else
                sg->idx = sg->idx * 10 + (uint32_t)(s[k] - '0');
        }
        ts->ns++;
        start = i + 1;
    }
    node->special = SP_PATH;
    node->a = (uint32_t)first;
    node->nseg = (uint16_t)(ts->ns - first);
    return 0;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Position of the next "{{" or "}}" (pair of c) at or after from, or len. */
static size_t find2(const struct parser *p, size_t from, char c)
{
    for (size_t i = from; i + 1 < p->len; i++) {
        const char *q = memchr(p->src + i, c, p->len - i - 1);
        if (!q)
            break;
        i = (size_t)(q - p->src);
        if (p->src[i + 1] == c)
            return i;
    }
    return p->len;
}

static int parse_template(struct parser *p, struct tmpl *t)
{
    struct tmpl_set *ts = p->ts;
    struct open_sec stack[MAX_NEST];
    int depth = 0;
    size_t pos = 0; /* start of text not yet emitted */
    const char *src = p->src;

    t->first = (uint32_t)ts->nn;
    p->can_merge = false;
    for (;;) {
        size_t tag = find2(p, pos, '{');
        if (tag == p->len) {
            if (add_text(p, pos, p->len))
                return -1;
            break;
        }
        size_t q = tag + 2;
        char sigil = 0;
        if (src[q] == '{') {
            sigil = '{';
            q++;
        }
        size_t close = find2(p, q, '}');
        if (close == p->len)
            return perr(p, tag, "unclosed {{");
        size_t after = close + 2;
        if (sigil == '{') {
            if (src[after] != '}')
                return perr(p, tag, "{{{ must be closed by }}}");
            after++;
        }
        /* The tag's inside, trimmed; a sigil may follow whitespace. */
        size_t s = q, e = close;
        while (s < e && is_ws(src[s]))
            s++;
        if (!sigil && s < e && src[s] && strchr("#^/>!&", src[s])) {
            sigil = src[s++];
            while (s < e && is_ws(src[s]))
                s++;
        }
        /* A comment ends at the first }}: one holding a tag would end
         * inside it and put the rest of its words on the page. */
        for (size_t k = s; sigil == '!' && k + 1 < e; k++)
            if (src[k] == '{' && src[k + 1] == '{')
                return perr(p, tag, "a comment cannot hold a tag ({{ inside {{!)");
        if (sigil != '!') {
            while (e > s && is_ws(src[e - 1]))
                e--;
            if (!sigil && s < e && src[s] == '=')
                return perr(p, tag, "delimiter changes are not supported");
            if (!sigil && s < e && !is_name_char(src[s]) && src[s] != '.' && src[s] != '@')
                return perr(p, tag, "unknown tag type '%c'", src[s]);
        }

        /* Standalone: only whitespace around a block, partial or comment tag
         * on its line(s); the whole line goes. */
        bool standalone = false;
        size_t line_start = tag, line_end = after;
        if (sigil && strchr("#^/>!", sigil)) {
            while (line_start > 0 && (src[line_start - 1] == ' ' || src[line_start - 1] == '\t'))
                line_start--;
            if (line_start == 0 || src[line_start - 1] == '\n') {
                while (line_end < p->len && (src[line_end] == ' ' || src[line_end] == '\t'))
                    line_end++;
                if (line_end == p->len) {
                    standalone = true;
                } else if (src[line_end] == '\n') {
                    standalone = true;
                    line_end++;
                } else if (src[line_end] == '\r' && line_end + 1 < p->len && src[line_end + 1] == '\n') {
                    standalone = true;
                    line_end += 2;
                }
            }
        }
        if (add_text(p, pos, standalone ? line_start : tag))
            return -1;
        pos = standalone ? line_end : after;

        const char *name = src + s;
        size_t namelen = e - s;
        struct node *n;
        switch (sigil) {
        case '!':
            break;
        case '#':
        case '^':
            if (depth == MAX_NEST)
                return perr(p, tag, "sections nested deeper than %d", MAX_NEST);
            if (!(n = add_node(p, sigil == '#' ? N_SECTION : N_INVERTED)))
                return perr(p, tag, "out of memory");
            if (parse_name(p, tag, n, name, namelen))
                return -1;
            stack[depth++] = (struct open_sec){(uint32_t)(ts->nn - 1), tag, name, namelen, sigil};
            break;
        case '/':
            if (namelen == 0)
                return perr(p, tag, "empty name");
            if (depth == 0)
                return perr(p, tag, "{{/%.*s}} closes no open section", (int)namelen, name);
            depth--;
            if (stack[depth].namelen != namelen || memcmp(stack[depth].name, name, namelen) != 0)
                return perr(p, tag, "{{/%.*s}} does not match {{%c%.*s}} opened on line %d",
                            (int)namelen, name, stack[depth].sigil, (int)stack[depth].namelen,
                            stack[depth].name,
                            line_of(p, stack[depth].pos));
            ts->nodes[stack[depth].node].b = (uint32_t)ts->nn;
            p->can_merge = false;
            break;
        case '>':
            if (namelen == 0)
                return perr(p, tag, "empty name");
            for (size_t i = 0; i < namelen; i++)
                if (!is_name_char(name[i]) && name[i] != '/' && name[i] != '.')
                    return perr(p, tag, "bad character in partial name '%.*s'", (int)namelen, name);
            if (!(n = add_node(p, N_PARTIAL)))
                return perr(p, tag, "out of memory");
            if (!put_str(ts, name, namelen, true, &n->a))
                return perr(p, tag, "out of memory");
            n->b = NONE;
            break;
        case '{':
        case '&':
            if (!(n = add_node(p, N_RAW)))
                return perr(p, tag, "out of memory");
            if (parse_name(p, tag, n, name, namelen))
                return -1;
            if (namelen < 5 || memcmp(name + namelen - 5, "_html", 5) != 0)
                return perr(p, tag, "raw output needs a name ending in _html, not '%.*s'",
                            (int)namelen, name);
            break;
        default:
            if (!(n = add_node(p, N_VAR)))
                return perr(p, tag, "out of memory");
            if (parse_name(p, tag, n, name, namelen))
                return -1;
            break;
        }
    }
    if (depth > 0)
        return perr(p, stack[depth - 1].pos, "unclosed section {{%c%.*s}}", stack[depth - 1].sigil,
                    (int)stack[depth - 1].namelen, stack[depth - 1].name);
    t->end = (uint32_t)ts->nn;
    return 0;
}

static int cmp_tmpl(const void *a, const void *b)
{
    return strcmp(((const struct tmpl *)a)->name, ((const struct tmpl *)b)->name);
}

static const struct tmpl *find_tmpl(const struct tmpl_set *ts, const char *name)
{
    size_t lo = 0, hi = ts->nt;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, ts->t[mid].name);
        if (c == 0)
            return &ts->t[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Loads n templates; names need not be NUL-terminated (namelens). */
static struct tmpl_set *load(size_t n, const char *const *names, const size_t *namelens,
                             const char *const *srcs, const size_t *srclens, char *err, size_t errlen)
{
    struct tmpl_set *ts = calloc(1, sizeof *ts);
    if (!ts || (n && !(ts->t = calloc(n, sizeof *ts->t)))) {
        free(ts);
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        struct tmpl *t = &ts->t[ts->nt];
        if (!(t->name = strndup(names[i], namelens[i]))) {
            set_err(err, errlen, "out of memory");
            goto fail;
        }
        ts->nt++;
        struct parser p = {ts, t->name, srcs[i], srclens[i], err, errlen, false};
        if (srclens[i] >= NONE / 2) {
            perr(&p, 0, "template too large");
            goto fail;
        }
        if (parse_template(&p, t))
            goto fail;
    }
    if (ts->nt)
        qsort(ts->t, ts->nt, sizeof *ts->t, cmp_tmpl);
    for (size_t i = 1; i < ts->nt; i++) {
        if (strcmp(ts->t[i - 1].name, ts->t[i].name) == 0) {
            set_err(err, errlen, "templates/%s.html:1: duplicate template", ts->t[i].name);
            goto fail;
        }
    }
    /* Partials bind now; an unknown one is an error only when rendered. */
    for (size_t i = 0; i < ts->nn; i++) {
        struct node *nd = &ts->nodes[i];
        if (nd->type == N_PARTIAL) {
            const struct tmpl *t = find_tmpl(ts, ts->str + nd->a);
            nd->b = t ? (uint32_t)(t - ts->t) : NONE;
        }
    }
    return ts;
fail:
    tmpl_free(ts);
    return NULL;
}

struct tmpl_set *tmpl_load(size_t n, const char *const *names, const char *const *sources,
                           char *err, size_t errlen)
{
    size_t *lens = calloc(n ? 2 * n : 1, sizeof *lens);
    if (!lens) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        lens[i] = strlen(names[i]);
        lens[n + i] = strlen(sources[i]);
    }
    struct tmpl_set *ts = load(n, names, lens, sources, lens + n, err, errlen);
    free(lens);
    return ts;
}

struct tmpl_set *tmpl_load_embedded(char *err, size_t errlen)
{
    static const char pre[] = "templates/", suf[] = ".html";
    const size_t pl = sizeof pre - 1, sl = sizeof suf - 1;
    size_t cnt = embedded_count ? embedded_count : 1;
    const char **names = calloc(cnt, sizeof *names);
    const char **srcs = calloc(cnt, sizeof *srcs);
    size_t *lens = calloc(2 * cnt, sizeof *lens);
    struct tmpl_set *ts = NULL;
    if (!names || !srcs || !lens) {
        set_err(err, errlen, "out of memory");
        goto out;
    }
    size_t n = 0;
    for (size_t i = 0; i < embedded_count; i++) {
        const struct embedded_file *f = &embedded_files[i];
        size_t len = strlen(f->name);
        if (len <= pl + sl || memcmp(f->name, pre, pl) != 0 || memcmp(f->name + len - sl, suf, sl) != 0)
            continue;
        names[n] = f->name + pl;
        lens[n] = len - pl - sl;
        srcs[n] = (const char *)f->data;
        lens[cnt + n] = f->size;
        n++;
    }
    ts = load(n, names, lens, srcs, lens + cnt, err, errlen);
out:
    free(names);
    free(srcs);
    free(lens);
    return ts;
}

void tmpl_free(struct tmpl_set *ts)
{
    if (!ts)
        return;
    for (size_t i = 0; i < ts->nt; i++)
        free(ts->t[i].name);
    free(ts->t);
    free(ts->nodes);
    free(ts->segs);
    free(ts->str);
    free(ts);
}

bool tmpl_exists(const struct tmpl_set *ts, const char *name)
{
    return ts && name && find_tmpl(ts, name);
}

/* ---- rendering -------------------------------------------------------- */

/* A looked-up value: JSON, or one of the loop variables. */
enum { V_NONE, V_JSON, V_INT, V_BOOL };
struct val {
    int kind;
    const json_t *j;
    long long i;
};

/* Context stack, linked through the renderer's C stack frames. */
struct frame {
    struct val v;
    const struct frame *up;
    size_t index, count;
    bool loop;              /* an array element: index/count are valid */
};

struct rstate {
    const struct tmpl_set *ts;
    struct buf *out;
    char *err;
    size_t errlen;
    size_t *steps;               /* nodes rendered so far (TMPL_MAX_STEPS) */
};

static const json_t *get_in(const json_t *j, const struct tmpl_set *ts, const struct seg *sg)
{
    if (json_is_object(j))
        return json_object_get(j, ts->str + sg->off);
    if (json_is_array(j) && sg->idx != NONE)
        return json_array_get(j, sg->idx);
    return NULL;
}

static struct val lookup(const struct tmpl_set *ts, const struct node *n, const struct frame *top)
{
    struct val none = {V_NONE, NULL, 0};
    if (n->special == SP_DOT)
        return top->v;
    if (n->special != SP_PATH) {
        const struct frame *f = top;
        while (f && !f->loop)
            f = f->up;
        if (!f)
            return none;
        switch (n->special) {
        case SP_INDEX: return (struct val){V_INT, NULL, (long long)f->index};
        case SP_NUMBER: return (struct val){V_INT, NULL, (long long)f->index + 1};
        case SP_FIRST: return (struct val){V_BOOL, NULL, f->index == 0};
        default: return (struct val){V_BOOL, NULL, f->index + 1 == f->count};
        }
    }
    const struct seg *sg = &ts->segs[n->a];
    const json_t *j = NULL;
    for (const struct frame *f = top; f && !j; f = f->up)
        if (f->v.kind == V_JSON && json_is_object(f->v.j))
            j = json_object_get(f->v.j, ts->str + sg->off);
    for (uint16_t k = 1; j && k < n->nseg; k++)
        j = get_in(j, ts, &sg[k]);
    return j ? (struct val){V_JSON, j, 0} : none;
}

static bool truthy(struct val v)
{
    switch (v.kind) {
    case V_INT: return true;
    case V_BOOL: return v.i != 0;
    case V_JSON:
        switch (json_typeof(v.j)) {
        case JSON_NULL:
        case JSON_FALSE: return false;
        case JSON_STRING: return json_string_length(v.j) > 0;
        case JSON_ARRAY: return json_array_size(v.j) > 0;
        case JSON_OBJECT: return json_object_size(v.j) > 0;
        default: return true;
        }
    default: return false;
    }
}

static void put_int(struct buf *out, long long v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    buf_append(out, p, (size_t)(tmp + sizeof tmp - p));
}

static void put_val(struct buf *out, struct val v, bool escape)
{
    switch (v.kind) {
    case V_INT: put_int(out, v.i); return;
    case V_BOOL: if (v.i) buf_puts(out, "true"); return;
    case V_JSON: break;
    default: return;
    }
    switch (json_typeof(v.j)) {
    case JSON_STRING:
        if (escape)
            buf_html_n(out, json_string_value(v.j), json_string_length(v.j));
        else
            buf_append(out, json_string_value(v.j), json_string_length(v.j));
        break;
    case JSON_INTEGER:
        put_int(out, (long long)json_integer_value(v.j));
        break;
    case JSON_REAL: {
        /* %.15g: 12.5 -> "12.5", 3.0 -> "3", 0.1 + 0.2 -> "0.3". */
        char tmp[32];
        int len = snprintf(tmp, sizeof tmp, "%.15g", json_real_value(v.j));
        if (len > 0 && (size_t)len < sizeof tmp)
            buf_append(out, tmp, (size_t)len);
        break;
    }
    case JSON_TRUE:
        buf_puts(out, "true");
        break;
    default:
        break;
    }
}

static int render_range(const struct rstate *rs, uint32_t i, uint32_t end, const struct frame *top,
                        int depth)
{
    const struct tmpl_set *ts = rs->ts;
    while (i < end) {
        const struct node *n = &ts->nodes[i];
        if (++*rs->steps > TMPL_MAX_STEPS) {
            set_err(rs->err, rs->errlen, "rendering took more than %d steps (sections nested too deep?)",
                    TMPL_MAX_STEPS);
            return -1;
        }
        switch (n->type) {
        case N_TEXT:
            buf_append(rs->out, ts->str + n->a, n->b);
            i++;
            break;
        case N_VAR:
        case N_RAW:
            put_val(rs->out, lookup(ts, n, top), n->type == N_VAR);
            i++;
            break;
        case N_SECTION: {
            struct val v = lookup(ts, n, top);
            if (truthy(v) && v.kind == V_JSON && json_is_array(v.j)) {
                size_t cnt = json_array_size(v.j);
                for (size_t k = 0; k < cnt; k++) {
                    struct frame f = {{V_JSON, json_array_get(v.j, k), 0}, top, k, cnt, true};
                    if (render_range(rs, i + 1, n->b, &f, depth))
                        return -1;
                }
            } else if (truthy(v)) {
                struct frame f = {v, top, 0, 0, false};
                if (render_range(rs, i + 1, n->b, &f, depth))
                    return -1;
            }
            i = n->b;
            break;
        }
        case N_INVERTED:
            if (!truthy(lookup(ts, n, top)) && render_range(rs, i + 1, n->b, top, depth))
                return -1;
            i = n->b;
            break;
        default: { /* N_PARTIAL */
            const char *pname = ts->str + n->a;
            if (n->b == NONE) {
                set_err(rs->err, rs->errlen, "unknown partial '%s'", pname);
                return -1;
            }
            if (depth >= TMPL_MAX_DEPTH) {
                set_err(rs->err, rs->errlen, "partials nested deeper than %d (at '%s')",
                        TMPL_MAX_DEPTH, pname);
                return -1;
            }
            const struct tmpl *t = &ts->t[n->b];
            if (render_range(rs, t->first, t->end, top, depth + 1))
                return -1;
            i++;
            break;
        }
        }
    }
    return 0;
}

int tmpl_render(const struct tmpl_set *ts, const char *name, const json_t *ctx, struct buf *out,
                char *err, size_t errlen)
{
    const struct tmpl *t = ts && name ? find_tmpl(ts, name) : NULL;
    if (!t) {
        set_err(err, errlen, "unknown template '%s'", name ? name : "(null)");
        return -1;
    }
    size_t start = out->len;
    bool failed = out->failed;
    size_t steps = 0;
    struct rstate rs = {ts, out, err, errlen, &steps};
    struct frame top = {{ctx ? V_JSON : V_NONE, ctx, 0}, NULL, 0, 0, false};
    int rc = render_range(&rs, t->first, t->end, &top, 0);
    if (rc == 0 && out->failed && !failed) {
        set_err(err, errlen, "out of memory rendering '%s'", name);
        rc = -1;
    }
    if (rc != 0 && out->data && start <= out->len) {
        out->len = start;
        out->data[start] = '\0';
    }
    return rc;
}
