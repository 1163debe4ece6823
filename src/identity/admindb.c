/*
 * The SQL of the admin API (admin_api.c): departments, staff accounts and their role rows as an
 * administrator sees and changes them. Login state (TOTP secret, failed logins) is read here only
 * as far as an administrator may see it (whether TOTP is enrolled, whether locked); the secret
 * and the password hash never leave the database through these functions.
 */
#include <string.h>

#include "identity/internal.h"

#define DEPT_COLS "id, parent_id, name, uscc, division_code, created_at"

static void dept_row(const yw_rows *rows, int i, void *record)
{
	yw_idn_adm_dept *d = record;
	*d = (yw_idn_adm_dept){ .id = yw_rows_text(rows, i, 0), .parent_id = yw_rows_text(rows, i, 1),
	                        .name = yw_rows_text(rows, i, 2), .uscc = yw_rows_text(rows, i, 3),
	                        .division_code = yw_rows_text(rows, i, 4),
	                        .created_at = yw_rows_int(rows, i, 5) };
}

yw_err yw_idn_adm_dept_list(yw_db *db, yw_arena *a, yw_idn_adm_dept **out, int *n)
{
	yw_err e;
	*out = yw_idn_read_rows(db, a, "SELECT " DEPT_COLS " FROM departments "
	                               "ORDER BY division_code, created_at, id",
	                        YW_NOPARAMS, sizeof **out, dept_row, n, &e);
	return e;
}

yw_err yw_idn_adm_dept_get(yw_db *db, yw_arena *a, const char *id, yw_idn_adm_dept *out)
{
	return yw_idn_read_row(db, a, "SELECT " DEPT_COLS " FROM departments WHERE id = $1",
	                       YW_PARAMS(YW_VTEXT(id)), dept_row, out);
}

/* The UNIQUE index decides a duplicate USCC: ON CONFLICT keeps the write unspoiled. */
yw_err yw_idn_adm_dept_insert(yw_db *tx, const yw_idn_adm_dept *d, bool *uscc_taken)
{
	long long changed = 0;
	yw_err e = yw_db_exec(tx,
	                      "INSERT INTO departments (id, parent_id, name, uscc, division_code, "
	                      "created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (uscc) DO NOTHING",
	                      YW_PARAMS(YW_VTEXT(d->id), YW_VTEXT(d->parent_id), YW_VTEXT(d->name),
	                                YW_VTEXT(d->uscc), YW_VTEXT(d->division_code),
	                                YW_VINT(d->created_at)),
	                      &changed);
	*uscc_taken = !e && changed == 0;
	return e;
}

yw_err yw_idn_adm_dept_update(yw_db *tx, const yw_idn_adm_dept *d)
{
	return yw_db_exec(tx, "UPDATE departments SET parent_id = $2, name = $3, division_code = $4 "
	                      "WHERE id = $1",
	                  YW_PARAMS(YW_VTEXT(d->id), YW_VTEXT(d->parent_id), YW_VTEXT(d->name),
	                            YW_VTEXT(d->division_code)),
	                  NULL);
}

#define STAFF_FROM " FROM staff s JOIN departments d ON d.id = s.department_id "
#define STAFF_COLS "s.id, s.username, s.name, s.department_id, d.name, d.division_code, " \
	"s.password_changed_at, s.must_change_password, " \
	"CASE WHEN s.totp_secret_enc IS NULL THEN 0 ELSE 1 END, s.disabled, s.locked_until, s.created_at"

static void staff_row(const yw_rows *rows, int i, void *record)
{
	yw_idn_adm_staff *s = record;
	*s = (yw_idn_adm_staff){ .id = yw_rows_text(rows, i, 0), .username = yw_rows_text(rows, i, 1),
	                         .name = yw_rows_text(rows, i, 2),
	                         .department_id = yw_rows_text(rows, i, 3),
	                         .department_name = yw_rows_text(rows, i, 4),
	                         .division_code = yw_rows_text(rows, i, 5),
	                         .password_changed_at = yw_rows_int(rows, i, 6),
	                         .must_change_password = yw_rows_int(rows, i, 7) != 0,
	                         .has_totp = yw_rows_int(rows, i, 8) != 0,
	                         .disabled = yw_rows_int(rows, i, 9) != 0,
	                         .locked_until = yw_rows_int(rows, i, 10),
	                         .created_at = yw_rows_int(rows, i, 11) };
}

yw_err yw_idn_adm_staff_list(yw_db *db, yw_arena *a, yw_idn_adm_staff **out, int *n)
{
	yw_err e;
	*out = yw_idn_read_rows(db, a, "SELECT " STAFF_COLS STAFF_FROM "ORDER BY s.username", YW_NOPARAMS,
	                        sizeof **out, staff_row, n, &e);
	return e;
}

