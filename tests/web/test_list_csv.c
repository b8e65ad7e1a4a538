/* Tests for a list's JSON written as CSV (src/web/list_csv.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lib/buf.h"
#include "web/list_csv.h"

static char *csv_of(const char *json, const char *key, int *rc)
{
    json_error_t e;
    json_t *j = json_loads(json, 0, &e);
    assert_non_null(j);
    struct buf b = BUF_INIT;
    *rc = list_csv_write(&b, j, key);
    json_decref(j);
    char *s = strdup(buf_str(&b));
    buf_free(&b);
    return s;
}

static void columns_in_order_first_met(void **state)
{
    (void)state;
    int rc;
    char *s = csv_of("{\"total\": 2, \"pupils\": ["
                     "{\"id\": 1, \"surname\": \"Zo\\u00eb\", \"school\": {\"id\": 4, \"name\": \"St Ann's\"}},"
                     "{\"id\": 2, \"surname\": \"O'Brien\", \"sen\": null, \"lac\": true, \"flags\": [\"a\", \"b\"],"
                     " \"school\": {\"id\": 5, \"name\": \"Oak, \\\"the\\\" school\"}}]}",
                     "pupils", &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(s, "id,surname,school.id,school.name,sen,lac,flags\r\n"
                           "1,Zo\xc3\xab,4,St Ann's,,,\r\n"
                           "2,O'Brien,5,\"Oak, \"\"the\"\" school\",,yes,a; b\r\n");
    free(s);
}

static void formulas_inert_and_objects_named(void **state)
{
    (void)state;
    int rc;
    char *s = csv_of("{\"rows\": [{\"name\": \"=1+1\", \"n\": -3, \"x\": 1.5, \"f\": false,"
                     " \"owners\": [{\"id\": 9, \"name\": \"@Ann\"}, {\"label\": \"SENCO\"}, {\"id\": 3}]}]}",
                     "rows", &rc);
    assert_int_equal(rc, 0);
    /* A number the program wrote stays a number; text that looks like a
     * formula does not. */
    assert_string_equal(s, "name,n,x,f,owners\r\n\"'=1+1\",-3,1.5,no,\"'@Ann; SENCO; 3\"\r\n");
    free(s);
}

static void not_a_list(void **state)
{
    (void)state;
    int rc;
    char *s = csv_of("{\"pupils\": {\"id\": 1}}", "pupils", &rc);
    assert_int_equal(rc, -1);
    free(s);
    s = csv_of("{\"pupils\": []}", "pupils", &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(s, "\r\n");   /* no fields: an empty header row */
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(columns_in_order_first_met),
        cmocka_unit_test(formulas_inert_and_objects_named),
        cmocka_unit_test(not_a_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
