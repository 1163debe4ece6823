/*
 * Statements on departments, staff and staff_roles that the hook and the authorization
 * decision need on every request: the caller record of a staff member and the department tree.
 */
#include <string.h>

#include "identity/internal.h"

yw_err yw_idn_staff_caller(yw_db *db, yw_arena *a, const char *staff_id, yw_ms now, yw_caller *out)
{
	yw_rows *rows = NULL;
	yw_err e = yw_db_query(db, a, &rows,
	                       "SELECT department_id, must_change_password, password_changed_at FROM staff "
	                       "WHERE id = $1 AND disabled = 0",
	                       YW_PARAMS(YW_VTEXT(staff_id)));
	if (e)
		return e;
	if (yw_rows_count(rows) == 0)
		return YW_E_NOT_FOUND;
	/* R-ID-010: first login, a reset, or a password older than the configured period. */
	bool change = yw_staff_pw_change_required(yw_rows_int(rows, 0, 1) != 0, yw_rows_int(rows, 0, 2),
	                                          yw_staff_pw_max_age_days(), now);
	*out = (yw_caller){ .kind = "staff", .id = staff_id, .department_id = yw_rows_text(rows, 0, 0),
	                    .password_change_required = change };
	e = yw_db_query(db, a, &rows,
	                "SELECT role, department_id, division_code FROM staff_roles WHERE staff_id = $1 "
	                "ORDER BY role, department_id",
	                YW_PARAMS(YW_VTEXT(staff_id)));
	if (e)
		return e;
	for (int i = 0; i < yw_rows_count(rows) && out->nroles < YW_MAX_ROLES; i++) {
		yw_role role;
		if (!yw_role_from_name(yw_rows_text(rows, i, 0), &role))
			continue;   /* a role a newer version wrote: grants nothing here */
		out->roles[out->nroles++] = (yw_role_grant){ .role = role,
		                                             .department_id = yw_rows_text(rows, i, 1),
		                                             .division_code = yw_rows_text(rows, i, 2) };
	}
	return YW_E_OK;
}

/* Walks up from dept with a recursive query; the tree is shallow (province → city → county →
 * bureau), so this is a handful of index lookups. */
yw_err yw_idn_dept_subtree(yw_db *db, yw_arena *a, const char *dept, const char ***ids, int *n)
{
	yw_rows *rows = NULL;
	yw_err e = yw_db_query(db, a, &rows,
	                       "WITH RECURSIVE down (id, depth) AS ("
	                       " SELECT id, 0 FROM departments WHERE id = $1"
	                       " UNION ALL SELECT d.id, down.depth + 1 FROM departments d"
	                       " JOIN down ON d.parent_id = down.id WHERE down.depth < 32)"
	                       " SELECT id FROM down",
	                       YW_PARAMS(YW_VTEXT(dept)));
	if (e)
		return e;
	*n = yw_rows_count(rows);
	*ids = yw_zalloc(a, sizeof **ids * (size_t)(*n + 1));
	if (!*ids)
		return YW_E_NO_MEMORY;
	for (int i = 0; i < *n; i++)
		(*ids)[i] = yw_rows_text(rows, i, 0);
	return YW_E_OK;
}

yw_err yw_idn_dept_within(yw_db *db, yw_arena *a, const char *dept, const char *ancestor, bool *yes)
{
	*yes = false;
	if (!dept || !ancestor)
		return YW_E_OK;
	if (!strcmp(dept, ancestor)) {
		*yes = true;
		return YW_E_OK;
	}
	yw_rows *rows = NULL;
	yw_err e = yw_db_query(db, a, &rows,
	                       "WITH RECURSIVE up (id, parent_id, depth) AS ("
	                       " SELECT id, parent_id, 0 FROM departments WHERE id = $1"
	                       " UNION ALL SELECT d.id, d.parent_id, up.depth + 1 FROM departments d"
	                       " JOIN up ON d.id = up.parent_id WHERE up.depth < 32)"
	                       " SELECT 1 FROM up WHERE id = $2 LIMIT 1",
	                       YW_PARAMS(YW_VTEXT(dept), YW_VTEXT(ancestor)));
	if (e)
		return e;
	*yes = yw_rows_count(rows) > 0;
	return YW_E_OK;
}
