/* Domain records shared by every layer.  Fixed-size text fields keep
 * ownership trivial: a record is a value, copied freely, never freed.
 * Sizes include the terminating NUL. */
#ifndef TAS_CORE_RECORDS_H
#define TAS_CORE_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

#define TAS_NAME_MAX 101 /* person names */
#define TAS_TITLE_MAX 161 /* school / authority names */

struct authority {
    int64_t id;
    char la_code[4];           /* 3-digit DfE LA number, e.g. "822" */
    char name[TAS_TITLE_MAX];
};

struct school {
    int64_t id;
    int64_t authority_id;
    char urn[8];               /* 6 or 7 digits (GIAS URN) */
    char estab[5];             /* DfE establishment number within the LA (GIAS
                                * EstablishmentNumber, migration 0032): 4 digits, "" unknown */
    char name[TAS_TITLE_MAX];
    char phase[16];            /* code from codes.h phase list, e.g. "primary" */
    int32_t pupils_on_roll;    /* -1 when not recorded */
    double fsm_pct;            /* 0..100, -1 when not recorded */
    double sen_pct;            /* 0..100, -1 when not recorded */
    bool tas_member;           /* true: TAS school; false: comparison school */
    char status[20];           /* GIAS status (migration 0018): open, closed, proposed_to_close,
                                * proposed_to_open; "" read as open */
};

struct pupil {
    int64_t id;
    int64_t school_id;
    char upn[14];
    char former_upn[14];       /* the UPN before this one, once replaced ("" if never) */
    char forenames[TAS_NAME_MAX];
    char surname[TAS_NAME_MAX];
    char date_of_birth[11];    /* YYYY-MM-DD */
    char gender[2];            /* codes.h gender list */
    char ethnicity[5];         /* DfE main code, e.g. "WBRI" */
    char nc_year[3];           /* "N1","N2","R","1".."14","X" */
    char sen_provision[2];     /* "N","K","E" */
};

#endif
