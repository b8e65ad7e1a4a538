/* libFuzzer harness: a JSON request body as the dispatcher reads it
 * (json_loadb with JSON_REJECT_DUPLICATES, an object required; the call is
 * in dispatch.c's parse_body, which is static, so it is repeated here with
 * the same flags) and then read through the handlers' own parameter
 * readers in src/web/request.c: req_param, req_param_all and
 * req_date_parts.  The values then go through validate_pupil, as the
 * pupil handler does, so hostile text reaches the core validators too. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "lib/count.h"
#include "core/validate.h"
#include "web/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
    "upn", "forenames", "surname", "gender", "ethnicity", "nc_year",
    "sen_provision", "school_id", "team_id", "date", "notes", "",
};

static void read_all(struct req *rq)
{
    for (size_t i = 0; i < COUNT(names); i++) {
        const char *v = req_param(rq, names[i]);
        if (v)
            (void)strlen(v);
        const char *many[8];
        size_t n = req_param_all(rq, names[i], many, 8);
        if (n > 8)
            abort();
        for (size_t k = 0; k < n; k++)
            (void)strlen(many[k]);
    }
}

static void validate(struct req *rq)
{
    struct pupil_form f = {
        .upn = req_param(rq, "upn"),
        .forenames = req_param(rq, "forenames"),
        .surname = req_param(rq, "surname"),
        .gender = req_param(rq, "gender"),
        .ethnicity = req_param(rq, "ethnicity"),
        .nc_year = req_param(rq, "nc_year"),
        .sen_provision = req_param(rq, "sen_provision"),
        .school_id = req_param(rq, "school_id"),
    };
    req_date_parts(rq, "dob", "date_of_birth", &f.dob_day, &f.dob_month, &f.dob_year);
    struct pupil p;
    struct field_errors errs;
    memset(&p, 0, sizeof p);
    memset(&errs, 0, sizeof errs);
    (void)validate_pupil(&f, "2026-11-18", &p, &errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return 0;
    if (!json_is_object(j)) {
        json_decref(j);
        return 0;
    }
    struct req rq;
    memset(&rq, 0, sizeof rq);
    rq.json = j;
    read_all(&rq);
    validate(&rq);
    kvlist_free(&rq.scratch);
    json_decref(j);
    return 0;
}
