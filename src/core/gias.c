#include "core/gias.h"
#include "lib/count.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/calendar.h"

/* Header names as GIAS writes them (DfE, "Get Information about Schools",
 * establishment fields download). */
static const char *const col_names[GC__COUNT] = {
    [GC_URN] = "URN",
    [GC_NAME] = "EstablishmentName",
    [GC_LA_CODE] = "LA (code)",
    [GC_PHASE] = "PhaseOfEducation (name)",
    [GC_STATUS] = "EstablishmentStatus (name)",
    [GC_TYPE_CODE] = "TypeOfEstablishment (code)",
    [GC_TYPE_NAME] = "TypeOfEstablishment (name)",
    [GC_POSTCODE] = "Postcode",
    [GC_OPEN] = "OpenDate",
    [GC_CLOSE] = "CloseDate",
    [GC_PUPILS] = "NumberOfPupils",
    [GC_FSM_PCT] = "PercentageFSM",
    [GC_ESTAB] = "EstablishmentNumber",
};

/* Trims spaces at both ends, in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

int gias_header_read(char *const *fields, int n, struct gias_header *h, char *missing, size_t msz)
{
    for (int c = 0; c < GC__COUNT; c++)
        h->pos[c] = -1;
    h->ncols = n;
    for (int i = 0; i < n; i++) {
        const char *f = fields[i];
        while (*f == ' ')
            f++;
        size_t len = strlen(f);
        while (len && f[len - 1] == ' ')
            len--;
        for (int c = 0; c < GC__COUNT; c++)
            if (h->pos[c] < 0 && strlen(col_names[c]) == len && strncmp(f, col_names[c], len) == 0)
                h->pos[c] = i;
    }
    int rc = 0;
    size_t o = 0;
    if (msz)
        missing[0] = '\0';
    for (int c = 0; c < GC_REQUIRED; c++) {
        if (h->pos[c] >= 0)
            continue;
        rc = -1;
        int w = snprintf(missing + o, o < msz ? msz - o : 0, "%s%s", o ? ", " : "", col_names[c]);
        if (w > 0)
            o += (size_t)w;
    }
    return rc;
}

static size_t utf8_seq(const unsigned char *s);

/* A reason quotes a clipped value, which may end mid-character: what is
 * not UTF-8 becomes '?', so the reason is text a page or JSON can carry. */
static void fix_utf8(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        size_t n = utf8_seq(p);
        if (!n)
            *p++ = '?';
        else
            p += n;
    }
}

/* The reason for a refused or skipped row, into why (wsz bytes). */
#define SAY(...) ((void)(wsz ? (snprintf(why, wsz, __VA_ARGS__), fix_utf8(why), 0) : 0))

/* The field of column c, trimmed ("" when the column is absent or the row
 * is short). */
static char *field(const struct gias_header *h, char *const *f, int n, enum gias_col c)
{
    static char empty[1];
    int p = h->pos[c];
    if (p < 0 || p >= n)
        return empty;
    return trim(f[p]);
}

/* dd-mm-yyyy or dd/mm/yyyy -> YYYY-MM-DD; "" stays "".  0 ok. */
static int gias_date(const char *s, char out[11])
{
    out[0] = '\0';
    if (!*s)
        return 0;
    if (strlen(s) != 10 || (s[2] != '-' && s[2] != '/') || s[5] != s[2])
        return -1;
    char iso[11] = {s[6], s[7], s[8], s[9], '-', s[3], s[4], '-', s[0], s[1], '\0'};
    if (day_parse(iso, NULL) != 0)
        return -1;
    memcpy(out, iso, 11);
    return 0;
}

static bool all_digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool has_letters_only(const char *s)
{
    for (; *s; s++)
        if (!isalpha((unsigned char)*s) && *s != ' ')
            return false;
    return true;
}

static const struct {
    const char *name, *code, *label;
} statuses[] = {
    {"Open", "open", "Open"},
    {"Closed", "closed", "Closed"},
    {"Open, but proposed to close", "proposed_to_close", "Open, but proposed to close"},
    {"Proposed to open", "proposed_to_open", "Proposed to open"},
};

const char *gias_status_code(const char *name)
{
    for (size_t i = 0; i < COUNT(statuses); i++)
        if (strcmp(name, statuses[i].name) == 0)
            return statuses[i].code;
    return NULL;
}

/* TypeOfEstablishment codes (GIAS code list): special schools and
 * alternative provision, whatever their phase says. */
static const int special_types[] = {7, 8, 10, 12, 33, 36, 44};
static const int ap_types[] = {14, 38, 42, 43};

