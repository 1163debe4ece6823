/*
 * The common end of every change of a case (internal.h, yw_case_change): one write that loads the
 * case and its tasks inside the transaction, checks the version the handler saw, lets the
 * handler's mutate callback change them in memory, recomputes the clocks, and writes the case
 * (guarded by its version), its tasks, the theme parent it belongs to, the trail entry, the audit
 * entry and the event. Several changes may share one write (a theme's application, its
 * withdrawal). What a step opens and ends of the item's process is done here too, for mutate:
 * tasks opened and ended, the flow run on (flow.c).
 */
#include <string.h>

#include "audit/audit.h"
#include "cases/internal.h"
#include "events/events.h"

/* ---- the common end of a change -------------------------------------------------------------- */

void yw_case_change_init(yw_case_change *ch, yw_req *r, const yw_case_row *c, const char *action)
{
	*ch = (yw_case_change){ .a = r->arena, .case_id = c->id, .version = c->version,
	                        .actor = yw_case_actor(r, c), .action = action, .now = yw_now_ms(),
	                        .today = yw_case_today() };
	if (yw_sortable_ids(r->arena, "t_", ch->ids, sizeof ch->ids / sizeof ch->ids[0]))
		memset(ch->ids, 0, sizeof ch->ids);     /* yw_case_task_open then fails: no id */
	ch->depts[0].id = c->department_id;
	ch->depts[0].division = c->division_code;
	ch->ndepts = 1;
}

static void collect_depts(yw_req *r, yw_case_change *ch, const json_t *j)
{
	if (json_is_array(j)) {
		for (size_t i = 0; i < json_array_size(j); i++)
			collect_depts(r, ch, json_array_get(j, i));
		return;
	}
	if (!json_is_object(j))
		return;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)j, k, v) {
		if (!strcmp(k, "department_id") && json_is_string(v)) {
			const char *id = json_string_value(v);
			int i;
			for (i = 0; i < ch->ndepts && !yw_str_eq(ch->depts[i].id, id); i++)
				;
			yw_department d;
			if (i == ch->ndepts && ch->ndepts < 24 &&
			    !yw_identity_department(r->app->store, r->arena, id, &d)) {
				ch->depts[ch->ndepts].id = d.id;
				ch->depts[ch->ndepts++].division = d.division_code;
			}
		} else {
			collect_depts(r, ch, v);
		}
	}
}

yw_err yw_case_flow_of(yw_req *r, yw_case_change *ch, const yw_case_row *c, yw_cat_published *item,
                       yw_case_flow **f)
{
	yw_err e = yw_catalog_published(r->app->store, r->arena, c->item_code, c->item_version, item);
	if (e)
		return yw_fail(r, e == YW_E_NOT_FOUND ? YW_E_ITEM_NOT_APPLICABLE : e,
		               "读取办件所依据的事项版本失败");
	const char *why = NULL;
	if ((e = yw_case_flow_new(r->arena, item->process, item->department_id, f, &why)))
		return yw_fail(r, e, "事项的办理流程无法执行：%s", why ? why : "");
	if (ch) {
		if (!yw_str_eq(item->department_id, ch->depts[0].id) && ch->ndepts < 24) {
			yw_department d;
			if (!yw_identity_department(r->app->store, r->arena, item->department_id, &d)) {
				ch->depts[ch->ndepts].id = d.id;
				ch->depts[ch->ndepts++].division = d.division_code;
			}
		}
		collect_depts(r, ch, item->process);
	}
	return YW_E_OK;
}

