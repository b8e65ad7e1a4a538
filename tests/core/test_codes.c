/* Code lists: contents, lookups and the ethnicity roll-up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/codes.h"
#include "lib/count.h"

static void test_ethnicity_main_codes(void **state)
{
    (void)state;
    static const char *const want[20][2] = {
        {"WBRI", "White"}, {"WIRI", "White"}, {"WIRT", "White"}, {"WROM", "White"},
        {"WOTH", "White"},
        {"MWBC", "Mixed / Multiple ethnic groups"}, {"MWBA", "Mixed / Multiple ethnic groups"},
        {"MWAS", "Mixed / Multiple ethnic groups"}, {"MOTH", "Mixed / Multiple ethnic groups"},
        {"AIND", "Asian / Asian British"}, {"APKN", "Asian / Asian British"},
        {"ABAN", "Asian / Asian British"}, {"AOTH", "Asian / Asian British"},
        {"CHNE", "Asian / Asian British"},
        {"BCRB", "Black / African / Caribbean / Black British"},
        {"BAFR", "Black / African / Caribbean / Black British"},
        {"BOTH", "Black / African / Caribbean / Black British"},
        {"OOTH", "Other ethnic group"},
        {"REFU", "Unknown"}, {"NOBT", "Unknown"},
    };
    assert_int_equal(codes_ethnicity.count, 20);
    assert_string_equal(codes_ethnicity.name, "ethnicity");
    for (size_t i = 0; i < 20; i++) {
        const struct code_entry *e = code_find(&codes_ethnicity, want[i][0]);
        assert_non_null(e);
        assert_non_null(e->group);
        assert_string_equal(e->group, want[i][1]);
        assert_true(strlen(e->label) > 0);
        assert_string_equal(ethnicity_main_code(want[i][0]), want[i][0]);
    }
    assert_string_equal(code_label(&codes_ethnicity, "CHNE"), "Chinese");
    assert_string_equal(code_label(&codes_ethnicity, "NOBT"), "Information not yet obtained");
}

static void test_ethnicity_rollup(void **state)
{
    (void)state;
    static const char *const map[][2] = {
        {"WCOR", "WBRI"}, {"WENG", "WBRI"}, {"WNIR", "WBRI"}, {"WSCO", "WBRI"},
        {"WWEL", "WBRI"}, {"WOWB", "WBRI"},
        {"WALB", "WOTH"}, {"WBOS", "WOTH"}, {"WCRO", "WOTH"}, {"WGRE", "WOTH"},
        {"WGRK", "WOTH"}, {"WGRC", "WOTH"}, {"WITA", "WOTH"}, {"WKOS", "WOTH"},
        {"WPOR", "WOTH"}, {"WSER", "WOTH"}, {"WTUR", "WOTH"}, {"WTUK", "WOTH"},
        {"WTUC", "WOTH"}, {"WEUR", "WOTH"}, {"WEEU", "WOTH"}, {"WWEU", "WOTH"},
        {"WOTW", "WOTH"},
        {"WROG", "WROM"}, {"WROR", "WROM"}, {"WROO", "WROM"},
        {"MWAP", "MWAS"}, {"MWAI", "MWAS"}, {"MWAO", "MWAS"},
    };
    for (size_t i = 0; i < COUNT(map); i++) {
        const char *m = ethnicity_main_code(map[i][0]);
        assert_non_null(m);
        assert_string_equal(m, map[i][1]);
        /* Extended codes are not main codes. */
        assert_null(code_find(&codes_ethnicity, map[i][0]));
    }
    assert_null(ethnicity_main_code(NULL));
    assert_null(ethnicity_main_code(""));
    assert_null(ethnicity_main_code("wbri"));    /* case-sensitive */
    assert_null(ethnicity_main_code("XXXX"));
    assert_null(ethnicity_main_code("WBRIX"));
    assert_null(ethnicity_main_code("WBR"));
}

static void test_sen_provision(void **state)
{
    (void)state;
    assert_int_equal(codes_sen_provision.count, 3);
    assert_string_equal(code_label(&codes_sen_provision, "N"), "No special educational need");
    assert_string_equal(code_label(&codes_sen_provision, "K"), "SEN support");
    assert_string_equal(code_label(&codes_sen_provision, "E"), "EHC plan");
    assert_null(code_find(&codes_sen_provision, "S"));   /* pre-2014 statement */
    assert_null(code_find(&codes_sen_provision, "k"));
    assert_null(code_find(&codes_sen_provision, ""));
}

