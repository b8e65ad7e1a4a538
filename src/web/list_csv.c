#include "web/list_csv.h"
#include "lib/count.h"

#include <stdio.h>
#include <string.h>

#include "lib/csv.h"

/* Adds the columns of row (under prefix) to names, once each, in order. */
static void collect(json_t *names, json_t *seen, const char *prefix, json_t *row)
{
    const char *k;
    json_t *v;
    json_object_foreach(row, k, v) {
        char name[256];
        snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", k);
        if (json_is_object(v)) {
            collect(names, seen, name, v);
        }
        else if (!json_object_get(seen, name)) {
            json_object_set_new(seen, name, json_true());
            json_array_append_new(names, json_string(name));
        }
    }
}

/* The value at a dotted column name, or NULL. */
static const json_t *at(const json_t *row, const char *name)
{
    char part[256];
    while (row && json_is_object(row)) {
        const char *dot = strchr(name, '.');
        if (!dot)
            return json_object_get(row, name);
        size_t n = (size_t)(dot - name);
        if (n >= sizeof part)
            return NULL;
        memcpy(part, name, n);
        part[n] = '\0';
        row = json_object_get(row, part);
        name = dot + 1;
    }
    return NULL;
}

/* A scalar as text into b (empty for null and for what has no text). */
static void scalar(const json_t *v, struct buf *b)
{
    char num[64];
    switch (json_typeof(v)) {
    case JSON_STRING: buf_puts(b, json_string_value(v)); break;
    case JSON_INTEGER: snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)); buf_puts(b, num); break;
    case JSON_REAL: snprintf(num, sizeof num, "%.15g", json_real_value(v)); buf_puts(b, num); break;
    case JSON_TRUE: buf_puts(b, "yes"); break;
    case JSON_FALSE: buf_puts(b, "no"); break;
    case JSON_OBJECT: {
        static const char *const named[] = {"name", "label", "id"};
        for (size_t i = 0; i < COUNT(named); i++) {
            const json_t *n = json_object_get(v, named[i]);
            if (n && !json_is_object(n) && !json_is_array(n)) {
                scalar(n, b);
                break;
            }
        }
        break;
    }
    default: break;
    }
}

static void cell(struct csv *w, const json_t *v)
{
    if (!v || json_is_null(v)) {
        csv_text(w, NULL);
        return;
    }
    if (json_is_integer(v)) {
        csv_int(w, json_integer_value(v));
        return;
    }
    struct buf b = BUF_INIT;
    if (json_is_array(v)) {
        size_t i;
        const json_t *e;
        json_array_foreach(v, i, e) {
            if (i)
                buf_puts(&b, "; ");
            scalar(e, &b);
        }
    }
    else
        scalar(v, &b);
    csv_text(w, buf_str(&b));   /* text, so a "-1" typed by someone stays inert */
    buf_free(&b);
}

int list_csv_write(struct buf *out, const json_t *data, const char *key)
{
    const json_t *rows = json_object_get(data, key);
    if (!json_is_array(rows))
        return -1;
    json_t *names = json_array(), *seen = json_object();
    size_t i, c;
    json_t *row, *name;
    json_array_foreach(rows, i, row)
        if (json_is_object(row))
            collect(names, seen, "", row);
    struct csv w = CSV_INIT(out);
    json_array_foreach(names, c, name)
        csv_text(&w, json_string_value(name));
    csv_end_row(&w);
    json_array_foreach(rows, i, row) {
        if (!json_is_object(row))
            continue;
        json_array_foreach(names, c, name)
            cell(&w, at(row, json_string_value(name)));
        csv_end_row(&w);
    }
    json_decref(names);
    json_decref(seen);
    return 0;
}
