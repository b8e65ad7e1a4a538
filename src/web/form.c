#include "web/form.h"

#include <stdio.h>
#include <string.h>

void fld_set(json_t *field, const char *key, const char *s)
{
    if (s)
        json_object_set_new(field, key, json_string(s));
}

json_t *fld_number(json_t *field, const char *width_class, const char *inputmode)
{
    fld_set(field, "width_class", width_class);
    fld_set(field, "inputmode", inputmode);
    return field;
}

static json_t *base(const char *name, const char *label_key, const char *label,
                    const struct field_errors *e, const char *hint)
{
    char id[48];
    snprintf(id, sizeof id, "f-%s", name);
    json_t *f = json_object();
    fld_set(f, "name", name);
    fld_set(f, "id", id);
    fld_set(f, label_key, label);
    fld_set(f, "hint", hint);
    fld_set(f, "error", e ? field_errors_get(e, name) : NULL);
    return f;
}

json_t *fld_input(const char *name, const char *label, const char *value,
                  const struct field_errors *e, const char *hint)
{
    json_t *f = base(name, "label", label, e, hint);
    fld_set(f, "value", value ? value : "");
    fld_set(f, "type", "text");
    return f;
}

json_t *fld_file(const char *name, const char *label, const struct field_errors *e, const char *hint,
                 const char *accept)
{
    json_t *f = base(name, "label", label, e, hint);
    fld_set(f, "type", "file");
    fld_set(f, "accept", accept);
    json_object_set_new(f, "file", json_true());
    return f;
}

void fld_add_id_option(json_t *field, int64_t id, const char *label, const char *current)
{
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)id);
    fld_add_option(field, v, label, current);
}

void fld_choice_add(struct fld_choice *o, int64_t id, const char *label)
{
    fld_add_id_option(o->field, id, label, o->current);
}

json_t *fld_select(const char *name, const char *label, const struct field_errors *e, const char *hint)
{
    return base(name, "label", label, e, hint);
}

void fld_add_option(json_t *field, const char *value, const char *label, const char *current)
{
    json_t *opts = json_object_get(field, "options");
    if (!opts) {
        opts = json_array();
        json_object_set_new(field, "options", opts);
    }
    json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", value, "label", label,
                                          "selected", current && strcmp(current, value) == 0));
}

json_t *fld_select_codes(const char *name, const char *label, const char *value,
                         const struct field_errors *e, const struct code_list *l,
                         const char *blank_label)
{
    json_t *f = base(name, "label", label, e, NULL);
    if (blank_label)
        fld_add_option(f, "", blank_label, value ? value : "");
    for (size_t i = 0; i < l->count; i++) {
        char text[200];
        if (l->entries[i].group)
            snprintf(text, sizeof text, "%s: %s", l->entries[i].group, l->entries[i].label);
        else
            snprintf(text, sizeof text, "%s", l->entries[i].label);
        fld_add_option(f, l->entries[i].code, text, value);
    }
    return f;
}

json_t *fld_radios(const char *name, const char *legend, const struct field_errors *e, int inline_)
{
    json_t *f = base(name, "legend", legend, e, NULL);
    json_object_set_new(f, "inline", json_boolean(inline_));
    json_object_set_new(f, "items", json_array());
    return f;
}

json_t *fld_radios_codes(const char *name, const char *legend, const char *value,
                         const struct field_errors *e, const struct code_list *l, int inline_)
{
    json_t *f = fld_radios(name, legend, e, inline_);
    json_t *items = json_object_get(f, "items");
    for (size_t i = 0; i < l->count; i++)
        json_array_append_new(items, json_pack("{s:s, s:s, s:b}", "value", l->entries[i].code,
                                               "label", l->entries[i].label, "checked",
                                               value && strcmp(value, l->entries[i].code) == 0));
    return f;
}

json_t *fld_date(const char *name, const char *legend, const char *day, const char *month,
                 const char *year, const struct field_errors *e, const char *hint)
{
    json_t *f = base(name, "legend", legend, e, hint);
    /* The error summary links to the first box (view_render). */
    char focus[64];
    snprintf(focus, sizeof focus, "f-%s-day", name);
    fld_set(f, "focus", focus);
    fld_set(f, "day", day ? day : "");
    fld_set(f, "month", month ? month : "");
    fld_set(f, "year", year ? year : "");
    return f;
}

json_t *fld_textarea(const char *name, const char *label, const char *value, const struct field_errors *e,
                     const char *hint)
{
    json_t *f = fld_input(name, label, value, e, hint);
    json_object_del(f, "type");
    json_object_set_new(f, "rows", json_integer(4));
    return f;
}

json_t *fld_select_blank(const char *name, const char *label, const struct field_errors *e, const char *hint,
                         const char *blank_label, const char *current)
{
    json_t *f = fld_input(name, label, NULL, e, hint);
    json_object_del(f, "value");
    json_object_del(f, "type");
    fld_add_option(f, "", blank_label, current ? current : "");
    return f;
}