static void test_nc_year(void **state)
{
    (void)state;
    assert_int_equal(codes_nc_year.count, 18);
    assert_string_equal(codes_nc_year.entries[0].code, "N1");
    assert_string_equal(code_label(&codes_nc_year, "N1"), "Nursery 1");
    assert_string_equal(code_label(&codes_nc_year, "N2"), "Nursery 2");
    assert_string_equal(code_label(&codes_nc_year, "R"), "Reception");
    for (int y = 1; y <= 14; y++) {
        char code[12], label[24];
        snprintf(code, sizeof code, "%d", y);
        snprintf(label, sizeof label, "Year %d", y);
        assert_string_equal(code_label(&codes_nc_year, code), label);
        /* Listed in school order: N1 N2 R 1 .. 14 X */
        assert_string_equal(codes_nc_year.entries[2 + y].code, code);
    }
    assert_string_equal(code_label(&codes_nc_year, "X"), "Not following the National Curriculum");
    assert_null(code_find(&codes_nc_year, "0"));
    assert_null(code_find(&codes_nc_year, "15"));
    assert_null(code_find(&codes_nc_year, "01"));
    assert_null(code_find(&codes_nc_year, "M"));
}

static void test_gender_phase_need(void **state)
{
    (void)state;
    assert_int_equal(codes_gender.count, 4);
    assert_string_equal(code_label(&codes_gender, "M"), "Male");
    assert_string_equal(code_label(&codes_gender, "F"), "Female");
    assert_string_equal(code_label(&codes_gender, "X"), "Non-binary or other");
    assert_string_equal(code_label(&codes_gender, "U"), "Not recorded");
    assert_null(code_find(&codes_gender, "m"));

    static const char *const phases[] = {"nursery", "primary", "middle", "secondary",
                                         "all-through", "special", "ap"};
    assert_int_equal(codes_phase.count, 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(codes_phase.entries[i].code, phases[i]);
    assert_string_equal(code_label(&codes_phase, "ap"), "Alternative provision");
    assert_string_equal(code_label(&codes_phase, "all-through"), "All-through");
    assert_null(code_find(&codes_phase, "Primary"));

    static const char *const needs[] = {"SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI",
                                        "VI", "MSI", "PD", "ASD", "DS", "OTH", "NSA"};
    assert_int_equal(codes_sen_need.count, 14);
    for (size_t i = 0; i < 14; i++) {
        assert_string_equal(codes_sen_need.entries[i].code, needs[i]);
        assert_true(strlen(codes_sen_need.entries[i].label) > 0);
    }
    assert_string_equal(code_label(&codes_sen_need, "DS"), "Down syndrome");
}

/* Every list: codes unique, labels present, group only for ethnicity. */
static void test_all_lists_well_formed(void **state)
{
    (void)state;
    const struct code_list *lists[] = {&codes_ethnicity, &codes_sen_provision, &codes_nc_year,
                                       &codes_gender, &codes_phase, &codes_sen_need};
    for (size_t l = 0; l < COUNT(lists); l++) {
        const struct code_list *cl = lists[l];
        assert_non_null(cl->name);
        for (size_t i = 0; i < cl->count; i++) {
            const struct code_entry *e = &cl->entries[i];
            assert_non_null(e->code);
            assert_non_null(e->label);
            assert_ptr_equal(code_find(cl, e->code), e);
            if (cl == &codes_ethnicity)
                assert_non_null(e->group);
            else
                assert_null(e->group);
        }
    }
    assert_null(code_find(NULL, "M"));
    assert_null(code_find(&codes_gender, NULL));
    assert_null(code_label(&codes_gender, "Z"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ethnicity_main_codes),
        cmocka_unit_test(test_ethnicity_rollup),
        cmocka_unit_test(test_sen_provision),
        cmocka_unit_test(test_nc_year),
        cmocka_unit_test(test_gender_phase_need),
        cmocka_unit_test(test_all_lists_well_formed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
