/* The audit chain's canonical form and link check (core/audit_hash.c).
 * The golden text below is what every stored hash was computed over:
 * changing the format would make existing chains fail to verify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/audit_hash.h"

static struct audit_entry sample(void)
{
    struct audit_entry e;
    memset(&e, 0, sizeof e);
    e.id = 1;
    e.at = 1795425600;
    e.user_id = 4;
    strcpy(e.username, "coordinator");
    strcpy(e.remote_addr, "127.0.0.1");
    strcpy(e.action, "view");
    strcpy(e.resource_kind, "pupil");
    e.resource_id = 12;
    e.pupil_id = 12;
    e.school_id = 1;
    e.authority_id = 1;
    strcpy(e.detail, "/pupils/:id");
    strcpy(e.prev_hash, AUDIT_GENESIS);
    return e;
}

static void test_golden_form(void **state)
{
    (void)state;
    struct audit_entry e = sample();
    char out[1024];
    size_t n = audit_canonical(&e, out, sizeof out);
    const char *want = "tas-audit-1\nid=1:1\nat=10:1795425600\nuser_id=1:4\nusername=11:coordinator\n"
                       "remote_addr=9:127.0.0.1\naction=4:view\nresource_kind=5:pupil\nresource_id=2:12\n"
                       "pupil_id=2:12\nschool_id=1:1\nauthority_id=1:1\ndetail=11:/pupils/:id\nflags=1:0\n"
                       "prev_hash=64:" AUDIT_GENESIS "\n";
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
    /* The same entry always gives the same bytes. */
    char again[1024];
    audit_canonical(&e, again, sizeof again);
    assert_string_equal(out, again);
}

/* Every field is covered: changing any one changes the form. */
static void test_every_field_counts(void **state)
{
    (void)state;
    struct audit_entry base = sample();
    char ref[1024], out[1024];
    audit_canonical(&base, ref, sizeof ref);
    for (int f = 0; f < 14; f++) {
        struct audit_entry e = base;
        switch (f) {
        case 0: e.id++; break;
        case 1: e.at++; break;
        case 2: e.user_id++; break;
        case 3: e.username[0] = 'C'; break;
        case 4: e.remote_addr[0] = '2'; break;
        case 5: strcpy(e.action, "edit"); break;
        case 6: strcpy(e.resource_kind, "case"); break;
        case 7: e.resource_id++; break;
        case 8: e.pupil_id = 0; break;
        case 9: e.school_id++; break;
        case 10: e.authority_id++; break;
        case 11: strcpy(e.detail, "/cases/:id"); break;
        case 12: e.flags = AUDIT_FLAG_BREAK_GLASS; break;
        case 13: e.prev_hash[63] = '1'; break;
        }
        audit_canonical(&e, out, sizeof out);
        assert_string_not_equal(ref, out);
    }
    /* The stored hash itself is not part of what is hashed. */
    struct audit_entry e = base;
    strcpy(e.hash, "ffff");
    audit_canonical(&e, out, sizeof out);
    assert_string_equal(ref, out);
}

/* Length prefixes: a value cannot pose as a field boundary. */
static void test_no_field_injection(void **state)
{
    (void)state;
    struct audit_entry a = sample(), b = sample();
    strcpy(a.username, "x\nremote_addr=1:y");
    strcpy(a.remote_addr, "");
    strcpy(b.username, "x");
    strcpy(b.remote_addr, "y");
    char oa[1024], ob[1024];
    audit_canonical(&a, oa, sizeof oa);
    audit_canonical(&b, ob, sizeof ob);
    assert_string_not_equal(oa, ob);
    assert_non_null(strstr(oa, "username=17:x\nremote_addr=1:y\n"));
}

static void test_too_small(void **state)
{
    (void)state;
    struct audit_entry e = sample();
    char out[100];
    assert_int_equal(audit_canonical(&e, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(audit_canonical(NULL, out, sizeof out), 0);
    assert_int_equal(audit_canonical(&e, out, 0), 0);
}

static void test_links(void **state)
{
    (void)state;
    struct audit_entry e = sample();
    const char *h = "df2301bbd49a40185ce8eeac1f4b9181a37b067c901203a68f98c020f546b5c8";
    strcpy(e.hash, h);
    assert_int_equal(audit_check_link(&e, AUDIT_GENESIS, h), AUDIT_LINK_OK);
    /* The entry before was different: removed or inserted entries. */
    assert_int_equal(audit_check_link(&e, h, h), AUDIT_LINK_PREV);
    /* Content changed after hashing. */
    assert_int_equal(audit_check_link(&e, AUDIT_GENESIS, AUDIT_GENESIS), AUDIT_LINK_HASH);
    /* A malformed stored hash never passes, even if "recomputed" agrees. */
    strcpy(e.hash, "DF2301BB");
    assert_int_equal(audit_check_link(&e, AUDIT_GENESIS, "DF2301BB"), AUDIT_LINK_HASH);
    assert_int_equal(audit_check_link(NULL, AUDIT_GENESIS, h), AUDIT_LINK_PREV);
}

static void test_hex(void **state)
{
    (void)state;
    unsigned char b[4] = {0x00, 0x0f, 0xa0, 0xff};
    char out[9];
    audit_hex(b, 4, out);
    assert_string_equal(out, "000fa0ff");
    assert_true(audit_hash_wellformed(AUDIT_GENESIS));
    assert_false(audit_hash_wellformed("00"));
    assert_false(audit_hash_wellformed("g000000000000000000000000000000000000000000000000000000000000000"));
    assert_false(audit_hash_wellformed(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_form),
        cmocka_unit_test(test_every_field_counts),
        cmocka_unit_test(test_no_field_injection),
        cmocka_unit_test(test_too_small),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
