/*
 * Departments made by a loader rather than by an administrator over the API (identity.h "for
 * loaders"): `yiwang demo` creates the department tree of its region through these, inside its
 * own write, with the same rules and the same audit entry as POST /api/v1/departments. A USCC
 * that is registered already names the department it was registered for, so running a loader
 * twice makes nothing twice.
 */
#include <string.h>

#include "audit/audit.h"
#include "identity/internal.h"
#include "ref/ref.h"

const char *yw_identity_department_id_new(yw_arena *a)
{
	const char *t = yw_random_token(a, 12);
	return t ? yw_sprintf(a, "d_%s", t) : NULL;
}

static void uscc_row(const yw_rows *rows, int i, void *record)
{
	yw_department *d = record;
	*d = (yw_department){ .id = yw_rows_text(rows, i, 0), .parent_id = yw_rows_text(rows, i, 1),
	                      .name = yw_rows_text(rows, i, 2), .uscc = yw_rows_text(rows, i, 3),
	                      .division_code = yw_rows_text(rows, i, 4) };
}

static yw_err by_uscc(yw_db *db, yw_arena *a, const char *uscc, yw_department *out)
{
	return yw_idn_read_row(db, a,
	                       "SELECT id, parent_id, name, uscc, division_code FROM departments "
	                       "WHERE uscc = $1",
	                       YW_PARAMS(YW_VTEXT(uscc)), uscc_row, out);
}

yw_err yw_identity_department_by_uscc(struct yw_store *s, yw_arena *a, const char *uscc,
                                      yw_department *out)
{
	if (!s || !uscc || !uscc[0])
		return YW_E_NOT_FOUND;
	return by_uscc(yw_store_reader(s), a, uscc, out);
}

yw_err yw_identity_department_provision(struct yw_db *tx, yw_arena *a, const yw_department *d,
                                        const char *actor, yw_ms now, const char **id_out,
                                        bool *created, const char **why)
{
	*created = false;
	*why = NULL;
	if (!d->id || !d->name || !yw_text_ok(d->name, 100)) {
		*why = "部门名称应为 1 到 100 个字符";
		return YW_E_BAD_PARAMETER;
	}
	if (!d->uscc || yw_uscc_check(d->uscc)) {
		*why = yw_sprintf(a, "部门「%s」的统一社会信用代码 %s 校验未通过", d->name, d->uscc ? d->uscc : "");
		return YW_E_BAD_USCC;
	}
	const yw_division *div;
	if (!d->division_code || yw_division_find(d->division_code, &div)) {
		*why = yw_sprintf(a, "部门「%s」的行政区划 %s 不存在", d->name,
		                  d->division_code ? d->division_code : "");
		return YW_E_DIVISION_NOT_FOUND;
	}
	yw_department old;
	yw_err e = by_uscc(tx, a, d->uscc, &old);
	if (e == YW_E_OK) {
		/* Registered already: that department, whatever became of its name since. */
		*id_out = old.id;
		return YW_E_OK;
	}
	if (e != YW_E_NOT_FOUND)
		return e;
	if (d->parent_id) {
		yw_idn_adm_dept parent;
		if ((e = yw_idn_adm_dept_get(tx, a, d->parent_id, &parent))) {
			*why = yw_sprintf(a, "部门「%s」的上级部门 %s 不存在", d->name, d->parent_id);
			return e == YW_E_NOT_FOUND ? YW_E_UNKNOWN_DEPARTMENT : e;
		}
		if (!yw_division_within(d->division_code, parent.division_code)) {
			*why = yw_sprintf(a, "部门「%s」的行政区划 %s 不在上级部门「%s」的行政区划 %s 之内", d->name,
			                  d->division_code, parent.name, parent.division_code);
			return YW_E_DIVISION_OUTSIDE_PARENT;
		}
	}
	yw_idn_adm_dept row = { .id = d->id, .parent_id = d->parent_id, .name = d->name,
	                        .uscc = d->uscc, .division_code = d->division_code, .created_at = now };
	bool taken = false;
	if ((e = yw_idn_adm_dept_insert(tx, &row, &taken)))
		return e;
	if (taken) {   /* cannot happen after the read above inside the same write */
		*why = yw_sprintf(a, "统一社会信用代码 %s 已登记为其他部门", d->uscc);
		return YW_E_USCC_TAKEN;
	}
	*id_out = d->id;
	*created = true;
	return yw_audit_add(tx, actor, "department.create", "department", d->id, NULL,
	                    json_pack("{s:s, s:s?, s:s, s:s, s:s, s:I}", "id", d->id, "parent_id",
	                              d->parent_id, "name", d->name, "uscc", d->uscc, "division_code",
	                              d->division_code, "created_at", (json_int_t)now));
}
