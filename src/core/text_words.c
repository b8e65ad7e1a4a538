/* Whole words and names in free text (text_words.h). */
#include "core/text_words.h"

#include <ctype.h>
#include <string.h>

static bool word_byte(unsigned char c, bool digits)
{
    return isalpha(c) || c >= 0x80 || (digits && isdigit(c));
}

bool text_has_word(const char *text, const char *word, size_t n, bool digits)
{
    size_t tl = strlen(text);
    for (size_t i = 0; n && i + n <= tl; i++) {
        if (i > 0 && word_byte((unsigned char)text[i - 1], digits))
            continue;
        if (i + n < tl && word_byte((unsigned char)text[i + n], digits))
            continue;
        size_t k = 0;
        while (k < n && tolower((unsigned char)text[i + k]) == tolower((unsigned char)word[k]))
            k++;
        if (k == n)
            return true;
    }
    return false;
}

bool text_has_name_part(const char *text, const char *name)
{
    const char *p = name ? name : "";
    while (*p) {
        while (*p == ' ' || *p == '-')
            p++;
        size_t n = strcspn(p, " -");
        if (n >= 2 && text_has_word(text, p, n, false))
            return true;
        p += n;
    }
    return false;
}
