/* Files compiled into the binary by tools/embed (templates, migrations,
 * the stylesheet).  Names are the repository paths, e.g.
 * "templates/layout.html".  data is NUL-terminated; size excludes the NUL. */
#ifndef TAS_LIB_EMBEDDED_H
#define TAS_LIB_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name;
    const unsigned char *data;
    size_t size;
};

extern const struct embedded_file embedded_files[]; /* sorted by name */
extern const size_t embedded_count;

/* NULL when no file has that exact name. */
const struct embedded_file *embedded_find(const char *name);

#endif
