/*
 * What identity tells the OIDC provider about a subject, and the end of a session: at an OIDC
 * logout and at our own (api.c). The provider never reads identity's tables; it asks here.
 */
#include <string.h>

#include "audit/audit.h"
#include "identity/internal.h"

yw_err yw_identity_claims(yw_store *s, yw_keys *k, yw_arena *a, const char *kind, const char *id,
                          yw_subject_claims *out)
{
	*out = (yw_subject_claims){ 0 };
	yw_db *db = yw_store_reader(s);
	if (!strcmp(kind, "person")) {
		yw_idn_person p;
		yw_err e = yw_idn_person_by(db, a, "id", id, &p);
		if (e)
			return e;
		out->name = p.name;
		out->mobile = yw_unseal(k, a, p.mobile_enc);
		out->id_number = yw_unseal(k, a, p.id_enc);
		return out->mobile && out->id_number ? YW_E_OK : YW_E_INTERNAL;
	}
	if (!strcmp(kind, "staff")) {
		yw_rows *rows = NULL;
		yw_err e = yw_db_query(db, a, &rows, "SELECT name FROM staff WHERE id = $1 AND disabled = 0",
		                       YW_PARAMS(YW_VTEXT(id)));
		if (e)
			return e;
		if (yw_rows_count(rows) == 0)
			return YW_E_NOT_FOUND;
		out->name = yw_rows_text(rows, 0, 0);
		return YW_E_OK;
	}
	return YW_E_NOT_FOUND;
}

typedef struct {
	yw_arena *a;
	const char *session, *kind, *subject_id, *why;
} end_arg;

static yw_err end_write(yw_db *tx, void *arg)
{
	end_arg *g = arg;
	yw_err e = yw_idn_session_delete(tx, g->session);
	if (e)
		return e;
	return yw_audit_add(tx, yw_sprintf(g->a, "%s:%s", g->kind, g->subject_id),
	                    yw_sprintf(g->a, "%s.logout", g->kind), g->kind, g->subject_id, NULL,
	                    g->why ? json_pack("{s:s}", "via", g->why) : json_object());
}

yw_err yw_identity_end_session(yw_req *r, const char *why)
{
	if (!r->principal.kind || !r->principal.session_id || !r->app->store)
		return YW_E_OK;
	end_arg g = { r->arena, r->principal.session_id, r->principal.kind, r->principal.id, why };
	return yw_store_write(r->app->store, end_write, &g);
}

const char *yw_identity_cookie_clear(yw_req *r)
{
	return yw_idn_cookie(r, NULL);
}
