#include "web/records_json.h"

#include <stdio.h>
#include <string.h>

#include "core/codes.h"

static json_t *label_or_code(const struct code_list *l, const char *code)
{
    const char *lab = code_label(l, code);
    return json_string(lab ? lab : code);
}

json_t *json_authority(const struct authority *a)
{
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)a->id, "la_code", a->la_code, "name", a->name);
}

static json_t *opt_number(double v, int is_int)
{
    if (v < 0)
        return json_null();
    return is_int ? json_integer((json_int_t)v) : json_real(v);
}

json_t *json_school(const struct school *s)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)s->id,
                          "authority_id", (json_int_t)s->authority_id, "urn", s->urn, "name",
                          s->name, "phase", s->phase, "tas_member", s->tas_member);
    json_object_set_new(o, "phase_label", label_or_code(&codes_phase, s->phase));
    json_object_set_new(o, "pupils_on_roll", opt_number(s->pupils_on_roll, 1));
    json_object_set_new(o, "fsm_pct", opt_number(s->fsm_pct, 0));
    json_object_set_new(o, "sen_pct", opt_number(s->sen_pct, 0));
    return o;
}

json_t *json_pupil(const struct pupil_row *r)
{
    const struct pupil *p = &r->p;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)p->id,
                          "upn", p->upn, "forenames", p->forenames, "surname", p->surname,
                          "date_of_birth", p->date_of_birth, "gender", p->gender, "ethnicity",
                          p->ethnicity, "nc_year", p->nc_year, "sen_provision", p->sen_provision);
    const struct code_entry *eth = code_find(&codes_ethnicity, p->ethnicity);
    json_object_set_new(o, "gender_label", label_or_code(&codes_gender, p->gender));
    json_object_set_new(o, "ethnicity_label", json_string(eth ? eth->label : p->ethnicity));
    json_object_set_new(o, "ethnicity_group", json_string(eth && eth->group ? eth->group : "Unknown"));
    json_object_set_new(o, "nc_year_label", label_or_code(&codes_nc_year, p->nc_year));
    json_object_set_new(o, "sen_provision_label", label_or_code(&codes_sen_provision, p->sen_provision));
    json_object_set_new(o, "school", json_pack("{s:I, s:s}", "id", (json_int_t)p->school_id, "name",
                                               r->school_name));
    return o;
}

json_t *json_paging(int64_t page, int64_t per_page, int64_t total, const char *base)
{
    int64_t pages = total ? (total + per_page - 1) / per_page : 1;
    json_t *o = json_pack("{s:I, s:I, s:I, s:I}", "page", (json_int_t)page, "per_page",
                          (json_int_t)per_page, "total", (json_int_t)total, "pages", (json_int_t)pages);
    if (pages <= 1)
        return o;
    /* Links keep a chosen page size (25 is the default). */
    char with_size[560];
    if (per_page != 25) {
        snprintf(with_size, sizeof with_size, "%s%sper_page=%lld", base, strchr(base, '?') ? "&" : "?",
                 (long long)per_page);
        base = with_size;
    }
    const char *sep = strchr(base, '?') ? "&" : "?";
    char href[600];
    json_t *pg = json_object();
    if (page > 1) {
        snprintf(href, sizeof href, "%s%spage=%lld", base, sep, (long long)(page - 1));
        json_object_set_new(pg, "prev_href", json_string(href));
    }
    if (page < pages) {
        snprintf(href, sizeof href, "%s%spage=%lld", base, sep, (long long)(page + 1));
        json_object_set_new(pg, "next_href", json_string(href));
    }
    /* First, last, and two either side of the current page, with gaps. */
    json_t *items = json_array();
    int64_t last_shown = 0;
    for (int64_t i = 1; i <= pages; i++) {
        if (i != 1 && i != pages && (i < page - 2 || i > page + 2))
            continue;
        if (last_shown && i > last_shown + 1)
            json_array_append_new(items, json_pack("{s:b}", "ellipsis", 1));
        snprintf(href, sizeof href, "%s%spage=%lld", base, sep, (long long)i);
        json_array_append_new(items, json_pack("{s:I, s:s, s:b}", "number", (json_int_t)i, "href",
                                               href, "current", i == page));
        last_shown = i;
    }
    json_object_set_new(pg, "items", items);
    json_object_set_new(o, "pagination", pg);
    return o;
}