yw_case_task_row *yw_case_task_open(yw_case_change *ch, const yw_case_step *s)
{
	if (ch->nids_used >= (int)(sizeof ch->ids / sizeof ch->ids[0]) || !ch->ids[ch->nids_used])
		return NULL;
	const char *dept = s->department_id ? s->department_id : ch->c.department_id,
		   *division = ch->c.division_code;
	for (int i = 0; i < ch->ndepts; i++)
		if (yw_str_eq(ch->depts[i].id, dept))
			division = ch->depts[i].division;
	yw_case_task_row *t = &ch->tasks[ch->ntasks++];
	/* The intake steps (pre_review, accept) are one task, worked as the pre-review
	 * (R-CASE-032): one stage name for the inbox and the transitions. */
	bool pre = yw_str_eq(s->stage, "pre_review") || yw_str_eq(s->stage, "accept");
	*t = (yw_case_task_row){ .id = ch->ids[ch->nids_used++], .case_id = ch->c.id,
	                         .step_id = s->id, .name = s->name,
	                         .stage = pre ? "pre_review" : s->stage,
	                         .role = s->role, .department_id = dept, .division_code = division,
	                         .split_id = s->split_id, .state = "open",
	                         .limit_days = pre ? YW_CASE_PREREVIEW_DAYS : s->limit_days,
	                         .started_on = ch->today, .created_at = ch->now + ch->ntasks,
	                         .is_new = true };
	return t;
}

void yw_case_task_end(yw_case_change *ch, yw_case_task_row *t, const char *state, const char *reason)
{
	t->state = state;
	t->outcome_by = ch->actor;
	t->outcome_reason = reason;
	t->closed_at = ch->now;
	t->due_on = 0;
	t->dirty = true;
}

static yw_case_task_ref *task_refs(const yw_case_change *ch)
{
	yw_case_task_ref *refs = yw_zalloc(ch->a, sizeof *refs * (size_t)(ch->ntasks + 1));
	for (int i = 0; refs && i < ch->ntasks; i++)
		refs[i] = (yw_case_task_ref){ ch->tasks[i].step_id, ch->tasks[i].state };
	return refs;
}

bool yw_case_review_failed(const yw_case_change *ch, const yw_case_flow *f)
{
	yw_case_task_ref *refs = task_refs(ch);
	return !refs || yw_case_flow_failed(f, refs, ch->ntasks);
}

yw_err yw_case_flow_advance(yw_case_change *ch, const yw_case_flow *f, yw_case_task_row *t,
                            bool passed, bool *failed)
{
	yw_case_task_ref *refs = task_refs(ch);
	if (!refs)
		return YW_E_NO_MEMORY;
	yw_case_flow_step out;
	yw_err e = yw_case_flow_after(f, refs, ch->ntasks, t->step_id, passed, &out);
	if (e)
		return e;
	for (int k = 0; k < out.nclose; k++)
		for (int i = 0; i < ch->ntasks; i++)
			if (yw_str_eq(ch->tasks[i].state, "open") &&
			    yw_str_eq(ch->tasks[i].step_id, out.close[k]))
				yw_case_task_end(ch, &ch->tasks[i], "closed",
				                 out.close_reason ? out.close_reason : "并联审查未通过，本环节不再办理");
	int base = ch->ntasks;
	for (int k = 0; k < out.nopen; k++) {
		if (ch->ntasks >= base + YW_CASE_FLOW_MAX || !yw_case_task_open(ch, &out.open[k]))
			return YW_E_INTERNAL;
	}
	if (failed)
		*failed = out.failed;
	return YW_E_OK;
}

/* A step that opens or ends a task in another department (a parallel branch, a step the process
 * gives elsewhere) is told to that department's own subscriptions too, once per department: its
 * system works its branch in its own inbox and would otherwise hear nothing of it. */
static bool touched(const yw_case_change *ch, int i, int loaded)
{
	return ch->tasks[i].is_new || (i < loaded && ch->tasks[i].dirty);
}

/* The tasks a change opened or ended, for its event: a department's system learns which of its
 * branches opened or closed, and their ids, without reading the case. */
static json_t *touched_tasks(const yw_case_change *ch, int loaded)
{
	json_t *list = json_array();
	for (int i = 0; list && i < ch->ntasks; i++) {
		const yw_case_task_row *t = &ch->tasks[i];
		if (touched(ch, i, loaded))
			json_array_append_new(list, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "id", t->id,
			                                      "step_id", yw_case_str_json(t->step_id), "name",
			                                      yw_case_str_json(t->name), "stage", yw_case_str_json(t->stage),
			                                      "department_id", yw_case_str_json(t->department_id),
			                                      "state", yw_case_str_json(t->state)));
	}
	return list;
}

