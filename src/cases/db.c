/*
 * The SQL of the cases module on its 013 tables, written once for SQLite and PostgreSQL.
 * JSON members (form, delivery, supplement, delivery_record) are stored as text.
 */
#include <string.h>

#include "cases/internal.h"

const char *const yw_case_cols =
	"id, serial, parent_id, theme_id, item_code, item_version, item_name, department_id, "
	"division_code, applicant_kind, applicant_id, applicant_name, filed_by, channel, state, "
	"state_before, form, delivery, name_hash, phone4_hash, project_type, limit_days, "
	"extension_days, paused_workdays, paused_since, pause_kind, submitted_on, accepted_on, due_on, "
	"supplement, decision, decision_reasons, decision_basis, delivery_record, close_reason, "
	"created_at, updated_at, submitted_at, decided_at, closed_at, version";

static json_t *json_cell(yw_arena *a, yw_rows *rows, int i, int col)
{
	const char *s = yw_rows_text(rows, i, col);
	if (!s)
		return NULL;
	return yw_arena_json(a, json_loads(s, JSON_DECODE_ANY, NULL));
}

static const char *json_text(yw_arena *a, const json_t *j)
{
	return j ? yw_json_dump(a, j, NULL) : NULL;
}

static yw_case_state state_of(const char *s)
{
	yw_case_state st = YW_CS__COUNT;
	if (s)
		yw_case_state_from_name(s, &st);
	return st;
}

void yw_case_row_from(yw_arena *a, yw_rows *rows, int i, int col, yw_case_row *c)
{
#define T(k) yw_rows_text(rows, i, col + (k))
#define I(k) yw_rows_int(rows, i, col + (k))
	*c = (yw_case_row){
		.id = T(0), .serial = T(1), .parent_id = T(2), .theme_id = T(3), .item_code = T(4),
		.item_version = I(5), .item_name = T(6), .department_id = T(7), .division_code = T(8),
		.applicant_kind = T(9), .applicant_id = T(10), .applicant_name = T(11), .filed_by = T(12),
		.channel = T(13), .state = state_of(T(14)), .state_before = state_of(T(15)),
		.form = json_cell(a, rows, i, col + 16), .delivery = json_cell(a, rows, i, col + 17),
		.name_hash = T(18), .phone4_hash = T(19), .project_type = (int)I(20),
		.limit_days = yw_rows_is_null(rows, i, col + 21) ? -1 : (int)I(21),
		.extension_days = (int)I(22), .paused_workdays = (int)I(23), .paused_since = (int)I(24),
		.pause_kind = T(25), .submitted_on = (int)I(26), .accepted_on = (int)I(27),
		.due_on = (int)I(28), .supplement = json_cell(a, rows, i, col + 29), .decision = T(30),
		.decision_reasons = T(31), .decision_basis = T(32),
		.delivery_record = json_cell(a, rows, i, col + 33), .close_reason = T(34),
		.created_at = I(35), .updated_at = I(36), .submitted_at = I(37), .decided_at = I(38),
		.closed_at = I(39), .version = I(40)
	};
	if (!c->form)
		c->form = yw_arena_json(a, json_object());
#undef T
#undef I
}

static yw_err load_where(yw_db *db, yw_arena *a, const char *where, const char *v, yw_case_row *out)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows, yw_sprintf(a, "SELECT %s FROM cases WHERE %s = $1",
	                                                 yw_case_cols, where),
	                       YW_PARAMS(YW_VTEXT(v)));
	if (e)
		return e;
	if (!yw_rows_count(rows))
		return YW_E_NOT_FOUND;
	yw_case_row_from(a, rows, 0, 0, out);
	return YW_E_OK;
}

yw_err yw_casedb_load(yw_db *db, yw_arena *a, const char *id, yw_case_row *out)
{
	return load_where(db, a, "id", id, out);
}

yw_err yw_casedb_by_serial(yw_db *db, yw_arena *a, const char *serial, yw_case_row *out)
{
	return load_where(db, a, "serial", serial, out);
}

static yw_val int_or_null(long long v)
{
	return v ? YW_VINT(v) : YW_VNULL;
}

