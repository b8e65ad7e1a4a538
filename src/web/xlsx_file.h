/* One place for a workbook's life: libxlsxwriter 1.1.4 (Debian 12) writes
 * only to a file, so each export writes a private one (mode 0600, under
 * $TMPDIR), reads it back into the response and removes it at once. */
#ifndef TAS_WEB_XLSX_FILE_H
#define TAS_WEB_XLSX_FILE_H

#include <stdbool.h>

#include <xlsxwriter.h>

#include "lib/buf.h"

struct xlsx_file {
    char tmpdir[256];
    char path[512];
};

/* A new workbook in a fresh private file; NULL on failure (nothing left
 * behind). */
lxw_workbook *xlsx_open(struct xlsx_file *x);
/* Closes wb, appends the file's bytes to out and removes the file:
 * 0, or -1 on any failure (the file is removed either way). */
int xlsx_finish(struct xlsx_file *x, lxw_workbook *wb, struct buf *out);
/* A cell format of wb: bold, or with the number format num (NULL: none). */
lxw_format *xlsx_format(lxw_workbook *wb, bool bold, const char *num);

#endif