static yw_err tell_branch_departments(yw_db *tx, yw_case_change *ch, int loaded, const char *type,
                                      json_t *data)
{
	const char *told[YW_CASE_MAX_TASKS];
	int ntold = 0;
	for (int i = 0; i < ch->ntasks; i++) {
		const yw_case_task_row *t = &ch->tasks[i];
		if (!touched(ch, i, loaded) || !t->department_id || yw_str_eq(t->department_id, ch->c.department_id))
			continue;
		bool seen = false;
		for (int k = 0; k < ntold && !seen; k++)
			seen = yw_str_eq(told[k], t->department_id);
		if (seen || ntold == YW_CASE_MAX_TASKS)
			continue;
		told[ntold++] = t->department_id;
		yw_err e = yw_events_emit_also(tx, ch->a, type, t->department_id, data);
		if (e)
			return e;
	}
	return YW_E_OK;
}

static yw_err change_write(yw_db *tx, void *arg)
{
	yw_case_change *ch = arg;
	ch->tx = tx;
	ch->nids_used = 0;
	ch->detail = NULL;
	ch->task_id = ch->note = NULL;
	ch->event_extra = NULL;
	ch->calendar_out = false;
	ch->idem_lost = false;
	yw_err e = YW_E_OK;
	if (ch->insert) {
		ch->c = *ch->insert;
		ch->ntasks = 0;
		if (!(ch->tasks = yw_zalloc(ch->a, sizeof *ch->tasks * (YW_CASE_FLOW_MAX + 8))))
			return YW_E_NO_MEMORY;
	} else {
		/* Without a version from the client (a department system finishing its branch while
		 * another finishes theirs), the row is held first, so the case read is the latest. */
		if (ch->any_version && (e = yw_casedb_lock(tx, ch->case_id)))
			return e;
		if ((e = yw_casedb_load(tx, ch->a, ch->case_id, &ch->c)))
			return e;
		if (ch->any_version)
			ch->version = ch->c.version;
		if (ch->c.version != ch->version)
			return YW_E_CASE_STALE;
		if ((e = yw_casedb_tasks(tx, ch->a, ch->case_id, &ch->tasks, &ch->ntasks)))
			return e;
	}
	int loaded = ch->ntasks;
	ch->from = ch->c.state;
	if ((e = ch->mutate(ch)))
		return e;
	ch->c.version++;
	ch->c.updated_at = ch->now;
	yw_case_recompute(&ch->c, ch->tasks, ch->ntasks, &ch->calendar_out);
	long long changed = 0;
	if (ch->insert) {
		if ((e = yw_casedb_insert(tx, ch->a, &ch->c)))
			return e;
	} else {
		if ((e = yw_casedb_update(tx, ch->a, &ch->c, ch->version, &changed)))
			return e;
		if (!changed)
			return YW_E_CASE_STALE;
	}
	/* The key first: a twin that lost the race writes nothing else. */
	if (ch->idem_key) {
		if ((e = yw_casedb_idem_put(tx, ch->idem_caller, ch->idem_key, ch->idem_hash, ch->c.id,
		                            ch->now, &changed)))
			return e;
		if (!changed) {
			ch->idem_lost = true;
			return YW_E_CONFLICT;
		}
	}
	/* A new case has no materials to replace and no older tasks to bring up to its state. */
	if (ch->set_mats && (e = ch->insert ? yw_casedb_materials_add(tx, ch->c.id, ch->mats, ch->nmats)
	                                    : yw_casedb_materials_set(tx, ch->c.id, ch->mats, ch->nmats)))
		return e;
	for (int i = 0; i < ch->ntasks && !e; i++) {
		if (ch->tasks[i].is_new)
			e = yw_casedb_task_insert(tx, &ch->tasks[i], &ch->c);
		else if (i < loaded && ch->tasks[i].dirty)
			e = yw_casedb_task_update(tx, &ch->tasks[i]);
	}
	if (!e && !ch->insert)
		e = yw_casedb_tasks_sync(tx, &ch->c);
	/* a theme's child moved: its parent shows the least advanced child (R-CASE-062) */
	if (!e && !ch->insert && ch->c.parent_id)
		e = yw_case_theme_sync(tx, ch->a, &ch->c, ch->now);
	const char *from = yw_case_state_name(ch->from), *to = yw_case_state_name(ch->c.state);
	if (!e && !ch->no_trail)
		e = yw_casedb_trail_add(tx, ch->c.id, ch->now, ch->actor, ch->action, from, to,
		                        ch->task_id, ch->note);
	if (!e)
		e = yw_audit_add(tx, ch->actor, yw_sprintf(ch->a, "case.%s", ch->action), "case",
		                 ch->c.id, json_pack("{s:s, s:I}", "state", from, "version",
		                                     (json_int_t)ch->version),
		                 json_pack("{s:s, s:I, s:o}", "state", to, "version",
		                           (json_int_t)ch->c.version, "task_id",
		                           yw_case_str_json(ch->task_id)));
	if (!e && ch->event) {
		json_t *data = json_pack("{s:s, s:o, s:o, s:s, s:o}", "case_id", ch->c.id, "serial",
		                         yw_case_str_json(ch->c.serial), "item_code",
		                         yw_case_str_json(ch->c.item_code), "state", to, "department_id",
		                         yw_case_str_json(ch->c.department_id));
		if (data && ch->task_id)
			json_object_set_new(data, "task_id", json_string(ch->task_id));
		if (data)
			json_object_set_new(data, "tasks", touched_tasks(ch, loaded));
		if (data && ch->event_extra)
			json_object_update(data, ch->event_extra);
		e = data ? yw_events_emit(tx, ch->a, ch->event, ch->c.department_id, data)
		         : YW_E_NO_MEMORY;
		/* one step that is two acts (a 即办件 accepted is decided at once) tells both */
		if (!e && ch->event2)
			e = yw_events_emit(tx, ch->a, ch->event2, ch->c.department_id, data);
		if (!e)
			e = tell_branch_departments(tx, ch, loaded, ch->event, data);
		if (!e && ch->event2)
			e = tell_branch_departments(tx, ch, loaded, ch->event2, data);
		json_decref(data);
	}
	return e;
}