/* The columns every write sets, in the order of params() below ($1 … $38). */
#define CASE_SET_COLS                                                                              \
	"serial, parent_id, theme_id, item_code, item_version, item_name, department_id, "           \
	"division_code, applicant_kind, applicant_id, applicant_name, filed_by, channel, state, "     \
	"state_before, form, delivery, name_hash, phone4_hash, project_type, limit_days, "            \
	"extension_days, paused_workdays, paused_since, pause_kind, submitted_on, accepted_on, "      \
	"due_on, supplement, decision, decision_reasons, decision_basis, delivery_record, "           \
	"close_reason, updated_at, submitted_at, decided_at, closed_at"
#define CASE_NSET 38

static void params(yw_arena *a, const yw_case_row *c, yw_val *p)
{
	yw_val v[CASE_NSET] = {
		YW_VTEXT(c->serial), YW_VTEXT(c->parent_id), YW_VTEXT(c->theme_id), YW_VTEXT(c->item_code),
		int_or_null(c->item_version), YW_VTEXT(c->item_name), YW_VTEXT(c->department_id),
		YW_VTEXT(c->division_code), YW_VTEXT(c->applicant_kind), YW_VTEXT(c->applicant_id),
		YW_VTEXT(c->applicant_name), YW_VTEXT(c->filed_by), YW_VTEXT(c->channel),
		YW_VTEXT(yw_case_state_name(c->state)),
		YW_VTEXT(c->state_before < YW_CS__COUNT ? yw_case_state_name(c->state_before) : NULL),
		YW_VTEXT(json_text(a, c->form)), YW_VTEXT(json_text(a, c->delivery)),
		YW_VTEXT(c->name_hash), YW_VTEXT(c->phone4_hash), YW_VINT(c->project_type),
		c->limit_days < 0 ? YW_VNULL : YW_VINT(c->limit_days), YW_VINT(c->extension_days),
		YW_VINT(c->paused_workdays), int_or_null(c->paused_since), YW_VTEXT(c->pause_kind),
		int_or_null(c->submitted_on), int_or_null(c->accepted_on), int_or_null(c->due_on),
		YW_VTEXT(json_text(a, c->supplement)), YW_VTEXT(c->decision),
		YW_VTEXT(c->decision_reasons), YW_VTEXT(c->decision_basis),
		YW_VTEXT(json_text(a, c->delivery_record)), YW_VTEXT(c->close_reason),
		YW_VINT(c->updated_at), int_or_null(c->submitted_at), int_or_null(c->decided_at),
		int_or_null(c->closed_at)
	};
	memcpy(p, v, sizeof v);
}

yw_err yw_casedb_insert(yw_db *tx, yw_arena *a, const yw_case_row *c)
{
	yw_val p[CASE_NSET + 3];
	params(a, c, p);
	p[CASE_NSET] = YW_VTEXT(c->id);
	p[CASE_NSET + 1] = YW_VINT(c->created_at);
	p[CASE_NSET + 2] = YW_VINT(c->version);
	const char *sql = yw_sprintf(
		a, "INSERT INTO cases (" CASE_SET_COLS ", id, created_at, version) VALUES ($1, $2, $3, $4, "
		   "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, "
		   "$23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, "
		   "$40, $41)");
	return yw_db_exec(tx, sql, p, CASE_NSET + 3, NULL);
}

yw_err yw_casedb_update(yw_db *tx, yw_arena *a, const yw_case_row *c, long long old_version,
                        long long *changed)
{
	yw_val p[CASE_NSET + 3];
	params(a, c, p);
	p[CASE_NSET] = YW_VTEXT(c->id);
	p[CASE_NSET + 1] = YW_VINT(old_version);
	p[CASE_NSET + 2] = YW_VINT(c->version);
	static const char *names[] = {
		"serial", "parent_id", "theme_id", "item_code", "item_version", "item_name",
		"department_id", "division_code", "applicant_kind", "applicant_id", "applicant_name",
		"filed_by", "channel", "state", "state_before", "form", "delivery", "name_hash",
		"phone4_hash", "project_type", "limit_days", "extension_days", "paused_workdays",
		"paused_since", "pause_kind", "submitted_on", "accepted_on", "due_on", "supplement",
		"decision", "decision_reasons", "decision_basis", "delivery_record", "close_reason",
		"updated_at", "submitted_at", "decided_at", "closed_at"
	};
	char *set = yw_strdup(a, "");
	for (int i = 0; i < CASE_NSET && set; i++)
		set = yw_sprintf(a, "%s%s%s = $%d", set, i ? ", " : "", names[i], i + 1);
	if (!set)
		return YW_E_NO_MEMORY;
	return yw_db_exec(tx, yw_sprintf(a, "UPDATE cases SET %s, version = $41 WHERE id = $39 AND version = $40", set),
	                  p, CASE_NSET + 3, changed);
}

