#include "web/xlsx_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

lxw_workbook *xlsx_open(struct xlsx_file *x)
{
    const char *env = getenv("TMPDIR");
    if (snprintf(x->tmpdir, sizeof x->tmpdir, "%s", env && *env ? env : "/tmp") >= (int)sizeof x->tmpdir ||
        snprintf(x->path, sizeof x->path, "%s/tas-xlsx-XXXXXX", x->tmpdir) >= (int)sizeof x->path)
        return NULL;
    int fd = mkstemp(x->path);
    if (fd < 0)
        return NULL;
    close(fd);
    lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = x->tmpdir};
    lxw_workbook *wb = workbook_new_opt(x->path, &opt);
    if (!wb)
        unlink(x->path);
    return wb;
}

int xlsx_finish(struct xlsx_file *x, lxw_workbook *wb, struct buf *out)
{
    int rc = -1;
    if (workbook_close(wb) == LXW_NO_ERROR) {
        FILE *f = fopen(x->path, "rb");
        if (f) {
            char chunk[16384];
            size_t k;
            while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
                buf_append(out, chunk, k);
            rc = ferror(f) || out->failed ? -1 : 0;
            fclose(f);
        }
    }
    unlink(x->path);
    return rc;
}

lxw_format *xlsx_format(lxw_workbook *wb, bool bold, const char *num)
{
    lxw_format *f = workbook_add_format(wb);
    if (bold)
        format_set_bold(f);
    if (num)
        format_set_num_format(f, num);
    return f;
}
