#include "store/q_ctf.h"

#include <string.h>

enum store_rc q_ctf_school_by_urn(struct store *s, const char *urn, struct school *out, char la_code[4])
{
    struct store_stmt *st = store_prepare(s,
        "SELECT s.id, s.authority_id, s.urn, s.name, a.la_code FROM schools s "
        "JOIN authorities a ON a.id = s.authority_id WHERE s.urn = ?");
    if (!st)
        return STORE_ERROR;
    store_bind_text(st, 1, urn);
    enum store_rc rc = store_step(st);
    if (rc == STORE_ROW) {
        memset(out, 0, sizeof *out);
        out->id = store_col_int(st, 0);
        out->authority_id = store_col_int(st, 1);
        store_col_copy(st, 2, out->urn, sizeof out->urn);
        store_col_copy(st, 3, out->name, sizeof out->name);
        store_col_copy(st, 4, la_code, 4);
    }
    store_done(st);
    return rc;
}
