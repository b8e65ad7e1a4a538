/* Whole words and names in free text (core/text_words.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/text_words.h"

static bool word(const char *text, const char *w, bool digits)
{
    return text_has_word(text, w, strlen(w), digits);
}

static void test_words(void **state)
{
    (void)state;
    assert_true(word("Oak Hill Primary", "hill", false));
    assert_true(word("oak hill primary.", "Oak Hill Primary", false));
    assert_false(word("Oakhill Primary", "Oak", false));
    assert_false(word("", "Oak", false));
    assert_false(word("Oak", "", false));
    /* Digits: part of a word ("y6" is not in "y61"), or not ("Sam" is in "Sam2"). */
    assert_true(word("in y6 this term", "y6", true));
    assert_false(word("in y61 this term", "y6", true));
    assert_true(word("Sam2 said", "Sam", false));
    assert_false(word("Sam2 said", "Sam", true));
    /* A UTF-8 letter joins a word: "Zo" is not found in "Zoë". */
    assert_false(word("Zo\xc3\xab came", "Zo", false));
    assert_true(word("Zo\xc3\xab came", "Zo\xc3\xab", false));
}

static void test_name_parts(void **state)
{
    (void)state;
    assert_true(text_has_name_part("met amelia today", "Amelia Rose"));
    assert_true(text_has_name_part("the Jones family", "Smith-Jones"));
    assert_true(text_has_name_part("Rose, 7", "Amelia Rose"));
    /* Parts of one letter are too common to count; no name, no match. */
    assert_false(text_has_name_part("a b c", "A B"));
    assert_false(text_has_name_part("anything", NULL));
    assert_false(text_has_name_part("anything", " - "));
    assert_false(text_has_name_part("Ameliorate", "Amelia"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_name_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
