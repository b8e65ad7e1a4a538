/* Where to go after signing in: the page a deep link asked for, only when
 * it is a path on this site. */
#ifndef TAS_CORE_NEXTPATH_H
#define TAS_CORE_NEXTPATH_H

#include <stdbool.h>

/* True when s is safe to send as a redirect target after sign-in: a path
 * on this origin (RFC 3986 section 4.2, a relative reference of the
 * path-absolute kind).  It must start with one "/", and must not:
 *  - start "//" or "/\" (a network-path reference: another host; browsers
 *    read "\" as "/", WHATWG URL Standard, "special" schemes),
 *  - hold a "\" anywhere, a control character, a space or a byte outside
 *    ASCII (browsers strip tabs and newlines, so "/\t/evil" becomes
 *    "//evil"),
 *  - be longer than 400 bytes,
 *  - lead back to the sign-in pages or sign-out (no loop).
 * A scheme ("https:", "javascript:") cannot come first, since a "/" must. */
bool next_path_safe(const char *s);

#endif