yw_err yw_casedb_touch_open(yw_db *tx, const char *id, long long version, yw_ms now,
                            long long *changed)
{
	/* The row lock on PostgreSQL: a submit racing this write waits, then finds the state or the
	 * version moved. */
	return yw_db_exec(tx,
	                  "UPDATE cases SET version = version + CASE WHEN $2 < 0 THEN 0 ELSE 1 END, "
	                  "updated_at = $3 WHERE id = $1 AND ($2 < 0 OR version = $2) AND "
	                  "state IN ('draft', 'supplement')",
	                  YW_PARAMS(YW_VTEXT(id), YW_VINT(version), YW_VINT(now)), changed);
}

yw_err yw_casedb_lock(yw_db *tx, const char *id)
{
	return yw_db_exec(tx, "UPDATE cases SET version = version WHERE id = $1", YW_PARAMS(YW_VTEXT(id)),
	                  NULL);
}

yw_err yw_casedb_delete(yw_db *tx, const char *id)
{
	yw_err e = yw_db_exec(tx, "DELETE FROM case_materials WHERE case_id = $1",
	                      YW_PARAMS(YW_VTEXT(id)), NULL);
	if (!e)
		e = yw_db_exec(tx, "DELETE FROM case_trail WHERE case_id = $1", YW_PARAMS(YW_VTEXT(id)), NULL);
	if (!e)
		e = yw_db_exec(tx, "DELETE FROM cases WHERE id = $1 AND state = 'draft'",
		               YW_PARAMS(YW_VTEXT(id)), NULL);
	return e;
}

#define TASK_COLS                                                                                  \
	"id, case_id, step_id, name, stage, role, department_id, division_code, split_id, state, "   \
	"limit_days, started_on, due_on, paused_workdays, outcome_by, outcome_reason, created_at, "   \
	"closed_at"

yw_err yw_casedb_tasks(yw_db *db, yw_arena *a, const char *case_id, yw_case_task_row **out, int *n)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows,
	                       "SELECT " TASK_COLS " FROM case_tasks WHERE case_id = $1 "
	                       "ORDER BY created_at, id",
	                       YW_PARAMS(YW_VTEXT(case_id)));
	if (e)
		return e;
	int cnt = yw_rows_count(rows);
	/* Room for the tasks a change may open. */
	yw_case_task_row *t = yw_zalloc(a, sizeof *t * (size_t)(cnt + YW_CASE_FLOW_MAX + 8));
	if (!t)
		return YW_E_NO_MEMORY;
	for (int i = 0; i < cnt; i++) {
#define T(k) yw_rows_text(rows, i, (k))
#define I(k) yw_rows_int(rows, i, (k))
		t[i] = (yw_case_task_row){
			.id = T(0), .case_id = T(1), .step_id = T(2), .name = T(3), .stage = T(4),
			.role = T(5), .department_id = T(6), .division_code = T(7), .split_id = T(8),
			.state = T(9), .limit_days = yw_rows_is_null(rows, i, 10) ? -1 : (int)I(10),
			.started_on = (int)I(11), .due_on = (int)I(12), .paused_workdays = (int)I(13),
			.outcome_by = T(14), .outcome_reason = T(15), .created_at = I(16),
			.closed_at = I(17)
		};
#undef T
#undef I
	}
	*out = t;
	*n = cnt;
	return YW_E_OK;
}

