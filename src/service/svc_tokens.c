#include "service/svc_tokens.h"

#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "service/password.h"

enum svc_status svc_token_create(struct svc_ctx *c, const struct token_form *f, struct field_errors *e,
                                 char token[API_TOKEN_LEN + 1], int64_t *id)
{
    token[0] = '\0';
    *id = 0;
    if (c->who->user_id <= 0)
        return SVC_FORBIDDEN;
    char name[API_TOKEN_NAME_MAX * 4];
    int too_long = f->name ? trim_copy(f->name, name, sizeof name) : 0;
    if (!f->name || (!too_long && !name[0]))
        field_errors_add(e, "name", "Enter a name for the token");
    else if (too_long || utf8_chars(name) > API_TOKEN_NAME_MAX - 1)
        field_errors_add(e, "name", "The name must be 80 characters or fewer");
    else if (!text_is_clean(name, 0))
        field_errors_add(e, "name", "The name must not contain control characters");
    const char *scope = f->scope;
    if (!scope || (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0))
        field_errors_add(e, "scope", "Select what the token may do");
    long days = 0;
    if (!f->days || parse_int_strict(f->days, 1, API_TOKEN_MAX_DAYS, &days) != 0)
        field_errors_add(e, "days", "Select how long the token lasts");
    if (e->count)
        return SVC_INVALID;
    memcpy(token, API_TOKEN_PREFIX, sizeof API_TOKEN_PREFIX - 1);
    random_hex(token + sizeof API_TOKEN_PREFIX - 1, API_TOKEN_HEX / 2);
    char hash[65];
    sha256_hex(token, hash);
    enum store_rc rc = q_token_insert(c->db, c->who->user_id, name, hash, scope, c->now,
                                      c->now + (int64_t)days * 86400, id);
    if (rc != STORE_OK) {
        token[0] = '\0';
        return SVC_ERROR;
    }
    return SVC_OK;
}

enum svc_status svc_token_list(struct svc_ctx *c, void (*fn)(void *arg, const struct api_token_row *r),
                               void *arg)
{
    if (c->who->user_id <= 0)
        return SVC_FORBIDDEN;
    return svc_from_store(q_token_list(c->db, c->who->user_id, fn, arg));
}

enum svc_status svc_token_revoke(struct svc_ctx *c, int64_t id)
{
    if (c->who->user_id <= 0)
        return SVC_FORBIDDEN;
    return svc_from_get(q_token_revoke(c->db, c->who->user_id, id, c->now));
}
