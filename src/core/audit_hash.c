#include "core/audit_hash.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct out {
    char *p;
    size_t n, cap;
    bool full;
};

static void put(struct out *o, const char *name, const char *val)
{
    if (o->full)
        return;
    size_t vl = strlen(val);
    int w = snprintf(o->p + o->n, o->cap - o->n, "%s=%zu:", name, vl);
    if (w < 0 || (size_t)w >= o->cap - o->n || o->cap - o->n - (size_t)w < vl + 2) {
        o->full = true;
        return;
    }
    o->n += (size_t)w;
    memcpy(o->p + o->n, val, vl);
    o->n += vl;
    o->p[o->n++] = '\n';
    o->p[o->n] = '\0';
}

static void put_int(struct out *o, const char *name, int64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%" PRId64, v);
    put(o, name, b);
}

size_t audit_canonical(const struct audit_entry *e, char *out, size_t outsz)
{
    if (!out || outsz == 0)
        return 0;
    out[0] = '\0';
    if (!e)
        return 0;
    static const char magic[] = "tas-audit-1\n";
    if (outsz <= sizeof magic)
        return 0;
    memcpy(out, magic, sizeof magic);
    struct out o = {out, sizeof magic - 1, outsz, false};
    put_int(&o, "id", e->id);
    put_int(&o, "at", e->at);
    put_int(&o, "user_id", e->user_id);
    put(&o, "username", e->username);
    put(&o, "remote_addr", e->remote_addr);
    put(&o, "action", e->action);
    put(&o, "resource_kind", e->resource_kind);
    put_int(&o, "resource_id", e->resource_id);
    put_int(&o, "pupil_id", e->pupil_id);
    put_int(&o, "school_id", e->school_id);
    put_int(&o, "authority_id", e->authority_id);
    put(&o, "detail", e->detail);
    put_int(&o, "flags", (int64_t)e->flags);
    put(&o, "prev_hash", e->prev_hash);
    if (o.full) {
        out[0] = '\0';
        return 0;
    }
    return o.n;
}

enum audit_link audit_check_link(const struct audit_entry *e, const char *expected_prev,
                                 const char *recomputed)
{
    if (!e || !expected_prev || strcmp(e->prev_hash, expected_prev) != 0)
        return AUDIT_LINK_PREV;
    if (!recomputed || !audit_hash_wellformed(e->hash) || strcmp(e->hash, recomputed) != 0)
        return AUDIT_LINK_HASH;
    return AUDIT_LINK_OK;
}

void audit_hex(const unsigned char *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

bool audit_hash_wellformed(const char *s)
{
    if (!s || strlen(s) != AUDIT_HASH_HEX)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}