yw_err yw_casedb_task_insert(yw_db *tx, const yw_case_task_row *t, const yw_case_row *c)
{
	return yw_db_exec(
		tx,
		"INSERT INTO case_tasks (id, case_id, step_id, name, stage, role, department_id, "
		"division_code, split_id, state, limit_days, started_on, due_on, paused_workdays, "
		"item_code, channel, case_state, submitted_at, outcome_by, outcome_reason, created_at, "
		"closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
		"$16, $17, $18, $19, $20, $21, $22)",
		YW_PARAMS(YW_VTEXT(t->id), YW_VTEXT(c->id), YW_VTEXT(t->step_id), YW_VTEXT(t->name),
		          YW_VTEXT(t->stage), YW_VTEXT(t->role), YW_VTEXT(t->department_id),
		          YW_VTEXT(t->division_code), YW_VTEXT(t->split_id), YW_VTEXT(t->state),
		          t->limit_days < 0 ? YW_VNULL : YW_VINT(t->limit_days), YW_VINT(t->started_on),
		          int_or_null(t->due_on), YW_VINT(t->paused_workdays), YW_VTEXT(c->item_code),
		          YW_VTEXT(c->channel), YW_VTEXT(yw_case_state_name(c->state)),
		          int_or_null(c->submitted_at), YW_VTEXT(t->outcome_by),
		          YW_VTEXT(t->outcome_reason), YW_VINT(t->created_at), int_or_null(t->closed_at)),
		NULL);
}

yw_err yw_casedb_task_update(yw_db *tx, const yw_case_task_row *t)
{
	return yw_db_exec(tx,
	                  "UPDATE case_tasks SET state = $2, due_on = $3, paused_workdays = $4, "
	                  "outcome_by = $5, outcome_reason = $6, closed_at = $7 WHERE id = $1",
	                  YW_PARAMS(YW_VTEXT(t->id), YW_VTEXT(t->state), int_or_null(t->due_on),
	                            YW_VINT(t->paused_workdays), YW_VTEXT(t->outcome_by),
	                            YW_VTEXT(t->outcome_reason), int_or_null(t->closed_at)),
	                  NULL);
}

yw_err yw_casedb_tasks_sync(yw_db *tx, const yw_case_row *c)
{
	return yw_db_exec(tx,
	                  "UPDATE case_tasks SET case_state = $2, item_code = $3, channel = $4, "
	                  "submitted_at = $5 WHERE case_id = $1 AND state = 'open'",
	                  YW_PARAMS(YW_VTEXT(c->id), YW_VTEXT(yw_case_state_name(c->state)),
	                            YW_VTEXT(c->item_code), YW_VTEXT(c->channel),
	                            int_or_null(c->submitted_at)),
	                  NULL);
}

yw_err yw_casedb_trail_add(yw_db *tx, const char *case_id, yw_ms at, const char *actor,
                           const char *action, const char *from, const char *to,
                           const char *task_id, const char *note)
{
	return yw_db_exec(tx,
	                  "INSERT INTO case_trail (case_id, seq, at, actor, action, from_state, "
	                  "to_state, task_id, note) SELECT CAST($1 AS TEXT), COALESCE(MAX(seq), 0) + 1, $2, "
	                  "CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS TEXT), CAST($6 AS TEXT), "
	                  "CAST($7 AS TEXT), CAST($8 AS TEXT) FROM case_trail WHERE case_id = $1",
	                  YW_PARAMS(YW_VTEXT(case_id), YW_VINT(at), YW_VTEXT(actor), YW_VTEXT(action),
	                            YW_VTEXT(from), YW_VTEXT(to), YW_VTEXT(task_id), YW_VTEXT(note)),
	                  NULL);
}

yw_err yw_casedb_trail(yw_db *db, yw_arena *a, const char *case_id, yw_rows **out)
{
	return yw_db_query(db, a, out,
	                   "SELECT seq, at, actor, action, from_state, to_state, task_id, note "
	                   "FROM case_trail WHERE case_id = $1 ORDER BY seq",
	                   YW_PARAMS(YW_VTEXT(case_id)));
}

