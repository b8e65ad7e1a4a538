/* Every handler, by area.  Each area's handlers live in h_<area>.c. */
#ifndef TAS_WEB_HANDLERS_H
#define TAS_WEB_HANDLERS_H

#include "web/http.h"

/* h_static.c */
void h_asset_css(struct req *rq, struct resp *rs);
void h_healthz(struct req *rq, struct resp *rs);
void h_no_content(struct req *rq, struct resp *rs);
void h_accessibility(struct req *rq, struct resp *rs);
void h_privacy(struct req *rq, struct resp *rs);

/* h_auth.c */
void h_sign_in_form(struct req *rq, struct resp *rs);
void h_sign_in(struct req *rq, struct resp *rs);
void h_sign_out(struct req *rq, struct resp *rs);
void h_api_sign_in(struct req *rq, struct resp *rs);
void h_api_me(struct req *rq, struct resp *rs);
void h_sign_in_code_form(struct req *rq, struct resp *rs);
void h_sign_in_code(struct req *rq, struct resp *rs);
void h_api_sign_in_code(struct req *rq, struct resp *rs);

/* h_home.c */
void h_home(struct req *rq, struct resp *rs);

/* h_authorities.c */
void h_authority_list(struct req *rq, struct resp *rs);
void h_authority_new(struct req *rq, struct resp *rs);
void h_authority_create(struct req *rq, struct resp *rs);
void h_authority_view(struct req *rq, struct resp *rs);
void h_authority_edit(struct req *rq, struct resp *rs);
void h_authority_update(struct req *rq, struct resp *rs);

/* h_schools.c */
void h_school_list(struct req *rq, struct resp *rs);
void h_school_new(struct req *rq, struct resp *rs);
void h_school_create(struct req *rq, struct resp *rs);
void h_school_view(struct req *rq, struct resp *rs);
void h_school_edit(struct req *rq, struct resp *rs);
void h_school_update(struct req *rq, struct resp *rs);

/* h_pupils.c */
void h_pupil_list(struct req *rq, struct resp *rs);
void h_pupil_new(struct req *rq, struct resp *rs);
void h_pupil_create(struct req *rq, struct resp *rs);
void h_pupil_view(struct req *rq, struct resp *rs);
void h_pupil_edit(struct req *rq, struct resp *rs);
void h_pupil_update(struct req *rq, struct resp *rs);

#endif
