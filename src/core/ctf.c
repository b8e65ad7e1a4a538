/* Common Transfer File reading with libxml2's xmlTextReader (see ctf.h).
 * Element names: DfE "Common transfer file 25: specification"; the same
 * names are used by DfE's get-information-about-pupils XmlCtfFormatter. */
#include "core/ctf.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#define MAX_DEPTH 48
#define NAME_MAX_LEN 40
#define TEXT_MAX 256

struct state {
    const struct ctf_handler *h;
    struct ctf_header header;
    struct ctf_pupil *pupil;
    bool in_pupil, header_sent, saw_root, saw_data;
    size_t npupils;
    int depth;
    char stack[MAX_DEPTH][NAME_MAX_LEN];
    char text[TEXT_MAX + 1];
    size_t textlen;
    bool text_over;
    bool xml_error;
    long xml_error_line;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_parser(void)
{
    xmlInitParser();
}

/* libxml2 reports some errors (encoding, I/O) through its generic handler,
 * which prints to stderr; nothing of a file goes to a log, so it is
 * silenced (the handler is per thread). */
static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static int io_read(void *ctx, char *buf, int len)
{
    const struct state *s = ctx;
    return s->h->read(s->h->io, buf, len);
}

static int io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* libxml2's messages are not passed on (they may quote the file); only
 * that there was one and where. */
static void on_error(void *arg, xmlErrorPtr e)
{
    struct state *s = arg;
    if (!e || e->level < XML_ERR_ERROR)
        return;
    if (!s->xml_error) {
        s->xml_error = true;
        s->xml_error_line = e->line;
    }
}

static const char *parent(const struct state *s, int up)
{
    int i = s->depth - 1 - up;
    return i >= 0 ? s->stack[i] : "";
}

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* Copies the element's text into a field, flagging one that does not fit. */
static void put(struct state *s, char *dst, size_t n, const char *name)
{
    if (s->text_over || s->textlen >= n) {
        if (s->pupil && !s->pupil->too_long[0] && s->in_pupil)
            snprintf(s->pupil->too_long, sizeof s->pupil->too_long, "%s", name);
        dst[0] = '\0';
        return;
    }
    memcpy(dst, s->text, s->textlen + 1);
}

static int64_t number(const char *t)
{
    if (!*t || strlen(t) > 9)
        return -1;
    int64_t v = 0;
    for (const char *p = t; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* The end of an element whose text is in s->text: stored where it belongs. */
static void end_element(struct state *s, const char *name)
{
    const char *p1 = parent(s, 1), *p2 = parent(s, 2);
    if (!s->in_pupil) {
        struct ctf_header *h = &s->header;
        char tmp[TEXT_MAX + 1];
        if (s->depth != 3 && s->depth != 4)
            return;
        if (is(p1, "Header") && s->depth == 3 && is(name, "CTFversion"))
            put(s, h->version, sizeof h->version, name);
        else if (is(p1, "Header") && s->depth == 3 && is(name, "DateTime")) {
            put(s, tmp, sizeof tmp, name);
            if (strlen(tmp) >= 10) {
                memcpy(h->export_date, tmp, 10);
                h->export_date[10] = '\0';
            }
        } else if ((is(p1, "SourceSchool") || is(p1, "DestSchool")) && is(p2, "Header") && s->depth == 4) {
            struct ctf_school_id *id = is(p1, "SourceSchool") ? &h->source : &h->dest;
            if (is(name, "LEA"))
                put(s, id->lea, sizeof id->lea, name);
            else if (is(name, "Estab"))
                put(s, id->estab, sizeof id->estab, name);
            else if (is(name, "URN"))
                put(s, id->urn, sizeof id->urn, name);
            else if (is(name, "AcademicYear") && id == &h->source) {
                put(s, tmp, sizeof tmp, name);
                int64_t y = number(tmp);
                h->academic_year = y >= 1900 && y <= 2100 ? (int)y : 0;
            }
        }
        return;
    }
    struct ctf_pupil *pp = s->pupil;
    bool top = is(p1, "Pupil"), basic = is(p1, "BasicDetails") && is(p2, "Pupil");
    if (top && is(name, "UPN"))
        put(s, pp->upn, sizeof pp->upn, name);
    else if (top && is(name, "Surname"))
        put(s, pp->surname, sizeof pp->surname, name);
    else if (top && is(name, "Forename"))
        put(s, pp->forename, sizeof pp->forename, name);
    else if (top && is(name, "DOB"))
        put(s, pp->dob, sizeof pp->dob, name);
    else if (top && (is(name, "Gender") || is(name, "Sex")))
        put(s, pp->gender, sizeof pp->gender, name);
    else if ((top || basic) && is(name, "FormerUPN"))
        put(s, pp->former_upn, sizeof pp->former_upn, name);
    else if ((top || basic) && is(name, "Ethnicity"))
        put(s, pp->ethnicity, sizeof pp->ethnicity, name);
    else if ((top || basic) && is(name, "NCyearActual"))
        put(s, pp->nc_year, sizeof pp->nc_year, name);
    else if (is(p1, "SEN") && is(p2, "SENhistory")) {
        if (is(name, "StartDate"))
            put(s, pp->sen_cur_date_, sizeof pp->sen_cur_date_, name);
        else if (is(name, "SENprovision"))
            put(s, pp->sen_cur_prov_, sizeof pp->sen_cur_prov_, name);
    } else if (is(name, "SEN") && is(p1, "SENhistory")) {
        /* The latest entry wins (ISO dates compare as text); a tie, the later one. */
        if (pp->sen_cur_prov_[0] && strcmp(pp->sen_cur_date_, pp->sen_date_) >= 0) {
            memcpy(pp->sen_date_, pp->sen_cur_date_, sizeof pp->sen_date_);
            memcpy(pp->sen_provision, pp->sen_cur_prov_, sizeof pp->sen_provision);
        }
    } else if (is(p1, "YearData") && is(p2, "Attendance") && pp->nattendance > 0) {
        struct ctf_attendance *a = &pp->attendance[pp->nattendance - 1];
        char tmp[TEXT_MAX + 1];
        put(s, tmp, sizeof tmp, name);
        if (is(name, "Year")) {
            int64_t y = number(tmp);
            a->year = y >= 1900 && y <= 2100 ? (int)y : 0;
        } else if (is(name, "AttendanceStartDate"))
            snprintf(a->start_date, sizeof a->start_date, "%.10s", tmp);
        else if (is(name, "SessionsPossible"))
            a->possible = number(tmp);
        else if (is(name, "SessionsAuthorised"))
            a->authorised = number(tmp);
        else if (is(name, "SessionsUnauthorised"))
            a->unauthorised = number(tmp);
    } else if (is(p1, "Exclusion") && is(p2, "Exclusions") && pp->nexclusions > 0) {
        struct ctf_exclusion *x = &pp->exclusions[pp->nexclusions - 1];
        char tmp[TEXT_MAX + 1];
        put(s, tmp, sizeof tmp, name);
        if (is(name, "StartDate"))
            snprintf(x->start_date, sizeof x->start_date, "%.10s", tmp);
        else if (is(name, "Category"))
            put(s, x->category, sizeof x->category, name);
        else if (is(name, "Reason"))
            put(s, x->reason, sizeof x->reason, name);
        else if (strncmp(name, "Sessions", 8) == 0)
            x->sessions = number(tmp);
    } else if (is(p1, "FSMinstance") && is(p2, "FSMhistory") && pp->nfsm > 0) {
        struct ctf_fsm *f = &pp->fsm[pp->nfsm - 1];
        char tmp[TEXT_MAX + 1];
        put(s, tmp, sizeof tmp, name);
        if (is(name, "FSMstartDate"))
            snprintf(f->start_date, sizeof f->start_date, "%.10s", tmp);
        else if (is(name, "FSMendDate"))
            snprintf(f->end_date, sizeof f->end_date, "%.10s", tmp);
    }
}

/* The start of an element (depth already counts it). */
static enum ctf_result start_element(struct state *s, const char *name, long line, struct ctf_error *err)
{
    const char *p1 = parent(s, 1);
    if (s->depth == 1) {
        /* The admissions variant (root ATfile: places a local authority
         * offers, sent to the admitting schools) is not pupils on a
         * school's roll; it is named as such rather than "not a CTF". */
        if (is(name, "ATfile")) {
            err->line = line;
            snprintf(err->message, sizeof err->message,
                     "this is an admissions transfer file (ATfile), which is not imported: import the school's "
                     "own Common Transfer File once the pupils are on roll");
            return CTF_MALFORMED;
        }
        if (!is(name, "CTfile")) {
            err->line = line;
            snprintf(err->message, sizeof err->message, "this is not a Common Transfer File (the root must be CTfile)");
            return CTF_MALFORMED;
        }
        s->saw_root = true;
        return CTF_OK;
    }
    if (is(name, "CTFpupilData") && s->depth == 2) {
        s->saw_data = true;
        if (!s->header_sent) {
            s->header_sent = true;
            if (s->h->header && s->h->header(s->h->arg, &s->header) != 0)
                return CTF_STOPPED;
        }
        return CTF_OK;
    }
    if (is(name, "Pupil") && s->depth == 3 && is(p1, "CTFpupilData")) {
        memset(s->pupil, 0, sizeof *s->pupil);
        s->pupil->index = ++s->npupils;
        s->pupil->line = line;
        s->in_pupil = true;
        return CTF_OK;
    }
    if (!s->in_pupil)
        return CTF_OK;
    struct ctf_pupil *pp = s->pupil;
    if (is(name, "YearData") && is(p1, "Attendance")) {
        if (pp->nattendance == CTF_MAX_YEARS) {
            pp->too_many = true;
            return CTF_OK;
        }
        struct ctf_attendance *a = &pp->attendance[pp->nattendance++];
        memset(a, 0, sizeof *a);
        a->possible = a->authorised = a->unauthorised = -1;
    } else if (is(name, "Exclusion") && is(p1, "Exclusions")) {
        if (pp->nexclusions == CTF_MAX_EXCLUSIONS) {
            pp->too_many = true;
            return CTF_OK;
        }
        struct ctf_exclusion *x = &pp->exclusions[pp->nexclusions++];
        memset(x, 0, sizeof *x);
        x->sessions = -1;
    } else if (is(name, "FSMinstance") && is(p1, "FSMhistory")) {
        if (pp->nfsm == CTF_MAX_FSM) {
            pp->too_many = true;
            return CTF_OK;
        }
        memset(&pp->fsm[pp->nfsm++], 0, sizeof pp->fsm[0]);
    } else if (is(name, "SEN") && is(p1, "SENhistory")) {
        pp->sen_cur_date_[0] = pp->sen_cur_prov_[0] = '\0';
    }
    return CTF_OK;
}

/* Trims the element's text (spaces, tabs, line ends) in place. */
static void trim_text(struct state *s)
{
    size_t a = 0, n = s->textlen;
    while (a < n && strchr(" \t\r\n", s->text[a]))
        a++;
    while (n > a && strchr(" \t\r\n", s->text[n - 1]))
        n--;
    memmove(s->text, s->text + a, n - a);
    s->textlen = n - a;
    s->text[s->textlen] = '\0';
}

static void add_text(struct state *s, const char *t)
{
    size_t n = strlen(t);
    if (s->textlen + n > TEXT_MAX) {
        s->text_over = true;
        return;
    }
    memcpy(s->text + s->textlen, t, n + 1);
    s->textlen += n;
}

/* After an element ends: its text stored, the stack popped, a Pupil handed on. */
static enum ctf_result close_element(struct state *s, const char *name)
{
    trim_text(s);
    end_element(s, name);
    s->textlen = 0;
    s->text[0] = '\0';
    s->text_over = false;
    if (s->in_pupil && s->depth == 3 && is(name, "Pupil")) {
        s->in_pupil = false;
        if (s->h->pupil && s->h->pupil(s->h->arg, s->pupil) != 0)
            return CTF_STOPPED;
    }
    s->depth--;
    return CTF_OK;
}

static enum ctf_result run(xmlTextReaderPtr r, struct state *s, struct ctf_error *err)
{
    int rc;
    while ((rc = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        /* The node's own line: the parser (xmlTextReaderGetParserLineNumber)
         * has read ahead by then, so its line is where it is, not the tag's. */
        xmlNodePtr node = xmlTextReaderCurrentNode(r);
        long line = node ? xmlGetLineNo(node) : -1;
        if (line <= 0)
            line = xmlTextReaderGetParserLineNumber(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE ||
            type == XML_READER_TYPE_ENTITY) {
            err->line = line;
            snprintf(err->message, sizeof err->message,
                     "a DOCTYPE or entity is not accepted in a Common Transfer File");
            return CTF_REFUSED;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *name = (const char *)xmlTextReaderConstLocalName(r);
            if (!name)
                return CTF_NO_MEMORY;
            if (s->depth == MAX_DEPTH) {
                err->line = line;
                snprintf(err->message, sizeof err->message, "elements are nested too deeply");
                return CTF_MALFORMED;
            }
            snprintf(s->stack[s->depth++], NAME_MAX_LEN, "%s", name);
            s->textlen = 0;
            s->text[0] = '\0';
            s->text_over = false;
            enum ctf_result st = start_element(s, s->stack[s->depth - 1], line, err);
            if (st != CTF_OK)
                return st;
            if (xmlTextReaderIsEmptyElement(r) == 1 && (st = close_element(s, s->stack[s->depth - 1])) != CTF_OK)
                return st;
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (s->depth <= 0)
                break;
            char name[NAME_MAX_LEN];
            memcpy(name, s->stack[s->depth - 1], sizeof name);
            enum ctf_result st = close_element(s, name);
            if (st != CTF_OK)
                return st;
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (v)
                add_text(s, v);
        }
    }
    if (rc != 0 || s->xml_error) {
        err->line = s->xml_error_line ? s->xml_error_line : xmlTextReaderGetParserLineNumber(r);
        snprintf(err->message, sizeof err->message, "the XML is not well-formed");
        return CTF_MALFORMED;
    }
    if (!s->saw_root || !s->saw_data) {
        err->line = 0;
        snprintf(err->message, sizeof err->message,
                 s->saw_root ? "the file has no CTFpupilData" : "this is not a Common Transfer File (no CTfile)");
        return CTF_MALFORMED;
    }
    return CTF_OK;
}

enum ctf_result ctf_parse(const struct ctf_handler *h, struct ctf_error *err)
{
    memset(err, 0, sizeof *err);
    pthread_once(&init_once, init_parser);
    xmlSetGenericErrorFunc(NULL, silent);
    xmlSetStructuredErrorFunc(NULL, NULL);
    struct state *s = xmlMalloc(sizeof *s);
    struct ctf_pupil *p = xmlMalloc(sizeof *p);
    if (!s || !p) {
        xmlFree(s);
        xmlFree(p);
        return CTF_NO_MEMORY;
    }
    memset(s, 0, sizeof *s);
    memset(p, 0, sizeof *p);
    s->h = h;
    s->pupil = p;
    /* XML_PARSE_NONET: nothing fetched; no XML_PARSE_NOENT (entities are
     * not substituted), no XML_PARSE_DTDLOAD / DTDATTR / DTDVALID (no DTD
     * is read), no XML_PARSE_HUGE (libxml2's own size limits hold). */
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlTextReaderPtr r = xmlReaderForIO(io_read, io_close, s, NULL, NULL, opts);
    enum ctf_result st;
    if (!r) {
        st = CTF_MALFORMED;
        snprintf(err->message, sizeof err->message, "the file is empty or cannot be read");
    } else {
        xmlTextReaderSetStructuredErrorHandler(r, on_error, s);
        st = run(r, s, err);
        xmlFreeTextReader(r);
    }
    if (st == CTF_NO_MEMORY)
        snprintf(err->message, sizeof err->message, "out of memory reading the file");
    xmlFree(p);
    xmlFree(s);
    return st;
}
