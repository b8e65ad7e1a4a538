#include "core/pwpolicy.h"
#include "lib/count.h"

#include <string.h>

#include "core/validate.h"

static int cmp_folded(const char *line, size_t ln, const char *w, size_t wn)
{
    size_t n = ln < wn ? ln : wn;
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)line[i];
        unsigned char b = (unsigned char)w[i];
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b - 'A' + 'a');
        if (a != b)
            return a < b ? -1 : 1;
    }
    return ln == wn ? 0 : (ln < wn ? -1 : 1);
}

bool pwlist_contains(const char *list, size_t listlen, const char *word, size_t wordlen)
{
    if (!list || wordlen == 0)
        return false;
    /* Binary search over bytes: from a midpoint, back up to its line's start. */
    size_t lo = 0, hi = listlen;   /* lines starting in [lo, hi) are candidates */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t start = mid;
        while (start > lo && list[start - 1] != '\n')
            start--;
        const char *nl = memchr(list + start, '\n', listlen - start);
        size_t end = nl ? (size_t)(nl - list) : listlen;
        int c = cmp_folded(list + start, end - start, word, wordlen);
        if (c == 0)
            return true;
        if (c < 0)
            lo = end + 1;
        else
            hi = start;
    }
    return false;
}

static bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Case-insensitive (ASCII) substring test. */
static bool contains_folded(const char *hay, const char *needle)
{
    size_t hn = strlen(hay), nn = strlen(needle);
    for (size_t i = 0; nn && i + nn <= hn; i++) {
        size_t j = 0;
        for (; j < nn; j++) {
            unsigned char a = (unsigned char)hay[i + j], b = (unsigned char)needle[j];
            if (a >= 'A' && a <= 'Z')
                a = (unsigned char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (unsigned char)(b - 'A' + 'a');
            if (a != b)
                break;
        }
        if (j == nn)
            return true;
    }
    return false;
}

/* One character again and again ("aaaaaaaaaaaa"), or a unit of two or
 * three repeated ("abababababab", "abcabcabcabc"). */
static bool repeats(const char *pw, size_t n)
{
    for (size_t unit = 1; unit <= 3 && unit < n; unit++) {
        size_t i = unit;
        while (i < n && pw[i] == pw[i - unit])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* A run along a keyboard row or the alphabet, forwards or backwards,
 * wrapping round ("qwertyuiopas", "098765432109", "zyxwvutsrqpo"): the
 * whole password is consecutive characters of one of these. */
static bool keyboard_run(const char *pw, size_t n)
{
    static const char *const seqs[] = {
        "1234567890",                   /* wraps: ...890123... */
        "abcdefghijklmnopqrstuvwxyz",
        "qwertyuiopasdfghjklzxcvbnm",   /* the rows of a UK keyboard, one after another */
        "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",   /* its columns */
        "`1234567890-=",
        "qwertyuiop[]",
        "asdfghjkl;'#",
        "zxcvbnm,./",
    };
    for (size_t s = 0; s < COUNT(seqs); s++) {
        const char *q = seqs[s];
        size_t len = strlen(q);
        for (int dir = -1; dir <= 1; dir += 2) {
            const char *at = strchr(q, fold((unsigned char)pw[0]));
            bool run = at != NULL;
            size_t pos = at ? (size_t)(at - q) : 0;
            for (size_t i = 1; run && i < n; i++) {
                pos = dir > 0 ? (pos + 1) % len : (pos + len - 1) % len;
                run = q[pos] == (char)fold((unsigned char)pw[i]);
            }
            if (run)
                return true;
        }
    }
    return false;
}

const char *pwpolicy_check(const char *pw, const char *username, const char *list, size_t listlen)
{
    if (!pw || !*pw)
        return "Enter a password";
    size_t chars = utf8_chars(pw);
    if (chars < PWPOLICY_MIN_CHARS)
        return "Password must be 12 characters or more";
    if (chars > PWPOLICY_MAX_CHARS)
        return "Password must be 256 characters or fewer";
    if (username && strlen(username) >= 3 && contains_folded(pw, username))
        return "Password must not contain the user name";
    size_t n = strlen(pw);
    if (repeats(pw, n) || keyboard_run(pw, n))
        return "Password is too easy to guess: it repeats or runs along the keyboard. Try three random words, for example";
    size_t base = n;
    while (base > 0 && !is_letter((unsigned char)pw[base - 1]))
        base--;
    if (pwlist_contains(list, listlen, pw, n) || (base > 0 && base < n && pwlist_contains(list, listlen, pw, base)))
        return "Password is too common and easy to guess. Try three random words, for example";
    return NULL;
}