static bool in_list(int v, const int *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (l[i] == v)
            return true;
    return false;
}

static bool contains_nocase(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; *s; s++)
        if (strncasecmp(s, w, n) == 0)
            return true;
    return false;
}

/* The tas phase of an establishment; NULL when it is not a phase tas holds. */
static const char *phase_of(const char *type_code, const char *type_name, const char *phase)
{
    if (*type_code && all_digits(type_code, 1, 3)) {
        int t = atoi(type_code);
        if (in_list(t, special_types, COUNT(special_types)))
            return "special";
        if (in_list(t, ap_types, COUNT(ap_types)))
            return "ap";
    } else if (*type_name) {
        if (contains_nocase(type_name, "special"))
            return "special";
        if (contains_nocase(type_name, "pupil referral unit") || contains_nocase(type_name, "alternative provision"))
            return "ap";
    }
    static const struct {
        const char *name, *code;
    } phases[] = {
        {"Nursery", "nursery"},
        {"Primary", "primary"},
        {"Middle deemed primary", "middle"},
        {"Middle deemed secondary", "middle"},
        {"Secondary", "secondary"},
        {"All-through", "all-through"},
        {"All through", "all-through"},
    };
    for (size_t i = 0; i < COUNT(phases); i++)
        if (strcmp(phase, phases[i].name) == 0)
            return phases[i].code;
    return NULL;
}

static bool known_phase_name(const char *phase)
{
    return !strcmp(phase, "Not applicable") || !strcmp(phase, "16 plus");
}

