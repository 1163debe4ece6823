/*
 * A department as other modules may know it (identity.h yw_identity_department): the catalog
 * names an item's implementing department and builds the implementation code from its USCC, and
 * must not read the departments table itself.
 */
#include "identity/internal.h"

yw_err yw_identity_department(struct yw_store *s, yw_arena *a, const char *id, yw_department *out)
{
	if (!s || !id || !id[0])
		return YW_E_NOT_FOUND;
	yw_idn_adm_dept d;
	yw_err e = yw_idn_adm_dept_get(yw_store_reader(s), a, id, &d);
	if (e)
		return e;
	*out = (yw_department){ .id = d.id, .parent_id = d.parent_id, .name = d.name, .uscc = d.uscc,
	                        .division_code = d.division_code };
	return YW_E_OK;
}
