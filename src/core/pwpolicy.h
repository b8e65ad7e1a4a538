/* The password policy, after the NCSC's password guidance: a minimum
 * length, no composition rules, no forced expiry, and a block-list of
 * common and breached passwords.  Pure: the block-list is passed in (the
 * service passes the one compiled into the binary). */
#ifndef TAS_CORE_PWPOLICY_H
#define TAS_CORE_PWPOLICY_H

#include <stdbool.h>
#include <stddef.h>

/* 12 characters: long enough that guessing is impractical once the
 * commonest choices are blocked and sign-in is throttled, short enough for
 * three random words, which is what the NCSC suggests people use. */
#define PWPOLICY_MIN_CHARS 12
/* A cap, so hashing cost and buffers stay bounded; long passphrases fit. */
#define PWPOLICY_MAX_CHARS 256

/* True when word (any case) is a line of list: lower-case lines sorted by
 * byte value, each ending in '\n'. */
bool pwlist_contains(const char *list, size_t listlen, const char *word, size_t wordlen);

/* NULL when pw may be used, else the message for the person choosing it.
 * username may be NULL.  Refused: too short or too long (counted in
 * characters, not bytes), on the list (ignoring case, and ignoring digits
 * and symbols added at the end, as in "password2024!"), containing the
 * user name (of 3 or more characters), one character or a unit of two or
 * three repeated, or a run along a keyboard row or column or the alphabet
 * (either way, wrapping round). */
const char *pwpolicy_check(const char *pw, const char *username, const char *list, size_t listlen);

#endif