/* Several changes in one transaction (a theme's parent and its children): the first to fail
 * undoes them all. */
typedef struct {
	yw_case_change **list;
	int n;
	yw_case_change *failed;
} changes_arg;

static yw_err changes_write(yw_db *tx, void *arg)
{
	changes_arg *w = arg;
	yw_err e = YW_E_OK;
	/* A theme's children are held before the first of them changes: each change of a child
	 * then holds its parent too (yw_case_theme_sync), and a department's change of a later child
	 * holds that child and waits for the parent — on PostgreSQL the two would wait for each
	 * other. Every writer takes a child before its parent, and these in one order. */
	for (int i = 0; !e && i < w->n; i++)
		if (w->list[i]->lock_first)
			e = yw_casedb_lock(tx, w->list[i]->case_id);
	for (int i = 0; !e && i < w->n; i++) {
		w->failed = w->list[i];
		e = change_write(tx, w->list[i]);
	}
	return e;
}

/* A refused change as the problem its caller answers with. */
static yw_err change_failed(yw_req *r, yw_err e, const yw_case_change *ch)
{
	if (e && ch && ch->idem_lost)
		return YW_E_CONFLICT;     /* the caller answers with the twin's case */
	switch (e) {
	case YW_E_OK:
		return YW_E_OK;
	case YW_E_CASE_STALE:
		return yw_fail(r, e, "办件已被他人处理（当前版本不是 %lld），请刷新后重试",
		               ch ? ch->version : 0);
	case YW_E_NOT_FOUND:
		return yw_fail(r, e, "办件不存在");
	default:
		return yw_fail(r, e, "%s", ch && ch->detail ? ch->detail : "办件处理失败");
	}
}

yw_err yw_case_change_store(yw_store *st, yw_case_change *ch)
{
	return yw_store_write(st, change_write, ch);
}

yw_err yw_case_change_run(yw_req *r, yw_case_change *ch)
{
	return change_failed(r, yw_case_change_store(r->app->store, ch), ch);
}

yw_err yw_case_changes_run(yw_req *r, yw_case_change **list, int n)
{
	changes_arg w = { .list = list, .n = n };
	return change_failed(r, yw_store_write(r->app->store, changes_write, &w), w.failed);
}
