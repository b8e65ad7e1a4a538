#include "store/q_ctf.h"
#include "store/q_params.h"

#include <string.h>

#define CTF_SCHOOL_COLS "s.id, s.authority_id, s.urn, s.establishment_number, s.name, s.status, a.la_code " \
                        "FROM schools s JOIN authorities a ON a.id = s.authority_id"

enum ctf_school_col { CS_ID, CS_AUTHORITY, CS_URN, CS_ESTAB, CS_NAME, CS_STATUS, CS_LA };

static void read_ctf_school(struct store_stmt *st, void *row)
{
    struct ctf_school *r = row;
    memset(r, 0, sizeof *r);
    r->s.id = store_col_int(st, CS_ID);
    r->s.authority_id = store_col_int(st, CS_AUTHORITY);
    store_col_copy(st, CS_URN, r->s.urn, sizeof r->s.urn);
    store_col_copy(st, CS_ESTAB, r->s.estab, sizeof r->s.estab);
    store_col_copy(st, CS_NAME, r->s.name, sizeof r->s.name);
    store_col_copy(st, CS_STATUS, r->s.status, sizeof r->s.status);
    store_col_copy(st, CS_LA, r->la_code, sizeof r->la_code);
}

enum store_rc q_ctf_school_by_urn(struct store *s, const char *urn, struct ctf_school *out)
{
    return q_row(s, "SELECT " CTF_SCHOOL_COLS " WHERE s.urn = ?", Q_PARAMS(QP_TEXT(urn)), read_ctf_school, out);
}

struct laestab_rows {
    struct ctf_school *out;
    size_t n;
};

static void add_ctf_school(struct store_stmt *st, void *arg)
{
    struct laestab_rows *r = arg;
    read_ctf_school(st, &r->out[r->n++]);
}

enum store_rc q_ctf_schools_by_laestab(struct store *s, const char *la_code, const char *estab,
                                       struct ctf_school out[CTF_SCHOOLS_MAX], size_t *n)
{
    struct store_stmt *st = store_prepare(s,
        "SELECT " CTF_SCHOOL_COLS " WHERE a.la_code = ? AND s.establishment_number = ? "
        "ORDER BY CASE WHEN s.status = 'closed' THEN 1 ELSE 0 END, s.id LIMIT ?");
    store_bind_text(st, 1, la_code);
    store_bind_text(st, 2, estab);
    store_bind_int(st, 3, CTF_SCHOOLS_MAX);
    struct laestab_rows r = {out, 0};
    enum store_rc rc = store_each_row(st, add_ctf_school, &r);
    *n = r.n;
    return rc;
}
