/* libFuzzer harness: the CSV writer (src/lib/csv.c) round trip.  The input
 * is cut into rows at 0x01 and fields at 0x00; each row is written with
 * csv_text and csv_end_row, then read back with the RFC 4180 reader below
 * (written here, the writer's contract as a reader sees it).
 *
 * Properties: the same number of rows and fields comes back; each field
 * comes back as it was, with a ' in front when it starts with a formula
 * character (= + - @ tab CR); and no field as read starts with a formula
 * character, so no spreadsheet runs it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_formula(const char *s)
{
    return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

/* Reads one field at *p into out; returns 1 at the end of a row, 0 before
 * another field, -1 on malformed text. */
static int read_field(const char **p, const char *end, struct buf *out)
{
    const char *q = *p;
    buf_reset(out);
    buf_puts(out, "");
    if (q < end && *q == '"') {
        for (q++;; q++) {
            if (q >= end)
                return -1;
            if (*q == '"') {
                if (q + 1 < end && q[1] == '"') {
                    buf_putc(out, '"');
                    q++;
                    continue;
                }
                q++;
                break;
            }
            buf_putc(out, *q);
        }
    } else {
        while (q < end && *q != ',' && *q != '\r')
            buf_putc(out, *q++);
    }
    if (q < end && *q == ',') {
        *p = q + 1;
        return 0;
    }
    if (end - q >= 2 && q[0] == '\r' && q[1] == '\n') {
        *p = q + 2;
        return 1;
    }
    return -1;
}

/* Compares field `got` with what the writer promises for `want`. */
static void expect(const char *want, const char *got)
{
    if (is_formula(got))
        abort(); /* a spreadsheet would run it */
    if (is_formula(want)) {
        if (got[0] != '\'' || strcmp(got + 1, want) != 0)
            abort();
    } else if (strcmp(got, want) != 0) {
        abort();
    }
}

/* Writes the fields (row ends where ends[k]) and reads them back. */
static void round_trip(const char *const *fields, const unsigned char *ends, size_t nf)
{
    struct buf b = BUF_INIT;
    struct csv w = CSV_INIT(&b);
    for (size_t k = 0; k < nf; k++) {
        csv_text(&w, fields[k]);
        if (ends[k])
            csv_end_row(&w);
    }
    if (b.failed)
        abort();
    struct buf field = BUF_INIT;
    const char *p = buf_str(&b), *end = p + b.len;
    for (size_t k = 0; k < nf; k++) {
        int r = read_field(&p, end, &field);
        if (r < 0 || r != ends[k])
            abort();
        expect(fields[k], buf_str(&field));
    }
    if (p != end)
        abort();
    buf_free(&field);
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    /* A copy whose separators become NULs, so each field is a C string. */
    char *in = malloc(size + 1);
    const char **fields = malloc((size + 1) * sizeof *fields);
    unsigned char *ends = malloc(size + 1);
    if (!in || !fields || !ends)
        goto out;
    memcpy(in, data, size);
    size_t nf = 0;
    const char *start = in;
    for (size_t i = 0; i <= size; i++) {
        if (i < size && data[i] != 0 && data[i] != 1)
            continue;
        in[i] = '\0';
        fields[nf] = start;
        ends[nf++] = i == size || data[i] == 1;
        start = in + i + 1;
    }
    round_trip(fields, ends, nf);
out:
    free(in);
    free(fields);
    free(ends);
    return 0;
}
