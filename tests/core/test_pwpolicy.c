/* The password policy over a small block-list, and over the real one
 * compiled into the binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/pwpolicy.h"
#include "lib/count.h"
#include "lib/embedded.h"

static const char small[] = "123456789012\nbaseball\nletmein\npassword\nqwertyuiopas\nzzzzzzzzzzzzzzzzz\n";

static void list_search(void **state)
{
    (void)state;
    size_t n = sizeof small - 1;
    const char *words[] = {"123456789012", "baseball", "letmein", "password", "qwertyuiopas",
                           "zzzzzzzzzzzzzzzzz"};
    for (size_t i = 0; i < 6; i++)
        assert_true(pwlist_contains(small, n, words[i], strlen(words[i])));
    assert_true(pwlist_contains(small, n, "PassWord", 8));
    assert_false(pwlist_contains(small, n, "passwor", 7));
    assert_false(pwlist_contains(small, n, "passwords", 9));
    assert_false(pwlist_contains(small, n, "aaa", 3));
    assert_false(pwlist_contains(small, n, "zzzzzzzzzzzzzzzzzz", 18));
    assert_false(pwlist_contains(small, n, "", 0));
    assert_false(pwlist_contains(NULL, 0, "password", 8));
}

static void rules(void **state)
{
    (void)state;
    size_t n = sizeof small - 1;
    assert_null(pwpolicy_check("correct horse battery", "alice", small, n));
    assert_string_equal(pwpolicy_check("", NULL, small, n), "Enter a password");
    assert_string_equal(pwpolicy_check("elevenchars", NULL, small, n),
                        "Password must be 12 characters or more");
    assert_null(pwpolicy_check("twelve chars", NULL, small, n));
    /* Characters, not bytes: 11 two-byte letters are still too short. */
    assert_non_null(pwpolicy_check("ééééééééééé", NULL, small, n));
    assert_null(pwpolicy_check("éàèùâêîôûëïü", NULL, small, n));
    char big[300];
    memset(big, 'x', 257);
    big[257] = '\0';
    assert_string_equal(pwpolicy_check(big, NULL, small, n), "Password must be 256 characters or fewer");
    for (int i = 0; i < 256; i++)
        big[i] = "word"[i % 4];   /* not one repeated character: only the length is tested */
    big[256] = '\0';
    assert_null(pwpolicy_check(big, NULL, small, n));
    /* No composition rules: all lower case, no digits is fine. */
    assert_null(pwpolicy_check("plainlowercasewords", NULL, small, n));
    /* Block-list, any case, and with digits or symbols added at the end. */
    assert_non_null(pwpolicy_check("QwertyUiopas", NULL, small, n));
    assert_non_null(pwpolicy_check("password2024!", NULL, small, n));
    assert_non_null(pwpolicy_check("baseball1234", NULL, small, n));
    assert_null(pwpolicy_check("2024password", NULL, small, n));
    assert_non_null(pwpolicy_check("123456789012", NULL, small, n));
    /* The user name. */
    assert_string_equal(pwpolicy_check("my-Alice-password", "alice", small, n),
                        "Password must not contain the user name");
    assert_null(pwpolicy_check("some long phrase", "al", small, n));
}

/* Repeats and keyboard runs are refused whether or not a list has them. */
static void repeats_and_runs(void **state)
{
    (void)state;
    static const char *const refused[] = {
        "aaaaaaaaaaaa", "111111111111", "abababababab", "abcabcabcabc", "qwertyuiopas", "QWERTYUIOPASDF",
        "123456789012", "098765432109", "abcdefghijkl", "zyxwvutsrqpo", "lkjhgfdsapoiu", "1qaz2wsx3edc",
        "asdfghjkl;'#",
    };
    for (size_t i = 0; i < COUNT(refused); i++) {
        const char *m = pwpolicy_check(refused[i], NULL, NULL, 0);
        if (!m || !strstr(m, "repeats or runs along the keyboard"))
            fail_msg("'%s' was accepted (%s)", refused[i], m ? m : "no message");
    }
    static const char *const allowed[] = {"abcd efgh ijkl", "qwerty horse lamp", "1234 staple 5678", "aaaaaaaaaaab"};
    for (size_t i = 0; i < COUNT(allowed); i++)
        if (pwpolicy_check(allowed[i], NULL, NULL, 0))
            fail_msg("'%s' was refused", allowed[i]);
}

static void embedded_list(void **state)
{
    (void)state;
    const struct embedded_file *f = embedded_find("build/assets/passwords.txt");
    assert_non_null(f);
    assert_true(f->size > 100000);
    const char *l = (const char *)f->data;
    assert_true(pwlist_contains(l, f->size, "password", 8));
    assert_true(pwlist_contains(l, f->size, "qwertyuiop", 10));
    assert_non_null(pwpolicy_check("Password1234", NULL, l, f->size));
    assert_non_null(pwpolicy_check("qwertyuiop123", NULL, l, f->size));
    assert_null(pwpolicy_check("violet tractor marmalade", NULL, l, f->size));
    /* Every line is found (the search is right at every position). */
    size_t start = 0, lines = 0;
    for (size_t i = 0; i < f->size; i++) {
        if (l[i] != '\n')
            continue;
        assert_true(pwlist_contains(l, f->size, l + start, i - start));
        start = i + 1;
        lines++;
    }
    assert_true(lines > 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_search),
        cmocka_unit_test(rules),
        cmocka_unit_test(repeats_and_runs),
        cmocka_unit_test(embedded_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