yw_err yw_idn_adm_staff_get(yw_db *db, yw_arena *a, const char *id, yw_idn_adm_staff *out)
{
	return yw_idn_read_row(db, a, "SELECT " STAFF_COLS STAFF_FROM "WHERE s.id = $1",
	                       YW_PARAMS(YW_VTEXT(id)), staff_row, out);
}

yw_err yw_idn_adm_staff_insert(yw_db *tx, const yw_idn_adm_staff *s, const char *password_hash,
                               bool *username_taken)
{
	long long changed = 0;
	yw_err e = yw_db_exec(tx,
	                      "INSERT INTO staff (id, username, name, department_id, password_hash, "
	                      "password_changed_at, must_change_password, created_at) "
	                      "VALUES ($1, $2, $3, $4, $5, $6, 1, $6) ON CONFLICT (username) DO NOTHING",
	                      YW_PARAMS(YW_VTEXT(s->id), YW_VTEXT(s->username), YW_VTEXT(s->name),
	                                YW_VTEXT(s->department_id), YW_VTEXT(password_hash),
	                                YW_VINT(s->created_at)),
	                      &changed);
	*username_taken = !e && changed == 0;
	return e;
}

yw_err yw_idn_adm_staff_set_disabled(yw_db *tx, const char *id, bool disabled)
{
	return yw_db_exec(tx, "UPDATE staff SET disabled = $2 WHERE id = $1",
	                  YW_PARAMS(YW_VTEXT(id), YW_VINT(disabled ? 1 : 0)), NULL);
}

/* A new initial password: it must be changed at the next login, the TOTP secret is gone (the
 * member enrols again: the reset is for someone who lost the phone too) and a lock is lifted. */
yw_err yw_idn_adm_staff_reset(yw_db *tx, const char *id, const char *password_hash, yw_ms now)
{
	return yw_db_exec(tx, "UPDATE staff SET password_hash = $2, password_changed_at = $3, "
	                      "must_change_password = 1, totp_secret_enc = NULL, totp_last_step = 0, "
	                      "failed_logins = 0, locked_until = 0 WHERE id = $1",
	                  YW_PARAMS(YW_VTEXT(id), YW_VTEXT(password_hash), YW_VINT(now)), NULL);
}

#define ROLE_SELECT "SELECT r.staff_id, r.role, r.department_id, d.name, r.division_code, " \
	"r.granted_at FROM staff_roles r JOIN departments d ON d.id = r.department_id "

static void role_row(const yw_rows *rows, int i, void *record)
{
	yw_idn_adm_role *g = record;
	*g = (yw_idn_adm_role){ .staff_id = yw_rows_text(rows, i, 0), .role = yw_rows_text(rows, i, 1),
	                        .department_id = yw_rows_text(rows, i, 2),
	                        .department_name = yw_rows_text(rows, i, 3),
	                        .division_code = yw_rows_text(rows, i, 4),
	                        .granted_at = yw_rows_int(rows, i, 5) };
}

yw_err yw_idn_adm_roles(yw_db *db, yw_arena *a, const char *staff_id, yw_idn_adm_role **out, int *n)
{
	yw_err e;
	*out = staff_id
		? yw_idn_read_rows(db, a, ROLE_SELECT "WHERE r.staff_id = $1 "
		                          "ORDER BY r.granted_at, r.role, r.department_id",
		                   YW_PARAMS(YW_VTEXT(staff_id)), sizeof **out, role_row, n, &e)
		: yw_idn_read_rows(db, a, ROLE_SELECT "ORDER BY r.staff_id, r.granted_at, r.role, "
		                                      "r.department_id",
		                   YW_NOPARAMS, sizeof **out, role_row, n, &e);
	return e;
}

yw_err yw_idn_adm_role_insert(yw_db *tx, const yw_idn_adm_role *g, bool *existed)
{
	long long changed = 0;
	yw_err e = yw_db_exec(tx,
	                      "INSERT INTO staff_roles (staff_id, role, department_id, division_code, "
	                      "granted_at) VALUES ($1, $2, $3, $4, $5) "
	                      "ON CONFLICT (staff_id, role, department_id) DO NOTHING",
	                      YW_PARAMS(YW_VTEXT(g->staff_id), YW_VTEXT(g->role),
	                                YW_VTEXT(g->department_id), YW_VTEXT(g->division_code),
	                                YW_VINT(g->granted_at)),
	                      &changed);
	*existed = !e && changed == 0;
	return e;
}

yw_err yw_idn_adm_role_delete(yw_db *tx, const char *staff_id, const char *role,
                              const char *department_id, bool *found)
{
	long long changed = 0;
	yw_err e = yw_db_exec(tx, "DELETE FROM staff_roles WHERE staff_id = $1 AND role = $2 "
	                          "AND department_id = $3",
	                      YW_PARAMS(YW_VTEXT(staff_id), YW_VTEXT(role), YW_VTEXT(department_id)),
	                      &changed);
	*found = !e && changed > 0;
	return e;
}