yw_err yw_casedb_materials(yw_db *db, yw_arena *a, const char *case_id, yw_case_mat **out, int *n)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows,
	                       "SELECT slot, material_id FROM case_materials WHERE case_id = $1 "
	                       "ORDER BY slot, material_id",
	                       YW_PARAMS(YW_VTEXT(case_id)));
	if (e)
		return e;
	int cnt = yw_rows_count(rows);
	yw_case_mat *m = yw_zalloc(a, sizeof *m * (size_t)(cnt + 1));
	if (!m)
		return YW_E_NO_MEMORY;
	for (int i = 0; i < cnt; i++)
		m[i] = (yw_case_mat){ (int)yw_rows_int(rows, i, 0), yw_rows_text(rows, i, 1) };
	*out = m;
	*n = cnt;
	return YW_E_OK;
}

yw_err yw_casedb_materials_add(yw_db *tx, const char *case_id, const yw_case_mat *m, int n)
{
	yw_err e = YW_E_OK;
	for (int i = 0; !e && i < n; i++)
		e = yw_casedb_material_add(tx, case_id, m[i].slot, m[i].material_id);
	return e;
}

yw_err yw_casedb_materials_set(yw_db *tx, const char *case_id, const yw_case_mat *m, int n)
{
	yw_err e = yw_db_exec(tx, "DELETE FROM case_materials WHERE case_id = $1",
	                      YW_PARAMS(YW_VTEXT(case_id)), NULL);
	return e ? e : yw_casedb_materials_add(tx, case_id, m, n);
}

yw_err yw_casedb_material_add(yw_db *tx, const char *case_id, int slot, const char *material_id)
{
	return yw_db_exec(tx,
	                  "INSERT INTO case_materials (case_id, slot, material_id) VALUES ($1, $2, $3) "
	                  "ON CONFLICT DO NOTHING",
	                  YW_PARAMS(YW_VTEXT(case_id), YW_VINT(slot), YW_VTEXT(material_id)), NULL);
}

bool yw_casedb_has_material(yw_db *db, yw_arena *a, const char *case_id, const char *material_id)
{
	yw_rows *rows;
	return !yw_db_query(db, a, &rows,
	                    "SELECT 1 FROM case_materials WHERE case_id = $1 AND material_id = $2",
	                    YW_PARAMS(YW_VTEXT(case_id), YW_VTEXT(material_id))) &&
	       yw_rows_count(rows) > 0;
}

yw_err yw_casedb_serial_next(yw_db *tx, yw_arena *a, const char *division, int day, long long *seq)
{
	yw_rows *rows;
	yw_err e = yw_db_query(tx, a, &rows,
	                       "INSERT INTO case_serials (division_code, day, last) VALUES ($1, $2, 1) "
	                       "ON CONFLICT (division_code, day) DO UPDATE SET last = case_serials.last + 1 "
	                       "RETURNING last",
	                       YW_PARAMS(YW_VTEXT(division), YW_VINT(day)));
	if (e)
		return e;
	if (yw_rows_count(rows) != 1)
		return YW_E_DB_ERROR;
	*seq = yw_rows_int(rows, 0, 0);
	return YW_E_OK;
}

yw_err yw_casedb_idem_get(yw_db *db, yw_arena *a, const char *caller, const char *key,
                          const char **hash, const char **case_id)
{
	yw_rows *rows;
	yw_err e = yw_db_query(db, a, &rows,
	                       "SELECT request_hash, case_id FROM case_idempotency WHERE caller = $1 "
	                       "AND key = $2",
	                       YW_PARAMS(YW_VTEXT(caller), YW_VTEXT(key)));
	if (e)
		return e;
	if (!yw_rows_count(rows))
		return YW_E_NOT_FOUND;
	*hash = yw_rows_text(rows, 0, 0);
	*case_id = yw_rows_text(rows, 0, 1);
	return YW_E_OK;
}

yw_err yw_casedb_idem_put(yw_db *tx, const char *caller, const char *key, const char *hash,
                          const char *case_id, yw_ms now, long long *changed)
{
	return yw_db_exec(tx,
	                  "INSERT INTO case_idempotency (caller, key, request_hash, case_id, created_at) "
	                  "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
	                  YW_PARAMS(YW_VTEXT(caller), YW_VTEXT(key), YW_VTEXT(hash), YW_VTEXT(case_id),
	                            YW_VINT(now)),
	                  changed);
}
