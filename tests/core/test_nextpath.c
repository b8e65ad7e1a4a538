/* The "next" page after sign-in: same-origin paths only, hostile values
 * refused (open redirects: OWASP Unvalidated Redirects and Forwards Cheat
 * Sheet; RFC 3986 section 4.2 network-path references). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/nextpath.h"
#include "lib/count.h"

static void test_paths_on_this_site(void **state)
{
    (void)state;
    assert_true(next_path_safe("/"));
    assert_true(next_path_safe("/meetings"));
    assert_true(next_path_safe("/meetings?team=3&from=2026-09-01"));
    assert_true(next_path_safe("/cases/12"));
    assert_true(next_path_safe("/pupils?q=O%27Neill"));
    assert_true(next_path_safe("/dashboard/report?from=2026-08-01"));
    assert_true(next_path_safe("/sign-instructions"));   /* not the sign-in page */
}

static void test_hostile_values(void **state)
{
    (void)state;
    static const char *const bad[] = {
        NULL, "", "meetings", "//evil.example", "///evil.example", "/\\evil.example",
        "\\\\evil.example", "/meetings\\..\\x", "https://evil.example/", "http:/evil.example",
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", " /meetings",
        "/\t/evil.example", "/\n/evil.example", "/\r\n/evil", "/meetings\x7f", "/caf\xc3\xa9",
        "/%2F%2Fevil.example", "/%2fevil", "/%5Cevil", "/sign-in", "/sign-in?next=/x",
        "/sign-in/code", "/sign-out", "/api/v1/me", "/a b",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        if (next_path_safe(bad[i]))
            fail_msg("accepted [%s]", bad[i] ? bad[i] : "(null)");
    }
    char longp[500];
    memset(longp, 'a', sizeof longp);
    longp[0] = '/';
    longp[sizeof longp - 1] = '\0';
    assert_false(next_path_safe(longp));
    longp[399] = '\0';
    assert_true(next_path_safe(longp));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_on_this_site),
        cmocka_unit_test(test_hostile_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