/* Copies s into out (osz bytes) if it fits; false otherwise. */
static bool fits(const char *s, char *out, size_t osz)
{
    size_t n = strlen(s);
    if (n >= osz)
        return false;
    memcpy(out, s, n + 1);
    return true;
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

enum gias_verdict gias_row_read(const struct gias_header *h, char *const *f, int n, struct gias_school *out,
                                char *why, size_t wsz)
{
    memset(out, 0, sizeof *out);
    out->pupils_on_roll = -1;
    out->fsm_pct = -1;
    if (wsz)
        why[0] = '\0';
    const char *urn = field(h, f, n, GC_URN);
    if (!*urn) {
        SAY("%s: missing", col_names[GC_URN]);
        return GIAS_ROW_BAD;
    }
    if (!all_digits(urn, 6, 7) || urn[0] == '0') {
        SAY("%s: \"%.20s\" is not a URN (6 or 7 digits)", col_names[GC_URN], urn);
        return GIAS_ROW_BAD;
    }
    memcpy(out->urn, urn, strlen(urn) + 1);
    const char *name = field(h, f, n, GC_NAME);
    if (!*name) {
        SAY("%s: missing", col_names[GC_NAME]);
        return GIAS_ROW_BAD;
    }
    if (has_control(name) || !fits(name, out->name, sizeof out->name)) {
        SAY("%s: longer than 160 bytes or has control characters", col_names[GC_NAME]);
        return GIAS_ROW_BAD;
    }
    const char *la = field(h, f, n, GC_LA_CODE);
    if (!all_digits(la, 3, 3)) {
        SAY("%s: \"%.20s\" is not a 3-digit LA number", col_names[GC_LA_CODE], la);
        return GIAS_ROW_BAD;
    }
    memcpy(out->la_code, la, 4);
    /* The number within the LA of the school's LAESTAB (DfE). */
    const char *estab = field(h, f, n, GC_ESTAB);
    if (*estab && !all_digits(estab, 4, 4)) {
        SAY("%s: \"%.20s\" is not a 4-digit establishment number", col_names[GC_ESTAB], estab);
        return GIAS_ROW_BAD;
    }
    memcpy(out->estab, estab, strlen(estab) + 1);
    const char *status = field(h, f, n, GC_STATUS);
    const char *sc = gias_status_code(status);
    if (!sc) {
        SAY("%s: \"%.40s\" is not a GIAS status", col_names[GC_STATUS], status);
        return GIAS_ROW_BAD;
    }
    memcpy(out->status, sc, strlen(sc) + 1);
    const char *tcode = field(h, f, n, GC_TYPE_CODE), *tname = field(h, f, n, GC_TYPE_NAME);
    if (has_control(tname) || !fits(tname, out->type, sizeof out->type)) {
        SAY("%s: longer than 80 bytes or has control characters", col_names[GC_TYPE_NAME]);
        return GIAS_ROW_BAD;
    }
    const char *pc = field(h, f, n, GC_POSTCODE);
    for (const char *p = pc; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != ' ') {
            SAY("%s: \"%.20s\" is not a postcode", col_names[GC_POSTCODE], pc);
            return GIAS_ROW_BAD;
        }
    if (!fits(pc, out->postcode, sizeof out->postcode)) {
        SAY("%s: \"%.20s\" is not a postcode", col_names[GC_POSTCODE], pc);
        return GIAS_ROW_BAD;
    }
    const char *od = field(h, f, n, GC_OPEN), *cd = field(h, f, n, GC_CLOSE);
    if (gias_date(od, out->open_date) != 0) {
        SAY("%s: \"%.20s\" is not a date (dd-mm-yyyy)", col_names[GC_OPEN], od);
        return GIAS_ROW_BAD;
    }
    if (gias_date(cd, out->close_date) != 0) {
        SAY("%s: \"%.20s\" is not a date (dd-mm-yyyy)", col_names[GC_CLOSE], cd);
        return GIAS_ROW_BAD;
    }
    if (out->open_date[0] && out->close_date[0] && strcmp(out->close_date, out->open_date) < 0) {
        SAY("%s: before %s", col_names[GC_CLOSE], col_names[GC_OPEN]);
        return GIAS_ROW_BAD;
    }
    const char *np = field(h, f, n, GC_PUPILS);
    if (*np && !has_letters_only(np)) {
        if (!all_digits(np, 1, 6) || atol(np) > 100000) {
            SAY("%s: \"%.20s\" is not a number of pupils", col_names[GC_PUPILS], np);
            return GIAS_ROW_BAD;
        }
        out->pupils_on_roll = (int32_t)atol(np);
    }
    const char *fsm = field(h, f, n, GC_FSM_PCT);
    if (*fsm && !has_letters_only(fsm)) {
        char *end;
        double v = strtod(fsm, &end);
        if (*end || end == fsm || !(v >= 0 && v <= 100)) {
            SAY("%s: \"%.20s\" is not a percentage", col_names[GC_FSM_PCT], fsm);
            return GIAS_ROW_BAD;
        }
        out->fsm_pct = v;
    }
    const char *phase = field(h, f, n, GC_PHASE);
    const char *pcode = phase_of(tcode, tname, phase);
    if (!pcode) {
        if (known_phase_name(phase))
            SAY("%s: \"%.40s\" is not a phase TAS works with", col_names[GC_PHASE], phase);
        else
            SAY("%s: \"%.40s\" is not a GIAS phase", col_names[GC_PHASE], phase);
        return known_phase_name(phase) ? GIAS_ROW_SKIP : GIAS_ROW_BAD;
    }
    memcpy(out->phase, pcode, strlen(pcode) + 1);
    return GIAS_ROW_OK;
}

/* Windows-1252's 0x80..0x9F (the WHATWG encoding standard's index);
 * 0 for the five unassigned bytes, read as U+FFFD. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
    0x0178,
};

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))
            return 0;
        return 3;
    }
    if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

static bool valid_utf8(const char *in)
{
    const unsigned char *s = (const unsigned char *)in;
    while (*s) {
        size_t n = utf8_seq(s);
        if (!n)
            return false;
        s += n;
    }
    return true;
}

size_t gias_to_utf8(const char *in, char *out, size_t osz)
{
    if (valid_utf8(in)) {
        size_t n = strlen(in);
        if (n >= osz)
            return (size_t)-1;
        memcpy(out, in, n + 1);
        return n;
    }
    size_t o = 0;
    for (const unsigned char *s = (const unsigned char *)in; *s; s++) {
        unsigned cp = *s < 0x80 ? *s : *s < 0xA0 ? cp1252_high[*s - 0x80] : *s;
        if (!cp)
            cp = 0xFFFD;
        unsigned char b[3];
        size_t k;
        if (cp < 0x80) {
            b[0] = (unsigned char)cp;
            k = 1;
        } else if (cp < 0x800) {
            b[0] = (unsigned char)(0xC0 | (cp >> 6));
            b[1] = (unsigned char)(0x80 | (cp & 0x3F));
            k = 2;
        } else {
            b[0] = (unsigned char)(0xE0 | (cp >> 12));
            b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            b[2] = (unsigned char)(0x80 | (cp & 0x3F));
            k = 3;
        }
        if (o + k >= osz)
            return (size_t)-1;
        memcpy(out + o, b, k);
        o += k;
    }
    if (o >= osz)
        return (size_t)-1;
    out[o] = '\0';
    return o;
}
