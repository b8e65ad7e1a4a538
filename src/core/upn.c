/* Unique Pupil Number check letter (DfE UPN guide v1.2, Annex A).
 * Weights 2..13 on characters 2..13, sum mod 23 indexes the 23-letter
 * alphabet below (no I, O or S, so letters never look like digits). */
#include "core/upn.h"

#include <string.h>

static const char alphabet[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

/* Index of c in the alphabet, or -1 (also -1 for I, O, S, lower case). */
static int letter_index(char c)
{
    if (c == '\0')
        return -1;
    const char *p = strchr(alphabet, c);
    return p ? (int)(p - alphabet) : -1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

char upn_check_letter(const char *body12)
{
    if (!body12)
        return 0;
    unsigned sum = 0;
    for (int i = 0; i < 12; i++) {
        char c = body12[i];
        int v;
        if (is_digit(c))
            v = c - '0';
        else if (i == 11 && (v = letter_index(c)) >= 0)
            ; /* temporary UPN: last character is a letter */
        else
            return 0;  /* also stops at an early NUL */
        sum += (unsigned)v * (unsigned)(i + 2);
    }
    if (body12[12] != '\0')
        return 0;
    return alphabet[sum % 23];
}

enum upn_status upn_validate(const char *s)
{
    if (!s || !*s)
        return UPN_EMPTY;
    if (strlen(s) != 13)
        return UPN_BAD_LENGTH;
    if (letter_index(s[0]) < 0)
        return UPN_BAD_CHARACTER;
    for (int i = 1; i < 12; i++)
        if (!is_digit(s[i]))
            return UPN_BAD_CHARACTER;
    int temporary = !is_digit(s[12]);
    if (temporary && letter_index(s[12]) < 0)
        return UPN_BAD_CHARACTER;
    if (upn_check_letter(s + 1) != s[0])
        return UPN_BAD_CHECK_LETTER;
    return temporary ? UPN_OK_TEMPORARY : UPN_OK;
}

const char *upn_status_message(enum upn_status st)
{
    switch (st) {
    case UPN_OK:
        return "UPN is valid";
    case UPN_OK_TEMPORARY:
        return "UPN is a valid temporary UPN";
    case UPN_EMPTY:
        return "Enter the pupil's UPN";
    case UPN_BAD_LENGTH:
        return "UPN must be 13 characters, like A123456789012";
    case UPN_BAD_CHARACTER:
        return "Enter a UPN in the correct format, like A123456789012";
    case UPN_BAD_CHECK_LETTER:
        return "The UPN check letter is wrong – check the UPN and try again";
    }
    return "Enter a UPN in the correct format, like A123456789012";
}

int upn_normalise(const char *s, char *out, unsigned outsz)
{
    if (!out || outsz == 0)
        return -1;
    unsigned n = 0;
    out[0] = '\0';
    if (!s)
        return 0;
    for (; *s; s++) {
        char c = *s;
        /* People copy UPNs from letters and spreadsheets with spaces in. */
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (n + 1 >= outsz) {
            out[n] = '\0';
            return -1;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    return 0;
}
