/* libFuzzer harness: the Common Transfer File reader (core/ctf.c, libxml2's
 * xmlTextReader) over arbitrary bytes, brought in reads of a size taken
 * from the input, so the stream's chunk boundaries are explored too.
 *
 * Properties: it ends with one of its results; every string field handed
 * on is NUL-terminated within its buffer; the counts stay within the
 * arrays; pupils are numbered 1, 2, 3, ... in order; the header comes at
 * most once and before any pupil; a refusal or malformation has a
 * message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
    const uint8_t *p;
    size_t len, off;
    int chunk;
};

static int src_read(void *io, char *buf, int len)
{
    struct src *s = io;
    size_t n = s->len - s->off;
    if (len > s->chunk)
        len = s->chunk;
    if (n > (size_t)len)
        n = (size_t)len;
    memcpy(buf, s->p + s->off, n);
    s->off += n;
    return (int)n;
}

struct seen {
    int headers;
    size_t pupils;
};

#define TERMINATED(f) (memchr((f), '\0', sizeof(f)) != NULL)

static int on_header(void *arg, const struct ctf_header *h)
{
    struct seen *s = arg;
    if (s->headers++ || s->pupils)
        abort();
    const struct ctf_school_id *ids[] = {&h->source, &h->dest};
    if (!TERMINATED(h->version) || !TERMINATED(h->export_date))
        abort();
    for (size_t i = 0; i < 2; i++)
        if (!TERMINATED(ids[i]->lea) || !TERMINATED(ids[i]->estab) || !TERMINATED(ids[i]->urn))
            abort();
    return 0;
}

static int on_pupil(void *arg, const struct ctf_pupil *p)
{
    struct seen *s = arg;
    if (p->index != ++s->pupils)
        abort();
    if (!TERMINATED(p->upn) || !TERMINATED(p->former_upn) || !TERMINATED(p->surname) || !TERMINATED(p->forename) || !TERMINATED(p->dob) ||
        !TERMINATED(p->gender) || !TERMINATED(p->ethnicity) || !TERMINATED(p->nc_year) ||
        !TERMINATED(p->sen_provision) || !TERMINATED(p->too_long))
        abort();
    if (p->nattendance > CTF_MAX_YEARS || p->nexclusions > CTF_MAX_EXCLUSIONS || p->nfsm > CTF_MAX_FSM)
        abort();
    for (size_t i = 0; i < p->nexclusions; i++)
        if (!TERMINATED(p->exclusions[i].category) || !TERMINATED(p->exclusions[i].reason) ||
            !TERMINATED(p->exclusions[i].start_date))
            abort();
    for (size_t i = 0; i < p->nfsm; i++)
        if (!TERMINATED(p->fsm[i].start_date) || !TERMINATED(p->fsm[i].end_date))
            abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct src in = {data + 1, size - 1, 0, 1 + data[0] % 64};
    struct seen s = {0};
    struct ctf_handler h = {on_header, on_pupil, &s, src_read, &in};
    struct ctf_error err;
    enum ctf_result r = ctf_parse(&h, &err);
    switch (r) {
    case CTF_OK:
        if (s.headers != 1)
            abort();
        break;
    case CTF_MALFORMED:
    case CTF_REFUSED:
        if (!err.message[0] || !TERMINATED(err.message))
            abort();
        break;
    case CTF_NO_MEMORY:
        break;
    default:
        abort();
    }
    return 0;
}
