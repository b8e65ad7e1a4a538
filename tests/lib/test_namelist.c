/* lib/namelist.c: each name once, in order, whatever order they come in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/namelist.h"

static void test_order_does_not_matter(void **state)
{
    (void)state;
    const char *names[] = {"School", "Strategic Lead", "Early Help", "Educational Psychology", "Case Coordinator"};
    char a[128] = "", b[128] = "";
    for (size_t i = 0; i < 5; i++)
        namelist_add(a, sizeof a, names[i]);
    for (size_t i = 5; i-- > 0;)
        namelist_add(b, sizeof b, names[i]);
    assert_string_equal(a, "Case Coordinator, Early Help, Educational Psychology, School, Strategic Lead");
    assert_string_equal(b, a);
}

static void test_each_once_by_whole_item(void **state)
{
    (void)state;
    char l[64] = "";
    namelist_add(l, sizeof l, "School nurse");
    namelist_add(l, sizeof l, "School");   /* a prefix of an item is not the item */
    namelist_add(l, sizeof l, "School nurse");
    namelist_add(l, sizeof l, "School");
    namelist_add(l, sizeof l, "Schoo");
    namelist_add(l, sizeof l, "");
    assert_string_equal(l, "Schoo, School, School nurse");
}

static void test_never_overruns(void **state)
{
    (void)state;
    char l[16] = "";
    namelist_add(l, sizeof l, "Beta");        /* 4 */
    namelist_add(l, sizeof l, "Alpha");       /* "Alpha, Beta": 11 */
    namelist_add(l, sizeof l, "Gamma");       /* 18 would not fit in 15 */
    assert_string_equal(l, "Alpha, Beta");
    namelist_add(l, sizeof l, "Abc");         /* "Abc, Alpha, Beta": 16 and its NUL do not fit */
    assert_string_equal(l, "Alpha, Beta");
    namelist_add(l, sizeof l, "Ab");          /* "Ab, Alpha, Beta": 15 and its NUL just fit */
    assert_string_equal(l, "Ab, Alpha, Beta");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_does_not_matter),
        cmocka_unit_test(test_each_once_by_whole_item),
        cmocka_unit_test(test_never_overruns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
