/*
 * Who a case is filed for, as the cases module may know them (identity.h, "for the cases
 * module"). A case shows the applicant's name and keeps their numbers out of its own tables:
 * it asks here when it needs them (the public progress check, the identity check at pickup),
 * so the sealed numbers stay in identity's tables alone.
 */
#include <string.h>

#include "identity/internal.h"

static yw_err person_applicant(yw_db *db, yw_keys *k, yw_arena *a, const char *id, yw_applicant *out)
{
	yw_idn_person p;
	yw_err e = yw_idn_person_by(db, a, "id", id, &p);
	if (e)
		return e;
	*out = (yw_applicant){ .kind = "person", .id = p.id, .name = p.name,
	                       .number = yw_unseal(k, a, p.id_enc), .mobile = yw_unseal(k, a, p.mobile_enc) };
	return out->number && out->mobile ? YW_E_OK : YW_E_INTERNAL;
}

static yw_err org_applicant(yw_db *db, yw_keys *k, yw_arena *a, const char *id, yw_applicant *out)
{
	yw_idn_org o;
	yw_applicant rep;
	yw_err e = yw_idn_org_get(db, a, id, &o);
	if (e)
		return e;
	/* The organisation is reached through its legal representative's mobile. */
	if ((e = person_applicant(db, k, a, o.legal_rep_id, &rep)))
		return e == YW_E_NOT_FOUND ? YW_E_INTERNAL : e;
	*out = (yw_applicant){ .kind = "org", .id = o.id, .name = o.name, .number = o.uscc,
	                       .mobile = rep.mobile, .legal_rep = rep.name, .legal_rep_id = o.legal_rep_id,
	                       .division_code = o.division_code };
	return YW_E_OK;
}

yw_err yw_identity_applicant(yw_store *s, yw_keys *k, yw_arena *a, const char *kind, const char *id,
                             yw_applicant *out)
{
	yw_db *db = yw_store_reader(s);
	if (!db)
		return YW_E_DB_UNREACHABLE;
	if (kind && !strcmp(kind, "person"))
		return person_applicant(db, k, a, id, out);
	if (kind && !strcmp(kind, "org"))
		return org_applicant(db, k, a, id, out);
	return YW_E_NOT_FOUND;
}

yw_err yw_identity_person_find(yw_store *s, yw_keys *k, yw_arena *a, const char *id_number,
                               const char *name, const char **person_id)
{
	char id18[19], h[65];
	if (!id_number || yw_id_check(id_number, id18))
		return YW_E_BAD_ID_NUMBER;
	yw_lookup_hash(k, "id", id18, h);
	yw_idn_person p;
	yw_err e = yw_idn_person_by(yw_store_reader(s), a, "id_hash", h, &p);
	if (e && e != YW_E_NOT_FOUND)
		return e;
	/* One answer for an unknown number and for a wrong name, as for agents (org_api.c). */
	if (e == YW_E_NOT_FOUND || !name || strcmp(p.name, name))
		return YW_E_PERSON_NOT_FOUND;
	*person_id = p.id;
	return YW_E_OK;
}

yw_err yw_identity_org_find(yw_store *s, yw_arena *a, const char *uscc, const char *name,
                            const char **org_id)
{
	if (!uscc || yw_uscc_check(uscc))
		return YW_E_BAD_USCC;
	yw_idn_org o;
	yw_err e = yw_idn_org_by_uscc(yw_store_reader(s), a, uscc, &o);
	if (e && e != YW_E_NOT_FOUND)
		return e;
	/* One answer for an unknown code and for a wrong name, as for persons. */
	if (e == YW_E_NOT_FOUND || !name || strcmp(o.name, name))
		return YW_E_ORG_NOT_FOUND;
	*org_id = o.id;
	return YW_E_OK;
}

yw_err yw_identity_may_collect(yw_store *s, yw_keys *k, yw_arena *a, const char *id18,
                               const char *owner_kind, const char *owner_id, const char *item_code,
                               bool *yes)
{
	char h[65];
	*yes = false;
	yw_lookup_hash(k, "id", id18, h);
	yw_idn_person p;
	yw_db *db = yw_store_reader(s);
	yw_err e = yw_idn_person_by(db, a, "id_hash", h, &p);
	if (e == YW_E_NOT_FOUND)
		return YW_E_OK;       /* nobody registered with that number acts for anyone */
	if (e)
		return e;
	if (yw_str_eq(owner_kind, "person") && yw_str_eq(p.id, owner_id)) {
		*yes = true;
		return YW_E_OK;
	}
	return yw_idn_acts_for(db, a, p.id, owner_kind, owner_id, item_code, yw_now_ms(), yes);
}
