/* The client's address behind a trusted proxy (core/proxy.c): the
 * right-most X-Forwarded-For entry that is not a trusted proxy (RFC 7239
 * sections 4 and 8.1), never the header of an untrusted peer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/proxy.h"
#include "lib/count.h"

static struct proxy_list trusting(const char *spec)
{
    struct proxy_list l = {0};
    assert_int_equal(proxy_list_add(&l, spec), 0);
    return l;
}

static void expect_client(const struct proxy_list *l, const char *peer, const char *xff,
                          const char *want)
{
    char out[64];
    proxy_client_addr(l, peer, xff, out, sizeof out);
    if (strcmp(out, want))
        fail_msg("peer %s, X-Forwarded-For [%s]: got %s, want %s", peer, xff ? xff : "(none)", out,
                 want);
}

static void test_list(void **state)
{
    (void)state;
    struct proxy_list l = trusting("127.0.0.1");
    assert_int_equal(proxy_list_add(&l, " ::1 , 10.0.0.5,2001:db8::7 "), 0);
    assert_int_equal(l.n, 4);
    assert_true(proxy_trusted(&l, "127.0.0.1"));
    assert_true(proxy_trusted(&l, "0:0::1"));
    assert_true(proxy_trusted(&l, "::ffff:127.0.0.1"));     /* a dual-stack socket's IPv4 peer */
    assert_true(proxy_trusted(&l, "2001:DB8:0::7"));
    assert_false(proxy_trusted(&l, "127.0.0.2"));
    assert_false(proxy_trusted(&l, "10.0.0.50"));
    assert_false(proxy_trusted(&l, ""));
    assert_false(proxy_trusted(&l, NULL));
    assert_false(proxy_trusted(&l, "localhost"));

    /* a bad entry refuses the whole spec and leaves the list as it was */
    static const char *const bad[] = {"", ",", "127.0.0.1,", "10.0.0.0/8", "localhost",
                                      "127.0.0.1:8080", "[::1]", "1.2.3", "256.0.0.1",
                                      "127.0.0.1 127.0.0.2"};
    for (size_t i = 0; i < COUNT(bad); i++) {
        if (proxy_list_add(&l, bad[i]) != -1)
            fail_msg("accepted [%s]", bad[i]);
        assert_int_equal(l.n, 4);
    }

    struct proxy_list full = {0};
    for (int i = 0; i < PROXY_MAX; i++)
        assert_int_equal(proxy_list_add(&full, "192.0.2.1"), 0);
    assert_int_equal(proxy_list_add(&full, "192.0.2.2"), -1);
    assert_int_equal(full.n, PROXY_MAX);
}

static void test_untrusted_peer_header_ignored(void **state)
{
    (void)state;
    struct proxy_list none = {0};
    expect_client(&none, "127.0.0.1", "203.0.113.9", "127.0.0.1");
    struct proxy_list l = trusting("10.0.0.5");
    expect_client(&l, "198.51.100.4", "203.0.113.9", "198.51.100.4");
    expect_client(&l, "198.51.100.4", "10.0.0.5", "198.51.100.4");
    expect_client(&l, "10.0.0.6", "203.0.113.9", "10.0.0.6");
}

static void test_right_most_untrusted(void **state)
{
    (void)state;
    struct proxy_list l = trusting("127.0.0.1,10.0.0.5");
    expect_client(&l, "127.0.0.1", "203.0.113.9", "203.0.113.9");
    /* what nginx sends when the client forged a header: the forged part
     * to the left, the address nginx saw on the right */
    expect_client(&l, "127.0.0.1", "203.0.113.9, 198.51.100.4", "198.51.100.4");
    /* a chain of trusted proxies is skipped */
    expect_client(&l, "127.0.0.1", "1.1.1.1,198.51.100.4 ,10.0.0.5,\t127.0.0.1", "198.51.100.4");
    /* canonical form, whatever the spelling */
    expect_client(&l, "127.0.0.1", "2001:DB8:0:0::1", "2001:db8::1");
    expect_client(&l, "::ffff:127.0.0.1", "::ffff:198.51.100.4", "198.51.100.4");
    struct proxy_list v6 = trusting("::1");
    expect_client(&v6, "::1", "198.51.100.4", "198.51.100.4");
}

static void test_garbage_falls_back_to_peer(void **state)
{
    (void)state;
    struct proxy_list l = trusting("127.0.0.1,10.0.0.5");
    static const char *const bad[] = {
        NULL, "", " ", ",", "unknown", "203.0.113.9,", "203.0.113.9, junk",
        "203.0.113.9:4711", "[2001:db8::1]", "<script>", "198.51.100.4 203.0.113.9",
        "127.0.0.1", "10.0.0.5, 127.0.0.1", "1.2.3.4.5",
        "0000000000000000000000000000000000000000000000000000000000000000000001.2.3.4",
    };
    for (size_t i = 0; i < COUNT(bad); i++)
        expect_client(&l, "127.0.0.1", bad[i], "127.0.0.1");
    /* a bad entry left of the client's is the client's own business */
    expect_client(&l, "127.0.0.1", "junk, 198.51.100.4", "198.51.100.4");
    /* a small buffer is cut, and still terminated */
    char small[4];
    proxy_client_addr(&l, "127.0.0.1", "198.51.100.4", small, sizeof small);
    assert_string_equal(small, "198");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_untrusted_peer_header_ignored),
        cmocka_unit_test(test_right_most_untrusted),
        cmocka_unit_test(test_garbage_falls_back_to_peer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
